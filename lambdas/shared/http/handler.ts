/**
 * `defineRoute`: the one way an API Lambda handler is written. It turns a route definition (method,
 * resource, access rule, zod schemas) and a small async function into an API Gateway REST (v1 proxy)
 * handler, and keeps the definition on the handler so `docs/openapi.json` can be generated from the
 * same schemas.
 *
 * Every request goes through the same steps, in this order, and stops at the first failure:
 * 1. authentication: claims of the Cognito authorizer → {@link Caller}, else 401;
 * 2. body: larger than {@link MAX_BODY_BYTES} → 413; missing on a route that takes one → 400;
 *    `Content-Type` not `application/json` (or `application/*+json`, UTF-8) → 415 (the request is
 *    well-formed HTTP in a format we do not take, which is what 415 means); not UTF-8 or not JSON → 400;
 *    a body sent to a route that takes none → 400;
 * 3. validation of body, query and path parameters with strict schemas → 400 listing every problem
 *    (unknown fields and query parameters are errors, a repeated query parameter too);
 * 4. authorization: the route's {@link Access} rule → 403 (after validation, so that a 403 is not
 *    spent on a request that could never succeed, and no data is read before input is valid);
 * 5. idempotency, POST only: an invalid `Idempotency-Key` → 400, the key reused with a different
 *    request → 422, while its first request runs → 409, after it succeeded → its 2xx replayed
 *    (`Idempotent-Replayed: true`) without running the route again (see `idempotency.ts`);
 * 6. the route function; it returns a 2xx/3xx {@link RouteResult} and throws domain errors for
 *    everything else.
 * Errors of any step are rendered by `problemResponse` (problem+json). Every response carries
 * `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`, `Vary: Origin`, `X-Correlation-Id`,
 * and `Access-Control-Allow-Origin` when the request's `Origin` is listed in env `ALLOWED_ORIGINS`.
 *
 * Observability, for every route alike: a trace subsegment per request (annotated with the route
 * template and the correlation id, responses never captured), `correlation_id` / `api_request_id` /
 * `route` on every log line of the request, and EMF metrics by route template (requests, latency,
 * 4xx, 5xx) plus the `ColdStart` metric. See {@link correlationIdOf}.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import { type FieldProblem, ValidationError } from '#shared/errors';
import { MetricUnit } from '#shared/metrics';
import { redactString } from '#shared/redact';
import { createMetrics, METRIC_NAMES } from '#shared/telemetry';
import { annotateTrace, traceInvocation } from '#shared/tracing';
import { type Access, authorize, type Caller, callerFromEvent } from './caller.ts';
import { corsHeaders, parseAllowedOrigins } from './cors.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.ts';
import { withIdempotency } from './idempotency.ts';
import { BASE_RESPONSE_HEADERS, fieldProblemsFromZod, httpLogger, problemResponse } from './problem.ts';
import { type ProblemLanguage, problemLanguageOf } from './problem-text.ts';

/** Request bodies above this size (in bytes, after base64 decoding) are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

let originsSetting: string | undefined;
let originsParsed: ReadonlySet<string> = new Set();

/**
 * The allow-list of `ALLOWED_ORIGINS`, read when a response is made rather than at import: a process
 * that loads the handlers before it sets the functions' environment (the sandbox runs them all in
 * one process) echoed no origin at all. Parsed again only when the setting changes.
 */
function allowedOrigins(): ReadonlySet<string> {
  const setting = process.env.ALLOWED_ORIGINS;
  if (setting !== originsSetting) {
    originsSetting = setting;
    originsParsed = parseAllowedOrigins(setting);
  }
  return originsParsed;
}

/** The metrics of every API function (namespace `eid-access`, dimension `service`). */
export const httpMetrics = createMetrics();
/**
 * The trace subsegment of every request (`tracing.ts`, on only on Lambda with active tracing): named
 * like Powertools named it, flagged by the answer's status. Responses are never captured: they carry
 * personal data.
 */
