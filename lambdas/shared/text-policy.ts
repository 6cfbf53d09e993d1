/**
 * The one text policy (issue 19): what text people read may contain, what is removed from what an
 * identity provider asserts, and which characters an identifier may hold. Every request schema
 * (`http/schemas.ts`) and every identity mapping (eIDAS, itsme, native accounts) goes through here.
 *
 * - **Text people read** (names, addresses, company names, justifications, reasons): NFC; refused
 *   when it holds a lone surrogate, U+FFFD, a control character, a default-ignorable or format
 *   character (`\p{Default_Ignorable_Code_Point}`, `\p{Cf}`: LRM/RLM/ALM, bidi embeddings, overrides
 *   and isolates, zero-width characters, BOM, soft hyphen, tag characters…) or a run of more than
 *   {@link MAX_COMBINING_RUN} combining marks (the Unicode stream-safe limit; names use a stricter one).
 * - **Names and e-mail addresses from an identity provider**: never refuse a login; the same
 *   characters are removed ({@link cleanAsserted}) before anything is stored or compared.
 * - **Identifiers**: NFKC, then only ASCII letters, digits and the separators a kind allows
 *   ({@link identifierCharacters}); any other letter or digit is refused, never dropped.
 *
 * Only regular expressions with Unicode property escapes: the tables are V8's (ICU), so this module
 * adds no Unicode data to a bundle (the login triggers import it). The look-alike checks that need the
 * confusables table live in `lookalikes.ts`, outside the triggers.
 */

/** The Unicode stream-safe text format's limit of consecutive non-starters (UAX #15). */
export const MAX_COMBINING_RUN = 30;

/** Stricter limit for the names of people and organisations: no script needs more marks on one letter. */
export const MAX_NAME_COMBINING_RUN = 8;

/** Stable codes of the policy's problems (problem+json `errors[].code`; portal texts key on them). */
export type TextProblemCode =
  | 'text.lone-surrogate'
  | 'text.replacement-character'
  | 'text.control-character'
  | 'text.format-character'
  | 'text.combining-marks'
  | 'identifier.foreign-character'
  | 'identifier.character';

/** What is wrong with a text; `message` is English, safe to show and never echoes the input. */
export interface TextProblem {
  code: TextProblemCode;
  message: string;
  params?: Record<string, string | number>;
}

/** C0 and C1 controls (tab and newline included: none of our fields is multi-line). */
const CONTROL = /\p{Cc}/u;
/** Default-ignorable and format characters: invisible, or they change how the text around them reads. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
const INVISIBLE_GLOBAL = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\uFFFD]/gu;
/** With the `u` flag a lone surrogate is its own code point of category Cs (`isWellFormed` is ES2024). */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_GLOBAL = /\p{Cs}/gu;
const COMBINING_RUN_GLOBAL = /\p{M}+/gu;

