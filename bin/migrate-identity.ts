/**
 * Operator command, one-off and idempotent: gives items written before issue 12 their evidence
 * (design item 10, docs/data-model.md "Identity integrity").
 *
 *   npm run migrate:identity -- --table <table name> [--dry-run]
 *
 * - INSZ links without `evidence`: `itsme-eid` when the holder has an itsme identity link,
 *   `bis-issued` when a BIS registration of the holder issued the number (register entry `kind: 'BIS'`
 *   whose `registrationId` names a registration of the holder), `registration-office` when the holder
 *   has a native account (made by an officer for that number), else `register-match`; `linkedAt` =
 *   `createdAt`, `loa`.
 * - Profiles: `inszEvidence` / `inszLinkedAt` mirroring their INSZ link; GSI2 `BORN#<birthDate>`
 *   (not on profiles joined into another person: they are nobody any more).
 * - Identity links without `evidence`: `registration-office` (native), `connected` (moved by an old
 *   join: `updatedAt` set), `first-login` (created with the profile, or the person's earliest link),
 *   `itsme-eid` (an itsme link added later), else `connected`; `linkedAt` = `createdAt`, `loa`. eIDAS
 *   links of persons with that single identity get `asserted` from the profile (the first login wrote
 *   the profile from that assertion).
 * - Person-register entries: GSI2 `BORN#<birthDate>`.
 *
 * This is the one operator tool allowed to Scan: "every item of a kind" has no key to Query by. The
 * Scan is paginated and read once; every write is an UpdateItem whose condition is that the value is
 * still missing, so a second run (or a run racing live traffic that already wrote evidence) changes
 * nothing. `--dry-run` reads, prints the counts and writes nothing. The report holds counts only,
 * never a national number. Against DynamoDB Local set `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import '#local/node-support';
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { identityKeys, keys, type TableKey } from '#shared/keys';
import type { IdentityEvidence, InszEvidence } from '#shared/person-activity';
import {
  applyPlannedChanges,
  type PlannedChange,
  plannedMigrationCommand,
  scanWholeTable,
} from './migration-support.ts';

export type { PlannedChange };

/** What a run found and did. */
export interface MigrationReport {
  scanned: number;
  /** Changes per rule (planned in a dry run, applied otherwise). */
  changes: Record<string, number>;
  /** Planned writes skipped because the value appeared meanwhile (condition failed). */
  skipped: number;
  dryRun: boolean;
}

type Item = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const LOA_BY_PROVIDER: Record<string, 'substantial' | 'high'> = { itsme: 'high', native: 'substantial' };
/** eIDAS gateways send substantial or high; what an old link was made with is unknown: the lower bound. */
const DEFAULT_LOA = 'substantial';

const INSZ_LOA: Record<InszEvidence, 'substantial' | 'high'> = {
  'itsme-eid': 'high',
  'eudi-pid': 'high',
  'bis-issued': 'substantial',
  'registration-office': 'substantial',
  'register-match': 'substantial',
};

