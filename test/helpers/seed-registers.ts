/**
 * The set-up of the `npm run register:seed` tests: a test table and a scratch folder for the test
 * file, and `seed(file)` running the command on them with the lines it prints.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/seed-registers.ts';
import { createTestTable, type TestTable } from './dynamodb.ts';
import { perFile } from './per-file.ts';

/** What {@link seedRegistersPerFile} gives a test file. */
export interface SeedRegistersFixture {
  table: TestTable;
  /** A path in the scratch folder. */
  path(name: string): string;
  /** Runs the command on `file` (with `args` after `--table` and `--file`): its exit code and output. */
  seed(file: string): Promise<{ code: number; output: string[] }>;
}

/** The table and scratch folder (named after `prefix`) of a test file; `args` go after `--file`. */
export function seedRegistersPerFile(prefix: string, args: readonly string[] = []): SeedRegistersFixture {
  return perFile(
    async () => {
      const table = await createTestTable();
      const folder = await mkdtemp(join(tmpdir(), prefix));
      return {
        table,
        folder,
        path: (name: string) => join(folder, name),
        seed: async (file: string) => {
          const output: string[] = [];
          const code = await main(
            ['--table', table.tableName, '--file', file, ...args],
            {},
            (line) => output.push(line),
            table.documentClient,
          );
          return { code, output };
        },
      };
    },
    async ({ table, folder }) => {
      await table.dispose();
      await rm(folder, { recursive: true, force: true });
    },
  );
}
