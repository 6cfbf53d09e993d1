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

import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadIdentityConfig } from '#identity/config';
import { createCreateAuthChallengeHandler } from '#identity/create-auth-challenge';
import { createDynamoPersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { createVerifyAuthChallengeHandler } from '#identity/verify-auth-challenge';
import { parseInsz } from '#shared/belgian-ids';
import { createDynamoCodeCardStore } from '#shared/code-card-store';
import { createRouter } from '#shared/http/router';
import { newId } from '#shared/ids';
import {
  identityKeys,
  inszKeyHash,
  keys,
  nativeKeys,
  organisationKeys,
  pendingMembershipKeys,
} from '#shared/keys';
import type { MailMessage } from '#shared/mailer';
import { createDynamoPersonRegister } from '#shared/person-register';
import { apiEvent } from '#test/helpers/api-events';
import { TEST_KDF } from '#test/helpers/code-cards';
import {
  createAuthChallengeEvent,
  nativePreTokenGenerationEvent,
  verifyAuthChallengeEvent,
} from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';
import { uniqueInsz } from '#test/helpers/unique-ids';
import { createDynamoBisRepository } from '../../../lambdas/bis/bis-repository.ts';
import { createInPersonBisIssuer } from '../../../lambdas/bis/issue-in-person.ts';
import type { NewCognitoUser } from '../../../lambdas/native/cognito-users.ts';
import { createDynamoNativeRepository } from '../../../lambdas/native/native-repository.ts';
import { createNativeRoutes } from '../../../lambdas/native/routes.ts';
import { createDynamoOrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';

const OFFICER = { 'cognito:groups': 'registration-officers', person_id: '01JZ0000000000000000000042' };
const SECOND_OFFICER = { 'cognito:groups': 'registration-officers', person_id: '01JZ0000000000000000000043' };
const THIRD_OFFICER = { 'cognito:groups': 'registration-officers', person_id: '01JZ0000000000000000000044' };
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
/** The BIS context's issuer on this table, as the native function's composition root binds it. */
const bisNumbers = () =>
  createInPersonBisIssuer({
    repository: createDynamoBisRepository(tableDeps()),
    now: () => new Date(),
    newId: () => newId(),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });

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
      birthDates: createDynamoPersonRegister(tableDeps()),
      bisNumbers: bisNumbers(),
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

/** A person who logged in with itsme: profile, identity link and INSZ link with `evidence`. */
async function existingItsmePerson(insz: string, evidence: string): Promise<string> {
  const personId = newId();
  const now = new Date().toISOString();
  const put = (Item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
  await put({
    ...keys.person(personId),
    type: 'person',
    personId,
    givenNames: 'Marie',
    familyName: 'Dupont',
    birthDate: '1985-01-01',
    insz,
    inszEvidence: evidence,
    email: `${personId.toLowerCase()}@example.be`,
    providers: new Set(['itsme']),
    identityLinks: new Set([`itsme#sub-${personId}`]),
    createdAt: now,
    updatedAt: now,
  });
  await put({
    ...keys.identityLink('itsme', `sub-${personId}`),
    type: 'identityLink',
    personId,
    provider: 'itsme',
    createdAt: now,
  });
  await put({ ...keys.inszLink(insz), type: 'inszLink', personId, evidence, createdAt: now });
  return personId;
}

async function activityOf(personId: string): Promise<Record<string, unknown>[]> {
  const out = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': identityKeys.activityPartition(personId) },
    }),
  );
  return out.Items ?? [];
}

