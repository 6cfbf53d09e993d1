/**
 * The API's real Lambda entries (`lambdas/<context>/api.ts`, the identity `handler.ts`) running
 * in-process, the way each is deployed: module-scope clients from the environment, one test table in
 * the run's DynamoDB Local. Used by the fuzz tests and the authorization matrix.
 *
 * Two local peers stand in for AWS:
 * - a **DynamoDB recorder**: a pass-through proxy in front of DynamoDB Local that records every
 *   write (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem) DynamoDB accepted,
 *   with the keys it wrote, so a test can assert "nothing was written" per request without scanning;
 * - a **Step Functions stand-in** (AWS JSON 1.0, what `SfnWorkflow` speaks): StartExecution runs the
 *   context's real workflow-task entry for `await-decision` with a fresh task token, as the state
 *   machine's wait step would, so requests end up waiting for a decision exactly as in AWS;
 *   SendTaskSuccess accepts each token once (else `TaskDoesNotExist`) and then runs `apply-outcome`
 *   and `notify-requester`; a `request-correction` decision runs `await-correction` instead (the BIS
 *   correction loop), and the correction's token runs `await-decision` again. Nothing else of the
 *   state machines runs (timeouts, retries).
 *
 * S3 is the sandbox's S3 emulator (presigned uploads work); mail goes to the in-memory outbox
 * (`MAIL_TRANSPORT=outbox`); the SES endpoint is a closed port so nothing can leave the machine.
 * The registration office's Cognito admin calls (AdminCreateUser, AdminDeleteUser) reach a real
 * {@link LocalCognito} pool over HTTP (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, SigV4-checked with
 * the local credentials) rather than a recording stub: the pool refuses what Cognito refuses
 * (duplicate usernames, bad attributes), so a fuzzed request cannot pass here and fail in AWS.
 */
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { vi } from 'vitest';
import { API_ROUTES } from '#lib/api-routes';
import { declaredFunctions } from '#lib/functions';
import { type RunningS3Emulator, startS3Emulator } from '#local/aws/s3-emulator';
import { COGNITO_IDP_PATH, LocalCognito } from '#local/cognito/index';
import { localAwsEnvironment } from '#local/dynamodb-local';
import type { RouterHandler } from '#shared/http/router';
import { lambdaContext } from './api-events.ts';
import { createTestTable, dynamodbEndpoint, type TestTable } from './dynamodb.ts';

/** Names of the contexts in {@link API_ROUTES} (`identity`, `bis`, `organisations`, `rights`, …). */
export type ApiContext = string;

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** State machine ARNs by context (the stand-in accepts any well-formed ARN). */
export const STATE_MACHINE_ARNS = {
  bis: 'arn:aws:states:eu-west-1:123456789012:stateMachine:BisRegistration',
  organisations: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ForeignRegistration',
  rights: 'arn:aws:states:eu-west-1:123456789012:stateMachine:RightRequest',
} as const;

/** The pool id of the local user pool the native context's admin calls reach. */
export const FUZZ_USER_POOL_ID = 'eu-west-1_fuzz';

/** One write DynamoDB accepted. */
export interface RecordedWrite {
  operation: string;
  /** `PK|SK` of every item written (transactions list all but their condition checks). */
  keys: string[];
}

