/**
 * "Connect another login" on DynamoDB Local: an intent from login A, the confirmation from a fresh
 * authentication of login B, the join rules, one winner, and 404 for anything not the caller's to use.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityKeys, keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { type IdentityWorld, identityWorld, inszBornOn, type SeededLogin } from './world.ts';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

let table: TestTable;
let world: IdentityWorld;

beforeAll(async () => {
  table = await createTestTable();
  world = identityWorld(table);
});

afterAll(async () => {
  await table.dispose();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

const start = (login: SeededLogin) => world.call(login, { method: 'POST', resource: '/me/connections' });

const confirm = (login: SeededLogin, connectionId: string, authTime = nowSeconds()) =>
  world.call(login, {
    method: 'POST',
    resource: '/me/connections/{connectionId}',
    pathParameters: { connectionId },
    authTime,
  });

const describeIt = (login: SeededLogin, connectionId: string) =>
  world.call(login, { resource: '/me/connections/{connectionId}', pathParameters: { connectionId } });

const itemsOf = async (prefix: string) =>
  (await table.snapshot()).filter((item) => String(item.PK).startsWith(prefix));

const profileOf = async (personId: string) =>
  (await itemsOf(keys.person(personId).PK)).find((item) => item.SK === 'PROFILE');

describe('connect another login (DynamoDB Local)', () => {
  it('joins the eIDAS person into the itsme person holding rights, moving the login with evidence connected', async () => {
    const insz = inszBornOn('640812');
    const eidas = await world.person({
      asserted: { givenNames: 'ERIKA', familyName: 'MUSTERMANN', birthDate: '1964-08-12' },
    });
    const itsme = await world.person({ provider: 'itsme', insz, membershipOf: '0403019261' });

    const started = await start(eidas);
    expect(started.status).toBe(201);
    const connectionId = String(started.body.connectionId);
    const shown = await describeIt(itsme, connectionId);
    expect(shown).toMatchObject({
      status: 200,
      body: { connectionId, provider: 'eidas', givenNames: 'ERIKA', familyName: 'MUSTERMANN' },
    });

    const joined = await confirm(itsme, connectionId);

    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.personId).toBe(itsme.personId);
    expect(joined.body.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: 'eidas', evidence: 'connected' }),
        expect.objectContaining({ provider: 'itsme', evidence: 'first-login' }),
      ]),
    );
    const [link] = await itemsOf(keys.identityLink('eidas', eidas.subject).PK);
    expect(link).toMatchObject({ personId: itsme.personId, evidence: 'connected' });
    const source = await profileOf(eidas.personId);
    expect(source?.mergedInto).toBe(itsme.personId);
    const target = await profileOf(itsme.personId);
    expect([...((target?.identityLinks as Set<string> | undefined) ?? [])].sort()).toEqual(
      [eidas.ref, itsme.ref].sort(),
    );
    for (const personId of [eidas.personId, itsme.personId]) {
      expect(await itemsOf(identityKeys.activityPartition(personId))).toMatchObject([
        { event: 'identities-joined', reference: connectionId },
      ]);
    }
    expect((await itemsOf('NOTICE#')).filter((notice) => notice.event === 'identities-joined')).toHaveLength(
      2,
    );
    expect((await world.call(eidas, { resource: '/me' })).status).toBe(404);
    const me = await world.call({ ...eidas, personId: itsme.personId }, { resource: '/me' });
    expect(me.status).toBe(200);
    expect((await describeIt(itsme, connectionId)).status).toBe(404);
  });

  it("moves the initiator's national number to a target without one", async () => {
    const insz = inszBornOn('640812');
    const withNumber = await world.person({ insz, inszEvidence: 'register-match' });
    const withRights = await world.person({ provider: 'itsme', membershipOf: '0403019261' });
    const started = await start(withNumber);

    const joined = await confirm(withRights, String(started.body.connectionId));

    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect((await itemsOf(keys.inszLink(insz).PK))[0]).toMatchObject({
      personId: withRights.personId,
      evidence: 'register-match',
    });
    const target = await profileOf(withRights.personId);
    expect(target).toMatchObject({ insz, inszEvidence: 'register-match' });
    const source = await profileOf(withNumber.personId);
    expect(source?.insz).toBeUndefined();
  });

  it('lets exactly one of two concurrent confirmations join', async () => {
    const a = await world.person();
    const b = await world.person({ provider: 'itsme' });
    const connectionId = String((await start(a)).body.connectionId);

    const answers = await Promise.all([confirm(b, connectionId), confirm(b, connectionId)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, expect.any(Number)]);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.map((answer) => answer.status).every((status) => [200, 404, 409].includes(status))).toBe(
      true,
    );
    expect(await itemsOf(identityKeys.activityPartition(b.personId))).toHaveLength(1);
  });

  it('answers 403 and writes nothing when the confirming sign-in is older than the intent', async () => {
    const a = await world.person();
    const b = await world.person({ provider: 'itsme' });
    const connectionId = String((await start(a)).body.connectionId);
    const before = await table.snapshot();

    const answer = await confirm(b, connectionId, nowSeconds() - 3600);

    expect(answer.status).toBe(403);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 409 and writes nothing when the same account confirms its own intent', async () => {
    const a = await world.person();
    const connectionId = String((await start(a)).body.connectionId);
    const before = await table.snapshot();

    expect((await confirm(a, connectionId)).status).toBe(409);
    expect(await table.snapshot()).toEqual(before);
  });

  it.each([
    ['two national numbers', { insz: inszBornOn('640812') }, { insz: inszBornOn('640812') }],
    ['other birth dates', {}, { profile: { birthDate: '1964-08-13' } }],
    ['rights on both accounts', { membershipOf: '0403019261' }, { membershipOf: '0403019261' }],
  ])('answers 409 and writes nothing for %s', async (_what, first, second) => {
    const a = await world.person(first);
    const b = await world.person({ provider: 'itsme', ...second });
    const connectionId = String((await start(a)).body.connectionId);
    const before = await table.snapshot();

    const answer = await confirm(b, connectionId);

    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/service desk/);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown connection, and 400 for a malformed id, writing nothing', async () => {
    const b = await world.person({ provider: 'itsme' });
    const before = await table.snapshot();

    expect((await confirm(b, '01JZ0000000000000000000009')).status).toBe(404);
    expect((await describeIt(b, '01JZ0000000000000000000009')).status).toBe(404);
    expect((await confirm(b, 'not-an-id')).status).toBe(400);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 404 for an expired connection', async () => {
    const a = await world.person();
    const b = await world.person({ provider: 'itsme' });
    const later = identityWorld(table, () => new Date(Date.now() + 11 * 60 * 1000));
    const connectionId = String((await start(a)).body.connectionId);

    const answer = await later.call(b, {
      method: 'POST',
      resource: '/me/connections/{connectionId}',
      pathParameters: { connectionId },
    });

    expect(answer.status).toBe(404);
  });

  it('answers 403 and writes nothing when the session starting a connection is older than 10 minutes', async () => {
    const a = await world.person();
    const before = await table.snapshot();

    const answer = await world.call(a, {
      method: 'POST',
      resource: '/me/connections',
      authTime: nowSeconds() - 11 * 60,
    });

    expect(answer.status).toBe(403);
    expect(answer.body.detail).toMatch(/sign in again/);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 403 when the session names a login that is not the caller', async () => {
    const a = await world.person();
    const other = await world.person();

    expect((await start({ ...a, username: other.username })).status).toBe(403);
  });
});
