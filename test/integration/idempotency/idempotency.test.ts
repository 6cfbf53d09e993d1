/**
 * `Idempotency-Key` end to end on DynamoDB Local: the real route handlers of three contexts (BIS,
 * rights, organisations) with their real repositories and locally run state machines, and the
 * Powertools records in the same table. A retried submission never creates a second request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { IDEMPOTENCY_TTL_SECONDS, IDEMPOTENT_REPLAYED_HEADER } from '#shared/http/idempotency';
import { newId } from '#shared/ids';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';
import {
  newOrgCode,
  person,
  seedMembership,
  seedOrganisation,
  seedPerson,
} from '#test/helpers/organisations';
import { type BisHarness, bisDefinition, createBisHarness, eidasPerson, personData } from '../bis/harness.ts';
import {
  createOrganisationsHarness,
  type OrganisationsHarness,
  organisationsDefinition,
  uniqueEnterpriseNumber,
} from '../organisations/harness.ts';
import { createRightsHarness, type RightsHarness, rightsDefinition } from '../rights/harness.ts';

let table: TestTable;
let bis: BisHarness;
let rights: RightsHarness;
let organisations: OrganisationsHarness;

beforeAll(async () => {
  bisDefinition();
  rightsDefinition();
  organisationsDefinition();
  table = await createTestTable();
  bis = createBisHarness(table, { timeScale: timeScaleForDay(60_000) });
  rights = createRightsHarness(table, { timeScale: timeScaleForDay(60_000) });
  organisations = await createOrganisationsHarness(table, { timeScale: timeScaleForDay(60_000) });
});

beforeEach(() => {
  // The idempotency records go to the function's own table (TABLE_NAME) through its own client.
  stubLocalEnv({
    TABLE_NAME: table.tableName,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});

afterAll(async () => {
  await Promise.all([bis?.close(), rights?.close(), organisations?.close()]);
  await table?.dispose();
});

type Item = Record<string, unknown>;

const items = async (predicate: (item: Item) => boolean): Promise<Item[]> =>
  (await table.snapshot()).filter(predicate);

const bisRegistrationsOf = (personId: string) =>
  items(
    (item) =>
      item.SK === 'REGISTRATION' && item.GSI2PK === `OWNER#${personId}` && String(item.PK).startsWith('BIS#'),
  );

const submitBis = (personId: string, key: string, data: Record<string, unknown> = personData()) =>
  bis.call({
    persona: 'user',
    claims: { person_id: personId },
    method: 'POST',
    resource: '/bis-registrations',
    body: data,
    headers: { 'Idempotency-Key': key },
  });

describe('POST /bis-registrations with Idempotency-Key', () => {
  it('answers a retry with the same 202 body, creates one registration and starts one execution', async () => {
    const applicant = eidasPerson();
    await bis.seedPerson(applicant);
    const key = newId();
    const executionsBefore = bis.runner.list().length;

    const first = await submitBis(applicant.personId, key);
    const registrationId = String(first.body.registrationId);
    await bis.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
    const settled = await table.snapshot();
    const retry = await submitBis(applicant.personId, key);

    expect(first.status).toBe(202);
    expect(first.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(retry.status).toBe(202);
    expect(retry.raw.body).toBe(first.raw.body);
    expect(retry.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(await table.snapshot()).toEqual(settled);
    expect(await bisRegistrationsOf(applicant.personId)).toHaveLength(1);
    expect(bis.runner.list()).toHaveLength(executionsBefore + 1);
    const records = settled.filter((item) => String(item.PK).startsWith('IDEMPOTENCY#'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ SK: 'RESPONSE', status: 'COMPLETED' });
    expect(Number(records[0]?.expiresAt)).toBeGreaterThan(Date.now() / 1000 + IDEMPOTENCY_TTL_SECONDS - 60);
  });

  it('answers 422 and writes nothing when the key is reused with different person data', async () => {
    const applicant = eidasPerson();
    await bis.seedPerson(applicant);
    const key = newId();
    const first = await submitBis(applicant.personId, key);
    await bis.waitUntilWaiting(String(first.body.registrationId), 'PENDING_REVIEW');
    const before = await table.snapshot();

    const reused = await submitBis(applicant.personId, key, personData({ placeOfBirth: 'Sevilla' }));

    expect(reused.status).toBe(422);
    expect(reused.headers['Content-Type']).toBe('application/problem+json');
    expect(reused.body.detail).toBe('Idempotency-Key reused with a different request.');
    expect(await table.snapshot()).toEqual(before);
  });

  it('never creates two registrations when the same submission arrives twice at once', async () => {
    const applicant = eidasPerson();
    await bis.seedPerson(applicant);
    const key = newId();
    const executionsBefore = bis.runner.list().length;

    const answers = await Promise.all([
      submitBis(applicant.personId, key),
      submitBis(applicant.personId, key),
    ]);

    const statuses = answers.map((answer) => answer.status).sort();
    expect([
      [202, 202],
      [202, 409],
    ]).toContainEqual(statuses);
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(new Set(accepted.map((answer) => answer.raw.body)).size).toBe(1);
    const conflict = answers.find((answer) => answer.status === 409);
    // A 409 must be the in-progress answer, not the open-request rule of a second submission that ran.
    if (conflict) expect(conflict.body.detail).toMatch(/Idempotency-Key is still being processed/);
    await bis.waitUntilWaiting(String(accepted[0]?.body.registrationId), 'PENDING_REVIEW');
    expect(await bisRegistrationsOf(applicant.personId)).toHaveLength(1);
    expect(bis.runner.list()).toHaveLength(executionsBefore + 1);
  });

  it('creates a separate registration when another person uses the same key', async () => {
    const one = eidasPerson();
    const other = eidasPerson();
    await bis.seedPerson(one);
    await bis.seedPerson(other);
    const key = newId();

    const first = await submitBis(one.personId, key);
    const second = await submitBis(other.personId, key);

    expect(second.status).toBe(202);
    expect(second.body.registrationId).not.toBe(first.body.registrationId);
    expect(second.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    await bis.waitUntilWaiting(String(first.body.registrationId), 'PENDING_REVIEW');
    await bis.waitUntilWaiting(String(second.body.registrationId), 'PENDING_REVIEW');
  });
});

describe('POST /organisations/{orgCode}/right-requests with Idempotency-Key', () => {
  it('answers a retry with the same 202 body, creates one request and starts one execution', async () => {
    const orgCode = newOrgCode();
    const requester = person();
    await seedOrganisation(table, orgCode, 'Nutsbedrijf');
    await seedPerson(table, requester);
    await seedMembership(table, requester.personId, orgCode);
    const key = newId();
    const executionsBefore = rights.runner.list().length;
    const send = () =>
      rights.as(requester.personId, {
        method: 'POST',
        resource: '/organisations/{orgCode}/right-requests',
        pathParameters: { orgCode },
        body: { application: 'KLIP', role: 'klb-beheerder' },
        headers: { 'Idempotency-Key': key },
      });

    const first = await send();
    await rights.waitUntilWaiting(String(first.body.requestId));
    const settled = await table.snapshot();
    const retry = await send();

    expect(first.status).toBe(202);
    expect(first.body.status).toBe('PENDING');
    expect(retry.status).toBe(202);
    expect(retry.raw.body).toBe(first.raw.body);
    expect(retry.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(await table.snapshot()).toEqual(settled);
    const requests = settled.filter(
      (item) => item.SK === 'REQUEST' && item.GSI2PK === `OWNER#${requester.personId}`,
    );
    expect(requests).toHaveLength(1);
    expect(rights.runner.list()).toHaveLength(executionsBefore + 1);
  });
});

describe('POST /organisations/claims with Idempotency-Key', () => {
  const claim = (personId: string, enterpriseNumber: string, key: string) =>
    organisations.as(personId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber },
      headers: { 'Idempotency-Key': key },
    });

  it('replays the 201 of the first claim instead of the 200 of a repeated claim, and writes nothing more', async () => {
    const representative = await organisations.seed();
    const kbo = uniqueEnterpriseNumber();
    await organisations.registerCompany(kbo, 'Bouw Claes NV', [String(representative.insz)]);
    const key = newId();

    const first = await claim(representative.personId, kbo, key);
    const settled = await table.snapshot();
    const mailsBefore = organisations.mails().length;
    const retry = await claim(representative.personId, kbo, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.raw.body).toBe(first.raw.body);
    expect(retry.headers[IDEMPOTENT_REPLAYED_HEADER]).toBe('true');
    expect(await table.snapshot()).toEqual(settled);
    expect(organisations.mails()).toHaveLength(mailsBefore);
    expect(settled.filter((item) => item.PK === `ORG#${kbo}` && item.SK === 'PROFILE')).toHaveLength(1);
  });

  it('runs a retry with the same key again when the first attempt was refused (a 4xx is never replayed)', async () => {
    const representative = await organisations.seed();
    const kbo = uniqueEnterpriseNumber();
    await organisations.registerCompany(kbo, 'Later BV', []);
    const key = newId();
    const before = await table.snapshot();

    const refused = await claim(representative.personId, kbo, key);
    const afterRefusal = await table.snapshot();
    await organisations.registerCompany(kbo, 'Later BV', [String(representative.insz)]);
    const retried = await claim(representative.personId, kbo, key);

    expect(refused.status).toBe(403);
    expect(afterRefusal).toEqual(before);
    expect(retried.status).toBe(201);
    expect(retried.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
    expect(retried.body).toMatchObject({ orgCode: kbo, legalRepresentative: true });
  });
});
