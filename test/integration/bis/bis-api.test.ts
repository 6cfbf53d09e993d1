import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { newId } from '#shared/ids';
import type { ApiEventOptions } from '#test/helpers/api-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import {
  type BisHarness,
  bisDefinition,
  createBisHarness,
  type EidasPerson,
  eidasPerson,
  expectProblem,
  personData,
} from './harness.ts';

let table: TestTable;
let h: BisHarness;
let owner: EidasPerson;
let registrationId: string;

beforeAll(async () => {
  bisDefinition();
  table = await createTestTable();
  h = createBisHarness(table, { timeScale: timeScaleForDay(2_000) });
  owner = eidasPerson();
  await h.seedPerson(owner);
  const answer = await h.submit(owner);
  registrationId = String(answer.body.registrationId);
  await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
});

afterAll(async () => {
  await h?.close();
  await table?.dispose();
});

const get = (id: string): ApiEventOptions => ({
  resource: '/bis-registrations/{id}',
  pathParameters: { id },
});
const submit = (body: unknown): ApiEventOptions => ({ method: 'POST', resource: '/bis-registrations', body });
const correct = (id: string, body: unknown): ApiEventOptions => ({
  method: 'POST',
  resource: '/bis-registrations/{id}/corrections',
  pathParameters: { id },
  body,
});
const list = (query?: Record<string, string>): ApiEventOptions => ({
  resource: '/agent/bis-registrations',
  ...(query ? { query } : {}),
});
const decide = (id: string, body: unknown): ApiEventOptions => ({
  method: 'POST',
  resource: '/agent/bis-registrations/{id}/decision',
  pathParameters: { id },
  body,
});

/** Every BIS route with a valid request. */
const validRequests = (): [string, ApiEventOptions][] => [
  ['POST /bis-registrations', submit(personData())],
  ['GET /bis-registrations/{id}', get(registrationId)],
  ['POST /bis-registrations/{id}/corrections', correct(registrationId, personData())],
  ['GET /agent/bis-registrations', list()],
  ['POST /agent/bis-registrations/{id}/decision', decide(registrationId, { decision: 'approve' })],
];

async function expectNothingWritten(run: () => Promise<void>): Promise<void> {
  const before = await table.snapshot();
  await run();
  expect(await table.snapshot()).toEqual(before);
}

describe('BIS API authorization', () => {
  it('answers 401 on every BIS route when the caller is anonymous', async () => {
    for (const [route, request] of validRequests()) {
      await expectNothingWritten(async () => {
        const answer = await h.call({ ...request, persona: 'anonymous' });
        expectProblem(answer, 401);
        expect(route).toBeTruthy();
      });
    }
  });

  it('answers 403 on the agent routes when the caller is not a BIS agent', async () => {
    for (const [, request] of validRequests().slice(3)) {
      await expectNothingWritten(async () => {
        expectProblem(
          await h.call({ ...request, persona: 'user', claims: { person_id: owner.personId } }),
          403,
        );
        expectProblem(await h.call({ ...request, persona: 'securityOfficer' }), 403);
      });
    }
  });

  it('answers 404 when an applicant reads or corrects another person’s request', async () => {
    const stranger = eidasPerson();
    await h.seedPerson(stranger);

    await expectNothingWritten(async () => {
      expectProblem(await h.get(registrationId, stranger.personId), 404);
      expectProblem(
        await h.call({
          ...correct(registrationId, personData()),
          persona: 'user',
          claims: { person_id: stranger.personId },
        }),
        404,
      );
    });
  });

  it('answers 404 for a well-formed id that does not exist, for the owner and for agents', async () => {
    const unknown = newId();
    await expectNothingWritten(async () => {
      expectProblem(await h.get(unknown, owner.personId), 404);
      expectProblem(await h.call({ ...get(unknown), persona: 'bisAgent' }), 404);
      expectProblem(await h.call({ ...decide(unknown, { decision: 'approve' }), persona: 'bisAgent' }), 404);
    });
  });

  it('shows the request with its history to the owner and to agents, who also see who submitted', async () => {
    const mine = await h.get(registrationId, owner.personId);
    const agents = await h.call({ ...get(registrationId), persona: 'bisAgent' });

    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      registrationId,
      status: 'PENDING_REVIEW',
      history: [{ event: 'submitted' }],
    });
    expect(mine.body).not.toHaveProperty('personId');
    expect(agents.body).toMatchObject({ registrationId, personId: owner.personId });
  });

  it('lists the pending request in the agents’ queue, a page at a time', async () => {
    const page = await h.call({ ...list({ status: 'PENDING_REVIEW', limit: '1' }), persona: 'bisAgent' });

    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ registrationId, status: 'PENDING_REVIEW', familyName: 'García López' }),
    ]);
    expect(JSON.stringify(page.body)).not.toContain('taskToken');
  });

  it('refuses a submission (403) when the caller did not sign in with eIDAS or has an INSZ', async () => {
    const person = eidasPerson();
    await h.seedPerson(person);
    const withInsz = eidasPerson({ insz: '85073003328' });
    await h.seedPerson(withInsz);

    await expectNothingWritten(async () => {
      expectProblem(
        await h.call({
          ...submit(personData()),
          persona: 'user',
          claims: { person_id: person.personId, idp: 'itsme' },
        }),
        403,
      );
      expectProblem(await h.call({ ...submit(personData()), persona: 'userWithInsz' }), 403);
      expectProblem(
        await h.call({ ...submit(personData()), persona: 'user', claims: { person_id: withInsz.personId } }),
        403,
      );
      expectProblem(
        await h.call({ ...submit(personData()), persona: 'user', claims: { person_id: newId() } }),
        403,
      );
    });
  });

  it('refuses a submission (422) when names or birth date differ from the eIDAS identity', async () => {
    const person = eidasPerson();
    await h.seedPerson(person);

    await expectNothingWritten(async () => {
      for (const change of [
        { givenNames: 'Josef Maria' },
        { familyName: 'Garcia' },
        { birthDate: '1990-05-18' },
      ]) {
        const answer = await h.submit(person, personData(change));
        expectProblem(answer, 422);
        expect(answer.body.type).toBe('urn:eid-access:problem:rule-violation');
      }
    });
  });

  it('refuses a second open request of the same person (409)', async () => {
    await expectNothingWritten(async () => {
      expectProblem(await h.submit(owner), 409);
    });
  });

  it('refuses a correction (409) when the request is not waiting for one', async () => {
    await expectNothingWritten(async () => {
      expectProblem(
        await h.call({
          ...correct(registrationId, personData()),
          persona: 'user',
          claims: { person_id: owner.personId },
        }),
        409,
      );
    });
  });
});

