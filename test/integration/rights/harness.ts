/**
 * Runs the rights context locally the way it runs in AWS: the real route handlers (persona events in,
 * proxy results out), the state machine synthesized from the `Rights` construct executed by
 * `LocalWorkflowRunner` with its Lambda tasks routed to the real workflow-task use cases, DynamoDB
 * Local, and an outbox behind the idempotent mailer.
 */
import { LocalWorkflowRunner } from '#local/step-functions';
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createRouter, type RouterHandler } from '#shared/http/router';
import type { Outbox } from '#shared/mailer';
import type { ApiEventOptions } from '#test/helpers/api-events';
import {
  type ApiAnswer,
  apiCaller,
  cachedWorkflow,
  outboxMailer,
  pollUntil,
} from '#test/helpers/context-harness';
import type { TestTable } from '#test/helpers/dynamodb';
import { rightRequestApproval } from '../../../lambdas/rights/approval.ts';
import type { RightsApiDeps, RightsTaskDeps } from '../../../lambdas/rights/ports.ts';
import type { RightRequest, RightRequestStatus } from '../../../lambdas/rights/right-request.ts';
import {
  createDynamoRightsRepository,
  type RightsRepository,
} from '../../../lambdas/rights/rights-repository.ts';
import { createRightsRoutes } from '../../../lambdas/rights/routes.ts';
import { synthRightsFixture } from './rights-stack.ts';

export { type ApiAnswer, expectProblem } from '#test/helpers/context-harness';

/** The ASL of the Rights construct's state machine (synthesized once per test file). */
export const rightsDefinition = cachedWorkflow(synthRightsFixture, 'RightsWorkflow');

/** A running rights context on one test table. */
export interface RightsHarness {
  runner: LocalWorkflowRunner;
  outbox: Outbox;
  repository: RightsRepository;
  apiDeps: RightsApiDeps;
  taskDeps: RightsTaskDeps;
  api: RouterHandler;
  /** Calls the API with a persona event. */
  call(options: ApiEventOptions): Promise<ApiAnswer>;
  /** Calls the API as the person with this id (persona `user`: the INSZ comes from the profile). */
  as(personId: string, options: ApiEventOptions): Promise<ApiAnswer>;
  /** `POST /organisations/{orgCode}/right-requests` as `personId`. */
  request(personId: string, orgCode: string, body: Record<string, unknown>): Promise<ApiAnswer>;
  /** The decision route as `personId`. */
  decide(
    personId: string,
    orgCode: string,
    requestId: string,
    body: Record<string, unknown>,
  ): Promise<ApiAnswer>;
  /** Waits until the workflow stored a task token on a PENDING request. */
  waitUntilWaiting(requestId: string): Promise<void>;
  /** Waits until the request has `status`. */
  waitForStatus(requestId: string, status: RightRequestStatus): Promise<void>;
  /** Waits until the execution of the request has ended. */
  waitForExecution(requestId: string): Promise<void>;
  /** Mails sent, oldest first. */
  mails(): ReturnType<Outbox['list']>;
  close(): Promise<void>;
}

/** Builds a {@link RightsHarness}; close it after the test. */
export function createRightsHarness(
  table: TestTable,
  options: { timeScale: number; now?: () => Date },
): RightsHarness {
  const { definition, taskLogicalId } = rightsDefinition();
  const repository = createDynamoRightsRepository({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  const { outbox, mailer } = outboxMailer(table);
  const now = options.now ?? (() => new Date());
  const taskDeps: RightsTaskDeps = { repository, mailer, now };
  const runner = new LocalWorkflowRunner({
    definition,
    handlers: { [taskLogicalId]: createWorkflowTaskHandler(rightRequestApproval(taskDeps)) },
    stateMachineName: 'RightsWorkflow',
    timeScale: options.timeScale,
  });
  const apiDeps: RightsApiDeps = { repository, workflow: runner.port(), now };
  const api = createRouter(createRightsRoutes(apiDeps));

  const call = apiCaller(api);
  const as = (personId: string, event: ApiEventOptions) =>
    call({ ...event, persona: 'user', claims: { person_id: personId, ...event.claims } });
  const waitForRequest = (requestId: string, describe: string, done: (request?: RightRequest) => boolean) =>
    pollUntil(
      () => repository.getRequest(requestId),
      done,
      () => `timed out waiting: ${describe}`,
    );

  return {
    runner,
    outbox,
    repository,
    apiDeps,
    taskDeps,
    api,
    call,
    as,
    request: (personId, orgCode, body) =>
      as(personId, {
        method: 'POST',
        resource: '/organisations/{orgCode}/right-requests',
        pathParameters: { orgCode },
        body,
      }),
    decide: (personId, orgCode, requestId, body) =>
      as(personId, {
        method: 'POST',
        resource: '/organisations/{orgCode}/right-requests/{requestId}/decision',
        pathParameters: { orgCode, requestId },
        body,
      }),
    waitUntilWaiting: (requestId) =>
      waitForRequest(
        requestId,
        `${requestId} waiting`,
        (request) => request?.status === 'PENDING' && request.waiting,
      ),
    waitForStatus: (requestId, status) =>
      waitForRequest(requestId, `${requestId} ${status}`, (request) => request?.status === status),
    waitForExecution: async (requestId) => {
      await runner.waitForCompletion(requestId);
    },
    mails: () => outbox.list().toReversed(),
    close: () => runner.close(),
  };
}