const REQUEST_SUBSEGMENT = `## ${process.env._HANDLER || 'index.handler'}`;

/** The request and response header that carries the correlation id. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * What a caller may send as correlation id: 8 to 128 letters, digits, `.`, `_`, `:` or `-` (a UUID,
 * a ULID, a trace id), and nothing the log redaction would touch (no national number, no token).
 */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A documented response of a route, for the OpenAPI document. */
export interface ResponseSpec {
  description: string;
  /** Schema of the JSON body; none for an empty body. */
  body?: $ZodType;
}

/**
 * What a route is: everything the HTTP layer enforces and the OpenAPI generator documents.
 * Schemas must be strict objects (`z.strictObject`, also nested), which {@link defineRoute} checks.
 */
export interface RouteDefinition<
  B extends $ZodType | undefined = $ZodType | undefined,
  Q extends $ZodType | undefined = $ZodType | undefined,
  P extends $ZodType | undefined = $ZodType | undefined,
> {
  method: HttpMethod;
  /** The API Gateway resource, with `{param}` placeholders: `/organisations/{orgCode}/grants`. */
  resource: string;
  /** Stable OpenAPI operation id, e.g. `listGrants`. */
  operationId?: string;
  summary?: string;
  access: Access;
  /** The JSON body; a route without one refuses any body. */
  body?: B;
  /** The query string parameters; a route without one refuses any parameter. */
  query?: Q;
  /** The path parameters (named as in `resource`). */
  path?: P;
  /** Successful responses by status, e.g. `{ 202: { description: 'Accepted', body: schema } }`. */
  responses?: Readonly<Record<number, ResponseSpec>>;
}

type Parsed<S> = S extends $ZodType ? output<S> : undefined;

/** What a route function receives: validated input and the authenticated caller. */
export interface RouteInput<B, Q, P> {
  body: Parsed<B>;
  query: Parsed<Q>;
  path: Parsed<P>;
  caller: Caller;
  /** Request headers, names lower-cased; `authorization` and `cookie` are left out. */
  headers: Readonly<Record<string, string>>;
  /** API Gateway's request id, for audit records and log correlation. */
  requestId: string;
}

