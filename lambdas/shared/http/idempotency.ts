/**
 * Idempotent POST requests: a client that sends `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-
 * header) may retry a submission as often as it likes; only the first one runs, every retry gets the
 * first response again, marked `Idempotent-Replayed: true`. `defineRoute` applies this to every POST
 * route; a request without the header behaves as before.
 *
 * Built on Powertools idempotency with its DynamoDB persistence layer on the single table:
 * - the record's key is a SHA-256 of {@link IdempotencyScope} (caller, method, resource template,
 *   header value), so one person can never replay, block or probe another person's request;
 * - the request fingerprint (validated path, query and body) is stored with it: the same key with a
 *   different request is refused with 422, the same key while the first is still running with 409;
 * - only 2xx responses are stored. Refusals are thrown domain errors, on which Powertools deletes its
 *   in-progress record; a 3xx is returned through an error for the same effect. A corrected retry
 *   with the same key therefore runs again;
 * - records expire after {@link IDEMPOTENCY_TTL_SECONDS} through the table's TTL attribute; an
 *   in-progress record left by a crashed invocation is taken over once the invocation's own time
 *   (the Lambda context's remaining time) has passed.
 *
 * Each record is its own partition (`idempotencyKeys.record`) instead of Powertools' one static
 * partition per function, so retries of a busy route never share a partition's throughput.
 */
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConflictError, RuleViolationError, ValidationError } from '#shared/errors';
import { IDEMPOTENCY_KEY_PREFIX, idempotencyKeys } from '#shared/keys';
import { traceAwsClient } from '#shared/tracing';
import { httpLogger } from './problem.ts';

/** The request header a client sends (matched case-insensitively). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The response header that marks a stored response sent again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** How long a stored response is replayed: a day covers any client's retry policy. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Longest accepted key, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * Table actions every function serving a POST route needs for the records: Put (in progress),
 * Update (completed), Delete (after a refusal), Get (a record that came back without its item).
 */
export const IDEMPOTENCY_TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] as const;

/** Only for an invocation without a Lambda context (never in Lambda): how long a record stays locked. */
const FALLBACK_IN_PROGRESS_MILLIS = 30_000;

/** What identifies one idempotent request; hashed into the record's key. */
export interface IdempotencyScope {
  personId: string;
  method: string;
  /** The resource template (`/organisations/{orgCode}/right-requests`), not the concrete path. */
  resource: string;
  /** The client's `Idempotency-Key`. */
  key: string;
}

/** The validated request whose fingerprint a retry must match. */
export interface IdempotentRequest {
  path: unknown;
  query: unknown;
  body: unknown;
}

/** What {@link withIdempotency} needs to know about the request. */
export interface IdempotencyContext {
  method: string;
  resource: string;
  personId: string;
  event: APIGatewayProxyEvent;
  context: Context | undefined;
  request: IdempotentRequest;
}

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;
/** RFC 8941 sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\["\\])*)"$/;

/**
 * The `Idempotency-Key` of a request, or `undefined` when it has none. The draft defines the value as
 * a structured-field string (`"abc"`); the bare form most clients send (`abc`) is accepted too and
 * means the same key.
 * @throws ValidationError (400) when the header is repeated, empty, longer than
 * {@link MAX_IDEMPOTENCY_KEY_LENGTH} or not printable ASCII.
 */
export function readIdempotencyKey(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
): string | undefined {
  const values = headerValues(event, IDEMPOTENCY_KEY_HEADER.toLowerCase());
  if (values.length === 0) return undefined;
  if (values.length > 1) throw invalidKey('Give this header once');
  const raw = (values[0] ?? '').trim();
  const quoted = SF_STRING.exec(raw);
  const key = quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : raw;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE_ASCII.test(key)) {
    throw invalidKey(`Must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`);
  }
  return key;
}

function invalidKey(message: string): ValidationError {
  return new ValidationError(`The ${IDEMPOTENCY_KEY_HEADER} header is invalid.`, [
    { path: `headers.${IDEMPOTENCY_KEY_HEADER}`, message, code: 'invalid-format' },
  ]);
}

function headerValues(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
  name: string,
): string[] {
  const values: string[] = [];
  for (const [header, multi] of Object.entries(event.multiValueHeaders ?? {})) {
    if (header.toLowerCase() === name) values.push(...(multi ?? []));
  }
  if (values.length > 0) return values;
  for (const [header, value] of Object.entries(event.headers ?? {})) {
    if (header.toLowerCase() === name && value !== undefined) values.push(value);
  }
  return values;
}

/** The scope hashed into a record's key: per caller and per route, so keys never collide across them. */
export function idempotencyScope(
  personId: string,
  method: string,
  resource: string,
  key: string,
): IdempotencyScope {
  return { personId, method: method.toUpperCase(), resource, key };
}

/**
 * Runs `run` at most once per {@link IdempotencyScope} within {@link IDEMPOTENCY_TTL_SECONDS} when the
 * request is a POST with an `Idempotency-Key`; otherwise just runs it.
 * @throws ValidationError (400) for an invalid header, RuleViolationError (422) when the key was used
 * for a different request, ConflictError (409) while the first request with the key is in progress;
 * whatever `run` throws, unchanged.
 */
