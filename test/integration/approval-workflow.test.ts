import { randomUUID } from 'node:crypto';
import { Duration } from 'aws-cdk-lib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_AWS,
  LocalStepFunctionsError,
  LocalWorkflowRunner,
  loadStateMachineDefinition,
  timeScaleForDay,
} from '#local/step-functions';
import { TaskTokenExpiredError, WorkflowAlreadyStartedError } from '#shared/workflow';
import { synthWorkflowFixture, WORKFLOW_HANDLER_ID, WORKFLOW_ID } from '#test/helpers/workflow-app';
import { type RecordingTaskHandler, recordingTaskHandler, transient } from '#test/helpers/workflow-handlers';

type Definition = ReturnType<typeof loadStateMachineDefinition>;

let plain: Definition;
let withCorrection: Definition;
const runners: LocalWorkflowRunner[] = [];

beforeAll(() => {
  plain = loadStateMachineDefinition(synthWorkflowFixture().json, WORKFLOW_ID);
  withCorrection = loadStateMachineDefinition(
    synthWorkflowFixture({ correction: { timeout: Duration.days(14) } }).json,
    WORKFLOW_ID,
  );
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

function setup(
  definition: Definition,
  timeScale = 1,
): { runner: LocalWorkflowRunner; tasks: RecordingTaskHandler } {
  const tasks = recordingTaskHandler();
  const runner = new LocalWorkflowRunner({
    definition,
    handlers: { [WORKFLOW_HANDLER_ID]: tasks.handler },
    stateMachineName: 'ApprovalWorkflow',
    timeScale,
  });
  runners.push(runner);
  return { runner, tasks };
}

const newRequestId = () => `req-${randomUUID()}`;

async function expectSdkError(call: Promise<unknown>, name: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LocalStepFunctionsError);
  expect((error as Error).name).toBe(name);
}

describe('loadStateMachineDefinition', () => {
  it('resolves the handler ARN with its logical id when the template joins Fn::GetAtt into the ASL', () => {
    const task = plain.States.NotifyApprovers as unknown as {
      Resource: string;
      Parameters: { FunctionName: string };
    };

    expect(task.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(task.Parameters.FunctionName).toMatch(
      new RegExp(
        `^arn:aws:lambda:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:function:${WORKFLOW_HANDLER_ID}`,
      ),
    );
  });

  it('throws when no state machine matches', () => {
    const { json } = synthWorkflowFixture();

    expect(() => loadStateMachineDefinition(json, 'NoSuchMachine')).toThrow(/found 0/);
  });
});

describe('ApprovalWorkflow (local execution)', () => {
  it('applies the approval and notifies the requester when the API answers the stored token', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    tasks.outcome = { status: 'APPROVED' };

    await runner.start(requestId, { requestId, context: 'bis' });
    const token = await tasks.waitForToken(requestId, 'await-decision');
    await runner.sendTaskSuccess(token, JSON.stringify({ decision: 'approve', decidedBy: 'agent-1' }));
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.actions(requestId)).toEqual([
      'notify-approvers',
      'await-decision',
      'apply-outcome',
      'notify-requester',
    ]);
    expect(tasks.call(requestId, 'apply-outcome').state).toMatchObject({
      requestId,
      context: 'bis',
      decision: { decision: 'approve', decidedBy: 'agent-1' },
    });
    expect(tasks.call(requestId, 'notify-requester').state.outcome).toEqual({
      result: { status: 'APPROVED' },
    });
    expect(JSON.stringify(done.output)).not.toContain(token);
  });

  it('passes a rejection to apply-outcome when the decision is reject', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'reject',
      reason: 'documents unreadable',
    });
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.call(requestId, 'apply-outcome').state.decision).toEqual({
      decision: 'reject',
      reason: 'documents unreadable',
    });
    expect(tasks.actions(requestId)).toContain('notify-requester');
  });

  it('expires the request and notifies the requester when nobody decides within the timeout', async () => {
    const { runner, tasks } = setup(plain, timeScaleForDay(10));
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    const token = await tasks.waitForToken(requestId, 'await-decision');
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.actions(requestId)).toEqual([
      'notify-approvers',
      'await-decision',
      'expire',
      'notify-requester',
    ]);
    expect(tasks.call(requestId, 'expire').state.expiredWhile).toBe('decision');
    expect(tasks.actions(requestId)).not.toContain('apply-outcome');
    await expectSdkError(runner.sendTaskSuccess(token, { decision: 'approve' }), 'TaskTimedOut');
  });

  it('does not expire before the scaled decision timeout has elapsed', async () => {
    const { runner, tasks } = setup(plain, timeScaleForDay(10));
    const requestId = newRequestId();

    const started = Date.now();
    await runner.start(requestId, { requestId });
    await tasks.waitForToken(requestId, 'await-decision');
    await runner.waitForCompletion(requestId);

    // 30 days at 10 ms a day: 300 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('goes back to review after the applicant corrects when the decision is request-correction', async () => {
    const { runner, tasks } = setup(withCorrection);
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    const first = await tasks.waitForToken(requestId, 'await-decision');
    await runner.sendTaskSuccess(first, { decision: 'request-correction', reason: 'birth date missing' });
    const correctionToken = await tasks.waitForToken(requestId, 'await-correction');
    await runner.sendTaskSuccess(correctionToken, { corrected: true });
    const second = await tasks.waitForToken(requestId, 'await-decision', 2);
    await runner.sendTaskSuccess(second, { decision: 'approve' });
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.actions(requestId)).toEqual([
      'notify-approvers',
      'await-decision',
      'await-correction',
      'notify-approvers',
      'await-decision',
      'apply-outcome',
      'notify-requester',
    ]);
    expect(new Set([first, correctionToken, second]).size).toBe(3);
    expect(tasks.call(requestId, 'apply-outcome').state).toMatchObject({
      decision: { decision: 'approve' },
      correction: { corrected: true },
    });
    await expectSdkError(runner.sendTaskSuccess(first, { decision: 'approve' }), 'TaskTimedOut');
  });

  it('expires the request when the applicant does not correct within the correction timeout', async () => {
    const { runner, tasks } = setup(withCorrection, timeScaleForDay(10));
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'request-correction',
    });
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.actions(requestId).slice(-3)).toEqual(['await-correction', 'expire', 'notify-requester']);
    expect(tasks.call(requestId, 'expire').state.expiredWhile).toBe('correction');
  });

  it('treats request-correction as an ordinary decision when the correction loop is off', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'request-correction',
    });
    await runner.waitForCompletion(requestId);

    expect(tasks.actions(requestId)).not.toContain('await-correction');
    expect(tasks.actions(requestId)).toContain('apply-outcome');
  });

  it('retries a task when its handler throws TransientError once', async () => {
    const { runner, tasks } = setup(plain, timeScaleForDay(1_000));
    const requestId = newRequestId();
    tasks.failNext('notify-approvers', transient);

    await runner.start(requestId, { requestId });
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'approve',
    });
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('SUCCEEDED');
    expect(tasks.actions(requestId).slice(0, 3)).toEqual([
      'notify-approvers',
      'notify-approvers',
      'await-decision',
    ]);
    expect(runner.history(requestId)).toContainEqual(
      expect.objectContaining({
        type: 'StateRetried',
        state: expect.objectContaining({ name: 'NotifyApprovers' }),
      }),
    );
    expect(tasks.actions(requestId)).not.toContain('record-failure');
  });

  it('records the failure and fails the execution when a handler throws a permanent error', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    tasks.failNext('apply-outcome', () => new RangeError('no BIS number left'), 10);

    await runner.start(requestId, { requestId });
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'approve',
    });
    const done = await runner.waitForCompletion(requestId);

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('RangeError');
    expect(JSON.parse(done.cause ?? '{}')).toEqual({
      errorType: 'RangeError',
      errorMessage: 'no BIS number left',
    });
    expect(tasks.actions(requestId)).toEqual([
      'notify-approvers',
      'await-decision',
      'apply-outcome',
      'record-failure',
    ]);
    expect(tasks.call(requestId, 'record-failure').state.failure?.Error).toBe('RangeError');
  });

  it('records the failure when the API fails the waiting task', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    await runner.sendTaskFailure(
      await tasks.waitForToken(requestId, 'await-decision'),
      'DecisionFailed',
      'agent left',
    );
    const done = await runner.waitForCompletion(requestId);

    expect(done).toMatchObject({ status: 'FAILED', error: 'DecisionFailed', cause: 'agent left' });
    expect(tasks.actions(requestId).at(-1)).toBe('record-failure');
  });
});

