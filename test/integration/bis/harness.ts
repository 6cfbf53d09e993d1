/**
 * Runs the BIS context locally the way it runs in AWS: the real route handlers (persona events in,
 * proxy results out), the state machine synthesized from the `BisRegistration` construct executed by
 * `LocalWorkflowRunner` with its Lambda tasks routed to the real workflow-task use cases, DynamoDB
 * Local, and an outbox behind the idempotent mailer.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalTaskHandler, LocalWorkflowRunner } from '#local/step-functions';
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createRouter, type RouterHandler } from '#shared/http/router';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import type { Mailer, MailMessage, Outbox } from '#shared/mailer';
import type { ApiEventOptions } from '#test/helpers/api-events';
import {
  type ApiAnswer,
  apiCaller,
  cachedWorkflow,
  outboxMailer,
  pollUntil,
} from '#test/helpers/context-harness';
import type { TestTable } from '#test/helpers/dynamodb';
import { brusselsContact } from '#test/helpers/sandbox';
import { bisRegistrationApproval } from '../../../lambdas/bis/approval.ts';
import { createDynamoBisRepository } from '../../../lambdas/bis/bis-repository.ts';
import type { BisApiDeps, BisTaskDeps } from '../../../lambdas/bis/ports.ts';
import type { BisRegistration } from '../../../lambdas/bis/registration.ts';
import { createBisRoutes } from '../../../lambdas/bis/routes.ts';
import { AGENTS_EMAIL, synthBisFixture } from './bis-stack.ts';

export { type ApiAnswer, expectProblem } from '#test/helpers/context-harness';

/** The ASL of the BIS construct's state machine (synthesized once per test file). */
export const bisDefinition = cachedWorkflow(synthBisFixture, 'BisWorkflow');

/** A person as the eIDAS login stored them. */
export interface EidasPerson {
  personId: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  locale?: string;
  insz?: string;
}

/** Person data of a request matching {@link eidasPerson} (different case, spacing, accents). */
export function personData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    givenNames: 'José  María',
    familyName: 'García López',
    birthDate: '1990-05-17',
    sex: 'M',
    nationality: 'ES',
    placeOfBirth: 'Madrid',
    ...brusselsContact(),
    email: 'jose.garcia@example.es',
    ...overrides,
  };
}

/** The eIDAS profile the request above matches. */
export function eidasPerson(overrides: Partial<EidasPerson> = {}): EidasPerson {
  return {
    personId: newId(),
    givenNames: 'JOSE MARIA',
    familyName: 'Garcia Lopez',
    birthDate: '1990-05-17',
    ...overrides,
  };
}

/** Options of {@link createBisHarness}. */
export interface BisHarnessOptions {
  /** Workflow time scale (see `timeScaleForDay`). */
  timeScale: number;
  /** Wraps the outbox mailer (before idempotency), e.g. to fail once. */
  wrapMailer?: (mailer: Mailer) => Mailer;
  /** Replaces the task handler (e.g. the real Lambda entry module). */
  taskHandler?: LocalTaskHandler;
}

/** A running BIS context on one test table. */
export interface BisHarness {
  runner: LocalWorkflowRunner;
  outbox: Outbox;
  apiDeps: BisApiDeps;
  taskDeps: BisTaskDeps;
  api: RouterHandler;
  /** Calls the API with a persona event. */
  call(options: ApiEventOptions): Promise<ApiAnswer>;
  /** Stores a person profile as the eIDAS login would. */
  seedPerson(person: EidasPerson): Promise<void>;
  /** Submits as `person` (eIDAS persona with that person id). */
  submit(person: EidasPerson, data?: Record<string, unknown>): Promise<ApiAnswer>;
  /** Decides as a BIS agent. */
  decide(registrationId: string, body: Record<string, unknown>, agentId?: string): Promise<ApiAnswer>;
  /** Reads as `person`. */
  get(registrationId: string, personId: string): Promise<ApiAnswer>;
  /** Waits until the workflow stored a task token and the status is `status`. */
  waitUntilWaiting(registrationId: string, status: BisRegistration['status']): Promise<void>;
  /** Mails sent, oldest first. */
  mails(): ReturnType<Outbox['list']>;
  close(): Promise<void>;
}

/** Builds a {@link BisHarness}; close it after the test. */
export function createBisHarness(table: TestTable, options: BisHarnessOptions): BisHarness {
  const { definition, taskLogicalId } = bisDefinition();
  const repository = createDynamoBisRepository({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  const { outbox, mailer } = outboxMailer(table, options.wrapMailer);
  const taskDeps: BisTaskDeps = { repository, mailer, now: () => new Date(), agentsEmail: AGENTS_EMAIL };
  const runner = new LocalWorkflowRunner({
    definition,
    handlers: {
      [taskLogicalId]: options.taskHandler ?? createWorkflowTaskHandler(bisRegistrationApproval(taskDeps)),
    },
    stateMachineName: 'BisWorkflow',
    timeScale: options.timeScale,
  });
  const apiDeps: BisApiDeps = { repository, workflow: runner.port(), now: () => new Date() };
  const api = createRouter(createBisRoutes(apiDeps));

  const call = apiCaller(api);

  return {
    runner,
    outbox,
    apiDeps,
    taskDeps,
    api,
    call,
    async seedPerson(person) {
      const now = new Date().toISOString();
      await table.documentClient.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            ...keys.person(person.personId),
            type: 'person',
            ...person,
            providers: new Set(['eidas']),
            createdAt: now,
            updatedAt: now,
          },
        }),
      );
    },
    submit: (person, data = personData()) =>
      call({
        persona: 'user',
        claims: { person_id: person.personId },
        method: 'POST',
        resource: '/bis-registrations',
        body: data,
      }),
    decide: (registrationId, body, agentId) =>
      call({
        persona: 'bisAgent',
        ...(agentId ? { claims: { person_id: agentId } } : {}),
        method: 'POST',
        resource: '/agent/bis-registrations/{id}/decision',
        pathParameters: { id: registrationId },
        body,
      }),
    get: (registrationId, personId) =>
      call({
        persona: 'user',
        claims: { person_id: personId },
        resource: '/bis-registrations/{id}',
        pathParameters: { id: registrationId },
      }),
    waitUntilWaiting: (registrationId, status) =>
      pollUntil(
        () => repository.getRegistration(registrationId),
        (registration) => Boolean(registration?.waiting) && registration?.status === status,
        (registration) =>
          `${registrationId} not waiting in ${status}: ${JSON.stringify(registration?.status)}`,
      ),
    mails: () => outbox.list().toReversed(),
    close: () => runner.close(),
  };
}

/** A mailer decorator that throws `error` for the first `times` sends of `template`. */
export function failingOnce(template: MailMessage['template'], error: () => Error, times = 1) {
  return (mailer: Mailer): Mailer => {
    let left = times;
    return {
      async send(message) {
        if (message.template === template && left > 0) {
          left -= 1;
          throw error();
        }
        await mailer.send(message);
      },
    };
  };
}
