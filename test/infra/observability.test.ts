import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildInfra, COMMITTED_STAGES, logicalIdOf } from '#test/helpers/infra';

interface AlarmProperties {
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: readonly { Name: string; Value: unknown }[];
  readonly Metrics?: readonly {
    Expression?: string;
    MetricStat?: { Metric: { MetricName: string; Namespace: string } };
  }[];
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData?: string;
  readonly AlarmActions?: readonly unknown[];
  readonly OKActions?: readonly unknown[];
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
}

const alarmsOf = (template: Template): AlarmProperties[] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmProperties,
  );

const dimension = (alarm: AlarmProperties, name: string): unknown =>
  alarm.Dimensions?.find((d) => d.Name === name)?.Value;

/** The alarms on one metric of one resource (by the `Ref` in a dimension). */
function alarmsOn(
  template: Template,
  namespace: string,
  metricName: string,
  dimensionName: string,
  logicalId: string,
): AlarmProperties[] {
  return alarmsOf(template).filter(
    (alarm) =>
      alarm.Namespace === namespace &&
      alarm.MetricName === metricName &&
      JSON.stringify(dimension(alarm, dimensionName)) === JSON.stringify({ Ref: logicalId }),
  );
}

describe.each(COMMITTED_STAGES)('Observability (%s)', (stage) => {
  const infra = buildInfra(stage);
  const template = infra.accessTemplate;
  const topicRef = { Ref: logicalIdOf(infra.access.observability.alarmTopic) };

  it('alarms on Errors and Throttles of every Lambda function of the access stack, when any exists', () => {
    const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));

    expect(functionIds.length).toBeGreaterThan(5);
    for (const id of functionIds) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarms = alarmsOn(template, 'AWS/Lambda', metric, 'FunctionName', id);
        expect(alarms, `${metric} alarm of ${id}`).toHaveLength(1);
        expect(alarms[0]).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          Statistic: 'Sum',
        });
      }
    }
  });

  it('alarms on failed, timed-out and aborted executions of every state machine', () => {
    const machineIds = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));

    expect(machineIds.length).toBeGreaterThanOrEqual(3);
    for (const id of machineIds) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        const alarms = alarmsOn(template, 'AWS/States', metric, 'StateMachineArn', id);
        expect(alarms, `${metric} alarm of ${id}`).toHaveLength(1);
        expect(alarms[0]).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      }
    }
  });

  it('alarms on API 5xx and on p99 latency above the configured threshold', () => {
    const stageRef = { Ref: logicalIdOf(infra.access.api.restApi.deploymentStage) };

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: Match.arrayWith([{ Name: 'Stage', Value: stageRef }]),
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: Match.arrayWith([{ Name: 'Stage', Value: stageRef }]),
      ExtendedStatistic: 'p99',
      Threshold: infra.config.observability.apiP99LatencyMs,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(infra.config.observability.apiP99LatencyMs).toBe(2000);
  });

  it('alarms on DynamoDB read, write and request throttling of the table and of each index', () => {
    const dynamo = alarmsOf(template).filter((alarm) => alarm.Namespace === 'AWS/DynamoDB');
    const onTable = (alarm: AlarmProperties) => JSON.stringify(dimension(alarm, 'TableName'));
    const tableName = onTable(dynamo[0] as AlarmProperties);

    expect(tableName).toContain('eid-access');
    for (const index of [undefined, 'GSI1', 'GSI2']) {
      for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        expect(
          dynamo.filter(
            (alarm) =>
              alarm.MetricName === metric &&
              onTable(alarm) === tableName &&
              dimension(alarm, 'GlobalSecondaryIndexName') === index,
          ),
          `${metric} on ${index ?? 'the table'}`,
        ).toHaveLength(1);
      }
    }
    const throttled = alarmsOf(template).filter((alarm) =>
      alarm.Metrics?.some((m) => m.MetricStat?.Metric.MetricName === 'ThrottledRequests'),
    );
    expect(throttled).toHaveLength(1);
    expect(throttled[0]?.Metrics?.find((m) => m.Expression)?.Expression).toMatch(/^SUM\(\[FILL\(/);
  });

  it('alarms on the SES account bounce rate above 5% and complaint rate above 0.1%', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.001,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on Cognito throttling of the UserAuthentication and UserFederation quota categories', () => {
    for (const category of ['UserAuthentication', 'UserFederation']) {
      const alarms = alarmsOf(template).filter(
        (alarm) => alarm.Namespace === 'AWS/Usage' && dimension(alarm, 'Resource') === category,
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        MetricName: 'ThrottleCount',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(Object.fromEntries((alarms[0]?.Dimensions ?? []).map((d) => [d.Name, d.Value]))).toEqual({
        Service: 'Cognito user pools',
        Type: 'API',
        Resource: category,
        Class: 'None',
      });
    }
  });

  it('counts the API stage 429 answers from the access logs and alarms on them', () => {
    const accessLogGroup = logicalIdOf(infra.access.api.accessLogGroup);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: accessLogGroup },
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        Match.objectLike({ MetricNamespace: 'eid-access', MetricName: 'ApiThrottled', MetricValue: '1' }),
      ],
    });
    const alarms = alarmsOf(template).filter((alarm) => alarm.MetricName === 'ApiThrottled');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ Namespace: 'eid-access', Statistic: 'Sum', Threshold: 0 });
  });

  it('alarms on BisSequenceExhausted with exactly the service dimension the BIS functions emit it with', () => {
    const alarms = alarmsOf(template).filter((alarm) => alarm.MetricName === 'BisSequenceExhausted');
    const bisServiceNames = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .filter((name) => name === 'bis');

    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      Namespace: 'eid-access',
      Dimensions: [{ Name: 'service', Value: 'bis' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(bisServiceNames.length).toBeGreaterThanOrEqual(2);
  });

  it('sends every alarm and its recovery to the alarm topic and treats missing data as not breaching', () => {
    const alarms = alarmsOf(template);

    expect(alarms.length).toBeGreaterThan(20);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([topicRef]);
      expect(alarm.OKActions).toEqual([topicRef]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('encrypts the alarm topic with a rotating key CloudWatch may use, and refuses plain HTTP', () => {
    const topicId = logicalIdOf(infra.access.observability.alarmTopic);
    const keyArn = template.findResources('AWS::SNS::Topic')[topicId]?.Properties.KmsMasterKeyId;

    expect(keyArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const keyId = (keyArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    const keyPolicy = template.findResources('AWS::KMS::Key')[keyId]?.Properties.KeyPolicy;
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('creates a dashboard with the API, Lambda, workflow, table, mail and login trigger widgets', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));

    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const title of [
      'API requests and errors',
      'API latency',
      'Lambda errors and throttles',
      'Lambda duration p99 (ms)',
      'Login triggers: duration (ms)',
      'DynamoDB consumed capacity',
      'DynamoDB throttles',
      'Mail reputation (account)',
      'Workflow Bis/Workflow',
      'Workflow Rights/Workflow',
      'Workflow Organisations/Workflow',
      'Requests by route',
    ]) {
      expect(body, title).toContain(title);
    }
    expect(body).toMatch(/SEARCH\(.*eid-access.*,service,route\} MetricName=.*Latency.*'p99', 300\)/);
  });
});

describe('Observability config', () => {
  it('sends the alarms to an existing topic and subscribes the alarm mailbox when configured', () => {
    const dev = buildInfra('dev');
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:on-call';
    const infra = buildInfra('dev', {
      config: {
        ...dev.config,
        observability: { alarmTopicArn: topicArn, alarmEmail: 'ops@example.be', apiP99LatencyMs: 1500 },
      },
    });
    const template = infra.accessTemplate;

    expect(Object.keys(template.findResources('AWS::SNS::Topic'))).not.toContain(
      logicalIdOf(dev.access.observability.alarmTopic),
    );
    for (const alarm of alarmsOf(template)) expect(alarm.AlarmActions).toEqual([topicArn]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.be',
      TopicArn: topicArn,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 1500 });
  });
});
