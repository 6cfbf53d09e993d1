import type { LocalTaskHandler } from '#local/step-functions';
import { TransientError } from '#shared/errors';
import { type WorkflowAction, type WorkflowTaskEvent, workflowTaskEventSchema } from '#shared/workflow';

/** A scripted stand-in for a bounded context's workflow-task Lambda. */
export interface RecordingTaskHandler {
  /** The function to route the workflow's Lambda tasks to. */
  handler: LocalTaskHandler;
  /** Every invocation, in order (each one parsed with the shared task-event schema). */
  calls: WorkflowTaskEvent[];
  /** The actions invoked for `requestId`, in order. */
  actions(requestId: string): WorkflowAction[];
  /** The `n`-th (1-based) invocation of `action` for `requestId`. */
  call(requestId: string, action: WorkflowAction, n?: number): WorkflowTaskEvent;
  /**
   * Resolves with the task token of the `n`-th waiting invocation of `action` for `requestId` — what
   * the real handler stores on the request item.
   */
  waitForToken(requestId: string, action: 'await-decision' | 'await-correction', n?: number): Promise<string>;
  /** Makes the next `times` invocations of `action` throw `error` before doing anything. */
  failNext(action: WorkflowAction, error: () => Error, times?: number): void;
  /** What `apply-outcome` returns. */
  outcome: unknown;
}

/** A {@link RecordingTaskHandler}; the payload must match `workflowTaskEventSchema` or it throws. */
export function recordingTaskHandler(): RecordingTaskHandler {
  const calls: WorkflowTaskEvent[] = [];
  const failures = new Map<WorkflowAction, { error: () => Error; times: number }>();
  const waiters = new Set<() => void>();
  const matching = (requestId: string, action: WorkflowAction) =>
    calls.filter((c) => c.requestId === requestId && c.action === action);

  const recorder: RecordingTaskHandler = {
    calls,
    outcome: { status: 'DONE' },
    handler: async (payload) => {
      const event = workflowTaskEventSchema.parse(payload);
      const failure = failures.get(event.action);
      if (failure && failure.times > 0) {
        failure.times -= 1;
        calls.push(event);
        throw failure.error();
      }
      calls.push(event);
      for (const wake of waiters) wake();
      return event.action === 'apply-outcome' ? recorder.outcome : { ok: true };
    },
    actions: (requestId) => calls.filter((c) => c.requestId === requestId).map((c) => c.action),
    call: (requestId, action, n = 1) => {
      const hit = matching(requestId, action)[n - 1];
      if (!hit) throw new Error(`No invocation ${n} of ${action} for ${requestId}`);
      return hit;
    },
    waitForToken: (requestId, action, n = 1) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `No ${action} #${n} for ${requestId}; calls: ${recorder.actions(requestId).join(', ')}`,
            ),
          );
        }, 5_000);
        function check() {
          const token = matching(requestId, action)[n - 1]?.taskToken;
          if (token) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(token);
          }
        }
        waiters.add(check);
        check();
      }),
    failNext: (action, error, times = 1) => {
      failures.set(action, { error, times });
    },
  };
  return recorder;
}

/** The error a task handler throws for a retryable infrastructure failure. */
export const transient = () => new TransientError('DynamoDB throttled');
