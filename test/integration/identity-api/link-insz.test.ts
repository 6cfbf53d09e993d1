/**
 * `POST /me/insz` on DynamoDB Local, as the attacks of issue 12 try it: a number links only when the
 * register entry equals what the IdP asserted in the CURRENT login; a number held by someone else is
 * never joined (409, both persons' activity, the holder told); races have one winner.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityKeys, keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { ERIKA, type IdentityWorld, identityWorld, inszBornOn } from './world.ts';

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

const MALLORY = { givenNames: 'Mallory', familyName: 'Evil', birthDate: '1990-01-01' };

const post = (login: Parameters<IdentityWorld['call']>[0], body: unknown) =>
  world.call(login, { method: 'POST', resource: '/me/insz', body });

/** Every item of the table except attempt counters (what a refused request may write). */
async function snapshotWithoutAttempts() {
  return (await table.snapshot()).filter((item) => !String(item.PK).startsWith('INSZ_CHECK#'));
}

const itemsOf = async (prefix: string) =>
  (await table.snapshot()).filter((item) => String(item.PK).startsWith(prefix));

describe('POST /me/insz: linking is proof, not knowledge (DynamoDB Local)', () => {
  it('links with evidence register-match, activity and a notice when the register equals the asserted data', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({
      insz,
      givenNames: 'Erika Maria',
      familyName: 'Müstermann',
      birthDate: '1964-08-12',
    });
    const erika = await world.person({
      asserted: { givenNames: 'ERIKA', familyName: 'MUESTERMANN', birthDate: '1964-08-12' },
    });

    const answer = await post(erika, {
      insz,
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
    });

    expect(answer).toEqual({ status: 200, body: { personId: erika.personId, insz } });
    const [link] = await itemsOf(keys.inszLink(insz).PK);
    expect(link).toMatchObject({ personId: erika.personId, evidence: 'register-match', loa: 'substantial' });
    const me = await world.call(erika, { resource: '/me' });
    expect(me.body).toMatchObject({ insz, inszEvidence: 'register-match', suspended: false });
    const activity = await itemsOf(identityKeys.activityPartition(erika.personId));
    expect(activity).toMatchObject([{ event: 'insz-linked', evidence: 'register-match', provider: 'eidas' }]);
    const notices = (await itemsOf('NOTICE#')).filter((notice) => notice.personId === erika.personId);
    expect(notices).toMatchObject([{ event: 'insz-linked', GSI1PK: 'NOTICES#PENDING' }]);
    expect(JSON.stringify(notices)).not.toContain(insz);
  });

  it('costs 5 DynamoDB round trips when it links: profile, identity links, attempt, register, one transaction', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const erika = await world.person();
    const commands: string[] = [];
    table.documentClient.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countRoundTrips' },
    );
    try {
      expect((await post(erika, { insz, ...ERIKA })).status).toBe(200);
    } finally {
      table.documentClient.middlewareStack.remove('countRoundTrips');
    }

    expect(commands).toEqual([
      'GetItemCommand',
      'BatchGetItemCommand',
      'UpdateItemCommand',
      'GetItemCommand',
      'TransactWriteItemsCommand',
    ]);
  });

  it("answers 422 and links nothing when Mallory states a victim's number and data but her login asserted other names", async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const mallory = await world.person({ profile: MALLORY });
    const before = await snapshotWithoutAttempts();

    const answer = await post(mallory, { insz, ...ERIKA });

    expect(answer.status).toBe(422);
    expect(answer.body.detail).toMatch(/do not match the national register/);
    expect(await snapshotWithoutAttempts()).toEqual(before);
  });

  it('answers the same 422 for an unknown number and for a login without asserted data', async () => {
    const registered = inszBornOn('640812');
    await world.register.putPerson({ insz: registered, ...ERIKA });
    const noAsserted = await world.person({ asserted: null });
    const erika = await world.person();

    const unknown = await post(erika, { insz: inszBornOn('640812'), ...ERIKA });
    const withoutAsserted = await post(noAsserted, { insz: registered, ...ERIKA });

    expect(unknown.status).toBe(422);
    expect(withoutAsserted.status).toBe(422);
    expect(withoutAsserted.body.detail).toBe(unknown.body.detail);
  });

  it('answers 422 when the login asserted the register data but the typed names differ', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const erika = await world.person();

    const answer = await post(erika, { insz, ...ERIKA, givenNames: 'Erik' });

    expect(answer.status).toBe(422);
    expect(await itemsOf(keys.inszLink(insz).PK)).toEqual([]);
  });

  it('answers 409 and joins nothing when the number is held; both persons log the refused join, the holder is told', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const holder = await world.person({ provider: 'itsme', insz, membershipOf: '0403019261' });
    // Someone whose eIDAS login asserts the very same names and birth date (a namesake, or an eID read elsewhere).
    const caller = await world.person();
    const holderBefore = await itemsOf(`PERSON#${holder.personId}`);

    const answer = await post(caller, { insz, ...ERIKA });

    expect(answer.status).toBe(409);
    expect(answer.body.detail).toBe(
      'This number is already in use. Log in with your other means to connect this login, or contact the service desk.',
    );
    expect(await itemsOf(`PERSON#${holder.personId}`)).toEqual(holderBefore);
    expect((await itemsOf(keys.inszLink(insz).PK))[0]).toMatchObject({ personId: holder.personId });
    const callerProfile = (await itemsOf(`PERSON#${caller.personId}`))[0];
    expect(callerProfile?.insz).toBeUndefined();
    expect(callerProfile?.mergedInto).toBeUndefined();
    expect(await itemsOf(identityKeys.activityPartition(caller.personId))).toMatchObject([
      { event: 'join-refused' },
    ]);
    expect(await itemsOf(identityKeys.activityPartition(holder.personId))).toMatchObject([
      { event: 'join-refused' },
    ]);
    const notices = await itemsOf('NOTICE#');
    expect(notices.filter((n) => n.personId === holder.personId)).toMatchObject([{ event: 'join-refused' }]);
    expect(notices.filter((n) => n.personId === caller.personId)).toEqual([]);
  });

  it('refuses a BIS number the platform issued to someone else: 422 with other asserted names, 409 with the same', async () => {
    const bis = inszBornOn('644812');
    await world.register.putPerson({ insz: bis, ...ERIKA });
    const owner = await world.person({ insz: bis, inszEvidence: 'bis-issued' });
    const mallory = await world.person({ profile: MALLORY });
    const namesake = await world.person();

    expect((await post(mallory, { insz: bis, ...ERIKA })).status).toBe(422);
    expect((await post(namesake, { insz: bis, ...ERIKA })).status).toBe(409);
    expect((await itemsOf(keys.inszLink(bis).PK))[0]).toMatchObject({
      personId: owner.personId,
      evidence: 'bis-issued',
    });
  });

  it('links the number to exactly one of two persons posting it at once; the other gets 409', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const [first, second] = await Promise.all([world.person(), world.person()]);

    const answers = await Promise.all([post(first, { insz, ...ERIKA }), post(second, { insz, ...ERIKA })]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers[0]?.status === 200 ? first : second;
    expect((await itemsOf(keys.inszLink(insz).PK))[0]).toMatchObject({ personId: winner.personId });
    const profiles = [
      ...(await itemsOf(`PERSON#${first.personId}`)),
      ...(await itemsOf(`PERSON#${second.personId}`)),
    ];
    expect(profiles.filter((profile) => profile.insz === insz)).toHaveLength(1);
    expect(profiles.filter((profile) => profile.mergedInto !== undefined)).toEqual([]);
  });

  it('answers 200 to both of two concurrent posts of the same person, with one link', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const erika = await world.person();

    const answers = await Promise.all([post(erika, { insz, ...ERIKA }), post(erika, { insz, ...ERIKA })]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await itemsOf(identityKeys.activityPartition(erika.personId))).toHaveLength(1);
  });

  it('answers 200 again without any write when the same number is linked twice', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const erika = await world.person();
    await post(erika, { insz, ...ERIKA });
    const before = await table.snapshot();

    const repeat = await post(erika, { insz, ...ERIKA });

    expect(repeat.status).toBe(200);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 403 and writes nothing when the token names a login that no longer belongs to the person', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const erika = await world.person();
    const other = await world.person();
    const before = await table.snapshot();

    const answer = await world.call(
      { ...erika, username: other.username },
      { method: 'POST', resource: '/me/insz', body: { insz, ...ERIKA } },
    );

    expect(answer.status).toBe(403);
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 400 problem and writes nothing for bad input', async () => {
    const erika = await world.person();
    const before = await table.snapshot();

    const answer = await post(erika, {
      insz: '12345678901',
      givenNames: '',
      familyName: 'X',
      birthDate: '1964-13-40',
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, errors: expect.any(Array) });
    expect(await table.snapshot()).toEqual(before);
  });

  it('answers 429 after five failed checks without reading further', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const mallory = await world.person({ profile: MALLORY });
    for (let i = 0; i < 5; i++) expect((await post(mallory, { insz, ...ERIKA })).status).toBe(422);

    expect((await post(mallory, { insz, ...ERIKA })).status).toBe(429);
  });
});

describe('GET /me/activity (DynamoDB Local)', () => {
  it('pages the log newest first', async () => {
    const insz = inszBornOn('640812');
    await world.register.putPerson({ insz, ...ERIKA });
    const holder = await world.person({ insz });
    const first = await world.person();
    const second = await world.person();
    await post(first, { insz, ...ERIKA });
    await post(second, { insz, ...ERIKA });

    const page1 = await world.call(holder, { resource: '/me/activity', query: { limit: '1' } });
    const page2 = await world.call(holder, {
      resource: '/me/activity',
      query: { limit: '1', cursor: String(page1.body.nextCursor) },
    });

    expect(page1.status).toBe(200);
    const items = [...(page1.body.items as { at: string }[]), ...(page2.body.items as { at: string }[])];
    expect(items).toHaveLength(2);
    expect((items[0]?.at ?? '') >= (items[1]?.at ?? '')).toBe(true);
    const foreign = await world.call(first, {
      resource: '/me/activity',
      query: { cursor: String(page1.body.nextCursor) },
    });
    expect(foreign.status).toBe(400);
  });
});
