/**
 * Starts the sandbox (ARCHITECTURE.md section 6). The order matters:
 * 1. the HTTP server binds `127.0.0.1:<port>` first — a busy port fails before anything starts, and
 *    the base URL (needed by the IdPs, the token issuer and the local AWS endpoints) is known;
 * 2. the stage is synthesized in a worker thread while DynamoDB Local starts;
 * 3. the functions' environment from the template is set in `process.env`, and only then are the
 *    handler modules (and everything that shares their modules) imported, by runtime.ts;
 * 4. the table is created from the shared schema and the registers are seeded;
 * 5. requests are served (before that, 503).
 *
 * This module imports nothing that reads the handlers' environment at module scope.
 */
import type { X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DYNAMODB_PROXY_PATH } from '#local/aws/dynamodb-proxy';
import { S3_EMULATOR_PREFIX } from '#local/aws/s3-emulator';
import { COGNITO_IDP_PATH } from '#local/cognito/idp-endpoint';
import {
  createTable,
  localAwsEnvironment,
  localClientConfig,
  startDynamoDbLocal,
} from '#local/dynamodb-local';
import { NODE_MAX_HEADER_SIZE } from './api-gateway.ts';
import { planInWorker } from './plan-worker.ts';

/** The table the sandbox creates in DynamoDB Local. */
export const SANDBOX_TABLE_NAME = 'eid-access-sandbox';

/** Options of {@link startSandbox}. */
export interface StartSandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** The committed stage whose config and infrastructure the sandbox runs. @default 'dev' */
  stage?: string;
  /** Workflow time factor (`SANDBOX_TIME_SCALE`). @default 1 (real time) */
  timeScale?: number;
  /**
   * More PID providers the wallet bridge trusts besides the sandbox's own (`SANDBOX_PID_TRUST_ANCHORS`):
   * what a stage's trust anchors secret would add, e.g. a load test's provider. @default none
   */
  pidTrustAnchors?: readonly X509Certificate[];
  /** Progress lines. @default none */
  progress?: (line: string) => void;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Process id of DynamoDB Local's watchdog shell (its Java child dies with it). */
  dynamoDbPid: number | undefined;
  /**
   * DynamoDB Local's own endpoint, for operator tools (seeding, benches): calls there are no function's
   * and skip the sandbox's per-function IAM check and fault switchboard.
   */
  dynamoDbEndpoint: string;
  /** Stops the server, the workflows and DynamoDB Local. Safe to call twice. */
  close(): Promise<void>;
}

/** The port is taken by another process. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is in use: stop the other process or run PORT=${port + 1} npm start`);
    this.name = 'PortInUseError';
  }
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Binds `127.0.0.1:<port>` with a handler that can be swapped once the sandbox is ready.
 * @throws PortInUseError when the port is taken.
 */
export async function listen(
  port: number,
  initial: RequestHandler,
): Promise<{ server: Server; port: number; setHandler(handler: RequestHandler): void }> {
  let current = initial;
  const server = createServer({ maxHeaderSize: NODE_MAX_HEADER_SIZE }, (req, res) => {
    current(req, res).catch((error: unknown) => {
      console.error('[sandbox] request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    setHandler(handler) {
      current = handler;
    },
  };
}

const starting: RequestHandler = async (_req, res) => {
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Starting',
    status: 503,
    detail: 'The sandbox is starting; try again in a few seconds.',
  });
  res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '2' });
  res.end(body);
};

/** Starts everything; see the module comment. */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const progress = options.progress ?? (() => {});
  const http = await listen(options.port, starting);
  const url = `http://127.0.0.1:${http.port}`;
  const closeServer = () =>
    new Promise<void>((resolveClose) => {
      http.server.close(() => resolveClose());
      http.server.closeAllConnections();
    });

  let dynamoDb: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  try {
    progress('synthesizing the stage and starting DynamoDB Local');
    const dynamoDbStarting = startDynamoDbLocal();
    const [plan, started] = await Promise.all([
      planInWorker({ stage: options.stage ?? 'dev', tableName: SANDBOX_TABLE_NAME }),
      dynamoDbStarting,
    ]).catch(async (error: unknown) => {
      await dynamoDbStarting.then((db) => db.stop()).catch(() => {});
      throw error;
    });
    dynamoDb = started;

    const userLogLevel = process.env.POWERTOOLS_LOG_LEVEL;
    Object.assign(process.env, localAwsEnvironment(started.endpoint), {
      // The functions reach DynamoDB Local through the sandbox, where the fault switchboard can fail calls.
      AWS_ENDPOINT_URL_DYNAMODB: `${url}${DYNAMODB_PROXY_PATH}`,
      AWS_ENDPOINT_URL_SFN: `${url}/local/aws/sfn`,
      AWS_ENDPOINT_URL_SESV2: `${url}/local/aws/ses`,
      // The registration office's AdminCreateUser/AdminDeleteUser reach the local user pool.
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `${url}${COGNITO_IDP_PATH}`,
      // Presigned URLs are built from this endpoint: clients reach them at the sandbox's base URL.
      AWS_ENDPOINT_URL_S3: `${url}${S3_EMULATOR_PREFIX}`,
      ...plan.environment,
      // The operator may quieten the functions' logs (the dev stage logs at DEBUG).
      ...(userLogLevel ? { POWERTOOLS_LOG_LEVEL: userLogLevel } : {}),
    });

    progress('creating the table and seeding the registers');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const client = new DynamoDBClient(localClientConfig(started.endpoint));
    try {
      await createTable(client, SANDBOX_TABLE_NAME);
    } finally {
      client.destroy();
    }

    progress('loading the functions and the identity providers');
    const { createRuntime } = await import('./runtime.ts');
    const runtime = await createRuntime({
      plan,
      baseUrl: url,
      tableName: SANDBOX_TABLE_NAME,
      timeScale: options.timeScale ?? 1,
      dynamoDbEndpoint: started.endpoint,
      pidTrustAnchors: options.pidTrustAnchors ?? [],
    });
    http.setHandler(runtime.handle);
    const db = started;
    let closing: Promise<void> | undefined;
    return {
      url,
      port: http.port,
      dynamoDbPid: db.pid,
      dynamoDbEndpoint: db.endpoint,
      close: () => {
        closing ??= (async () => {
          await closeServer();
          await runtime.close();
          await db.stop();
        })();
        return closing;
      },
    };
  } catch (error) {
    await closeServer();
    await dynamoDb?.stop();
    throw error;
  }
}
