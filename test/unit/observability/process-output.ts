import { afterEach, beforeEach, type MockInstance, vi } from 'vitest';

/** What the running test wrote to the process streams. */
export interface ProcessOutput {
  /** The running test's spy on `process.stdout.write` (log entries up to INFO, EMF records). */
  readonly stdout: MockInstance<typeof process.stdout.write>;
  /** The running test's spy on `process.stderr.write` (log entries from WARN up). */
  readonly stderr: MockInstance<typeof process.stderr.write>;
  /** Every JSON line written to stdout or stderr since the test started (or the spies were cleared). */
  jsonLines(): Record<string, unknown>[];
}

/**
 * Captures the process streams, which the logger and metrics write to directly: called at the top of
 * a test file, it spies on `process.stdout.write` and `process.stderr.write` (writing nothing) before
 * each test and restores them after it.
 */
export function captureProcessOutput(): ProcessOutput {
  let stdout: MockInstance<typeof process.stdout.write> | undefined;
  let stderr: MockInstance<typeof process.stderr.write> | undefined;
  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout?.mockRestore();
    stderr?.mockRestore();
  });
  const duringTest = <Spy>(spy: Spy | undefined): Spy => {
    if (!spy) throw new Error('the process output is captured while a test runs only');
    return spy;
  };
  return {
    get stdout() {
      return duringTest(stdout);
    },
    get stderr() {
      return duringTest(stderr);
    },
    jsonLines() {
      return [...duringTest(stdout).mock.calls, ...duringTest(stderr).mock.calls]
        .flatMap(([chunk]) => String(chunk).split('\n'))
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}
