/**
 * The one-off, page-by-page migrations (bin/migrate-representatives.ts, bin/migrate-administrators.ts,
 * bin/migrate-lookalikes.ts) share their shape here: a Scan read one page at a time (never in
 * parallel), a resume token printed after each page — the Scan's `LastEvaluatedKey` (PK and SK only)
 * as base64url JSON — so that a run that stopped continues where it stopped, and the same command
 * line (`--table`, `--dry-run`, `--resume`, `--page-size`).
 */
import { parseArgs } from 'node:util';
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/table';

/** Encodes a Scan's `LastEvaluatedKey`. */
export function encodeResumeToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ PK: key.PK, SK: key.SK })).toString('base64url');
}

/** The inverse of {@link encodeResumeToken}; throws on anything else. */
export function decodeResumeToken(token: string): { PK: string; SK: string } {
  const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
  if (
    key === null ||
    typeof key !== 'object' ||
    typeof (key as { PK?: unknown }).PK !== 'string' ||
    typeof (key as { SK?: unknown }).SK !== 'string'
  ) {
    throw new Error('Invalid resume token');
  }
  return { PK: (key as { PK: string }).PK, SK: (key as { SK: string }).SK };
}

/** How a paged migration runs. */
export interface PagedRunOptions {
  dryRun: boolean;
  resume?: string | undefined;
  /** Items per Scan page. @default 200 */
  pageSize?: number;
  /** Stop after this many pages (tests, or a bounded batch). @default no limit */
  maxPages?: number;
  /** Called after each page with the token to resume after it (printed by the command). */
  onPage?: (resume: string | undefined) => void;
}

/** Where a paged Scan stopped. */
export interface PagedScanResult {
  /** Scan pages read. */
  pages: number;
  /** Where to resume when the run stopped early (`undefined`: the table was read to the end). */
  resume?: string;
}

/** What every paged migration reports besides its own counts. */
export interface PagedMigrationReport extends PagedScanResult {
  dryRun: boolean;
}

/**
 * Reads `scan` page by page from `options.resume`, handing each page's items to `onItems` before the
 * next page is read.
 */
export async function scanPages(
  documentClient: DynamoDBDocumentClient,
  scan: Omit<ScanCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  options: PagedRunOptions,
  onItems: (items: Record<string, unknown>[]) => Promise<void>,
): Promise<PagedScanResult> {
  const result: PagedScanResult = { pages: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined = options.resume
    ? decodeResumeToken(options.resume)
    : undefined;
  do {
    const out = await documentClient.send(
      new ScanCommand({
        ...scan,
        Limit: options.pageSize ?? 200,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    result.pages += 1;
    await onItems(out.Items ?? []);
    ExclusiveStartKey = out.LastEvaluatedKey;
    const resume = ExclusiveStartKey ? encodeResumeToken(ExclusiveStartKey) : undefined;
    options.onPage?.(resume);
    if (resume && options.maxPages !== undefined && result.pages >= options.maxPages) {
      result.resume = resume;
      break;
    }
  } while (ExclusiveStartKey);
  return result;
}

/**
 * A paged migration's run: reads `scan` page by page (see {@link scanPages}) and hands every item, in
 * order, to `migrateItem`, which tallies what it did in `counts`.
 * @returns `counts`, with the pages read, where to resume and whether it was a dry run
 */
export async function migrateScannedItems<C extends Record<string, number>>(
  documentClient: DynamoDBDocumentClient,
  scan: Omit<ScanCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  options: PagedRunOptions,
  counts: C,
  migrateItem: (item: Record<string, unknown>) => Promise<void>,
): Promise<C & PagedMigrationReport> {
  const scanned = await scanPages(documentClient, scan, options, async (items) => {
    for (const item of items) await migrateItem(item);
  });
  return { ...scanned, ...counts, dryRun: options.dryRun };
}

/**
 * The command line of the paged migration `npm run <script>`: parses `--table`, `--dry-run`,
 * `--resume`, `--page-size` (1-1000, default 200), runs `run`, prints the resume token after each
 * page to stderr and the report to stdout: which run of which table, the pages read, then `summary`.
 * @returns the exit code: 0, or 2 on bad arguments (with the usage)
 */
export async function pagedMigrationMain<R extends PagedScanResult>(
  argv: readonly string[],
  script: string,
  run: (table: string, options: PagedRunOptions) => Promise<R>,
  summary: (report: R, dryRun: boolean) => string,
): Promise<number> {
  const usage = `Usage: npm run ${script} -- --table <table name> [--dry-run] [--resume <token>] [--page-size <1-1000>]`;
  let values: { table?: string; resume?: string; 'page-size'?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        table: { type: 'string' },
        resume: { type: 'string' },
        'page-size': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const pageSize = values['page-size'] === undefined ? 200 : Number(values['page-size']);
  if (!values.table || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    console.error(usage);
    return 2;
  }
  if (values.resume !== undefined) {
    try {
      decodeResumeToken(values.resume);
    } catch {
      console.error(`Invalid --resume token\n${usage}`);
      return 2;
    }
  }
  const dryRun = values['dry-run'] === true;
  const report = await run(values.table, {
    dryRun,
    resume: values.resume,
    pageSize,
    onPage: (resume) => {
      if (resume) console.error(`page done; to resume after it: --resume ${resume}`);
    },
  });
  console.log(
    `${dryRun ? 'Dry run (nothing written)' : 'Migration'} of ${values.table} (${report.pages} pages): ` +
      summary(report, dryRun),
  );
  return 0;
}

/**
 * The `main` of a paged migration's script: {@link pagedMigrationMain} running `migrate` on the
 * document client given (the environment's when none is).
 */
export function pagedMigrationCommand<R extends PagedScanResult>(
  script: string,
  migrate: (documentClient: DynamoDBDocumentClient, table: string, options: PagedRunOptions) => Promise<R>,
  summary: (report: R, dryRun: boolean) => string,
): (argv: readonly string[], documentClient?: DynamoDBDocumentClient) => Promise<number> {
  return (argv, documentClient = createDocumentClient()) =>
    pagedMigrationMain(argv, script, (table, options) => migrate(documentClient, table, options), summary);
}
