/**
 * Operator command, one-off and idempotent: moves grants written before issue 20 to the sharded expiry
 * index (docs/data-model.md, "Rights access patterns" R17) and gives them the 7-day TTL grace.
 *
 *   npm run migrate:grant-expiry -- --table <table name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--dry-run]
 *
 * No Scan: grants are found where they are, in the unsharded GSI2 partitions `GRANT_EXPIRY#<date>`,
 * one Query per date from `--from` (default: 8 days ago, the sweep's look-back) to `--to` (default:
 * 3 years and 31 days ahead, the longest validity a role allows). Each grant gets
 * `GSI2PK = GRANT_EXPIRY#<date>#<shard>` and `expiresAt = validUntil + 7 days` in one UpdateItem whose
 * condition is that it still carries the unsharded key and the same grant id: a second run (or a grant
 * revoked or replaced meanwhile) changes nothing. Until it has run the daily sweep still reads the
 * unsharded partitions, so nothing expires unaudited in between. `--dry-run` reads and counts only.
 * The report holds counts only. Against DynamoDB Local set `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { rightsKeys } from '#shared/keys';
import { createDocumentClient } from '#shared/table';
import { GRANT_TTL_GRACE_DAYS } from '../lambdas/rights/rights-repository.ts';
import { updateUnlessChanged } from './migration-support.ts';

/** What a run found and did. */
export interface GrantExpiryMigrationReport {
  /** Dates queried. */
  dates: number;
  /** Grants found in unsharded partitions. */
  found: number;
  /** Grants moved (planned, in a dry run). */
  moved: number;
  /** Grants that changed meanwhile (condition failed): left as they are. */
  skipped: number;
  dryRun: boolean;
}

const DAY_MS = 86_400_000;

/** Every `YYYY-MM-DD` from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) {
    dates.push(new Date(time).toISOString().slice(0, 10));
  }
  return dates;
}

/** Moves the grants of the unsharded partitions of `dates` (unless `dryRun`). */
export async function migrateGrantExpiry(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  dates: readonly string[],
  options: { dryRun: boolean },
): Promise<GrantExpiryMigrationReport> {
  const report: GrantExpiryMigrationReport = {
    dates: dates.length,
    found: 0,
    moved: 0,
    skipped: 0,
    dryRun: options.dryRun,
  };
  for (const date of dates) {
    const partition = rightsKeys.grantExpiryPartition(date);
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        report.found += 1;
        const grantId = String(item.grantId);
        const sharded = rightsKeys.grantExpiryShard(date, String(item.orgCode), grantId);
        const moved = await updateUnlessChanged(
          documentClient,
          {
            TableName: tableName,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: 'SET GSI2PK = :sharded, expiresAt = :expiresAt',
            ConditionExpression: 'GSI2PK = :unsharded AND grantId = :grantId',
            ExpressionAttributeValues: {
              ':sharded': sharded.GSI2PK,
              ':unsharded': partition,
              ':grantId': grantId,
              ':expiresAt':
                Math.floor(Date.parse(String(item.validUntil)) / 1000) + GRANT_TTL_GRACE_DAYS * 86_400,
            },
          },
          options.dryRun,
        );
        if (moved) report.moved += 1;
        else report.skipped += 1;
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return report;
}

const USAGE =
  'Usage: npm run migrate:grant-expiry -- --table <table name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--dry-run]';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The command line: parses, runs, prints the report; exit code 2 on bad arguments. */
export async function main(
  argv: readonly string[],
  documentClient: DynamoDBDocumentClient = createDocumentClient(),
  now: Date = new Date(),
): Promise<number> {
  let values: { table?: string; from?: string; to?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        table: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const day = (offset: number) => new Date(now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  const from = values.from ?? day(-(GRANT_TTL_GRACE_DAYS + 1));
  const to = values.to ?? day(3 * 365 + 31);
  if (!values.table || !DATE.test(from) || !DATE.test(to) || from > to) {
    console.error(USAGE);
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  const report = await migrateGrantExpiry(documentClient, values.table, datesBetween(from, to), { dryRun });
  console.log(
    `${dryRun ? 'Dry run (nothing written)' : 'Migration'} of ${values.table}, ${from} to ${to} ` +
      `(${report.dates} dates): ${report.found} unsharded grants, ${report.moved} ${dryRun ? 'to move' : 'moved'}, ` +
      `${report.skipped} changed meanwhile.`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
