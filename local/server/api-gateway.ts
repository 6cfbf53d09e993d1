/**
 * API Gateway (REST, Lambda proxy) with the Cognito user pool authorizer, emulated from the
 * synthesized template: the methods and resources the API construct created (and only those), the
 * function each one invokes, the authorizer's identity source, the required parameters of the request
 * validator, the CORS preflight (MOCK) answers and the gateway responses — the problem+json bodies
 * are read from the `AWS::ApiGateway::GatewayResponse` resources, so they cannot drift from
 * lib/constructs/api.ts.
 *
 * Order, as API Gateway applies it: request line plus header values (10,240 bytes, a fixed quota of
 * REST and HTTP APIs: answered by the front end before anything of the API runs, so no gateway
 * response, no CORS headers, no authorizer and no function) → payload size (10 MB) → route (unknown method or path: the
 * `MISSING_AUTHENTICATION_TOKEN` response) → Cognito authorizer (missing or invalid token — signature,
 * issuer, expiry, app client of the pool —, or of the wrong kind: a method with authorization scopes
 * takes an access token carrying one of them, a method without takes an ID token; else
 * `UNAUTHORIZED`) → request validator (required path
 * and query parameters: `BAD_REQUEST_PARAMETERS`) → the function (a throw or a malformed result:
 * `DEFAULT_5XX`; more than 29 s: `INTEGRATION_TIMEOUT`).
 *
 * The proxy event is API Gateway's REST v1 format; the authorizer's claims are flattened to strings
 * as the REST Cognito authorizer does it: lists comma-joined (`bis-agents,security-officers`), `exp`
 * and `iat` as `Tue Mar 05 10:22:11 UTC 2024`, other numbers and booleans as their text.
 * Not emulated: stage throttling and the WAF (no 429 / WAF 403 locally), authorizer result caching.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { lambdaContext } from './functions.ts';
import { BodyTooLargeError, readBody } from './http.ts';
import { proxyIdentity } from './proxy-identity.ts';
import { type CfnTemplate, referencedLogicalId, referencedLogicalIds, resourcesOfType } from './template.ts';

/**
 * API Gateway's fixed quota "total combined size of request line and header values" (REST and HTTP
 * APIs, not adjustable).
 */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;
/**
 * How the front end refuses a request over that quota. AWS documents the quota, not the answer; the
 * text is what clients behind API Gateway report seeing. It is not a gateway response: it cannot be
 * customised and carries no CORS headers (a browser sees a failed request).
 */
export const HEADERS_TOO_LARGE = {
  status: 400,
  body: `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADER_BYTES} bytes.`,
} as const;

/**
 * The bytes API Gateway counts against {@link MAX_REQUEST_LINE_AND_HEADER_BYTES}: the request line
 * (`GET /path?query HTTP/1.1`) plus every header value as sent (UTF-8).
 */