/** Works out every change from the items of one Scan. Pure: tests and the dry run share it. */
export function planMigration(items: readonly Item[]): PlannedChange[] {
  const profiles = new Map<string, Item>();
  const linksByPerson = new Map<string, Item[]>();
  const nativeAccounts = new Set<string>();
  const registrationsOwner = new Map<string, string>();
  const registerEntries = new Map<string, Item>();
  const inszLinks: Item[] = [];
  const is = (item: Item, pk: string, sk: string) => String(item.PK).startsWith(pk) && item.SK === sk;
  for (const item of items) {
    if (is(item, 'PERSON#', 'PROFILE')) profiles.set(String(item.personId), item);
    else if (is(item, 'IDENTITY#', 'IDENTITY') && str(item.personId)) {
      const list = linksByPerson.get(String(item.personId)) ?? [];
      list.push(item);
      linksByPerson.set(String(item.personId), list);
    } else if (is(item, 'NATIVE_ACCOUNT#', 'ACCOUNT')) nativeAccounts.add(String(item.personId));
    else if (is(item, 'BIS#', 'REGISTRATION'))
      registrationsOwner.set(String(item.registrationId), String(item.personId));
    else if (is(item, 'REGISTER#PERSON#', 'REGISTER')) registerEntries.set(String(item.PK).slice(16), item);
    else if (is(item, 'INSZ#', 'INSZ')) inszLinks.push(item);
  }

  const changes: PlannedChange[] = [];
  const key = (item: Item): TableKey => ({ PK: String(item.PK), SK: String(item.SK) });
  const inszEvidenceOf = new Map<string, { evidence: string; linkedAt: string }>();

  for (const link of inszLinks) {
    const insz = String(link.PK).slice(5);
    const holder = String(link.personId);
    let evidence = str(link.evidence) as InszEvidence | undefined;
    const linkedAt = str(link.linkedAt) ?? str(link.createdAt) ?? str(profiles.get(holder)?.createdAt) ?? '';
    if (!evidence) {
      const entry = registerEntries.get(insz);
      const holderLinks = linksByPerson.get(holder) ?? [];
      if (holderLinks.some((identity) => identity.provider === 'itsme')) evidence = 'itsme-eid';
      else if (entry?.kind === 'BIS' && registrationsOwner.get(String(entry.registrationId)) === holder) {
        evidence = 'bis-issued';
      } else if (nativeAccounts.has(holder)) evidence = 'registration-office';
      else evidence = 'register-match';
      changes.push({
        rule: `insz-link:${evidence}`,
        key: key(link),
        set: { evidence, linkedAt, loa: INSZ_LOA[evidence] },
        unlessExists: 'evidence',
      });
    }
    inszEvidenceOf.set(`${holder}#${insz}`, { evidence, linkedAt });
  }

  for (const [personId, profile] of profiles) {
    const insz = str(profile.insz);
    const mirrored = insz ? inszEvidenceOf.get(`${personId}#${insz}`) : undefined;
    if (mirrored && !str(profile.inszEvidence)) {
      changes.push({
        rule: 'profile:inszEvidence',
        key: key(profile),
        set: { inszEvidence: mirrored.evidence, inszLinkedAt: mirrored.linkedAt },
        unlessExists: 'inszEvidence',
      });
    }
    const birthDate = str(profile.birthDate);
    if (birthDate && !str(profile.GSI2PK) && !str(profile.mergedInto)) {
      changes.push({
        rule: 'profile:bornOn',
        key: key(profile),
        set: identityKeys.bornOn(birthDate, 'PERSON', personId),
        unlessExists: 'GSI2PK',
      });
    }
  }

  for (const [personId, links] of linksByPerson) {
    const profile = profiles.get(personId);
    const earliest = [...links].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)))[0];
    const createdWithProfile =
      links.find((link) => profile && link.createdAt === profile.createdAt) ?? earliest;
    for (const link of links) {
      const provider = String(link.provider ?? String(link.PK).split('#')[1]);
      if (!str(link.evidence)) {
        let evidence: IdentityEvidence;
        if (provider === 'native') evidence = 'registration-office';
        else if (str(link.updatedAt) && link.updatedAt !== link.createdAt) evidence = 'connected';
        else if (link === createdWithProfile) evidence = 'first-login';
        else if (provider === 'itsme') evidence = 'itsme-eid';
        else evidence = 'connected';
        changes.push({
          rule: `identity-link:${evidence}`,
          key: key(link),
          set: {
            evidence,
            linkedAt: str(link.linkedAt) ?? str(link.createdAt) ?? '',
            loa: str(link.loa) ?? LOA_BY_PROVIDER[provider] ?? DEFAULT_LOA,
          },
          unlessExists: 'evidence',
        });
      }
      if (
        provider === 'eidas' &&
        links.length === 1 &&
        !link.asserted &&
        profile &&
        !str(profile.mergedInto) &&
        str(profile.givenNames) &&
        str(profile.familyName) &&
        str(profile.birthDate)
      ) {
        changes.push({
          rule: 'identity-link:asserted',
          key: key(link),
          set: {
            asserted: {
              givenNames: profile.givenNames,
              familyName: profile.familyName,
              birthDate: profile.birthDate,
            },
          },
          unlessExists: 'asserted',
        });
      }
    }
  }

  for (const [insz, entry] of registerEntries) {
    const birthDate = str(entry.birthDate);
    if (birthDate && !str(entry.GSI2PK)) {
      changes.push({
        rule: 'register:bornOn',
        key: keys.registeredPerson(insz),
        set: identityKeys.bornOn(birthDate, 'REGISTER', insz),
        unlessExists: 'GSI2PK',
      });
    }
  }
  return changes;
}

/** Scans the table (paginated), plans, and (unless `dryRun`) applies each change conditionally. */
export async function migrateIdentity(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: { dryRun: boolean },
): Promise<MigrationReport> {
  const items = await scanWholeTable(documentClient, tableName);
  const applied = await applyPlannedChanges(documentClient, tableName, planMigration(items), options.dryRun);
  return { scanned: items.length, ...applied, dryRun: options.dryRun };
}

/** The command line: returns the exit code. `TABLE_NAME` stands in for `--table`. */
export const main = plannedMigrationCommand('migrate:identity', migrateIdentity, {
  skippedBecause: 'written meanwhile',
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
