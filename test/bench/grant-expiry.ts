/**
 * Child process of the bench: the daily grant expiry of one date with `BENCH_EXPIRY_GRANTS` grants
 * (default 20,000) through the synthesized state machine on the local runner, against its own
 * DynamoDB Local. Writes `{ grants, seedMs, runMs, counts, tally, mails, … }` to the result file: the
 * time of the run and the proof that nothing was lost (one audit entry, one notice and no grant left
 * per grant; a second run changes nothing). Figures only; nothing here is asserted on time.
 */
import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, localClientConfig, startDynamoDbLocal } from '#local/dynamodb-local';
import { EXPIRY_SHARDS } from '#shared/keys';
import { createDocumentClient } from '#shared/table';
import { createExpiryRunner, seedExpiringGrants, tallyExpiry } from '#test/helpers/grant-expiry';
import { GRANT_PAGE_SIZE, WORKER_PARALLELISM } from '../../lambdas/rights/grant-expiry.ts';

/** What the bench reports. */
export interface GrantExpiryBenchResult {
  grants: number;
  shards: number;
  pageSize: number;
  parallelPerCall: number;
  seedMs: number;
  runMs: number;
  secondRunMs: number;
  counts: unknown;
  secondCounts: unknown;
  tally: { auditEntries: number; grantsLeft: number; pendingNotices: number };
  mails: number;
  distinctRecipients: number;
  mailsAfterSecondRun: number;
  dynamoRequestsPerGrant: number;
  status: string;
}

const resultPath = process.argv[2];
if (!resultPath) throw new Error('usage: grant-expiry.ts <result.json>');
const grants = Number(process.env.BENCH_EXPIRY_GRANTS ?? 20_000);
const local = await startDynamoDbLocal();
try {
  const client = new DynamoDBClient(localClientConfig(local.endpoint));
  let requests = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      requests += 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  const table = { tableName: 'bench-grant-expiry', documentClient: createDocumentClient(client) };
  await createTable(client, table.tableName);
  const date = '2031-03-10';
  let started = performance.now();
  const seeded = await seedExpiringGrants(table, { count: grants, validUntil: `${date}T00:00:00.000Z` });
  const seedMs = performance.now() - started;
  const runner = createExpiryRunner(table);
  requests = 0;
  started = performance.now();
  const first = await runner.run(`${date}T03:00:00Z`, 3_600_000);
  const runMs = performance.now() - started;
  const runRequests = requests;
  const mails = runner.outbox.list().filter((mail) => mail.template === 'grant-expired');
  started = performance.now();
  const second = await runner.run(`${date}T03:00:00Z`, 3_600_000);
  const secondRunMs = performance.now() - started;
  const result: GrantExpiryBenchResult = {
    grants,
    shards: EXPIRY_SHARDS,
    pageSize: GRANT_PAGE_SIZE,
    parallelPerCall: WORKER_PARALLELISM,
    seedMs,
    runMs,
    secondRunMs,
    counts: first.output,
    secondCounts: second.output,
    tally: await tallyExpiry(table, seeded.orgCodes, date),
    mails: mails.length,
    distinctRecipients: new Set(mails.map((mail) => mail.to)).size,
    mailsAfterSecondRun: runner.outbox.list().length,
    dynamoRequestsPerGrant: runRequests / grants,
    status: `${first.status}/${second.status}`,
  };
  await runner.close();
  client.destroy();
  writeFileSync(resultPath, JSON.stringify(result));
} finally {
  await local.stop();
}
