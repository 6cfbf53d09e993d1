/**
 * Belgian identifiers: the INSZ/NISS (national register number RRN and BIS number, 11 digits
 * `YYMMDD SSS CC`) and the KBO/BCE enterprise number (10 digits `0XXX.XXX.XXX`). Pure and
 * dependency-free: it runs on the login path inside Cognito triggers.
 *
 * Error messages say what is wrong without echoing the identifier (they may reach a log or a login
 * page), and never give the expected check digits: that would turn the check into a number generator.
 *
 * Known limit of the INSZ check (inherent to the two-century rule, not to this code): changing the
 * second digit (units of the birth year) by exactly 6 can turn a number valid under one century rule
 * into one valid under the other (10^7 · 6 ≡ ±(2·10^9) mod 97). Every other single-digit error is
 * detected. Future birth dates are not rejected, to keep parsing independent of the clock.
 */
import { type FieldProblemCode, InvalidIdentifierError } from '#shared/errors';
import { codePointLabel } from '#shared/text-policy';

/** Sex as encoded in an INSZ: `null` when a BIS number was issued without it. */
export type InszSex = 'M' | 'F' | null;

/** The result of {@link parseInsz}. */
export interface ParsedInsz {
  /** The 11 digits, no separators: the stored form. */
  value: string;
  /** `RRN` national register number, `BIS` BIS number (month + 20 or + 40). */
  kind: 'RRN' | 'BIS';
  /**
   * ISO `YYYY-MM-DD` when year, month and day are all encoded; `null` when the month or day is `00`.
   * For a BIS number it is what was known at issue, never authoritative.
   */
  birthDate: string | null;
  /** From the sequence parity (odd male, even female); `null` for a BIS number with month + 20. */
  sex: 'M' | 'F' | null;
}

/** The result of {@link parseEnterpriseNumber}. */
export interface ParsedEnterpriseNumber {
  /** The 10 digits, no separators: the stored form. */
  value: string;
  /** The printed form `0XXX.XXX.XXX`. */
  formatted: string;
}

/**
 * Separators people type, after NFKC (which turns no-break and other Unicode spaces into U+0020).
 * Not `\s`: it also matches U+FEFF (BOM), which is no separator but an invisible character.
 */
const INSZ_SEPARATORS = /[.\- \t\r\n]/g;
const ENTERPRISE_SEPARATORS = /[.\- \t\r\n]/g;
const DIGITS = /^[0-9]+$/;
/** Added to the first nine digits for people born in 2000 or later. */
const MILLENNIUM_PREFIX = 2_000_000_000;
const BIS_SEX_UNKNOWN_OFFSET = 20;
const BIS_SEX_KNOWN_OFFSET = 40;

/** 97 − (n mod 97): the check shared by the INSZ and the enterprise number (always 1..97). */
function mod97Check(n: number): number {
  return 97 - (n % 97);
}

