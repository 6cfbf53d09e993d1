/**
 * Native accounts on DynamoDB Local with the real repositories: account creation (known INSZ and
 * BIS number on the spot through the BIS issuing path), card issuance, and the state the
 * create/verify auth-challenge triggers keep (failure counter, lock, last position), then the
 * native login's claims from pre token generation.
 */
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'unused-by-these-tests');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import { loadIdentityConfig } from '#identity/config';
import { createCreateAuthChallengeHandler } from '#identity/create-auth-challenge';
import { createDynamoPersonRegister } from '#identity/person-register';
import { createDynamoPersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { createVerifyAuthChallengeHandler } from '#identity/verify-auth-challenge';
import { parseInsz } from '#shared/belgian-ids';
import { createRouter } from '#shared/http/router';
import { newId } from '#shared/ids';
import { keys, nativeKeys } from '#shared/keys';
import type { MailMessage } from '#shared/mailer';
import { apiEvent } from '#test/helpers/api-events';
import { TEST_KDF } from '#test/helpers/code-cards';
import {
  createAuthChallengeEvent,
  nativePreTokenGenerationEvent,
  verifyAuthChallengeEvent,
} from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { createDynamoBisRepository } from '../../../lambdas/bis/bis-repository.ts';
import { createDynamoCodeCardStore } from '../../../lambdas/native/code-card-store.ts';
import type { NewCognitoUser } from '../../../lambdas/native/cognito-users.ts';
import { createDynamoNativeRepository } from '../../../lambdas/native/native-repository.ts';
import { createNativeRoutes } from '../../../lambdas/native/routes.ts';

const OFFICER = { 'cognito:groups': 'registration-officers', person_id: '01JZ0000000000000000000042' };
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const context = {} as Context;

let table: TestTable;
let users: NewCognitoUser[];
let mails: MailMessage[];
let cardMails: MailMessage[];
let router: ReturnType<typeof createRouter>;
let usernames: string[];

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const tableDeps = () => ({ tableName: table.tableName, documentClient: table.documentClient });

beforeEach(() => {
  users = [];
  mails = [];
  cardMails = [];
  usernames = [];
  router = createRouter(
    createNativeRoutes({
      accounts: createDynamoNativeRepository(tableDeps()),
      cards: createDynamoCodeCardStore(tableDeps()),
      register: createDynamoPersonRegister(tableDeps()),
      bis: createDynamoBisRepository(tableDeps()),
      cognito: { createUser: async (user) => void users.push(user), deleteUser: async () => {} },
      mailer: { send: async (message) => void mails.push(message) },
      cardMailer: { send: async (message) => void cardMails.push(message) },
      now: () => new Date(),
      newId: () => newId(),
      logger: silent,
      temporaryPasswordValidityDays: 7,
      newUsername: () => {
        const name = `ea-${newId()
          .slice(-10)
          .toLowerCase()
          .replace(/[01ilo]/g, 'a')}`;
        usernames.push(name);
        return name;
      },
      kdf: TEST_KDF,
    }),
  );
});

async function post(
  resource: string,
  body: unknown,
  pathParameters?: Record<string, string>,
  claims: Record<string, string> = OFFICER,
) {
  const response = await router(
    apiEvent({
      persona: 'user',
      claims,
      method: 'POST',
      resource,
      body,
      ...(pathParameters ? { pathParameters } : {}),
    }),
    context,
  );
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

/** A valid national number unique to this run. */
function uniqueInsz(): string {
  const sequence = String(1 + Math.floor(Math.random() * 997)).padStart(3, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const year = String(Math.floor(Math.random() * 100)).padStart(2, '0');
  const firstNine = `${year}${month}${day}${sequence}`;
  return `${firstNine}${String(97 - (Number(firstNine) % 97)).padStart(2, '0')}`;
}

async function registeredInsz(): Promise<string> {
  const insz = uniqueInsz();
  await createDynamoPersonRegister(tableDeps()).putPerson({
    insz,
    givenNames: 'Marie',
    familyName: 'Dupont',
    birthDate: parseInsz(insz).birthDate ?? '1985-01-01',
  });
  return insz;
}

async function item(key: { PK: string; SK: string }) {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  return (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;
}

describe('native accounts on DynamoDB Local', () => {
  it('creates person, INSZ link, identity link, account and card for a registered INSZ, and refuses a second account', async () => {
    const insz = await registeredInsz();

    const created = await post('/registration-office/accounts', {
      insz,
      email: 'marie@example.fr',
      locale: 'fr',
    });
    const again = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });

    expect(created.status).toBe(201);
    const { personId, username } = created.body;
    expect(await item(keys.inszLink(insz))).toMatchObject({ personId });
    expect(await item(keys.identityLink('native', username))).toMatchObject({ personId, provider: 'native' });
    expect(await item(keys.person(personId))).toMatchObject({ insz, providers: new Set(['native']) });
    expect(await item(nativeKeys.account(personId))).toMatchObject({
      username,
      createdBy: OFFICER.person_id,
    });
    expect(await item(nativeKeys.codeCard(username))).toMatchObject({ version: 1, failures: 0, personId });
    expect(again.status).toBe(409);
    expect(users).toHaveLength(1);
  });

  it('adds a native account to a person who already logged in with itsme', async () => {
    const insz = await registeredInsz();
    const personId = newId();
    const at = new Date().toISOString();
    await createDynamoPersonRepository(tableDeps()).createPerson(
      {
        profile: {
          type: 'person',
          personId,
          givenNames: 'Marie',
          familyName: 'Dupont',
          birthDate: '1985-01-01',
          insz,
          providers: ['itsme'],
          createdAt: at,
          updatedAt: at,
        },
        login: {
          identity: { provider: 'itsme', subject: `sub-${personId}` },
          loa: 'high',
          cognitoUsername: `itsme_sub-${personId}`,
          at,
        },
        inszEvidence: 'itsme-eid',
      },
      newId,
    );

    const created = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });

    expect(created.body.personId).toBe(personId);
    expect((await item(keys.person(personId)))?.providers).toEqual(new Set(['itsme', 'native']));
  });

  it('issues a valid BIS number on the spot, registered in the person register with its history', async () => {
    const created = await post('/registration-office/accounts', {
      person: {
        givenNames: 'John',
        familyName: 'Smith',
        birthDate: '1979-11-23',
        sex: 'M',
        nationality: 'GB',
        placeOfBirth: 'Leeds',
        address: {
          street: 'Rue Haute',
          houseNumber: '12',
          postalCode: '1000',
          city: 'Bruxelles',
          country: 'BE',
        },
        phone: '+32470000000',
      },
      email: 'john@example.co.uk',
    });

    expect(created.status).toBe(201);
    const { personId, insz } = created.body;
    const parsed = parseInsz(insz);
    expect(parsed.kind).toBe('BIS');
    expect(parsed.birthDate).toBe('1979-11-23');
    expect(await item(keys.registeredPerson(insz))).toMatchObject({
      kind: 'BIS',
      givenNames: 'John',
      familyName: 'Smith',
    });
    expect(await item(keys.inszLink(insz))).toMatchObject({ personId });
    expect(await item(keys.person(personId))).toMatchObject({ insz });
    const bis = createDynamoBisRepository(tableDeps());
    const [registration] = await bis.listByOwner(personId);
    expect(registration).toMatchObject({ status: 'APPROVED', bisNumber: insz });
    const history = await bis.getHistory(registration?.registrationId ?? '');
    expect(history.map((entry) => [entry.event, entry.actorId])).toEqual([
      ['submitted', OFFICER.person_id],
      ['approved', OFFICER.person_id],
    ]);
  });

  it('answers 422 for an INSZ the register does not know and writes nothing', async () => {
    const insz = uniqueInsz();
    const before = (await table.snapshot()).length;

    const response = await post('/registration-office/accounts', { insz, email: 'x@example.fr' });

    expect(response.status).toBe(422);
    expect((await table.snapshot()).length).toBe(before);
  });

  it('keeps the trigger state in the table: last position, failures, lock, and a new card resets it', async () => {
    const insz = await registeredInsz();
    const created = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });
    const { username, personId } = created.body;
    const cards = createDynamoCodeCardStore(tableDeps());
    let clock = new Date();
    const create = createCreateAuthChallengeHandler({ cards, logger: silent, now: () => clock });
    const verify = createVerifyAuthChallengeHandler({ cards, logger: silent, now: () => clock });
    const ask = async () => {
      const event = await create(createAuthChallengeEvent({ userName: username }));
      return event.response;
    };
    const answer = async (challenge: Awaited<ReturnType<typeof ask>>, code: string) =>
      (
        await verify(
          verifyAuthChallengeEvent({
            userName: username,
            privateChallengeParameters: challenge.privateChallengeParameters,
            challengeAnswer: code,
          }),
        )
      ).response.answerCorrect;

    const first = await ask();
    expect((await item(nativeKeys.codeCard(username)))?.lastPosition).toBe(
      Number(first.publicChallengeParameters.position),
    );
    for (let i = 0; i < 5; i++) expect(await answer(await ask(), '222222')).toBe(false);
    const locked = await item(nativeKeys.codeCard(username));
    expect(locked?.failures).toBe(5);
    expect(typeof locked?.lockedUntil).toBe('string');
    await expect(ask()).rejects.toThrow(/locked/);

    const reissued = await post('/registration-office/accounts/{personId}/code-card', undefined, {
      personId,
    });
    expect(reissued.status).toBe(201);
    const fresh = await item(nativeKeys.codeCard(username));
    expect(fresh).toMatchObject({ version: 2, failures: 0 });
    expect(fresh?.lockedUntil).toBeUndefined();
    expect(fresh?.lastPosition).toBeUndefined();
    clock = new Date();

    const login = createPreTokenGenerationHandler({
      config: loadIdentityConfig({}),
      repository: createDynamoPersonRepository(tableDeps()),
      logger: silent,
    });
    const tokens = await login(nativePreTokenGenerationEvent({ userName: username.toUpperCase() }));
    expect(
      tokens.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride,
    ).toMatchObject({
      person_id: personId,
      idp: 'native',
      loa: 'substantial',
      insz,
    });
  });
});
