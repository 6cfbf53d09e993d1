/**
 * The administrators' index backfill (bin/migrate-administrators.ts) on DynamoDB Local: memberships
 * written before administrators had their own GSI1 prefix (`MEMBER#<personId>`), a dry run that
 * writes nothing, a run stopped after one page and resumed with its token, the approvers' Query then
 * finding exactly the administrators, and a second run that changes nothing. Memberships already of
 * the new layout are left alone.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { listAdministratorIds } from '#shared/organisation-access';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';
import { main, migrateAdministrators } from '../../../bin/migrate-administrators.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

/** A membership as written before issue 20: one GSI1 sort key for everyone. */
async function oldMembership(personId: string, orgCode: string, localAdministrator: boolean): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...keys.membership(personId, orgCode),
        GSI1SK: `MEMBER#${personId}`,
        type: 'membership',
        personId,
        orgCode,
        name: orgCode,
        localAdministrator,
        legalRepresentative: false,
      },
    }),
  );
}

describe('migrate-administrators', () => {
  it('moves old memberships once, resumes after a stop, and a dry run writes nothing', async () => {
    // Prepare
    const orgCode = `OVO${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const administrators = [newId(), newId(), newId()];
    const members = [newId(), newId(), newId(), newId()];
    for (const personId of administrators) await oldMembership(personId, orgCode, true);
    for (const personId of members) await oldMembership(personId, orgCode, false);
    const current = newId();
    await seedMembership(table, current, orgCode, { localAdministrator: true });
    const before = await table.snapshot();
    const beforeIndex = await listAdministratorIds(table.documentClient, table.tableName, orgCode);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const progress = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const dryCode = await main(['--table', table.tableName, '--dry-run'], table.documentClient);
    const afterDry = await table.snapshot();
    const stopped = await migrateAdministrators(table.documentClient, table.tableName, {
      dryRun: false,
      pageSize: 2,
      maxPages: 1,
    });
    const code = await main(
      [
        '--table',
        table.tableName,
        '--page-size',
        '2',
        ...(stopped.resume ? ['--resume', stopped.resume] : []),
      ],
      table.documentClient,
    );
    const afterRun = await table.snapshot();
    const againCode = await main(['--table', table.tableName], table.documentClient);
    const afterAgain = await table.snapshot();
    const afterIndex = await listAdministratorIds(table.documentClient, table.tableName, orgCode);

    // Assess
    expect([dryCode, code, againCode]).toEqual([0, 0, 0]);
    expect(afterDry).toEqual(before);
    expect(beforeIndex).toEqual([current]);
    expect(String(log.mock.calls[0]?.[0])).toContain(
      '7 memberships of the old index layout (3 local administrators)',
    );
    expect(stopped.resume, 'a stop after one page leaves a resume token').toBeDefined();
    expect(stopped.moved + Number(/, (\d+) moved/.exec(String(log.mock.calls[1]?.[0]))?.[1])).toBe(7);
    expect(String(log.mock.calls[2]?.[0])).toContain('0 memberships of the old index layout');
    expect(afterIndex.sort()).toEqual([...administrators, current].sort());
    for (const personId of members) {
      const key = keys.membership(personId, orgCode);
      expect(afterRun.find((item) => item.PK === key.PK && item.SK === key.SK)?.GSI1SK).toBe(
        `MEMBER#M#${personId}`,
      );
    }
    expect(afterAgain).toEqual(afterRun);
    expect(progress).toHaveBeenCalledWith(expect.stringContaining('--resume '));
    log.mockRestore();
    progress.mockRestore();
  });

  it('refuses a missing table, a bad page size or a bad resume token with exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});

    const codes = [
      await main([], table.documentClient),
      await main(['--table', table.tableName, '--page-size', '1001'], table.documentClient),
      await main(['--table', table.tableName, '--resume', 'bm90LWEta2V5'], table.documentClient),
    ];

    expect(codes).toEqual([2, 2, 2]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Usage: npm run migrate:administrators'));
    error.mockRestore();
  });
});
