/**
 * Operator command, one-off and idempotent (issue 20, "approvers in O(administrators)"): gives every
 * membership written before administrators had their own GSI1 prefix the sort key
 * `keys.memberSortKey` now writes — `MEMBER#A#<personId>` for a local administrator,
 * `MEMBER#M#<personId>` for any other member (docs/data-model.md O7) — so the approvers' Query
 * (`begins_with(GSI1SK, MEMBER#A#)`) finds them. Until it ran, an administrator of before the change
 * is still a member everywhere and still authorised (authorisations read the membership item), but
 * not notified of new requests.
 *
 *   npm run migrate:administrators -- --table <table name> [--dry-run] [--resume <token>] [--page-size <n>]
 *
 * Like bin/migrate-representatives.ts this is a documented Scan exception: nothing enumerates all
 * memberships by key. It reads page by page (`Limit` = `--page-size`, default 200, filtered to
 * membership items whose sort key is not yet one of the two), never in parallel, and prints a resume
 * token after each page. Each membership is updated by one UpdateItem conditioned on the
 * `localAdministrator` flag and the old sort key it was read with, so a second run, or a membership
 * an appointment changed meanwhile (that write sets the new key itself), changes nothing.
 * `--dry-run` reads and counts only. The report holds counts only. Against DynamoDB Local set
 * `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ADMINISTRATOR_SORT_PREFIX, MEMBERSHIP_SK_PREFIX, memberSortKey } from '#shared/keys';
import { updateUnlessChanged } from './migration-support.ts';
import {
  migrateScannedItems,
  type PagedMigrationReport,
  type PagedRunOptions,
  pagedMigrationCommand,
} from './resumable-scan.ts';

/** What a run found and did. */
export interface AdministratorsMigrationReport extends PagedMigrationReport {
  /** Memberships whose GSI1 sort key is of the old layout. */
  found: number;
  /** Of those, local administrators. */
  administrators: number;
  /** Rewritten (planned, in a dry run). */
  moved: number;
  /** Changed meanwhile (condition failed): left as they are. */
  skipped: number;
}

/** Moves the memberships of the old layout (unless `dryRun`), from `resume` on. */
export async function migrateAdministrators(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: PagedRunOptions,
): Promise<AdministratorsMigrationReport> {
  const counts = { found: 0, administrators: 0, moved: 0, skipped: 0 };
  return migrateScannedItems(
    documentClient,
    {
      TableName: tableName,
      FilterExpression:
        'begins_with(SK, :membership) AND begins_with(GSI1SK, :member) AND ' +
        'NOT begins_with(GSI1SK, :administrator) AND NOT begins_with(GSI1SK, :other)',
      ProjectionExpression: 'PK, SK, GSI1SK, personId, localAdministrator',
      ExpressionAttributeValues: {
        ':membership': MEMBERSHIP_SK_PREFIX,
        ':member': 'MEMBER#',
        ':administrator': ADMINISTRATOR_SORT_PREFIX,
        ':other': 'MEMBER#M#',
      },
    },
    options,
    counts,
    async (item) => {
      const personId = typeof item.personId === 'string' ? item.personId : '';
      if (personId === '') return;
      const administrator = item.localAdministrator === true;
      counts.found += 1;
      if (administrator) counts.administrators += 1;
      const moved = await updateUnlessChanged(
        documentClient,
        {
          TableName: tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET GSI1SK = :sk',
          ConditionExpression: 'GSI1SK = :old AND localAdministrator = :administrator',
          ExpressionAttributeValues: {
            ':sk': memberSortKey(personId, administrator),
            ':old': item.GSI1SK,
            ':administrator': administrator,
          },
        },
        options.dryRun,
      );
      if (moved) counts.moved += 1;
      else counts.skipped += 1;
    },
  );
}

/** The command line: parses, runs, prints the report; exit code 2 on bad arguments. */
export const main = pagedMigrationCommand(
  'migrate:administrators',
  migrateAdministrators,
  (report, dryRun) =>
    `${report.found} memberships of the old index layout (${report.administrators} local administrators), ` +
    `${report.moved} ${dryRun ? 'to move' : 'moved'}, ${report.skipped} changed meanwhile.`,
);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
