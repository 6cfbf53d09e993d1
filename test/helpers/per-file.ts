/**
 * A resource a whole test file shares: started before its tests, closed after them, and read
 * through a stand-in that forwards every member to it while the tests run.
 */
import { afterAll, beforeAll } from 'vitest';

/**
 * Registers `beforeAll(start)` and `afterAll(close)` and returns the stand-in. Read no member at
 * module level: it throws outside the tests.
 */
export function perFile<T extends object>(
  start: () => Promise<T>,
  close: (running: T) => Promise<void>,
  startTimeoutMs?: number,
): T {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
  }, startTimeoutMs);
  afterAll(async () => {
    if (running) await close(running);
  });
  return new Proxy({} as T, {
    get: (_target, key) => {
      if (!running) throw new Error('this test file’s resource runs only while its tests run');
      return Reflect.get(running, key);
    },
  });
}
