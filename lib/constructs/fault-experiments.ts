import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AlarmRule, AlarmState, CompositeAlarm, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnExperimentTemplate } from 'aws-cdk-lib/aws-fis';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type Function as LambdaFunction, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** One function the experiments may fail, with the name operators read in the runbook. */
export interface FaultTarget {
  /** Short, stable label (`Rights/WorkflowTask`). */
  readonly label: string;
  readonly function: LambdaFunction;
}

/** Properties of {@link FaultExperiments}. */
export interface FaultExperimentsProps {
  /** The API and workflow functions that get the FIS Lambda extension and are the experiments' targets. */
  readonly targets: readonly FaultTarget[];
  /**
   * The stage's steady-state alarms: an experiment stops as soon as one of them fires (one composite
   * alarm, so the template stays within FIS's stop-condition quota). Pick alarms a passing experiment
   * does not trip: failed executions, API latency — not "a function threw", which the fault itself does.
   */
  readonly stopConditionAlarms: readonly IAlarm[];
  /**
   * How long each experiment injects.
   * @default 10 minutes
   */
  readonly duration?: Duration;
  /**
   * Share of invocations that fail (or are delayed), 1-100.
   * @default 10
   */
  readonly invocationPercentage?: number;
  /**
   * What happens to the configuration bucket when the stack is deleted (it holds only FIS's fault
   * configurations).
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The alarms of `Observability` that say the stage left its steady state under a fault: executions
 * that failed or timed out, and the API's p99 latency. (A function's Errors alarm is not one: the
 * injected fault trips it by design.)
 */
export function steadyStateAlarms(alarms: readonly IAlarm[]): IAlarm[] {
  return alarms.filter((alarm) => {
    const path = alarm.node.path;
    return (
      (path.includes('/StateMachines/') && /\/(ExecutionsFailed|ExecutionsTimedOut)$/.test(path)) ||
      /\/Api\/LatencyP99$/.test(path)
    );
  });
}

/** The SSM public parameter AWS publishes the FIS Lambda extension's ARM64 layer ARN under. */
export const FIS_EXTENSION_PARAMETER = '/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x';
/** Where FIS writes fault configurations and the extension reads them. */
const CONFIG_PREFIX = 'FisConfigs';

/** The experiments, by template id suffix, as the runbook names them. */
export const FAULT_EXPERIMENTS = {
  invocationErrors: 'invocation-errors',
  errorsAfterWork: 'errors-after-work',
  invocationDelays: 'invocation-delays',
} as const;

/**
 * AWS Fault Injection Service experiment templates for a non-production stage (issue 21; runbook in
 * docs/operations.md): Lambda invocation errors (before the handler runs, and after it did its work —
 * the deployed counterpart of the sandbox's `crash-after`) and added start-up delays, on the API and
 * workflow functions, through the FIS Lambda extension. Every template stops on the stage's
 * steady-state alarms.
 *
 * Wiring per target function: the extension layer (ARM64, its ARN resolved from AWS's public SSM
 * parameter at deploy time, no lookup), `AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap`,
 * `AWS_FIS_CONFIGURATION_LOCATION` and read access to that prefix only. The experiment role may write
 * that prefix and read the targets' configuration, nothing else. Create it only where the stage config
 * enables it: the extension polls its configuration on every invocation's path.
 */
export class FaultExperiments extends Construct {
  /** Where FIS writes the fault configurations. */
  readonly bucket: Bucket;
  /** The role FIS assumes to run the experiments. */
  readonly role: Role;
  /** The stop condition of every template. */
  readonly stopCondition: CompositeAlarm;
  /** The experiment templates, by {@link FAULT_EXPERIMENTS} value. */
  readonly templates: Readonly<Record<string, CfnExperimentTemplate>>;

  constructor(scope: Construct, id: string, props: FaultExperimentsProps) {
    super(scope, id);
    if (props.targets.length === 0) throw new Error('FaultExperiments needs at least one target function');
    if (props.stopConditionAlarms.length === 0) {
      throw new Error('FaultExperiments needs at least one stop-condition alarm');
    }
    const percentage = props.invocationPercentage ?? 10;
    if (!Number.isInteger(percentage) || percentage < 1 || percentage > 100) {
      throw new Error('invocationPercentage must be an integer from 1 to 100');
    }
    const duration = props.duration ?? Duration.minutes(10);

    this.bucket = new Bucket(this, 'ConfigBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
      lifecycleRules: [{ expiration: Duration.days(7) }],
    });
    const location = `${this.bucket.bucketArn}/${CONFIG_PREFIX}/`;
    const layer = LayerVersion.fromLayerVersionArn(
      this,
      'FisExtension',
      StringParameter.valueForStringParameter(this, FIS_EXTENSION_PARAMETER),
    );

