/**
 * Every route of `API_ROUTES` × every persona, through the real Lambda entries on DynamoDB Local,
 * with the status `test/helpers/authorization-expectations.ts` gives. The route list and the matrix
 * must match exactly: a new route fails here until it has its row. Refusals are problem+json and
 * write nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_ROUTES } from '#lib/api-routes';
import {
  AUTHORIZATION_MATRIX,
  buildMatrixWorld,
  MATRIX_PERSONAS,
  type MatrixWorld,
  matrixContext,
  mutatesWorld,
} from '#test/helpers/authorization-expectations';
import { type ApiEnvironment, startApiEnvironment } from '#test/helpers/fuzz-api-environment';

const ROUTE_KEYS = API_ROUTES.flatMap(({ routes }) =>
  routes.map((route) => `${route.definition.method} ${route.definition.resource}`),
);

let env: ApiEnvironment;
let world: MatrixWorld;

beforeAll(async () => {
  env = await startApiEnvironment();
  world = await buildMatrixWorld(env);
});

beforeEach(() => env.stubEnv());

afterAll(async () => {
  await env?.close();
});

describe('authorization matrix', () => {
  it('has a row for every route of API_ROUTES and a route for every row', () => {
    const rows = Object.keys(AUTHORIZATION_MATRIX);

    expect(
      ROUTE_KEYS.filter((key) => !rows.includes(key)),
      'routes without a row',
    ).toEqual([]);
    expect(
      rows.filter((key) => !ROUTE_KEYS.includes(key)),
      'rows without a route',
    ).toEqual([]);
  });

  // Every route of API_ROUTES gets its cells, with or without a row (then they fail, naming it).
  const cells = ROUTE_KEYS.flatMap((route) => MATRIX_PERSONAS.map((persona) => [route, persona] as const));
  it.each(cells)('%s as %s', async (route, persona) => {
    const row = AUTHORIZATION_MATRIX[route];
    if (!row) throw new Error(`${route} has no row in test/helpers/authorization-expectations.ts`);
    const context = matrixContext(env, world);
    const prepared = row.prepare ? await row.prepare(context, persona) : {};
    env.takeWrites();
    const failuresBefore = env.workflowFailures.length;

    const answer = await context.call(persona, route, row.request(world, prepared, persona));
    const writes = env.takeWrites();
    const failures = env.workflowFailures.slice(failuresBefore);
    if (mutatesWorld(row, persona) && answer.status < 300) world = await buildMatrixWorld(env);

    expect(answer.status, JSON.stringify(answer.body)).toBe(row.expected[persona]);
    if (answer.status >= 400) {
      expect(answer.headers['Content-Type']).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ status: answer.status, type: expect.any(String) });
      // Nothing is written on a refusal (ARCHITECTURE.md section 3).
      expect(writes, 'writes of a refused request').toEqual([]);
    }
    expect(failures, 'workflow steps that failed').toEqual([]);
  });

  it('answers 404 to a registration officer when the person has no native account', async () => {
    const context = matrixContext(env, world);
    env.takeWrites();

    const answer = await context.call(
      'registrationOfficer',
      'POST /registration-office/accounts/{personId}/code-card',
      { pathParameters: { personId: world.people.userWithInsz.personId } },
    );

    expect(answer.status, JSON.stringify(answer.body)).toBe(404);
    expect(env.takeWrites(), 'writes of a refused request').toEqual([]);
  });
});