describe('LocalWorkflowRunner task tokens', () => {
  it('rejects a token that was already used with TaskTimedOut', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    await runner.start(requestId, { requestId });
    const token = await tasks.waitForToken(requestId, 'await-decision');
    await runner.sendTaskSuccess(token, { decision: 'approve' });

    await expectSdkError(runner.sendTaskSuccess(token, { decision: 'reject' }), 'TaskTimedOut');
    await expectSdkError(runner.sendTaskFailure(token, 'Late'), 'TaskTimedOut');
    await runner.waitForCompletion(requestId);
  });

  it('rejects a malformed token with InvalidToken and an unknown one with TaskDoesNotExist', async () => {
    const { runner } = setup(plain);

    await expectSdkError(runner.sendTaskSuccess('not-a-token', {}), 'InvalidToken');
    await expectSdkError(runner.sendTaskSuccess(`AQLocal${'A'.repeat(64)}`, {}), 'TaskDoesNotExist');
  });

  it('rejects output that is not JSON with InvalidOutput and keeps the task waiting', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    await runner.start(requestId, { requestId });
    const token = await tasks.waitForToken(requestId, 'await-decision');

    await expectSdkError(runner.sendTaskSuccess(token, '{not json'), 'InvalidOutput');
    await runner.sendTaskSuccess(token, '{"decision":"approve"}');

    expect((await runner.waitForCompletion(requestId)).status).toBe('SUCCEEDED');
  });

  it('invalidates the tokens of a stopped execution', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    await runner.start(requestId, { requestId });
    const token = await tasks.waitForToken(requestId, 'await-decision');

    await runner.stop(requestId);

    expect(runner.describe(requestId).status).toBe('ABORTED');
    await expectSdkError(runner.sendTaskSuccess(token, {}), 'TaskTimedOut');
  });
});

