/**
 * The look-alike markers backfill (bin/migrate-lookalikes.ts) on DynamoDB Local: foreign
 * organisations approved before markers existed get them, so a look-alike of one is found by key; a
 * dry run writes nothing, a run stopped after one page resumes with its token, and a second run
 * changes nothing. Belgian organisations get none.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationKeys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { migrateLookalikes } from '../../../bin/migrate-lookalikes.ts';
import { lookalikeSkeletons } from '../../../lambdas/organisations/organisation.ts';
import { createDynamoOrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

async function seedOrganisation(organisation: Record<string, unknown> & { orgCode: string }): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...organisationKeys.organisation(organisation.orgCode),
        type: 'organisation',
        createdAt: '2024-01-01T00:00:00.000Z',
        administratorCount: 1,
        ...organisation,
      },
    }),
  );
}

async function markerOf(country: string, name: string): Promise<string[] | undefined> {
  const key = organisationKeys.lookalike(
    country,
    'NAME',
    lookalikeSkeletons({ country, name, registrationNumber: 'X' }).name,
  );
  const out = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item ? [...(out.Item.orgCodes as Set<string>)].sort() : undefined;
}

describe('migrate-lookalikes', () => {
  it('marks the foreign organisations once, resumes after a stop, and a dry run writes nothing', async () => {
    // Prepare
    const foreign = Array.from({ length: 4 }, (_, index) => ({
      orgCode: `FOREIGN-NL-KVK${7_000_000 + index}`,
      name: `Oranje Handel ${String.fromCharCode(98 + index)}`,
      country: 'NL',
      kind: 'foreign',
      registrationNumber: `KVK ${7_000_000 + index}`,
    }));
    for (const organisation of foreign) await seedOrganisation(organisation);
    await seedOrganisation({
      orgCode: '0412345678',
      name: 'Oranje Handel NV',
      country: 'BE',
      kind: 'belgian',
    });
    const repository = createDynamoOrganisationsRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    });
    const probe = { country: 'NL', name: 'Oranje Hande\u0031 b', registrationNumber: 'KVK 9999999' };

    // Act
    const dry = await migrateLookalikes(table.documentClient, table.tableName, { dryRun: true });
    const beforeRun = await repository.findLookalikes([probe]);
    const stopped = await migrateLookalikes(table.documentClient, table.tableName, {
      dryRun: false,
      pageSize: 2,
      maxPages: 1,
    });
    const resumed = await migrateLookalikes(table.documentClient, table.tableName, {
      dryRun: false,
      pageSize: 2,
      resume: stopped.resume,
    });
    const again = await migrateLookalikes(table.documentClient, table.tableName, { dryRun: false });
    const afterRun = await repository.findLookalikes([probe]);

    // Assess
    expect(dry).toMatchObject({ organisations: 4, marked: 8, alreadyMarked: 0 });
    expect(beforeRun).toEqual([[]]);
    expect(stopped.resume).toBeDefined();
    expect(stopped.marked + resumed.marked + resumed.alreadyMarked).toBeGreaterThanOrEqual(8);
    expect(again).toMatchObject({ organisations: 4, marked: 0, alreadyMarked: 8 });
    expect(afterRun).toEqual([[{ orgCode: 'FOREIGN-NL-KVK7000000', matched: ['name'] }]]);
    for (const organisation of foreign) {
      expect(await markerOf('NL', organisation.name)).toEqual([organisation.orgCode]);
    }
    expect(await markerOf('BE', 'Oranje Handel NV')).toBeUndefined();
  });
});
