/**
 * The representatives backfill (bin/migrate-representatives.ts) on DynamoDB Local: memberships of
 * Belgian companies claimed before the sparse GSI2 index existed, a dry run that writes nothing, a
 * run stopped after one page and resumed with its token, the daily check's index then listing them,
 * and a second run that changes nothing. Foreign representatives, plain members and memberships
 * already indexed are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '#shared/ids';
import { keys, organisationKeys, REPRESENTATIVE_SHARDS } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';
import { dryStopResumeAgain, itRefusesBadArguments } from '#test/helpers/paged-migration';
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

    // Act
    const run = await dryStopResumeAgain(table, { main, migrate: migrateRepresentatives }, 3);

    // Assess
    expect(run.codes).toEqual([0, 0, 0]);
    expect(run.afterDry).toEqual(run.before);
    expect(run.stopped.resume, 'a stop after one page leaves a resume token').toBeDefined();
    expect(run.stopped.marked + Number(/(\d+) indexed/.exec(String(run.reports[1]))?.[1])).toBe(5);
    expect(run.reports[0]).toContain('5 to index');
    expect(run.reports[2]).toContain('0 legal-representative memberships');
    expect(await indexed()).toEqual([...claimed, ...later].sort());
    const [orgCode, personId] = String(later[0]).split('#') as [string, string];
    const key = keys.membership(personId, orgCode);
    const item = run.afterRun.find((entry) => entry.PK === key.PK && entry.SK === key.SK);
    expect(item).toMatchObject({
      registerDerived: true,
      ...organisationKeys.registerRepresentative(orgCode, personId),
    });
    expect(run.afterAgain).toEqual(run.afterRun);
    expect(run.progress).toContainEqual(expect.stringContaining('--resume '));
  });

  itRefusesBadArguments('migrate:representatives', main, () => table, '0');
});