/** `U+200B` for a code point. */
export function codePointLabel(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function longestCombiningRun(value: string): number {
  let longest = 0;
  for (const [run] of value.matchAll(COMBINING_RUN_GLOBAL)) {
    // Code points, not UTF-16 units: marks beyond the BMP count once.
    let length = 0;
    for (const _ of run) length++;
    if (length > longest) longest = length;
  }
  return longest;
}

/** Options of {@link readableTextProblem}. */
export interface ReadableTextOptions {
  /** Longest run of combining marks accepted. @default {@link MAX_COMBINING_RUN} */
  maxCombiningRun?: number;
}

/**
 * The first problem of a text that people will read (call it on the NFC form), or `undefined` when
 * it may be stored as it is.
 */
export function readableTextProblem(
  value: string,
  options: ReadableTextOptions = {},
): TextProblem | undefined {
  if (LONE_SURROGATE.test(value)) {
    return {
      code: 'text.lone-surrogate',
      message: 'Contains a broken character (a lone UTF-16 surrogate); type the text again',
    };
  }
  if (value.includes('\uFFFD')) {
    return {
      code: 'text.replacement-character',
      message: 'Contains the replacement character U+FFFD: the text was damaged on the way; type it again',
      params: { codePoint: 'U+FFFD' },
    };
  }
  const control = CONTROL.exec(value);
  if (control) {
    return {
      code: 'text.control-character',
      message: `Control characters are not allowed (found ${codePointLabel(control[0])})`,
      params: { codePoint: codePointLabel(control[0]) },
    };
  }
  const invisible = INVISIBLE.exec(value);
  if (invisible) {
    const codePoint = codePointLabel(invisible[0]);
    return {
      code: 'text.format-character',
      message:
        `Invisible formatting characters are not allowed (found ${codePoint}): ` +
        'they can make text read as something else',
      params: { codePoint },
    };
  }
  const max = options.maxCombiningRun ?? MAX_COMBINING_RUN;
  if (longestCombiningRun(value) > max) {
    return {
      code: 'text.combining-marks',
      message: `At most ${max} accents or other combining marks in a row`,
      params: { max },
    };
  }
  return undefined;
}

/** What {@link cleanAsserted} did. */
export interface CleanedText {
  value: string;
  /** True when characters were removed or marks cut: count it, never refuse for it. */
  changed: boolean;
}

/**
 * A name or e-mail address asserted by an identity provider, made safe to store and compare without
 * refusing the login: NFC, lone surrogates, U+FFFD, controls, default-ignorable and format characters
 * removed, runs of combining marks cut to `maxCombiningRun`, trimmed.
 */
export function cleanAsserted(raw: string, maxCombiningRun: number = MAX_NAME_COMBINING_RUN): CleanedText {
  const cleaned = raw
    .replace(LONE_SURROGATE_GLOBAL, '')
    .normalize('NFC')
    .replace(INVISIBLE_GLOBAL, '')
    .replace(COMBINING_RUN_GLOBAL, (run) => [...run].slice(0, maxCombiningRun).join(''))
    .trim();
  // Only removals count: NFC and trimming change no character anyone sees.
  return {
    value: cleaned,
    changed: cleaned !== raw.replace(LONE_SURROGATE_GLOBAL, '\uFFFD').normalize('NFC').trim(),
  };
}

/**
 * What the API accepts as an e-mail address, shared by the API's `emailSchema` and the identity
 * mappings (an asserted address that fails it is ignored): ASCII only, one `@`, a dotted domain.
 * Zod's own e-mail rule (`z.regexes.email`), kept here so the login triggers need no zod.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Longest e-mail address (the SMTP path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** True for an address the API would accept in an e-mail field. */
export function isAcceptableEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(value);
}

/** Options of {@link identifierCharacters}. */
export interface IdentifierOptions {
  /** Human name of the identifier, first word of the messages ("Registration number"). */
  label: string;
  /** Separators people may type, removed from the result. */
  separators: RegExp;
  /** How the separators read in a message ("'.', '-', '/' and space"). */
  separatorsText: string;
  /** Accept ASCII letters besides digits. @default true */
  letters?: boolean;
}

const ASCII_LETTER_OR_DIGIT = /^[A-Za-z0-9]$/;
const ASCII_DIGIT = /^[0-9]$/;
const ANY_LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/**
 * An identifier reduced to its ASCII letters and digits (upper case): NFKC first (fullwidth `１` is
 * `1`), separators removed, anything else refused. A letter or digit of another script (Cyrillic `А`,
 * Greek `Ο`, Arabic-Indic `٣`) is refused with its own message, never dropped: dropping it would
 * make two different numbers one, or one number look like another.
 */
export function identifierCharacters(raw: string, options: IdentifierOptions): string | TextProblem {
  const letters = options.letters ?? true;
  const allowed = letters ? ASCII_LETTER_OR_DIGIT : ASCII_DIGIT;
  let out = '';
  for (const character of raw.normalize('NFKC').replace(options.separators, '')) {
    if (allowed.test(character)) {
      out += character;
    } else if (ANY_LETTER_OR_DIGIT.test(character)) {
      return {
        code: 'identifier.foreign-character',
        message:
          `${options.label} contains a letter or digit (${codePointLabel(character)}) outside ` +
          `${letters ? 'A-Z and 0-9' : '0-9'}: type it with ${letters ? 'Latin letters and ' : ''}the digits 0-9`,
        params: { codePoint: codePointLabel(character) },
      };
    } else {
      return {
        code: 'identifier.character',
        message:
          `${options.label} may only contain ${letters ? 'letters A-Z, ' : ''}digits 0-9 and ` +
          options.separatorsText,
        params: { codePoint: codePointLabel(character) },
      };
    }
  }
  return out.toUpperCase();
}
