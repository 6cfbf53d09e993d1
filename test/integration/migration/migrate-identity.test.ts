/**
 * The identity migration (bin/migrate-identity.ts) on DynamoDB Local: legacy items as the platform
 * wrote them before issue 12 (no evidence, no birth-date index), a dry run that writes nothing, a
 * run that applies every rule of design item 10, and a second run that changes nothing.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, nativeKeys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { main } from '../../../bin/migrate-identity.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  await seedLegacy();
});

afterAll(async () => {
  await table.dispose();
});

const T0 = '2025-01-10T09:00:00.000Z';
const T1 = '2025-02-10T09:00:00.000Z';
const T2 = '2025-03-10T09:00:00.000Z';

/** Persons, by the history that left their items. */
const P = {
  itsme: '01JLEGACY00000000000000ITS',
  eidasMatch: '01JLEGACY00000000000000EID',
  bis: '01JLEGACY00000000000000BIS',
  native: '01JLEGACY00000000000000NAT',
  joinTarget: '01JLEGACY00000000000000JNT',
  joinSource: '01JLEGACY00000000000000JNS',
  eidasThenItsme: '01JLEGACY00000000000000EIT',
  itsmeThenNative: '01JLEGACY00000000000000ITN',
};
const N = {
  itsme: '85073003328',
  eidasMatch: '90021512370',
  bis: '79412312345',
  native: '68012138631',
  joinTarget: '92063004163',
  eidasThenItsme: '79110222494',
  itsmeThenNative: '01090900928',
  unlinked: '85031411708',
};

async function put(item: Record<string, unknown>) {
  await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
}

function profile(personId: string, providers: string[], extra: Record<string, unknown> = {}) {
  return put({
    ...keys.person(personId),
    type: 'person',
    personId,
    givenNames: 'Marie Anne',
    familyName: 'Dupont',
    birthDate: '1985-07-30',
    providers: new Set(providers),
    createdAt: T0,
    updatedAt: T0,
    ...extra,
  });
}

function identity(
  provider: 'eidas' | 'itsme' | 'native',
  subject: string,
  personId: string,
  createdAt: string,
  extra = {},
) {
  return put({
    ...keys.identityLink(provider, subject),
    type: 'identityLink',
    personId,
    provider,
    createdAt,
    ...extra,
  });
}

function inszLink(insz: string, personId: string, createdAt: string) {
  return put({ ...keys.inszLink(insz), type: 'inszLink', personId, createdAt });
}

function register(insz: string, extra: Record<string, unknown> = {}) {
  return put({
    ...keys.registeredPerson(insz),
    type: 'registeredPerson',
    insz,
    givenNames: 'Marie',
    familyName: 'Dupont',
    birthDate: '1985-07-30',
    ...extra,
  });
}

async function seedLegacy() {
  // An itsme first login: profile, link and INSZ link at once.
  await profile(P.itsme, ['itsme'], { insz: N.itsme });
  await identity('itsme', 'sub-itsme', P.itsme, T0);
  await inszLink(N.itsme, P.itsme, T0);
  // An eIDAS person who linked a number by register match later.
  await profile(P.eidasMatch, ['eidas'], { insz: N.eidasMatch });
  await identity('eidas', 'FR/BE/eidas-1', P.eidasMatch, T0);
  await inszLink(N.eidasMatch, P.eidasMatch, T1);
  // An eIDAS person given a BIS number by an agent.
  await profile(P.bis, ['eidas'], { insz: N.bis });
  await identity('eidas', 'ES/BE/eidas-2', P.bis, T0);
  await put({
    PK: 'BIS#01JLEGACYREG00000000000001',
    SK: 'REGISTRATION',
    type: 'bisRegistration',
    registrationId: '01JLEGACYREG00000000000001',
    personId: P.bis,
    status: 'APPROVED',
    bisNumber: N.bis,
  });
  await register(N.bis, { kind: 'BIS', registrationId: '01JLEGACYREG00000000000001' });
  await inszLink(N.bis, P.bis, T1);
  // A native account made at the office for a new person.
  await profile(P.native, ['native'], { insz: N.native });
  await identity('native', 'ea-legacy0001', P.native, T0);
  await put({
    ...nativeKeys.account(P.native),
    type: 'nativeAccount',
    personId: P.native,
    username: 'ea-legacy0001',
    createdAt: T0,
  });
  await inszLink(N.native, P.native, T0);
  // An old join: the eIDAS person JNS was joined into the itsme person JNT.
  await profile(P.joinTarget, ['itsme', 'eidas'], { insz: N.joinTarget });
  await identity('itsme', 'sub-join', P.joinTarget, T0);
  await identity('eidas', 'NL/BE/eidas-3', P.joinTarget, T1, { updatedAt: T2 });
  await inszLink(N.joinTarget, P.joinTarget, T0);
  await profile(P.joinSource, ['eidas'], { createdAt: T1, mergedInto: P.joinTarget });
  // An eIDAS person who later logged in with itsme (I5 link to the holder).
  await profile(P.eidasThenItsme, ['eidas', 'itsme'], { insz: N.eidasThenItsme });
  await identity('eidas', 'DE/BE/eidas-4', P.eidasThenItsme, T0);
  await identity('itsme', 'sub-later', P.eidasThenItsme, T2);
  await inszLink(N.eidasThenItsme, P.eidasThenItsme, T1);
  // An itsme person who also got a native account.
  await profile(P.itsmeThenNative, ['itsme', 'native'], { insz: N.itsmeThenNative });
  await identity('itsme', 'sub-itsme-native', P.itsmeThenNative, T0);
  await identity('native', 'ea-legacy0002', P.itsmeThenNative, T2);
  await put({
    ...nativeKeys.account(P.itsmeThenNative),
    type: 'nativeAccount',
    personId: P.itsmeThenNative,
    username: 'ea-legacy0002',
    createdAt: T2,
  });
  await inszLink(N.itsmeThenNative, P.itsmeThenNative, T0);
  // Register entries nobody holds yet.
  await register(N.unlinked);
}

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await main(
    ['--table', table.tableName, ...args],
    {},
    (line) => lines.push(line),
    table.documentClient,
  );
  return { code, output: lines.join('\n') };
}

