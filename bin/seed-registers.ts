/**
 * Operator command: seeds a register (the stand-ins for the authentic sources) from a CSV or JSON
 * file. Every row is validated before anything is written; writing is idempotent (an identical entry
 * is left untouched), so running it twice leaves the table as it was.
 *
 *   npm run register:seed -- --table <table name> --file persons.csv [--register persons]
 *
 * Against DynamoDB Local set `AWS_ENDPOINT_URL_DYNAMODB` (and dummy credentials); against AWS the
 * usual credential chain applies. The report gives counts and row numbers, never the data itself.
 *
 * A register is one entry of {@link REGISTERS}: a row schema, a key for duplicate detection and a
 * writer: `persons` (national register stand-in) and `companies` (KBO stand-in). Person entries carry
 * GSI2 `BORN#<birthDate>` (the registration office's duplicate search); seeding a table written before
 * that index existed adds it (counted as `updated`), after which a run is `unchanged` again.
 */
import '#local/node-support';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { formatIssuePath } from '#shared/http/problem';
import { birthDateSchema, boundedString, enterpriseNumberSchema, inszSchema } from '#shared/http/schemas';
import { createDynamoPersonRegister } from '#shared/person-register';
import { createDocumentClient } from '#shared/table';
import {
  createDynamoCompanyRegister,
  normaliseRepresentatives,
} from '../lambdas/organisations/company-register.ts';

/** What writing one entry did. */
export type WriteResult = 'created' | 'updated' | 'unchanged';

/** How one register is seeded. */
export interface RegisterDefinition<T> {
  /** One row, validated and normalised (the stored form). */
  schema: z.ZodType<T>;
  /** The register's identifier of an entry (duplicates in a file are refused when they differ). */
  keyOf: (entry: T) => string;
  /** The writer for a table. */
  writer: (table: SeedTable) => (entry: T) => Promise<WriteResult>;
}

/** A person register row: `insz, givenNames, familyName, birthDate`. */
export const personRowSchema = z.strictObject({
  insz: inszSchema,
  givenNames: boundedString(100),
  familyName: boundedString(100),
  birthDate: birthDateSchema(),
});

const personRegister: RegisterDefinition<z.output<typeof personRowSchema>> = {
  schema: personRowSchema,
  keyOf: (entry) => entry.insz,
  writer: (table) => {
    const register = createDynamoPersonRegister(table);
    return (entry) => register.putPerson(entry);
  },
};

/**
 * A company register row: `enterpriseNumber, name, legalRepresentatives`. In CSV the representatives'
 * INSZ share one field, separated by `;`, `|` or spaces (`"85073003328;06070500252"`); in JSON they
 * may also be an array.
 */
export const companyRowSchema = z.strictObject({
  enterpriseNumber: enterpriseNumberSchema,
  name: boundedString(200),
  legalRepresentatives: z
    .union([
      z.array(z.string()),
      z.string().transform((value) => value.split(/[;|\s]+/).filter((part) => part !== '')),
    ])
    .pipe(z.array(inszSchema).min(1, 'At least one legal representative'))
    .transform(normaliseRepresentatives),
});

const companyRegister: RegisterDefinition<z.output<typeof companyRowSchema>> = {
  schema: companyRowSchema,
  keyOf: (entry) => entry.enterpriseNumber,
  writer: (table) => {
    const register = createDynamoCompanyRegister(table);
    return (entry) => register.putCompany(entry);
  },
};

/** A table the command writes to. */
export interface SeedTable {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** A register ready to seed, its entry type hidden so registers of any shape sit in one map. */
export interface RegisterSeeder {
  seed(records: readonly { row: number; record: unknown }[], table: SeedTable): Promise<SeedReport>;
}

function seederOf<T>(definition: RegisterDefinition<T>): RegisterSeeder {
  return { seed: (records, table) => seedRegister(definition, records, definition.writer(table)) };
}

/** The registers this command seeds, by `--register` name. */
export const REGISTERS: Readonly<Record<string, RegisterSeeder>> = {
  persons: seederOf(personRegister),
  companies: seederOf(companyRegister),
};

/** A row that failed validation: its number in the file (header = row 1 in CSV, index + 1 in JSON). */
export interface InvalidRow {
  row: number;
  errors: string[];
}

/** What a seeding run did. */
export interface SeedReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: InvalidRow[];
}

