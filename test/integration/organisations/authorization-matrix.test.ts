/**
 * Every organisations route × every persona, with the status each must get. Personas are people in
 * the table (profiles, INSZ links, memberships) as the real flows leave them, so the matrix checks
 * the use cases' rules, not only the routes' access kinds. Requests are chosen so that a row changes
 * nothing (idempotent repeats, unknown ids), except the DELETE rows, which get a fresh world each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { newId } from '#shared/ids';
import type { ApiEventOptions } from '#test/helpers/api-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import type { SeededPerson } from '#test/helpers/organisations';
import {
  createOrganisationsHarness,
  foreignBody,
  type OrganisationsHarness,
  organisationsDefinition,
  uniqueEnterpriseNumber,
} from './harness.ts';

const PERSONAS = [
  'anonymous',
  'userWithoutInsz',
  'member',
  'administratorElsewhere',
  'administrator',
  'legalRepresentative',
  'securityOfficer',
] as const;
type Persona = (typeof PERSONAS)[number];

interface World {
  kbo: string;
  people: Record<Exclude<Persona, 'anonymous'>, SeededPerson>;
  /** A second administrator (not a legal representative), the target of DELETE rows. */
  secondAdministrator: SeededPerson;
  /** A pending foreign registration of someone who is none of the personas. */
  registrationId: string;
}

let table: TestTable;
let h: OrganisationsHarness;
let world: World;

async function createWorld(): Promise<World> {
  const seed = (overrides: Partial<SeededPerson> = {}) => h.seed(overrides);
  const people = {
    userWithoutInsz: await seed({ insz: undefined }),
    member: await seed(),
    administratorElsewhere: await seed(),
    administrator: await seed(),
    legalRepresentative: await seed(),
    securityOfficer: await seed(),
  };
  const secondAdministrator = await seed();
  const kbo = uniqueEnterpriseNumber();
  const elsewhere = uniqueEnterpriseNumber();
  await h.registerCompany(kbo, 'Matrix NV', [people.legalRepresentative.insz as string]);
  await h.registerCompany(elsewhere, 'Elders BV', [people.administratorElsewhere.insz as string]);
  const ok = (answer: { status: number; body: unknown }, status: number) =>
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  ok(
    await h.as(people.legalRepresentative.personId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: kbo },
    }),
    201,
  );
  ok(
    await h.as(people.administratorElsewhere.personId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: elsewhere },
    }),
    201,
  );
  for (const person of [people.administrator, secondAdministrator, people.member]) {
    ok(
      await h.as(people.legalRepresentative.personId, {
        method: 'POST',
        resource: '/organisations/{orgCode}/administrators',
        pathParameters: { orgCode: kbo },
        body: { insz: person.insz },
      }),
      201,
    );
  }
  // The plain member: appointed, then no longer an administrator (they stay a member).
  ok(
    await h.as(people.legalRepresentative.personId, {
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode: kbo, personId: people.member.personId },
    }),
    204,
  );
  const applicant = await seed({ insz: undefined });
  const uploadId = await h.upload(applicant.personId);
  const submitted = await h.as(applicant.personId, {
    method: 'POST',
    resource: '/organisations/foreign-registrations',
    body: foreignBody(uploadId),
  });
  ok(submitted, 202);
  return { kbo, people, secondAdministrator, registrationId: String(submitted.body.registrationId) };
}

function callAs(persona: Persona, w: World, request: ApiEventOptions) {
  if (persona === 'anonymous') return h.call({ ...request, persona: 'anonymous' });
  const person = w.people[persona];
  return h.as(person.personId, request, persona === 'securityOfficer' ? 'security-officers' : undefined);
}

interface Row {
  route: string;
  request: (w: World) => ApiEventOptions;
  expected: Record<Persona, number>;
  /** Mutating rows run each persona on a fresh world. */
  fresh?: boolean;
}