const longText = (n: number) => 'x'.repeat(n);
const badBodies: [string, unknown][] = [
  ['an empty object', {}],
  ['a missing field', personData({ email: undefined })],
  ['a wrong type', personData({ birthDate: 19900517 })],
  ['an oversized name', personData({ givenNames: longText(101) })],
  ['an oversized place of birth', personData({ placeOfBirth: longText(101) })],
  ['an impossible date', personData({ birthDate: '1990-02-30' })],
  ['a future date', personData({ birthDate: '2999-01-01' })],
  ['a date before 1900', personData({ birthDate: '1899-12-31' })],
  ['an unknown field', personData({ nickname: 'Pepe' })],
  ['an unknown nested field', personData({ address: { ...(personData().address as object), floor: '2' } })],
  ['a bad country', personData({ nationality: 'Spain' })],
  ['a bad e-mail', personData({ email: 'not-an-email' })],
  ['a bad phone', personData({ phone: '0470' })],
  ['a bad sex', personData({ sex: 'X' })],
  [
    'a Belgian postal code of 5 digits',
    personData({ address: { ...(personData().address as object), postalCode: '10000' } }),
  ],
  ['an array', [personData()]],
  ['a control character', personData({ familyName: 'García\u0000' })],
];

const badRequests = (): [string, ApiEventOptions][] => [
  ...badBodies.map(([what, body]): [string, ApiEventOptions] => [`submit with ${what}`, submit(body)]),
  ['submit with an unsupported locale', submit({ ...personData(), locale: 'es' })],
  ['submit with a query parameter', { ...submit(personData()), query: { x: '1' } }],
  [
    'submit with malformed JSON',
    { ...submit('{"givenNames": '), headers: { 'Content-Type': 'application/json' } },
  ],
  ...badBodies.map(([what, body]): [string, ApiEventOptions] => [
    `correct with ${what}`,
    correct(registrationId, body),
  ]),
  ['correct a malformed id', correct('not-an-id', personData())],
  [
    'correct with a locale (not part of corrections)',
    correct(registrationId, { ...personData(), locale: 'fr' }),
  ],
  ['get a malformed id', get('../etc')],
  ['get a lower-case id', get(newId().toLowerCase())],
  ['get with an unknown query parameter', { ...get(registrationId), query: { verbose: 'true' } }],
  ['get with a body', { ...get(registrationId), body: { a: 1 } }],
  ['list an unknown status', list({ status: 'OPEN' })],
  ['list with limit 0', list({ limit: '0' })],
  ['list with limit 101', list({ limit: '101' })],
  ['list with a non-numeric limit', list({ limit: 'ten' })],
  ['list with a forged cursor', list({ cursor: 'eyJ2IjoxfQ' })],
  ['list with an unknown parameter', list({ sort: 'asc' })],
  ['decide with an unknown decision', decide(registrationId, { decision: 'maybe' })],
  ['decide with a wrong type', decide(registrationId, { decision: 1 })],
  ['decide without a decision', decide(registrationId, {})],
  ['reject without a reason', decide(registrationId, { decision: 'reject' })],
  ['request a correction without a reason', decide(registrationId, { decision: 'request-correction' })],
  ['reject with a blank reason', decide(registrationId, { decision: 'reject', reason: '   ' })],
  ['reject with an oversized reason', decide(registrationId, { decision: 'reject', reason: longText(1001) })],
  ['decide with an unknown field', decide(registrationId, { decision: 'approve', urgent: true })],
  ['decide a malformed id', decide('123', { decision: 'approve' })],
];

describe('BIS API input validation', () => {
  it.each(badRequests())('answers 400 problem+json and writes nothing for %s', async (_, request) => {
    const isAgentRoute = request.resource?.startsWith('/agent/') ?? false;
    await expectNothingWritten(async () => {
      const answer = await h.call({
        ...request,
        persona: isAgentRoute ? 'bisAgent' : 'user',
        ...(isAgentRoute ? {} : { claims: { person_id: owner.personId } }),
      });

      expectProblem(answer, 400);
      expect(answer.body.type).toBe('urn:eid-access:problem:validation');
      expect((answer.body.errors as unknown[]).length).toBeGreaterThan(0);
    });
  });
});
