import { describe, expect, it } from 'vitest';
import { createBisRoutes } from '../../lambdas/bis/routes.ts';
import { createForeignRegistrationRoutes } from '../../lambdas/organisations/registration-routes.ts';
import { createRightsRoutes } from '../../lambdas/rights/routes.ts';
import type { RouteHandler } from '../../lambdas/shared/http/handler.ts';
import { createRouter } from '../../lambdas/shared/http/router.ts';
import { apiEvent, lambdaContext, type Persona } from '../helpers/api-events.ts';

/**
 * Deps whose every port records the call: a refused body must reach none of them (nothing read
 * that costs, nothing written). `now` is the only plain function.
 */
function recordingDeps(): { deps: never; calls: string[] } {
  const calls: string[] = [];
  const port = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method) =>
          (...args: unknown[]) => {
            calls.push(`${name}.${String(method)}`);
            void args;
            throw new Error('not expected in this test');
          },
      },
    );
  const deps = new Proxy(
    {},
    {
      get: (_target, name) =>
        name === 'now' ? () => new Date() : name === 'then' ? undefined : port(String(name)),
    },
  );
  return { deps: deps as never, calls };
}

const address = {
  street: 'Rue Haute 1',
  houseNumber: '1',
  postalCode: '1000',
  city: 'Bruxelles',
  country: 'BE',
};
const personData = {
  givenNames: 'Anna',
  familyName: 'Peeters',
  birthDate: '1990-01-01',
  nationality: 'NL',
  placeOfBirth: 'Utrecht',
  address,
  email: 'anna@example.org',
  phone: '+32470123456',
};

interface Case {
  family: string;
  routes: (deps: never) => RouteHandler[];
  persona: Persona;
  method: string;
  resource: string;
  pathParameters?: Record<string, string>;
  body: Record<string, unknown>;
  path: string;
  code: string;
}

/** A foreign registration by a user whose `field` breaks the text policy with `code`. */
function foreignRegistrationCase(
  registration: { name: string; country: string; registrationNumber: string; postalCode: string },
  path: string,
  code: string,
): Case {
  const { postalCode, ...fields } = registration;
  return {
    family: 'organisations',
    routes: createForeignRegistrationRoutes,
    persona: 'user',
    method: 'POST',
    resource: '/organisations/foreign-registrations',
    body: {
      ...fields,
      address: { ...address, country: registration.country, postalCode },
      uploadId: '01JZ0000000000000000000001',
    },
    path,
    code,
  };
}

const ORG = '0403019261';
const CASES: Case[] = [
  {
    family: 'BIS',
    routes: createBisRoutes,
    persona: 'user',
    method: 'POST',
    resource: '/bis-registrations',
    body: { ...personData, familyName: 'Pee\u202Eters' },
    path: 'familyName',
    code: 'text.format-character',
  },
  {
    family: 'BIS',
    routes: createBisRoutes,
    persona: 'user',
    method: 'POST',
    resource: '/bis-registrations',
    body: { ...personData, address: { ...address, street: 'Rue\u200BHaute' } },
    path: 'address.street',
    code: 'text.format-character',
  },
  {
    family: 'BIS',
    routes: createBisRoutes,
    persona: 'user',
    method: 'POST',
    resource: '/bis-registrations',
    body: { ...personData, givenNames: 'An\uD800na' },
    path: 'givenNames',
    code: 'text.lone-surrogate',
  },
  {
    family: 'BIS',
    routes: createBisRoutes,
    persona: 'user',
    method: 'POST',
    resource: '/bis-registrations',
    body: { ...personData, placeOfBirth: `U${'\u0336'.repeat(12)}trecht` },
    path: 'placeOfBirth',
    code: 'text.combining-marks',
  },
  {
    family: 'BIS',
    routes: createBisRoutes,
    persona: 'bisAgent',
    method: 'POST',
    resource: '/agent/bis-registrations/{id}/decision',
    pathParameters: { id: '01JZREG0000000000000000001' },
    body: { decision: 'reject', reason: 'Wrong\uFFFD data' },
    path: 'reason',
    code: 'text.replacement-character',
  },
  foreignRegistrationCase(
    { name: 'Siemens\u00ADAG', country: 'DE', registrationNumber: 'HRB 1', postalCode: '10115' },
    'name',
    'text.format-character',
  ),
  foreignRegistrationCase(
    { name: 'Siemens AG', country: 'DE', registrationNumber: 'HRВ 12345', postalCode: '10115' },
    'registrationNumber',
    'identifier.foreign-character',
  ),
  foreignRegistrationCase(
    { name: 'Siemens AG', country: 'FR', registrationNumber: 'RCS ١٢٣', postalCode: '75001' },
    'registrationNumber',
    'identifier.foreign-character',
  ),
  {
    family: 'organisations',
    routes: createForeignRegistrationRoutes,
    persona: 'securityOfficer',
    method: 'POST',
    resource: '/security/foreign-registrations/{id}/decision',
    pathParameters: { id: '01JZ0000000000000000000001' },
    body: { decision: 'reject', reason: 'No\u{E0041} extract' },
    path: 'reason',
    code: 'text.format-character',
  },
  {
    family: 'rights',
    routes: createRightsRoutes,
    persona: 'userWithInsz',
    method: 'POST',
    resource: '/organisations/{orgCode}/right-requests',
    pathParameters: { orgCode: ORG },
    body: { application: 'KLIP', role: 'raadpleger', justification: 'I\u2067 need it' },
    path: 'justification',
    code: 'text.format-character',
  },
];

describe('text policy at the API, per route family', () => {
  it.each(CASES)(
    '$family $method $resource: 400 naming $path with $code, nothing written',
    async (testCase) => {
      const { deps, calls } = recordingDeps();
      const handler = createRouter(testCase.routes(deps));

      const result = await handler(
        apiEvent({
          persona: testCase.persona,
          method: testCase.method,
          resource: testCase.resource,
          ...(testCase.pathParameters ? { pathParameters: testCase.pathParameters } : {}),
          body: testCase.body,
        }),
        lambdaContext(),
      );

      expect(result.statusCode).toBe(400);
      expect(result.headers?.['Content-Type']).toBe('application/problem+json');
      const problem = JSON.parse(result.body) as {
        errors: { path: string; code?: string; message: string }[];
      };
      expect(problem.errors).toEqual([
        expect.objectContaining({ path: testCase.path, code: testCase.code, message: expect.any(String) }),
      ]);
      expect(calls).toEqual([]);
    },
  );
});