/** What a route function returns on success; failures are thrown domain errors. */
export interface RouteResult {
  /** A 2xx or 3xx status. */
  status: number;
  /** Serialized as JSON; omit for an empty body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** An API Gateway REST proxy handler that also carries its route definition. */
export type RouteHandler<D extends RouteDefinition = RouteDefinition> = ((
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>) & { readonly definition: D };

/**
 * Defines an API route.
 * @example
 * export const handler = defineRoute(
 *   { method: 'POST', resource: '/me/insz', access: { kind: 'authenticated' }, body: linkInszBody },
 *   async ({ body, caller }) => ({ status: 200, body: await linkInsz(deps, caller, body) }),
 * );
 * @throws TypeError at definition time when a schema is not strict.
 */
export function defineRoute<
  B extends $ZodType | undefined = undefined,
  Q extends $ZodType | undefined = undefined,
  P extends $ZodType | undefined = undefined,
>(
  definition: RouteDefinition<B, Q, P>,
  handle: (input: RouteInput<B, Q, P>) => Promise<RouteResult>,
): RouteHandler<RouteDefinition<B, Q, P>> {
  for (const [part, schema] of [
    ['body', definition.body],
    ['query', definition.query],
    ['path', definition.path],
  ] as const) {
    if (schema) assertStrictSchema(schema, `${definition.method} ${definition.resource} ${part}`);
  }
  const run = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const input = await readInput(definition, event);
    // Idempotency hook (idempotency.ts): POST with an Idempotency-Key runs once, retries are replayed.
    return withIdempotency(
      {
        method: definition.method,
        resource: definition.resource,
        personId: input.caller.personId,
        event,
        context,
        request: input,
      },
      async () => toProxyResult(await handle(input)),
    );
  };
  const handler = withRequestLifecycle(`${definition.method} ${definition.resource}`, run);
  return Object.assign(
    (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
      traceInvocation(REQUEST_SUBSEGMENT, () => handler(event, context), {
        statusOf: (result) => result.statusCode,
      }),
    { definition },
  );
}

/**
 * The JSON Schema (draft 2020-12) of a request schema as clients must send it (zod's `input` side:
 * defaults optional, transforms as their input type).
 */
export function requestJsonSchema(schema: $ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/**
 * Throws unless every object with named properties in `schema` refuses unknown keys. A plain
 * `z.object` silently drops unknown fields, which would hide client mistakes; the contract says they
 * are errors. Records (`z.record`) are allowed. Walks the schema's definition (no JSON Schema is
 * generated at cold start).
 */
export function assertStrictSchema(schema: $ZodType, where: string): void {
  const loose = looseObjectPaths(schema, '', new Set());
  if (loose.length > 0) {
    throw new TypeError(`${where}: use z.strictObject for ${loose.map((p) => p || '(root)').join(', ')}`);
  }
}

/** The parts of a zod definition that hold inner schemas (wrappers, pipes, arrays, unions...). */
const INNER_SCHEMA_KEYS = [
  'innerType',
  'in',
  'out',
  'element',
  'valueType',
  'left',
  'right',
  'rest',
] as const;

function looseObjectPaths(schema: $ZodType, at: string, seen: Set<$ZodType>): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const found: string[] = [];
  if (def.type === 'object') {
    const catchall = def.catchall as $ZodType | undefined;
    if (catchall?._zod.def.type !== 'never') found.push(at);
    for (const [name, inner] of Object.entries(def.shape as Record<string, $ZodType>)) {
      found.push(...looseObjectPaths(inner, at ? `${at}.${name}` : name, seen));
    }
    return found;
  }
  for (const key of INNER_SCHEMA_KEYS) {
    const inner = def[key] as $ZodType | undefined;
    if (inner?._zod) found.push(...looseObjectPaths(inner, at, seen));
  }
  for (const key of ['options', 'items'] as const) {
    const list = def[key] as $ZodType[] | undefined;
    if (Array.isArray(list)) {
      list.forEach((inner, index) => {
        found.push(...looseObjectPaths(inner, `${at}[${index}]`, seen));
      });
    }
  }
  return found;
}

async function readInput<
  B extends $ZodType | undefined,
  Q extends $ZodType | undefined,
  P extends $ZodType | undefined,
>(definition: RouteDefinition<B, Q, P>, event: APIGatewayProxyEvent): Promise<RouteInput<B, Q, P>> {
  const caller = callerFromEvent(event);
  const headers = lowerCaseHeaders(event);
  const rawBody = readJsonBody(event, headers, definition.body !== undefined);

  const problems: FieldProblem[] = [];
  const body = await validate(definition.body, rawBody, undefined, problems);
  const parameters = queryParameters(event, problems);
  if (!definition.query) {
    for (const name of Object.keys(parameters))
      problems.push({
        path: `query.${name}`,
        message: 'Unknown field',
        code: 'unknown-field',
        params: { field: name },
      });
  }
  const query = await validate(definition.query, parameters, 'query', problems);
  const path = await validate(definition.path, event.pathParameters ?? {}, 'path', problems);
  if (problems.length > 0) {
    const detail = problems.length === 1 ? 'One field is invalid.' : `${problems.length} fields are invalid.`;
    throw new ValidationError(detail, problems);
  }

  authorize(caller, definition.access);
  return {
    body: body as Parsed<B>,
    query: query as Parsed<Q>,
    path: path as Parsed<P>,
    caller,
    headers,
    requestId: event.requestContext?.requestId ?? '',
  };
}

async function validate(
  schema: $ZodType | undefined,
  value: unknown,
  prefix: string | undefined,
  problems: FieldProblem[],
): Promise<unknown> {
  if (!schema) return undefined;
  const result = await z.safeParseAsync(schema, value);
  if (result.success) return result.data;
  problems.push(...fieldProblemsFromZod(result.error, prefix));
  return undefined;
}

const OMITTED_HEADERS = new Set(['authorization', 'cookie']);

function lowerCaseHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    const key = name.toLowerCase();
    if (value !== undefined && !OMITTED_HEADERS.has(key)) headers[key] = value;
  }
  return headers;
}