/**
 * Records of a CSV (RFC 4180: header row, quoted fields with `""`, CRLF or LF) or a JSON array of
 * objects. Each record carries the row number a person sees in the file.
 * @throws Error when the file is not a JSON array or a CSV with a header.
 */
export function parseRecords(text: string, format: 'csv' | 'json'): { row: number; record: unknown }[] {
  const content = text.replace(/^\uFEFF/, '');
  if (format === 'json') {
    const parsed: unknown = JSON.parse(content);
    if (!Array.isArray(parsed)) throw new Error('A JSON seed file must hold an array of objects');
    return parsed.map((record, index) => ({ row: index + 1, record }));
  }
  const lines = parseCsv(content);
  const header = lines.shift();
  if (!header) throw new Error('A CSV seed file needs a header row');
  const names = header.fields.map((name) => name.trim());
  return lines
    .filter((line) => line.fields.some((field) => field.trim() !== ''))
    .map((line) => ({
      row: line.row,
      record: Object.fromEntries(
        line.fields.map((value, index) => [names[index] ?? `column${index + 1}`, value]),
      ),
    }));
}

function parseCsv(text: string): { row: number; fields: string[] }[] {
  const lines: { row: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let row = 1;
  let startRow = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') row++;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      lines.push({ row: startRow, fields });
      fields = [];
      field = '';
      row++;
      startRow = row;
    } else {
      field += char;
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    lines.push({ row: startRow, fields });
  }
  return lines;
}

/**
 * Validates every record; writes only when all are valid (a half-seeded register is worse than
 * none), at most `concurrency` writes at a time.
 */
export async function seedRegister<T>(
  definition: RegisterDefinition<T>,
  records: readonly { row: number; record: unknown }[],
  write: (entry: T) => Promise<WriteResult>,
  options: { concurrency?: number } = {},
): Promise<SeedReport> {
  const report: SeedReport = { rows: records.length, created: 0, updated: 0, unchanged: 0, invalid: [] };
  const entries: T[] = [];
  const seen = new Map<string, { row: number; json: string }>();
  for (const { row, record } of records) {
    const result = definition.schema.safeParse(record);
    if (!result.success) {
      report.invalid.push({
        row,
        errors: result.error.issues.map((issue) => {
          const path = formatIssuePath(issue.path);
          return issue.code === 'unrecognized_keys'
            ? `unknown field(s) ${issue.keys.join(', ')}`
            : `${path || '(row)'}: ${issue.message}`;
        }),
      });
      continue;
    }
    const key = definition.keyOf(result.data);
    const json = JSON.stringify(result.data);
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.json !== json) {
        report.invalid.push({ row, errors: [`same identifier as row ${earlier.row} with other data`] });
      }
      continue;
    }
    seen.set(key, { row, json });
    entries.push(result.data);
  }
  if (report.invalid.length > 0) return report;

  const concurrency = options.concurrency ?? 8;
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const entry = entries[next++] as T;
      report[await write(entry)]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
  return report;
}

const USAGE = `Usage: npm run register:seed -- --table <table name> --file <file.csv|file.json> [--register ${Object.keys(REGISTERS).join('|')}] (default persons)`;

/** The command line: returns the exit code. `TABLE_NAME` stands in for `--table`. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => console.log(line),
  documentClient: DynamoDBDocumentClient = createDocumentClient(),
): Promise<number> {
  let values: { table?: string; file?: string; register?: string; format?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        table: { type: 'string' },
        file: { type: 'string' },
        register: { type: 'string', default: 'persons' },
        format: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const tableName = values.table ?? env.TABLE_NAME;
  const register = values.register ?? 'persons';
  if (!tableName || !values.file) {
    out(USAGE);
    return 2;
  }
  const format = values.format ?? (extname(values.file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') {
    out(`--format must be csv or json\n${USAGE}`);
    return 2;
  }
  const seeder = REGISTERS[register];
  if (!seeder) {
    out(USAGE);
    return 2;
  }
  const records = parseRecords(await readFile(values.file, 'utf8'), format);
  const report = await seeder.seed(records, { tableName, documentClient });
  for (const invalid of report.invalid) out(`row ${invalid.row}: ${invalid.errors.join('; ')}`);
  if (report.invalid.length > 0) {
    out(`${report.invalid.length} of ${report.rows} rows are invalid; nothing was written.`);
    return 1;
  }
  out(
    `${register} register in ${tableName}: ${report.created} created, ${report.updated} updated, ` +
      `${report.unchanged} unchanged (${report.rows} rows).`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