const byKey = (items: Record<string, unknown>[]) =>
  new Map(items.map((item) => [`${item.PK}|${item.SK}`, item]));

describe('migrate:identity on DynamoDB Local', () => {
  it('plans in a dry run without writing, applies every rule once, and changes nothing on a second run', async () => {
    const legacy = await table.snapshot();

    const dry = await run('--dry-run');
    expect(dry.code).toBe(0);
    expect(await table.snapshot()).toEqual(legacy);
    expect(dry.output).toMatch(/Dry run \(nothing written\)/);
    expect(dry.output).toMatch(/insz-link:itsme-eid: 4 would change/);
    expect(dry.output).not.toMatch(/\d{11}/);

    const first = await run();
    const migrated = await table.snapshot();
    const second = await run();

    expect(first.code).toBe(0);
    expect(first.output).toMatch(/insz-link:itsme-eid: 4 changed/);
    expect(second.output).toMatch(/^0 changes written\.$/m);
    expect(await table.snapshot()).toEqual(migrated);

    const item = byKey(migrated);
    const get = (key: { PK: string; SK: string }) => item.get(`${key.PK}|${key.SK}`) ?? {};
    // INSZ links.
    expect(get(keys.inszLink(N.itsme))).toMatchObject({ evidence: 'itsme-eid', linkedAt: T0, loa: 'high' });
    expect(get(keys.inszLink(N.eidasMatch))).toMatchObject({
      evidence: 'register-match',
      linkedAt: T1,
      loa: 'substantial',
    });
    expect(get(keys.inszLink(N.bis))).toMatchObject({ evidence: 'bis-issued', linkedAt: T1 });
    expect(get(keys.inszLink(N.native))).toMatchObject({ evidence: 'registration-office' });
    expect(get(keys.inszLink(N.joinTarget))).toMatchObject({ evidence: 'itsme-eid' });
    expect(get(keys.inszLink(N.eidasThenItsme))).toMatchObject({ evidence: 'itsme-eid' });
    expect(get(keys.inszLink(N.itsmeThenNative))).toMatchObject({ evidence: 'itsme-eid' });
    // Profiles mirror the evidence and get the birth-date index (not the joined-away one).
    expect(get(keys.person(P.eidasMatch))).toMatchObject({
      inszEvidence: 'register-match',
      inszLinkedAt: T1,
      GSI2PK: 'BORN#1985-07-30',
      GSI2SK: `PERSON#${P.eidasMatch}`,
    });
    expect(get(keys.person(P.bis))).toMatchObject({ inszEvidence: 'bis-issued' });
    expect(get(keys.person(P.native))).toMatchObject({ inszEvidence: 'registration-office' });
    expect(get(keys.person(P.joinSource)).GSI2PK).toBeUndefined();
    expect(get(keys.person(P.joinSource)).inszEvidence).toBeUndefined();
    // Identity links.
    expect(get(keys.identityLink('itsme', 'sub-itsme'))).toMatchObject({
      evidence: 'first-login',
      linkedAt: T0,
      loa: 'high',
    });
    expect(get(keys.identityLink('eidas', 'FR/BE/eidas-1'))).toMatchObject({
      evidence: 'first-login',
      loa: 'substantial',
      asserted: { givenNames: 'Marie Anne', familyName: 'Dupont', birthDate: '1985-07-30' },
    });
    expect(get(keys.identityLink('native', 'ea-legacy0001'))).toMatchObject({
      evidence: 'registration-office',
      loa: 'substantial',
    });
    expect(get(keys.identityLink('itsme', 'sub-join'))).toMatchObject({ evidence: 'first-login' });
    expect(get(keys.identityLink('eidas', 'NL/BE/eidas-3'))).toMatchObject({
      evidence: 'connected',
      linkedAt: T1,
    });
    expect(get(keys.identityLink('eidas', 'NL/BE/eidas-3')).asserted).toBeUndefined();
    expect(get(keys.identityLink('eidas', 'DE/BE/eidas-4'))).toMatchObject({ evidence: 'first-login' });
    expect(get(keys.identityLink('eidas', 'DE/BE/eidas-4')).asserted).toBeUndefined();
    expect(get(keys.identityLink('itsme', 'sub-later'))).toMatchObject({
      evidence: 'itsme-eid',
      linkedAt: T2,
    });
    expect(get(keys.identityLink('native', 'ea-legacy0002'))).toMatchObject({
      evidence: 'registration-office',
    });
    // Register entries.
    expect(get(keys.registeredPerson(N.unlinked))).toMatchObject({
      GSI2PK: 'BORN#1985-07-30',
      GSI2SK: `REGISTER#${N.unlinked}`,
    });
    expect(get(keys.registeredPerson(N.bis))).toMatchObject({ GSI2PK: 'BORN#1985-07-30' });
  });

  it('answers usage errors with exit code 2 and writes nothing', async () => {
    const before = await table.snapshot();
    const lines: string[] = [];

    const code = await main(['--dry'], {}, (line) => lines.push(line), table.documentClient);
    const missing = await main([], {}, (line) => lines.push(line), table.documentClient);

    expect([code, missing]).toEqual([2, 2]);
    expect(lines.join('\n')).toMatch(/Usage: npm run migrate:identity/);
    expect(await table.snapshot()).toEqual(before);
  });
});