/** A workflow-task entry: `(event) => result`. */
type TaskHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** The running environment. */
export interface ApiEnvironment {
  table: TestTable;
  s3: RunningS3Emulator;
  /** The user pool behind the native context (users created by the registration office). */
  cognito: LocalCognito;
  /** Sends an event to the entry of the context serving `event.httpMethod event.resource`. */
  invoke(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult>;
  /** The context of a `METHOD resource` route key. */
  contextOf(routeKey: string): ApiContext;
  /** Writes recorded since the last {@link ApiEnvironment.takeWrites}, then forgets them. */
  takeWrites(): RecordedWrite[];
  /** Errors of workflow steps the stand-in ran (they would be execution failures in AWS). */
  workflowFailures: unknown[];
  /**
   * Stubs the entries' environment again. The SDK reads region, credentials and endpoints when a
   * client first sends, and the vitest config unstubs env before each test: call it in `beforeEach`.
   */
  stubEnv(): void;
  close(): Promise<void>;
}

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

/**
 * Creates a table, starts the two peers, stubs the environment of every API and workflow-task entry
 * and imports them. Call from `beforeAll` (env stubs are test-file scoped) and close in `afterAll`.
 */
export async function startApiEnvironment(options: { logLevel?: string } = {}): Promise<ApiEnvironment> {
  const table = await createTestTable();
  const writes: RecordedWrite[] = [];
  const dynamo = await startDynamoRecorder(dynamodbEndpoint(), writes);
  const tasks: Partial<Record<keyof typeof STATE_MACHINE_ARNS, TaskHandler>> = {};
  const workflowFailures: unknown[] = [];
  const sfn = await startSfnStandIn(tasks, workflowFailures);
  const s3 = await startS3Emulator();
  const idp = await startLocalPool();

  const env: Record<string, string> = {
    ...localAwsEnvironment(dynamo.url),
    AWS_ENDPOINT_URL_SFN: sfn.url,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `${idp.url}${COGNITO_IDP_PATH}`,
    USER_POOL_ID: FUZZ_USER_POOL_ID,
    TEMP_PASSWORD_VALIDITY_DAYS: '7',
    TABLE_NAME: table.tableName,
    BIS_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.bis,
    FOREIGN_REGISTRATION_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.organisations,
    RIGHT_REQUEST_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.rights,
    UPLOAD_BUCKET_NAME: 'extracts',
    UPLOAD_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000',
    BIS_AGENTS_EMAIL: 'bis-agents@example.be',
    SECURITY_OFFICERS_EMAIL: 'security-officers@example.be',
    MAIL_TRANSPORT: 'outbox',
    MAIL_FROM: 'no-reply@example.be',
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'ERROR',
    POWERTOOLS_DEV: 'false',
  };
  const stubEnv = () => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  };
  stubEnv();

  // Every API function of the catalogue, by the routes it serves (a context may have several).
  const entries = new Map<string, RouterHandler>();
  for (const [, declaration] of declaredFunctions()) {
    if (declaration.role.kind !== 'api') continue;
    const { handler } = (await import(resolve(PROJECT_ROOT, declaration.entry))) as {
      handler: RouterHandler;
    };
    for (const route of declaration.role.routes)
      entries.set(`${route.definition.method} ${route.definition.resource}`, handler);
  }
  tasks.bis = (await import('../../lambdas/bis/workflow-task.ts')).handler as TaskHandler;
  tasks.organisations = (await import('../../lambdas/organisations/workflow-task.ts')).handler as TaskHandler;
  tasks.rights = (await import('../../lambdas/rights/workflow-task.ts')).handler as TaskHandler;

  const contexts = new Map<string, ApiContext>();
  for (const { context, routes } of API_ROUTES) {
    for (const route of routes) {
      contexts.set(`${route.definition.method} ${route.definition.resource}`, context as ApiContext);
    }
  }
  const contextOf = (routeKey: string): ApiContext => {
    const context = contexts.get(routeKey);
    if (!context) throw new Error(`No context serves ${routeKey}`);
    return context;
  };

  return {
    table,
    s3,
    cognito: idp.pool,
    contextOf,
    invoke: (event) => {
      const routeKey = `${event.httpMethod} ${event.resource}`;
      contextOf(routeKey);
      const entry = entries.get(routeKey);
      // A function that joined the catalogue may need its environment added above.
      if (!entry) throw new Error(`No API function of lib/functions.ts serves ${routeKey}`);
      return entry(event, lambdaContext());
    },
    takeWrites: () => writes.splice(0),
    workflowFailures,
    stubEnv,
    async close() {
      await Promise.all([
        closeServer(dynamo.server),
        closeServer(sfn.server),
        closeServer(idp.server),
        s3.close(),
      ]);
      dynamo.agent.destroy();
      await table.dispose();
    },
  };
}

