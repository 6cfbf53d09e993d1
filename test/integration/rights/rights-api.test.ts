import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { encodeCursor } from '#shared/http/pagination';
import { newId } from '#shared/ids';
import { rightsKeys } from '#shared/keys';
import type { ApiEventOptions } from '#test/helpers/api-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import {
  newOrgCode,
  person,
  type SeededPerson,
  seedMembership,
  seedOrganisation,
  seedPerson,
} from '#test/helpers/organisations';
import { createRightsHarness, expectProblem, type RightsHarness, rightsDefinition } from './harness.ts';

let table: TestTable;
let h: RightsHarness;
let orgCode: string;
let otherOrgCode: string;

/** The personas of the authorization matrix. */
type Persona = 'anonymous' | 'noInsz' | 'nonMember' | 'member' | 'otherAdministrator' | 'administrator';
const people = {} as Record<
  Exclude<Persona, 'anonymous'> | 'requesterAdministrator' | 'requester',
  SeededPerson
>;
let pendingRequestId: string;
let ownRequestId: string;
let badInputRequestId: string;
let grantId: string;

async function pending(requester: SeededPerson, role: string): Promise<string> {
  const answer = await h.request(requester.personId, orgCode, { application: 'KLIP', role });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const requestId = String(answer.body.requestId);
  await h.waitUntilWaiting(requestId);
  return requestId;
}

beforeAll(async () => {
  rightsDefinition();
  table = await createTestTable();
  h = createRightsHarness(table, { timeScale: timeScaleForDay(60_000) });
  orgCode = newOrgCode();
  otherOrgCode = newOrgCode();
  await seedOrganisation(table, orgCode, 'Nutsbedrijf');
  await seedOrganisation(table, otherOrgCode, 'Aannemer');
  people.noInsz = person({ insz: undefined });
  people.nonMember = person();
  people.member = person();
  people.otherAdministrator = person();
  people.administrator = person();
  people.requesterAdministrator = person();
  people.requester = person();
  for (const seeded of Object.values(people)) await seedPerson(table, seeded);
  await seedMembership(table, people.noInsz.personId, otherOrgCode);
  await seedMembership(table, people.member.personId, orgCode);
  await seedMembership(table, people.otherAdministrator.personId, otherOrgCode, { localAdministrator: true });
  await seedMembership(table, people.administrator.personId, orgCode, { localAdministrator: true });
  await seedMembership(table, people.requesterAdministrator.personId, orgCode, { localAdministrator: true });

  pendingRequestId = await pending(people.requester, 'klb-beheerder');
  badInputRequestId = await pending(people.requester, 'klb-operator');
  ownRequestId = await pending(people.requesterAdministrator, 'klb-beheerder');
  const granted = await h.request(people.member.personId, orgCode, {
    application: 'KLIP',
    role: 'raadpleger',
  });
  expect(granted.body.status).toBe('APPROVED');
  const grants = await h.repository.listGrants(orgCode, new Date().toISOString(), 10);
  grantId = String(grants.items[0]?.grantId);
});

afterAll(async () => {
  await h?.close();
  await table?.dispose();
});

const call = (persona: Persona, request: ApiEventOptions) =>
  persona === 'anonymous'
    ? h.call({ ...request, persona: 'anonymous' })
    : h.as(people[persona].personId, request);

/** Waits for the workflow work a successful call started, so the next snapshot is stable. */
async function settle(body: Record<string, unknown>): Promise<void> {
  const requestId = typeof body.requestId === 'string' ? body.requestId : undefined;
  if (!requestId) return;
  if (body.decision === 'approve') {
    await h.waitForStatus(requestId, 'APPROVED');
    await h.waitForExecution(requestId);
  } else if (body.status === 'PENDING') {
    await h.waitUntilWaiting(requestId);
  }
}

async function expectNothingWritten(run: () => Promise<void>): Promise<void> {
  const before = await table.snapshot();
  await run();
  expect(await table.snapshot()).toEqual(before);
}

const organisationRoute = (method: string, suffix: string, extra: Partial<ApiEventOptions> = {}) => ({
  method,
  resource: `/organisations/{orgCode}${suffix}`,
  ...extra,
  pathParameters: { orgCode, ...extra.pathParameters },
});

interface MatrixRow {
  route: string;
  request: () => ApiEventOptions;
  expected: Record<Persona, number>;
}

const refusedToOutsiders = {
  anonymous: 401,
  noInsz: 404,
  nonMember: 404,
  member: 403,
  otherAdministrator: 404,
};

