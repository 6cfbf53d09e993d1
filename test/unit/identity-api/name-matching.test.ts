import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameFamilyName, sameGivenNames, samePerson } from '#identity/api/name-matching';

/** Each name matcher with the pairs it must take for one name, and those it must tell apart. */
const MATCHERS: {
  name: string;
  match: (a: string, b: string) => boolean;
  what: string;
  same: [string, string][];
  apart: [string, string][];
}[] = [
  {
    name: 'sameFamilyName',
    match: sameFamilyName,
    what: 'family name',
    same: [
      ['Van den Broeck', 'VAN DEN BROECK'],
      ['Van den Broeck', 'Van-den-Broeck'],
      ['Van den Broeck', 'Vandenbroeck'],
      ["D'Hondt", 'DHONDT'],
      ['D’Hondt', "d'hondt"],
      ['Müller', 'MUELLER'],
      ['Müller', 'MULLER'],
      ['Ørsted', 'OERSTED'],
      ['Straße', 'STRASSE'],
      ['Lefèvre', 'LEFEVRE'],
      ['Nuñez', 'NUNEZ'],
      ['Łukasiewicz', 'LUKASIEWICZ'],
      ['  Peeters ', 'peeters'],
    ],
    apart: [
      ['Peeters', 'Peters'],
      ['Müller', 'Miller'],
      ['Evil', 'Mustermann'],
      ['', ''],
      ['-', "'"],
    ],
  },
  {
    name: 'sameGivenNames',
    match: sameGivenNames,
    what: 'given names',
    same: [
      ['Jan Émile', 'JAN'],
      ['Jan Émile', 'jan emile'],
      ['Jean-Pierre', 'Jean Pierre'],
      ['Jean-Pierre Marie', 'JEAN PIERRE'],
      ['Jürgen', 'JUERGEN'],
      ['Anne-Sophie', 'anne sophie'],
    ],
    apart: [
      ['Jan Pieter', 'Pieter Jan'],
      ['Jan', 'Johan'],
      ['Jan Emile', 'Jan Marc'],
      ['Emile', 'Jan Emile'],
      ['', 'Jan'],
    ],
  },
];

for (const { name, match, what, same, apart } of MATCHERS) {
  describe(name, () => {
    it.each(same)(`treats %s and %s as the same ${what}`, (a, b) => {
      expect(match(a, b)).toBe(true);
      expect(match(b, a)).toBe(true);
    });

    it.each(apart)('tells %s and %s apart', (a, b) => {
      expect(match(a, b)).toBe(false);
    });
  });
}

describe('samePerson', () => {
  const register = { givenNames: 'Erika Maria', familyName: 'Müstermann', birthDate: '1964-08-12' };

  it('matches the eIDAS Latin transliteration of the register entry', () => {
    expect(
      samePerson(register, { givenNames: 'ERIKA', familyName: 'MUESTERMANN', birthDate: '1964-08-12' }),
    ).toBe(true);
  });

  it('refuses another birth date even by one day', () => {
    expect(samePerson(register, { ...register, birthDate: '1964-08-13' })).toBe(false);
  });

  it('refuses Mallory whatever she types', () => {
    expect(samePerson(register, { givenNames: 'Mallory', familyName: 'Evil', birthDate: '1990-01-01' })).toBe(
      false,
    );
  });

  it('is symmetric and reflexive for any names', () => {
    const name = fc.string({ minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(name, name, name, name, (g1, f1, g2, f2) => {
        const a = { givenNames: g1, familyName: f1, birthDate: '2000-01-01' };
        const b = { givenNames: g2, familyName: f2, birthDate: '2000-01-01' };
        expect(samePerson(a, b)).toBe(samePerson(b, a));
        const hasWord = /[\p{L}\p{N}]/u.test(g1) && /[\p{L}\p{N}]/u.test(f1);
        if (hasWord) expect(samePerson(a, a)).toBe(true);
      }),
    );
  });
});
