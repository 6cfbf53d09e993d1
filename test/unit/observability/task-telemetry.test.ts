import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '#shared/logger';
import { createMetrics, observeTask, workflowTaskLabels } from '#shared/telemetry';
import { PERSONA_INSZ } from '#test/helpers/api-events';
import { captureProcessOutput } from './process-output.ts';

const output = captureProcessOutput();

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'bis');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
});

const REQUEST_ID = '01JZ0000000000000000000042';

const taskEvent = (action: string) => ({
  action,
  requestId: REQUEST_ID,
  state: { requestId: REQUEST_ID },
  taskToken: 'AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token',
});

const context = (): Context =>
  ({
    functionName: 'eid-access-test-bis-task',
    awsRequestId: 'lambda-request-7',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:eid-access-test-bis-task',
    memoryLimitInMB: '1024',
    functionVersion: '$LATEST',
    getRemainingTimeInMillis: () => 10_000,
  }) as Context;

/** A task wrapped with a fresh logger and metrics, as a workflow-task entry does. */
function wrap(run: (event: unknown) => Promise<unknown>) {
  const logger = createLogger();
  const wrapped = observeTask(
    async (event) => {
      logger.info('step done', { insz: PERSONA_INSZ });
      return run(event);
    },
    { logger, metrics: createMetrics() },
    workflowTaskLabels,
  );
  return wrapped;
}

describe('workflowTaskLabels', () => {
  it('labels a task with its action and the execution name (the request id)', () => {
    expect(workflowTaskLabels(taskEvent('await-decision'))).toEqual({
      action: 'await-decision',
      correlationId: REQUEST_ID,
    });
  });

  it('labels an unknown action as unknown and drops a malformed request id, when the event is odd', () => {
    expect(workflowTaskLabels({ action: 'drop-table', requestId: 'a b' })).toEqual({ action: 'unknown' });
    expect(workflowTaskLabels(undefined)).toEqual({ action: 'unknown' });
  });
});

describe('observeTask', () => {
  it('puts the execution name and action on every log line of the task, never the token', async () => {
    const task = wrap(async () => ({ notified: true }));

    const result = await task(taskEvent('notify-approvers'), context());

    expect(result).toEqual({ notified: true });
    const line = output.jsonLines().find((entry) => entry.message === 'step done');
    expect(line).toMatchObject({
      correlation_id: REQUEST_ID,
      execution_name: REQUEST_ID,
      action: 'notify-approvers',
      function_request_id: 'lambda-request-7',
    });
    const all = JSON.stringify(output.jsonLines());
    expect(all).not.toContain(PERSONA_INSZ);
    expect(all).not.toContain('secret-task-token');
  });

  it('emits task metrics by action on Lambda, with the cold start once', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-bis-task');
    const task = wrap(async () => ({}));

    await task(taskEvent('apply-outcome'), context());
    await task(taskEvent('notify-requester'), context());

    const emf = output.jsonLines().filter((entry) => '_aws' in entry);
    const tasks = emf.filter((entry) => 'Tasks' in entry);
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({
      service: 'bis',
      action: 'apply-outcome',
      Tasks: 1,
      TaskFailures: 0,
      TaskDuration: expect.any(Number),
      _aws: { CloudWatchMetrics: [{ Namespace: 'eid-access', Dimensions: [['service', 'action']] }] },
    });
    expect(tasks[1]).toMatchObject({ action: 'notify-requester' });
    expect(emf.filter((entry) => 'ColdStart' in entry)).toHaveLength(1);
    expect(JSON.stringify(emf)).not.toContain(REQUEST_ID);
  });

  it('rethrows the named error unchanged and counts the failure, when the task throws', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-bis-task');
    const failure = Object.assign(new Error('table busy'), { name: 'TransientError' });
    const task = wrap(async () => {
      throw failure;
    });

    await expect(task(taskEvent('apply-outcome'), context())).rejects.toBe(failure);

    expect(output.jsonLines().find((entry) => 'Tasks' in entry)).toMatchObject({ TaskFailures: 1 });
    expect(output.jsonLines().find((entry) => entry.message === 'task failed')).toMatchObject({
      correlation_id: REQUEST_ID,
      error: { name: 'TransientError' },
    });
  });

  it('runs without a Lambda context and forgets the labels afterwards, as the sandbox calls it', async () => {
    const logger = createLogger();
    const task = observeTask(async () => 'done', { logger, metrics: createMetrics() }, workflowTaskLabels);

    expect(await task(taskEvent('expire'))).toBe('done');
    logger.info('after the task');

    const after = output.jsonLines().find((entry) => entry.message === 'after the task');
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('correlation_id');
    expect(after).not.toHaveProperty('action');
  });
});
