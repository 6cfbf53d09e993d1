/**
 * Approvers in O(administrators) (issue 20 item 3): making or unmaking a local administrator writes
 * or removes the membership's administrator index entry (sparse GSI2) in the same transaction, and
 * `listAdministrators` reads that index only — 3 items read for 3 administrators among 1,000 members.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#local/dynamodb-local';
import type { AuditEntry } from '#shared/audit';
import { newId } from '#shared/ids';
import { keys, organisationKeys } from '#shared/keys';
import { createDocumentClient } from '#shared/table';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { createDynamoOrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';
import { createDynamoRightsRepository } from '../../../lambdas/rights/rights-repository.ts';

const MEMBERS = 1_000;
const NOW = '2026-03-02T09:00:00.000Z';

let table: TestTable;
/** Items read (`ScannedCount`) by each Query sent through the counting client, by index. */
const queried: { index: string | undefined; scanned: number }[] = [];

/** A document client of its own with a middleware that records what every Query read. */
function countingClient(): DynamoDBDocumentClient {
  const client = createDocumentClient(new DynamoDBClient(localClientConfig(table.endpoint)));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        const input = args.input as { IndexName?: string };
        const output = result.output as { ScannedCount?: number };
        queried.push({ index: input.IndexName, scanned: output.ScannedCount ?? 0 });
      }
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return client;
}

const audit = (
  orgCode: string,
  action: AuditEntry['action'],
  actor: string,
  subject: string,
): AuditEntry => ({
  entryId: newId(),
  orgCode,
  at: NOW,
  action,
  actor,
  subject,
});

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table?.dispose();
});

describe('administrator index', () => {
  it('reads 3 items for the approvers of an organisation with 1,000 members and 3 administrators', async () => {
    const orgCode = `0${String(Date.now()).slice(-9)}`;
    const organisations = createDynamoOrganisationsRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    });
    const [first, second, third, ...members] = Array.from({ length: MEMBERS }, () => newId());
    if (!first || !second || !third) throw new Error('ids');

    // Prepare: a claim, two appointments, and 997 plain members.
    const claimed = await organisations.claim(
      {
        orgCode,
        name: 'Indexed NV',
        country: 'BE',
        kind: 'belgian',
        enterpriseNumber: orgCode,
        createdAt: NOW,
      },
      {
        personId: first,
        orgCode,
        orgName: 'Indexed NV',
        legalRepresentative: true,
        previous: undefined,
        now: NOW,
      },
      audit(orgCode, 'organisation-claimed', first, first),
    );
    expect(claimed).toBe('done');
    for (const personId of [second, third]) {
      const appointed = await organisations.appointAdministrator(
        {
          personId,
          orgCode,
          orgName: 'Indexed NV',
          legalRepresentative: false,
          previous: undefined,
          now: NOW,
        },
        first,
        audit(orgCode, 'administrator-appointed', first, personId),
      );
      expect(appointed).toBe('done');
    }
    for (let start = 0; start < members.length; start += 25) {
      await table.documentClient.send(
        new BatchWriteCommand({
          RequestItems: {
            [table.tableName]: members.slice(start, start + 25).map((personId) => ({
              PutRequest: {
                Item: {
                  ...keys.membership(personId, orgCode),
                  type: 'membership',
                  personId,
                  orgCode,
                  name: 'Indexed NV',
                  localAdministrator: false,
                  legalRepresentative: false,
                  createdAt: NOW,
                },
              },
            })),
          },
        }),
      );
    }
    const rights = createDynamoRightsRepository({
      tableName: table.tableName,
      documentClient: countingClient(),
    });

    // Act
    queried.length = 0;
    const approvers = await rights.listAdministrators(orgCode);

    // Assess
    expect(approvers.sort()).toEqual([first, second, third].sort());
    expect(queried).toEqual([{ index: 'GSI2', scanned: 3 }]);
    const memberItems = (await table.snapshot()).filter((item) => item.GSI1PK === `ORG#${orgCode}`);
    expect(memberItems).toHaveLength(MEMBERS);
    expect(memberItems.filter((item) => item.GSI2PK !== undefined)).toHaveLength(3);
  });

  it('removes the index entry in the transaction that removes the administrator', async () => {
    const orgCode = `0${String(Date.now() + 1).slice(-9)}`;
    const organisations = createDynamoOrganisationsRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    });
    const rights = createDynamoRightsRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    });
    const [first, second] = [newId(), newId()];
    await organisations.claim(
      {
        orgCode,
        name: 'Removal NV',
        country: 'BE',
        kind: 'belgian',
        enterpriseNumber: orgCode,
        createdAt: NOW,
      },
      {
        personId: first,
        orgCode,
        orgName: 'Removal NV',
        legalRepresentative: true,
        previous: undefined,
        now: NOW,
      },
      audit(orgCode, 'organisation-claimed', first, first),
    );
    await organisations.appointAdministrator(
      {
        personId: second,
        orgCode,
        orgName: 'Removal NV',
        legalRepresentative: false,
        previous: undefined,
        now: NOW,
      },
      first,
      audit(orgCode, 'administrator-appointed', first, second),
    );

    const removed = await organisations.removeAdministrator(
      orgCode,
      second,
      first,
      audit(orgCode, 'administrator-removed', first, second),
    );

    expect(removed).toBe('done');
    expect(await rights.listAdministrators(orgCode)).toEqual([first]);
    const membership = (await table.snapshot()).find(
      (item) =>
        item.PK === keys.membership(second, orgCode).PK && item.SK === keys.membership(second, orgCode).SK,
    );
    expect(membership).toMatchObject({ localAdministrator: false });
    expect(membership).not.toHaveProperty('GSI2PK');
    expect(membership).not.toHaveProperty('GSI2SK');
    expect(organisationKeys.administratorsPartition(orgCode)).toBe(`ORG_ADMINS#${orgCode}`);
  });
});
