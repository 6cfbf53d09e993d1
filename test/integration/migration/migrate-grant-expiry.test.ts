/**
 * The grant-expiry migration (bin/migrate-grant-expiry.ts) on DynamoDB Local: grants written with the
 * unsharded expiry key, a dry run that writes nothing, a run that moves each to its shard with the
 * 7-day TTL grace, and a second run that changes nothing.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expiryShard, keys, rightsKeys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { seedExpiringGrants, tallyExpiry } from '#test/helpers/grant-expiry';
import { main } from '../../../bin/migrate-grant-expiry.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const NOW = new Date('2030-01-15T10:00:00Z');

describe('migrate-grant-expiry', () => {
  it('moves unsharded grants to their shard once, and a dry run writes nothing', async () => {
    // Prepare
    const validUntil = '2030-02-01T00:00:00.000Z';
    const seeded = await seedExpiringGrants(table, {
      count: 40,
      validUntil,
      organisations: 2,
      unsharded: true,
    });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const args = ['--table', table.tableName, '--from', '2030-01-30', '--to', '2030-02-02'];

    // Act
    const dryCode = await main([...args, '--dry-run'], table.documentClient, NOW);
    const afterDry = await table.snapshot();
    const code = await main(args, table.documentClient, NOW);
    const afterRun = await table.snapshot();
    const againCode = await main(args, table.documentClient, NOW);
    const afterAgain = await table.snapshot();

    // Assess
    expect([dryCode, code, againCode]).toEqual([0, 0, 0]);
    expect(log.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringContaining('40 unsharded grants, 40 to move'),
      expect.stringContaining('40 unsharded grants, 40 moved'),
      expect.stringContaining('0 unsharded grants, 0 moved'),
    ]);
    expect(
      afterDry.filter((item) => item.GSI2PK === rightsKeys.grantExpiryPartition('2030-02-01')),
    ).toHaveLength(40);
    const grantId = seeded.grantIds[7] as string;
    const personId = seeded.personIds[7] as string;
    const orgCode = seeded.orgCodes[1] as string;
    const { Item } = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.grant(personId, orgCode, 'KLIP', 'raadpleger'),
      }),
    );
    expect(Item).toMatchObject({
      GSI2PK: `GRANT_EXPIRY#2030-02-01#${expiryShard(grantId)}`,
      expiresAt: Date.parse(validUntil) / 1000 + 7 * 86_400,
    });
    expect(afterAgain).toEqual(afterRun);
    expect(await tallyExpiry(table, seeded.orgCodes, '2030-02-01')).toMatchObject({ grantsLeft: 40 });
    log.mockRestore();
  });

  it('refuses a missing table or a reversed range with exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});

    const codes = [
      await main([], table.documentClient, NOW),
      await main(
        ['--table', table.tableName, '--from', '2030-02-02', '--to', '2030-02-01'],
        table.documentClient,
        NOW,
      ),
    ];

    expect(codes).toEqual([2, 2]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('Usage: npm run migrate:grant-expiry'));
    error.mockRestore();
  });
});
