/**
 * The command-line run every paged migration test (bin/resumable-scan.ts) goes through: a dry run,
 * a run stopped after one page, the same command resumed with its token, and a second run, with a
 * snapshot of the table after each, and the refusals of bad arguments.
 */
import { expect, it, vi } from 'vitest';
import type { PagedRunOptions, PagedScanResult } from '../../bin/resumable-scan.ts';
import type { TestTable } from './dynamodb.ts';

type Snapshot = Awaited<ReturnType<TestTable['snapshot']>>;

/** A paged migration's command line (`main`) and function (`migrate`). */
export interface PagedMigration<R extends PagedScanResult> {
  main: (argv: readonly string[], documentClient: TestTable['documentClient']) => Promise<number>;
  migrate: (
    documentClient: TestTable['documentClient'],
    tableName: string,
    options: PagedRunOptions,
  ) => Promise<R>;
}

/** What {@link dryStopResumeAgain} saw. */
export interface DryStopResumeAgain<R extends PagedScanResult> {
  /** Exit codes of the dry run, the resumed run and the second run. */
  codes: number[];
  before: Snapshot;
  afterDry: Snapshot;
  /** The run stopped after one page. */
  stopped: R;
  afterRun: Snapshot;
  afterAgain: Snapshot;
  /** The reports printed to stdout: dry run, resumed run, second run. */
  reports: string[];
  /** What was printed to stderr (the resume tokens). */
  progress: string[];
}

/**
 * Runs `--dry-run`, then one page of `pageSize` through the function, then the command with
 * `--resume` after it, then the command again; snapshots the table before and after each.
 */
export async function dryStopResumeAgain<R extends PagedScanResult>(
  table: TestTable,
  { main, migrate }: PagedMigration<R>,
  pageSize: number,
): Promise<DryStopResumeAgain<R>> {
  const before = await table.snapshot();
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const dryCode = await main(['--table', table.tableName, '--dry-run'], table.documentClient);
    const afterDry = await table.snapshot();
    const stopped = await migrate(table.documentClient, table.tableName, {
      dryRun: false,
      pageSize,
      maxPages: 1,
    });
    const code = await main(
      [
        '--table',
        table.tableName,
        '--page-size',
        String(pageSize),
        ...(stopped.resume ? ['--resume', stopped.resume] : []),
      ],
      table.documentClient,
    );
    const afterRun = await table.snapshot();
    const againCode = await main(['--table', table.tableName], table.documentClient);
    const afterAgain = await table.snapshot();
    return {
      codes: [dryCode, code, againCode],
      before,
      afterDry,
      stopped,
      afterRun,
      afterAgain,
      reports: log.mock.calls.map((call) => String(call[0])),
      progress: error.mock.calls.map((call) => String(call[0])),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * The test that the command of `script` refuses a missing table, `badPageSize` and a resume token
 * that is not one, each with exit code 2 and the usage.
 */
export function itRefusesBadArguments(
  script: string,
  main: PagedMigration<PagedScanResult>['main'],
  table: () => TestTable,
  badPageSize: string,
): void {
  it('refuses a missing table, a bad page size or a bad resume token with exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});

    const codes = [
      await main([], table().documentClient),
      await main(['--table', table().tableName, '--page-size', badPageSize], table().documentClient),
      await main(['--table', table().tableName, '--resume', 'bm90LWEta2V5'], table().documentClient),
    ];

    expect(codes).toEqual([2, 2, 2]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining(`Usage: npm run ${script}`));
    error.mockRestore();
  });
}
