/**
 * What the one-off migrations share besides the paged Scan (bin/resumable-scan.ts): the one
 * idempotent write each of them makes per item — an UpdateItem whose condition holds only while the
 * item is still as the migration read it, so a second run, or an item live traffic changed
 * meanwhile, is left alone and counted — and, for the migrations that read the whole table at once
 * and plan every change before writing (bin/migrate-identity.ts, bin/migrate-capacity.ts), the
 * Scan, the application of the plan and their command line.
 */
import { parseArgs } from 'node:util';
import {
  type DynamoDBDocumentClient,
  paginateScan,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '#shared/dynamo';
import type { TableKey } from '#shared/keys';
import { createDocumentClient } from '#shared/table';

/**
 * Sends `update` unless `dryRun`.
 * @returns `true` when written (planned, in a dry run); `false` when its condition failed: the item
 *   changed meanwhile (or an earlier run did the work) and stays as it is
 */
export async function updateUnlessChanged(
  documentClient: DynamoDBDocumentClient,
  update: UpdateCommandInput,
  dryRun: boolean,
): Promise<boolean> {
  if (dryRun) return true;
  try {
    await documentClient.send(new UpdateCommand(update));
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return false;
  }
}

/** Every item of the table: a paginated, consistent Scan read once. */
export async function scanWholeTable(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan(
    { client: documentClient, pageSize: 500 },
    { TableName: tableName, ConsistentRead: true },
  )) {
    items.push(...(page.Items ?? []));
  }
  return items;
}

/** One planned write: the key, the attributes to set and the rule (for the report). */
export interface PlannedChange<Rule extends string = string> {
  rule: Rule;
  key: TableKey;
  set: Record<string, unknown>;
  /** The attribute whose absence makes the write apply (idempotency). */
  unlessExists: string;
  /** A further condition, e.g. `localAdministrator = :true`, with its values. */
  condition?: { expression: string; values: Record<string, unknown> };
}

/** What applying a plan did. */
export interface AppliedChanges {
  /** Changes per rule (planned in a dry run, applied otherwise). */
  changes: Record<string, number>;
  /** Planned writes skipped because the item changed meanwhile (condition failed). */
  skipped: number;
}

/**
 * Applies each planned change (unless `dryRun`) by an UpdateItem conditioned on the item existing,
 * `unlessExists` being absent and the change's own condition.
 */
export async function applyPlannedChanges(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  planned: readonly PlannedChange[],
  dryRun: boolean,
): Promise<AppliedChanges> {
  const applied: AppliedChanges = { changes: {}, skipped: 0 };
  for (const change of planned) {
    const names: Record<string, string> = { '#guard': change.unlessExists };
    const values: Record<string, unknown> = { ...(change.condition?.values ?? {}) };
    const sets = Object.entries(change.set).map(([attribute, value], index) => {
      names[`#a${index}`] = attribute;
      values[`:v${index}`] = value;
      return `#a${index} = :v${index}`;
    });
    const condition = ['attribute_exists(PK)', 'attribute_not_exists(#guard)'];
    if (change.condition) condition.push(change.condition.expression);
    const written = await updateUnlessChanged(
      documentClient,
      {
        TableName: tableName,
        Key: change.key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      dryRun,
    );
    if (written) applied.changes[change.rule] = (applied.changes[change.rule] ?? 0) + 1;
    else applied.skipped++;
  }
  return applied;
}

/** How {@link plannedMigrationMain} runs a migration and words its report. */
export interface PlannedMigrationCommand<R extends AppliedChanges & { scanned: number }> {
  usage: string;
  run: (tableName: string, options: { dryRun: boolean }) => Promise<R>;
  /** What the skipped writes met, e.g. `changed meanwhile`. */
  skippedBecause: string;
  /** Lines printed after the totals. @default none */
  notes?: (report: R) => string[];
}

/**
 * The command line of a whole-table migration: parses `--table` (`TABLE_NAME` stands in for it)
 * and `--dry-run`, runs, and prints the counts per rule through `out`.
 * @returns the exit code: 0, or 2 on bad arguments (with the usage)
 */
export async function plannedMigrationMain<R extends AppliedChanges & { scanned: number }>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  command: PlannedMigrationCommand<R>,
): Promise<number> {
  let values: { table?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { table: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    out(`${(error as Error).message}\n${command.usage}`);
    return 2;
  }
  const tableName = values.table ?? env.TABLE_NAME;
  if (!tableName) {
    out(command.usage);
    return 2;
  }
  const dryRun = values['dry-run'] === true;
  const report = await command.run(tableName, { dryRun });
  const total = Object.values(report.changes).reduce((sum, count) => sum + count, 0);
  out(
    `${dryRun ? 'Dry run (nothing written)' : 'Migration'} of ${tableName}: ${report.scanned} items scanned.`,
  );
  for (const [rule, count] of Object.entries(report.changes).sort()) {
    out(`  ${rule}: ${count} ${dryRun ? 'would change' : 'changed'}`);
  }
  out(
    `${total} ${dryRun ? 'changes planned' : 'changes written'}` +
      (report.skipped > 0 ? `, ${report.skipped} skipped (${command.skippedBecause})` : '') +
      '.',
  );
  for (const line of command.notes?.(report) ?? []) out(line);
  return 0;
}

/**
 * The `main` of the whole-table migration `npm run <script>`: {@link plannedMigrationMain} running
 * `migrate` on the document client given (the environment's when none is), reading `TABLE_NAME` from
 * `env` (the process's when none is given) and printing through `out` (the console's log when none
 * is); `wording` says what the report adds to the counts.
 */
export function plannedMigrationCommand<R extends AppliedChanges & { scanned: number }>(
  script: string,
  migrate: (
    documentClient: DynamoDBDocumentClient,
    tableName: string,
    options: { dryRun: boolean },
  ) => Promise<R>,
  wording: Pick<PlannedMigrationCommand<R>, 'skippedBecause' | 'notes'>,
): (
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
  out?: (line: string) => void,
  documentClient?: DynamoDBDocumentClient,
) => Promise<number> {
  return (
    argv,
    env = process.env,
    out = (line) => console.log(line),
    documentClient = createDocumentClient(),
  ) =>
    plannedMigrationMain(argv, env, out, {
      usage: `Usage: npm run ${script} -- --table <table name> [--dry-run]`,
      run: (tableName, options) => migrate(documentClient, tableName, options),
      ...wording,
    });
}
