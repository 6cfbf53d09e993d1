import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { type App, CfnResource, type IAspect, Validations } from 'aws-cdk-lib';
import { CfnPolicy, Effect, PolicyStatement, StarPrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The compliance checks every synthesis runs, and the one way to accept a finding.
 *
 * - cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 rev 5 packs over the construct tree;
 * - the AWS Control Tower proactive controls (CloudFormation Guard rules, through
 *   `@cdklabs/cdk-validator-cfnguard`) over the synthesized templates — the same rules a Control
 *   Tower landing zone enforces at deploy time, so a template that passes here is not refused there.
 *
 * An accepted finding is an acknowledgement on the construct it concerns (never on a stack or the
 * app), with its reason: `Validations.of(x).acknowledge({ id, reason })` for cdk-nag ids,
 * {@link acknowledgeControl} for Control Tower controls and {@link acknowledgeHealthcarePacks} for
 * the HIPAA/NIST pair. Anything unacknowledged fails `cdk synth`.
 */
export function addComplianceChecks(app: App, options: ComplianceCheckOptions = {}): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    ...(options.controlTower === false ? [] : [controlTowerValidator()]),
  );
}

/** Options of {@link addComplianceChecks}. */
export interface ComplianceCheckOptions {
  /**
   * Run the Control Tower proactive controls (cfn-guard over the templates, ~15-40 s per synth).
   * @default true
   */
  readonly controlTower?: boolean;
}

/** The cfn-guard plugin with the bundled Control Tower rules; its output outgrows Node's 1 MB default. */
export function controlTowerValidator(): CfnGuardValidator {
  return new CfnGuardValidator({ maxBuffer: 256 * 1024 * 1024 });
}

/** The plugin name CDK prefixes to the Control Tower rule names in acknowledgement ids. */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/**
 * The Control Tower controls this app acknowledges anywhere, by their published id, with the
 * cfn-guard rule name the plugin reports (the rule files name the control in their message).
 */
export const CONTROL_TOWER_RULES = {
  'CT.S3.PR.2': 's3_bucket_logging_enabled_check',
  'CT.S3.PR.4': 's3_event_notifications_enabled_check',
  'CT.S3.PR.9': 's3_bucket_object_lock_enabled_check',
  'CT.S3.PR.10': 's3_bucket_default_encryption_kms_check',
  'CT.S3.PR.11': 's3_bucket_versioning_enabled_check',
  'CT.APIGATEWAY.PR.5': 'api_gw_v2_authorization_type_configured_check',
  'CT.CLOUDFRONT.PR.4': 'cloudfront_origin_failover_enabled_check',
  'CT.CLOUDFRONT.PR.6': 'cloudfront_custom_ssl_certificate_check',
  'CT.CLOUDFRONT.PR.7': 'cloudfront_sni_enabled_check',
  'CT.CLOUDFRONT.PR.9': 'cloudfront_security_policy_check',
  'CT.CLOUDWATCH.PR.2': 'cloudwatch_log_group_retention_period_check',
  'CT.LAMBDA.PR.2': 'lambda_function_public_access_prohibited_check',
  'CT.LAMBDA.PR.3': 'lambda_inside_vpc_check',
} as const;

/** A Control Tower control this app may acknowledge. */
export type ControlTowerControl = keyof typeof CONTROL_TOWER_RULES;

/** The acknowledgement id of a Control Tower control (`cdk-validator-cfnguard::<rule name>`). */
export const controlTowerAckId = (control: ControlTowerControl): string =>
  `${CONTROL_TOWER_PLUGIN}::${CONTROL_TOWER_RULES[control]}`;

/** Accepts a Control Tower control's finding on `scope` and everything below it, with the reason. */
export function acknowledgeControl(scope: IConstruct, control: ControlTowerControl, reason: string): void {
  Validations.of(scope).acknowledge({ id: controlTowerAckId(control), reason: `${control}: ${reason}` });
}

/**
 * Accepts the same finding of the HIPAA Security and NIST 800-53 rev 5 packs on `scope` (both packs
 * share their rule names: `HIPAA.Security-<rule>` and `NIST.800.53.R5-<rule>`).
 */
export function acknowledgeHealthcarePacks(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge(
    { id: `HIPAA.Security-${rule}`, reason },
    { id: `NIST.800.53.R5-${rule}`, reason },
  );
}

