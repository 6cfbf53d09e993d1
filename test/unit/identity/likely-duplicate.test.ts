import { describe, expect, it } from 'vitest';
import { firstGivenName, isLikelyDuplicate, looseName } from '#shared/person-register';

describe('isLikelyDuplicate', () => {
  it.each([
    [
      { givenNames: 'Zoë Marie', familyName: 'Van den Broeck' },
      { givenNames: 'ZOE', familyName: 'van-den broeck' },
    ],
    [
      { givenNames: 'Jean-Luc', familyName: "D'Hondt" },
      { givenNames: 'Jean Luc', familyName: 'D’Hondt' },
    ],
    [
      { givenNames: '  Émile ', familyName: 'Müller' },
      { givenNames: 'emile Jean', familyName: 'MULLER' },
    ],
  ])('finds %o and %o alike', (a, b) => {
    expect(isLikelyDuplicate(a, b)).toBe(true);
  });

  it.each([
    [
      { givenNames: 'John Peter', familyName: 'Smith' },
      { givenNames: 'Peter John', familyName: 'Smith' },
    ],
    [
      { givenNames: 'John', familyName: 'Smith' },
      { givenNames: 'John', familyName: 'Smyth' },
    ],
    [
      { givenNames: '', familyName: 'Smith' },
      { givenNames: '', familyName: 'Smith' },
    ],
  ])('tells %o and %o apart', (a, b) => {
    expect(isLikelyDuplicate(a, b)).toBe(false);
  });

  it('reads hyphens, apostrophes and dots as spaces', () => {
    expect(looseName("O'Neill-Smith  Jr.")).toBe('o neill smith jr');
    expect(firstGivenName('Anne-Marie')).toBe('anne');
  });
});
