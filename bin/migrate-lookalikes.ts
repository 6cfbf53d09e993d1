/**
 * Operator command, one-off and idempotent (issue 19 item 4): gives the foreign organisations that
 * were approved before look-alike markers existed their two markers (docs/data-model.md, "Look-alike
 * organisations", L2): the organisation code is added to `organisationKeys.lookalike(country, 'NAME',
 * nameSkeleton)` and `(country, 'NUMBER', registryNumberSkeleton)`, exactly as an approval writes them.
 * Until it has run, a registration that looks like an older organisation is not flagged.
 *
 *   npm run migrate:lookalikes -- --table <table name> [--dry-run] [--resume <token>] [--page-size <n>]
 *
 * **Why a Scan, once.** Like `migrate:representatives`: no key enumerates organisations, so the
 * markers of the existing ones can only be built by reading the table once, page by page
 * (`--page-size`, default 200, a filter on foreign organisation profiles), never in parallel, printing
 * a resume token after each page. Each marker is one UpdateItem `ADD orgCodes` conditioned on the code
 * not being there yet: a second run, or an organisation an approval marked meanwhile, changes nothing
 * (counted as already marked). `--dry-run` reads and counts only. The report holds counts only.
 * Against DynamoDB Local set `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { organisationKeys } from '#shared/keys';
import { lookalikeSkeletons } from '../lambdas/organisations/organisation.ts';
import { updateUnlessChanged } from './migration-support.ts';
import {
  migrateScannedItems,
  type PagedMigrationReport,
  type PagedRunOptions,
  pagedMigrationCommand,
} from './resumable-scan.ts';

/** What a run found and did. */
export interface LookalikesMigrationReport extends PagedMigrationReport {
  /** Foreign organisation profiles read. */
  organisations: number;
  /** Markers written (planned, in a dry run). */
  marked: number;
  /** Markers that named the organisation already. */
  alreadyMarked: number;
  /** Profiles whose registration number no longer parses (left alone, listed by count only). */
  unreadable: number;
}

/** Writes the look-alike markers of every foreign organisation of the table (unless `dryRun`). */
export async function migrateLookalikes(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: PagedRunOptions,
): Promise<LookalikesMigrationReport> {
  const counts = { organisations: 0, marked: 0, alreadyMarked: 0, unreadable: 0 };
  return migrateScannedItems(
    documentClient,
    {
      TableName: tableName,
      FilterExpression: 'SK = :profile AND #type = :organisation AND kind = :foreign',
      ProjectionExpression: 'PK, orgCode, country, #name, registrationNumber',
      ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
      ExpressionAttributeValues: {
        ':profile': 'PROFILE',
        ':organisation': 'organisation',
        ':foreign': 'foreign',
      },
    },
    options,
    counts,
    async (item) => {
      const orgCode = String(item.orgCode ?? '');
      const country = String(item.country ?? '');
      const name = String(item.name ?? '');
      const registrationNumber = String(item.registrationNumber ?? '');
      counts.organisations += 1;
      let skeletons: ReturnType<typeof lookalikeSkeletons>;
      try {
        skeletons = lookalikeSkeletons({ country, name, registrationNumber });
      } catch {
        counts.unreadable += 1;
        return;
      }
      const markers = [
        organisationKeys.lookalike(country, 'NAME', skeletons.name),
        organisationKeys.lookalike(country, 'NUMBER', skeletons.registrationNumber),
      ];
      for (const key of markers) {
        const marked = await updateUnlessChanged(
          documentClient,
          {
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #type = :type ADD orgCodes :codes',
            ConditionExpression: 'attribute_not_exists(orgCodes) OR NOT contains(orgCodes, :code)',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':type': 'organisationLookalike',
              ':codes': new Set([orgCode]),
              ':code': orgCode,
            },
          },
          options.dryRun,
        );
        if (marked) counts.marked += 1;
        else counts.alreadyMarked += 1;
      }
    },
  );
}

/** The command line: parses, runs, prints the report; exit code 2 on bad arguments. */
export const main = pagedMigrationCommand(
  'migrate:lookalikes',
  migrateLookalikes,
  (report, dryRun) =>
    `${report.organisations} foreign organisations, ${report.marked} markers ${dryRun ? 'to write' : 'written'}, ` +
    `${report.alreadyMarked} already marked, ${report.unreadable} with an unreadable registration number.`,
);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
