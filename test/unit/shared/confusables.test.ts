import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusablePrototypes, nameSkeleton, registryNumberSkeleton, skeleton } from '#shared/confusables';
import { CONFUSABLES_DATA_FILE, generateConfusablesModule } from '../../../bin/generate-confusables.ts';

// Look-alike letters spelled as escapes, so this file holds none itself.
const CYRILLIC_IE = '\u0435'; // е
const CYRILLIC_BYELORUSSIAN_I = '\u0456'; // і
const CYRILLIC_CAPITAL_ES = '\u0421'; // С
const CYRILLIC_CAPITAL_EN = '\u041d'; // Н
const CYRILLIC_CAPITAL_A = '\u0410'; // А
const CYRILLIC_SMALL_A = '\u0430'; // а
const GREEK_CAPITAL_BETA = '\u0392'; // Β
const GREEK_SMALL_OMICRON = '\u03bf'; // ο
const GREEK_CAPITAL_IOTA = '\u0399'; // Ι

describe('skeleton', () => {
  it('maps the UTS #39 examples to their prototypes, case-sensitively', () => {
    expect(skeleton('0')).toBe('O');
    expect(skeleton('1')).toBe('l');
    expect(skeleton('I')).toBe('l');
    expect(skeleton('m')).toBe('rn');
    expect(skeleton(`${CYRILLIC_CAPITAL_ES}${CYRILLIC_IE}`)).toBe('Ce');
    expect(skeleton('L')).toBe('L');
  });

  it('leaves letters that look like no Latin letter as they are', () => {
    expect(skeleton('\u0436')).toBe('\u0436'); // Cyrillic ж
    expect(skeleton('abc')).toBe('abc');
  });
});

describe('nameSkeleton', () => {
  it('gives a name with Cyrillic or Greek look-alike letters the skeleton of the Latin name', () => {
    const latin = nameSkeleton('Siemens');

    expect(nameSkeleton(`Si${CYRILLIC_IE}mens`)).toBe(latin);
    expect(nameSkeleton(`S${CYRILLIC_BYELORUSSIAN_I}emens`)).toBe(latin);
    expect(nameSkeleton(`${GREEK_CAPITAL_BETA}${GREEK_SMALL_OMICRON}sch`)).toBe(nameSkeleton('Bosch'));
    expect(nameSkeleton(`${CYRILLIC_CAPITAL_EN}${CYRILLIC_CAPITAL_A}${CYRILLIC_CAPITAL_EN}`)).toBe(
      nameSkeleton('HAH'),
    );
    expect(nameSkeleton(`S${GREEK_CAPITAL_IOTA}EMENS`)).toBe(latin);
  });

  it('counts digits that look like letters as those letters', () => {
    expect(nameSkeleton('S1emens')).toBe(nameSkeleton('Siemens'));
    expect(nameSkeleton('B0sch')).toBe(nameSkeleton('Bosch'));
  });

  it('ignores case, including the capital I that looks like a small l', () => {
    expect(nameSkeleton('SIEMENS')).toBe(nameSkeleton('Siemens'));
    expect(nameSkeleton('SlEMENS')).toBe(nameSkeleton('SIEMENS'));
  });

  it('ignores spacing, punctuation, fullwidth forms, invisible characters and accents', () => {
    const plain = nameSkeleton('Siemens AG');

    expect(nameSkeleton('  Siemens   A.G. ')).toBe(plain);
    expect(nameSkeleton('Siemens-AG')).toBe(plain);
    expect(nameSkeleton('\uff33\uff49\uff45\uff4d\uff45\uff4e\uff53 AG')).toBe(plain);
    expect(nameSkeleton('Sie\u200bmens AG')).toBe(plain);
    expect(nameSkeleton('Si\u00e9mens AG')).toBe(plain);
  });

  it('keeps names that read differently apart', () => {
    expect(nameSkeleton('Siemans')).not.toBe(nameSkeleton('Siemens'));
    expect(nameSkeleton('Bosch')).not.toBe(nameSkeleton('Busch'));
    expect(nameSkeleton('Siemens Energy')).not.toBe(nameSkeleton('Siemens'));
    expect(nameSkeleton('\u0436\u0443\u043a')).not.toBe(nameSkeleton('xyk'));
  });

  it('is unchanged by spaces and case changes anywhere (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), fc.nat(20), (name, at) => {
        const spaced = `${name.slice(0, at)} ${name.slice(at)}`;
        expect(nameSkeleton(spaced.toUpperCase())).toBe(nameSkeleton(name.toLowerCase()));
      }),
    );
  });
});

describe('registryNumberSkeleton', () => {
  it('makes digits and the letters that look like them agree, and nothing else', () => {
    expect(registryNumberSkeleton('HRB1O1')).toBe(registryNumberSkeleton('HRB101'));
    expect(registryNumberSkeleton('HRBI23')).toBe(registryNumberSkeleton('HRB123'));
    expect(registryNumberSkeleton('HRBL23')).not.toBe(registryNumberSkeleton('HRB123'));
    expect(registryNumberSkeleton('HRB124')).not.toBe(registryNumberSkeleton('HRB123'));
  });
});

describe('confusablePrototypes', () => {
  it('decodes all 1,001 kept characters, each to a prototype of printable ASCII and combining marks', () => {
    const table = confusablePrototypes();

    expect(table.size).toBe(1001);
    for (const [source, prototype] of table) {
      expect([...source]).toHaveLength(1);
      expect(prototype).toMatch(/^[\x20-\x7e\p{M}]+$/u);
      expect(prototype).not.toBe(source);
    }
  });

  it('gives every character the prototype confusables.txt gives it (unhomoglyph data)', () => {
    const data = createRequire(import.meta.url)('unhomoglyph/data.json') as Record<string, string>;
    const table = confusablePrototypes();

    const differing = [...table].filter(([source, prototype]) => data[source] !== prototype);

    expect(differing).toEqual([]);
  });

  it('holds known pairs: Latin, Cyrillic and Greek letters, digits, marks and astral characters', () => {
    const table = confusablePrototypes();

    expect(table.get(CYRILLIC_SMALL_A)).toBe('a');
    expect(table.get(CYRILLIC_CAPITAL_A)).toBe('A');
    expect(table.get(GREEK_CAPITAL_BETA)).toBe('B');
    expect(table.get('0')).toBe('O');
    expect(table.get('1')).toBe('l');
    expect(table.get('m')).toBe('rn');
    expect(table.get('"')).toBe("''"); // the first character of the table
    expect(table.get('\u00d8')).toBe('O\u0338'); // Ø: a letter and a combining mark
    expect(table.get('\u0305')).toBe('\u0304'); // combining overline: a mark to a mark
    expect(table.get('\u1680')).toBe(' '); // Ogham space mark
    expect(table.get('\u2216')).toBe('\\'); // set minus: a character the data file escapes
    expect(table.get('\u{10198}')).toBe('l\u0335l\u0335S\u0335'); // Roman sestertius sign
    expect(table.get('\u{115dc}')).toBe('\u{115b2}'); // Siddham: astral to astral
    expect(table.get('\u{1f76c}')).toBe('VB'); // the last character of the table
    expect(table.get('a')).toBeUndefined();
    expect(table.get('\u0436')).toBeUndefined(); // Cyrillic ж
  });
});

describe('confusables-data.ts', () => {
  it('is what bin/generate-confusables.ts makes from the pinned package', () => {
    expect(readFileSync(CONFUSABLES_DATA_FILE, 'utf8')).toBe(generateConfusablesModule());
  });
});