function twoDigits(n: number): string {
  return n.toString().padStart(2, '0');
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids any time zone surprise.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * What is wrong with an input. The parsers' cores return it instead of throwing so that the
 * `isValid…` helpers stay cheap (no stack trace captured per rejected input).
 */
class Problem {
  constructor(
    readonly message: string,
    readonly code: FieldProblemCode,
  ) {}
}

/** A digit of any script: one outside 0-9 is refused with its own message, never dropped. */
const ANY_DIGIT = /\p{Nd}/u;

function digitsOf(input: string, separators: RegExp, label: string, length: number): string | Problem {
  // NFKC maps fullwidth and other compatibility digits to 0-9 (text-policy.ts, identifiers).
  const digits = input.normalize('NFKC').replace(separators, '');
  if (digits.length === 0)
    return new Problem(`${label} is empty: expected ${length} digits`, 'identifier-empty');
  if (!DIGITS.test(digits)) {
    const foreign = [...digits].find((character) => ANY_DIGIT.test(character) && !DIGITS.test(character));
    if (foreign !== undefined) {
      return new Problem(
        `${label} contains a digit of another script (${codePointLabel(foreign)}): type the digits 0-9`,
        'identifier-characters',
      );
    }
    return new Problem(
      `${label} contains characters other than digits and the separators '.', '-' and space`,
      'identifier-characters',
    );
  }
  return digits;
}

function orThrow<T>(result: T | Problem): T {
  if (result instanceof Problem) throw new InvalidIdentifierError(result.message, result.code);
  return result;
}

/**
 * Parses a national register number (RRN) or BIS number, together the INSZ/NISS.
 *
 * Accepts the 11 digits with or without the usual separators (`.`, `-`, whitespace), e.g.
 * `85.07.30-033.28`. The century is the one whose check-digit variant validates (the 2000+ variant
 * prefixes a `2` to the first nine digits); the two variants never agree, so it is unambiguous.
 *
 * @throws InvalidIdentifierError when the length, characters, month, day, sequence (000 and 999 are
 *   unused), check digits or calendar date are wrong; the message says which.
 */
export function parseInsz(input: string): ParsedInsz {
  return orThrow(inspectInsz(input));
}

function inspectInsz(input: string): ParsedInsz | Problem {
  const value = digitsOf(input, INSZ_SEPARATORS, 'National number', 11);
  if (value instanceof Problem) return value;
  if (value.length !== 11) {
    return new Problem(`National number must have 11 digits, got ${value.length}`, 'identifier-length');
  }

  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  const sequence = Number(value.slice(6, 9));
  const check = Number(value.slice(9, 11));

  let kind: ParsedInsz['kind'];
  let month: number;
  let sexKnown: boolean;
  if (mm <= 12) {
    kind = 'RRN';
    month = mm;
    sexKnown = true;
  } else if (mm >= BIS_SEX_UNKNOWN_OFFSET && mm <= BIS_SEX_UNKNOWN_OFFSET + 12) {
    kind = 'BIS';
    month = mm - BIS_SEX_UNKNOWN_OFFSET;
    sexKnown = false;
  } else if (mm >= BIS_SEX_KNOWN_OFFSET && mm <= BIS_SEX_KNOWN_OFFSET + 12) {
    kind = 'BIS';
    month = mm - BIS_SEX_KNOWN_OFFSET;
    sexKnown = true;
  } else {
    return new Problem(
      `National number has an impossible month ${twoDigits(mm)}: expected 00-12, or 20-32 / 40-52 for a BIS number`,
      'identifier-month',
    );
  }
  if (dd > 31) {
    return new Problem(
      `National number has an impossible day ${twoDigits(dd)}: expected 00-31`,
      'identifier-day',
    );
  }
  if (sequence === 0 || sequence === 999) {
    return new Problem(
      `National number has an unused sequence ${value.slice(6, 9)}: 000 and 999 are never issued`,
      'identifier-sequence',
    );
  }

  const firstNine = Number(value.slice(0, 9));
  const check1900 = mod97Check(firstNine);
  const check2000 = mod97Check(MILLENNIUM_PREFIX + firstNine);
  let century: 1900 | 2000;
  if (check === check1900) {
    century = 1900;
  } else if (check === check2000) {
    century = 2000;
  } else {
    // Never say which digits were expected: that would turn the check into a number generator.
    return new Problem(
      'National number has wrong check digits: check the number for a typing error',
      'check-digits',
    );
  }

  const year = century + yy;
  let birthDate: string | null = null;
  if (month !== 0 && dd !== 0) {
    if (!isRealDate(year, month, dd)) {
      const leapHint = month === 2 && dd === 29 ? ` (${year} is not a leap year)` : '';
      return new Problem(
        `National number encodes a birth date that does not exist: day ${dd} of month ${month}${leapHint}`,
        'identifier-date',
      );
    }
    birthDate = `${year}-${twoDigits(month)}-${twoDigits(dd)}`;
  }

  const sex = sexKnown ? (sequence % 2 === 1 ? 'M' : 'F') : null;
  return { value, kind, birthDate, sex };
}

/** True when {@link parseInsz} accepts `input`. */
export function isValidInsz(input: string): boolean {
  return !(inspectInsz(input) instanceof Problem);
}

/**
 * The printed form `YY.MM.DD-SSS.CC` of a valid INSZ (any form {@link parseInsz} accepts).
 *
 * @throws InvalidIdentifierError when `value` is not a valid INSZ.
 */
export function formatInsz(value: string): string {
  const digits = parseInsz(value).value;
  return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}-${digits.slice(6, 9)}.${digits.slice(9)}`;
}

/**
 * Parses a KBO/BCE enterprise number.
 *
 * Accepts separators (`.`, `-`, whitespace), the VAT prefix `BE` (any case, optional space) and the
 * legacy 9-digit form (a leading `0` is added). The first digit must be 0 or 1 (numbers starting
 * with 2-8 are establishment units, not enterprises); the last two digits are
 * 97 − (first eight digits mod 97).
 *
 * @throws InvalidIdentifierError with a message that says what is wrong.
 */
export function parseEnterpriseNumber(input: string): ParsedEnterpriseNumber {
  return orThrow(inspectEnterpriseNumber(input));
}

function inspectEnterpriseNumber(input: string): ParsedEnterpriseNumber | Problem {
  const withoutPrefix = input.trim().replace(/^be\s?/i, '');
  let value = digitsOf(withoutPrefix, ENTERPRISE_SEPARATORS, 'Enterprise number', 10);
  if (value instanceof Problem) return value;
  if (value.length === 9) value = `0${value}`;
  if (value.length !== 10) {
    return new Problem(
      `Enterprise number must have 10 digits (or 9 in the old form), got ${value.length}`,
      'identifier-length',
    );
  }
  if (value[0] !== '0' && value[0] !== '1') {
    return new Problem(
      `Enterprise number must start with 0 or 1, got ${value[0]} (2-8 are establishment unit numbers)`,
      'identifier-prefix',
    );
  }
  const expected = mod97Check(Number(value.slice(0, 8)));
  if (Number(value.slice(8)) !== expected) {
    return new Problem(
      'Enterprise number has wrong check digits: check the number for a typing error',
      'check-digits',
    );
  }
  return { value, formatted: `${value.slice(0, 4)}.${value.slice(4, 7)}.${value.slice(7)}` };
}

/** True when {@link parseEnterpriseNumber} accepts `input`. */
export function isValidEnterpriseNumber(input: string): boolean {
  return !(inspectEnterpriseNumber(input) instanceof Problem);
}

/**
 * The printed form `0XXX.XXX.XXX` of a valid enterprise number (any form
 * {@link parseEnterpriseNumber} accepts).
 *
 * @throws InvalidIdentifierError when `value` is not a valid enterprise number.
 */
export function formatEnterpriseNumber(value: string): string {
  return parseEnterpriseNumber(value).formatted;
}

/**
 * The highest `sequence` {@link issueBisNumber} accepts for a sex: 499 for `M` (SSS 001..997, odd)
 * and `F` (SSS 002..998, even), 998 when the sex is unknown (SSS 001..998). This is the number of
 * BIS numbers that can exist for one birth date (or for the all-zero unknown date) and sex.
 */
export function maxBisSequence(sex: InszSex): number {
  return sex === null ? 998 : 499;
}

/** Input of {@link issueBisNumber}. */
export interface BisNumberRequest {
  /** ISO `YYYY-MM-DD`, a real date in 1900-2099; `null` when unknown. */
  birthDate: string | null;
  sex: 'M' | 'F' | null;
  /** 1-based counter, see {@link issueBisNumber}; 1..{@link maxBisSequence}. */
  sequence: number;
}

/**
 * Builds a valid BIS number for a person, given a 1-based `sequence` the caller increments until
 * the number is unique (uniqueness is the caller's job, e.g. a conditional write).
 *
 * Encoding:
 * - month + 40 when the sex is known, + 20 when it is not;
 * - SSS from the sequence: male `2·seq − 1` (001, 003, … 997), female `2·seq` (002, 004, … 998),
 *   unknown `seq` (001 … 998); 000 and 999 are never produced;
 * - `birthDate: null` gives zero date parts (`00` + month `40`/`20` + `00`) and, by convention, the
 *   check digits of the pre-2000 rule (plain first nine digits), so the result is deterministic;
 * - a known birth date in 2000 or later uses the 2000+ check-digit rule, so {@link parseInsz} gives
 *   back the same date.
 *
 * @throws RangeError when `sequence` is not an integer in 1..{@link maxBisSequence}(sex) (callers can
 *   treat "sequence > max" as "this date and sex are exhausted"), when `birthDate` is not a real ISO
 *   date in 1900-2099, or when `sex` is not `M`, `F` or `null`. RangeError rather than
 *   InvalidIdentifierError because these are caller or capacity problems, not a bad identifier.
 */
export function issueBisNumber(input: BisNumberRequest): string {
  const { birthDate, sex, sequence } = input;
  if (sex !== 'M' && sex !== 'F' && sex !== null) {
    throw new RangeError(`BIS number sex must be 'M', 'F' or null`);
  }
  const max = maxBisSequence(sex);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > max) {
    throw new RangeError(
      `BIS number sequence must be an integer from 1 to ${max} for sex ${sex ?? 'unknown'}, got ${sequence}`,
    );
  }

  let year = 1900;
  let month = 0;
  let day = 0;
  if (birthDate !== null) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
    const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
    if (!match || y < 1900 || y > 2099 || !isRealDate(y, m, d)) {
      throw new RangeError('BIS number birth date must be a real ISO date (YYYY-MM-DD) in 1900-2099');
    }
    [year, month, day] = [y, m, d];
  }

  const sss = sex === 'M' ? 2 * sequence - 1 : sex === 'F' ? 2 * sequence : sequence;
  const monthCode = month + (sex === null ? BIS_SEX_UNKNOWN_OFFSET : BIS_SEX_KNOWN_OFFSET);
  const firstNine = `${twoDigits(year % 100)}${twoDigits(monthCode)}${twoDigits(day)}${sss.toString().padStart(3, '0')}`;
  const n = Number(firstNine);
  const check = mod97Check(year >= 2000 ? MILLENNIUM_PREFIX + n : n);
  return `${firstNine}${twoDigits(check)}`;
}
