/**
 * The capacity migration (bin/migrate-capacity.ts) on DynamoDB Local: items as the platform wrote
 * them before capacities (identity links without a hint, administrators without their index entry),
 * a dry run that writes nothing, a run that sets hints and index entries (the approvers are then
 * found by the index), and a second run that changes nothing.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { main } from '../../../bin/migrate-capacity.ts';

let table: TestTable;

const T0 = '2025-01-10T09:00:00.000Z';
/** Persons, by what their partition holds. */
const P = {
  none: '01JCAPMIG000000000000NONE',
  one: '01JCAPMIG0000000000000ONE',
  two: '01JCAPMIG0000000000000TWO',
  chose: '01JCAPMIG00000000000CHOSE',
  stale: '01JCAPMIG00000000000STALE',
  private: '01JCAPMIG000000000PRIVATE',
};
const ORG_A = '0403019261';
const ORG_B = '0411905847';

async function put(item: Record<string, unknown>) {
  await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
}

async function person(personId: string, extra: Record<string, unknown> = {}) {
  await put({ ...keys.person(personId), type: 'person', personId, createdAt: T0, ...extra });
  await put({
    ...keys.identityLink('itsme', `sub-${personId}`),
    type: 'identity',
    provider: 'itsme',
    personId,
    createdAt: T0,
  });
}

async function membership(personId: string, orgCode: string, localAdministrator = false) {
  await put({
    ...keys.membership(personId, orgCode, localAdministrator),
    type: 'membership',
    personId,
    orgCode,
    name: orgCode,
    localAdministrator,
    legalRepresentative: localAdministrator,
    createdAt: T0,
  });
}

beforeAll(async () => {
  table = await createTestTable();
  await person(P.none);
  await person(P.one);
  await membership(P.one, ORG_A, true);
  await person(P.two);
  await membership(P.two, ORG_A);
  await membership(P.two, ORG_B, true);
  await person(P.chose, { capacity: { orgCode: ORG_B, chosenAt: T0 } });
  await membership(P.chose, ORG_A);
  await membership(P.chose, ORG_B);
  await person(P.stale, { capacity: { orgCode: ORG_B, chosenAt: T0 } });
  await membership(P.stale, ORG_A);
  await person(P.private, { capacity: { orgCode: null, chosenAt: T0 } });
  await membership(P.private, ORG_A);
  // A grant as the rights context writes it: already under GRANT#<orgCode>#.
  await put({
    ...keys.grant(P.one, ORG_A, 'KLIP', 'viewer'),
    type: 'grant',
    personId: P.one,
    orgCode: ORG_A,
    application: 'KLIP',
    role: 'viewer',
  });
});

afterAll(async () => {
  await table?.dispose();
});

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await main(
    ['--table', table.tableName, ...args],
    {},
    (line) => lines.push(line),
    table.documentClient,
  );
  return { code, lines, items: await table.snapshot() };
}

const hintOf = (items: Record<string, unknown>[], personId: string) =>
  items.find((item) => item.PK === keys.identityLink('itsme', `sub-${personId}`).PK);

describe('migrate:capacity', () => {
  it('plans in a dry run and writes nothing', async () => {
    const before = await table.snapshot();

    const { code, lines, items } = await run(['--dry-run']);

    expect(code).toBe(0);
    expect(items).toEqual(before);
    expect(lines).toContain('  identity-link:capacity-hint: 6 would change');
    expect(lines.join('\n')).not.toContain('unexpected sort key');
  });

  it('sets the capacity hints, and a second run changes nothing', async () => {
    const { code, lines, items } = await run([]);

    expect(code).toBe(0);
    expect(lines).toContain('6 changes written.');
    expect(hintOf(items, P.none)).toMatchObject({ capacity: null });
    expect(hintOf(items, P.one)).toMatchObject({ capacity: ORG_A });
    expect(hintOf(items, P.two)).toMatchObject({ capacity: null });
    expect(hintOf(items, P.chose)).toMatchObject({ capacity: ORG_B });
    // The choice is no longer valid: the default rule (the only organisation).
    expect(hintOf(items, P.stale)).toMatchObject({ capacity: ORG_A });
    expect(hintOf(items, P.private)).toMatchObject({ capacity: null });
    const again = await run([]);
    expect(again.lines).toContain('0 changes written.');
    expect(again.items).toEqual(items);
  });

  it('refuses to run without a table', async () => {
    const lines: string[] = [];
    expect(await main([], {}, (line) => lines.push(line), table.documentClient)).toBe(2);
    expect(await main(['--tabel', 'x'], {}, (line) => lines.push(line), table.documentClient)).toBe(2);
    expect(lines.join('\n')).toContain('Usage: npm run migrate:capacity');
  });
});