describe('LocalWorkflowRunner', () => {
  it('keeps waiting when the timeout exceeds the ~24.8-day limit of Node timers', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();

    await runner.start(requestId, { requestId });
    await tasks.waitForToken(requestId, 'await-decision');
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(runner.describe(requestId).status).toBe('RUNNING');
    expect(tasks.actions(requestId)).not.toContain('expire');
  });

  it('refuses a definition whose Lambda function has no local handler', () => {
    expect(
      () => new LocalWorkflowRunner({ definition: plain, handlers: { SomethingElse: () => ({}) } }),
    ).toThrow(/no local handler for function WorkflowHandler/);
  });
});

describe('LocalWorkflowRunner.start', () => {
  it('returns the running execution when started again with the same name and input', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();

    const first = await runner.start(requestId, { requestId });
    const again = await runner.start(requestId, { requestId });
    await tasks.waitForToken(requestId, 'await-decision');

    expect(again.executionArn).toBe(first.executionArn);
    expect(first.executionArn).toBe(
      `arn:aws:states:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:execution:ApprovalWorkflow:${requestId}`,
    );
    expect(tasks.actions(requestId).filter((a) => a === 'notify-approvers')).toHaveLength(1);
  });

  it('throws ExecutionAlreadyExists when the name is reused with another input or after the end', async () => {
    const { runner, tasks } = setup(plain);
    const requestId = newRequestId();
    await runner.start(requestId, { requestId });

    await expectSdkError(runner.start(requestId, { requestId, other: 1 }), 'ExecutionAlreadyExists');
    await runner.sendTaskSuccess(await tasks.waitForToken(requestId, 'await-decision'), {
      decision: 'approve',
    });
    await runner.waitForCompletion(requestId);
    await expectSdkError(runner.start(requestId, { requestId }), 'ExecutionAlreadyExists');
  });
});

describe('LocalWorkflowRunner.port', () => {
  it('translates an expired token into TaskTokenExpiredError (409) like the AWS implementation', async () => {
    const { runner, tasks } = setup(plain, timeScaleForDay(10));
    const port = runner.port();
    const requestId = newRequestId();
    await port.startExecution(requestId, { requestId });
    const token = await tasks.waitForToken(requestId, 'await-decision');
    await runner.waitForCompletion(requestId);

    const error = await port.sendTaskSuccess(token, { decision: 'approve' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskTokenExpiredError);
    expect((error as TaskTokenExpiredError).status).toBe(409);
  });

  it('translates a reused execution name into WorkflowAlreadyStartedError', async () => {
    const { runner } = setup(plain);
    const port = runner.port();
    const requestId = newRequestId();
    await port.startExecution(requestId, { requestId });

    await expect(port.startExecution(requestId, { requestId, changed: true })).rejects.toBeInstanceOf(
      WorkflowAlreadyStartedError,
    );
  });
});
