/**
 * OpenAPI 3.1 from route definitions: the generator of `docs/openapi.json` imports the route
 * handlers, passes them here and writes the result. Schemas come from the same zod schemas the
 * handlers validate with (input side: what a client must send), so the document cannot drift.
 */
import type { $ZodType } from 'zod/v4/core';
import { API_RESOURCE_SERVER, API_SCOPE } from './api-scope.ts';
import type { RouteDefinition } from './handler.ts';
import { requestJsonSchema } from './handler.ts';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_TTL_SECONDS,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from './idempotency.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem.ts';

/** Metadata of the generated document. */
export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  servers?: { url: string; description?: string }[];
}

type JsonObject = Record<string, unknown>;

/** The problem+json body (RFC 9457) every error response has. */
const PROBLEM_SCHEMA: JsonObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', examples: [PROBLEM_TYPES.validation] },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: {
      type: 'string',
      description: 'Stable machine code; clients show their own sentence for it',
      examples: ['not-legal-representative', 'invalid-request', 'already-decided'],
    },
    detail: { type: 'string', description: 'Fallback sentence in the language of Accept-Language' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message', 'code'],
        properties: {
          path: { type: 'string', examples: ['address.postalCode'] },
          message: { type: 'string', description: 'Fallback sentence in the language of Accept-Language' },
          code: { type: 'string', examples: ['required', 'too-long', 'check-digits'] },
          params: {
            type: 'object',
            description: 'What the sentence needs: field, limit, allowed values',
            additionalProperties: true,
            examples: [{ field: 'givenNames', limit: 100 }],
          },
        },
      },
    },
  },
};

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input (`errors` lists each field)',
  401: 'No or invalid token',
  403: 'Authenticated but not allowed',
  404: "Unknown, or not visible to the caller (another organisation's or person's objects answer 404, never 403)",
  409: 'State conflict (already decided, duplicate), or a request with the same Idempotency-Key is still running',
  413: 'Body larger than 64 KB',
  415: 'Body is not application/json',
  422: 'Refused by a rule, or the Idempotency-Key was used for a different request',
  500: 'Unexpected error',
};

/** The `Idempotency-Key` request header of every POST operation (see `idempotency.ts`). */
const IDEMPOTENCY_KEY_PARAMETER: JsonObject = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes a retry of this request safe (draft-ietf-httpapi-idempotency-key-header): for ' +
    `${IDEMPOTENCY_TTL_SECONDS / 3600} hours a request with the same key, caller and route is not run again; ` +
    `its 2xx answer is replayed with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`. The same key with a different ` +
    'request answers 422, while the first request runs 409. Refusals are not stored: a corrected retry may ' +
    'reuse the key. A quoted structured-field string (`"abc"`) and the bare form (`abc`) are the same key.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern: '^[\\x20-\\x7E]+$',
  },
};

const IDEMPOTENT_REPLAYED: JsonObject = {
  description:
    'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key',
  schema: { type: 'string', enum: ['true'] },
};

function jsonSchema(schema: $ZodType): JsonObject {
  const { $schema: _dialect, ...rest } = requestJsonSchema(schema);
  return rest;
}

function parameters(schema: $ZodType | undefined, location: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/** The body of every error answer: `application/problem+json` (RFC 9457). */
const PROBLEM_CONTENT: JsonObject = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
};

/**
 * The error statuses any route of its kind may answer (ARCHITECTURE.md section 3), besides those it
 * declares itself: 400, 401 and 500 always; 403 always (a group route's caller outside the group, an
 * organisation's member who is not its administrator, a rule on who may ask); 404 for a route with
 * path parameters (unknown, or another organisation's or person's: never revealed); 413 and 415 with
 * a body; 409 for every change (already decided, the last administrator, a running Idempotency-Key);
 * 422 for a POST or PUT refused by a rule.
 */
function problemStatuses(definition: RouteDefinition): number[] {
  const statuses = [400, 401, 403, 500];
  if (definition.path) statuses.push(404);
  if (definition.body) statuses.push(413, 415);
  if (definition.method !== 'GET') statuses.push(409);
  if (definition.method === 'POST' || definition.method === 'PUT') statuses.push(422);
  return statuses.sort((a, b) => a - b);
}

function operation(definition: RouteDefinition): JsonObject {
  const idempotent = definition.method === 'POST';
  const responses: Record<string, JsonObject> = {};
  for (const [status, spec] of Object.entries(definition.responses ?? {})) {
    const replayable = idempotent && Number(status) >= 200 && Number(status) <= 299;
    // A route's own error statuses keep its description; their body is the problem, as for any error.
    const problem = Number(status) >= 400;
    responses[status] = {
      description: spec.description,
      ...(replayable
        ? { headers: { [IDEMPOTENT_REPLAYED_HEADER]: { $ref: '#/components/headers/IdempotentReplayed' } } }
        : {}),
      ...(spec.body ? { content: { 'application/json': { schema: jsonSchema(spec.body) } } } : {}),
      ...(problem && !spec.body ? { content: PROBLEM_CONTENT } : {}),
    };
  }
  for (const status of problemStatuses(definition)) {
    responses[String(status)] ??= { $ref: `#/components/responses/Problem${status}` };
  }
  return {
    ...(definition.operationId ? { operationId: definition.operationId } : {}),
    ...(definition.summary ? { summary: definition.summary } : {}),
    security: [{ cognito: [] }],
    'x-access': definition.access,
    parameters: [
      ...parameters(definition.path, 'path'),
      ...parameters(definition.query, 'query'),
      ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ],
    ...(definition.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(definition.body) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the given routes (handlers from `defineRoute`, or their definitions).
 * @throws Error when two routes share a method and resource.
 */
export function buildOpenApiDocument(
  routes: readonly ({ definition: RouteDefinition } | RouteDefinition)[],
  options: OpenApiOptions,
): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const definition = 'definition' in route ? route.definition : route;
    const method = definition.method.toLowerCase();
    const item = paths[definition.resource] ?? {};
    paths[definition.resource] = item;
    if (item[method]) throw new Error(`duplicate route ${definition.method} ${definition.resource}`);
    item[method] = operation(definition);
  }
  const problemResponses = Object.fromEntries(
    Object.entries(PROBLEM_DESCRIPTIONS).map(([status, description]) => [
      `Problem${status}`,
      { description, content: PROBLEM_CONTENT },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    ...(options.servers ? { servers: options.servers } : {}),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `Cognito access token of the user pool carrying the scope ${API_SCOPE} (resource server ${API_RESOURCE_SERVER}): ask for it at the managed login; native sign-ins get it from the pool. ID tokens are refused with 401.`,
        },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
      responses: problemResponses,
      parameters: { IdempotencyKey: IDEMPOTENCY_KEY_PARAMETER },
      headers: { IdempotentReplayed: IDEMPOTENT_REPLAYED },
    },
  };
}
