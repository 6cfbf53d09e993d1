/**
 * Pagination of list routes: `?limit=&cursor=` in, `{ items, nextCursor? }` out (ARCHITECTURE.md
 * section 3).
 *
 * The cursor wraps DynamoDB's `LastEvaluatedKey`. It is opaque by contract (clients must not build
 * or read it) but not confidential: it is base64url JSON, and an HMAC would need a secret the
 * functions do not have. What stops misuse instead:
 * - **scope binding**: the cursor carries a hash of the scope it was issued for (the partition or
 *   index query it continues, e.g. `GSI1#ORG#<orgCode>#RIGHT_REQUESTS#PENDING`). A cursor from
 *   another list, another organisation or another status is refused before any query runs;
 * - **optional key binding**: `decodeCursor(…, { bind })` checks that key attributes hold the values
 *   the query pins (e.g. the GSI partition key), so a forged key cannot point elsewhere;
 * - **strict shape**: a version, the scope tag and 1–4 key attributes of string or number values,
 *   canonical base64url, bounded size. Anything else is a 400 `ValidationError`.
 * The key condition of the query still decides what can be read; a forged start key can at most
 * skip items of the list the caller may read anyway. Because the keys are readable, never paginate
 * over an index whose keys hold personal data such as an INSZ.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { ValidationError } from '#shared/errors';

/** Page size when the client gives none. */
export const DEFAULT_LIMIT = 25;
/** Largest page a client may ask for. */
export const MAX_LIMIT = 100;

const LIMIT_MESSAGE = `Must be a whole number from 1 to ${MAX_LIMIT}`;

/** `limit` as it arrives in a query string: a decimal integer 1..100, default 25. */
export const limitSchema = z
  ._default(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,3}$/, LIMIT_MESSAGE)), z.transform(Number)),
      z.int().check(z.minimum(1, LIMIT_MESSAGE), z.maximum(MAX_LIMIT, LIMIT_MESSAGE)),
    ),
    DEFAULT_LIMIT,
  )
  .check(z.meta({ description: `Page size, 1 to ${MAX_LIMIT}; default ${DEFAULT_LIMIT}` }));

const MAX_CURSOR_LENGTH = 2048;

/** `cursor` as it arrives in a query string: only its alphabet and size are checked here. */
export const cursorSchema = z
  .string()
  .check(
    z.maxLength(MAX_CURSOR_LENGTH, 'Invalid cursor'),
    z.regex(/^[A-Za-z0-9_-]+$/, 'Invalid cursor'),
    z.meta({ description: 'The `nextCursor` of the previous page, unchanged' }),
  );

/**
 * The query of a list route; extend it with the route's filters, it stays strict:
 * `z.extend(paginationQuerySchema, { status: z.enum([...]) })`.
 */
export const paginationQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: z.optional(cursorSchema),
});

/** A key attribute value as the document client returns it for string and number keys. */
export type CursorKeyValue = string | number;
/** A DynamoDB key (`LastEvaluatedKey` / `ExclusiveStartKey`) as the document client handles it. */
export type CursorKey = Record<string, CursorKeyValue>;

/** A page of a list route, the response body of section 3. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

const CURSOR_VERSION = 1;
const SCOPE_TAG_LENGTH = 16;
const MAX_KEY_ATTRIBUTES = 4;

const cursorPayloadSchema = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  s: z.string().check(z.length(SCOPE_TAG_LENGTH)),
  k: z
    .record(
      z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
      z.union([z.string().check(z.maxLength(1024)), z.number()]),
    )
    .check(
      z.refine((key) => {
        const size = Object.keys(key).length;
        return size >= 1 && size <= MAX_KEY_ATTRIBUTES;
      }),
    ),
});

/** 96 bits of SHA-256: enough to tell scopes apart, and it keeps key naming out of the cursor. */
function scopeTag(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, SCOPE_TAG_LENGTH);
}

function invalidCursor(): ValidationError {
  return new ValidationError('The cursor is not valid for this list.', [
    { path: 'query.cursor', message: 'Invalid cursor', code: 'invalid-format' },
  ]);
}

/**
 * The opaque cursor for the next page.
 * @param lastEvaluatedKey DynamoDB's `LastEvaluatedKey` of the query (string and number attributes).
 * @param scope what the query lists; the same string must be given to {@link decodeCursor}.
 */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown>, scope: string): string {
  const payload = { v: CURSOR_VERSION, s: scopeTag(scope), k: lastEvaluatedKey };
  if (!cursorPayloadSchema.safeParse(payload).success) {
    throw new TypeError('encodeCursor: a key of 1 to 4 string or number attributes is required');
  }
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Options of {@link decodeCursor}. */
export interface DecodeCursorOptions {
  /** Key attributes that must hold exactly these values (what the query's key condition pins). */
  bind?: Readonly<Record<string, CursorKeyValue>>;
}

/**
 * The `ExclusiveStartKey` of a cursor issued by {@link encodeCursor} for the same scope;
 * `undefined` when there is no cursor (first page).
 * @throws ValidationError (400, path `query.cursor`) for a malformed, tampered or foreign cursor.
 */
export function decodeCursor(cursor: string, scope: string, options?: DecodeCursorOptions): CursorKey;
export function decodeCursor(
  cursor: string | undefined,
  scope: string,
  options?: DecodeCursorOptions,
): CursorKey | undefined;
export function decodeCursor(
  cursor: string | undefined,
  scope: string,
  options: DecodeCursorOptions = {},
): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  if (!cursorSchema.safeParse(cursor).success) throw invalidCursor();
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical encoding is accepted, so a cursor cannot be altered without changing its bytes.
  if (bytes.toString('base64url') !== cursor) throw invalidCursor();
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalidCursor();
  }
  const parsed = cursorPayloadSchema.safeParse(json);
  if (!parsed.success || parsed.data.s !== scopeTag(scope)) throw invalidCursor();
  const key = parsed.data.k;
  for (const [attribute, expected] of Object.entries(options.bind ?? {})) {
    if (key[attribute] !== expected) throw invalidCursor();
  }
  return key;
}

/** The response body of a list route: the items and, when DynamoDB has more, the next cursor. */
export function toPage<T>(
  items: T[],
  lastEvaluatedKey: Record<string, unknown> | undefined,
  scope: string,
): Page<T> {
  return lastEvaluatedKey ? { items, nextCursor: encodeCursor(lastEvaluatedKey, scope) } : { items };
}

/** The paging part of a list route's query, as {@link paginationQuerySchema} hands it over. */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** A list over one GSI1 partition: the start key of a cursor and the page of a query's result. */
export interface Gsi1List {
  /** The `ExclusiveStartKey` of the caller's cursor; refused unless issued for this list. */
  startKey(cursor: string | undefined): CursorKey | undefined;
  /** The response body, its next cursor bound to this list. */
  page<T>(items: T[], lastEvaluatedKey: Record<string, unknown> | undefined): Page<T>;
}

/**
 * The cursors of a list over the GSI1 partition `partition`: scoped to `GSI1#<partition>` (or
 * `scope`) and bound to that `GSI1PK`, so a cursor of another status, queue or organisation is refused.
 */
export function gsi1List(partition: string, scope = `GSI1#${partition}`): Gsi1List {
  return {
    startKey: (cursor) => decodeCursor(cursor, scope, { bind: { GSI1PK: partition } }),
    page: (items, lastEvaluatedKey) => toPage(items, lastEvaluatedKey, scope),
  };
}
