/**
 * API Gateway REST (v1 proxy) events as the Cognito authorizer delivers them, for the personas of
 * the platform. Every call returns a fresh object, so a test may mutate what it gets.
 *
 * Claims are strings, as the REST authorizer flattens them; list claims use the comma form by
 * default (`'bis-agents,security-officers'`), override them to test other forms.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { proxyIdentity } from '#local/server/proxy-identity';

/** The callers tests talk about. */
export type Persona = 'anonymous' | 'user' | 'userWithInsz' | 'bisAgent' | 'securityOfficer';

/** Stable person ids per persona (ULIDs), so tests can assert on them. */
export const PERSON_IDS = {
  user: '01JZ0000000000000000000001',
  userWithInsz: '01JZ0000000000000000000002',
  bisAgent: '01JZ0000000000000000000003',
  securityOfficer: '01JZ0000000000000000000004',
} as const satisfies Record<Exclude<Persona, 'anonymous'>, string>;

/** A valid national number (fictitious: born 1985-07-30, male) carried by `userWithInsz`. */
export const PERSONA_INSZ = '85073003328';

/** Authorizer claims of a persona; `undefined` for `anonymous` (no authorizer ran). */
export function claimsFor(persona: Persona): Record<string, string> | undefined {
  const base = (personId: string): Record<string, string> => ({
    sub: `sub-${personId.toLowerCase()}`,
    token_use: 'id',
    person_id: personId,
    idp: 'itsme',
    loa: 'substantial',
    roles: '',
    admin_of: '',
  });
  switch (persona) {
    case 'anonymous':
      return undefined;
    case 'user':
      return { ...base(PERSON_IDS.user), idp: 'eidas' };
    case 'userWithInsz':
      return { ...base(PERSON_IDS.userWithInsz), loa: 'high', insz: PERSONA_INSZ };
    case 'bisAgent':
      return { ...base(PERSON_IDS.bisAgent), insz: '90021512370', 'cognito:groups': 'bis-agents' };
    case 'securityOfficer':
      return { ...base(PERSON_IDS.securityOfficer), 'cognito:groups': 'security-officers' };
  }
}

/** What a test says about the request; everything has a sensible default. */
export interface ApiEventOptions {
  /** @default 'user' */
  persona?: Persona;
  /** Replaces (or, with `undefined` values, removes) individual claims of the persona. */
  claims?: Record<string, string | undefined>;
  /** @default 'GET' */
  method?: string;
  /** The resource template, e.g. `/organisations/{orgCode}`. @default '/me' */
  resource?: string;
  /** The concrete path. @default `resource` with path parameters filled in */
  path?: string;
  pathParameters?: Record<string, string>;
  /** Single values, or arrays for repeated parameters. */
  query?: Record<string, string | string[]>;
  /** A string is sent as is; anything else as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Extra or replacing headers; `undefined` removes a default header. */
  headers?: Record<string, string | undefined>;
  /** Sent as the `Origin` header. */
  origin?: string;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
}

/** A REST proxy event with the persona's claims. */
export function apiEvent(options: ApiEventOptions = {}): APIGatewayProxyEvent {
  const persona = options.persona ?? 'user';
  const method = options.method ?? 'GET';
  const resource = options.resource ?? '/me';
  const pathParameters = options.pathParameters ?? null;
  const path =
    options.path ??
    resource.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters?.[name] ?? name));

  let claims = claimsFor(persona);
  if (options.claims) {
    claims = { ...claims };
    for (const [name, value] of Object.entries(options.claims)) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
  }

  const headers: Record<string, string | undefined> = { Accept: 'application/json' };
  if (claims) headers.Authorization = 'Bearer test-token';
  let body: string | null = null;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  if (options.origin !== undefined) headers.Origin = options.origin;
  Object.assign(headers, options.headers);
  const definedHeaders = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  if (body !== null && options.base64) body = Buffer.from(body, 'utf8').toString('base64');

  const query = options.query;
  return {
    resource,
    path,
    httpMethod: method,
    headers: definedHeaders,
    multiValueHeaders: Object.fromEntries(
      Object.entries(definedHeaders).map(([name, value]) => [name, [value]]),
    ),
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value].flat().at(-1)]))
      : null,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value].flat()]))
      : null,
    pathParameters: pathParameters ? { ...pathParameters } : null,
    stageVariables: null,
    body,
    isBase64Encoded: Boolean(options.base64 && body !== null),
    requestContext: {
      accountId: '123456789012',
      apiId: 'testapi',
      authorizer: claims ? { claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: proxyIdentity('192.0.2.10', 'vitest'),
      path: `/test${path}`,
      stage: 'test',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_767_225_600_000,
      resourceId: 'abc123',
      resourcePath: resource,
    },
  };
}

/** A Lambda context with a generous remaining time (the HTTP handler arms its early timeout from it). */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'eid-access-test-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:eid-access-test-api',
    memoryLimitInMB: '256',
    awsRequestId: 'd2a6e2d6-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/eid-access-test-api',
    logStreamName: '2026/01/01/[$LATEST]0000',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
