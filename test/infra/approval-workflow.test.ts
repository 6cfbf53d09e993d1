import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStateMachineDefinition } from '#local/step-functions';
import {
  API_FUNCTION_ID,
  synthWorkflowFixture,
  WORKFLOW_HANDLER_ID,
  WORKFLOW_ID,
  type WorkflowFixture,
} from '#test/helpers/workflow-app';

interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Next?: string;
}

function states(fixture: WorkflowFixture): Record<string, AslState> {
  return loadStateMachineDefinition(fixture.json, WORKFLOW_ID).States as unknown as Record<string, AslState>;
}

const tasksOf = (all: Record<string, AslState>) => Object.entries(all).filter(([, s]) => s.Type === 'Task');
const waitsOf = (all: Record<string, AslState>) =>
  tasksOf(all).filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'));

let plain: WorkflowFixture;
let withCorrection: WorkflowFixture;

beforeAll(() => {
  plain = synthWorkflowFixture({ decisionTimeout: Duration.days(30) });
  withCorrection = synthWorkflowFixture({
    decisionTimeout: Duration.days(30),
    correction: { timeout: Duration.days(14) },
  });
});

describe('ApprovalWorkflow', () => {
  it('sets TimeoutSeconds on every waitForTaskToken state when the correction loop is on', () => {
    const waits = waitsOf(states(withCorrection));

    expect(Object.fromEntries(waits.map(([name, s]) => [name, s.TimeoutSeconds]))).toEqual({
      AwaitDecision: 30 * 86_400,
      AwaitCorrection: 14 * 86_400,
    });
  });

  it('has a single wait and no correction states when the correction loop is off', () => {
    const all = states(plain);

    expect(waitsOf(all).map(([name]) => name)).toEqual(['AwaitDecision']);
    expect(all).not.toHaveProperty('AwaitCorrection');
    expect(all).not.toHaveProperty('CorrectionRequested');
  });

  it.each([
    ['without correction', () => plain],
    ['with correction', () => withCorrection],
  ])('retries transient and Lambda service errors with jittered backoff on every task (%s)', (_, fixture) => {
    for (const [name, task] of tasksOf(states(fixture()))) {
      const retried = (task.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried, name).toEqual(
        expect.arrayContaining([
          'TransientError',
          'Lambda.ServiceException',
          'Sandbox.Timedout',
          'Lambda.Unknown',
        ]),
      );
      for (const retrier of task.Retry ?? []) {
        expect(retrier, name).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: 2 });
        expect(retrier.ErrorEquals, name).not.toContain('States.Timeout');
      }
    }
  });

  it.each([
    ['without correction', () => plain],
    ['with correction', () => withCorrection],
  ])('catches every error of every task into RecordFailure, RecordFailure into Failed (%s)', (_, fixture) => {
    const all = states(fixture());
    for (const [name, task] of tasksOf(all)) {
      const catchAll = (task.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, name).toBe(name === 'RecordFailure' ? 'Failed' : 'RecordFailure');
    }
    expect(all.Failed?.Type).toBe('Fail');
  });

  it('routes a timed-out wait to expiry before the catch-all', () => {
    for (const [name, wait] of waitsOf(states(withCorrection))) {
      const catchers = wait.Catch ?? [];
      expect(catchers[0]?.ErrorEquals, name).toContain('States.Timeout');
      expect(catchers.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
    }
  });

  it('passes the task token only to the waiting tasks', () => {
    for (const [name, task] of tasksOf(states(withCorrection))) {
      const waits = task.Resource?.endsWith('.waitForTaskToken');
      expect(task.Parameters?.Payload?.['taskToken.$'], name).toBe(waits ? '$$.Task.Token' : undefined);
    }
  });

  it('logs ALL events without execution data and traces with X-Ray', () => {
    plain.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('keeps its logs for the configured retention', () => {
    plain.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('may invoke only the workflow-task handler', () => {
    const policies = plain.template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${WORKFLOW_ID}StateMachineRole`) }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } })
          .Properties.PolicyDocument.Statement,
    );
    const invoke = statements.filter((s) => JSON.stringify(s.Action).includes('lambda:'));

    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0]?.Resource)).toMatch(new RegExp(`"${WORKFLOW_HANDLER_ID}[0-9A-F]{8}"`));
    expect(JSON.stringify(invoke[0]?.Resource)).not.toContain(API_FUNCTION_ID);
  });

  it('scopes start and task-token answers of the bound API function to this state machine', () => {
    plain.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp(`^${API_FUNCTION_ID}ServiceRole`) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartExecution',
            Resource: { Ref: Match.stringLikeRegexp(`^${WORKFLOW_ID}StateMachine`) },
          }),
          Match.objectLike({
            Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            Resource: { Ref: Match.stringLikeRegexp(`^${WORKFLOW_ID}StateMachine`) },
          }),
        ]),
      },
    });
    plain.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { WORKFLOW_STATE_MACHINE_ARN: { Ref: Match.stringLikeRegexp(`^${WORKFLOW_ID}`) } },
      },
    });
  });

  it('encrypts logs and execution data with the given key when one is passed', () => {
    const fixture = synthWorkflowFixture((stack) => ({
      encryptionKey: new Key(stack, 'WorkflowKey', { enableKeyRotation: true }),
    }));

    fixture.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      EncryptionConfiguration: Match.objectLike({
        Type: 'CUSTOMER_MANAGED_KMS_KEY',
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkflowKey'), 'Arn'] },
      }),
    });
    fixture.template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkflowKey'), 'Arn'] },
    });
  });

  it('synthesizes with zero unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(() => synthWorkflowFixture({ correction: { timeout: Duration.days(14) } })).not.toThrow();
  });
});
