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
import { CONFUSABLE_GROUPS } from './confusables-data.ts';

/** A character of a prototype written as its code point in base 36 in brackets (`[mt]` is U+0335). */
const ESCAPED_CHARACTER = /\[([0-9a-z]+)\]/g;
/** A code point delta: base 26 in letters, `a`-`z` for 0-25, its last digit a capital (`bA` is 26). */
const DELTA = /[a-z]*[A-Z]/g;

let prototypes: Map<string, string> | undefined;

/** The value of a delta written as `DELTA`. */
function deltaOf(letters: string): number {
  let delta = 0;
  for (const letter of letters.toLowerCase()) delta = delta * 26 + letter.charCodeAt(0) - 0x61;
  return delta;
}

function prototypeOf(): Map<string, string> {
  if (prototypes === undefined) {
    const map = new Map<string, string>();
    // One group a line, `prototype|deltas` (format in confusables-data.ts): the first delta counts
    // from the first character of the line before, each further one from the character before it.
    let previousFirst = 0;
    for (const line of CONFUSABLE_GROUPS.split('\n')) {
      const [escaped = '', deltas = ''] = line.split('|');
      const prototype = escaped.replace(ESCAPED_CHARACTER, (_, code: string) =>
        String.fromCodePoint(Number.parseInt(code, 36)),
      );
      const codes: number[] = [];
      for (const [letters] of deltas.matchAll(DELTA)) {
        codes.push((codes.at(-1) ?? previousFirst) + deltaOf(letters));
      }
      previousFirst = codes[0] ?? previousFirst;
      for (const code of codes) map.set(String.fromCodePoint(code), prototype);
    }
    prototypes = map;
  }
  return prototypes;
}

/**
 * The kept mapping, each character to its prototype, decoded on first use: for tests and tools (the
 * look-alike check itself goes through `skeleton`).
 */
export function confusablePrototypes(): ReadonlyMap<string, string> {
  return prototypeOf();
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