    for (const target of props.targets) {
      const fn = target.function;
      if (fn.architecture !== Architecture.ARM_64) {
        throw new Error(`${target.label}: the FIS extension layer wired here is the ARM64 one`);
      }
      fn.addLayers(layer);
      fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', '/opt/aws-fis/bootstrap');
      fn.addEnvironment('AWS_FIS_CONFIGURATION_LOCATION', location);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${CONFIG_PREFIX}/*`] } },
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [`${this.bucket.bucketArn}/${CONFIG_PREFIX}/*`],
        }),
      );
    }

    this.role = new Role(this, 'ExperimentRole', {
      assumedBy: new ServicePrincipal('fis.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'AWS FIS: writes Lambda fault configurations for the stage experiments',
    });
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [`${this.bucket.bucketArn}/${CONFIG_PREFIX}/*`],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:GetFunction'],
        resources: props.targets.map((target) => target.function.functionArn),
      }),
    );

    this.stopCondition = new CompositeAlarm(this, 'StopCondition', {
      alarmDescription: 'Stops every fault experiment: the stage left its steady state',
      alarmRule: AlarmRule.anyOf(
        ...props.stopConditionAlarms.map((alarm) => AlarmRule.fromAlarm(alarm, AlarmState.ALARM)),
      ),
    });

    const targets = {
      Functions: {
        resourceType: 'aws:lambda:function',
        resourceArns: props.targets.map((target) => target.function.functionArn),
        selectionMode: 'ALL',
      },
    };
    const common = (description: string, actionId: string, parameters: Record<string, string>) => ({
      description,
      roleArn: this.role.roleArn,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: this.stopCondition.alarmArn }],
      targets,
      actions: {
        Inject: { actionId, parameters, targets: { Functions: 'Functions' } },
      },
      tags: { Name: `eid-access ${description}` },
    });
    const isoDuration = `PT${Math.round(duration.toSeconds())}S`;
    this.templates = {
      [FAULT_EXPERIMENTS.invocationErrors]: new CfnExperimentTemplate(
        this,
        'InvocationErrors',
        common('Lambda invocation errors before the handler runs', 'aws:lambda:invocation-error', {
          duration: isoDuration,
          invocationPercentage: String(percentage),
          preventExecution: 'true',
        }),
      ),
      [FAULT_EXPERIMENTS.errorsAfterWork]: new CfnExperimentTemplate(
        this,
        'ErrorsAfterWork',
        common('Lambda invocation errors after the handler did its work', 'aws:lambda:invocation-error', {
          duration: isoDuration,
          invocationPercentage: String(percentage),
          preventExecution: 'false',
        }),
      ),
      [FAULT_EXPERIMENTS.invocationDelays]: new CfnExperimentTemplate(
        this,
        'InvocationDelays',
        common('Lambda start-up delays of 2 s', 'aws:lambda:invocation-add-delay', {
          duration: isoDuration,
          invocationPercentage: String(Math.min(100, percentage * 2)),
          startupDelayMilliseconds: '2000',
        }),
      ),
    };

    const bucketArn = Stack.of(this).resolve(this.bucket.bucketArn) as { 'Fn::GetAtt'?: [string, string] };
    const prefixFinding = `AwsSolutions-IAM5[Resource::<${bucketArn['Fn::GetAtt']?.[0]}.Arn>/${CONFIG_PREFIX}/*]`;
    const policies = [...props.targets.map((target) => target.function.role), this.role].map(
      (role) => role?.node.tryFindChild('DefaultPolicy') ?? role,
    );
    for (const policy of policies) {
      if (!policy) continue;
      Validations.of(policy).acknowledge({
        id: prefixFinding,
        reason:
          'The FIS fault-configuration prefix of the experiments bucket: FIS writes one object per experiment ' +
          'under it and the extension reads them; the object names are chosen by FIS at run time.',
      });
    }
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the fault configurations FIS writes during an experiment (no personal data, expired ' +
        'after 7 days); FIS and CloudTrail record who started which experiment.',
    });
  }
}