/** Every route of the issue with the status each persona gets; the administrator's success runs last. */
const matrix: MatrixRow[] = [
  {
    route: 'GET /applications',
    request: () => ({ resource: '/applications' }),
    expected: {
      anonymous: 401,
      noInsz: 200,
      nonMember: 200,
      member: 200,
      otherAdministrator: 200,
      administrator: 200,
    },
  },
  {
    route: 'GET /organisations/{orgCode}/right-requests',
    request: () => organisationRoute('GET', '/right-requests'),
    expected: { ...refusedToOutsiders, administrator: 200 },
  },
  {
    route: 'POST /organisations/{orgCode}/right-requests/{requestId}/decision',
    request: () =>
      organisationRoute('POST', '/right-requests/{requestId}/decision', {
        pathParameters: { requestId: pendingRequestId },
        body: { decision: 'approve' },
      }),
    expected: { ...refusedToOutsiders, administrator: 200 },
  },
  {
    route: 'GET /organisations/{orgCode}/grants',
    request: () => organisationRoute('GET', '/grants'),
    expected: { ...refusedToOutsiders, administrator: 200 },
  },
  {
    route: 'DELETE /organisations/{orgCode}/grants/{grantId}',
    request: () => organisationRoute('DELETE', '/grants/{grantId}', { pathParameters: { grantId } }),
    expected: { ...refusedToOutsiders, administrator: 204 },
  },
  {
    route: 'GET /organisations/{orgCode}/audit',
    request: () => organisationRoute('GET', '/audit'),
    expected: { ...refusedToOutsiders, administrator: 200 },
  },
  {
    route: 'POST /organisations/{orgCode}/right-requests',
    request: () =>
      organisationRoute('POST', '/right-requests', { body: { application: 'KLIP', role: 'klim-beheerder' } }),
    expected: {
      anonymous: 401,
      noInsz: 403,
      nonMember: 202,
      member: 202,
      otherAdministrator: 202,
      administrator: 202,
    },
  },
];

const PERSONAS: readonly Persona[] = [
  'anonymous',
  'noInsz',
  'nonMember',
  'member',
  'otherAdministrator',
  'administrator',
];

describe('rights API authorization', () => {
  it.each(matrix)('answers each persona as the matrix says on $route', async ({ request, expected }) => {
    for (const persona of PERSONAS) {
      const status = expected[persona];
      if (status >= 400) {
        await expectNothingWritten(async () => {
          const answer = await call(persona, request());
          expectProblem(answer, status);
        });
      } else {
        const answer = await call(persona, request());
        expect(answer.status, `${persona}: ${JSON.stringify(answer.body)}`).toBe(status);
        await settle(answer.body);
      }
    }
  });

  it('answers 403 to a local administrator deciding on their own request, and writes nothing', async () => {
    await expectNothingWritten(async () => {
      expectProblem(
        await h.decide(people.requesterAdministrator.personId, orgCode, ownRequestId, {
          decision: 'approve',
        }),
        403,
      );
    });
  });

  it('answers 404 for a request of another organisation, even to its own administrators', async () => {
    await expectNothingWritten(async () => {
      expectProblem(
        await h.decide(people.otherAdministrator.personId, otherOrgCode, ownRequestId, {
          decision: 'approve',
        }),
        404,
      );
      expectProblem(
        await h.decide(people.administrator.personId, orgCode, newId(), { decision: 'approve' }),
        404,
      );
    });
  });

  it('answers 404 to a request for an organisation that does not exist, and 403 first without an INSZ', async () => {
    await expectNothingWritten(async () => {
      expectProblem(
        await h.request(people.nonMember.personId, newOrgCode(), {
          application: 'KLIP',
          role: 'planaanvrager',
        }),
        404,
      );
      expectProblem(
        await h.request(people.noInsz.personId, newOrgCode(), { application: 'KLIP', role: 'planaanvrager' }),
        403,
      );
    });
  });

  it('lists the catalogue with approval rules and validities', async () => {
    const answer = await call('member', { resource: '/applications' });
    const klip = (answer.body.items as { application: string; roles: Record<string, unknown>[] }[]).find(
      (app) => app.application === 'KLIP',
    );

    expect(klip?.roles.map((r) => `${r.role}:${r.requiresApproval}`)).toEqual([
      'planaanvrager:false',
      'raadpleger:false',
      'klb-beheerder:true',
      'klb-operator:true',
      'klb-raadpleger:true',
      'klim-beheerder:true',
      'odb-beheerder:true',
    ]);
    expect(klip?.roles[2]).toMatchObject({ defaultValidityDays: 365, maxValidityDays: 1095 });
  });
});

const farFuture = new Date(Date.now() + 4 * 365 * 86_400_000).toISOString();
const foreignCursor = () =>
  encodeCursor(
    {
      GSI1PK: rightsKeys.inboxPartition(otherOrgCode, 'PENDING'),
      GSI1SK: `2026-01-01T00:00:00.000Z#${newId()}`,
      PK: `RIGHT_REQUEST#${newId()}`,
      SK: 'REQUEST',
    },
    `GSI1#${rightsKeys.inboxPartition(otherOrgCode, 'PENDING')}`,
  );
