import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadIdentityConfig } from '#identity/config';
import { mapItsmeIdentity } from '#identity/itsme-mapping';
import { newPersonProfile } from '#identity/person';
import { createDynamoPersonRepository, type PersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { itsmeAttributes, OTHER_VALID_INSZ, preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { uniqueInsz } from '#test/helpers/unique-ids';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'unused-by-these-tests');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const silent = { info: () => {}, warn: () => {}, error: () => {} };

let table: TestTable;
let repository: PersonRepository;
let login: (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;

beforeAll(async () => {
  table = await createTestTable();
  repository = createDynamoPersonRepository({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  login = createPreTokenGenerationHandler({ config: loadIdentityConfig({}), repository, logger: silent });
});

afterAll(async () => {
  await table.dispose();
});

const personIdOf = (event: PreTokenGenerationV2TriggerEvent): string =>
  String(event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride?.person_id);

async function itemsOf(prefix: string): Promise<Record<string, unknown>[]> {
  return (await table.snapshot()).filter((item) => String(item.PK).startsWith(prefix));
}

async function profilesOf(personIds: readonly string[]): Promise<Record<string, unknown>[]> {
  const profiles = (await table.snapshot()).filter((item) => item.SK === 'PROFILE');
  return profiles.filter((item) => personIds.includes(String(item.personId)));
}

describe('person resolution against DynamoDB Local', () => {
  it('ends with one person when two first logins of the same eIDAS person run concurrently', async () => {
    const subject = `DE/BE/${newId()}`;
    const event = () => preTokenGenerationEvent({ provider: 'eidas', subject });

    const results = await Promise.all([login(event()), login(event())]);

    const personIds = results.map(personIdOf);
    expect(personIds[0]).toBe(personIds[1]);
    expect(await itemsOf(keys.identityLink('eidas', subject).PK)).toHaveLength(1);
    const profiles = (await table.snapshot()).filter(
      (item) =>
        item.SK === 'PROFILE' && item.givenNames === 'Erika' && personIds.includes(String(item.personId)),
    );
    expect(profiles).toHaveLength(1);
    expect(profiles[0]?.identityLinks).toEqual(new Set([`eidas#${subject}`]));
  });

  it('ends with one person when five first logins of the same itsme person run concurrently', async () => {
    const subject = `sub-${newId()}`;
    const insz = uniqueInsz();
    const event = () =>
      preTokenGenerationEvent({ provider: 'itsme', subject, attributes: { 'custom:national_number': insz } });

    const results = await Promise.all([
      login(event()),
      login(event()),
      login(event()),
      login(event()),
      login(event()),
    ]);

    const personIds = new Set(results.map(personIdOf));
    expect(personIds.size).toBe(1);
    expect(await itemsOf(keys.identityLink('itsme', subject).PK)).toHaveLength(1);
    expect(await itemsOf(keys.inszLink(insz).PK)).toEqual([
      expect.objectContaining({ personId: [...personIds][0] }),
    ]);
    expect(await profilesOf([...personIds])).toHaveLength(1);
  });

  it('links concurrent logins with a new itsme sub to the person already holding the INSZ', async () => {
    const insz = uniqueInsz();
    const oldSub = `old-${newId()}`;
    const newSub = `new-${newId()}`;
    const attributes = { 'custom:national_number': insz };
    const person = personIdOf(
      await login(preTokenGenerationEvent({ provider: 'itsme', subject: oldSub, attributes })),
    );

    const results = await Promise.all([
      login(preTokenGenerationEvent({ provider: 'itsme', subject: newSub, attributes })),
      login(preTokenGenerationEvent({ provider: 'itsme', subject: newSub, attributes })),
    ]);

    expect(results.map(personIdOf)).toEqual([person, person]);
    expect(await itemsOf(keys.identityLink('itsme', newSub).PK)).toEqual([
      expect.objectContaining({ personId: person }),
    ]);
    const [profile] = await profilesOf([person]);
    expect(profile?.providers).toEqual(new Set(['itsme']));
    expect(profile?.identityLinks).toEqual(new Set([`itsme#${oldSub}`, `itsme#${newSub}`]));
  });

  it('ends with one person and two identities when first logins with different subs share an INSZ', async () => {
    const insz = uniqueInsz();
    const attributes = { 'custom:national_number': insz };
    const subjects = [`a-${newId()}`, `b-${newId()}`];

    const results = await Promise.all(
      subjects.map((subject) => login(preTokenGenerationEvent({ provider: 'itsme', subject, attributes }))),
    );

    const [first, second] = results.map(personIdOf);
    expect(second).toBe(first);
    for (const subject of subjects) {
      expect(await itemsOf(keys.identityLink('itsme', subject).PK)).toEqual([
        expect.objectContaining({ personId: first }),
      ]);
    }
    expect(await profilesOf([String(first)])).toHaveLength(1);
  });

  it('keeps the markers: a second person can take neither the INSZ nor the identity', async () => {
    const insz = uniqueInsz();
    const subject = `sub-${newId()}`;
    const attributes = { 'custom:national_number': insz };
    const owner = personIdOf(
      await login(preTokenGenerationEvent({ provider: 'itsme', subject, attributes })),
    );
    const before = await table.snapshot();

    const sameInsz = newPersonProfile(
      mapItsmeIdentity(itsmeAttributes(attributes), `other-${newId()}`),
      newId(),
      new Date(),
    );
    const facts = (subject: string) => ({
      identity: { provider: 'itsme' as const, subject },
      loa: 'high' as const,
      cognitoUsername: `itsme_${subject}`,
      at: new Date().toISOString(),
    });
    const inszOutcome = await repository.createPerson(
      { profile: sameInsz, login: facts(`other-${newId()}`), inszEvidence: 'itsme-eid' },
      newId,
    );
    const sameIdentity = newPersonProfile(
      mapItsmeIdentity(itsmeAttributes({ 'custom:national_number': OTHER_VALID_INSZ }), subject),
      newId(),
      new Date(),
    );
    const identityOutcome = await repository.createPerson(
      { profile: sameIdentity, login: facts(subject), inszEvidence: 'itsme-eid' },
      newId,
    );

    expect(inszOutcome).toBe('insz-taken');
    expect(identityOutcome).toBe('identity-taken');
    expect(await table.snapshot()).toEqual(before);
    expect(await itemsOf(keys.inszLink(insz).PK)).toEqual([expect.objectContaining({ personId: owner })]);
  });

  it('puts memberships and valid grants in the token when the person logs in again', async () => {
    const subject = `DE/BE/${newId()}`;
    const person = personIdOf(await login(preTokenGenerationEvent({ provider: 'eidas', subject })));
    await table.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: {
                ...keys.membership(person, 'OVO000042', true),
                orgCode: 'OVO000042',
                name: 'Agentschap Informatie Vlaanderen',
                localAdministrator: true,
              },
            },
          },
          {
            Put: {
              TableName: table.tableName,
              Item: {
                ...keys.grant(person, 'OVO000042', 'KLIP', 'planaanvrager'),
                orgCode: 'OVO000042',
                application: 'KLIP',
                role: 'planaanvrager',
                validUntil: '2999-01-01T00:00:00.000Z',
              },
            },
          },
          {
            Put: {
              TableName: table.tableName,
              Item: {
                ...keys.grant(person, 'OVO000042', 'KLIP', 'raadpleger'),
                orgCode: 'OVO000042',
                application: 'KLIP',
                role: 'raadpleger',
                validUntil: '2000-01-01T00:00:00.000Z',
              },
            },
          },
        ],
      }),
    );

    const refreshed = await login(
      preTokenGenerationEvent({ provider: 'eidas', subject, triggerSource: 'TokenGeneration_RefreshTokens' }),
    );

    expect(
      refreshed.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      person_id: person,
      loa: 'substantial',
      idp: 'eidas',
      // The only organisation is the default capacity (ARCHITECTURE.md section 2).
      org: 'OVO000042',
      org_name: 'Agentschap Informatie Vlaanderen',
      roles: ['KLIP:planaanvrager:OVO000042'],
      admin_of: ['OVO000042'],
    });
  });
});