/** A local user pool on its own server (the admin API under COGNITO_IDP_PATH). */
async function startLocalPool(): Promise<{ pool: LocalCognito; server: Server; url: string }> {
  let pool: LocalCognito | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      if (!pool || !(await pool.handler(req, res))) {
        res.writeHead(404);
        res.end();
      }
    })();
  });
  const url = await listen(server);
  pool = await LocalCognito.create({
    issuerBaseUrl: url,
    poolId: FUZZ_USER_POOL_ID,
    clients: [{ clientId: 'fuzz-portal', name: 'portal', callbackUrls: [], logoutUrls: [] }],
  });
  return { pool, server, url };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

type AttributeMap = Record<string, { S?: string }>;

function keyOf(item: AttributeMap | undefined): string {
  return `${item?.PK?.S ?? '?'}|${item?.SK?.S ?? '?'}`;
}

/** The keys a write request names (DynamoDB JSON). */
export function writtenKeys(operation: string, input: Record<string, unknown>): string[] {
  switch (operation) {
    case 'PutItem':
      return [keyOf(input.Item as AttributeMap)];
    case 'UpdateItem':
    case 'DeleteItem':
      return [keyOf(input.Key as AttributeMap)];
    case 'TransactWriteItems':
      return (
        (input.TransactItems ?? []) as Record<string, { Item?: AttributeMap; Key?: AttributeMap }>[]
      ).flatMap((entry) => {
        if (entry.Put) return [keyOf(entry.Put.Item)];
        if (entry.Update) return [keyOf(entry.Update.Key)];
        if (entry.Delete) return [keyOf(entry.Delete.Key)];
        return [];
      });
    case 'BatchWriteItem':
      return Object.values((input.RequestItems ?? {}) as Record<string, Record<string, AttributeMap>[]>)
        .flat()
        .map((entry) => {
          const put = entry.PutRequest as unknown as { Item: AttributeMap } | undefined;
          const del = entry.DeleteRequest as unknown as { Key: AttributeMap } | undefined;
          return keyOf(put?.Item ?? del?.Key);
        });
    default:
      return [];
  }
}

async function startDynamoRecorder(
  target: string,
  writes: RecordedWrite[],
): Promise<{ server: Server; url: string; agent: Agent }> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) ?? '';
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer) => {
          void readAll(answer).then((payload) => {
            if (answer.statusCode === 200 && WRITE_OPERATIONS.has(operation)) {
              let keys: string[] = [];
              try {
                keys = writtenKeys(operation, JSON.parse(body.toString('utf8')) as Record<string, unknown>);
              } catch {
                keys = ['(unreadable request)'];
              }
              writes.push({ operation, keys });
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(payload);
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    })();
  });
  return { server, url: await listen(server), agent };
}

interface Execution {
  context: keyof typeof STATE_MACHINE_ARNS;
  input: Record<string, unknown>;
  inputText: string;
}

/** A token shaped like the local runner's (`AQLocal` + 64 base64url characters). */
function newTaskToken(): string {
  return `AQLocal${randomBytes(48).toString('base64url')}`;
}

