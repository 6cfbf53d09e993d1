import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '#lib/api-routes';
import { GATEWAY_PROBLEMS } from '#lib/constructs/api';
import {
  type ApiMethod,
  authorizerDate,
  flattenClaims,
  matchRoute,
  type ProxyHandler,
  RestApiEmulator,
  readRestApi,
  tokenFromHeader,
} from '#local/server/api-gateway';
import { synthesizeStage } from '#local/server/template';

const method = (httpMethod: string, resource: string): ApiMethod => ({
  httpMethod,
  resource,
  authorizationType: 'COGNITO_USER_POOLS',
  authorizationScopes: ['eid-access/api'],
  integrationType: 'AWS_PROXY',
  functionLogicalId: 'Fn',
  requiredQuery: [],
  requiredHeaders: [],
});

describe('matchRoute', () => {
  const methods = [
    method('GET', '/bis-registrations/{id}'),
    method('GET', '/bis-registrations/mine'),
    method('POST', '/agent/bis-registrations/{id}/decision'),
    method('GET', '/files/{path+}'),
  ];

  it('prefers a literal path part over a parameter when both match', () => {
    expect(matchRoute(methods, 'GET', '/bis-registrations/mine')?.method.resource).toBe(
      '/bis-registrations/mine',
    );
    expect(matchRoute(methods, 'GET', '/bis-registrations/01J')?.pathParameters).toEqual({ id: '01J' });
  });

  it('decodes path parameters and ignores a trailing slash when matching', () => {
    expect(matchRoute(methods, 'POST', '/agent/bis-registrations/a%20b/decision/')?.pathParameters).toEqual({
      id: 'a b',
    });
  });

  it('gives a greedy parameter the rest of the path when the resource ends with {name+}', () => {
    expect(matchRoute(methods, 'GET', '/files/a/b/c')?.pathParameters).toEqual({ path: 'a/b/c' });
  });

  it('matches nothing when the method, the depth or a literal part differs', () => {
    expect(matchRoute(methods, 'DELETE', '/bis-registrations/1')).toBeUndefined();
    expect(matchRoute(methods, 'GET', '/bis-registrations/1/extra')).toBeUndefined();
    expect(matchRoute(methods, 'GET', '/bis-registrations')).toBeUndefined();
    expect(matchRoute(methods, 'GET', '/bis-registrations/%E0%A4%A')).toBeUndefined();
  });
});

describe('flattenClaims', () => {
  it('renders claims as the REST Cognito authorizer does when they are lists, dates, numbers and booleans', () => {
    const claims = flattenClaims({
      sub: 'abc',
      'cognito:groups': ['bis-agents', 'security-officers'],
      roles: [],
      exp: 1_709_634_131,
      iat: 1_709_630_531,
      auth_time: 1_709_630_530,
      email_verified: true,
      address: { locality: 'Brussels' },
    });

    expect(claims).toEqual({
      sub: 'abc',
      'cognito:groups': 'bis-agents,security-officers',
      roles: '',
      exp: 'Tue Mar 05 10:22:11 UTC 2024',
      iat: 'Tue Mar 05 09:22:11 UTC 2024',
      auth_time: '1709630530',
      email_verified: 'true',
      address: '{"locality":"Brussels"}',
    });
  });

  it('pads day, hour, minute and second with zeros when they are single digits', () => {
    expect(authorizerDate(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000)).toBe('Fri Jan 02 03:04:05 UTC 2026');
  });
});

