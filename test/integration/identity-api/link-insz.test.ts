import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoAttemptLimiter } from '#identity/api/attempt-limiter';
import { createDynamoInszLinkStore } from '#identity/api/insz-link-store';
import { createIdentityRoutes } from '#identity/api/routes';
import { loadIdentityConfig } from '#identity/config';
import { createDynamoPersonRegister } from '#identity/person-register';
import { createDynamoPersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { createRouter, type RouterHandler } from '#shared/http/router';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { apiEvent, lambdaContext } from '#test/helpers/api-events';
import { preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'unused-by-these-tests');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const silent = { info: () => {}, warn: () => {}, error: () => {} };

let table: TestTable;
let router: RouterHandler;
let login: (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;
let register: ReturnType<typeof createDynamoPersonRegister>;

beforeAll(async () => {
  table = await createTestTable();
  const options = { tableName: table.tableName, documentClient: table.documentClient };
  const persons = createDynamoPersonRepository(options);
  register = createDynamoPersonRegister(options);
  router = createRouter(
    createIdentityRoutes({
      persons,
      inszLinks: createDynamoInszLinkStore(options),
      register,
      attempts: createDynamoAttemptLimiter(options),
      now: () => new Date(),
      logger: silent,
    }),
  );
  login = createPreTokenGenerationHandler({
    config: loadIdentityConfig({}),
    repository: persons,
    logger: silent,
  });
});

afterAll(async () => {
  await table.dispose();
});

/** A valid national number for a 1964-08-12 birth (the default eIDAS persona), unique per call. */
function inszBornOn19640812(): string {
  const sequence = String(1 + Math.floor(Math.random() * 997)).padStart(3, '0');
  const firstNine = `640812${sequence}`;
  return `${firstNine}${String(97 - (Number(firstNine) % 97)).padStart(2, '0')}`;
}

/** First login of a new eIDAS person (Erika Mustermann, 1964-08-12); returns the person id. */
async function newEidasPerson(): Promise<{ personId: string; subject: string }> {
  const subject = `DE/BE/${newId()}`;
  const event = await login(preTokenGenerationEvent({ provider: 'eidas', subject }));
  const personId =
    event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride?.person_id;
  return { personId: String(personId), subject };
}

async function postInsz(personId: string, body: unknown) {
  const result = await router(
    apiEvent({ method: 'POST', resource: '/me/insz', body, claims: { person_id: personId } }),
    lambdaContext(),
  );
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

async function getMe(personId: string) {
  const result = await router(
    apiEvent({ method: 'GET', resource: '/me', claims: { person_id: personId } }),
    lambdaContext(),
  );
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

const stated = (insz: string) => ({
  insz,
  givenNames: 'ERIKA',
  familyName: 'Mustermann',
  birthDate: '1964-08-12',
});

describe('identity API against DynamoDB Local', () => {
  it('links the number, shows it in GET /me and puts insz in the ID token of the next login', async () => {
    const { personId, subject } = await newEidasPerson();
    const insz = inszBornOn19640812();
    await register.putPerson({
      insz,
      givenNames: 'Erika',
      familyName: 'Müstermann',
      birthDate: '1964-08-12',
    });
    expect((await getMe(personId)).body.insz).toBeNull();

    const linked = await postInsz(personId, stated(insz));

    expect(linked).toEqual({ status: 200, body: { personId, insz } });
    const me = await getMe(personId);
    expect(me.body).toMatchObject({
      personId,
      insz,
      givenNames: 'Erika',
      identities: [{ provider: 'eidas' }],
    });
    const next = await login(preTokenGenerationEvent({ provider: 'eidas', subject }));
    const details = next.response.claimsAndScopeOverrideDetails;
    expect(details.idTokenGeneration?.claimsToAddOrOverride).toMatchObject({ person_id: personId, insz });
    expect(details.accessTokenGeneration?.claimsToAddOrOverride?.insz).toBeUndefined();
    const [marker] = (await table.snapshot()).filter((item) => item.PK === keys.inszLink(insz).PK);
    expect(marker).toMatchObject({ personId, type: 'inszLink' });
  });

  it('answers 200 again without a second write when the same number is linked twice', async () => {
    const { personId } = await newEidasPerson();
    const insz = inszBornOn19640812();
    await register.putPerson({
      insz,
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
    });
    await postInsz(personId, stated(insz));
    const before = await table.snapshot();

    const repeat = await postInsz(personId, stated(insz));

    expect(repeat.status).toBe(200);
    expect(await table.snapshot()).toEqual(before);
  });

  it('lets exactly one of two persons link the same number when they post concurrently', async () => {
    const [first, second] = await Promise.all([newEidasPerson(), newEidasPerson()]);
    const insz = inszBornOn19640812();
    await register.putPerson({
      insz,
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
    });

    const results = await Promise.all([
      postInsz(first.personId, stated(insz)),
      postInsz(second.personId, stated(insz)),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const winner = results[0]?.status === 200 ? first.personId : second.personId;
    const loser = winner === first.personId ? second.personId : first.personId;
    expect((await getMe(winner)).body.insz).toBe(insz);
    expect((await getMe(loser)).body.insz).toBeNull();
    const refusal = results.find((result) => result.status === 409);
    expect(JSON.stringify(refusal)).not.toContain(winner);
    const markers = (await table.snapshot()).filter((item) => item.PK === keys.inszLink(insz).PK);
    expect(markers).toEqual([expect.objectContaining({ personId: winner })]);
  });

  it('refuses the sixth failed check with 429 even when the details are right', async () => {
    const { personId } = await newEidasPerson();
    const insz = inszBornOn19640812();
    await register.putPerson({
      insz,
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
    });
    const failures = await Promise.all(
      Array.from({ length: 5 }, () => postInsz(personId, { ...stated(insz), familyName: 'Musterfrau' })),
    );

    const sixth = await postInsz(personId, stated(insz));

    expect(failures.map((failure) => failure.status)).toEqual([422, 422, 422, 422, 422]);
    expect(sixth.status).toBe(429);
    expect(String(sixth.body.detail)).toMatch(/try again after/);
    expect((await getMe(personId)).body.insz).toBeNull();
  });

  it('never lets concurrent checks take more than the limit', async () => {
    const { personId } = await newEidasPerson();

    const results = await Promise.all(
      Array.from({ length: 12 }, () => postInsz(personId, stated(inszBornOn19640812()))),
    );

    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 422)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });
});
