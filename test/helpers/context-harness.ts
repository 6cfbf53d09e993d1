/**
 * What the integration harnesses of the bounded contexts (BIS, rights, organisations) share: the
 * synthesized state machine (once per test file), the outbox behind the idempotent mailer, the
 * router called with persona events, and polling the repository until the workflow got somewhere.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadStateMachineDefinition } from '#local/step-functions';
import type { RouterHandler } from '#shared/http/router';
import { IdempotentMailer, type Mailer, Outbox, OutboxMailer } from '#shared/mailer';
import { type ApiEventOptions, apiEvent, lambdaContext } from '#test/helpers/api-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

/** A state machine definition as the local runner reads it. */
export type Definition = ReturnType<typeof loadStateMachineDefinition>;

/** A context's state machine and the logical id its Lambda tasks are routed by. */
export interface SynthesizedWorkflow {
  definition: Definition;
  taskLogicalId: string;
}

/**
 * The state machine `stateMachineId` of the fixture `synth` builds, synthesized on the first call
 * only (synthesis takes seconds; once per test file is enough).
 */
export function cachedWorkflow(
  synth: () => { json: Record<string, unknown>; workflowTaskLogicalId: string },
  stateMachineId: string,
): () => SynthesizedWorkflow {
  let cached: SynthesizedWorkflow | undefined;
  return () => {
    if (!cached) {
      const fixture = synth();
      cached = {
        definition: loadStateMachineDefinition(fixture.json, stateMachineId),
        taskLogicalId: fixture.workflowTaskLogicalId,
      };
    }
    return cached;
  };
}

/** A parsed API answer. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
  raw: APIGatewayProxyResult;
}

/** Calls `api` with the persona event `options` describes and parses the JSON body. */
export function apiCaller(api: RouterHandler): (options: ApiEventOptions) => Promise<ApiAnswer> {
  return async (event) => {
    const raw = await api(apiEvent(event), lambdaContext());
    return {
      status: raw.statusCode,
      headers: raw.headers ?? {},
      body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {},
      raw,
    };
  };
}

/**
 * An outbox and the idempotent mailer (on the test table) that delivers into it; `wrap` decorates
 * the outbox mailer before idempotency, e.g. to fail once.
 */
export function outboxMailer(
  table: TestTable,
  wrap: (mailer: Mailer) => Mailer = (mailer) => mailer,
): { outbox: Outbox; mailer: IdempotentMailer } {
  const outbox = new Outbox();
  const mailer = new IdempotentMailer(wrap(new OutboxMailer(outbox)), {
    documentClient: table.documentClient,
    tableName: table.tableName,
  });
  return { outbox, mailer };
}

/**
 * Reads every 10 ms until `done` holds for what `read` returned; after 10 s throws with
 * `describe` of the last value read.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  describe: (value: T) => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return;
    if (Date.now() > deadline) throw new Error(describe(value));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Asserts a problem+json answer with `status`. */
export function expectProblem(answer: ApiAnswer, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers['Content-Type']).toBe('application/problem+json');
  expect(answer.body.status).toBe(status);
}

/** A test file's table and the harnesses its tests make on it: see {@link harnessSuite}. */
export interface HarnessSuite<O, R> {
  /** The file's table (created before all tests, disposed after them). */
  readonly table: TestTable;
  /** Makes a harness on the table; it is closed after the test. */
  harness(options: O): R;
}

/**
 * Registers the hooks of a file whose tests each make their own harness: before all, the state
 * machine is synthesized (`warmUp`, so that the first test does not pay for it) and a test table
 * created; after each test, every harness it made is closed; after all, the table is disposed.
 */
export function harnessSuite<O, H extends { close(): Promise<void> }, R extends H | Promise<H>>(
  warmUp: () => unknown,
  create: (table: TestTable, options: O) => R,
): HarnessSuite<O, R> {
  let table: TestTable | undefined;
  const open: H[] = [];
  beforeAll(async () => {
    warmUp();
    table = await createTestTable();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((harness) => harness.close()));
  });
  afterAll(async () => {
    await table?.dispose();
  });
  const current = (): TestTable => {
    if (!table) throw new Error('the test table exists only while the tests run');
    return table;
  };
  return {
    get table() {
      return current();
    },
    harness(options) {
      const created = create(current(), options);
      if (created instanceof Promise) {
        return created.then((harness: H) => {
          open.push(harness);
          return harness;
        }) as R;
      }
      open.push(created as H);
      return created;
    },
  };
}
