/**
 * {@link WorkflowPort} over AWS Step Functions, apart from `workflow.ts` so that only the API entries
 * that start executions or answer task tokens load the Step Functions client (the workflow-task
 * functions import the task event schemas of `workflow.ts` and never call Step Functions). Even
 * there the client module is loaded at the first call: reads — the queues, a request's view — never
 * need it.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { traceAwsClient } from './tracing.ts';
import { type StartedExecution, translateWorkflowError, type WorkflowPort } from './workflow.ts';

/**
 * True for a "task closed" error on an SDK retry (the call's `$metadata.attempts` > 1): an earlier
 * attempt of this very call may have closed the task and lost its response. Answering a token twice is
 * harmless, so the call counts as delivered; were the wait really over, the workflow's own timeout
 * path closes the request.
 */
function closedByEarlierAttempt(error: unknown): boolean {
  if (!(error instanceof Error) || !['TaskDoesNotExist', 'TaskTimedOut'].includes(error.name)) return false;
  const attempts = (error as Error & { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
  return attempts > 1;
}

type SfnSdk = typeof import('@aws-sdk/client-sfn');
let sfnModule: Promise<SfnSdk> | undefined;
let defaultClient: SFNClient | undefined;

/** The client module and the client (`client`, else one traced client per container). */
async function sfn(client: SFNClient | undefined): Promise<{ client: SFNClient; sdk: SfnSdk }> {
  sfnModule ??= import('@aws-sdk/client-sfn');
  const sdk = await sfnModule;
  if (client) return { client, sdk };
  defaultClient ??= traceAwsClient(new sdk.SFNClient({}));
  return { client: defaultClient, sdk };
}

/** {@link WorkflowPort} over AWS Step Functions. */
export class SfnWorkflow implements WorkflowPort {
  /** `client` defaults to one traced client per container, created at the first call. */
  constructor(
    private readonly stateMachineArn: string,
    private readonly client?: SFNClient,
  ) {}

  async startExecution(
    name: string,
    input: { requestId: string } & Record<string, unknown>,
  ): Promise<StartedExecution> {
    const { client, sdk } = await sfn(this.client);
    try {
      const out = await client.send(
        new sdk.StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { executionArn: out.executionArn ?? '' };
    } catch (error) {
      throw translateWorkflowError(error);
    }
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    const { client, sdk } = await sfn(this.client);
    try {
      await client.send(new sdk.SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (closedByEarlierAttempt(error)) return;
      throw translateWorkflowError(error);
    }
  }

  async sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void> {
    const { client, sdk } = await sfn(this.client);
    try {
      await client.send(new sdk.SendTaskFailureCommand({ taskToken, error, cause }));
    } catch (caught) {
      if (closedByEarlierAttempt(caught)) return;
      throw translateWorkflowError(caught);
    }
  }
}