async function startSfnStandIn(
  tasks: Partial<Record<keyof typeof STATE_MACHINE_ARNS, TaskHandler>>,
  failures: unknown[],
): Promise<{ server: Server; url: string }> {
  const executions = new Map<string, Execution>();
  const openTokens = new Map<string, Execution>();
  /** Tokens of `await-correction` steps (the rest wait for a decision). */
  const correctionTokens = new Set<string>();
  const contextByArn = new Map<string, Execution['context']>(
    Object.entries(STATE_MACHINE_ARNS).map(([context, arn]) => [arn, context as Execution['context']]),
  );

  const runTask = async (execution: Execution, action: string, extra: Record<string, unknown> = {}) => {
    const handler = tasks[execution.context];
    if (!handler) throw new Error(`No task handler for ${execution.context}`);
    return handler(
      {
        action,
        requestId: execution.input.requestId,
        state: { ...execution.input, ...extra },
        ...(action === 'await-decision' || action === 'await-correction'
          ? { taskToken: extra.taskToken }
          : {}),
      },
      lambdaContext(),
    );
  };

  const operations: Record<string, (input: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
    StartExecution: async (input) => {
      const arn = String(input.stateMachineArn);
      const context = contextByArn.get(arn);
      if (!context) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
      const name = String(input.name);
      const inputText = String(input.input ?? '{}');
      const executionArn = `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
      const existing = executions.get(`${arn}:${name}`);
      if (existing) {
        if (existing.inputText !== inputText)
          throw new SfnError('ExecutionAlreadyExists', 'Execution Already Exists');
        return { executionArn, startDate: Date.now() / 1000 };
      }
      const execution: Execution = {
        context,
        input: JSON.parse(inputText) as Record<string, unknown>,
        inputText,
      };
      executions.set(`${arn}:${name}`, execution);
      const taskToken = newTaskToken();
      openTokens.set(taskToken, execution);
      try {
        await runTask(execution, 'await-decision', { taskToken });
      } catch (error) {
        openTokens.delete(taskToken);
        failures.push(error);
      }
      return { executionArn, startDate: Date.now() / 1000 };
    },
    SendTaskSuccess: async (input) => {
      const waitedForCorrection = correctionTokens.delete(String(input.taskToken));
      const execution = takeToken(openTokens, input.taskToken);
      const decision = JSON.parse(String(input.output ?? '{}')) as Record<string, unknown>;
      const wait = async (action: 'await-decision' | 'await-correction', extra: Record<string, unknown>) => {
        const taskToken = newTaskToken();
        openTokens.set(taskToken, execution);
        if (action === 'await-correction') correctionTokens.add(taskToken);
        try {
          await runTask(execution, action, { ...extra, taskToken });
        } catch (error) {
          openTokens.delete(taskToken);
          correctionTokens.delete(taskToken);
          failures.push(error);
        }
      };
      if (waitedForCorrection) {
        await wait('await-decision', {});
        return {};
      }
      if (decision.decision === 'request-correction') {
        await wait('await-correction', { decision });
        return {};
      }
      try {
        // As the state machine's ResultSelector stores it; a Lambda returning nothing gives `null`.
        const outcome = { result: (await runTask(execution, 'apply-outcome', { decision })) ?? null };
        await runTask(execution, 'notify-requester', { decision, outcome });
      } catch (error) {
        failures.push(error);
      }
      return {};
    },
    SendTaskFailure: async (input) => {
      takeToken(openTokens, input.taskToken);
      correctionTokens.delete(String(input.taskToken));
      return {};
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
      let status = 200;
      let answer: Record<string, unknown>;
      try {
        const body = (await readAll(req)).toString('utf8');
        const run = operations[operation];
        if (!run) throw new SfnError('UnknownOperationException', `Unknown operation ${operation}`);
        answer = await run(body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch (error) {
        const sfnError = error instanceof SfnError ? error : new SfnError('InternalFailure', String(error));
        status = sfnError.code === 'InternalFailure' ? 500 : 400;
        answer = { __type: `com.amazonaws.swf.service.v2.model#${sfnError.code}`, message: sfnError.message };
      }
      const text = JSON.stringify(answer);
      res.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.0',
        'Content-Length': String(Buffer.byteLength(text)),
        'x-amzn-RequestId': randomBytes(8).toString('hex'),
      });
      res.end(text);
    })();
  });
  return { server, url: await listen(server) };
}

function takeToken(openTokens: Map<string, Execution>, token: unknown): Execution {
  const execution = typeof token === 'string' ? openTokens.get(token) : undefined;
  if (!execution) throw new SfnError('TaskDoesNotExist', 'Task does not exist');
  openTokens.delete(token as string);
  return execution;
}

class SfnError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