/** Single-valued query parameters; unknown-parameter checks are the schema's job. */
function queryParameters(event: APIGatewayProxyEvent, problems: FieldProblem[]): Record<string, string> {
  const single = event.queryStringParameters ?? {};
  const multi = event.multiValueQueryStringParameters ?? {};
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(single)) {
    if (value === undefined) continue;
    if ((multi[name]?.length ?? 0) > 1) {
      problems.push({
        path: `query.${name}`,
        message: 'Give this parameter once',
        code: 'repeated-parameter',
        params: { field: name },
      });
    }
    query[name] = value;
  }
  return query;
}

const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9.!#$&^_-]+\+json)$/;

function readJsonBody(
  event: APIGatewayProxyEvent,
  headers: Record<string, string>,
  expected: boolean,
): unknown {
  const bytes = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  }
  if (!expected) {
    if (bytes.length > 0) {
      throw new ValidationError('This operation takes no request body.', [
        { path: '', message: 'Unexpected body', code: 'unexpected-body' },
      ]);
    }
    return undefined;
  }
  if (bytes.length === 0) {
    throw new ValidationError('A JSON request body is required.', [
      { path: '', message: 'Required', code: 'invalid-body' },
    ]);
  }
  assertJsonContentType(headers['content-type']);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('The request body is not valid UTF-8.', [
      { path: '', message: 'Invalid UTF-8', code: 'invalid-utf8' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.', [
      { path: '', message: 'Invalid JSON', code: 'invalid-json' },
    ]);
  }
}

function assertJsonContentType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1];
  const utf8 = charset === undefined || /^"?utf-8"?$/i.test(charset.trim());
  if (!JSON_MEDIA_TYPE.test(mediaType.trim().toLowerCase()) || !utf8) {
    throw new UnsupportedMediaTypeError('Send the request body as application/json (UTF-8).');
  }
}

function toProxyResult(result: RouteResult): APIGatewayProxyResult {
  if (!Number.isInteger(result.status) || result.status < 200 || result.status > 399) {
    // Refusals are thrown domain errors, so they are rendered and logged in one place.
    throw new Error(`route returned status ${result.status}; throw a DomainError instead`);
  }
  const hasBody = result.body !== undefined;
  return {
    statusCode: result.status,
    headers: {
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...result.headers,
      ...BASE_RESPONSE_HEADERS,
    },
    body: hasBody ? JSON.stringify(result.body) : '',
  };
}

function originOf(event: APIGatewayProxyEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'origin') return value;
  }
  return undefined;
}

/**
 * The correlation id of a request: the caller's `X-Correlation-Id` when it is a well-formed id (see
 * {@link CORRELATION_ID}), so a portal or partner can follow its own id through our logs; else API
 * Gateway's request id (also in the access log), else the Lambda request id.
 */
export function correlationIdOf(
  event: APIGatewayProxyEvent,
  context?: Pick<Context, 'awsRequestId'>,
): string {
  let supplied: string | undefined;
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'x-correlation-id') supplied = value?.trim();
  }
  if (supplied && CORRELATION_ID.test(supplied) && redactString(supplied) === supplied) return supplied;
  return event.requestContext?.requestId || context?.awsRequestId || '';
}

/** One request as the lifecycle steps see it. */
interface RequestState {
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
  response: APIGatewayProxyResult | undefined;
}

/** A route given up this long before Lambda's own timeout still gets its answer, logs and metrics. */
const TIMEOUT_MARGIN_MS = 5;

