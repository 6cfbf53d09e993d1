/**
 * The sandbox's DynamoDB endpoint: a pass-through to DynamoDB Local that the fault switchboard can
 * fail per operation (`X-Amz-Target: DynamoDB_20120810.<Operation>`), answering the AWS JSON 1.0 error
 * DynamoDB would. The handlers reach it through `AWS_ENDPOINT_URL_DYNAMODB`, so their SDK clients and
 * retry strategies see the error exactly as they would see AWS's.
 */
import { Agent, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { awsJsonError, type FaultSwitchboard } from './faults.ts';
import { FUNCTION_PRINCIPAL_HEADER, UNATTRIBUTED_CALL } from './function-principal.ts';

/** Where the sandbox mounts the endpoint. */
export const DYNAMODB_PROXY_PATH = '/local/aws/dynamodb';

const NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
/** Hop-by-hop headers a proxy must not forward. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);

/**
 * Decides whether the function `principal` (its logical id, `undefined` when a call in the
 * sandbox's process was made outside any invocation) may make the call `operation` with `body`:
 * `undefined` allows it, a message refuses it with AccessDeniedException. Calls that carry no
 * function header at all come from another process (an operator's or a test's client) and are not
 * checked.
 */
export type DynamoDbAuthorizer = (
  principal: string | undefined,
  operation: string,
  body: Record<string, unknown>,
) => string | undefined;

/**
 * Forwards to DynamoDB Local (`upstream`, e.g. `http://127.0.0.1:8000`), failing where a rule says,
 * and refusing what `authorize` refuses, as IAM would, before DynamoDB sees it.
 */
export class DynamoDbProxy {
  readonly #upstream: URL;
  readonly #faults: FaultSwitchboard;
  readonly #authorize: DynamoDbAuthorizer | undefined;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(upstream: string, faults: FaultSwitchboard, authorize?: DynamoDbAuthorizer) {
    this.#upstream = new URL(upstream);
    this.#faults = faults;
    this.#authorize = authorize;
  }

  /** Answers one request of the DynamoDB API. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
    const before = this.#faults.idle ? undefined : this.#faults.check({ target: 'dynamodb', operation });
    if (before) {
      req.resume();
      return sendError(res, before.error);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const principal = req.headers[FUNCTION_PRINCIPAL_HEADER];
    if (this.#authorize && typeof principal === 'string') {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // An unreadable body is DynamoDB's to refuse; authorise it as a call without keys.
      }
      const denied = this.#authorize(
        principal === UNATTRIBUTED_CALL ? undefined : principal,
        operation,
        parsed,
      );
      if (denied !== undefined) return sendError(res, 'AccessDeniedException', denied);
    }
    const upstream = await this.#forward(req, body);
    const after = this.#faults.idle
      ? undefined
      : this.#faults.check({ target: 'dynamodb', operation, phase: 'after' });
    if (after && upstream.status < 300) return sendError(res, after.error);
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  /** Closes the kept-alive connections to DynamoDB Local. */
  close(): void {
    this.#agent.destroy();
  }

  #forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== FUNCTION_PRINCIPAL_HEADER)
        headers[name] = value;
    }
    headers['content-length'] = String(body.length);
    return new Promise((resolveForward, reject) => {
      const upstream = request(
        {
          host: this.#upstream.hostname,
          port: this.#upstream.port,
          path: '/',
          method: req.method ?? 'POST',
          headers,
          agent: this.#agent,
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (chunk: Buffer) => parts.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const out: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
            }
            resolveForward({ status: response.statusCode ?? 500, headers: out, body: Buffer.concat(parts) });
          });
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

function sendError(res: ServerResponse, code: string, message?: string): void {
  const error = awsJsonError(code, NAMESPACE, message);
  res.writeHead(error.status, error.headers);
  res.end(error.body);
}
