import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/**
 * A fresh cloud-assembly folder for one test App, inside the test file's folder, which
 * {@link removeTestAppOutdirs} removes after the file (test/helpers/test-outdir-cleanup.ts). An App
 * without an outdir leaves a cdk.out folder in the system's temp folder at every synthesis (hundreds
 * per test run).
 */
export function testAppOutdir(): string {
  root ??= mkdtempSync(join(tmpdir(), 'eid-access-test-apps-'));
  return mkdtempSync(join(root, 'app-'));
}

/** Removes the folder of this test file's apps. */
export function removeTestAppOutdirs(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}
