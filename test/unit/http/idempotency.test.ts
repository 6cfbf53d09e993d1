import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConflictError } from '#shared/errors';
import { defineRoute, type RouteResult } from '#shared/http/handler';
import {
  IDEMPOTENCY_TTL_SECONDS,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyScope,
  readIdempotencyKey,
} from '#shared/http/idempotency';
import { httpLogger } from '#shared/http/problem';
import { apiEvent, lambdaContext, PERSON_IDS, type Persona } from '#test/helpers/api-events';

const ddb = mockClient(DynamoDBClient);

type Item = Record<string, AttributeValue>;

/**
 * The four item operations Powertools performs, over a Map, with the conditional put's semantics
 * (a record may be overwritten only when expired, or in progress past its in-progress expiry).
 */
function fakeTable() {
  const items = new Map<string, Item>();
  const id = (key: Item | undefined): string => `${key?.PK?.S}|${key?.SK?.S}`;
  ddb.on(PutItemCommand).callsFake((input: { Item: Item }) => {
    const existing = items.get(id(input.Item));
    if (existing) {
      const now = Date.now();
      const expired = Number(existing.expiresAt?.N) < now / 1000;
      const lockExpired =
        existing.status?.S === 'INPROGRESS' &&
        existing.inProgressExpiresAt !== undefined &&
        Number(existing.inProgressExpiresAt.N) < now;
      if (!expired && !lockExpired) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
          Item: existing,
        });
      }
    }
    items.set(id(input.Item), input.Item);
    return {};
  });
  ddb.on(GetItemCommand).callsFake((input: { Key: Item }) => ({ Item: items.get(id(input.Key)) }));
  ddb.on(DeleteItemCommand).callsFake((input: { Key: Item }) => {
    items.delete(id(input.Key));
    return {};
  });
  ddb
    .on(UpdateItemCommand)
    .callsFake(
      (input: {
        Key: Item;
        UpdateExpression: string;
        ExpressionAttributeNames: Record<string, string>;
        ExpressionAttributeValues: Item;
      }) => {
        const item = { ...(items.get(id(input.Key)) ?? input.Key) };
        for (const assignment of input.UpdateExpression.replace(/^SET /, '').split(', ')) {
          const [name = '', value = ''] = assignment.split(' = ');
          const attribute = input.ExpressionAttributeNames[name];
          const attributeValue = input.ExpressionAttributeValues[value];
          if (attribute && attributeValue) item[attribute] = attributeValue;
        }
        items.set(id(input.Key), item);
        return {};
      },
    );
  return items;
}

const body = z.strictObject({ name: z.string().min(1), tags: z.array(z.string()).optional() });
const thingPath = z.strictObject({ orgCode: z.string() });

function thingRoute(handle: () => Promise<RouteResult>, resource = '/organisations/{orgCode}/things') {
  return defineRoute(
    { method: 'POST', resource, access: { kind: 'authenticated' }, body, path: thingPath },
    vi.fn(handle),
  );
}

function post(
  options: {
    key?: string;
    persona?: Persona;
    body?: unknown;
    orgCode?: string;
    resource?: string;
    headers?: Record<string, string>;
  } = {},
) {
  return apiEvent({
    method: 'POST',
    persona: options.persona ?? 'user',
    resource: options.resource ?? '/organisations/{orgCode}/things',
    pathParameters: { orgCode: options.orgCode ?? '0123456789' },
    body: options.body ?? { name: 'lamp' },
    headers: {
      ...(options.key === undefined ? {} : { 'Idempotency-Key': options.key }),
      ...options.headers,
    },
  });
}

function json(result: APIGatewayProxyResult): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

let counter = 0;
/** A handle that answers 202 with a new id each time it runs, so a replay is recognisable. */
const accept = async (): Promise<RouteResult> => {
  counter += 1;
  return { status: 202, body: { requestId: `R${counter}`, status: 'PENDING' } };
};

let items: Map<string, Item>;

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 'eid-access-test');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.spyOn(httpLogger, 'info').mockImplementation(() => undefined);
  vi.spyOn(httpLogger, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  items = fakeTable();
});

afterEach(() => {
  ddb.reset();
});

