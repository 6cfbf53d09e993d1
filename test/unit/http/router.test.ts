import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute } from '#shared/http/handler';
import { createRouter } from '#shared/http/router';
import { apiEvent, lambdaContext } from '#test/helpers/api-events';

const listThings = defineRoute(
  { method: 'GET', resource: '/things', access: { kind: 'authenticated' } },
  async () => ({ status: 200, body: { route: 'list' } }),
);
const getThing = defineRoute(
  {
    method: 'GET',
    resource: '/things/{id}',
    access: { kind: 'authenticated' },
    path: z.strictObject({ id: z.string() }),
  },
  async ({ path }) => ({ status: 200, body: { route: 'get', id: path.id } }),
);

describe('createRouter', () => {
  it('dispatches on method and resource template when the route exists', async () => {
    const router = createRouter([listThings, getThing]);
    const result = await router(
      apiEvent({ persona: 'user', method: 'GET', resource: '/things/{id}', pathParameters: { id: 'x1' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ route: 'get', id: 'x1' });
  });

  it('answers 404 problem+json when no route matches', async () => {
    const router = createRouter([listThings]);
    const result = await router(
      apiEvent({ persona: 'user', method: 'DELETE', resource: '/things' }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
  });

  it('refuses two routes with the same method and resource', () => {
    expect(() => createRouter([listThings, listThings])).toThrow(/Duplicate route GET \/things/);
  });

  it('exposes its routes for the API construct and OpenAPI', () => {
    expect(createRouter([listThings, getThing]).routes.map((r) => r.definition.resource)).toEqual([
      '/things',
      '/things/{id}',
    ]);
  });
});
