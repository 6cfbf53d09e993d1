import { NestedStack, Stack, Token, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  CfnTemplate,
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LOCALES, type Locale } from '#shared/locale';
import { sesTemplateParts } from '#shared/mail/render';
import {
  MAX_TEMPLATE_NAME_LENGTH,
  PLATFORM_NAME,
  sesTemplateName,
  TEMPLATE_IDS,
  type TemplateId,
} from '#shared/mail/templates';

/** Properties of {@link Notifications}. */
export interface NotificationsProps {
  /**
   * The bare sender address (`no-reply@example.be`). Its address or domain must be a verified SES
   * identity in the stack's account and region; verifying it (DNS) is an operator step.
   */
  readonly senderAddress: string;
  /**
   * Display name in the From header.
   * @default 'eID Access'
   */
  readonly senderName?: string;
  /**
   * Prefix of every SES template name (`${prefix}-${templateId}-${locale}`), unique per stage in the
   * account and region, e.g. `eid-access-dev`. Letters, digits, `-` and `_`, short enough that the
   * longest template name stays within SES's 64 characters.
   */
  readonly templatePrefix: string;
  /**
   * Further SES identities the mailer may send through. In an account still in the SES sandbox, SES
   * also authorises `ses:SendEmail` on each (verified) recipient identity; list them here for dev.
   * @default - only the sender's address and domain
   */
  readonly additionalIdentities?: readonly string[];
  /**
   * Key that encrypts the mail-events topic. SES must be allowed to use it (this construct adds
   * that statement to the key policy, which only works for a key in the same stack).
   * @default - a new customer-managed key with rotation
   */
  readonly topicKey?: IKey;
}

const EMAIL_ADDRESS = /^[^\s@<>"]+@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$/;
const TEMPLATE_PREFIX = /^[A-Za-z0-9_-]+$/;

/** Longest `-${templateId}-${locale}` suffix: what the prefix must leave room for. */
const LONGEST_SUFFIX = Math.max(
  ...TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => id.length + locale.length + 2)),
);

/**
 * Outgoing e-mail of the platform: every template in every locale as an SES template (built from the
 * one copy in `lambdas/shared/mail/copy/` by `lambdas/shared/mail/render.ts`, which also renders the
 * local outbox), an SES configuration set (TLS required, reputation metrics, bounces and complaints
 * suppressed) whose bounce, complaint, reject and rendering-failure events go to an encrypted SNS
 * topic that operators subscribe to, and {@link Notifications.bindMailer} for the functions that send.
 */
export class Notifications extends Construct {
  /** Prefix of every template name. */
  readonly templatePrefix: string;
  /** The sender address (bare). */
  readonly senderAddress: string;
  /** The From header the mailer uses: `Name <address>`. */
  readonly fromHeader: string;
  /** The configuration set every mail is sent with. */
  readonly configurationSet: ConfigurationSet;
  /** Bounces, complaints, rejects and rendering failures; operators subscribe here. */
  readonly mailEventsTopic: ITopic;
  /** The key that encrypts {@link Notifications.mailEventsTopic}. */
  readonly topicKey: IKey;
  /** Every template resource, by SES template name. */
  readonly templates: ReadonlyMap<string, CfnTemplate>;
  /**
   * The nested stack that holds the SES templates (one per template and locale, 100+): they would
   * otherwise take a fifth of the access stack's 500-resource CloudFormation quota.
   */
  readonly templatesStack: NestedStack;