describe('readIdempotencyKey', () => {
  it('returns undefined when the request has no Idempotency-Key header', () => {
    expect(readIdempotencyKey(post())).toBeUndefined();
  });

  it('returns the key when the header name has any case', () => {
    const event = post({ headers: { 'idempotency-KEY': 'abc-123' } });

    expect(readIdempotencyKey(event)).toBe('abc-123');
  });

  it('unquotes the structured-field string form when the value is quoted', () => {
    expect(readIdempotencyKey(post({ key: '"8e03978e-40d5"' }))).toBe('8e03978e-40d5');
    expect(readIdempotencyKey(post({ key: String.raw`"a\"b\\c"` }))).toBe(String.raw`a"b\c`);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé-1'],
    ['a control character', 'a\tb'],
    ['an empty quoted string', '""'],
  ])('throws a ValidationError when the key is %s', (_, key) => {
    expect(() => readIdempotencyKey(post({ key }))).toThrowError(
      expect.objectContaining({
        name: 'ValidationError',
        errors: [expect.objectContaining({ path: 'headers.Idempotency-Key' })],
      }),
    );
  });

  it('throws a ValidationError when the header is repeated', () => {
    const event = post({ key: 'a' });
    event.multiValueHeaders = { ...event.multiValueHeaders, 'Idempotency-Key': ['a', 'b'] };

    expect(() => readIdempotencyKey(event)).toThrowError(
      expect.objectContaining({ name: 'ValidationError' }),
    );
  });

  it('accepts every key of 1 to 255 printable ASCII characters unchanged when it is not quoted', () => {
    fc.assert(
      fc.property(
        fc
          .string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            minLength: 1,
            maxLength: 255,
          })
          .filter((key) => key.trim() === key && key.length > 0 && !/^".*"$/.test(key)),
        (key) => {
          expect(readIdempotencyKey(post({ key }))).toBe(key);
        },
      ),
    );
  });
});

describe('idempotencyScope', () => {
  it('names the caller, the method and the resource template with the key', () => {
    expect(idempotencyScope('P1', 'post', '/bis-registrations', 'k')).toEqual({
      personId: 'P1',
      method: 'POST',
      resource: '/bis-registrations',
      key: 'k',
    });
  });
});

