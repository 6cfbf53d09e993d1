/**
 * Does a register entry describe the person an identity provider authenticated? The "I know my
 * national number" check links a number only when the register entry equals what the IdP ASSERTED in
 * the caller's current login (ARCHITECTURE.md section 2, "Linking is proof, not knowledge"); this
 * module is that comparison, pure and total.
 *
 * Registers, eIDAS nodes and itsme write the same name differently, in exactly these ways:
 * - case, diacritics and spacing (`VAN DEN BROECK`, `Émile`/`Emile`);
 * - hyphens, apostrophes and dots as separators (`Van-den-Broeck`, `D'Hondt`/`DHondt`, `St. Jean`);
 * - the Latin transliteration of eIDAS (ICAO 9303: `Müller` → `MUELLER`, `Ørsted` → `OERSTED`,
 *   `Straße` → `STRASSE`), besides the plain stripping of marks (`Müller` → `MULLER`);
 * - the number of given names: one side may list only the first (`Jan` against `Jan Emile`).
 * Anything else (another spelling, another first given name, another day of birth) is another person.
 */

/** The names and birth date two sources state about a person. */
export interface PersonNames {
  givenNames: string;
  familyName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
}

/** Letters Unicode does not decompose, as ICAO 9303 transliterates them (lower case). */
const ICAO_LETTERS: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  å: 'aa',
  æ: 'ae',
  ø: 'oe',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  ð: 'd',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  ŀ: 'l',
  ŋ: 'n',
  ĳ: 'ij',
};

/** The same letters when marks are simply dropped (`ü` → `u`); the rest as ICAO. */
const STRIPPED_LETTERS: Readonly<Record<string, string>> = {
  ...ICAO_LETTERS,
  ä: 'a',
  ö: 'o',
  ü: 'u',
  å: 'a',
  ø: 'o',
};

/** Separators inside names: whitespace, hyphens and dashes, apostrophes, dots, commas. */
const SEPARATORS = /[\s\p{Pd}'’‘`´ʼ.,]+/gu;

function transliterate(name: string, letters: Readonly<Record<string, string>>): string {
  const lower = name.normalize('NFC').toLowerCase();
  let out = '';
  for (const char of lower) out += letters[char] ?? char;
  return out.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** The words of a name in one transliteration, separators dropped. */
function words(name: string, letters: Readonly<Record<string, string>>): string[] {
  return transliterate(name, letters)
    .split(SEPARATORS)
    .filter((word) => word !== '');
}

/** The comparable spellings of a name as a list of words: marks stripped, and ICAO transliterated. */
function spellings(name: string): string[][] {
  const stripped = words(name, STRIPPED_LETTERS);
  const icao = words(name, ICAO_LETTERS);
  return stripped.join(' ') === icao.join(' ') ? [stripped] : [stripped, icao];
}

/**
 * True when two family names are the same name: equal, once compared without case, marks and
 * separators, in either transliteration (`Van den Broeck` = `VAN-DEN-BROECK`, `Müller` = `MUELLER`).
 */
export function sameFamilyName(a: string, b: string): boolean {
  const left = spellings(a).map((spelling) => spelling.join(''));
  const right = spellings(b).map((spelling) => spelling.join(''));
  return left.some((name) => name !== '' && right.includes(name));
}

/**
 * True when two lists of given names name the same person: the first given name is equal and every
 * given name of the shorter list appears in the longer one (`Jan` = `Jan Émile`; `Jan Pieter` ≠
 * `Pieter Jan`; `Jean-Pierre` = `Jean Pierre`).
 */
export function sameGivenNames(a: string, b: string): boolean {
  for (const left of spellings(a)) {
    for (const right of spellings(b)) {
      if (left.length === 0 || right.length === 0 || left[0] !== right[0]) continue;
      const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
      if (shorter.every((name) => longer.includes(name))) return true;
    }
  }
  return false;
}

/** True when both describe the same person: names as above, birth date exactly equal. */
export function samePerson(a: PersonNames, b: PersonNames): boolean {
  return (
    a.birthDate === b.birthDate &&
    sameFamilyName(a.familyName, b.familyName) &&
    sameGivenNames(a.givenNames, b.givenNames)
  );
}
