import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GRANT_EXPIRY_TABLE_ACTIONS,
  RIGHTS_API_TABLE_ACTIONS,
  RIGHTS_TASK_TABLE_ACTIONS,
} from '#lib/constructs/rights';
import { loadStateMachineDefinition } from '#local/step-functions';
import { EXPIRY_SHARD_IDS } from '#shared/keys';
import {
  actionsOf,
  awsSolutionsFindings,
  dynamoDbStatements,
  functionEnvironment,
  logicalIdOf,
  routeSummaries,
  statementsOfRole,
  type TemplateStatement,
  tableStatementsOf,
  taskTokenTimeouts,
  workflowStates,
} from '#test/helpers/infra';
import { type RightsFixture, synthRightsFixture } from '#test/integration/rights/rights-stack';

let fixture: RightsFixture;

beforeAll(() => {
  fixture = synthRightsFixture();
});

type Role = 'api' | 'task' | 'expiry';
const functionOf = (role: Role) =>
  role === 'api'
    ? fixture.rights.apiFunction
    : role === 'task'
      ? fixture.rights.workflowTaskFunction
      : fixture.rights.grantExpiryFunction;
const roleStatements = (role: Role): TemplateStatement[] =>
  statementsOfRole(fixture.template, logicalIdOf(functionOf(role).role));
const environmentOf = (logicalId: string) => functionEnvironment(fixture.json, logicalId);

