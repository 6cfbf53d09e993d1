/**
 * Which function made a DynamoDB call, for the sandbox's IAM check (dynamodb-authorization.ts).
 *
 * In AWS each function calls with its own role's credentials. The sandbox runs every handler in one
 * process with one set of credentials, so it tells them apart another way: each invocation runs in
 * an AsyncLocalStorage context that names the function, and the SDK's HTTP handler (the one every
 * client in the process uses) adds that name as a header to requests for the sandbox's DynamoDB
 * endpoint. The header is added after signing and removed by the endpoint; nothing else sees it.
 * A client in another process (an operator's, a test's) sends no header: it acts as the operator,
 * whose calls are not checked, like an administrator's in AWS.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The header that carries the calling function's logical id to the sandbox's DynamoDB endpoint. */
export const FUNCTION_PRINCIPAL_HEADER = 'x-eid-sandbox-function';

/**
 * The header's value for a call made in the sandbox's process outside any invocation: a handler's
 * work that lost its invocation, which the endpoint refuses (it cannot tell whose policy applies).
 * Calls from other processes (an operator's or a test's client) carry no header at all.
 */
export const UNATTRIBUTED_CALL = '-';

const principals = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) as the function `logicalId`. */
export function runAsFunction<T>(logicalId: string, work: () => T): T {
  return principals.run(logicalId, work);
}

/** The function whose invocation is running here, if any. */
export function currentFunction(): string | undefined {
  return principals.getStore();
}

interface HttpRequestLike {
  path?: string;
  headers: Record<string, string>;
}
type Handle = (this: unknown, request: HttpRequestLike, options?: unknown) => Promise<unknown>;

const installed = new Set<string>();

/**
 * Makes every SDK request for a path under `pathPrefix` carry {@link FUNCTION_PRINCIPAL_HEADER}
 * when it is made inside {@link runAsFunction}. Idempotent per prefix.
 */
export function tagFunctionRequests(pathPrefix: string): void {
  if (installed.has(pathPrefix)) return;
  installed.add(pathPrefix);
  // The prototype of the handler the SDK's clients use (NodeHttpHandler), taken from a client so the
  // sandbox patches the very class the handlers' clients were built with.
  const probe = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const prototype = Object.getPrototypeOf(probe.config.requestHandler) as { handle: Handle };
  probe.destroy();
  const original = prototype.handle;
  prototype.handle = function handle(this: unknown, request: HttpRequestLike, options?: unknown) {
    if (request.path?.startsWith(pathPrefix)) {
      request.headers[FUNCTION_PRINCIPAL_HEADER] = principals.getStore() ?? UNATTRIBUTED_CALL;
    }
    return original.call(this, request, options);
  };
}
