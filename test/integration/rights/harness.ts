/**
 * Runs the rights context locally the way it runs in AWS: the real route handlers (persona events in,
 * proxy results out), the state machine synthesized from the `Rights` construct executed by
 * `LocalWorkflowRunner` with its Lambda tasks routed to the real workflow-task use cases, DynamoDB
 * Local, and an outbox behind the idempotent mailer.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { expect } from 'vitest';
import { LocalWorkflowRunner, loadStateMachineDefinition } from '#local/step-functions';
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createRouter, type RouterHandler } from '#shared/http/router';
import { IdempotentMailer, Outbox, OutboxMailer } from '#shared/mailer';
import { type ApiEventOptions, apiEvent, lambdaContext } from '#test/helpers/api-events';
import type { TestTable } from '#test/helpers/dynamodb';
import { rightRequestApproval } from '../../../lambdas/rights/approval.ts';
import type { RightsApiDeps, RightsTaskDeps } from '../../../lambdas/rights/ports.ts';
import type { RightRequestStatus } from '../../../lambdas/rights/right-request.ts';
import {
  createDynamoRightsRepository,
  type RightsRepository,
} from '../../../lambdas/rights/rights-repository.ts';
import { createRightsRoutes } from '../../../lambdas/rights/routes.ts';
import { synthRightsFixture } from './rights-stack.ts';

type Definition = ReturnType<typeof loadStateMachineDefinition>;

let cached: { definition: Definition; taskLogicalId: string } | undefined;

/** The ASL of the Rights construct's state machine (synthesized once per test file). */
export function rightsDefinition(): { definition: Definition; taskLogicalId: string } {
  if (!cached) {
    const fixture = synthRightsFixture();
    cached = {
      definition: loadStateMachineDefinition(fixture.json, 'RightsWorkflow'),
      taskLogicalId: fixture.workflowTaskLogicalId,
    };
  }
  return cached;
}

/** A parsed API answer. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
  raw: APIGatewayProxyResult;
}

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
  const outbox = new Outbox();
  const mailer = new IdempotentMailer(new OutboxMailer(outbox), {
    documentClient: table.documentClient,
    tableName: table.tableName,
  });
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

  const call = async (event: ApiEventOptions): Promise<ApiAnswer> => {
    const raw = await api(apiEvent(event), lambdaContext());
    return {
      status: raw.statusCode,
      headers: raw.headers ?? {},
      body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {},
      raw,
    };
  };
  const as = (personId: string, event: ApiEventOptions) =>
    call({ ...event, persona: 'user', claims: { person_id: personId, ...event.claims } });
  const poll = async (describe: () => string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

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
      poll(
        () => `${requestId} waiting`,
        async () => {
          const request = await repository.getRequest(requestId);
          return request?.status === 'PENDING' && request.waiting;
        },
      ),
    waitForStatus: (requestId, status) =>
      poll(
        () => `${requestId} ${status}`,
        async () => (await repository.getRequest(requestId))?.status === status,
      ),
    waitForExecution: async (requestId) => {
      await runner.waitForCompletion(requestId);
    },
    mails: () => outbox.list().toReversed(),
    close: () => runner.close(),
  };
}

/** Asserts a problem+json answer with `status`. */
export function expectProblem(answer: ApiAnswer, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers['Content-Type']).toBe('application/problem+json');
  expect(answer.body.status).toBe(status);
}