const ROWS: Row[] = [
  {
    route: 'POST /organisations/claims',
    request: (w) => ({
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: w.kbo },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 403,
      member: 403,
      administratorElsewhere: 403,
      administrator: 403,
      legalRepresentative: 200,
      securityOfficer: 403,
    },
  },
  {
    route: 'POST /uploads',
    request: () => ({
      method: 'POST',
      resource: '/uploads',
      body: { contentType: 'application/pdf', size: 1000 },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 201,
      member: 201,
      administratorElsewhere: 201,
      administrator: 201,
      legalRepresentative: 201,
      securityOfficer: 201,
    },
  },
  {
    // Any user may register; an upload id with nothing behind it is refused by the rule (422).
    route: 'POST /organisations/foreign-registrations',
    request: () => ({
      method: 'POST',
      resource: '/organisations/foreign-registrations',
      body: foreignBody(newId()),
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 422,
      member: 422,
      administratorElsewhere: 422,
      administrator: 422,
      legalRepresentative: 422,
      securityOfficer: 422,
    },
  },
  {
    route: 'GET /organisations/foreign-registrations/{id}',
    request: (w) => ({
      resource: '/organisations/foreign-registrations/{id}',
      pathParameters: { id: w.registrationId },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 404,
      administratorElsewhere: 404,
      administrator: 404,
      legalRepresentative: 404,
      securityOfficer: 200,
    },
  },
  {
    route: 'GET /security/foreign-registrations',
    request: () => ({ resource: '/security/foreign-registrations', query: { status: 'PENDING_REVIEW' } }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 403,
      member: 403,
      administratorElsewhere: 403,
      administrator: 403,
      legalRepresentative: 403,
      securityOfficer: 200,
    },
  },
  {
    // An unknown registration: officers pass the access rule and get 404, everyone else 403 first.
    route: 'POST /security/foreign-registrations/{id}/decision',
    request: () => ({
      method: 'POST',
      resource: '/security/foreign-registrations/{id}/decision',
      pathParameters: { id: newId() },
      body: { decision: 'approve' },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 403,
      member: 403,
      administratorElsewhere: 403,
      administrator: 403,
      legalRepresentative: 403,
      securityOfficer: 404,
    },
  },
  {
    route: 'GET /organisations/{orgCode}',
    request: (w) => ({ resource: '/organisations/{orgCode}', pathParameters: { orgCode: w.kbo } }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 200,
      administratorElsewhere: 404,
      administrator: 200,
      legalRepresentative: 200,
      securityOfficer: 404,
    },
  },
  {
    route: 'GET /organisations/{orgCode}/members',
    request: (w) => ({ resource: '/organisations/{orgCode}/members', pathParameters: { orgCode: w.kbo } }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 403,
      administratorElsewhere: 404,
      administrator: 200,
      legalRepresentative: 200,
      securityOfficer: 404,
    },
  },
  {
    // Appointing someone who is an administrator already: allowed callers get 200 and nothing changes.
    route: 'POST /organisations/{orgCode}/administrators',
    request: (w) => ({
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode: w.kbo },
      body: { insz: w.secondAdministrator.insz },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 403,
      administratorElsewhere: 404,
      administrator: 200,
      legalRepresentative: 200,
      securityOfficer: 404,
    },
  },
  {
    route: 'DELETE /organisations/{orgCode}/administrators/{personId}',
    request: (w) => ({
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode: w.kbo, personId: w.secondAdministrator.personId },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 403,
      administratorElsewhere: 404,
      administrator: 204,
      legalRepresentative: 204,
      securityOfficer: 404,
    },
    fresh: true,
  },
  {
    // A legal representative is never removed by another administrator.
    route: 'DELETE /organisations/{orgCode}/administrators/{legal representative}',
    request: (w) => ({
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode: w.kbo, personId: w.people.legalRepresentative.personId },
    }),
    expected: {
      anonymous: 401,
      userWithoutInsz: 404,
      member: 403,
      administratorElsewhere: 404,
      administrator: 403,
      legalRepresentative: 204,
      securityOfficer: 404,
    },
    fresh: true,
  },
];

beforeAll(async () => {
  organisationsDefinition();
  table = await createTestTable();
  h = await createOrganisationsHarness(table, { timeScale: timeScaleForDay(2_000) });
  world = await createWorld();
});

afterAll(async () => {
  await h?.close();
  await table?.dispose();
});

describe('organisations authorization matrix', () => {
  const cases = ROWS.flatMap((row) => PERSONAS.map((persona) => ({ row, persona })));
  it.each(cases.map(({ row, persona }) => [row.route, persona, row.expected[persona], row] as const))(
    '%s answers %s with %i',
    async (_route, persona, expected, row) => {
      const w = row.fresh ? await createWorld() : world;

      const answer = await callAs(persona, w, row.request(w));

      expect(answer.status, JSON.stringify(answer.body)).toBe(expected);
      if (expected >= 400) expect(answer.headers['Content-Type']).toBe('application/problem+json');
    },
  );
});
