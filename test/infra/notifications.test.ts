import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { Notifications, type NotificationsProps } from '#lib/constructs/notifications';
import { ServiceFunction } from '#lib/constructs/service-function';
import { LOCALES } from '#shared/locale';
import { sesTemplateParts } from '#shared/mail/render';
import { TEMPLATE_IDS } from '#shared/mail/templates';
import { logicalIdOf } from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

const MAILER_ENTRY = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'lambdas',
  'shared',
  'mailer.ts',
);

const baseProps: NotificationsProps = {
  senderAddress: 'no-reply@eid-access.example.be',
  templatePrefix: 'eid-access-test',
};

interface Built {
  app: App;
  stack: Stack;
  notifications: Notifications;
  sender: ServiceFunction;
  template: Template;
  /** The nested stack's template, where the SES templates are. */
  mailTemplates: Template;
}

/** A small stack with the construct and one function bound to it (no bundling). */
function build(options: { props?: Partial<NotificationsProps>; env?: boolean; nag?: boolean } = {}): Built {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: testAppOutdir() });
  // AwsSolutions only: the HIPAA/NIST/Control Tower packs need the platform aspects of a whole stage.
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(
    app,
    'NotificationsTest',
    options.env === false ? {} : { env: { account: '123456789012', region: 'eu-west-1' } },
  );
  const notifications = new Notifications(stack, 'Notifications', { ...baseProps, ...options.props });
  const sender = new ServiceFunction(stack, 'Sender', {
    entry: MAILER_ENTRY,
    serviceName: 'bis',
    logRetention: RetentionDays.ONE_MONTH,
  });
  notifications.bindMailer(sender.function);
  return {
    app,
    stack,
    notifications,
    sender,
    template: Template.fromStack(stack),
    mailTemplates: Template.fromStack(notifications.templatesStack),
  };
}

/** An ARN as one readable string: `Fn::Join` flattened, references as `<LogicalId>`. */
function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'Ref' in value) return `<${String(value.Ref)}>`;
  if (typeof value === 'object' && value !== null && 'Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(arnText).join(separator);
  }
  return JSON.stringify(value);
}

/** Every IAM policy statement of the synthesized template. */
function policyStatements(template: Template): Array<Record<string, unknown>> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties
        .PolicyDocument.Statement,
  );
}

describe('Notifications', () => {
  const built = build();
  const { template, mailTemplates } = built;

  it.each(TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => ({ id, locale }))))(
    'creates the SES template $id in $locale from the shared definition',
    ({ id, locale }) => {
      const parts = sesTemplateParts(id, locale);
      mailTemplates.hasResourceProperties('AWS::SES::Template', {
        Template: {
          TemplateName: `eid-access-test-${id}-${locale}`,
          SubjectPart: parts.subjectPart,
          TextPart: parts.textPart,
          HtmlPart: parts.htmlPart,
        },
      });
    },
  );

  it('creates exactly one template per id and locale when synthesized', () => {
    expect(template.findResources('AWS::SES::Template')).toEqual({});
    const names = Object.values(mailTemplates.findResources('AWS::SES::Template')).map(
      (resource) =>
        (resource as { Properties: { Template: { TemplateName: string } } }).Properties.Template.TemplateName,
    );
    expect(names.sort()).toEqual(
      TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => `eid-access-test-${id}-${locale}`)).sort(),
    );
  });

  it('requires TLS, publishes reputation metrics and suppresses bounces and complaints', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
  });

  it('sends bounces, complaints, rejects and rendering failures to the mail-events topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: {
        Ref: logicalIdOf(built.notifications.configurationSet),
      },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint', 'reject', 'renderingFailure']),
        SnsDestination: {
          TopicARN: {
            Ref: logicalIdOf(built.notifications.mailEventsTopic),
          },
        },
      },
    });
  });

  it('encrypts the topic with a rotating customer-managed key and refuses non-TLS access', () => {
    const keyId = logicalIdOf(built.notifications.topicKey);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: Match.objectLike({
              StringEquals: Match.objectLike({ 'AWS:SourceAccount': '123456789012' }),
            }),
          }),
        ]),
      },
    });
  });

  it('lets only SES for this configuration set use the topic key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowSesToPublishMailEvents',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('sets the three mail variables on the bound function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAIL_FROM: 'eID Access <no-reply@eid-access.example.be>',
          MAIL_TEMPLATE_PREFIX: 'eid-access-test',
          MAIL_CONFIGURATION_SET: {
            Ref: logicalIdOf(built.notifications.configurationSet),
          },
        }),
      },
    });
  });

  it('grants only ses:SendEmail on the identities, configuration set and templates, from the sender only', () => {
    const sesStatements = policyStatements(template).filter((statement) =>
      JSON.stringify(statement.Action).includes('ses:'),
    );
    expect(sesStatements).toHaveLength(1);
    const [statement] = sesStatements;
    expect(statement?.Action).toBe('ses:SendEmail');
    expect(statement?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'no-reply@eid-access.example.be' },
    });
    const resources = ([statement?.Resource].flat() as unknown[]).map(arnText);
    expect(resources).toEqual([
      'arn:<AWS::Partition>:ses:eu-west-1:123456789012:identity/no-reply@eid-access.example.be',
      'arn:<AWS::Partition>:ses:eu-west-1:123456789012:identity/eid-access.example.be',
      `arn:<AWS::Partition>:ses:eu-west-1:123456789012:configuration-set/<${logicalIdOf(built.notifications.configurationSet)}>`,
      'arn:<AWS::Partition>:ses:eu-west-1:123456789012:template/eid-access-test-*',
    ]);
  });

  it('grants nothing on every resource and no SES wildcard action', () => {
    const statements = policyStatements(template);
    for (const statement of statements) {
      const actions = [statement.Action].flat() as string[];
      expect(actions).not.toContain('ses:*');
      if (actions.some((action) => action.startsWith('ses:'))) {
        expect([statement.Resource].flat()).not.toContain('*');
      }
    }
  });

  it('adds further identities to the grant when the account is in the SES sandbox', () => {
    const sandbox = build({ props: { additionalIdentities: ['tester@example.org'] } });
    const statement = policyStatements(sandbox.template).find((s) => s.Action === 'ses:SendEmail');
    expect(([statement?.Resource].flat() as unknown[]).map(arnText)).toContain(
      'arn:<AWS::Partition>:ses:eu-west-1:123456789012:identity/tester@example.org',
    );
  });

  it('passes cdk-nag AwsSolutions with its acknowledgements when synthesized', () => {
    const checked = build({ nag: true });
    expect(() => checked.app.synth()).not.toThrow();
  });

  it('passes cdk-nag when the stack is environment-agnostic', () => {
    const checked = build({ nag: true, env: false });
    expect(() => checked.app.synth()).not.toThrow();
  });

  it.each([
    ['a display-name form', { senderAddress: 'eID Access <no-reply@example.be>' }, /senderAddress/],
    ['a too long prefix', { templatePrefix: 'eid-access-acceptance-12' }, /templatePrefix/],
    ['a prefix with a dot', { templatePrefix: 'eid.access' }, /templatePrefix/],
  ])('refuses %s', (_case, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });
});
