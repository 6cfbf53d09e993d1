import { ArnFormat, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IMetric,
  MathExpression,
  Metric,
  PeriodOverride,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE } from '#shared/telemetry';

/** Properties of {@link Observability}. */
export interface ObservabilityProps {
  /** The REST API: 5xx and p99 latency alarms on its deployment stage. */
  readonly restApi: RestApi;
  /** The single table (from the data stack): throttling alarms and capacity on the dashboard. */
  readonly table: ITable;
  /**
   * The table's global secondary indexes, each with its own throttling alarms.
   * @default - none
   */
  readonly tableIndexNames?: readonly string[];
  /**
   * The Cognito triggers on every login's critical path: their duration gets its own dashboard row.
   * @default - none
   */
  readonly loginFunctions?: readonly IFunction[];
  /**
   * The SES bounce and complaint topic (`Notifications.mailEventsTopic`), shown on the dashboard.
   * @default - not shown
   */
  readonly mailEventsTopic?: ITopic;
  /**
   * An existing topic to send the alarms to, by ARN; its key policy must let CloudWatch use the key.
   * @default - a new topic encrypted with a new customer-managed key
   */
  readonly alarmTopicArn?: string;
  /**
   * Mailbox subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * API Gateway latency p99 (per 5 minutes) above which the latency alarm fires.
   * @default Duration.millis(2000)
   */
  readonly apiP99Latency?: Duration;
  /**
   * The API's access log group (JSON lines with `status`, `lib/constructs/api.ts`): a metric filter
   * counts the 429 answers (stage throttling) into {@link API_THROTTLED_METRIC}, alarmed on. REST
   * APIs publish no metric of their own for 429.
   * @default - no 429 alarm
   */
  readonly apiAccessLogGroup?: ILogGroup;
  /**
   * Removal policy of the alarm topic's key.
   * @default RemovalPolicy.RETAIN
   */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The count of API answers with status 429 (stage throttling), from the access logs. */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/**
 * The Cognito user pool request-rate categories a login and a refresh use (docs/operations.md,
 * capacity plan): federated sign-ins (`/oauth2/idpresponse`, `/saml2/idpresponse`) count against
 * UserFederation, token requests and refreshes against UserAuthentication. Cognito publishes their
 * quota usage to `AWS/Usage` (`CallCount`, `ThrottleCount`; dimensions Service, Type, Resource, Class).
 */
export const COGNITO_QUOTA_CATEGORIES = ['UserAuthentication', 'UserFederation'] as const;

/** SES puts an account under review at a 10% bounce rate or 0.5% complaint rate: warn at half. */
const SES_BOUNCE_RATE = 0.05;
const SES_COMPLAINT_RATE = 0.001;

/** DynamoDB operations whose throttling is summed into one alarm (a metric-math alarm takes 10 metrics). */
const TABLE_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
] as const;

/** A Lambda function or state machine of the stack, as the alarms and dashboard see it. */
interface Watched {
  /** Path below the stack without the L1/L2 tail, e.g. `Bis/Api`. */
  readonly label: string;
  /** Function name or state machine ARN. */
  readonly ref: string;
}

/**
 * Alarms and a dashboard for the access stack. Create it **last** in the stack: it alarms on every
 * Lambda function and every state machine the stack holds at that point, whoever created them (our
 * `ServiceFunction`s, CDK's own singleton functions), so a new function cannot go unwatched.
 *
 * Alarms (all `> threshold` on one 5-minute period unless said otherwise, missing data is not
 * breaching, alarm and OK actions to the alarm topic):
 * - per function: `Errors > 0`, `Throttles > 0`;
 * - per state machine: `ExecutionsFailed`, `ExecutionsTimedOut`, `ExecutionsAborted > 0`;
 * - API stage: `5XXError > 0`, `Latency p99 > apiP99Latency` (2 of 3 periods);
 * - table and each index: `ReadThrottleEvents`, `WriteThrottleEvents > 0`; table `ThrottledRequests`
 *   summed over the operations the platform uses;
 * - SES account reputation: `Reputation.BounceRate > 5%`, `Reputation.ComplaintRate > 0.1%` (15 min);
 * - Cognito: `AWS/Usage` `ThrottleCount > 0` of the UserAuthentication and UserFederation categories
 *   (account-wide quota usage: a login or refresh was refused);
 * - API stage: answers with status 429 (stage throttling) `> 0`, counted from the access logs;
 * - BIS: `BisSequenceExhausted > 0` (namespace `eid-access`, `service` `bis`): an approval found every
 *   BIS number of a birth date and sex taken (docs/bis-sequence-exhaustion.md).
 *
 * The dashboard shows the API (requests, 4xx/5xx, latency p50/p99 and per route from the functions'
 * EMF metrics), functions (errors, throttles, duration p99), the login triggers' duration, the state
 * machines, the table and mail reputation.
 */
