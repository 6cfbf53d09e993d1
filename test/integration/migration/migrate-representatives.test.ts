/**
 * The representatives backfill (bin/migrate-representatives.ts) on DynamoDB Local: memberships of
 * Belgian companies claimed before the sparse GSI2 index existed, a dry run that writes nothing, a
 * run stopped after one page and resumed with its token, the daily check's index then listing them,
 * and a second run that changes nothing. Foreign representatives, plain members and memberships
 * already indexed are left alone.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '#shared/ids';
import { keys, organisationKeys, REPRESENTATIVE_SHARDS } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';
import { main, migrateRepresentatives } from '../../../bin/migrate-representatives.ts';
import { createDynamoOrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const enterpriseNumber = () => {
  const first = `0${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
  return `${first}${String(97 - (Number(first) % 97)).padStart(2, '0')}`;
};

async function indexed(): Promise<string[]> {
  const repository = createDynamoOrganisationsRepository({
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
  const found: string[] = [];
  for (let shard = 0; shard < REPRESENTATIVE_SHARDS; shard++) {
    for (const entry of await repository.listRegisterRepresentatives(shard)) {
      found.push(`${entry.orgCode}#${entry.personId}`);
    }
  }
  return found.sort();
}

describe('migrate-representatives', () => {
  it('indexes pre-index claims once, resumes after a stop, and a dry run writes nothing', async () => {
    // Prepare
    const claimed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const orgCode = enterpriseNumber();
      const personId = newId();
      await seedMembership(table, personId, orgCode, { legalRepresentative: true, localAdministrator: true });
      claimed.push(`${orgCode}#${personId}`);
    }
    await seedMembership(table, newId(), 'FOREIGN-DE-HRB1234', {
      legalRepresentative: true,
      localAdministrator: true,
    });
    await seedMembership(table, newId(), enterpriseNumber(), { localAdministrator: true });
    const alreadyOrg = enterpriseNumber();
    const alreadyPerson = newId();
    await seedMembership(table, alreadyPerson, alreadyOrg, {
      legalRepresentative: true,
      localAdministrator: true,
    });
    const migratedAlready = await migrateRepresentatives(table.documentClient, table.tableName, {
      dryRun: false,
    });
    expect(migratedAlready.marked).toBe(6);
    claimed.push(`${alreadyOrg}#${alreadyPerson}`);
    // Five more written "before the index", after the first run.
    const later: string[] = [];
    for (let i = 0; i < 5; i++) {
      const orgCode = enterpriseNumber();
      const personId = newId();
      await seedMembership(table, personId, orgCode, { legalRepresentative: true, localAdministrator: true });
      later.push(`${orgCode}#${personId}`);
    }
    const before = await table.snapshot();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const progress = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const dryCode = await main(['--table', table.tableName, '--dry-run'], table.documentClient);
    const afterDry = await table.snapshot();
    const stopped = await migrateRepresentatives(table.documentClient, table.tableName, {
      dryRun: false,
      pageSize: 3,
      maxPages: 1,
    });
    const code = await main(
      [
        '--table',
        table.tableName,
        '--page-size',
        '3',
        ...(stopped.resume ? ['--resume', stopped.resume] : []),
      ],
      table.documentClient,
    );
    const afterRun = await table.snapshot();
    const againCode = await main(['--table', table.tableName], table.documentClient);
    const afterAgain = await table.snapshot();

    // Assess
    expect([dryCode, code, againCode]).toEqual([0, 0, 0]);
    expect(afterDry).toEqual(before);
    expect(stopped.resume, 'a stop after one page leaves a resume token').toBeDefined();
    expect(stopped.marked + Number(/(\d+) indexed/.exec(String(log.mock.calls[1]?.[0]))?.[1])).toBe(5);
    expect(String(log.mock.calls[0]?.[0])).toContain('5 to index');
    expect(String(log.mock.calls[2]?.[0])).toContain('0 legal-representative memberships');
    expect(await indexed()).toEqual([...claimed, ...later].sort());
    const [orgCode, personId] = String(later[0]).split('#') as [string, string];
    const key = keys.membership(personId, orgCode);
    const item = afterRun.find((entry) => entry.PK === key.PK && entry.SK === key.SK);
    expect(item).toMatchObject({
      registerDerived: true,
      ...organisationKeys.registerRepresentative(orgCode, personId),
    });
    expect(afterAgain).toEqual(afterRun);
    expect(progress).toHaveBeenCalledWith(expect.stringContaining('--resume '));
    log.mockRestore();
    progress.mockRestore();
  });

  it('refuses a missing table, a bad page size or a bad resume token with exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});

    const codes = [
      await main([], table.documentClient),
      await main(['--table', table.tableName, '--page-size', '0'], table.documentClient),
      await main(['--table', table.tableName, '--resume', 'bm90LWEta2V5'], table.documentClient),
    ];

    expect(codes).toEqual([2, 2, 2]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Usage: npm run migrate:representatives'));
    error.mockRestore();
  });
});
