/**
 * The approval workflow seen from the Lambda side: the task event the workflow-task handler of a
 * bounded context receives, the decision the API sends back, and the port through which the API
 * starts executions and answers task tokens (Step Functions in AWS, the local runner in the sandbox).
 * No AWS client: the Step Functions one lives in `sfn-workflow.ts`, which only the API entries that
 * start executions or answer task tokens import (a task function never loads it).
 */
import * as z from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import { ConflictError } from './errors.ts';
import { WORKFLOW_ACTIONS, type WorkflowAction } from './workflow-actions.ts';

export { WORKFLOW_ACTIONS, type WorkflowAction };

/** The decision value that sends a request back to its applicant when the correction loop is on. */
export const REQUEST_CORRECTION = 'request-correction';

/**
 * The output the API passes to SendTaskSuccess for an `await-decision` task. `decision` is the only
 * field the state machine reads (to branch into the correction loop); the rest travels to
 * `apply-outcome` untouched.
 */
export const workflowDecisionSchema = z.looseObject({
  decision: z.string().check(z.minLength(1)),
  reason: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
});

/** See {@link workflowDecisionSchema}. */
export type WorkflowDecision = z.infer<typeof workflowDecisionSchema>;

/**
 * The data an execution accumulates (the state machine's `$`): the start input plus what each step
 * adds. Task tokens never appear here — only in the payload of the waiting task itself.
 */
export const workflowStateSchema = z.looseObject({
  requestId: z.string().check(z.minLength(1)),
  /** Output of the last `await-decision` (SendTaskSuccess output). */
  decision: z.optional(z.looseObject({ decision: z.string() })),
  /** Output of the last `await-correction`. */
  correction: z.optional(z.unknown()),
  /** What `apply-outcome` returned. */
  outcome: z.optional(z.looseObject({ result: z.unknown() })),
  /** Set when a wait timed out: which wait. */
  expiredWhile: z.optional(z.enum(['decision', 'correction'])),
  /** Set when a task failed for good: the error Step Functions caught. */
  failure: z.optional(z.looseObject({ Error: z.string(), Cause: z.optional(z.string()) })),
});

/** See {@link workflowStateSchema}. */
export type WorkflowState = z.infer<typeof workflowStateSchema>;

/**
 * The payload of every task the approval workflow invokes. `taskToken` is present for the waiting
 * actions only (`await-decision`, `await-correction`): the handler stores it on the request item and
 * returns; the API later answers it. Never log it (the shared logger redacts `*token*` keys).
 */
export const workflowTaskEventSchema = z.object({
  action: z.enum(WORKFLOW_ACTIONS),
  requestId: z.string().check(z.minLength(1)),
  state: workflowStateSchema,
  taskToken: z.optional(z.string().check(z.minLength(1))),
});

/** See {@link workflowTaskEventSchema}. */
export type WorkflowTaskEvent = z.infer<typeof workflowTaskEventSchema>;

/**
 * The task token is no longer valid (the wait timed out, it was already answered, or the execution
 * ended). The API answers 409 and marks the request EXPIRED.
 */
export class TaskTokenExpiredError extends ConflictError {
  constructor(options?: { cause?: unknown }) {
    super('The request can no longer be decided.', options);
  }
}

/**
 * An execution with this name exists with another input, or has already ended (Standard workflows
 * accept a repeated start only while the same execution is still running with the same input).
 */
export class WorkflowAlreadyStartedError extends ConflictError {
  constructor(options?: { cause?: unknown }) {
    super('This request has already been submitted.', options);
  }
}

/** SDK error names meaning "that token cannot be answered any more". */
const EXPIRED_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/**
 * Translates a Step Functions error (AWS SDK exception or the local runner's equivalent, both
 * recognised by `name`) into the domain signal the API handles; other errors are returned as they are.
 */
export function translateWorkflowError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (EXPIRED_TOKEN_ERRORS.has(error.name)) return new TaskTokenExpiredError({ cause: error });
  if (error.name === 'ExecutionAlreadyExists') return new WorkflowAlreadyStartedError({ cause: error });
  return error;
}

/** A started execution. */
export interface StartedExecution {
  executionArn: string;
}

/**
 * What the API needs from the workflow engine. Implementations: `SfnWorkflow` of `sfn-workflow.ts`
 * (AWS) and `LocalWorkflowRunner.port()` in `local/step-functions.ts` (sandbox and integration tests).
 */
export interface WorkflowPort {
  /**
   * Starts the execution named `name` (use the request id: a repeated start with the same input while
   * it runs is a no-op). Throws {@link WorkflowAlreadyStartedError} when the name is taken otherwise.
   */
  startExecution(
    name: string,
    input: { requestId: string } & Record<string, unknown>,
  ): Promise<StartedExecution>;
  /** Completes a waiting task. Throws {@link TaskTokenExpiredError} when the token is no longer valid. */
  sendTaskSuccess(taskToken: string, output: WorkflowDecision | Record<string, unknown>): Promise<void>;
  /** Fails a waiting task. Throws {@link TaskTokenExpiredError} when the token is no longer valid. */
  sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void>;
}

/**
 * Validates the event Step Functions or the scheduler passed to a task. A malformed one throws the
 * validation error under the name `ZodError`: the error name an execution's history shows, which no
 * Retry of the state machines matches (a malformed event never heals by retrying).
 */
export function parseTaskEvent<T extends $ZodType>(schema: T, event: unknown): output<T> {
  const result = z.safeParse(schema, event);
  if (result.success) return result.data;
  result.error.name = 'ZodError';
  throw result.error;
}