describe('tokenFromHeader', () => {
  it.each([
    ['a raw token', 'eyJ.a.b', 'eyJ.a.b'],
    ['Bearer and a token', 'Bearer eyJ.a.b', 'eyJ.a.b'],
    ['lower-case bearer', 'bearer   eyJ.a.b ', 'eyJ.a.b'],
    ['nothing', undefined, undefined],
    ['blanks', '   ', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz', undefined],
  ])('reads the token when the header holds %s', (_, header, token) => {
    expect(tokenFromHeader(header)).toBe(token);
  });
});

describe('readRestApi (dev stage template)', () => {
  const api = readRestApi(synthesizeStage('dev').accessTemplate);

  it('serves only routes of API_ROUTES, each through a function, when the stage is synthesized', () => {
    const deployed = api.methods
      .filter((m) => m.httpMethod !== 'OPTIONS')
      .map((m) => `${m.httpMethod} ${m.resource}`)
      .sort();
    const contract = API_ROUTES.flatMap((context) => context.routes)
      .map((route) => `${route.definition.method} ${route.definition.resource}`)
      .sort();

    expect(deployed.length).toBeGreaterThan(0);
    expect(contract).toEqual(expect.arrayContaining(deployed));
    expect(api.methods.filter((m) => m.httpMethod !== 'OPTIONS').every((m) => m.functionLogicalId)).toBe(
      true,
    );
  });

  it('requires the API scope on every route method, as the authorizer of the stage does', () => {
    const routes = api.methods.filter((m) => m.httpMethod !== 'OPTIONS');

    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(route.authorizationScopes).toEqual(['eid-access/api']);
  });

  it('answers with the problems of lib/constructs/api.ts when the gateway refuses', () => {
    for (const [type, problem] of GATEWAY_PROBLEMS) {
      const response = api.gatewayResponses.get(type.responseType);
      expect(response?.status).toBe(problem.status);
      expect(JSON.parse(response?.body ?? '{}')).toEqual(problem);
      expect(response?.headers['Content-Type']).toBe('application/problem+json');
    }
  });
});

describe('RestApiEmulator', () => {
  const template = synthesizeStage('dev').accessTemplate;
  const api = readRestApi(template);
  const seen: APIGatewayProxyEvent[] = [];
  const tokens: Record<string, JWTPayload> = {
    'id-token': { sub: 's', token_use: 'id', person_id: 'P1' },
    'access-token': {
      sub: 's',
      token_use: 'access',
      scope: 'openid profile eid-access/api',
      person_id: 'P1',
      'cognito:groups': ['bis-agents', 'security-officers'],
    },
    'admin-scope-token': {
      sub: 's',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      person_id: 'P1',
    },
    'prefix-scope-token': { sub: 's', token_use: 'access', scope: 'eid-access/api-extra', person_id: 'P1' },
  };
  let behaviour: 'ok' | 'throw' | 'malformed' = 'ok';
  const handler: ProxyHandler = async (event) => {
    seen.push(event);
    if (behaviour === 'throw') throw new Error('boom');
    if (behaviour === 'malformed') return { body: 'no status' } as never;
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' };
  };
  const emulator = new RestApiEmulator({
    api,
    verifyToken: async (token) => {
      const payload = tokens[token];
      if (!payload) throw new Error('invalid');
      return payload;
    },
    handlerOf: () => handler,
    log: () => {},
  });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function call(path: string, init: RequestInit = {}) {
    seen.length = 0;
    behaviour = 'ok';
    const response = await fetch(`${base}${path}`, init);
    return { response, body: (await response.text()) || '{}' };
  }

  it.each([
    ['no Authorization header', {}],
    ['a token the pool did not sign', { authorization: 'Bearer forged' }],
    ['an ID token', { authorization: 'Bearer id-token' }],
    ['an access token without the API scope', { authorization: 'Bearer admin-scope-token' }],
    [
      'an access token whose scope only starts like the API scope',
      { authorization: 'Bearer prefix-scope-token' },
    ],
  ])(
    'answers the UNAUTHORIZED problem without calling the function when the request has %s',
    async (_, headers) => {
      const { response, body } = await call('/me', { headers });

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(JSON.parse(body)).toMatchObject({ type: 'urn:eid-access:problem:unauthenticated', status: 401 });
      expect(seen).toHaveLength(0);
    },
  );

  it('answers the 404 problem when the method or path is not a route', async () => {
    const unknownPath = await call('/nowhere', { headers: { authorization: 'access-token' } });
    const unknownMethod = await call('/me', { method: 'DELETE', headers: { authorization: 'access-token' } });

    for (const { response, body } of [unknownPath, unknownMethod]) {
      expect(response.status).toBe(404);
      expect(JSON.parse(body)).toEqual({
        status: 404,
        type: 'urn:eid-access:problem:not-found',
        code: 'not-found',
        title: 'Not found',
        detail: 'There is no such resource.',
      });
    }
  });

  it('passes a REST proxy event with flattened claims when the access token is valid and carries the API scope', async () => {
    const { response } = await call('/bis-registrations/01J0000000000000000000000A?x=1&x=2', {
      headers: { Authorization: 'access-token', 'X-Custom': 'v' },
    });

    expect(response.status).toBe(200);
    const event = seen[0] as APIGatewayProxyEvent;
    expect(event).toMatchObject({
      resource: '/bis-registrations/{id}',
      path: '/bis-registrations/01J0000000000000000000000A',
      httpMethod: 'GET',
      pathParameters: { id: '01J0000000000000000000000A' },
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers['X-Custom']).toBe('v');
    expect(event.requestContext.authorizer?.claims).toMatchObject({
      person_id: 'P1',
      'cognito:groups': 'bis-agents,security-officers',
    });
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  });

  it('answers the DEFAULT_5XX problem when the function throws or returns a malformed result', async () => {
    for (const mode of ['throw', 'malformed'] as const) {
      seen.length = 0;
      behaviour = mode;
      const response = await fetch(`${base}/me`, { headers: { authorization: 'access-token' } });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ type: 'urn:eid-access:problem:internal' });
    }
  });

  it('answers the REQUEST_TOO_LARGE problem when the body exceeds 10 MB', async () => {
    const { response } = await call('/bis-registrations', {
      method: 'POST',
      headers: { authorization: 'access-token', 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it('answers the preflight of the API construct when a portal origin asks', async () => {
    const { response } = await call('/me', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Authorization,Content-Type,Idempotency-Key,X-Correlation-Id',
    );
  });
});
