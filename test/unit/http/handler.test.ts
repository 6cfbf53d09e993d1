import type { APIGatewayProxyHandler, APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';
import type { Caller } from '#shared/http/caller';
import type * as HandlerModule from '#shared/http/handler';
import type * as ProblemModule from '#shared/http/problem';
import { apiEvent, lambdaContext, PERSON_IDS } from '#test/helpers/api-events';

const PORTAL = 'https://portal.example.be';

let http: typeof HandlerModule;
let problems: typeof ProblemModule;

beforeEach(() => {
  // The functions' environment: ALLOWED_ORIGINS is read when a response is made.
  vi.stubEnv('ALLOWED_ORIGINS', ` ${PORTAL} , http://127.0.0.1:3000/ `);
});

beforeAll(async () => {
  vi.resetModules();
  http = await import('#shared/http/handler');
  problems = await import('#shared/http/problem');
});

beforeEach(() => {
  vi.spyOn(problems.httpLogger, 'info').mockImplementation(() => undefined);
  vi.spyOn(problems.httpLogger, 'error').mockImplementation(() => undefined);
});

const thingBody = z.strictObject({
  name: z.string().min(1),
  address: z.strictObject({ city: z.string() }).optional(),
  tags: z.array(z.strictObject({ label: z.string() })).optional(),
});
const thingPath = z.strictObject({ thingId: z.string().regex(/^\d+$/) });

type ThingInput = HandlerModule.RouteInput<typeof thingBody, undefined, typeof thingPath>;
type ThingHandle = (input: ThingInput) => Promise<HandlerModule.RouteResult>;

function createThingRoute(
  handle = vi.fn<ThingHandle>(async () => ({ status: 201, body: { created: true } })),
) {
  const route = http.defineRoute(
    {
      method: 'POST',
      resource: '/things/{thingId}',
      operationId: 'createThing',
      access: { kind: 'authenticated' },
      body: thingBody,
      path: thingPath,
      responses: { 201: { description: 'Created', body: z.strictObject({ created: z.boolean() }) } },
    },
    handle,
  );
  return { route, handle };
}

function thingEvent(options: Parameters<typeof apiEvent>[0] = {}) {
  return apiEvent({
    method: 'POST',
    resource: '/things/{thingId}',
    pathParameters: { thingId: '42' },
    body: { name: 'lamp' },
    ...options,
  });
}

function problemOf(result: APIGatewayProxyResult): ProblemModule.Problem {
  expect(result.headers?.['Content-Type']).toBe('application/problem+json');
  return JSON.parse(result.body) as ProblemModule.Problem;
}

describe('defineRoute', () => {
  it('answers the route result as JSON with the security headers when the request is valid', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent(), lambdaContext());

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({ created: true });
    expect(result.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Origin',
    });
  });

  it('hands validated input, the caller and lower-cased headers to the route when the request is valid', async () => {
    const { route, handle } = createThingRoute();

    await route(
      thingEvent({ body: { name: 'lamp', tags: [{ label: 'red' }] }, headers: { 'X-Trace': 't1' } }),
      lambdaContext(),
    );

    expect(handle).toHaveBeenCalledOnce();
    const input = handle.mock.calls[0]?.[0];
    if (!input) throw new Error('route not called');
    expect(input.body).toEqual({ name: 'lamp', tags: [{ label: 'red' }] });
    expect(input.path).toEqual({ thingId: '42' });
    expect(input.query).toBeUndefined();
    expect(input.caller).toMatchObject<Partial<Caller>>({ personId: PERSON_IDS.user });
    expect(input.headers['x-trace']).toBe('t1');
    expect(input.headers).not.toHaveProperty('authorization');
    expect(input.requestId).not.toBe('');
  });

  it('types the input from the schemas when a route is defined', () => {
    http.defineRoute(
      { method: 'POST', resource: '/things/{thingId}', access: { kind: 'authenticated' }, body: thingBody },
      async (input) => {
        expectTypeOf(input.body.name).toEqualTypeOf<string>();
        expectTypeOf(input.query).toEqualTypeOf<undefined>();
        expectTypeOf(input.caller).toEqualTypeOf<Caller>();
        return { status: 204 };
      },
    );
    const { route } = createThingRoute();
    expectTypeOf(route).toExtend<APIGatewayProxyHandler>();
  });

  it('answers 401 before looking at the body when the caller is anonymous', async () => {
    const { route, handle } = createThingRoute();

    const result = await route(thingEvent({ persona: 'anonymous', body: '{not json' }), lambdaContext());

    expect(result.statusCode).toBe(401);
    expect(problemOf(result).type).toBe(problems.PROBLEM_TYPES.unauthenticated);
    expect(handle).not.toHaveBeenCalled();
  });

  it('answers 401 when the token has no person_id', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ claims: { person_id: undefined } }), lambdaContext());

    expect(result.statusCode).toBe(401);
  });

  it('answers 400 problem+json when the body is not JSON', async () => {
    const { route, handle } = createThingRoute();

    const result = await route(
      thingEvent({ body: '{"name": "lamp",', headers: { 'Content-Type': 'application/json' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(problemOf(result)).toMatchObject({
      type: problems.PROBLEM_TYPES.validation,
      errors: [{ path: '', message: 'Invalid JSON', code: 'invalid-json' }],
    });
    expect(handle).not.toHaveBeenCalled();
  });

  it('answers 400 with the path of every unknown field when the body has extra fields', async () => {
    const { route, handle } = createThingRoute();

    const result = await route(
      thingEvent({
        body: {
          name: 'lamp',
          colour: 'red',
          address: { city: 'Gent', zip: '9000' },
          tags: [{ label: 'a', x: 1 }],
        },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(
      problemOf(result)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['address.zip', 'colour', 'tags.0.x']);
    expect(handle).not.toHaveBeenCalled();
  });

  it('lists body and path problems together when both are invalid', async () => {
    const { route } = createThingRoute();

    const result = await route(
      thingEvent({ pathParameters: { thingId: 'abc' }, body: { name: '' } }),
      lambdaContext(),
    );

    expect(problemOf(result).errors?.map((e) => e.path)).toEqual(['name', 'path.thingId']);
  });

  it('answers 400 when a route that takes a body gets none', async () => {
    const { route } = createThingRoute();
    const event = thingEvent();
    event.body = null;

    const result = await route(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([{ path: '', message: 'Required', code: 'invalid-body' }]);
  });

  it.each([
    ['missing', undefined],
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['JSON in another charset', 'application/json; charset=iso-8859-1'],
  ])('answers 415 when the Content-Type is %s', async (_case, contentType) => {
    const { route, handle } = createThingRoute();

    const result = await route(
      thingEvent({ body: '{"name":"lamp"}', headers: { 'Content-Type': contentType } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(415);
    expect(problemOf(result).type).toBe(problems.PROBLEM_TYPES.unsupportedMediaType);
    expect(handle).not.toHaveBeenCalled();
  });

  it.each(['application/json; charset=UTF-8', 'Application/JSON', 'application/merge-patch+json'])(
    'accepts the body when the Content-Type is %s',
    async (contentType) => {
      const { route } = createThingRoute();

      const result = await route(
        thingEvent({ body: '{"name":"lamp"}', headers: { 'content-type': contentType } }),
        lambdaContext(),
      );

      expect(result.statusCode).toBe(201);
    },
  );

  it('decodes the body when API Gateway sends it base64-encoded', async () => {
    const { route, handle } = createThingRoute();

    const result = await route(thingEvent({ body: { name: 'lampé' }, base64: true }), lambdaContext());

    expect(result.statusCode).toBe(201);
    expect(handle.mock.calls[0]?.[0]).toMatchObject({ body: { name: 'lampé' } });
  });

  it('answers 400 when the body is not UTF-8', async () => {
    const { route } = createThingRoute();
    const event = thingEvent();
    event.body = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]).toString('base64');
    event.isBase64Encoded = true;

    const result = await route(event, lambdaContext());

    expect(result.statusCode).toBe(400);
  });

  it('answers 413 when the body is larger than 64 KB', async () => {
    const { route, handle } = createThingRoute();

    const result = await route(
      thingEvent({ body: { name: 'x'.repeat(http.MAX_BODY_BYTES) } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(413);
    expect(problemOf(result).type).toBe(problems.PROBLEM_TYPES.payloadTooLarge);
    expect(handle).not.toHaveBeenCalled();
  });

  it('accepts a body of exactly the limit when it is valid', async () => {
    const { route } = createThingRoute();
    const name = 'x'.repeat(http.MAX_BODY_BYTES - '{"name":""}'.length);

    const result = await route(thingEvent({ body: { name } }), lambdaContext());

    expect(result.statusCode).toBe(201);
  });

  it('answers 400 when a route without a body schema gets a body', async () => {
    const route = http.defineRoute(
      { method: 'DELETE', resource: '/things', access: { kind: 'authenticated' } },
      async () => ({ status: 204 }),
    );

    const result = await route(apiEvent({ method: 'DELETE', body: { force: true } }), lambdaContext());

    expect(result.statusCode).toBe(400);
  });

  it('answers 204 without body and content type when the route returns no body', async () => {
    const route = http.defineRoute(
      { method: 'DELETE', resource: '/things', access: { kind: 'authenticated' } },
      async () => ({ status: 204 }),
    );

    const result = await route(apiEvent({ method: 'DELETE' }), lambdaContext());

    expect(result.statusCode).toBe(204);
    expect(result.body).toBe('');
    expect(result.headers).not.toHaveProperty('Content-Type');
    expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store' });
  });

  it('keeps headers the route sets when it returns them', async () => {
    const route = http.defineRoute(
      { method: 'GET', resource: '/things', access: { kind: 'authenticated' } },
      async () => ({ status: 201, body: {}, headers: { Location: '/things/1', 'Cache-Control': 'public' } }),
    );

    const result = await route(apiEvent(), lambdaContext());

    expect(result.headers).toMatchObject({ Location: '/things/1', 'Cache-Control': 'no-store' });
  });
});

describe('defineRoute query parameters', () => {
  const listRoute = () =>
    http.defineRoute(
      {
        method: 'GET',
        resource: '/things',
        access: { kind: 'authenticated' },
        query: z.strictObject({
          limit: z.string().optional(),
          status: z.enum(['OPEN', 'CLOSED']).optional(),
        }),
      },
      async ({ query }) => ({ status: 200, body: query }),
    );

  it('hands the parsed query to the route when the parameters are valid', async () => {
    const result = await listRoute()(apiEvent({ query: { status: 'OPEN' } }), lambdaContext());

    expect(JSON.parse(result.body)).toEqual({ status: 'OPEN' });
  });

  it('answers 400 with query-prefixed paths when a parameter is unknown or invalid', async () => {
    const result = await listRoute()(apiEvent({ query: { status: 'NEW', sort: 'name' } }), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(
      problemOf(result)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['query.sort', 'query.status']);
  });

  it('answers 400 when a parameter is repeated', async () => {
    const result = await listRoute()(apiEvent({ query: { status: ['OPEN', 'CLOSED'] } }), lambdaContext());

    expect(problemOf(result).errors).toEqual([
      {
        path: 'query.status',
        message: 'Give this parameter once',
        code: 'repeated-parameter',
        params: { field: 'status' },
      },
    ]);
  });

  it('answers 400 when a route without a query schema gets a parameter', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ query: { debug: '1' } }), lambdaContext());

    expect(problemOf(result).errors).toEqual([
      { path: 'query.debug', message: 'Unknown field', code: 'unknown-field', params: { field: 'debug' } },
    ]);
  });
});

describe('defineRoute access', () => {
  const agentRoute = (handle = vi.fn(async () => ({ status: 200, body: { ok: true } }))) => ({
    handle,
    route: http.defineRoute(
      {
        method: 'POST',
        resource: '/agent/things',
        access: { kind: 'group', group: 'bis-agents' },
        body: z.strictObject({ decision: z.enum(['approve', 'reject']) }),
      },
      handle,
    ),
  });

  it('answers 403 when the caller is not in the required group', async () => {
    const { route, handle } = agentRoute();

    const result = await route(
      apiEvent({ persona: 'securityOfficer', method: 'POST', body: { decision: 'approve' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(403);
    expect(problemOf(result).type).toBe(problems.PROBLEM_TYPES.forbidden);
    expect(handle).not.toHaveBeenCalled();
  });

  it('runs the route when the caller is in the required group', async () => {
    const { route } = agentRoute();

    const result = await route(
      apiEvent({ persona: 'bisAgent', method: 'POST', body: { decision: 'approve' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
  });

  it('answers 400 rather than 403 when the input of a forbidden request is also invalid', async () => {
    const { route } = agentRoute();

    const result = await route(
      apiEvent({ persona: 'user', method: 'POST', body: { decision: 'maybe' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
  });
});

describe('defineRoute errors', () => {
  it('renders a domain error the route throws as its problem', async () => {
    const { NotFoundError } = await import('#shared/errors');
    const { route } = createThingRoute(
      vi.fn<ThingHandle>(async () => {
        throw new NotFoundError('No such thing.');
      }),
    );

    const result = await route(thingEvent(), lambdaContext());

    expect(result.statusCode).toBe(404);
    expect(problemOf(result)).toMatchObject({
      detail: 'No such thing.',
      type: problems.PROBLEM_TYPES.notFound,
    });
  });

  it('writes the fallback sentences in the language of Accept-Language when the caller asks for French', async () => {
    const { route } = createThingRoute();

    const result = await route(
      thingEvent({ body: {}, headers: { 'Accept-Language': 'fr-BE,fr;q=0.9,en;q=0.5' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    const problem = problemOf(result);
    expect(problem.code).toBe('invalid-request');
    expect(problem.detail).toBe('Des informations manquent ou ne sont pas valables.');
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ path: 'name', code: 'required', message: 'Obligatoire' }),
    );
  });

  it('answers a generic 500 and logs the error when the route throws something unexpected', async () => {
    const failure = new Error('ProvisionedThroughputExceeded on table eid-access-prod');
    const { route } = createThingRoute(
      vi.fn<ThingHandle>(async () => {
        throw failure;
      }),
    );

    const result = await route(thingEvent(), lambdaContext());

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/Provisioned|eid-access-prod/);
    expect(problems.httpLogger.error).toHaveBeenCalledWith('unexpected error', failure);
  });

  it('answers 500 when the route returns an error status instead of throwing', async () => {
    const { route } = createThingRoute(
      vi.fn<ThingHandle>(async () => ({ status: 404, body: { error: 'nope' } })),
    );

    const result = await route(thingEvent(), lambdaContext());

    expect(result.statusCode).toBe(500);
  });
});

describe('defineRoute CORS', () => {
  it('echoes the origin when it is allowed', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ origin: PORTAL }), lambdaContext());

    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': PORTAL,
      'Access-Control-Expose-Headers': 'X-Correlation-Id, Idempotent-Replayed',
      Vary: 'Origin',
    });
  });

  it('echoes an allowed origin that was configured with a trailing slash', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ origin: 'http://127.0.0.1:3000' }), lambdaContext());

    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('http://127.0.0.1:3000');
  });

  it('takes the allow-list the environment holds when it answers, not the one it had at import', async () => {
    // The sandbox loads every handler in one process before it sets the functions' environment.
    const { route } = createThingRoute();
    vi.stubEnv('ALLOWED_ORIGINS', 'https://other-portal.example.be');

    const other = await route(thingEvent({ origin: 'https://other-portal.example.be' }), lambdaContext());
    const before = await route(thingEvent({ origin: PORTAL }), lambdaContext());

    expect(other.headers?.['Access-Control-Allow-Origin']).toBe('https://other-portal.example.be');
    expect(before.headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  it('sends no allow-origin header when the origin is not allowed', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ origin: 'https://evil.example' }), lambdaContext());

    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(result.headers?.Vary).toBe('Origin');
  });

  it('adds CORS and security headers to problems when the request fails', async () => {
    const { route } = createThingRoute();

    const result = await route(thingEvent({ persona: 'anonymous', origin: PORTAL }), lambdaContext());

    expect(result.statusCode).toBe(401);
    expect(result.headers).toMatchObject({
      'Access-Control-Allow-Origin': PORTAL,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
});

describe('route definitions', () => {
  it('carries method, resource and schemas when a route is defined', () => {
    const { route } = createThingRoute();

    expect(route.definition).toMatchObject({
      method: 'POST',
      resource: '/things/{thingId}',
      operationId: 'createThing',
    });
    expect(route.definition.body).toBe(thingBody);
    expect(http.requestJsonSchema(thingBody)).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
  });

  it('refuses a body schema at definition time when an object is not strict', () => {
    expect(() =>
      http.defineRoute(
        {
          method: 'POST',
          resource: '/x',
          access: { kind: 'authenticated' },
          body: z.object({ a: z.string() }),
        },
        async () => ({ status: 204 }),
      ),
    ).toThrow(/strictObject/);
  });

  it('names the nested path when a nested object is not strict', () => {
    expect(() =>
      http.assertStrictSchema(
        z.strictObject({ items: z.array(z.strictObject({ address: z.object({ city: z.string() }) })) }),
        'test',
      ),
    ).toThrow(/items\.address/);
  });

  it('accepts strict schemas with records, unions and optional parts', () => {
    expect(() =>
      http.assertStrictSchema(
        z.strictObject({
          labels: z.record(z.string(), z.string()).optional(),
          choice: z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.number() })]),
        }),
        'test',
      ),
    ).not.toThrow();
  });
});
