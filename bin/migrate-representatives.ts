/**
 * Operator command, one-off and idempotent (issue 14): puts the memberships of Belgian companies
 * claimed before the register-representatives index existed into it (docs/data-model.md O19): each
 * membership that is a legal representative of a Belgian organisation and not yet `registerDerived`
 * gets `registerDerived = true` and the sparse GSI2 keys of `organisationKeys.registerRepresentative`,
 * so the daily representative check covers it.
 *
 *   npm run migrate:representatives -- --table <table name> [--dry-run] [--resume <token>] [--page-size <n>]
 *
 * **Why a Scan, once.** The data model never scans, and this command is the single, documented
 * exception: nothing in the table enumerates organisations or memberships by key. Organisation
 * profiles (`ORG#<code>`), company register entries (`REGISTER#COMPANY#<number>`) and membership
 * partitions (`PERSON#<id>`, GSI1 `ORG#<code>`) are each reached only from a code or a person id
 * already known, and before this change no index held the claimed memberships — that is what the
 * backfill creates. So it reads the table once, page by page (`Limit` = `--page-size`, default 200,
 * a filter on membership items), never in parallel, and prints a resume token after each page: a
 * run that stops (throttling, a closed terminal) continues with `--resume <token>` where it stopped.
 * Restarting from the beginning is also safe, only slower.
 *
 * Each membership is updated by one UpdateItem conditioned on what makes it a candidate
 * (`legalRepresentative = true AND attribute_not_exists(registerDerived)`), so a second run, or a
 * membership that a lapse or a new claim changed meanwhile, changes nothing. `--dry-run` reads and
 * counts only. The report holds counts only (no person ids, no national numbers). Against DynamoDB
 * Local set `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MEMBERSHIP_SK_PREFIX, organisationKeys } from '#shared/keys';
import { updateUnlessChanged } from './migration-support.ts';
import {
  migrateScannedItems,
  type PagedMigrationReport,
  type PagedRunOptions,
  pagedMigrationCommand,
} from './resumable-scan.ts';

/** What a run found and did. */
export interface RepresentativesMigrationReport extends PagedMigrationReport {
  /** Legal-representative memberships of Belgian organisations not yet in the index. */
  found: number;
  /** Indexed (planned, in a dry run). */
  marked: number;
  /** Changed meanwhile (condition failed): left as they are. */
  skipped: number;
}

/** Belgian organisation codes: the enterprise number (only those are in the company register). */
const BELGIAN_ORG_CODE = /^[01]\d{9}$/;

/** Indexes the register-derived memberships of the table (unless `dryRun`), from `resume` on. */
export async function migrateRepresentatives(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: PagedRunOptions,
): Promise<RepresentativesMigrationReport> {
  const counts = { found: 0, marked: 0, skipped: 0 };
  return migrateScannedItems(
    documentClient,
    {
      TableName: tableName,
      FilterExpression:
        'begins_with(SK, :membership) AND legalRepresentative = :true AND attribute_not_exists(registerDerived)',
      ProjectionExpression: 'PK, SK, personId, orgCode',
      ExpressionAttributeValues: { ':membership': MEMBERSHIP_SK_PREFIX, ':true': true },
    },
    options,
    counts,
    async (item) => {
      const orgCode = String(item.orgCode ?? '');
      const personId = String(item.personId ?? '');
      if (!BELGIAN_ORG_CODE.test(orgCode) || personId === '') return;
      counts.found += 1;
      const index = organisationKeys.registerRepresentative(orgCode, personId);
      const marked = await updateUnlessChanged(
        documentClient,
        {
          TableName: tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET registerDerived = :true, GSI2PK = :pk, GSI2SK = :sk',
          ConditionExpression:
            'legalRepresentative = :true AND attribute_not_exists(registerDerived) AND orgCode = :orgCode',
          ExpressionAttributeValues: {
            ':true': true,
            ':pk': index.GSI2PK,
            ':sk': index.GSI2SK,
            ':orgCode': orgCode,
          },
        },
        options.dryRun,
      );
      if (marked) counts.marked += 1;
      else counts.skipped += 1;
    },
  );
}

/** The command line: parses, runs, prints the report; exit code 2 on bad arguments. */
export const main = pagedMigrationCommand(
  'migrate:representatives',
  migrateRepresentatives,
  (report, dryRun) =>
    `${report.found} legal-representative memberships of Belgian organisations outside the index, ` +
    `${report.marked} ${dryRun ? 'to index' : 'indexed'}, ${report.skipped} changed meanwhile.`,
);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
