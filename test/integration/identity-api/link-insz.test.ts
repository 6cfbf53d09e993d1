import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
import { createDynamoNativeRepository } from '../../../lambdas/native/native-repository.ts';

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

  it('links the number to one person and joins the other into it when both post concurrently', async () => {
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

    expect(results.map((result) => result.status)).toEqual([200, 200]);
    const winner = results[0]?.body.merged ? second.personId : first.personId;
    expect(results.map((result) => result.body).sort((a) => (a.merged ? 1 : -1))).toEqual([
      { personId: winner, insz },
      { personId: winner, insz, merged: true },
    ]);
    const markers = (await table.snapshot()).filter((item) => item.PK === keys.inszLink(insz).PK);
    expect(markers).toEqual([expect.objectContaining({ personId: winner })]);
    for (const { subject } of [first, second]) {
      const [link] = (await table.snapshot()).filter(
        (item) => item.PK === keys.identityLink('eidas', subject).PK,
      );
      expect(link?.personId).toBe(winner);
    }
  });

  it('answers 409 without saying who when the caller holding a membership states a number of another person', async () => {
    const [holder, caller] = await Promise.all([newEidasPerson(), newEidasPerson()]);
    const insz = inszBornOn19640812();
    await register.putPerson({
      insz,
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
    });
    expect((await postInsz(holder.personId, stated(insz))).status).toBe(200);
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.membership(caller.personId, 'ORG-M'), type: 'membership', orgCode: 'ORG-M' },
      }),
    );
    const before = await table.snapshot();

    const refusal = await postInsz(caller.personId, stated(insz));

    expect(refusal.status).toBe(409);
    expect(String(refusal.body.detail)).toMatch(/helpdesk/);
    expect(JSON.stringify(refusal)).not.toContain(holder.personId);
    const after = (await table.snapshot()).filter((item) => !String(item.PK).startsWith('INSZ_CHECK#'));
    expect(after).toEqual(before.filter((item) => !String(item.PK).startsWith('INSZ_CHECK#')));
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

describe('joining an eIDAS person into the person holding the national number (DynamoDB Local)', () => {
  /** A native account made at a registration office: profile with the INSZ, INSZ link, native link. */
  async function nativePerson(insz: string): Promise<string> {
    const personId = newId();
    const createdAt = new Date().toISOString();
    await createDynamoNativeRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    }).createAccount(
      {
        personId,
        username: `ea-${personId.slice(-10).toLowerCase()}`,
        email: 'erika@example.de',
        locale: 'de',
        holder: 'Erika Mustermann',
        createdBy: newId(),
        createdAt,
      },
      {
        kind: 'new',
        profile: {
          type: 'person',
          personId,
          givenNames: 'Erika',
          familyName: 'Mustermann',
          birthDate: '1964-08-12',
          insz,
          createdAt,
          updatedAt: createdAt,
        },
      },
    );
    return personId;
  }

  /** A person created by an itsme first login with the INSZ. */
  async function itsmePerson(insz: string): Promise<string> {
    const event = await login(
      preTokenGenerationEvent({
        provider: 'itsme',
        subject: `itsme-${newId()}`,
        attributes: {
          'custom:given_name': 'Erika',
          'custom:family_name': 'Mustermann',
          'custom:birth_date': '1964-08-12',
          'custom:national_number': insz,
        },
      }),
    );
    return String(
      event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride?.person_id,
    );
  }

  it.each([
    ['a native account', nativePerson, 'native'],
    ['an itsme login', itsmePerson, 'itsme'],
  ] as const)(
    'keeps one person when the holder was created by %s',
    async (_, createHolder, holderProvider) => {
      const insz = inszBornOn19640812();
      await register.putPerson({
        insz,
        givenNames: 'Erika',
        familyName: 'Mustermann',
        birthDate: '1964-08-12',
      });
      const holder = await createHolder(insz);
      const caller = await newEidasPerson();
      expect(caller.personId).not.toBe(holder);

      const joined = await postInsz(caller.personId, stated(insz));

      expect(joined).toEqual({ status: 200, body: { personId: holder, insz, merged: true } });
      const oldToken = await getMe(caller.personId);
      expect(oldToken.status).toBe(404);
      expect(String(oldToken.body.detail)).toMatch(/sign in again/);
      for (const triggerSource of ['TokenGeneration_RefreshTokens', 'TokenGeneration_HostedAuth'] as const) {
        const next = await login(
          preTokenGenerationEvent({ provider: 'eidas', subject: caller.subject, triggerSource }),
        );
        expect(
          next.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride,
        ).toMatchObject({
          person_id: holder,
          insz,
          idp: 'eidas',
        });
      }
      const me = await getMe(holder);
      expect(me.status).toBe(200);
      expect(me.body.identities).toEqual(
        expect.arrayContaining([
          { provider: 'eidas' },
          ...(holderProvider === 'itsme' ? [{ provider: 'itsme' }] : []),
        ]),
      );
      const items = await table.snapshot();
      expect(items.find((item) => item.PK === keys.identityLink('eidas', caller.subject).PK)?.personId).toBe(
        holder,
      );
      expect(items.find((item) => item.PK === keys.person(caller.personId).PK)).toMatchObject({
        mergedInto: holder,
      });
      const holderProfile = items.find((item) => item.PK === keys.person(holder).PK);
      const holderLinks = holderProfile?.identityLinks as Set<string> | undefined;
      expect(holderLinks?.has(`eidas#${caller.subject}`)).toBe(true);
    },
  );
});
