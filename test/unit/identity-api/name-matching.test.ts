import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameFamilyName, sameGivenNames, samePerson } from '#identity/api/name-matching';

describe('sameFamilyName', () => {
  it.each([
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
  ])('treats %s and %s as the same family name', (a, b) => {
    expect(sameFamilyName(a, b)).toBe(true);
    expect(sameFamilyName(b, a)).toBe(true);
  });

  it.each([
    ['Peeters', 'Peters'],
    ['Müller', 'Miller'],
    ['Evil', 'Mustermann'],
    ['', ''],
    ['-', "'"],
  ])('tells %s and %s apart', (a, b) => {
    expect(sameFamilyName(a, b)).toBe(false);
  });
});

describe('sameGivenNames', () => {
  it.each([
    ['Jan Émile', 'JAN'],
    ['Jan Émile', 'jan emile'],
    ['Jean-Pierre', 'Jean Pierre'],
    ['Jean-Pierre Marie', 'JEAN PIERRE'],
    ['Jürgen', 'JUERGEN'],
    ['Anne-Sophie', 'anne sophie'],
  ])('treats %s and %s as the same given names', (a, b) => {
    expect(sameGivenNames(a, b)).toBe(true);
    expect(sameGivenNames(b, a)).toBe(true);
  });

  it.each([
    ['Jan Pieter', 'Pieter Jan'],
    ['Jan', 'Johan'],
    ['Jan Emile', 'Jan Marc'],
    ['Emile', 'Jan Emile'],
    ['', 'Jan'],
  ])('tells %s and %s apart', (a, b) => {
    expect(sameGivenNames(a, b)).toBe(false);
  });
});

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
