/**
 * The administrators' index backfill (bin/migrate-administrators.ts) on DynamoDB Local: memberships
 * written before administrators had their own GSI1 prefix (`MEMBER#<personId>`), a dry run that
 * writes nothing, a run stopped after one page and resumed with its token, the approvers' Query then
 * finding exactly the administrators, and a second run that changes nothing. Memberships already of
 * the new layout are left alone.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { listAdministratorIds } from '#shared/organisation-access';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';
import { dryStopResumeAgain, itRefusesBadArguments } from '#test/helpers/paged-migration';
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
    const beforeIndex = await listAdministratorIds(table.documentClient, table.tableName, orgCode);

    // Act
    const run = await dryStopResumeAgain(table, { main, migrate: migrateAdministrators }, 2);
    const afterIndex = await listAdministratorIds(table.documentClient, table.tableName, orgCode);

    // Assess
    expect(run.codes).toEqual([0, 0, 0]);
    expect(run.afterDry).toEqual(run.before);
    expect(beforeIndex).toEqual([current]);
    expect(run.reports[0]).toContain('7 memberships of the old index layout (3 local administrators)');
    expect(run.stopped.resume, 'a stop after one page leaves a resume token').toBeDefined();
    expect(run.stopped.moved + Number(/, (\d+) moved/.exec(String(run.reports[1]))?.[1])).toBe(7);
    expect(run.reports[2]).toContain('0 memberships of the old index layout');
    expect(afterIndex.sort()).toEqual([...administrators, current].sort());
    for (const personId of members) {
      const key = keys.membership(personId, orgCode);
      expect(run.afterRun.find((item) => item.PK === key.PK && item.SK === key.SK)?.GSI1SK).toBe(
        `MEMBER#M#${personId}`,
      );
    }
    expect(run.afterAgain).toEqual(run.afterRun);
    expect(run.progress).toContainEqual(expect.stringContaining('--resume '));
  });

  itRefusesBadArguments('migrate:administrators', main, () => table, '1001');
});