describe('linking is proof, not knowledge (issue 12) against DynamoDB Local', () => {
  const claimsOf = (event: PreTokenGenerationV2TriggerEvent) =>
    event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride as Record<
      string,
      unknown
    >;

  /** A person who linked `insz` by a register match from an eIDAS login, with an administration. */
  async function weakHolder(insz: string): Promise<string> {
    const personId = newId();
    const at = new Date().toISOString();
    const subject = `DE/BE/${newId()}`;
    const outcome = await repository.createPerson(
      {
        profile: {
          type: 'person',
          personId,
          givenNames: 'Mallory',
          familyName: 'Evil',
          birthDate: '1990-01-01',
          insz,
          providers: ['eidas'],
          createdAt: at,
          updatedAt: at,
        },
        login: {
          identity: { provider: 'eidas', subject },
          loa: 'substantial',
          cognitoUsername: `eIDAS_${newId()}`,
          at,
        },
        inszEvidence: 'register-match',
      },
      newId,
    );
    expect(outcome).toBe('done');
    await table.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: {
                ...keys.membership(personId, '0403019261', true),
                personId,
                orgCode: '0403019261',
                localAdministrator: true,
                legalRepresentative: true,
              },
            },
          },
        ],
      }),
    );
    return personId;
  }

  it('gives a verified itsme number to its owner and suspends the person who held it by a register match', async () => {
    const insz = uniqueInsz();
    const mallory = await weakHolder(insz);
    const subject = `sub-${newId()}`;

    const victim = claimsOf(
      await login(
        preTokenGenerationEvent({
          provider: 'itsme',
          subject,
          attributes: { 'custom:national_number': insz },
        }),
      ),
    );

    expect(victim.person_id).not.toBe(mallory);
    expect(victim.insz).toBe(insz);
    const [inszLink] = await itemsOf(keys.inszLink(insz).PK);
    expect(inszLink).toMatchObject({
      personId: victim.person_id,
      evidence: 'itsme-eid',
      loa: 'high',
      displaced: { personId: mallory, evidence: 'register-match' },
    });
    const [malloryProfile] = await profilesOf([mallory]);
    expect(malloryProfile).not.toHaveProperty('insz');
    expect(malloryProfile?.suspension).toMatchObject({ reason: 'verified-identity-conflict' });
    const cases = (await table.snapshot()).filter(
      (item) => item.type === 'identityCase' && item.suspendedPersonId === mallory,
    );
    expect(cases).toEqual([
      expect.objectContaining({
        status: 'OPEN',
        verifiedPersonId: victim.person_id,
        GSI1PK: 'IDENTITY_CASES#OPEN',
      }),
    ]);
    const malloryActivity = await itemsOf(`ACTIVITY#${mallory}`);
    expect(malloryActivity.map((entry) => entry.event)).toContain('insz-suspended');
    const victimActivity = await itemsOf(`ACTIVITY#${String(victim.person_id)}`);
    expect(victimActivity.map((entry) => entry.event)).toEqual(['insz-linked']);
    const notices = (await table.snapshot()).filter(
      (item) => item.type === 'notice' && [mallory, victim.person_id].includes(item.personId),
    );
    // Mallory's own register-match link was told too, when she made it.
    expect(
      notices.map((notice) => `${notice.personId === mallory ? 'mallory' : 'victim'}:${notice.event}`).sort(),
    ).toEqual(['mallory:insz-linked', 'mallory:insz-suspended', 'victim:insz-linked']);
    expect(JSON.stringify(notices)).not.toContain(insz);

    // Mallory's own next token carries neither the number nor her administration.
    const malloryLink = (await table.snapshot()).find(
      (item) => item.type === 'identityLink' && item.personId === mallory,
    );
    const malloryTokens = claimsOf(
      await login(
        preTokenGenerationEvent({
          provider: 'eidas',
          subject: String(malloryLink?.PK).slice('IDENTITY#eidas#'.length),
          attributes: {
            'custom:given_name': 'Mallory',
            'custom:family_name': 'Evil',
            'custom:birth_date': '1990-01-01',
          },
        }),
      ),
    );
    expect(malloryTokens).toMatchObject({ person_id: mallory, roles: [], admin_of: [] });
    expect(malloryTokens).not.toHaveProperty('insz');
  });

  it('displaces once when two first logins of the verified owner race', async () => {
    const insz = uniqueInsz();
    const mallory = await weakHolder(insz);
    const subject = `sub-${newId()}`;
    const event = () =>
      preTokenGenerationEvent({ provider: 'itsme', subject, attributes: { 'custom:national_number': insz } });

    const results = await Promise.all([login(event()), login(event()), login(event())]);

    const personIds = new Set(results.map(personIdOf));
    expect(personIds.size).toBe(1);
    const cases = (await table.snapshot()).filter(
      (item) => item.type === 'identityCase' && item.suspendedPersonId === mallory,
    );
    expect(cases).toHaveLength(1);
  });

  it('links a new itsme account to the person holding the number by strong evidence, and tells them', async () => {
    const insz = uniqueInsz();
    const first = personIdOf(
      await login(
        preTokenGenerationEvent({
          provider: 'itsme',
          subject: `sub-${newId()}`,
          attributes: { 'custom:national_number': insz },
        }),
      ),
    );
    const recreated = `sub-${newId()}`;

    const second = personIdOf(
      await login(
        preTokenGenerationEvent({
          provider: 'itsme',
          subject: recreated,
          attributes: { 'custom:national_number': insz },
        }),
      ),
    );

    expect(second).toBe(first);
    expect(await itemsOf(keys.identityLink('itsme', recreated).PK)).toEqual([
      expect.objectContaining({ personId: first, evidence: 'itsme-eid', loa: 'high' }),
    ]);
    const activity = await itemsOf(`ACTIVITY#${first}`);
    expect(activity.map((entry) => entry.event).sort()).toEqual(['identity-linked', 'insz-linked']);
  });

  it("refuses an eIDAS refresh whose PersonIdentifier attribute was rewritten to another person's", async () => {
    const victimSubject = `DE/BE/${newId()}`;
    const victim = personIdOf(
      await login(
        preTokenGenerationEvent({ provider: 'eidas', subject: victimSubject, nameId: `n-${newId()}` }),
      ),
    );
    const attackerSubject = `DE/BE/${newId()}`;
    const attackerNameId = `n-${newId()}`;
    await login(
      preTokenGenerationEvent({ provider: 'eidas', subject: attackerSubject, nameId: attackerNameId }),
    );

    const refresh = login(
      preTokenGenerationEvent({
        provider: 'eidas',
        nameId: attackerNameId,
        triggerSource: 'TokenGeneration_RefreshTokens',
        attributes: { 'custom:eidas_person_id': victimSubject },
      }),
    );

    await expect(refresh).rejects.toMatchObject({ reason: 'session-expired' });
    expect(victim).toBeTruthy();
  });
});
