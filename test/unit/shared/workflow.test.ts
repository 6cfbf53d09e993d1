import 'aws-sdk-client-mock-vitest/extend';
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnWorkflow } from '#shared/sfn-workflow';
import {
  TaskTokenExpiredError,
  translateWorkflowError,
  WorkflowAlreadyStartedError,
  workflowTaskEventSchema,
} from '#shared/workflow';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:Bis';
const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'eu-west-1' });
const metadata = { $metadata: {} };

afterEach(() => {
  sfn.reset();
});

describe('SfnWorkflow', () => {
  it('starts the execution named after the request with the JSON input', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${STATE_MACHINE_ARN}:r1`, startDate: new Date() });

    const started = await new SfnWorkflow(STATE_MACHINE_ARN, client).startExecution('r1', {
      requestId: 'r1',
    });

    expect(started.executionArn).toBe(`${STATE_MACHINE_ARN}:r1`);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
  });

  it('sends the decision as the JSON output of the task', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});

    await new SfnWorkflow(STATE_MACHINE_ARN, client).sendTaskSuccess('token-1', { decision: 'approve' });

    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'token-1',
      output: '{"decision":"approve"}',
    });
  });

  it.each([
    [
      'TaskTimedOut',
      () =>
        new TaskTimedOut({ message: "Task Timed Out: 'Provided task does not exist anymore'", ...metadata }),
    ],
    ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'Task does not exist', ...metadata })],
    ['InvalidToken', () => new InvalidToken({ message: 'Invalid Token', ...metadata })],
  ])('throws TaskTokenExpiredError when Step Functions answers %s', async (_, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error());

    const caught = await new SfnWorkflow(STATE_MACHINE_ARN, client)
      .sendTaskSuccess('token-1', { decision: 'approve' })
      .catch((e: unknown) => e);

    expect(caught).toBeInstanceOf(TaskTokenExpiredError);
    expect((caught as TaskTokenExpiredError).status).toBe(409);
  });

  it('counts the answer as delivered when an SDK retry finds the task closed by its own lost first attempt', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'closed', $metadata: { attempts: 2 } }));

    await expect(
      new SfnWorkflow(STATE_MACHINE_ARN, client).sendTaskSuccess('token-1', { decision: 'approve' }),
    ).resolves.toBeUndefined();
  });

  it('throws TaskTokenExpiredError from sendTaskFailure when the token timed out', async () => {
    sfn.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'timed out', ...metadata }));

    await expect(
      new SfnWorkflow(STATE_MACHINE_ARN, client).sendTaskFailure('token-1', 'Cancelled', 'by agent'),
    ).rejects.toBeInstanceOf(TaskTokenExpiredError);
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { error: 'Cancelled', cause: 'by agent' });
  });

  it('throws WorkflowAlreadyStartedError when the execution name is taken', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...metadata }));

    await expect(
      new SfnWorkflow(STATE_MACHINE_ARN, client).startExecution('r1', { requestId: 'r1' }),
    ).rejects.toBeInstanceOf(WorkflowAlreadyStartedError);
  });

  it('rethrows other service errors unchanged', async () => {
    const throttled = new SFNServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      ...metadata,
    });
    sfn.on(SendTaskSuccessCommand).rejects(throttled);

    await expect(
      new SfnWorkflow(STATE_MACHINE_ARN, client).sendTaskSuccess('token-1', { decision: 'approve' }),
    ).rejects.toBe(throttled);
  });
});

describe('translateWorkflowError', () => {
  it('keeps the SDK error as the cause when it translates', () => {
    const original = new TaskTimedOut({ message: 'timed out', ...metadata });

    const translated = translateWorkflowError(original) as Error;

    expect(translated).toBeInstanceOf(TaskTokenExpiredError);
    expect(translated.cause).toBe(original);
  });

  it('returns values that are not errors as they are', () => {
    expect(translateWorkflowError('boom')).toBe('boom');
  });
});

describe('workflowTaskEventSchema', () => {
  it('accepts a waiting task payload when it carries the token', () => {
    const event = workflowTaskEventSchema.parse({
      action: 'await-decision',
      requestId: 'r1',
      state: { requestId: 'r1', context: 'bis' },
      taskToken: 'AQB…',
    });

    expect(event.state).toEqual({ requestId: 'r1', context: 'bis' });
  });

  it('rejects an unknown action', () => {
    expect(() =>
      workflowTaskEventSchema.parse({ action: 'approve', requestId: 'r1', state: { requestId: 'r1' } }),
    ).toThrow();
  });
});
