/**
 * Idempotent POST requests: a client that sends `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-
 * header) may retry a submission as often as it likes; only the first one runs, every retry gets the
 * first response again, marked `Idempotent-Replayed: true`. `defineRoute` applies this to every POST
 * route; a request without the header behaves as before.
 *
 * Records live on the single table, written with conditional requests (the layout and hashing of
 * Powertools' DynamoDB persistence layer, which this module replaced to keep its ~40 KB of JMESPath
 * out of every API bundle; records written by either read the same):
 * - the record's key is a SHA-256 of {@link IdempotencyScope} (caller, method, resource template,
 *   header value), so one person can never replay, block or probe another person's request;
 * - the request fingerprint (validated path, query and body) is stored with it: the same key with a
 *   different request is refused with 422, the same key while the first is still running with 409;
 * - only 2xx responses are stored. On a refusal (a thrown domain error) or a 3xx the in-progress
 *   record is deleted, so a corrected retry with the same key runs again;
 * - records expire after {@link IDEMPOTENCY_TTL_SECONDS} through the table's TTL attribute; an
 *   in-progress record left by a crashed invocation is taken over once the invocation's own time
 *   (the Lambda context's remaining time) has passed.
 *
 * Each record is its own partition (`idempotencyKeys.record`), so retries of a busy route never
 * share a partition's throughput.
 */

import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
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

  const store = recordStore();
  const recordKey = `${IDEMPOTENCY_KEY_PREFIX}#${hashJson(idempotencyScope(request.personId, request.method, request.resource, key))}`;
  const requestHash = hashJson(fingerprint(request.request));

  // A record that expired, or vanished between the refused put and the read, is claimed again.
  for (let attempt = 1; ; attempt += 1) {
    const existing = await store.claim(recordKey, requestHash, remainingMillis(request.context));
    if (existing === undefined) break;
    if (existing !== 'gone') {
      if (existing.requestHash !== requestHash) {
        throw new RuleViolationError(`${IDEMPOTENCY_KEY_HEADER} reused with a different request.`);
      }
      if (!isExpired(existing)) {
        if (existing.status === 'COMPLETED' && isStoredResponse(existing.response)) {
          httpLogger.info('idempotent response replayed', { route: `${request.method} ${request.resource}` });
          return markReplayed(existing.response);
        }
        if (existing.status === 'INPROGRESS' && !isLockExpired(existing)) throw stillInProgress();
      }
    }
    if (attempt >= MAX_CLAIMS) throw stillInProgress();
  }

  let result: APIGatewayProxyResult;
  try {
    result = await run();
  } catch (error) {
    await store.release(recordKey);
    throw error;
  }
  if (result.statusCode < 200 || result.statusCode > 299) {
    await store.release(recordKey);
    return result;
  }
  await store.complete(recordKey, requestHash, {
    statusCode: result.statusCode,
    headers: stringHeaders(result.headers),
    body: result.body,
  });
  return result;
}

/** How often a request tries to claim a record whose state changes under it before it answers 409. */
const MAX_CLAIMS = 3;

function stillInProgress(): ConflictError {
  return new ConflictError(
    `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed. Retry in a few seconds.`,
  );
}

/** The response as stored in the record: plain JSON, replayed byte for byte. */
interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A record as read back. */
interface IdempotencyRecord {
  status?: string;
  /** Epoch seconds after which the record counts as gone (the TTL attribute). */
  expiresAt?: number;
  /** Epoch milliseconds after which an in-progress record may be taken over. */
  inProgressExpiresAt?: number;
  requestHash?: string;
  response?: unknown;
}

/** Attribute names of a record (shared with Powertools' DynamoDB persistence layer). */
const ATTRIBUTE = {
  expiry: 'expiresAt',
  inProgressExpiry: 'inProgressExpiresAt',
  status: 'status',
  response: 'response',
  requestHash: 'requestHash',
} as const;

function isExpired(record: IdempotencyRecord): boolean {
  return record.expiresAt !== undefined && record.expiresAt < Date.now() / 1000;
}

function isLockExpired(record: IdempotencyRecord): boolean {
  return record.inProgressExpiresAt !== undefined && record.inProgressExpiresAt < Date.now();
}

/** SHA-256 (base64) of the JSON of `value` with object keys sorted, case-insensitively, at every depth. */
function hashJson(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedKeys(value)))
    .digest('base64');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      .map((name) => [name, sortedKeys((value as Record<string, unknown>)[name])]),
  );
}