const grantsCursor = () =>
  encodeCursor(
    {
      GSI1PK: rightsKeys.organisationGrantsPartition(orgCode),
      GSI1SK: newId(),
      PK: 'PERSON#x',
      SK: 'GRANT#y',
    },
    `GSI1#${rightsKeys.organisationGrantsPartition(orgCode)}`,
  );

const submit = (body: unknown, path: Record<string, string> = {}): ApiEventOptions =>
  organisationRoute('POST', '/right-requests', { body, pathParameters: path });
const decision = (body: unknown, requestId?: string): ApiEventOptions =>
  organisationRoute('POST', '/right-requests/{requestId}/decision', {
    body,
    pathParameters: { requestId: requestId ?? badInputRequestId },
  });

/** Bad input, each sent by the organisation's administrator (so only the input is wrong). */
const badInputs: [string, () => ApiEventOptions][] = [
  ['an unknown application', () => submit({ application: 'NOPE', role: 'planaanvrager' })],
  ['a role of another application', () => submit({ application: 'GIPOD', role: 'klb-beheerder' })],
  ['a missing role', () => submit({ application: 'KLIP' })],
  ['an unknown field', () => submit({ application: 'KLIP', role: 'planaanvrager', admin: true })],
  [
    'a justification over 1000 characters',
    () => submit({ application: 'KLIP', role: 'planaanvrager', justification: 'x'.repeat(1001) }),
  ],
  [
    'a justification with control characters',
    () => submit({ application: 'KLIP', role: 'planaanvrager', justification: 'a\u0000b' }),
  ],
  [
    'a body that is not JSON',
    () => ({ ...submit('{not json'), headers: { 'Content-Type': 'application/json' } }),
  ],
  ['no body', () => organisationRoute('POST', '/right-requests')],
  [
    'an organisation code with #',
    () => submit({ application: 'KLIP', role: 'planaanvrager' }, { orgCode: 'a#b' }),
  ],
  ['an unknown decision', () => decision({ decision: 'maybe' })],
  ['a denial without reason', () => decision({ decision: 'deny' })],
  ['a denial with validUntil', () => decision({ decision: 'deny', reason: 'no', validUntil: '2030-01-01' })],
  ['a validUntil that is not a date', () => decision({ decision: 'approve', validUntil: 'next year' })],
  ['a validUntil in the past', () => decision({ decision: 'approve', validUntil: '2020-01-01' })],
  ['a validUntil beyond the role’s maximum', () => decision({ decision: 'approve', validUntil: farFuture })],
  ['a request id that is not a ULID', () => decision({ decision: 'approve' }, 'request-1')],
  ['an unknown status', () => organisationRoute('GET', '/right-requests', { query: { status: 'OPEN' } })],
  ['a limit of 0', () => organisationRoute('GET', '/right-requests', { query: { limit: '0' } })],
  ['a limit of 101', () => organisationRoute('GET', '/grants', { query: { limit: '101' } })],
  ['a repeated parameter', () => organisationRoute('GET', '/grants', { query: { limit: ['1', '2'] } })],
  ['an unknown query parameter', () => organisationRoute('GET', '/audit', { query: { since: 'today' } })],
  ['a malformed cursor', () => organisationRoute('GET', '/audit', { query: { cursor: 'bm90IGEgY3Vyc29y' } })],
  [
    'a cursor of another organisation',
    () => organisationRoute('GET', '/right-requests', { query: { cursor: foreignCursor() } }),
  ],
  [
    'a cursor of another list',
    () => organisationRoute('GET', '/audit', { query: { cursor: grantsCursor() } }),
  ],
  [
    'a grant id that is not a ULID',
    () => organisationRoute('DELETE', '/grants/{grantId}', { pathParameters: { grantId: 'grant-1' } }),
  ],
  ['a query on the catalogue', () => ({ resource: '/applications', query: { limit: '5' } })],
];

describe('rights API input validation', () => {
  it.each(badInputs)('answers 400 problem+json and writes nothing for %s', async (_name, request) => {
    await expectNothingWritten(async () => {
      const answer = await h.as(people.administrator.personId, request());
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual(expect.any(Array));
    });
  });

  it('keeps the pending request decidable after all that bad input', async () => {
    const answer = await h.decide(people.administrator.personId, orgCode, badInputRequestId, {
      decision: 'approve',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });

    expect(answer.status).toBe(200);
    await settle(answer.body);
    const audit = await h.as(people.administrator.personId, organisationRoute('GET', '/audit'));
    expect((audit.body.items as { action: string }[]).map((entry) => entry.action)).toContain(
      'right-request-approved',
    );
  });
});