describe('Rights', () => {
  it('waits 30 days for a decision and has no correction loop when no timeout is given', () => {
    const states = workflowStates(fixture.json, 'RightsWorkflow');

    expect(taskTokenTimeouts(states)).toEqual({
      AwaitDecision: 30 * 86_400,
    });
  });

  it('uses the configured decision timeout when given', () => {
    const custom = synthRightsFixture({ decisionTimeout: Duration.days(7) });
    const states = workflowStates(custom.json, 'RightsWorkflow');

    expect(states.AwaitDecision?.TimeoutSeconds).toBe(7 * 86_400);
  });

  it.each([
    ['api', RIGHTS_API_TABLE_ACTIONS, 'GSI1', 'GSI2'],
    ['task', RIGHTS_TASK_TABLE_ACTIONS, 'GSI1', 'GSI2'],
  ] as const)(
    'grants the %s function only its table actions and the index it queries',
    (role, actions, index, other) => {
      const { table, indexes } = tableStatementsOf(dynamoDbStatements(roleStatements(role)));

      expect(table).toHaveLength(1);
      expect(actionsOf(table).sort()).toEqual(actions.map((a) => `dynamodb:${a}`).sort());
      expect(Object.keys(indexes)).toEqual([index]);
      expect(actionsOf(indexes[index] ?? [])).toEqual(['dynamodb:Query']);
      expect(JSON.stringify(Object.keys(indexes))).not.toContain(other);
      expect(JSON.stringify([...table, ...(indexes[index] ?? [])].map((s) => s.Resource))).not.toContain('*');
    },
  );

  it('grants the expiry function only its table actions and the two indexes its fan-out queries', () => {
    const { table, indexes } = tableStatementsOf(dynamoDbStatements(roleStatements('expiry')));

    expect(actionsOf(table).sort()).toEqual(GRANT_EXPIRY_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort());
    expect(Object.keys(indexes).sort()).toEqual(['GSI1', 'GSI2']);
    for (const statements of Object.values(indexes))
      expect(actionsOf(statements)).toEqual(['dynamodb:Query']);
  });

  it('lets only the API function start executions and answer task tokens, on this state machine', () => {
    const stateMachineId = logicalIdOf(fixture.rights.workflow.stateMachine);
    expect(actionsOf(roleStatements('api'))).toEqual(
      expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess']),
    );
    for (const role of ['task', 'expiry'] as const) {
      expect(
        actionsOf(roleStatements(role)).filter((a) => a.startsWith('states:')),
        role,
      ).toEqual([]);
    }
    for (const statement of roleStatements('api').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('states:')),
    )) {
      expect(statement.Resource).toEqual({ Ref: stateMachineId });
    }
  });

  it('lets the task and expiry functions send mail, and not the API', () => {
    expect(actionsOf(roleStatements('task'))).toContain('ses:SendEmail');
    expect(actionsOf(roleStatements('expiry'))).toContain('ses:SendEmail');
    expect(actionsOf(roleStatements('api'))).not.toContain('ses:SendEmail');
  });

  it('decrypts with the table key only through DynamoDB', () => {
    for (const role of ['api', 'task', 'expiry'] as const) {
      const kms = roleStatements(role).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
      expect(kms, role).toHaveLength(1);
      expect(JSON.stringify(kms[0]?.Condition), role).toContain('kms:ViaService');
    }
  });

  it('sets the environment each handler reads, with a state machine variable unique to rights', () => {
    const api = environmentOf(fixture.apiLogicalId);
    const task = environmentOf(fixture.workflowTaskLogicalId);
    const expiry = environmentOf(fixture.grantExpiryLogicalId);

    expect(Object.keys(api)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'RIGHT_REQUEST_STATE_MACHINE_ARN']),
    );
    for (const env of [task, expiry]) {
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'MAIL_FROM', 'MAIL_TEMPLATE_PREFIX', 'MAIL_CONFIGURATION_SET']),
      );
      expect(Object.keys(env)).not.toContain('RIGHT_REQUEST_STATE_MACHINE_ARN');
    }
  });

  it('starts the expiry state machine once a day at 03:00 UTC with the scheduled time, with retries', () => {
    const stateMachineId = logicalIdOf(fixture.rights.grantExpiryRun.stateMachine);
    fixture.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Target: {
        Arn: { Ref: stateMachineId },
        Input: JSON.stringify({ at: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      },
    });
  });

  it('fans the expiry out over the 16 shards and the unsharded partition, each call retried and bounded', () => {
    const json = fixture.json as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const definition = loadStateMachineDefinition(json, (id) => id.startsWith('RightsGrantExpiryRun'));
    const states = definition.States as unknown as Record<string, Record<string, unknown>>;
    const plan = states.Plan?.Parameters as { sweep: string[]; send: string[] };
    const sweep = states.SweepShards as {
      MaxConcurrency: number;
      ItemProcessor: { States: Record<string, Record<string, unknown>> };
    };

    expect(plan.sweep).toEqual([...EXPIRY_SHARD_IDS, 'unsharded']);
    expect(plan.send).toEqual(EXPIRY_SHARD_IDS);
    expect(sweep.MaxConcurrency).toBe(16);
    expect((states.SendNotices as { MaxConcurrency: number }).MaxConcurrency).toBe(4);
    const page = sweep.ItemProcessor.States.SweepPage as {
      Retry: { ErrorEquals: string[] }[];
      Parameters: unknown;
    };
    expect(page.Retry.flatMap((retry) => retry.ErrorEquals)).toEqual(
      expect.arrayContaining(['TransientError', 'Sandbox.Timedout', 'Lambda.TooManyRequestsException']),
    );
    expect(JSON.stringify(page.Parameters)).toContain(fixture.grantExpiryLogicalId);
    fixture.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false, Level: 'ALL' }),
    });
    fixture.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Daily grant expiry calls'),
      Timeout: 60,
    });
  });

  it('refuses an expiry hour outside 0-23', () => {
    expect(() => synthRightsFixture({ expiryRunHourUtc: 24 })).toThrow(/expiryRunHourUtc/);
  });

  it('exposes the eight rights routes, all authenticated (organisation rules are checked on data)', () => {
    expect(routeSummaries(fixture.rights.routes)).toEqual([
      'GET /applications authenticated',
      'POST /organisations/{orgCode}/right-requests authenticated',
      'GET /organisations/{orgCode}/right-requests authenticated',
      'POST /organisations/{orgCode}/right-requests/{requestId}/decision authenticated',
      'GET /organisations/{orgCode}/grants authenticated',
      'POST /organisations/{orgCode}/grants authenticated',
      'DELETE /organisations/{orgCode}/grants/{grantId} authenticated',
      'GET /organisations/{orgCode}/audit authenticated',
    ]);
  });

  it('reports no cdk-nag AwsSolutions finding for its resources', () => {
    expect(awsSolutionsFindings(fixture.stack)).toEqual([]);
  });
});