function stringHeaders(headers: APIGatewayProxyResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

function markReplayed(response: StoredResponse): APIGatewayProxyResult {
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
function fingerprint(request: IdempotentRequest): unknown {
  return JSON.parse(
    JSON.stringify({ path: request.path ?? null, query: request.query ?? null, body: request.body ?? null }),
  );
}

function remainingMillis(context: Context | undefined): number {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : FALLBACK_IN_PROGRESS_MILLIS;
}

/** The four conditional item operations on the records of one table. */
interface RecordStore {
  /**
   * Puts an in-progress record unless a live one exists. Returns `undefined` when the caller now
   * holds the record, the existing record otherwise, or `'gone'` when it vanished before it was read.
   */
  claim(
    recordKey: string,
    requestHash: string,
    lockMillis: number,
  ): Promise<IdempotencyRecord | 'gone' | undefined>;
  /** Stores the response and marks the record completed. */
  complete(recordKey: string, requestHash: string, response: StoredResponse): Promise<void>;
  /** Deletes the record, so the next request with the key runs. */
  release(recordKey: string): Promise<void>;
}

const stores = new Map<string, RecordStore>();

/** The record store of the function's table (env `TABLE_NAME`), one per table and container. */
function recordStore(): RecordStore {
  const tableName = process.env.TABLE_NAME;
  if (tableName === undefined || tableName === '') throw new Error('Missing environment variable TABLE_NAME');
  let store = stores.get(tableName);
  if (!store) {
    store = dynamoRecordStore(traceAwsClient(new DynamoDBClient({})), tableName);
    stores.set(tableName, store);
  }
  return store;
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}

/** A stored response as a DynamoDB map (`statusCode` number, `headers` map of strings, `body`). */
function responseAttribute(response: StoredResponse): AttributeValue {
  return {
    M: {
      statusCode: { N: String(response.statusCode) },
      headers: {
        M: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, { S: value }])),
      },
      body: { S: response.body },
    },
  };
}

/** The plain object of a stored response map; {@link isStoredResponse} checks its shape. */
function responseOf(value: AttributeValue | undefined): unknown {
  const map = value?.M;
  if (!map) return undefined;
  const headers = map.headers?.M;
  return {
    statusCode: numberOf(map.statusCode),
    headers: headers && Object.fromEntries(Object.entries(headers).map(([name, header]) => [name, header.S])),
    body: map.body?.S,
  };
}

function dynamoRecordStore(client: DynamoDBClient, tableName: string): RecordStore {
  const keyOf = (recordKey: string): Record<string, AttributeValue> => {
    const { PK, SK } = idempotencyKeys.record(recordKey);
    return { PK: { S: PK }, SK: { S: SK } };
  };
  const expiry = (): number => Math.round(Date.now() / 1000 + IDEMPOTENCY_TTL_SECONDS);
  const recordOf = (item: Record<string, AttributeValue> | undefined): IdempotencyRecord | undefined => {
    if (!item) return undefined;
    return {
      status: item[ATTRIBUTE.status]?.S,
      expiresAt: numberOf(item[ATTRIBUTE.expiry]),
      inProgressExpiresAt: numberOf(item[ATTRIBUTE.inProgressExpiry]),
      requestHash: item[ATTRIBUTE.requestHash]?.S,
      response: responseOf(item[ATTRIBUTE.response]),
    };
  };

  return {
    async claim(recordKey, requestHash, lockMillis) {
      const now = Date.now();
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...keyOf(recordKey),
              [ATTRIBUTE.expiry]: { N: String(expiry()) },
              [ATTRIBUTE.status]: { S: 'INPROGRESS' },
              [ATTRIBUTE.inProgressExpiry]: { N: String(now + lockMillis) },
              [ATTRIBUTE.requestHash]: { S: requestHash },
            },
            // Free, expired, or in progress past the lock of the invocation that wrote it.
            ConditionExpression:
              'attribute_not_exists(#id) OR #expiry < :now OR ' +
              '(#status = :inprogress AND attribute_exists(#lock) AND #lock < :now_in_millis)',
            ExpressionAttributeNames: {
              '#id': 'PK',
              '#expiry': ATTRIBUTE.expiry,
              '#lock': ATTRIBUTE.inProgressExpiry,
              '#status': ATTRIBUTE.status,
            },
            ExpressionAttributeValues: {
              ':now': { N: String(now / 1000) },
              ':now_in_millis': { N: String(now) },
              ':inprogress': { S: 'INPROGRESS' },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const returned = recordOf(error.Item);
        if (returned) return returned;
        const read = await client.send(
          new GetItemCommand({ TableName: tableName, Key: keyOf(recordKey), ConsistentRead: true }),
        );
        return recordOf(read.Item) ?? 'gone';
      }
    },
    async complete(recordKey, requestHash, response) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(recordKey),
          UpdateExpression:
            'SET #expiry = :expiry, #status = :status, #response_data = :response_data, #validation_key = :validation_key',
          ExpressionAttributeNames: {
            '#expiry': ATTRIBUTE.expiry,
            '#status': ATTRIBUTE.status,
            '#response_data': ATTRIBUTE.response,
            '#validation_key': ATTRIBUTE.requestHash,
          },
          ExpressionAttributeValues: {
            ':expiry': { N: String(expiry()) },
            ':status': { S: 'COMPLETED' },
            ':response_data': responseAttribute(response),
            ':validation_key': { S: requestHash },
          },
        }),
      );
    },
    async release(recordKey) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: keyOf(recordKey) }));
    },
  };
}
