/**
 * Operator command before a load run on a deployed (non-production) stage: the companies the run's
 * test accounts claim, one per `users.csv` line with an `insz` (the test person's national number),
 * as a CSV for the company register stand-in:
 *
 *   LOAD_RUN=<label> npm run load:companies -- --users users.csv --out companies.csv
 *   npm run register:seed -- --table <table name> --file companies.csv --register companies
 *
 * Each company lists the line's person as its only legal representative, so that person's claim
 * (`POST /organisations/claims`, the "company claim" scenario of artillery/deployed-stage.yml) is
 * accepted; processor.cjs derives the same enterprise number from `insz` and `LOAD_RUN`
 * (artillery/load-companies.cjs). A new label gives new companies, so each run's claims create
 * organisations; the same label again makes the claims idempotent repeats.
 *
 * The output holds national numbers, so it goes to a file (`--out`), never to the terminal; the
 * report gives counts and row numbers only. Every line is checked before anything is written.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isValidInsz, parseInsz } from '#shared/belgian-ids';
import { parseRecords } from '../../bin/seed-registers.ts';
import { loadCompanyOf, runLabel } from './artillery/load-companies.cjs';

/** A company row for `register:seed --register companies`. */
export interface LoadCompanyRow {
  enterpriseNumber: string;
  name: string;
  legalRepresentatives: string;
}

/** What {@link loadCompanies} made of a users.csv. */
export interface LoadCompaniesResult {
  companies: LoadCompanyRow[];
  /** Lines without an `insz` (their accounts do not claim). */
  skipped: number;
  /** One sentence per refused line (row numbers as in the file, header = row 1). */
  problems: string[];
}

/**
 * The companies of `usersCsv` in run `run`: one per distinct national number; a line whose `insz` is
 * not a national number, or two numbers that land on one enterprise number, are problems (then no
 * company is returned, so nothing half is seeded).
 */
export function loadCompanies(usersCsv: string, run: string | undefined): LoadCompaniesResult {
  const label = runLabel(run);
  const companies = new Map<string, LoadCompanyRow & { row: number }>();
  const problems: string[] = [];
  let skipped = 0;
  for (const { row, record } of parseRecords(usersCsv, 'csv')) {
    const raw = String((record as Record<string, unknown>).insz ?? '').trim();
    if (raw === '') {
      skipped++;
      continue;
    }
    if (!isValidInsz(raw)) {
      problems.push(`row ${row}: insz is not a national or BIS number`);
      continue;
    }
    const insz = parseInsz(raw).value;
    const company = loadCompanyOf(insz, label);
    const earlier = companies.get(company.enterpriseNumber);
    if (earlier && earlier.legalRepresentatives !== insz) {
      problems.push(
        `rows ${earlier.row} and ${row}: two people land on enterprise number ${company.enterpriseNumber}; choose another LOAD_RUN`,
      );
      continue;
    }
    if (!earlier) companies.set(company.enterpriseNumber, { ...company, legalRepresentatives: insz, row });
  }
  if (problems.length > 0) return { companies: [], skipped, problems };
  return {
    companies: [...companies.values()].map(({ row: _row, ...company }) => company),
    skipped,
    problems,
  };
}

/** The rows as CSV with a header (`register:seed`'s company format). */
export function companiesCsv(companies: readonly LoadCompanyRow[]): string {
  const lines = companies.map((company) =>
    [company.enterpriseNumber, company.name, company.legalRepresentatives].join(','),
  );
  return `${['enterpriseNumber,name,legalRepresentatives', ...lines].join('\n')}\n`;
}

const USAGE =
  'Usage: LOAD_RUN=<label> npm run load:companies -- --users <users.csv> --out <companies.csv> [--run <label>]';

/** The command line: returns the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => console.log(line),
  read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
  write: (path: string, text: string) => Promise<void> = (path, text) =>
    writeFile(path, text, { mode: 0o600 }),
): Promise<number> {
  let values: { users?: string; out?: string; run?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { users: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.users || !values.out) {
    out(USAGE);
    return 2;
  }
  let result: LoadCompaniesResult;
  let label: string;
  try {
    label = runLabel(values.run ?? env.LOAD_RUN);
    result = loadCompanies(await read(values.users), label);
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  for (const problem of result.problems) out(problem);
  if (result.problems.length > 0) {
    out(`${result.problems.length} problem(s); ${values.out} was not written.`);
    return 1;
  }
  await write(values.out, companiesCsv(result.companies));
  out(
    `Run ${label}: ${result.companies.length} companies in ${values.out} (${result.skipped} lines without insz skipped). ` +
      `Seed them: npm run register:seed -- --table <table name> --file ${values.out} --register companies`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
