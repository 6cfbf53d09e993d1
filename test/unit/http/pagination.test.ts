import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extend } from 'zod/mini';
import { ValidationError } from '#shared/errors';
import {
  type CursorKey,
  DEFAULT_LIMIT,
  decodeCursor,
  encodeCursor,
  limitSchema,
  MAX_LIMIT,
  paginationQuerySchema,
  toPage,
} from '#shared/http/pagination';

const SCOPE = 'GSI1#ORG#ORG123#RIGHT_REQUEST#PENDING';
const KEY: CursorKey = {
  PK: 'RIGHT_REQUEST#01JZ0000000000000000000001',
  SK: 'RIGHT_REQUEST',
  GSI1PK: 'ORG#ORG123#RIGHT_REQUEST#PENDING',
  GSI1SK: '2026-01-01T10:00:00.000Z',
};

function rawCursor(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function payloadOf(cursor: string): { v: number; s: string; k: Record<string, unknown> } {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}

function expectInvalidCursor(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  expect((thrown as ValidationError).errors).toEqual([
    { path: 'query.cursor', message: 'Invalid cursor', code: 'invalid-format' },
  ]);
}

describe('limitSchema', () => {
  it('defaults to 25 when the parameter is absent', () => {
    expect(limitSchema.parse(undefined)).toBe(DEFAULT_LIMIT);
  });

  it('accepts every whole number from 1 to 100 when given as a query string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_LIMIT }), (limit) => {
        expect(limitSchema.parse(String(limit))).toBe(limit);
      }),
    );
  });

  it('rejects any number above 100 when given', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_LIMIT + 1, max: 1_000_000_000 }), (limit) => {
        expect(limitSchema.safeParse(String(limit)).success).toBe(false);
      }),
    );
  });

  it.each(['0', '-1', '1.5', '1e2', 'abc', '', ' 10', '0x10'])('rejects %j', (limit) => {
    expect(limitSchema.safeParse(limit).success).toBe(false);
  });
});

describe('paginationQuerySchema', () => {
  it('reads limit and cursor when both are given', () => {
    expect(paginationQuerySchema.parse({ limit: '10', cursor: 'abc_-1' })).toEqual({
      limit: 10,
      cursor: 'abc_-1',
    });
  });

  it('rejects unknown parameters when extended with filters', () => {
    const schema = extend(paginationQuerySchema, { status: paginationQuerySchema.shape.cursor });

    expect(schema.safeParse({ status: 'x' }).success).toBe(true);
    expect(schema.safeParse({ sort: 'name' }).success).toBe(false);
  });

  it('rejects a cursor outside the base64url alphabet', () => {
    expect(paginationQuerySchema.safeParse({ cursor: 'a+b/c=' }).success).toBe(false);
  });
});

describe('encodeCursor / decodeCursor', () => {
  it('returns the key when the cursor is decoded for the scope it was issued for', () => {
    expect(decodeCursor(encodeCursor(KEY, SCOPE), SCOPE)).toEqual(KEY);
  });

  it('round-trips any key of string and number attributes', () => {
    const key = fc.dictionary(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/),
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      ),
      { minKeys: 1, maxKeys: 4 },
    );
    fc.assert(
      fc.property(key, fc.string({ minLength: 1, maxLength: 100 }), (lastEvaluatedKey, scope) => {
        const cursor = encodeCursor(lastEvaluatedKey, scope);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        // -0 survives neither JSON nor DynamoDB; compare as JSON.
        expect(JSON.stringify(decodeCursor(cursor, scope))).toBe(JSON.stringify(lastEvaluatedKey));
      }),
    );
  });

  it('does not reveal the scope when it is encoded', () => {
    expect(Buffer.from(encodeCursor(KEY, SCOPE), 'base64url').toString()).not.toContain(SCOPE);
  });

  it('returns undefined when there is no cursor', () => {
    expect(decodeCursor(undefined, SCOPE)).toBeUndefined();
  });

  it('rejects a cursor issued for another scope', () => {
    const cursor = encodeCursor(KEY, 'GSI1#ORG#OTHER#RIGHT_REQUEST#PENDING');

    expectInvalidCursor(() => decodeCursor(cursor, SCOPE));
  });

  it('rejects a cursor from any other scope', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (issued, used) => {
        fc.pre(issued !== used);
        expectInvalidCursor(() => decodeCursor(encodeCursor(KEY, issued), used));
      }),
    );
  });

  it('rejects a cursor whose key was changed when the query binds that attribute', () => {
    const payload = payloadOf(encodeCursor(KEY, SCOPE));
    const forged = rawCursor({ ...payload, k: { ...payload.k, GSI1PK: 'ORG#OTHER#RIGHT_REQUEST#PENDING' } });

    expectInvalidCursor(() => decodeCursor(forged, SCOPE, { bind: { GSI1PK: KEY.GSI1PK as string } }));
    expect(decodeCursor(encodeCursor(KEY, SCOPE), SCOPE, { bind: { GSI1PK: KEY.GSI1PK as string } })).toEqual(
      KEY,
    );
  });

  it.each([
    ['not base64url JSON', 'bm90LWpzb24'],
    ['an empty string', ''],
    ['too long', 'A'.repeat(3000)],
    ['non-canonical base64url', `${encodeCursor(KEY, SCOPE)}A`],
    ['in the standard base64 alphabet', `${encodeCursor(KEY, SCOPE).slice(0, -2)}+/`],
  ])('rejects a cursor that is %s', (_case, cursor) => {
    expectInvalidCursor(() => decodeCursor(cursor, SCOPE));
  });

  it('rejects a payload of the wrong shape when it carries the right scope', () => {
    const { s } = payloadOf(encodeCursor(KEY, SCOPE));
    const variants = [
      { v: 2, s, k: KEY },
      { v: 1, s, k: KEY, extra: true },
      { v: 1, s, k: {} },
      { v: 1, s, k: { a: '1', b: '2', c: '3', d: '4', e: '5' } },
      { v: 1, s, k: { PK: { S: 'x' } } },
      { v: 1, s, k: { PK: ['x'] } },
      { v: 1, s, k: { 'PK#': 'x' } },
      { v: 1, s, k: { PK: 'x'.repeat(2000) } },
      { v: 1, k: KEY },
      [1, s, KEY],
    ];
    for (const variant of variants) {
      expectInvalidCursor(() => decodeCursor(rawCursor(variant), SCOPE));
    }
  });

  it('throws a TypeError when asked to encode a key that is not a flat key', () => {
    expect(() => encodeCursor({}, SCOPE)).toThrow(TypeError);
    expect(() => encodeCursor({ PK: { nested: true } }, SCOPE)).toThrow(TypeError);
  });
});

describe('toPage', () => {
  it('adds the next cursor when DynamoDB has more items', () => {
    const page = toPage([1, 2], KEY, SCOPE);

    expect(page.items).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor, SCOPE)).toEqual(KEY);
  });

  it('leaves out nextCursor when the list is complete', () => {
    expect(toPage([1], undefined, SCOPE)).toEqual({ items: [1] });
  });
});
