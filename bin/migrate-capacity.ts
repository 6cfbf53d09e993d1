/**
 * Operator command, one-off and idempotent: brings items written before capacities (issue 20) to the
 * layout the login now reads (docs/data-model.md "Capacity").
 *
 *   npm run migrate:capacity -- --table <table name> [--dry-run]
 *
 * - Identity links without a capacity hint (`capacity` absent): the capacity the person's next login
 *   would default to — the profile's stored choice while the person is still a member of it, else
 *   the only organisation when there is exactly one, else `null` (private). Without the hint a first
 *   login after the deployment needs one more round trip (it then writes the hint itself).
 * - Grants: the key layout did not change (`GRANT#<orgCode>#<application>#<role>` already puts a
 *   person's grants of one organisation under `GRANT#<orgCode>#`); the run checks it and reports any
 *   grant whose sort key does not match, without writing (an operator looks at those by hand).
 *
 * Like bin/migrate-identity.ts this is the one kind of tool allowed to Scan. Every write is an
 * UpdateItem whose condition is that the value is still missing, so a second run, or a run racing live traffic, changes nothing.
 * `--dry-run` reads, prints the counts and writes nothing. The report holds counts only. Against
 * DynamoDB Local set `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Capacity, defaultCapacity } from '#identity/capacity';
import { readCapacityChoice } from '#shared/items/person';
import { GRANT_SK_PREFIX, keys, MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '#shared/keys';
import {
  applyPlannedChanges,
  type PlannedChange,
  plannedMigrationCommand,
  scanWholeTable,
} from './migration-support.ts';

/** One planned write. */
export type PlannedCapacityChange = PlannedChange<'identity-link:capacity-hint'>;

/** What a run found and did. */
export interface CapacityMigrationReport {
  scanned: number;
  /** Changes per rule (planned in a dry run, applied otherwise). */
  changes: Record<string, number>;
  /** Planned writes skipped because the item changed meanwhile (condition failed). */
  skipped: number;
  /** Grants whose sort key is not `GRANT#<orgCode>#<application>#<role>` (reported, never rewritten). */
  misplacedGrants: number;
  dryRun: boolean;
}

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Works out every change from the items of one Scan. Pure: tests and the dry run share it. */
export function planCapacityMigration(items: readonly Item[]): {
  changes: PlannedCapacityChange[];
  misplacedGrants: number;
} {
  const choices = new Map<string, Capacity | undefined>();
  const memberships = new Map<string, string[]>();
  const links: Item[] = [];
  let misplacedGrants = 0;
  for (const item of items) {
    const pk = String(item.PK);
    const sk = String(item.SK);
    if (pk.startsWith('PERSON#') && sk === PROFILE_SK) {
      // A profile joined into another person is nobody any more: its links point elsewhere.
      if (!str(item.mergedInto)) choices.set(pk.slice('PERSON#'.length), readCapacityChoice(item.capacity));
    } else if (pk.startsWith('PERSON#') && sk.startsWith(MEMBERSHIP_SK_PREFIX)) {
      const personId = pk.slice('PERSON#'.length);
      const list = memberships.get(personId) ?? [];
      list.push(sk.slice(MEMBERSHIP_SK_PREFIX.length));
      memberships.set(personId, list);
    } else if (pk.startsWith('PERSON#') && sk.startsWith(GRANT_SK_PREFIX)) {
      const orgCode = str(item.orgCode);
      const application = str(item.application);
      const role = str(item.role);
      const expected =
        orgCode && application && role
          ? keys.grant(pk.slice('PERSON#'.length), orgCode, application, role).SK
          : undefined;
      if (sk !== expected) misplacedGrants++;
    } else if (
      pk.startsWith('IDENTITY#') &&
      sk === 'IDENTITY' &&
      str(item.personId) &&
      !('capacity' in item)
    ) {
      links.push(item);
    }
  }

  const changes: PlannedCapacityChange[] = [];
  for (const link of links) {
    const personId = String(link.personId);
    if (!choices.has(personId)) continue;
    // Key order, as the login reads them (`begins_with(SK, MEMBERSHIP#)`).
    const orgs = [...(memberships.get(personId) ?? [])].sort();
    const choice = choices.get(personId);
    const capacity: Capacity =
      choice === null
        ? null
        : typeof choice === 'string' && orgs.includes(choice)
          ? choice
          : defaultCapacity(orgs.slice(0, 2));
    changes.push({
      rule: 'identity-link:capacity-hint',
      key: { PK: String(link.PK), SK: String(link.SK) },
      set: { capacity },
      unlessExists: 'capacity',
    });
  }
  return { changes, misplacedGrants };
}

/** Scans the table (paginated), plans, and (unless `dryRun`) applies each change conditionally. */
export async function migrateCapacity(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: { dryRun: boolean },
): Promise<CapacityMigrationReport> {
  const items = await scanWholeTable(documentClient, tableName);
  const { changes, misplacedGrants } = planCapacityMigration(items);
  const applied = await applyPlannedChanges(documentClient, tableName, changes, options.dryRun);
  return { scanned: items.length, ...applied, misplacedGrants, dryRun: options.dryRun };
}

/** The command line: returns the exit code. `TABLE_NAME` stands in for `--table`. */
export const main = plannedMigrationCommand('migrate:capacity', migrateCapacity, {
  skippedBecause: 'changed meanwhile',
  notes: (report) =>
    report.misplacedGrants > 0
      ? [`${report.misplacedGrants} grants with an unexpected sort key (not rewritten: check them by hand).`]
      : [],
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