export async function withIdempotency(
  request: IdempotencyContext,
  run: () => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  if (request.method.toUpperCase() !== 'POST') return run();
  const key = readIdempotencyKey(request.event);
  if (key === undefined) return run();

  const { makeIdempotent, IdempotencyConfig } = await import('@aws-lambda-powertools/idempotency');
  const data = {
    scope: idempotencyScope(request.personId, request.method, request.resource, key),
    request: fingerprint(request.request),
  };
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    hashFunction: 'sha256',
    lambdaContext: lockingContext(request.context),
    responseHook: (response) => {
      httpLogger.info('idempotent response replayed', { route: `${request.method} ${request.resource}` });
      return markReplayed(response);
    },
  });
  const execute = makeIdempotent(
    async (_data: typeof data): Promise<StoredResponse> => {
      const result = await run();
      if (result.statusCode < 200 || result.statusCode > 299) throw new UnstoredResult(result);
      return { statusCode: result.statusCode, headers: stringHeaders(result.headers), body: result.body };
    },
    { persistenceStore: await persistenceStore(), config, keyPrefix: IDEMPOTENCY_KEY_PREFIX },
  );

  try {
    return await execute(data);
  } catch (error) {
    if (error instanceof UnstoredResult) return error.result;
    const name = error instanceof Error ? error.name : '';
    if (name === 'IdempotencyValidationError') {
      throw new RuleViolationError(`${IDEMPOTENCY_KEY_HEADER} reused with a different request.`, {
        cause: error,
      });
    }
    if (name === 'IdempotencyAlreadyInProgressError') {
      throw new ConflictError(
        `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed. Retry in a few seconds.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The response as stored in the record: plain JSON, replayed byte for byte. */
interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Carries a non-2xx result through Powertools, which deletes its record on any error. */
class UnstoredResult extends Error {
  readonly result: APIGatewayProxyResult;

  constructor(result: APIGatewayProxyResult) {
    super(`status ${result.statusCode} is not stored`);
    this.name = 'UnstoredResult';
    this.result = result;
  }
}

function stringHeaders(headers: APIGatewayProxyResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

function markReplayed(response: JSONValue): JSONValue {
  if (!isStoredResponse(response)) throw new Error('stored idempotent response is malformed');
  return {
    statusCode: response.statusCode,
    headers: { ...response.headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' },
    body: response.body,
  };
}

function isStoredResponse(value: unknown): value is StoredResponse {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { statusCode, body, headers } = value as Record<string, unknown>;
  return (
    typeof statusCode === 'number' &&
    typeof body === 'string' &&
    headers !== null &&
    typeof headers === 'object' &&
    !Array.isArray(headers) &&
    Object.values(headers).every((header) => typeof header === 'string')
  );
}

/** Plain JSON of the validated request (dates as strings, no `undefined`), so equal requests hash equally. */
function fingerprint(request: IdempotentRequest): JSONValue {
  return JSON.parse(
    JSON.stringify({ path: request.path ?? null, query: request.query ?? null, body: request.body ?? null }),
  );
}

function lockingContext(context: Context | undefined): Context {
  if (typeof context?.getRemainingTimeInMillis === 'function') return context;
  return { ...(context ?? ({} as Context)), getRemainingTimeInMillis: () => FALLBACK_IN_PROGRESS_MILLIS };
}

const stores = new Map<string, Promise<BasePersistenceLayer>>();

/**
 * The persistence layer of the function's table (env `TABLE_NAME`), one per table and container.
 * Loaded on the first idempotent request, so routes that never see one do not pay for the import.
 */
function persistenceStore(): Promise<BasePersistenceLayer> {
  const tableName = process.env.TABLE_NAME;
  if (tableName === undefined || tableName === '') {
    return Promise.reject(new Error('Missing environment variable TABLE_NAME'));
  }
  let store = stores.get(tableName);
  if (!store) {
    store = createStore(tableName);
    stores.set(tableName, store);
    store.catch(() => stores.delete(tableName));
  }
  return store;
}

async function createStore(tableName: string): Promise<BasePersistenceLayer> {
  const { DynamoDBPersistenceLayer } = await import('@aws-lambda-powertools/idempotency/dynamodb');

  class SingleTablePersistenceLayer extends DynamoDBPersistenceLayer {
    protected override getKey(idempotencyKey: string): Record<string, AttributeValue> {
      const { PK, SK } = idempotencyKeys.record(idempotencyKey);
      return { PK: { S: PK }, SK: { S: SK } };
    }
  }

  return new SingleTablePersistenceLayer({
    tableName,
    // The conditional put tests `attribute_not_exists(PK)`; the sort key comes from `getKey`.
    keyAttr: 'PK',
    expiryAttr: 'expiresAt',
    inProgressExpiryAttr: 'inProgressExpiresAt',
    statusAttr: 'status',
    dataAttr: 'response',
    validationKeyAttr: 'requestHash',
    awsSdkV3Client: traceAwsClient(new DynamoDBClient({})),
  });
}
