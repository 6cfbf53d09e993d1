import { Duration } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIS_API_TABLE_ACTIONS, BIS_TASK_TABLE_ACTIONS } from '#lib/constructs/bis-registration';
import {
  actionsOf,
  awsSolutionsFindings,
  dynamoDbStatements,
  functionEnvironment,
  leadingKeysOf,
  logicalIdOf,
  routeSummaries,
  statementsOfRole,
  type TemplateStatement,
  tableStatementsOf,
  taskTokenTimeouts,
  workflowStates,
} from '#test/helpers/infra';
import { AGENTS_EMAIL, type BisFixture, synthBisFixture } from '#test/integration/bis/bis-stack';

let fixture: BisFixture;

beforeAll(() => {
  fixture = synthBisFixture();
});

const roleStatements = (role: 'api' | 'task'): TemplateStatement[] => {
  const fn = role === 'api' ? fixture.bis.apiFunction : fixture.bis.workflowTaskFunction;
  return statementsOfRole(fixture.template, logicalIdOf(fn.role));
};

const environmentOf = (logicalId: string) => functionEnvironment(fixture.json, logicalId);

describe('BisRegistration', () => {
  it('waits 30 days for a decision and 30 days for a correction when no timeouts are given', () => {
    const states = workflowStates(fixture.json, 'BisWorkflow');

    expect(taskTokenTimeouts(states)).toEqual({
      AwaitDecision: 30 * 86_400,
      AwaitCorrection: 30 * 86_400,
    });
  });

  it('uses the configured timeouts when given', () => {
    const custom = synthBisFixture({ reviewTimeout: Duration.days(10), correctionTimeout: Duration.days(5) });
    const states = workflowStates(custom.json, 'BisWorkflow');

    expect(states.AwaitDecision?.TimeoutSeconds).toBe(10 * 86_400);
    expect(states.AwaitCorrection?.TimeoutSeconds).toBe(5 * 86_400);
  });

  it('grants the API function only its table actions, on the table and its queues on GSI1 only', () => {
    const { table, indexes } = tableStatementsOf(dynamoDbStatements(roleStatements('api')));

    expect(table).toHaveLength(1);
    expect(actionsOf(table).sort()).toEqual(BIS_API_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort());
    expect(Object.keys(indexes)).toEqual(['GSI1']);
    expect(actionsOf(indexes.GSI1 ?? [])).toEqual(['dynamodb:Query']);
    expect(leadingKeysOf(indexes.GSI1?.[0] as TemplateStatement)).toEqual(['BIS_QUEUE#*']);
    expect(JSON.stringify([...table, ...(indexes.GSI1 ?? [])].map((s) => s.Resource))).not.toContain('*');
  });

  it('grants the workflow-task function only its table actions, on the base table only', () => {
    const statements = dynamoDbStatements(roleStatements('task'));

    expect(actionsOf(statements).sort()).toEqual(BIS_TASK_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort());
    expect(actionsOf(statements)).not.toContain('dynamodb:Query');
    expect(JSON.stringify(statements.map((s) => s.Resource))).not.toContain('/index/');
  });

  it('lets only the API function start executions and answer task tokens of this state machine', () => {
    const api = actionsOf(roleStatements('api'));
    const task = actionsOf(roleStatements('task'));
    const stateMachineId = logicalIdOf(fixture.bis.workflow.stateMachine);

    expect(api).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess']));
    expect(task.filter((a) => a.startsWith('states:'))).toEqual([]);
    for (const statement of roleStatements('api').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('states:')),
    )) {
      expect(statement.Resource).toEqual({ Ref: stateMachineId });
    }
  });

  it('lets only the workflow-task function send mail', () => {
    expect(actionsOf(roleStatements('task'))).toContain('ses:SendEmail');
    expect(actionsOf(roleStatements('api'))).not.toContain('ses:SendEmail');
  });

  it('decrypts with the table key only through DynamoDB', () => {
    for (const role of ['api', 'task'] as const) {
      const kms = roleStatements(role).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
      expect(kms, role).toHaveLength(1);
      expect(JSON.stringify(kms[0]?.Condition), role).toContain('kms:ViaService');
    }
  });

  it('sets the environment each handler reads', () => {
    const api = environmentOf(fixture.apiLogicalId);
    const task = environmentOf(fixture.workflowTaskLogicalId);

    expect(Object.keys(api)).toEqual(expect.arrayContaining(['TABLE_NAME', 'BIS_STATE_MACHINE_ARN']));
    expect(task).toMatchObject({ BIS_AGENTS_EMAIL: AGENTS_EMAIL });
    expect(Object.keys(task)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'MAIL_FROM', 'MAIL_TEMPLATE_PREFIX', 'MAIL_CONFIGURATION_SET']),
    );
    expect(Object.keys(task)).not.toContain('BIS_STATE_MACHINE_ARN');
  });

  it('exposes the five BIS routes with their access rules', () => {
    expect(routeSummaries(fixture.bis.routes)).toEqual([
      'POST /bis-registrations authenticated',
      'GET /bis-registrations/{id} authenticated',
      'POST /bis-registrations/{id}/corrections authenticated',
      'GET /agent/bis-registrations group',
      'POST /agent/bis-registrations/{id}/decision group',
    ]);
  });

  it('reports no cdk-nag AwsSolutions finding for its resources', () => {
    expect(awsSolutionsFindings(fixture.stack)).toEqual([]);
  });

  it('refuses an agents mailbox that is not an e-mail address', () => {
    expect(() => synthBisFixture({ agentsEmail: 'bis agents' })).toThrow(/agentsEmail/);
  });
});