async function pendingNoticesOf(personId: string): Promise<Record<string, unknown>[]> {
  const out = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': identityKeys.pendingNoticesPartition() },
    }),
  );
  return (out.Items ?? []).filter((notice) => notice.personId === personId);
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
    expect(await item(keys.inszLink(insz))).toMatchObject({ personId, evidence: 'registration-office' });
    expect(await item(keys.identityLink('native', username))).toMatchObject({
      personId,
      provider: 'native',
      evidence: 'registration-office',
    });
    expect(await item(keys.person(personId))).toMatchObject({
      insz,
      inszEvidence: 'registration-office',
      providers: new Set(['native']),
      GSI2PK: `BORN#${parseInsz(insz).birthDate}`,
      GSI2SK: `PERSON#${personId}`,
    });
    expect(await item(nativeKeys.account(personId))).toMatchObject({
      username,
      createdBy: OFFICER.person_id,
    });
    expect(await item(nativeKeys.codeCard(username))).toMatchObject({ version: 1, failures: 0, personId });
    expect(again.status).toBe(409);
    expect(users).toHaveLength(1);
  });

  it('adds a native account to a person who already logged in with itsme only after a second officer confirms', async () => {
    const insz = await registeredInsz();
    const personId = await existingItsmePerson(insz, 'itsme-eid');

    const requested = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });
    const afterRequest = await item(keys.person(personId));
    const same = await post(
      '/registration-office/pending-accounts/{pendingId}/confirmation',
      undefined,
      { pendingId: requested.body.pendingId },
      OFFICER,
    );
    const confirmed = await post(
      '/registration-office/pending-accounts/{pendingId}/confirmation',
      undefined,
      { pendingId: requested.body.pendingId },
      SECOND_OFFICER,
    );
    const again = await post(
      '/registration-office/pending-accounts/{pendingId}/confirmation',
      undefined,
      { pendingId: requested.body.pendingId },
      THIRD_OFFICER,
    );

    expect(requested.status).toBe(202);
    expect(afterRequest?.providers).toEqual(new Set(['itsme']));
    expect(same.status).toBe(403);
    expect(confirmed.status).toBe(201);
    expect(again.status).toBe(409);
    const { username } = confirmed.body;
    expect(confirmed.body.personId).toBe(personId);
    const profile = await item(keys.person(personId));
    expect(profile?.providers).toEqual(new Set(['itsme', 'native']));
    expect(profile?.identityLinks).toEqual(new Set([`itsme#sub-${personId}`, `native#${username}`]));
    expect(profile?.inszEvidence).toBe('itsme-eid');
    expect(await item(keys.inszLink(insz))).toMatchObject({ personId, evidence: 'itsme-eid' });
    expect(await item(keys.identityLink('native', username))).toMatchObject({
      personId,
      evidence: 'registration-office',
      loa: 'substantial',
    });
    expect(await item(nativeKeys.account(personId))).toMatchObject({
      createdBy: OFFICER.person_id,
      confirmedBy: SECOND_OFFICER.person_id,
    });
    expect(await item(identityKeys.officePending(requested.body.pendingId))).toMatchObject({
      status: 'CONFIRMED',
      GSI1PK: 'OFFICE_PENDING#CONFIRMED',
      confirmedBy: SECOND_OFFICER.person_id,
    });
    expect((await activityOf(personId)).map((entry) => [entry.event, entry.actorId])).toEqual([
      ['office-account-requested', OFFICER.person_id],
      ['office-account-created', SECOND_OFFICER.person_id],
    ]);
    const notices = await pendingNoticesOf(personId);
    expect(notices.map((notice) => notice.event).sort()).toEqual([
      'office-account-created',
      'office-account-requested',
    ]);
    expect(JSON.stringify(notices)).not.toContain(insz);
    expect(users).toHaveLength(1);
  });

  it('upgrades a register-match number to registration-office evidence at the confirmation', async () => {
    const insz = await registeredInsz();
    const personId = await existingItsmePerson(insz, 'register-match');
    const requested = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });

    const confirmed = await post(
      '/registration-office/pending-accounts/{pendingId}/confirmation',
      undefined,
      { pendingId: requested.body.pendingId },
      SECOND_OFFICER,
    );

    expect(confirmed.status).toBe(201);
    expect(await item(keys.inszLink(insz))).toMatchObject({ personId, evidence: 'registration-office' });
    expect(await item(keys.person(personId))).toMatchObject({ inszEvidence: 'registration-office' });
  });

  it('turns appointments that waited on the number into memberships when the office links it (new person and known person)', async () => {
    // Prepare: an organisation whose administrator appointed two numbers before their holders could log in.
    const orgCode = `OVO${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const administrator = newId();
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...organisationKeys.organisation(orgCode),
          type: 'organisation',
          orgCode,
          name: 'Loket BV',
          administratorCount: 1,
        },
      }),
    );
    await seedMembership(table, administrator, orgCode, { localAdministrator: true, name: 'Loket BV' });
    const organisations = createDynamoOrganisationsRepository(tableDeps());
    const appoint = async (insz: string) => {
      const at = new Date().toISOString();
      const outcome = await organisations.addPendingAppointment(
        inszKeyHash(insz),
        { orgCode, name: 'Loket BV', localAdministrator: true, appointedBy: administrator, at },
        administrator,
        {
          entryId: newId(),
          orgCode,
          at,
          action: 'administrator-appointed-pending',
          actor: administrator,
          subject: 'pending',
        },
      );
      expect(outcome).toBe('done');
    };
    const newcomer = await registeredInsz();
    await appoint(newcomer);
    const known = await registeredInsz();
    const knownPerson = await existingItsmePerson(known, 'register-match');
    await seedMembership(table, knownPerson, orgCode, { name: 'Loket BV' });
    await appoint(known);

    // Act
    const created = await post('/registration-office/accounts', {
      insz: newcomer,
      email: 'nieuw@example.be',
    });
    const requested = await post('/registration-office/accounts', {
      insz: known,
      email: 'gekend@example.be',
    });
    const waitingBeforeConfirmation = await item(pendingMembershipKeys.marker(inszKeyHash(known)));
    const confirmed = await post(
      '/registration-office/pending-accounts/{pendingId}/confirmation',
      undefined,
      { pendingId: requested.body.pendingId },
      SECOND_OFFICER,
    );

    // Assess
    expect(created.status).toBe(201);
    expect(confirmed.status).toBe(201);
    expect(
      waitingBeforeConfirmation,
      'a request a second officer has not confirmed claims nothing',
    ).toBeDefined();
    const newPerson = String(created.body.personId);
    const { PK: newPk, SK: newSk } = keys.membership(newPerson, orgCode);
    expect(await item({ PK: newPk, SK: newSk })).toMatchObject({
      localAdministrator: true,
      appointedAdministrator: true,
      GSI1SK: `MEMBER#A#${newPerson}`,
    });
    // The known person was a plain member: made administrator, not a second membership.
    const { PK: knownPk, SK: knownSk } = keys.membership(knownPerson, orgCode);
    expect(await item({ PK: knownPk, SK: knownSk })).toMatchObject({
      localAdministrator: true,
      appointedAdministrator: true,
      GSI1SK: `MEMBER#A#${knownPerson}`,
    });
    expect(await item(organisationKeys.organisation(orgCode))).toMatchObject({ administratorCount: 3 });
    expect(await item(pendingMembershipKeys.marker(inszKeyHash(newcomer)))).toBeUndefined();
    expect(await item(pendingMembershipKeys.marker(inszKeyHash(known)))).toBeUndefined();
    const audit = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': organisationKeys.auditPartition(orgCode) },
      }),
    );
    expect(
      (audit.Items ?? [])
        .filter((entry) => entry.action === 'pending-membership-claimed')
        .map((entry) => [entry.actor, entry.subject]),
    ).toEqual(
      expect.arrayContaining([
        [administrator, newPerson],
        [administrator, knownPerson],
      ]),
    );
    expect((await activityOf(newPerson)).map((entry) => entry.event)).toContain('administrator-appointment');
    expect((await pendingNoticesOf(knownPerson)).map((notice) => notice.event)).toContain(
      'administrator-appointment',
    );
  });

  it('lets exactly one of two officers confirming at once create the account', async () => {
    const insz = await registeredInsz();
    const personId = await existingItsmePerson(insz, 'itsme-eid');
    const requested = await post('/registration-office/accounts', { insz, email: 'marie@example.fr' });
    const confirmAs = (claims: Record<string, string>) =>
      post(
        '/registration-office/pending-accounts/{pendingId}/confirmation',
        undefined,
        { pendingId: requested.body.pendingId },
        claims,
      );

    const answers = await Promise.all([confirmAs(SECOND_OFFICER), confirmAs(THIRD_OFFICER)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(users).toHaveLength(1);
    expect(
      (await activityOf(personId)).filter((entry) => entry.event === 'office-account-created'),
    ).toHaveLength(1);
  });

  it('lists pending requests for officers, oldest first, with a cursor', async () => {
    const first = await registeredInsz();
    const second = await registeredInsz();
    await existingItsmePerson(first, 'itsme-eid');
    await existingItsmePerson(second, 'itsme-eid');
    const a = await post('/registration-office/accounts', { insz: first, email: 'a@example.fr' });
    const b = await post('/registration-office/accounts', { insz: second, email: 'b@example.fr' });

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await router(
        apiEvent({
          persona: 'user',
          claims: SECOND_OFFICER,
          resource: '/registration-office/pending-accounts',
          query: { limit: '1', ...(cursor ? { cursor } : {}) },
        }),
        context,
      );
      const page = JSON.parse(response.body);
      ids.push(...page.items.map((pending: { pendingId: string }) => pending.pendingId));
      cursor = page.nextCursor;
    } while (cursor);

    expect(ids.indexOf(a.body.pendingId)).toBeLessThan(ids.indexOf(b.body.pendingId));
    expect(ids).toContain(b.body.pendingId);
  });

  it('refuses a BIS number on the spot for a likely duplicate in the register or among persons, unless overridden', async () => {
    const person = {
      givenNames: 'Émile Jean',
      familyName: "D'Hondt",
      birthDate: '1966-04-17',
      nationality: 'FR',
      placeOfBirth: 'Lille',
      address: {
        street: 'Rue Haute',
        houseNumber: '1',
        postalCode: '1000',
        city: 'Bruxelles',
        country: 'BE',
      },
      phone: '+32470000001',
    };
    const first = await post('/registration-office/accounts', { person, email: 'emile@example.fr' });
    const before = (await table.snapshot()).length;

    const duplicate = await post('/registration-office/accounts', {
      person: { ...person, givenNames: 'Emile', familyName: 'D Hondt' },
      email: 'emile2@example.fr',
    });
    const unchanged = (await table.snapshot()).length;
    const overridden = await post('/registration-office/accounts', {
      person: { ...person, givenNames: 'Emile' },
      email: 'emile3@example.fr',
      duplicateOverride: { reason: 'Twin brother, passport checked' },
    });

    expect(first.status).toBe(201);
    expect(duplicate.status).toBe(409);
    expect(unchanged).toBe(before);
    expect(overridden.status).toBe(201);
    expect(overridden.body.insz).not.toBe(first.body.insz);
    expect(await item(keys.inszLink(overridden.body.insz))).toMatchObject({ evidence: 'bis-issued' });
    expect(await item(keys.person(overridden.body.personId))).toMatchObject({
      inszEvidence: 'bis-issued',
      GSI2PK: 'BORN#1966-04-17',
    });
    const bis = createDynamoBisRepository(tableDeps());
    const [registration] = await bis.listByOwner(overridden.body.personId);
    const history = await bis.getHistory(registration?.registrationId ?? '');
    expect(history[0]?.reason).toMatch(/overridden: Twin brother, passport checked/);
    const activity = await activityOf(overridden.body.personId);
    expect(activity.find((entry) => entry.event === 'office-account-created')?.reason).toMatch(
      /Twin brother/,
    );
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

  it('removes the new person with the account when Cognito fails, so a retry creates it at once', async () => {
    const insz = await registeredInsz();
    const before = (await table.snapshot()).length;
    const failing = createRouter(
      createNativeRoutes({
        accounts: createDynamoNativeRepository(tableDeps()),
        cards: createDynamoCodeCardStore(tableDeps()),
        register: createDynamoPersonRegister(tableDeps()),
        birthDates: createDynamoPersonRegister(tableDeps()),
        bisNumbers: bisNumbers(),
        cognito: {
          createUser: async () => Promise.reject(new Error('Cognito down')),
          deleteUser: async () => {},
        },
        mailer: { send: async () => {} },
        cardMailer: { send: async () => {} },
        now: () => new Date(),
        newId: () => newId(),
        logger: silent,
        temporaryPasswordValidityDays: 7,
        kdf: TEST_KDF,
      }),
    );

    const failed = await failing(
      apiEvent({
        persona: 'user',
        claims: OFFICER,
        method: 'POST',
        resource: '/registration-office/accounts',
        body: { insz, email: 'x@example.fr' },
      }),
      context,
    );
    const after = (await table.snapshot()).length;
    const retry = await post('/registration-office/accounts', { insz, email: 'x@example.fr' });

    expect(failed.statusCode).toBe(500);
    expect(after).toBe(before);
    expect(retry.status).toBe(201);
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
    // A native sign-in has no OAuth scopes: the API's comes from the trigger.
    expect(tokens.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toMatchObject({
      claimsToAddOrOverride: { person_id: personId, idp: 'native' },
      scopesToAdd: ['eid-access/api'],
    });
  });
});