describe('defineRoute with Idempotency-Key', () => {
  it('runs the route once and replays its response with Idempotent-Replayed when the key is sent again', async () => {
    const route = thingRoute(accept);

    const first = await route(post({ key: 'key-1' }), lambdaContext());
    const second = await route(post({ key: 'key-1' }), lambdaContext());

    expect(first.statusCode).toBe(202);
    expect(first.headers?.[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(second.statusCode).toBe(202);
    expect(second.body).toBe(first.body);
    expect(second.headers).toMatchObject({
      [IDEMPOTENT_REPLAYED_HEADER]: 'true',
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    expect(ddb).toHaveReceivedCommandTimes(PutItemCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(UpdateItemCommand, 1);
    expect(httpLogger.info).toHaveBeenCalledWith('idempotent response replayed', {
      route: 'POST /organisations/{orgCode}/things',
    });
  });

  it('stores one hashed record per request, with TTL and lock expiry, when the route succeeds', async () => {
    const route = thingRoute(accept);
    const before = Date.now();

    await route(post({ key: 'key-stored', persona: 'userWithInsz' }), lambdaContext());

    const [record] = [...items.values()];
    expect(items.size).toBe(1);
    expect(record?.PK?.S).toMatch(/^IDEMPOTENCY#[A-Za-z0-9+/]{43}=$/);
    expect(record?.SK?.S).toBe('RESPONSE');
    expect(record?.status?.S).toBe('COMPLETED');
    expect(Number(record?.expiresAt?.N)).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) + IDEMPOTENCY_TTL_SECONDS,
    );
    expect(Number(record?.inProgressExpiresAt?.N)).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(record?.requestHash?.S).toBeTruthy();
    // Neither the caller nor the client's key is readable from the record.
    expect(JSON.stringify(record)).not.toContain(PERSON_IDS.userWithInsz);
    expect(JSON.stringify(record)).not.toContain('key-stored');
  });

  it('runs the route again when another caller sends the same key', async () => {
    const route = thingRoute(accept);

    const mine = await route(post({ key: 'shared-key', persona: 'user' }), lambdaContext());
    const theirs = await route(post({ key: 'shared-key', persona: 'userWithInsz' }), lambdaContext());

    expect(theirs.statusCode).toBe(202);
    expect(theirs.body).not.toBe(mine.body);
    expect(theirs.headers?.[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(items.size).toBe(2);
  });

  it('runs the route again when the same caller sends the same key to another route', async () => {
    const things = thingRoute(accept);
    const widgets = thingRoute(accept, '/organisations/{orgCode}/widgets');

    const thing = await things(post({ key: 'k' }), lambdaContext());
    const widget = await widgets(
      post({ key: 'k', resource: '/organisations/{orgCode}/widgets' }),
      lambdaContext(),
    );

    expect(widget.body).not.toBe(thing.body);
    expect(items.size).toBe(2);
  });

  it('answers 422 problem+json without running the route when the key is reused with a different body', async () => {
    const handle = vi.fn(accept);
    const route = thingRoute(handle);
    await route(post({ key: 'key-2', body: { name: 'lamp' } }), lambdaContext());

    const reused = await route(post({ key: 'key-2', body: { name: 'chair' } }), lambdaContext());

    expect(reused.statusCode).toBe(422);
    expect(reused.headers?.['Content-Type']).toBe('application/problem+json');
    expect(json(reused)).toMatchObject({
      type: 'urn:eid-access:problem:rule-violation',
      status: 422,
      detail: 'Idempotency-Key reused with a different request.',
    });
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('answers 422 when the key is reused for another path of the same route', async () => {
    const route = thingRoute(accept);
    await route(post({ key: 'key-path', orgCode: '0123456789' }), lambdaContext());

    const reused = await route(post({ key: 'key-path', orgCode: '0987654321' }), lambdaContext());

    expect(reused.statusCode).toBe(422);
  });

  it('replays when the same request is sent with other key order and whitespace', async () => {
    const route = thingRoute(accept);
    await route(post({ key: 'key-3', body: { name: 'lamp', tags: ['a'] } }), lambdaContext());

    const retry = await route(
      post({
        key: 'key-3',
        body: '{ "tags": ["a"],\n  "name": "lamp" }',
        headers: { 'Content-Type': 'application/json' },
      }),
      lambdaContext(),
    );

    expect(retry.statusCode).toBe(202);
    expect(retry.headers?.[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
  });

  it('runs a corrected retry when the first attempt was refused with a 4xx', async () => {
    const handle = vi
      .fn<() => Promise<RouteResult>>()
      .mockRejectedValueOnce(new ConflictError('You already have an open request.'))
      .mockImplementationOnce(accept);
    const route = thingRoute(handle);

    const refused = await route(post({ key: 'key-4' }), lambdaContext());
    const retried = await route(post({ key: 'key-4' }), lambdaContext());

    expect(refused.statusCode).toBe(409);
    expect(retried.statusCode).toBe(202);
    expect(retried.headers?.[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(handle).toHaveBeenCalledTimes(2);
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });

  it('does not store a 3xx response when the route redirects', async () => {
    const handle = vi.fn(async (): Promise<RouteResult> => ({ status: 303, headers: { Location: '/x' } }));
    const route = thingRoute(handle);

    const first = await route(post({ key: 'key-5' }), lambdaContext());
    const second = await route(post({ key: 'key-5' }), lambdaContext());

    expect(first.statusCode).toBe(303);
    expect(second.headers?.[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(handle).toHaveBeenCalledTimes(2);
    expect(items.size).toBe(0);
  });

  it('answers 409 problem+json when the first request with the key is still in progress', async () => {
    let release: () => void = () => undefined;
    const handle = vi.fn(
      () =>
        new Promise<RouteResult>((resolve) => {
          release = () => resolve({ status: 202, body: { requestId: 'R-slow', status: 'PENDING' } });
        }),
    );
    const route = thingRoute(handle);

    const first = route(post({ key: 'key-6' }), lambdaContext());
    await vi.waitFor(() => expect(handle).toHaveBeenCalledTimes(1));
    const concurrent = await route(post({ key: 'key-6' }), lambdaContext());
    release();

    expect(concurrent.statusCode).toBe(409);
    expect(json(concurrent)).toMatchObject({ type: 'urn:eid-access:problem:conflict', status: 409 });
    expect((await first).statusCode).toBe(202);
    expect(handle).toHaveBeenCalledTimes(1);
  });

  it('answers 400 without running the route when the key is invalid', async () => {
    const handle = vi.fn(accept);
    const route = thingRoute(handle);

    const result = await route(post({ key: 'x'.repeat(256) }), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(json(result).errors).toEqual([
      {
        path: 'headers.Idempotency-Key',
        message: 'Must be 1 to 255 printable ASCII characters',
        code: 'invalid-format',
      },
    ]);
    expect(handle).not.toHaveBeenCalled();
  });

  it('touches no table when the request has no Idempotency-Key', async () => {
    const route = thingRoute(accept);

    const first = await route(post(), lambdaContext());
    const second = await route(post(), lambdaContext());

    expect(second.body).not.toBe(first.body);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('ignores the header when the route is not a POST', async () => {
    const route = defineRoute(
      { method: 'GET', resource: '/things', access: { kind: 'authenticated' } },
      async () => ({ status: 200, body: { at: Date.now() } }),
    );

    const result = await route(
      apiEvent({ method: 'GET', resource: '/things', headers: { 'Idempotency-Key': 'k' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 401 before looking at the key when the caller is anonymous', async () => {
    const route = thingRoute(accept);

    const result = await route(post({ key: 'k', persona: 'anonymous' }), lambdaContext());

    expect(result.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });
});
