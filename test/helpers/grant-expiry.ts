/**
 * Seeds many grants on one expiry date and runs the daily grant expiry through the synthesized state
 * machine on the local runner: what the DynamoDB Local tests and `npm run bench` share.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ExecutionDescription,
  LocalWorkflowRunner,
  loadStateMachineDefinition,
} from '#local/step-functions';
import { EXPIRY_SHARD_IDS, keys, organisationKeys, rightsKeys } from '#shared/keys';
import { Outbox, OutboxMailer } from '#shared/mailer';
import { type ExpiryCounts, runGrantExpiryTask, UNSHARDED } from '../../lambdas/rights/grant-expiry.ts';
import { createDynamoGrantExpiryStore } from '../../lambdas/rights/grant-expiry-store.ts';
import { synthRightsFixture } from '../integration/rights/rights-stack.ts';

/** A table to seed and sweep. */
export interface ExpiryTable {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** What {@link seedExpiringGrants} wrote. */
export interface SeededGrants {
  orgCodes: string[];
  grantIds: string[];
  personIds: string[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** BatchWriteItem in chunks of 25, retrying unprocessed items, `parallel` batches in flight. */
export async function batchPut(
  table: ExpiryTable,
  items: readonly Record<string, unknown>[],
  parallel = 8,
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next] as Record<string, unknown>[];
      next += 1;
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        const out = await table.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }),
        );
        pending = (out.UnprocessedItems?.[table.tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
}

/**
 * `count` grants of `count` persons (each with a profile and an e-mail) in `organisations`
 * organisations, all valid until `validUntil`, keyed as the rights repository writes them (sharded),
 * or with the unsharded expiry key of items written before issue 20 when `unsharded`.
 */
export async function seedExpiringGrants(
  table: ExpiryTable,
  options: { count: number; validUntil: string; organisations?: number; unsharded?: boolean },
): Promise<SeededGrants> {
  const run = randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase();
  const orgCodes = Array.from({ length: options.organisations ?? 10 }, (_, i) => `T${run}${pad(i, 3)}`);
  const items: Record<string, unknown>[] = orgCodes.map((orgCode, i) => ({
    ...organisationKeys.organisation(orgCode),
    type: 'organisation',
    orgCode,
    name: `Bulk import ${i}`,
  }));
  const grantIds: string[] = [];
  const personIds: string[] = [];
  const date = options.validUntil.slice(0, 10);
  for (let i = 0; i < options.count; i++) {
    const personId = `P${run}${pad(i, 6)}`;
    const grantId = `01G${run}${pad(i, 13)}`;
    const orgCode = orgCodes[i % orgCodes.length] as string;
    personIds.push(personId);
    grantIds.push(grantId);
    items.push({
      ...keys.person(personId),
      type: 'person',
      personId,
      givenNames: 'Bulk',
      familyName: `Person ${i}`,
      email: `p${i}.${run.toLowerCase()}@example.be`,
      locale: ['nl', 'fr', 'de', 'en'][i % 4],
    });
    items.push({
      ...keys.grant(personId, orgCode, 'KLIP', 'raadpleger'),
      ...rightsKeys.organisationGrant(orgCode, grantId),
      ...(options.unsharded
        ? rightsKeys.grantExpiry(date, orgCode, grantId)
        : rightsKeys.grantExpiryShard(date, orgCode, grantId)),
      type: 'grant',
      grantId,
      personId,
      orgCode,
      application: 'KLIP',
      role: 'raadpleger',
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: options.validUntil,
      grantedBy: 'bulk-import',
      requestId: `R${grantId}`,
      expiresAt: Math.floor(Date.parse(options.validUntil) / 1000) + 7 * 86_400,
    });
  }
  await batchPut(table, items);
  return { orgCodes, grantIds, personIds };
}

/** Items of one query, all pages, counted (Select COUNT). */
async function countQuery(
  table: ExpiryTable,
  input: { IndexName?: string; KeyConditionExpression: string; values: Record<string, unknown> },
): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        ...(input.IndexName ? { IndexName: input.IndexName } : {}),
        KeyConditionExpression: input.KeyConditionExpression,
        ExpressionAttributeValues: input.values,
        Select: 'COUNT',
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** What the table holds after a run, counted by keys (no Scan). */
export interface ExpiryTally {
  /** `grant-expired` audit entries in the organisations. */
  auditEntries: number;
  /** Grants still in the expiry index on the date (sharded and unsharded partitions). */
  grantsLeft: number;
  /** Grant notices still waiting to be sent. */
  pendingNotices: number;
}

/** Counts audit entries, grants left on `date` and pending notices. */
export async function tallyExpiry(
  table: ExpiryTable,
  orgCodes: readonly string[],
  date: string,
): Promise<ExpiryTally> {
  let auditEntries = 0;
  for (const orgCode of orgCodes) auditEntries += await countAuditWithNames(table, orgCode);
  let grantsLeft = 0;
  for (const shard of [...EXPIRY_SHARD_IDS, UNSHARDED]) {
    grantsLeft += await countQuery(table, {
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      values: {
        ':pk':
          shard === UNSHARDED
            ? rightsKeys.grantExpiryPartition(date)
            : rightsKeys.grantExpiryShardPartition(date, shard),
      },
    });
  }
  let pendingNotices = 0;
  for (const shard of EXPIRY_SHARD_IDS) {
    pendingNotices += await countQuery(table, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      values: { ':pk': rightsKeys.pendingGrantNoticesPartition(shard) },
    });
  }
  return { auditEntries, grantsLeft, pendingNotices };
}

async function countAuditWithNames(table: ExpiryTable, orgCode: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: '#action = :expired',
        ExpressionAttributeNames: { '#action': 'action' },
        ExpressionAttributeValues: {
          ':pk': organisationKeys.auditPartition(orgCode),
          ':expired': 'grant-expired',
        },
        Select: 'COUNT',
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** The synthesized grant-expiry state machine on a local runner, with the real calls and an outbox. */
export interface ExpiryRunner {
  outbox: Outbox;
  /** Starts one execution at `at` and waits for its end. */
  run(at: string, timeoutMs?: number): Promise<ExecutionDescription & { output?: ExpiryCounts }>;
  close(): Promise<void>;
}

/** Builds an {@link ExpiryRunner} over `table` from the Rights construct's synthesized definition. */
export function createExpiryRunner(table: ExpiryTable): ExpiryRunner {
  const fixture = synthRightsFixture();
  const definition = loadStateMachineDefinition(fixture.json, (id) => id.startsWith('RightsGrantExpiryRun'));
  const outbox = new Outbox();
  const deps = {
    store: createDynamoGrantExpiryStore(table),
    mailer: new OutboxMailer(outbox),
    now: () => new Date(),
  };
  const runner = new LocalWorkflowRunner({
    definition,
    handlers: { [fixture.grantExpiryLogicalId]: (payload: unknown) => runGrantExpiryTask(deps, payload) },
    stateMachineName: 'GrantExpiry',
  });
  return {
    outbox,
    async run(at, timeoutMs = 600_000) {
      const name = `expiry-${randomUUID()}`;
      await runner.start(name, { at });
      return (await runner.waitForCompletion(name, timeoutMs)) as ExecutionDescription & {
        output?: ExpiryCounts;
      };
    },
    close: () => runner.close(),
  };
}
