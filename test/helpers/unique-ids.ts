/**
 * Valid Belgian identifiers that no other test uses, so tests sharing a table never see each
 * other's persons or companies: random numbers with the real check digits (97 - number mod 97).
 */

/** A national number of a random 1900s birth date and sequence, with that birth date (ISO). */
export function uniqueNationalNumber(): { insz: string; birthDate: string } {
  const sequence = String(1 + Math.floor(Math.random() * 997)).padStart(3, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const year = String(Math.floor(Math.random() * 100)).padStart(2, '0');
  const firstNine = `${year}${month}${day}${sequence}`;
  return {
    insz: `${firstNine}${String(97 - (Number(firstNine) % 97)).padStart(2, '0')}`,
    birthDate: `19${year}-${month}-${day}`,
  };
}

/** A national number of a random 1900s birth date and sequence. */
export const uniqueInsz = (): string => uniqueNationalNumber().insz;

/** An enterprise number (`0` and nine digits). */
export function uniqueEnterpriseNumber(): string {
  const first = `0${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
  return `${first}${String(97 - (Number(first) % 97)).padStart(2, '0')}`;
}
