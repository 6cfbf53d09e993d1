/**
 * Belgian identifiers as people read and type them: printed forms (`YY.MM.DD-SSS.CC`,
 * `0XXX.XXX.XXX`) and the browser-side checks of the forms. Free of the DOM, unit-tested in Node.
 * A check says *that* the check digits are wrong, never which digits were expected.
 */

const SEPARATORS = /[.\-\s]/g;

const mod97 = (digits: string): number => 97 - Number(BigInt(digits) % 97n);

/** `85073003328` → `85.07.30-033.28`; anything that is not 11 digits is returned as it is. */
export function formatInsz(value: string): string {
  const digits = value.replace(SEPARATORS, '');
  if (!/^\d{11}$/.test(digits)) return value;
  return `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}-${digits.slice(6, 9)}.${digits.slice(9)}`;
}

/** `0403019261` → `0403.019.261`; anything that is not 10 digits is returned as it is. */
export function formatEnterpriseNumber(value: string): string {
  const digits = value.replace(SEPARATORS, '');
  if (!/^\d{10}$/.test(digits)) return value;
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** An organisation code as printed: enterprise numbers formatted, other codes (OVO…, FOREIGN-…) as they are. */
export const formatOrgCode = (orgCode: string): string => formatEnterpriseNumber(orgCode);

/** The code of what is wrong with a typed national register or BIS number, or `undefined`. */
export function inszProblem(input: string): string | undefined {
  const digits = input.trim().replace(SEPARATORS, '');
  if (digits === '') return 'required';
  if (!/^\d+$/.test(digits)) return 'identifier-characters';
  if (digits.length !== 11) return 'identifier-length';
  const check = Number(digits.slice(9));
  const firstNine = digits.slice(0, 9);
  if (check !== mod97(firstNine) && check !== mod97(`2${firstNine}`)) return 'check-digits';
  return undefined;
}

/** The code of what is wrong with a typed enterprise number, or `undefined`. */
export function enterpriseNumberProblem(input: string): string | undefined {
  let digits = input
    .trim()
    .replace(/^be\s?/i, '')
    .replace(SEPARATORS, '');
  if (digits === '') return 'required';
  if (!/^\d+$/.test(digits)) return 'identifier-characters';
  if (digits.length === 9) digits = `0${digits}`;
  if (digits.length !== 10) return 'identifier-length';
  if (digits[0] !== '0' && digits[0] !== '1') return 'identifier-prefix';
  if (Number(digits.slice(8)) !== mod97(digits.slice(0, 8))) return 'check-digits';
  return undefined;
}

/** The code of what is wrong with an e-mail address, or `undefined`. */
export const emailProblem = (input: string): string | undefined =>
  /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(input.trim()) ? undefined : 'invalid-email';

/** The code of what is wrong with a phone number (E.164 once spaces, dots and dashes are removed). */
export const phoneProblem = (input: string): string | undefined =>
  /^\+[1-9]\d{6,14}$/.test(input.replace(/[\s().-]/g, '')) ? undefined : 'invalid-phone';
