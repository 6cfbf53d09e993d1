/**
 * Confusable skeletons (UTS #39, Unicode Security Mechanisms, section 4): two strings that look
 * alike have the same skeleton. The organisations context keeps a marker per skeleton of every
 * foreign organisation's name and registration number (docs/data-model.md, "Look-alike
 * organisations"), so a registration that looks like an existing organisation is found by key.
 *
 * The mapping is the generated subset in `confusables-data.ts` (characters that can pass for Latin
 * letters and digits); it is built on first use, so a bundle that imports this module without
 * calling it pays nothing at start-up. Not for the login triggers.
 */
import { CONFUSABLE_PAIRS } from './confusables-data.ts';

let prototypes: Map<string, string> | undefined;

function prototypeOf(): Map<string, string> {
  if (prototypes === undefined) {
    const map = new Map<string, string>();
    for (const entry of CONFUSABLE_PAIRS.split('\n')) {
      const source = String.fromCodePoint(entry.codePointAt(0) ?? 0);
      map.set(source, entry.slice(source.length));
    }
    prototypes = map;
  }
  return prototypes;
}

/**
 * The UTS #39 skeleton of `text` over the kept mapping: NFD, every character replaced by its
 * prototype, NFD again. Case-sensitive, as UTS #39 defines it (`I` and `1` are `l`, `0` is `O`).
 */
export function skeleton(text: string): string {
  const map = prototypeOf();
  let out = '';
  for (const character of text.normalize('NFD')) out += map.get(character) ?? character;
  return out.normalize('NFD');
}

const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/**
 * The look-alike key of an organisation name: equal for names a reader could take for one another.
 * NFKC (fullwidth and ligatures), invisible characters removed, skeleton; then lower case and the
 * skeleton again (an upper-case Cyrillic `Н` looks like `H`, its lower case `н` like no Latin
 * letter, so the skeleton comes first); accents, spaces and punctuation dropped; `i` counted as `l`
 * (in capitals `I` and `l` look alike, and case is ignored). `Siemens`, `SIEMENS`, `Siеmens`
 * (Cyrillic `е`), `Sіemens` (Cyrillic `і`), `S1emens` and `Siemens  A.G.`/`Siemens AG` agree.
 */
export function nameSkeleton(name: string): string {
  const once = skeleton(name.normalize('NFKC').replace(INVISIBLE, '')).toLowerCase();
  return skeleton(once).toLowerCase().replace(NOT_LETTER_OR_DIGIT, '').replaceAll('i', 'l');
}

/**
 * The look-alike key of a registry number already reduced to `A-Z0-9` (`normaliseRegistryNumber`):
 * its case-sensitive skeleton, so `HRB 1O1` and `HRB 101`, `HRB I23` and `HRB 123` agree, while
 * `HRB L23` stays apart (numbers are upper case already: no case folding to merge `L` with `l`).
 */
export function registryNumberSkeleton(normalisedNumber: string): string {
  return skeleton(normalisedNumber);
}
