import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extend } from 'zod/mini';
import { defineRoute } from '#shared/http/handler';
import { buildOpenApiDocument } from '#shared/http/openapi';
import { paginationQuerySchema } from '#shared/http/pagination';
import { personDataSchema } from '#shared/http/schemas';

const register = defineRoute(
  {
    method: 'POST',
    resource: '/bis-registrations',
    operationId: 'registerForBisNumber',
    access: { kind: 'authenticated' },
    body: personDataSchema,
    responses: {
      202: {
        description: 'Accepted',
        body: z.strictObject({ registrationId: z.string(), status: z.literal('PENDING_REVIEW') }),
      },
    },
  },
  async () => ({ status: 202, body: { registrationId: 'x', status: 'PENDING_REVIEW' } }),
);

const queue = defineRoute(
  {
    method: 'GET',
    resource: '/agent/bis-registrations',
    operationId: 'listBisRegistrationsForReview',
    access: { kind: 'group', group: 'bis-agents' },
    query: extend(paginationQuerySchema, { status: z.enum(['PENDING_REVIEW', 'NEEDS_CORRECTION']) }),
  },
  async () => ({ status: 200, body: { items: [] } }),
);

const decide = defineRoute(
  {
    method: 'POST',
    resource: '/agent/bis-registrations/{id}/decision',
    access: { kind: 'group', group: 'bis-agents' },
    path: z.strictObject({ id: z.string() }),
    body: z.strictObject({ decision: z.enum(['approve', 'reject']) }),
  },
  async () => ({ status: 200 }),
);

const revoke = defineRoute(
  {
    method: 'DELETE',
    resource: '/organisations/{orgCode}/grants/{grantId}',
    access: { kind: 'authenticated' },
    path: z.strictObject({ orgCode: z.string(), grantId: z.string() }),
    responses: {
      204: { description: 'Revoked' },
      404: { description: 'No such grant in this organisation' },
    },
  },
  async () => ({ status: 204 }),
);

type Operation = {
  operationId?: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> };
  responses: Record<string, unknown>;
  'x-access': unknown;
};

function operationOf(document: Record<string, unknown>, path: string, method: string): Operation {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const found = paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
}

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument([register, queue, decide, revoke], {
    title: 'eid-access',
    version: '1.0.0',
  });

  it('documents every error status a route of its kind may answer, as problem+json', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(operationOf(document, path, method).responses);

    // Authenticated routes may refuse (403); a path names something that may not exist for the caller (404).
    expect(statuses('/bis-registrations', 'post')).toEqual([
      '202',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '500',
    ]);
    expect(statuses('/agent/bis-registrations', 'get')).toEqual(['400', '401', '403', '500']);
    expect(statuses('/organisations/{orgCode}/grants/{grantId}', 'delete')).toEqual([
      '204',
      '400',
      '401',
      '403',
      '404',
      '409',
      '500',
    ]);
    // A status the route declares keeps its description and gets the problem body.
    expect(
      operationOf(document, '/organisations/{orgCode}/grants/{grantId}', 'delete').responses['404'],
    ).toEqual({
      description: 'No such grant in this organisation',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(operationOf(document, '/agent/bis-registrations/{id}/decision', 'post').responses['404']).toEqual({
      $ref: '#/components/responses/Problem404',
    });
  });

  it('documents the request body from the route schema when a route takes one', () => {
    const operation = operationOf(document, '/bis-registrations', 'post');

    expect(operation.operationId).toBe('registerForBisNumber');
    expect(operation.requestBody?.content['application/json']?.schema.additionalProperties).toBe(false);
    expect(operation.responses['202']).toMatchObject({ description: 'Accepted' });
    expect(operation.responses['415']).toEqual({ $ref: '#/components/responses/Problem415' });
  });

  it('documents query parameters with their required flags when a route lists', () => {
    const operation = operationOf(document, '/agent/bis-registrations', 'get');

    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
      expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
      expect.objectContaining({ name: 'status', in: 'query', required: true }),
    ]);
    expect(operation.responses['403']).toBeDefined();
    expect(operation['x-access']).toEqual({ kind: 'group', group: 'bis-agents' });
  });

  it('documents path parameters as required', () => {
    const operation = operationOf(document, '/agent/bis-registrations/{id}/decision', 'post');

    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      { $ref: '#/components/parameters/IdempotencyKey' },
    ]);
  });

  it('declares the problem schema and bearer security once', () => {
    expect(document).toMatchObject({
      openapi: '3.1.0',
      components: { securitySchemes: { cognito: { type: 'http', scheme: 'bearer' } } },
    });
    expect(JSON.stringify(document)).not.toContain('$schema');
  });

  it('throws when two routes share a method and resource', () => {
    expect(() => buildOpenApiDocument([register, register.definition], { title: 't', version: '1' })).toThrow(
      /duplicate route POST \/bis-registrations/,
    );
  });
});
