import { describe, expect, it } from 'vitest';
import { decideCapacity, defaultCapacity } from '#identity/capacity';

const member = { member: true };
const gone = { member: false };

describe('defaultCapacity', () => {
  it('is the only organisation when there is exactly one, else private', () => {
    expect(defaultCapacity([])).toBeNull();
    expect(defaultCapacity(['A'])).toBe('A');
    expect(defaultCapacity(['A', 'B'])).toBeNull();
  });
});

describe('decideCapacity', () => {
  it('keeps the chosen organisation while the person is still a member', () => {
    expect(
      decideCapacity({ choice: 'B', firstMemberships: ['A', 'B'], read: new Map([['B', member]]) }),
    ).toEqual({
      capacity: 'B',
    });
  });

  it('falls back to the only organisation when the chosen one is no longer valid', () => {
    expect(
      decideCapacity({
        choice: 'B',
        firstMemberships: ['A'],
        read: new Map([
          ['B', gone],
          ['A', member],
        ]),
      }),
    ).toEqual({ capacity: 'A' });
  });

  it('falls back to private when the chosen one is no longer valid and several remain', () => {
    expect(
      decideCapacity({ choice: 'B', firstMemberships: ['A', 'C'], read: new Map([['B', gone]]) }),
    ).toEqual({
      capacity: null,
    });
  });

  it('keeps a private choice even with exactly one organisation', () => {
    expect(decideCapacity({ choice: null, firstMemberships: ['A'], read: new Map() })).toEqual({
      capacity: null,
    });
  });

  it('takes the only organisation when the person never chose', () => {
    expect(
      decideCapacity({ choice: undefined, firstMemberships: ['A'], read: new Map([['A', member]]) }),
    ).toEqual({
      capacity: 'A',
    });
  });

  it('is private when the person never chose and has none or several organisations', () => {
    expect(decideCapacity({ choice: undefined, firstMemberships: [], read: new Map() })).toEqual({
      capacity: null,
    });
    expect(
      decideCapacity({ choice: undefined, firstMemberships: ['A', 'B'], read: new Map([['A', member]]) }),
    ).toEqual({ capacity: null });
  });

  it('names the choice and the default to read when the hint read neither (a stale hint)', () => {
    expect(decideCapacity({ choice: 'B', firstMemberships: ['A'], read: new Map([['C', gone]]) })).toEqual({
      read: ['B', 'A'],
    });
    expect(decideCapacity({ choice: undefined, firstMemberships: ['A'], read: new Map() })).toEqual({
      read: ['A'],
    });
  });
});