/**
 * Wraps a route in the steps every request goes through, in this order:
 * 1. the Lambda context on the logger (and the event itself with `POWERTOOLS_LOGGER_LOG_EVENT=true`),
 *    the `ColdStart` metric, then {@link startRequest} (correlation keys, trace annotations);
 * 2. the route, given up {@link TIMEOUT_MARGIN_MS} before Lambda's timeout with a `TimeoutError`;
 * 3. after an answer: security and CORS headers, per-route metrics and the correlation header, the
 *    metrics flushed, the logger's keys reset;
 * 4. after a throw from any step of 1-3: the problem document (logged with the request's keys
 *    still on), then the same steps as 3 (the metrics of a request are recorded once).
 * These are the steps (and the order) of the middy middlewares this function replaced.
 */
function withRequestLifecycle(
  route: string,
  run: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>,
): (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult> {
  return async (event, context = {} as Context) => {
    const request: RequestState = { event, context, response: undefined };
    let finish: ((request: RequestState) => void) | undefined;
    const complete = (): void => {
      addResponseHeaders(request);
      const record = finish;
      finish = undefined;
      record?.(request);
      httpMetrics.publishStoredMetrics();
      httpLogger.resetKeys();
    };
    try {
      httpLogger.addContext(context);
      httpLogger.logEventIfEnabled(event);
      httpMetrics.captureColdStartMetric(context.functionName);
      finish = startRequest(route, request);
      request.response = await withEarlyTimeout(run(event, context), context);
      complete();
    } catch (error) {
      request.response = problemResponse(error, httpLogger, languageOfEvent(event));
      complete();
    }
    return request.response;
  };
}

/**
 * `pending`, or a `TimeoutError` {@link TIMEOUT_MARGIN_MS} before the invocation's deadline (when
 * the context has one), whichever comes first.
 */
async function withEarlyTimeout<R>(pending: Promise<R>, context: Context): Promise<R> {
  if (typeof context.getRemainingTimeInMillis !== 'function') return pending;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error('[AbortError]: The operation was aborted.'), { name: 'TimeoutError' }));
    }, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS);
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Correlation, tracing annotations and per-route metrics. `route` is the method and resource
 * template (`GET /organisations/{orgCode}`), never the concrete path, so dimensions stay few and
 * free of identifiers. Returns what records the request's metrics, run after the problem document
 * was rendered for any error, so the status class is the one the caller sees.
 */
function startRequest(route: string, request: RequestState): (request: RequestState) => void {
  const started = performance.now();
  const correlationId = correlationIdOf(request.event, request.context);
  httpLogger.appendKeys({
    correlation_id: correlationId,
    api_request_id: request.event.requestContext?.requestId,
    route,
  });
  annotateTrace('route', route);
  annotateTrace('correlation_id', correlationId);
  return ({ response }) => {
    const status = response?.statusCode ?? 500;
    httpMetrics.addDimension('route', route);
    httpMetrics.addMetric(METRIC_NAMES.requests, MetricUnit.Count, 1);
    httpMetrics.addMetric(METRIC_NAMES.latency, MetricUnit.Milliseconds, performance.now() - started);
    httpMetrics.addMetric(METRIC_NAMES.clientErrors, MetricUnit.Count, status >= 400 && status < 500 ? 1 : 0);
    httpMetrics.addMetric(METRIC_NAMES.serverErrors, MetricUnit.Count, status >= 500 ? 1 : 0);
    if (response) response.headers = { ...response.headers, [CORRELATION_ID_HEADER]: correlationId };
  };
}

/** Adds the security and CORS headers to every response, success or problem. */
function addResponseHeaders({ event, response }: RequestState): void {
  if (!response) return;
  response.headers = {
    ...response.headers,
    ...BASE_RESPONSE_HEADERS,
    ...corsHeaders(originOf(event), allowedOrigins()),
  };
}

/** The language of a request's fallback sentences, from its `Accept-Language` header. */
function languageOfEvent(event: APIGatewayProxyEvent): ProblemLanguage {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'accept-language') return problemLanguageOf(value);
  }
  return 'en';
}
