/**
 * What both wallet-bridge Lambda entries share (`handler.ts`, the provider; `verifier-handler.ts`,
 * the verifier): reading the one secret each may read (docs/operations.md, "Wallet bridge") — the
 * provider the bridge's keys, the verifier the trusted PID providers — at cold start and again every
 * few minutes ({@link refreshing}), and the translation between API Gateway's HTTP API events
 * (payload format 2.0) and the bridge's framework-free requests.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { requiredEnv } from '#shared/table';
import type { BridgeRequest, BridgeResponse } from './http.ts';

const secrets = new SecretsManagerClient({});

/**
 * The text of the secret named by the environment variable `variable` (`WALLET_BRIDGE_SECRET_NAME`
 * for the provider, `WALLET_TRUST_ANCHORS_SECRET_NAME` for the verifier), unchecked: each entry
 * checks what it reads (the provider with its zod schema, the verifier its PEM), so the verifier's
 * bundle carries no schema library.
 */
export async function readSecretText(variable: string): Promise<string> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: requiredEnv(variable) }));
  return SecretString ?? '';
}

/** The issuer URL: `WALLET_BRIDGE_ISSUER` when set, else the API's own domain. */
export function issuerOf(event: APIGatewayProxyEventV2): string {
  return process.env.WALLET_BRIDGE_ISSUER || `https://${event.requestContext.domainName}`;
}

/** Options of {@link refreshing}. */
export interface RefreshOptions {
  /** How long a created service serves before the next request creates it again. */
  maxAgeMs: number;
  /** Told when a re-creation failed (the previous service keeps serving). */
  onRefreshFailed: (error: unknown) => void;
  /** @default Date.now */
  now?: () => number;
}

/**
 * A lazily created service that is created again, by the first request after `maxAgeMs`, so that a
 * warm container takes a changed secret without a redeploy: one creation per container per period,
 * whatever the number of requests (requests that arrive while it runs wait for the same one). A
 * failed first creation fails the request and is tried again by the next one (a secret that could
 * not be read must not poison the container). A
 * failed re-creation is reported and the previous service keeps serving for another period: a
 * secret that cannot be read or is broken never takes a working bridge down.
 */
export function refreshing<T>(
  create: (event: APIGatewayProxyEventV2) => Promise<T>,
  options: RefreshOptions,
) {
  const now = options.now ?? (() => Date.now());
  let current: { service: T; createdAt: number } | undefined;
  let running: Promise<T> | undefined;
  return (event: APIGatewayProxyEventV2): Promise<T> => {
    if (current && now() - current.createdAt < options.maxAgeMs) return Promise.resolve(current.service);
    if (!running) {
      const previous = current;
      running = create(event)
        .then(
          (service) => {
            current = { service, createdAt: now() };
            return service;
          },
          (error: unknown) => {
            if (!previous) throw error;
            options.onRefreshFailed(error);
            previous.createdAt = now();
            return previous.service;
          },
        )
        .finally(() => {
          running = undefined;
        });
    }
    return running;
  };
}

/** The bridge's view of an HTTP API event: lower-case header names, cookies joined, body decoded. */
export function toBridgeRequest(event: APIGatewayProxyEventV2): BridgeRequest {
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
  };
}

/** The HTTP API result of a bridge answer (its cookie in `cookies`, as payload format 2.0 wants it). */
export function toLambdaResult(answer: BridgeResponse): APIGatewayProxyStructuredResultV2 {
  const { 'Set-Cookie': setCookie, ...rest } = answer.headers;
  return {
    statusCode: answer.status,
    headers: rest,
    ...(setCookie ? { cookies: [setCookie] } : {}),
    body: answer.body,
  };
}