export class Observability extends Construct {
  /** Where every alarm goes. */
  readonly alarmTopic: ITopic;
  /** Every alarm created, in creation order. */
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;

  private readonly created: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmTopic = props.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)
      : this.createAlarmTopic(props.keyRemovalPolicy ?? RemovalPolicy.RETAIN);
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.alarmTopic);
    this.alarms = this.created;

    const functions = watched(stack, 'AWS::Lambda::Function');
    const stateMachines = watched(stack, 'AWS::StepFunctions::StateMachine');

    const functionAlarms = new Construct(this, 'Functions');
    for (const fn of functions) {
      const scope = new Construct(functionAlarms, constructId(fn.label));
      this.alarm(scope, 'Errors', lambdaMetric('Errors', fn.ref), 0, `Lambda ${fn.label} threw errors`);
      this.alarm(
        scope,
        'Throttles',
        lambdaMetric('Throttles', fn.ref),
        0,
        `Lambda ${fn.label} was throttled`,
      );
    }

    const stateMachineAlarms = new Construct(this, 'StateMachines');
    for (const machine of stateMachines) {
      const scope = new Construct(stateMachineAlarms, constructId(machine.label));
      for (const [name, what] of [
        ['ExecutionsFailed', 'failed'],
        ['ExecutionsTimedOut', 'timed out'],
        ['ExecutionsAborted', 'were aborted'],
      ] as const) {
        this.alarm(scope, name, statesMetric(name, machine.ref), 0, `Executions of ${machine.label} ${what}`);
      }
    }

    const stage = props.restApi.deploymentStage;
    const apiScope = new Construct(this, 'Api');
    const p99Latency = props.apiP99Latency ?? Duration.millis(2000);
    this.alarm(
      apiScope,
      'ServerErrors',
      stage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      'The API answered 5xx',
    );
    this.alarm(
      apiScope,
      'LatencyP99',
      stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      p99Latency.toMilliseconds(),
      `API latency p99 above ${p99Latency.toMilliseconds()} ms`,
      { evaluationPeriods: 3, datapointsToAlarm: 2 },
    );

    const tableScope = new Construct(this, 'Table');
    const tableTargets: { id: string; label: string; dimensions: Record<string, string> }[] = [
      { id: 'Table', label: 'the table', dimensions: { TableName: props.table.tableName } },
      ...(props.tableIndexNames ?? []).map((index) => ({
        id: constructId(index),
        label: `index ${index}`,
        dimensions: { TableName: props.table.tableName, GlobalSecondaryIndexName: index },
      })),
    ];
    for (const target of tableTargets) {
      for (const name of ['ReadThrottleEvents', 'WriteThrottleEvents'] as const) {
        this.alarm(
          tableScope,
          `${target.id}${name}`,
          dynamoMetric(name, target.dimensions),
          0,
          `DynamoDB ${name} on ${target.label}`,
        );
      }
    }
    const throttledRequests = throttledRequestsOf(props.table);
    this.alarm(tableScope, 'ThrottledRequests', throttledRequests, 0, 'DynamoDB throttled requests');

    const sesScope = new Construct(this, 'Mail');
    const bounceRate = sesMetric('Reputation.BounceRate');
    const complaintRate = sesMetric('Reputation.ComplaintRate');
    this.alarm(sesScope, 'BounceRate', bounceRate, SES_BOUNCE_RATE, 'SES account bounce rate above 5%');
    this.alarm(sesScope, 'ComplaintRate', complaintRate, SES_COMPLAINT_RATE, 'SES complaint rate above 0.1%');

    const cognitoScope = new Construct(this, 'Cognito');
    for (const category of COGNITO_QUOTA_CATEGORIES) {
      this.alarm(
        cognitoScope,
        `${category}Throttles`,
        cognitoUsageMetric('ThrottleCount', category),
        0,
        `Cognito throttled ${category} requests: raise the quota (docs/operations.md, capacity plan)`,
      );
    }
    if (props.apiAccessLogGroup) {
      new MetricFilter(apiScope, 'ThrottledFilter', {
        logGroup: props.apiAccessLogGroup,
        filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
        metricNamespace: METRICS_NAMESPACE,
        metricName: API_THROTTLED_METRIC,
        metricValue: '1',
        defaultValue: 0,
      });
      this.alarm(
        apiScope,
        'Throttled',
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: API_THROTTLED_METRIC,
          statistic: 'Sum',
          period: FIVE_MINUTES,
        }),
        0,
        'The API stage answered 429 (throttling): raise the stage throttle (docs/operations.md, capacity plan)',
      );
    }

    const bisScope = new Construct(this, 'Bis');
    this.alarm(
      bisScope,
      'SequenceExhausted',
      signalMetric(METRIC_NAMES.bisSequenceExhausted, 'bis'),
      0,
      'A BIS approval found every number of a birth date and sex taken: follow docs/bis-sequence-exhaustion.md',
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      periodOverride: PeriodOverride.AUTO,
    });
    const wide = (
      title: string,
      left: IMetric[],
      extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {},
    ) => new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const routeSearch = (metric: string, statistic: string) =>
      new MathExpression({
        // The namespace is quoted: it holds a '-'.
        expression: `SEARCH('{"${METRICS_NAMESPACE}",service,route} MetricName="${metric}"', '${statistic}', 300)`,
        usingMetrics: {},
        period: FIVE_MINUTES,
      });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# eid-access ${stack.stackName}\nAlarms go to the alarm topic. Custom metrics: namespace \`${METRICS_NAMESPACE}\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      wide('API requests and errors', [
        stage.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Requests' }),
        stage.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        stage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ]),
      wide(
        'API latency',
        [
          stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'p50' }),
          stage.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'p99' }),
          stage.metricIntegrationLatency({
            period: FIVE_MINUTES,
            statistic: 'p99',
            label: 'integration p99',
          }),
        ],
        { leftAnnotations: [threshold(p99Latency.toMilliseconds(), 'p99 alarm')] },
      ),
    );
    this.dashboard.addWidgets(
      wide('Requests by route', [routeSearch(METRIC_NAMES.requests, 'Sum')]),
      wide('Handler latency p99 by route (ms)', [routeSearch(METRIC_NAMES.latency, 'p99')]),
    );
    this.dashboard.addWidgets(
      wide(
        'Lambda errors and throttles',
        functions.flatMap((fn) => [
          lambdaMetric('Errors', fn.ref, `${fn.label} errors`),
          lambdaMetric('Throttles', fn.ref, `${fn.label} throttles`),
        ]),
      ),
      wide(
        'Lambda duration p99 (ms)',
        functions.map((fn) => lambdaMetric('Duration', fn.ref, fn.label, 'p99')),
      ),
    );
    const loginFunctions = props.loginFunctions ?? [];
    if (loginFunctions.length > 0) {
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'Login triggers: duration (ms)',
          left: loginFunctions.flatMap((fn) => [
            fn.metricDuration({
              period: FIVE_MINUTES,
              statistic: 'p50',
              label: `${fn.node.scope?.node.id} p50`,
            }),
            fn.metricDuration({
              period: FIVE_MINUTES,
              statistic: 'p99',
              label: `${fn.node.scope?.node.id} p99`,
            }),
          ]),
          leftAnnotations: [threshold(5000, 'Cognito gives up')],
          width: 12,
          height: 6,
        }),
        wide(
          'Login triggers: invocations and errors',
          loginFunctions.flatMap((fn) => [
            fn.metricInvocations({ period: FIVE_MINUTES, label: `${fn.node.scope?.node.id} invocations` }),
            fn.metricErrors({ period: FIVE_MINUTES, label: `${fn.node.scope?.node.id} errors` }),
          ]),
        ),
      );
    }
    this.dashboard.addWidgets(
      ...stateMachines.map(
        (machine) =>
          new GraphWidget({
            title: `Workflow ${machine.label}`,
            left: (
              ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'] as const
            ).map((name) => statesMetric(name, machine.ref, name.replace('Executions', ''))),
            width: 8,
            height: 6,
          }),
      ),
    );
    this.dashboard.addWidgets(
      wide('DynamoDB consumed capacity', [
        dynamoMetric('ConsumedReadCapacityUnits', { TableName: props.table.tableName }, 'read'),
        dynamoMetric('ConsumedWriteCapacityUnits', { TableName: props.table.tableName }, 'write'),
      ]),
      wide('DynamoDB throttles', [
        ...tableTargets.flatMap((target) => [
          dynamoMetric('ReadThrottleEvents', target.dimensions, `${target.label} read`),
          dynamoMetric('WriteThrottleEvents', target.dimensions, `${target.label} write`),
        ]),
        throttledRequests,
      ]),
    );
    this.dashboard.addWidgets(
      wide(
        'Mail reputation (account)',
        [bounceRate.with({ label: 'bounce rate' }), complaintRate.with({ label: 'complaint rate' })],
        {
          leftAnnotations: [
            threshold(SES_BOUNCE_RATE, 'bounce alarm'),
            threshold(SES_COMPLAINT_RATE, 'complaint alarm'),
          ],
        },
      ),
      ...(props.mailEventsTopic
        ? [
            wide('Mail bounces, complaints, rejects', [
              props.mailEventsTopic.metricNumberOfMessagesPublished({
                period: FIVE_MINUTES,
                label: 'events',
              }),
            ]),
          ]
        : []),
    );
  }

  private createAlarmTopic(removalPolicy: RemovalPolicy): ITopic {
    const stack = Stack.of(this);
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: `Encrypts the alarm topic of ${stack.stackName}`,
      removalPolicy,
    });
    const alarmArns = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': alarmArns },
        },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `${stack.stackName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': alarmArns },
        },
      }),
    );
    return topic;
  }

  private alarm(
    scope: Construct,
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    options: { evaluationPeriods?: number; datapointsToAlarm?: number } = {},
  ): Alarm {
    const alarm = new Alarm(scope, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      ...(options.datapointsToAlarm ? { datapointsToAlarm: options.datapointsToAlarm } : {}),
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.created.push(alarm);
    return alarm;
  }
}

/**
 * Every resource of a CloudFormation type in the stack, labelled by its construct path: L1s of L2s and
 * also plain `CfnResource`s (the functions of CDK's custom resource providers are not `CfnFunction`s).
 */
function watched(stack: Stack, type: string): Watched[] {
  return stack.node
    .findAll()
    .filter(
      (construct): construct is CfnResource =>
        CfnResource.isCfnResource(construct) && construct.cfnResourceType === type,
    )
    .map((resource) => ({ label: labelOf(stack, resource), ref: resource.ref }));
}

/** `eid-access-dev-access/Bis/Api/Function/Resource` → `Bis/Api`. */
function labelOf(stack: Stack, resource: IConstruct): string {
  const parts = resource.node.path.slice(stack.node.path.length + 1).split('/');
  while (parts.length > 1 && ['Resource', 'Function', 'StateMachine'].includes(parts.at(-1) ?? '')) {
    parts.pop();
  }
  return parts.join('/');
}

/** A construct id from a label: letters and digits only (`Bis/Api` → `BisApi`). */
function constructId(label: string): string {
  return label.replace(/[^A-Za-z0-9]/g, '') || 'Unnamed';
}

function lambdaMetric(name: string, functionName: string, label?: string, statistic = 'Sum'): Metric {
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName: name,
    dimensionsMap: { FunctionName: functionName },
    statistic,
    period: FIVE_MINUTES,
    ...(label ? { label } : {}),
  });
}

function statesMetric(name: string, stateMachineArn: string, label?: string): Metric {
  return new Metric({
    namespace: 'AWS/States',
    metricName: name,
    dimensionsMap: { StateMachineArn: stateMachineArn },
    statistic: 'Sum',
    period: FIVE_MINUTES,
    ...(label ? { label } : {}),
  });
}

function dynamoMetric(name: string, dimensions: Record<string, string>, label?: string): Metric {
  return new Metric({
    namespace: 'AWS/DynamoDB',
    metricName: name,
    dimensionsMap: dimensions,
    statistic: 'Sum',
    period: FIVE_MINUTES,
    ...(label ? { label } : {}),
  });
}

function throttledRequestsOf(table: ITable): MathExpression {
  const usingMetrics = Object.fromEntries(
    TABLE_OPERATIONS.map((operation, index) => [
      `t${index}`,
      dynamoMetric('ThrottledRequests', { TableName: table.tableName, Operation: operation }),
    ]),
  );
  return new MathExpression({
    // Each operation's series exists only while it is throttled: sum what is there, gaps as 0.
    expression: `SUM([${Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(', ')}])`,
    usingMetrics,
    label: 'throttled requests',
    period: FIVE_MINUTES,
  });
}

/** Account-level SES reputation (0..1); SES publishes it with no dimension. */
function sesMetric(name: string): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName: name,
    statistic: 'Maximum',
    period: Duration.minutes(15),
  });
}

/** Account-wide quota usage of a Cognito user pool request-rate category. */
function cognitoUsageMetric(name: 'CallCount' | 'ThrottleCount', category: string): Metric {
  return new Metric({
    namespace: 'AWS/Usage',
    metricName: name,
    dimensionsMap: { Service: 'Cognito user pools', Type: 'API', Resource: category, Class: 'None' },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });
}

/** An operator signal of the functions (`emitSignal`): dimension `service` only. */
function signalMetric(name: string, service: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service },
    statistic: 'Sum',
    period: FIVE_MINUTES,
  });
}

function threshold(value: number, label: string): HorizontalAnnotation {
  return { value, label };
}