  private readonly identityNames: readonly string[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const domain = validateSender(this, props.senderAddress);
    validatePrefix(this, props.templatePrefix);

    this.templatePrefix = props.templatePrefix;
    this.senderAddress = props.senderAddress;
    this.fromHeader = `${props.senderName ?? PLATFORM_NAME} <${props.senderAddress}>`;
    // SES authorises against the identity that verifies the sender: the address or its domain.
    this.identityNames = [
      ...new Set([props.senderAddress, ...(domain ? [domain] : []), ...(props.additionalIdentities ?? [])]),
    ];

    this.templatesStack = new NestedStack(this, 'Templates', {
      description: `${PLATFORM_NAME}: SES mail templates (${props.templatePrefix})`,
    });
    const templates = new Map<string, CfnTemplate>();
    for (const templateId of TEMPLATE_IDS) {
      for (const locale of LOCALES) {
        const name = sesTemplateName(props.templatePrefix, templateId, locale);
        templates.set(name, this.createTemplate(templateId, locale, name));
      }
    }
    this.templates = templates;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.topicKey =
      props.topicKey ??
      new Key(this, 'MailEventsKey', {
        enableKeyRotation: true,
        description: `Encrypts the mail bounce and complaint topic of ${PLATFORM_NAME}`,
      });
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesToPublishMailEvents',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': this.configurationSetArn() },
        },
      }),
    );

    this.mailEventsTopic = new Topic(this, 'MailEventsTopic', {
      displayName: `${PLATFORM_NAME} mail bounces and complaints`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });

    // The L2 also adds the topic policy that lets SES (this configuration set only) publish.
    this.configurationSet.addEventDestination('MailEvents', {
      destination: EventDestination.snsTopic(this.mailEventsTopic),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
  }

  /**
   * Lets a function send the platform's mail: sets `MAIL_FROM`, `MAIL_TEMPLATE_PREFIX` and
   * `MAIL_CONFIGURATION_SET` (read by `sesMailerConfigFromEnv`) and grants `ses:SendEmail` only, only
   * on the sender's identities, this configuration set and this prefix's templates, and only with the
   * sender as From address.
   *
   * The handler also needs `GetItem` and `PutItem` on the table for the sent-mail markers of
   * `IdempotentMailer` (bind the table separately).
   */
  bindMailer(fn: LambdaFunction): void {
    fn.addEnvironment('MAIL_FROM', this.fromHeader);
    fn.addEnvironment('MAIL_TEMPLATE_PREFIX', this.templatePrefix);
    fn.addEnvironment('MAIL_CONFIGURATION_SET', this.configurationSet.configurationSetName);

    const stack = Stack.of(this);
    const templatesArn = stack.formatArn({
      service: 'ses',
      resource: 'template',
      resourceName: `${this.templatePrefix}-*`,
    });
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [
          ...this.identityNames.map((name) =>
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name }),
          ),
          this.configurationSetArn(),
          templatesArn,
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderAddress } },
      }),
    );

    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(stack.resolve(templatesArn))}]`,
        reason:
          `ses:SendEmail on the stored templates of this stage only (${this.templatePrefix}-*): listing all ` +
          `${this.templates.size} template ARNs one by one would crowd the role's inline-policy size limit.`,
      });
    }
  }

  /** The ARN SES authorises `SendEmail` against for this configuration set. */
  private configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  private createTemplate(templateId: TemplateId, locale: Locale, name: string): CfnTemplate {
    const parts = sesTemplateParts(templateId, locale);
    return new CfnTemplate(this.templatesStack, `Template-${templateId}-${locale}`, {
      template: {
        templateName: name,
        subjectPart: parts.subjectPart,
        textPart: parts.textPart,
        htmlPart: parts.htmlPart,
      },
    });
  }
}

function validateSender(scope: Construct, address: string): string | undefined {
  if (Token.isUnresolved(address)) return undefined;
  const match = EMAIL_ADDRESS.exec(address);
  if (!match?.[1]) {
    throw new Error(`${scope.node.path}: senderAddress must be a bare e-mail address, got "${address}"`);
  }
  return match[1].toLowerCase();
}

function validatePrefix(scope: Construct, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  const maxLength = MAX_TEMPLATE_NAME_LENGTH - LONGEST_SUFFIX;
  if (!TEMPLATE_PREFIX.test(prefix) || prefix.length > maxLength) {
    throw new Error(
      `${scope.node.path}: templatePrefix must be 1-${maxLength} letters, digits, '-' or '_', got "${prefix}"`,
    );
  }
}

/**
 * A resolved ARN the way cdk-nag prints it in a finding id: `Fn::Join` flattened, pseudo parameters
 * as `<AWS::Region>`.
 */
function nagResource(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'object' && resolved !== null) {
    if ('Ref' in resolved) return `<${String((resolved as { Ref: unknown }).Ref)}>`;
    if ('Fn::Join' in resolved) {
      const [separator, parts] = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      return parts.map(nagResource).join(separator);
    }
  }
  return JSON.stringify(resolved);
}
