import { vi } from 'vitest';

/**
 * A faked `Date.now` that only moves forward (what the entries' secret refresh reads). Module state of
 * the entry under test outlives a test, so each test moves the clock on rather than back. Call
 * `vi.useFakeTimers({ toFake: ['Date'] })` first.
 */
export function forwardClock(start = Date.parse('2027-03-01T08:00:00Z')) {
  let now = start;
  return {
    /** Moves the clock `ms` on. */
    later(ms: number): void {
      now += ms;
      vi.setSystemTime(now);
    },
    /** The clock's time, in ms. */
    now: () => now,
  };
}
