import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '#shared/http/handler';
import { buildOpenApiDocument } from '#shared/http/openapi';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const submit = defineRoute(
  {
    method: 'POST',
    resource: '/things',
    access: { kind: 'authenticated' },
    body: z.strictObject({ name: z.string() }),
    responses: { 202: { description: 'Accepted', body: z.object({ thingId: z.string() }) } },
  },
  async () => ({ status: 202, body: { thingId: 'T1' } }),
);
const read = defineRoute(
  {
    method: 'GET',
    resource: '/things',
    access: { kind: 'authenticated' },
    responses: { 200: { description: 'OK' } },
  },
  async () => ({ status: 200 }),
);

type Operation = { parameters: unknown[]; responses: Record<string, Record<string, unknown>> };

describe('buildOpenApiDocument (Idempotency-Key)', () => {
  const document = buildOpenApiDocument([submit, read], { title: 't', version: '1' }) as {
    paths: Record<string, Record<string, Operation>>;
    components: { parameters: Record<string, Record<string, unknown>>; headers: Record<string, unknown> };
  };
  const post = document.paths['/things']?.post as Operation;
  const get = document.paths['/things']?.get as Operation;

  it('documents the optional Idempotency-Key header with its format when the operation is a POST', () => {
    expect(post.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(document.components.parameters.IdempotencyKey).toMatchObject({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  });

  it('documents the replay header on 2xx answers and the 409 and 422 problems when the operation is a POST', () => {
    expect(post.responses['202']?.headers).toEqual({
      'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' },
    });
    expect(post.responses['409']).toEqual({ $ref: '#/components/responses/Problem409' });
    expect(post.responses['422']).toEqual({ $ref: '#/components/responses/Problem422' });
  });

  it('leaves the header out when the operation is not a POST', () => {
    expect(get.parameters).toEqual([]);
    expect(get.responses['200']?.headers).toBeUndefined();
    expect(get.responses['409']).toBeUndefined();
  });
});