export function requestLineAndHeaderBytes(req: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`);
  const raw = req.rawHeaders;
  for (let i = 1; i < raw.length; i += 2) bytes += Buffer.byteLength(raw[i] as string);
  return bytes;
}

/**
 * Node's own header limit (16 KiB by default) answers an empty 431 before any handler runs; the
 * sandbox's server raises it so that {@link MAX_REQUEST_LINE_AND_HEADER_BYTES} is the limit that
 * applies, answered as API Gateway answers it.
 */
export const NODE_MAX_HEADER_SIZE = 64 * 1024;

/** API Gateway's payload limit. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's default (and maximum for REST) integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** A method of the REST API. */
export interface ApiMethod {
  httpMethod: string;
  /** Resource template, e.g. `/bis-registrations/{id}`. */
  resource: string;
  authorizationType: string;
  /**
   * `AuthorizationScopes` of a Cognito-authorized method: the authorizer then takes access tokens
   * whose `scope` holds one of them (and refuses ID tokens); empty: ID tokens only.
   */
  authorizationScopes: string[];
  /** `AWS_PROXY` (a function) or `MOCK` (CORS preflight). */
  integrationType: string;
  /** The function a proxy integration invokes (logical id). */
  functionLogicalId?: string;
  /** Required `method.request.querystring.*` parameters. */
  requiredQuery: string[];
  /** Required `method.request.header.*` parameters (other than the authorizer's identity source). */
  requiredHeaders: string[];
  /** MOCK integration answer (status and literal header values). */
  mock?: { status: number; headers: Record<string, string> };
}

/** A gateway response as deployed. */
export interface GatewayResponse {
  status: number;
  /** Literal header values; `method.request.header.X` values are echoed from the request. */
  headers: Record<string, string>;
  body: string;
}

/** What the emulator reads from the template. */
export interface RestApiDefinition {
  methods: ApiMethod[];
  gatewayResponses: Map<string, GatewayResponse>;
  /** Header the Cognito authorizer reads the token from (lower case). */
  identityHeader: string;
}

const unquote = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  return /^'.*'$/s.test(value) ? value.slice(1, -1) : undefined;
};

/** Reads the REST API of a template (exactly one API is expected). */
export function readRestApi(template: CfnTemplate): RestApiDefinition {
  const apis = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new Error(`Expected one REST API in the template, found ${apis.length}`);
  const paths = new Map<string, string>();
  const resources = new Map(resourcesOfType(template, 'AWS::ApiGateway::Resource'));
  const pathOf = (id: string | undefined, parentValue?: unknown): string => {
    if (id === undefined) return '/';
    const isRoot =
      parentValue !== undefined &&
      typeof parentValue === 'object' &&
      parentValue !== null &&
      'Fn::GetAtt' in parentValue;
    if (isRoot || !resources.has(id)) return '/';
    const known = paths.get(id);
    if (known) return known;
    const props = resources.get(id)?.Properties ?? {};
    const parent = pathOf(referencedLogicalId(props.ParentId), props.ParentId);
    const path = `${parent === '/' ? '' : parent}/${String(props.PathPart)}`;
    paths.set(id, path);
    return path;
  };

  const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]): ApiMethod => {
    const props = method.Properties ?? {};
    const integration = (props.Integration ?? {}) as Record<string, unknown>;
    const parameters = Object.entries((props.RequestParameters ?? {}) as Record<string, unknown>)
      .filter(([, required]) => required === true)
      .map(([name]) => name);
    const functionLogicalId = referencedLogicalIds(integration.Uri).find(
      (id) => template.Resources?.[id]?.Type === 'AWS::Lambda::Function',
    );
    const mockResponse = (integration.IntegrationResponses as Record<string, unknown>[] | undefined)?.[0];
    return {
      httpMethod: String(props.HttpMethod),
      resource: pathOf(referencedLogicalId(props.ResourceId), props.ResourceId),
      authorizationType: String(props.AuthorizationType ?? 'NONE'),
      authorizationScopes: Array.isArray(props.AuthorizationScopes)
        ? props.AuthorizationScopes.filter((scope): scope is string => typeof scope === 'string')
        : [],
      integrationType: String(integration.Type ?? ''),
      ...(functionLogicalId ? { functionLogicalId } : {}),
      requiredQuery: parameters
        .filter((name) => name.startsWith('method.request.querystring.'))
        .map((name) => name.slice('method.request.querystring.'.length)),
      requiredHeaders: parameters
        .filter((name) => name.startsWith('method.request.header.'))
        .map((name) => name.slice('method.request.header.'.length).toLowerCase()),
      ...(integration.Type === 'MOCK' && mockResponse
        ? {
            mock: {
              status: Number(mockResponse.StatusCode ?? 200),
              headers: literalHeaders(
                mockResponse.ResponseParameters as Record<string, unknown> | undefined,
                'method.response.header.',
              ),
            },
          }
        : {}),
    };
  });

  const gatewayResponses = new Map<string, GatewayResponse>();
  for (const [, response] of resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')) {
    const props = response.Properties ?? {};
    const templates = (props.ResponseTemplates ?? {}) as Record<string, string>;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((props.ResponseParameters ?? {}) as Record<string, unknown>)) {
      if (!name.startsWith('gatewayresponse.header.')) continue;
      const header = name.slice('gatewayresponse.header.'.length);
      headers[header] = unquote(value) ?? `{${String(value)}}`;
    }
    gatewayResponses.set(String(props.ResponseType), {
      status: Number(props.StatusCode),
      headers,
      body: templates['application/json'] ?? '',
    });
  }

  const authorizers = resourcesOfType(template, 'AWS::ApiGateway::Authorizer');
  const identitySource = String(authorizers[0]?.[1].Properties?.IdentitySource ?? '');
  const identityHeader = identitySource.startsWith('method.request.header.')
    ? identitySource.slice('method.request.header.'.length).toLowerCase()
    : 'authorization';
  return { methods, gatewayResponses, identityHeader };
}

function literalHeaders(
  parameters: Record<string, unknown> | undefined,
  prefix: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters ?? {})) {
    const literal = unquote(value);
    if (name.startsWith(prefix) && literal !== undefined) headers[name.slice(prefix.length)] = literal;
  }
  return headers;
}

/** A matched method and its path parameters. */
export interface RouteMatch {
  method: ApiMethod;
  pathParameters: Record<string, string>;
}

/**
 * The method for `httpMethod path`, as API Gateway routes: literal path parts win over `{param}`,
 * `{param+}` takes the rest. A trailing slash is ignored. `undefined` when no method matches.
 */
export function matchRoute(
  methods: readonly ApiMethod[],
  httpMethod: string,
  path: string,
): RouteMatch | undefined {
  const segments = splitPath(path);
  if (segments === undefined) return undefined;
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const method of methods) {
    if (method.httpMethod !== httpMethod && method.httpMethod !== 'ANY') continue;
    const matched = matchResource(method.resource, segments);
    if (!matched) continue;
    const score = [...matched.score, method.httpMethod === 'ANY' ? 0 : 1];
    if (!best || compareScores(score, best.score) > 0) {
      best = { match: { method, pathParameters: matched.parameters }, score };
    }
  }
  return best?.match;
}

function splitPath(path: string): string[] | undefined {
  const parts = path
    .split('/')
    .filter((part, index, all) => !(part === '' && (index === 0 || index === all.length - 1)));
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

function matchResource(
  resource: string,
  segments: readonly string[],
): { parameters: Record<string, string>; score: number[] } | undefined {
  const template = resource.split('/').filter(Boolean);
  const parameters: Record<string, string> = {};
  const score: number[] = [];
  for (let index = 0; index < template.length; index++) {
    const part = template[index] as string;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      const rest = segments.slice(index);
      if (rest.length === 0) return undefined;
      parameters[greedy[1] as string] = rest.join('/');
      score.push(0);
      return { parameters, score };
    }
    const segment = segments[index];
    if (segment === undefined || segment === '') return undefined;
    const parameter = /^\{(.+)\}$/.exec(part);
    if (parameter) {
      parameters[parameter[1] as string] = segment;
      score.push(1);
    } else if (part === segment) {
      score.push(2);
    } else {
      return undefined;
    }
  }
  return template.length === segments.length ? { parameters, score } : undefined;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Mar 05 10:22:11 UTC 2024`: how the REST authorizer renders `exp` and `iat`. */
export function authorizerDate(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** The verified claims as the REST Cognito authorizer passes them: every value a string. */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = authorizerDate(value);
    else if (Array.isArray(value))
      claims[name] = value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(',');
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

/**
 * What the REST Cognito authorizer accepts once the token is verified: with authorization scopes, an
 * access token whose `scope` (space-separated) holds at least one of them — an ID token has no scope
 * and is refused; without scopes, an ID token.
 */
export function authorizerAccepts(authorizationScopes: readonly string[], payload: JWTPayload): boolean {
  if (authorizationScopes.length === 0) return payload.token_use === 'id';
  if (payload.token_use !== 'access' || typeof payload.scope !== 'string') return false;
  const granted = payload.scope.split(' ');
  return authorizationScopes.some((scope) => granted.includes(scope));
}

/** The token in an `Authorization` header: the raw JWT, or after `Bearer ` (both are accepted). */
export function tokenFromHeader(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(trimmed);
  if (bearer) return bearer[1];
  return /\s/.test(trimmed) ? undefined : trimmed;
}

/** A Lambda handler of a proxy integration. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** What the emulator needs from the rest of the sandbox. */
export interface RestApiEmulatorOptions {
  api: RestApiDefinition;
  /**
   * Verifies a token of the user pool (signature, issuer, expiry, a known app client: `aud` of an ID
   * token, `client_id` of an access token) whatever its `token_use`; throws when it is not valid. The
   * emulator then checks the kind and the scopes the method asks for.
   */
  verifyToken: (token: string) => Promise<JWTPayload>;
  /** The handler of a function (logical id). */
  handlerOf: (functionLogicalId: string) => ProxyHandler;
  /** Stage name (first path segment of the deployed URL, `requestContext.stage`). @default 'v1' */
  stage?: string;
  /** Where errors of functions are reported (never to the client). @default console.error */
  log?: (message: string, error: unknown) => void;
  /** @default INTEGRATION_TIMEOUT_MS */
  integrationTimeoutMs?: number;
}

/** The REST API, answering on node:http. */
export class RestApiEmulator {
  readonly #options: RestApiEmulatorOptions;
  readonly #apiId = 'sandbox';

  constructor(options: RestApiEmulatorOptions) {
    this.#options = options;
  }

  /** True when some method (OPTIONS included) is defined for this path. */
  owns(method: string, path: string): boolean {
    return matchRoute(this.#options.api.methods, method, path) !== undefined;
  }

  /** Answers one request as API Gateway would. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    if (requestLineAndHeaderBytes(req) > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
      req.resume();
      res.writeHead(HEADERS_TOO_LARGE.status, {
        'Content-Type': 'text/plain',
        'Content-Length': String(Buffer.byteLength(HEADERS_TOO_LARGE.body)),
        'x-amzn-RequestId': requestId,
        Connection: 'close',
      });
      res.end(HEADERS_TOO_LARGE.body);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return this.#gatewayResponse(res, 'REQUEST_TOO_LARGE', req, requestId);
      throw error;
    }
    const match = matchRoute(this.#options.api.methods, method, url.pathname);
    if (!match) return this.#gatewayResponse(res, 'MISSING_AUTHENTICATION_TOKEN', req, requestId);
    const { method: route } = match;
    if (route.mock) {
      res.writeHead(route.mock.status, { ...route.mock.headers, 'x-amzn-RequestId': requestId });
      res.end();
      return;
    }

    let claims: Record<string, string> | undefined;
    if (route.authorizationType === 'COGNITO_USER_POOLS') {
      const token = tokenFromHeader(headerValue(req, this.#options.api.identityHeader));
      if (!token) return this.#gatewayResponse(res, 'UNAUTHORIZED', req, requestId);
      try {
        const payload = await this.#options.verifyToken(token);
        if (!authorizerAccepts(route.authorizationScopes, payload)) throw new Error('wrong kind of token');
        claims = flattenClaims(payload);
      } catch {
        return this.#gatewayResponse(res, 'UNAUTHORIZED', req, requestId);
      }
    }

    const query = url.searchParams;
    const missingQuery = route.requiredQuery.some((name) => !query.get(name));
    const missingHeader = route.requiredHeaders.some(
      (name) => name !== this.#options.api.identityHeader && !headerValue(req, name),
    );
    if (missingQuery || missingHeader) {
      return this.#gatewayResponse(res, 'BAD_REQUEST_PARAMETERS', req, requestId);
    }
    if (!route.functionLogicalId) return this.#gatewayResponse(res, 'DEFAULT_5XX', req, requestId);

    const event = proxyEvent({
      req,
      url,
      method,
      resource: route.resource,
      pathParameters: match.pathParameters,
      body,
      claims,
      requestId,
      apiId: this.#apiId,
      stage: this.#options.stage ?? 'v1',
    });
    let result: APIGatewayProxyResult;
    try {
      const handler = this.#options.handlerOf(route.functionLogicalId);
      result = await withTimeout(
        handler(event, lambdaContext(route.functionLogicalId, requestId, INTEGRATION_TIMEOUT_MS)),
        this.#options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
      );
    } catch (error) {
      if (error instanceof IntegrationTimeout) {
        return this.#gatewayResponse(res, 'INTEGRATION_TIMEOUT', req, requestId);
      }
      (this.#options.log ?? defaultLog)(`${route.functionLogicalId} failed`, error);
      return this.#gatewayResponse(res, 'DEFAULT_5XX', req, requestId);
    }
    if (!isProxyResult(result)) {
      (this.#options.log ?? defaultLog)(
        `${route.functionLogicalId} returned a malformed proxy result`,
        result,
      );
      return this.#gatewayResponse(res, 'DEFAULT_5XX', req, requestId);
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.multiValueHeaders ?? {}))
      headers[name] = value.map(String);
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    headers['x-amzn-RequestId'] = requestId;
    const payload =
      result.body === undefined || result.body === null
        ? Buffer.alloc(0)
        : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    headers['Content-Length'] = String(payload.length);
    res.writeHead(result.statusCode, headers);
    res.end(payload);
  }

  /** Sends the deployed gateway response of `type` (falling back to DEFAULT_4XX/5XX like API Gateway). */
  #gatewayResponse(res: ServerResponse, type: string, req: IncomingMessage, requestId: string): void {
    const responses = this.#options.api.gatewayResponses;
    const fallback = type === 'INTEGRATION_TIMEOUT' || type.includes('5XX') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const response = responses.get(type) ?? responses.get(fallback);
    const status = response?.status ?? DEFAULT_STATUS[type] ?? 500;
    const headers: Record<string, string> = {
      'x-amzn-RequestId': requestId,
      'x-amzn-ErrorType': errorTypeOf(type),
    };
    for (const [name, value] of Object.entries(response?.headers ?? { 'Content-Type': 'application/json' })) {
      const echoed = /^\{method\.request\.header\.(.+)\}$/.exec(value);
      if (!echoed) headers[name] = value;
      else {
        const fromRequest = headerValue(req, (echoed[1] as string).toLowerCase());
        if (fromRequest) headers[name] = fromRequest;
      }
    }
    const body = response?.body ?? JSON.stringify({ message: null });
    headers['Content-Length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body);
  }
}

const DEFAULT_STATUS: Record<string, number> = {
  MISSING_AUTHENTICATION_TOKEN: 403,
  UNAUTHORIZED: 401,
  BAD_REQUEST_PARAMETERS: 400,
  REQUEST_TOO_LARGE: 413,
  INTEGRATION_TIMEOUT: 504,
};

function errorTypeOf(type: string): string {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'UNAUTHORIZED':
      return 'UnauthorizedException';
    case 'BAD_REQUEST_PARAMETERS':
      return 'BadRequestException';
    case 'REQUEST_TOO_LARGE':
      return 'RequestEntityTooLargeException';
    default:
      return 'InternalServerErrorException';
  }
}

const defaultLog = (message: string, error: unknown): void => {
  console.error(`[sandbox] ${message}:`, error);
};

class IntegrationTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (value === null || typeof value !== 'object') return false;
  const result = value as Record<string, unknown>;
  return (
    Number.isInteger(result.statusCode) &&
    (result.body === undefined || result.body === null || typeof result.body === 'string')
  );
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.at(-1) : value;
}

interface EventInput {
  req: IncomingMessage;
  url: URL;
  method: string;
  resource: string;
  pathParameters: Record<string, string>;
  body: Buffer;
  claims: Record<string, string> | undefined;
  requestId: string;
  apiId: string;
  stage: string;
}

/** The REST v1 proxy event API Gateway sends (headers keep the case the client sent). */
export function proxyEvent(input: EventInput): APIGatewayProxyEvent {
  const { req, url } = input;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const existing = Object.keys(multiValueHeaders).find((key) => key.toLowerCase() === name.toLowerCase());
    const key = existing ?? name;
    multiValueHeaders[key] = [...(multiValueHeaders[key] ?? []), value];
    headers[key] = value;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const hasPath = Object.keys(input.pathParameters).length > 0;
  const now = Date.now();
  return {
    resource: input.resource,
    path: url.pathname,
    httpMethod: input.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: hasPath ? input.pathParameters : null,
    stageVariables: null,
    body: input.body.length > 0 ? input.body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: input.apiId,
      resourceId: input.resource,
      resourcePath: input.resource,
      httpMethod: input.method,
      path: `/${input.stage}${url.pathname}`,
      stage: input.stage,
      requestId: input.requestId,
      extendedRequestId: input.requestId,
      requestTimeEpoch: now,
      protocol: `HTTP/${req.httpVersion}`,
      domainName: String(req.headers.host ?? '127.0.0.1'),
      domainPrefix: String(req.headers.host ?? '127.0.0.1').split('.')[0] ?? '',
      authorizer: input.claims ? { claims: input.claims } : null,
      identity: proxyIdentity(
        req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        req.headers['user-agent'] ?? null,
      ),
    },
  };
}