/**
 * Every KMS key of the scope gets the statement Control Tower's CT.KMS.PR.3 asks for: nobody may
 * create a grant on it unless the grant is for an AWS resource or the caller is an AWS service. The
 * services that use these keys (DynamoDB, Step Functions, CloudWatch Logs, SNS, AWS Backup) create
 * their grants for AWS resources; a person with kms:CreateGrant cannot hand the key to someone else.
 */
export class LimitKeyGrantsToAwsServices implements IAspect {
  private readonly done = new WeakSet<Key>();

  visit(node: IConstruct): void {
    if (!(node instanceof Key) || this.done.has(node)) return;
    this.done.add(node);
    node.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyGrantsNotForAwsResources',
        effect: Effect.DENY,
        principals: [new StarPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }
}

/** Options of {@link PlatformComplianceDecisions}. */
export interface PlatformComplianceDecisionsProps {
  /** The stage's log retention in days (cdk.json `logRetentionDays`). */
  readonly logRetentionDays: number;
}

/** One year, the retention Control Tower's CT.CLOUDWATCH.PR.2 asks for. */
const ONE_YEAR_DAYS = 365;

/**
 * The platform-wide design decisions, acknowledged on every resource they concern (one reason each,
 * kept here instead of copied into every construct):
 *
 * - Lambda functions run outside a VPC, without a function-level dead-letter queue and without
 *   reserved concurrency;
 * - each execution role holds its grants in CDK's per-role default policy;
 * - API Gateway's invoke permissions are scoped by an execute-api `SourceArn` built with `Fn::Join`,
 *   which CT.LAMBDA.PR.2 cannot evaluate;
 * - a stage whose `logRetentionDays` is under a year (dev) keeps its logs shorter than a year.
 */
export class PlatformComplianceDecisions implements IAspect {
  constructor(private readonly props: PlatformComplianceDecisionsProps) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnResource && node.cfnResourceType === 'AWS::Lambda::Function') {
      acknowledgeFunctionDecisions(node);
    } else if (node instanceof CfnPolicy) {
      acknowledgeHealthcarePacks(
        node,
        'IAMNoInlinePolicy',
        'Each function and service role has its own role whose only policy is the one CDK attaches to it, ' +
          'holding exactly the grants its construct adds (tested per function in test/infra); a managed ' +
          'policy shared between roles would widen every role that attaches it.',
      );
    } else if (node instanceof CfnPermission && isApiGatewayPermission(node)) {
      acknowledgeControl(
        node,
        'CT.LAMBDA.PR.2',
        'The principal is apigateway.amazonaws.com and SourceArn names this API (execute-api ARN of its ' +
          'own stage and method) through Fn::Join, which the Guard rule cannot resolve; no other caller may invoke.',
      );
    } else if (
      node instanceof CfnLogGroup &&
      typeof node.retentionInDays === 'number' &&
      node.retentionInDays < ONE_YEAR_DAYS
    ) {
      acknowledgeControl(
        node,
        'CT.CLOUDWATCH.PR.2',
        `This stage keeps logs ${this.props.logRetentionDays} days (cdk.json logRetentionDays): it is a ` +
          'development stage with synthetic test data only; the prod stage keeps them at least a year.',
      );
    }
  }
}

function acknowledgeFunctionDecisions(fn: CfnResource): void {
  const vpc =
    'The functions call only AWS regional endpoints (DynamoDB, KMS, SES, Step Functions, Cognito, ' +
    'Secrets Manager) over TLS with SigV4-signed requests and reach no private network resource; a VPC ' +
    'would add NAT gateways or interface endpoints and cold-start latency without removing an exposure.';
  acknowledgeControl(fn, 'CT.LAMBDA.PR.3', vpc);
  acknowledgeHealthcarePacks(fn, 'LambdaInsideVPC', vpc);
  acknowledgeHealthcarePacks(
    fn,
    'LambdaDLQ',
    'A function-level dead-letter queue only catches asynchronous invocations. API Gateway, Cognito and ' +
      'Step Functions invoke synchronously (Step Functions retries and catches in the state machine); the ' +
      'scheduled jobs are idempotent sweeps whose next run picks up what a failed run left.',
  );
  acknowledgeHealthcarePacks(
    fn,
    'LambdaConcurrency',
    'No reserved concurrency: a fixed cap per function would refuse logins at the Monday-morning peak; ' +
      "the account's concurrency quota is sized in docs/operations.md and API Gateway throttling and the " +
      'WAF rate rules bound the load instead.',
  );
}

function isApiGatewayPermission(permission: CfnPermission): boolean {
  return permission.principal === 'apigateway.amazonaws.com' && permission.sourceArn !== undefined;
}
