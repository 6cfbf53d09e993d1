/**
 * Operator dry run (issue 19): checks existing organisation codes against the identifier policy.
 * Before it, `normaliseRegistryNumber` dropped every letter or digit outside A-Z/0-9, so a code may
 * have been derived from a number with Cyrillic or Greek look-alikes or non-ASCII digits. Nothing is
 * written; the report names the organisation codes to look at and why.
 *
 *   npm run orgs:check-codes -- --file organisations.json
 *
 * The file is a JSON array of organisation profile items (`{ orgCode, country, registrationNumber,
 * kind, name }`) or a DynamoDB export (JSON lines with `Item` in DynamoDB JSON): the table is never
 * scanned, in keeping with the data model's rule.
 */
import '#local/node-support';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  foreignOrgCode,
  ORG_CODE_PATTERN,
  parseRegistryNumber,
} from '../lambdas/organisations/organisation.ts';

/** One organisation as the check needs it. */
export interface OrganisationRecord {
  orgCode: string;
  kind?: string;
  country?: string;
  registrationNumber?: string;
}

/** The verdict on one organisation code. */
export type CodeCheck =
  | { orgCode: string; outcome: 'ok' }
  /** The registration number holds a character the policy refuses: the code dropped it. */
  | { orgCode: string; outcome: 'refused-characters'; reason: string }
  /** The code is not what the number gives today (a dropped character, or an old rule). */
  | { orgCode: string; outcome: 'code-differs'; expected: string }
  /** Two or more organisations whose numbers now give the same code. */
  | { orgCode: string; outcome: 'collision'; with: string[] }
  | { orgCode: string; outcome: 'malformed-code' };

/** Checks every foreign organisation; Belgian ones only for the shape of their code. */
export function checkOrganisationCodes(records: readonly OrganisationRecord[]): CodeCheck[] {
  const checks: CodeCheck[] = [];
  const byExpected = new Map<string, string[]>();
  for (const record of records) {
    if (!ORG_CODE_PATTERN.test(record.orgCode)) {
      checks.push({ orgCode: record.orgCode, outcome: 'malformed-code' });
      continue;
    }
    if (!record.orgCode.startsWith('FOREIGN-') || !record.registrationNumber || !record.country) {
      checks.push({ orgCode: record.orgCode, outcome: 'ok' });
      continue;
    }
    const parsed = parseRegistryNumber(record.registrationNumber);
    if (typeof parsed !== 'string') {
      checks.push({ orgCode: record.orgCode, outcome: 'refused-characters', reason: parsed.message });
      continue;
    }
    const expected = foreignOrgCode(record.country, record.registrationNumber);
    byExpected.set(expected, [...(byExpected.get(expected) ?? []), record.orgCode]);
    checks.push(
      expected === record.orgCode
        ? { orgCode: record.orgCode, outcome: 'ok' }
        : { orgCode: record.orgCode, outcome: 'code-differs', expected },
    );
  }
  for (const codes of byExpected.values()) {
    if (codes.length < 2) continue;
    for (const orgCode of codes) {
      checks.push({ orgCode, outcome: 'collision', with: codes.filter((code) => code !== orgCode) });
    }
  }
  return checks;
}

/** Reads a JSON array or DynamoDB export lines into records. */
export function parseOrganisationFile(text: string): OrganisationRecord[] {
  const trimmed = text.trim();
  const items: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const parsed = JSON.parse(line) as { Item?: Record<string, never> };
          return parsed.Item ? unmarshall(parsed.Item) : parsed;
        });
  return items.filter(
    (item): item is OrganisationRecord =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { orgCode?: unknown }).orgCode === 'string',
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string' } } });
  if (!values.file) {
    console.error('usage: npm run orgs:check-codes -- --file <organisations.json | export.jsonl>');
    process.exitCode = 2;
    return;
  }
  const checks = checkOrganisationCodes(parseOrganisationFile(await readFile(values.file, 'utf8')));
  const problems = checks.filter((check) => check.outcome !== 'ok');
  console.log(JSON.stringify({ checked: checks.length, problems }, null, 2));
  if (problems.length > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
