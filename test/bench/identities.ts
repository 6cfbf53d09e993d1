/**
 * Synthetic people for the bench and the load run: valid, unique Belgian national numbers and the
 * person data that goes with them.
 */
import { isValidInsz } from '#shared/belgian-ids';

/** A person with a national number, born in the 1900s. */
export interface SyntheticPerson {
  insz: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

/**
 * The `index`-th synthetic person (0 ≤ index < 997 × 7300): birth dates from 1950-01-01 on, a
 * sequence number per date, check digits of the pre-2000 rule. `salt` (0-9) shifts the dates so
 * two runs against the same sandbox do not collide.
 */
export function syntheticPerson(index: number, salt = 0): SyntheticPerson {
  const day = Math.floor(index / 997) + salt * 730;
  const sequence = (index % 997) + 1;
  const birth = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000);
  const yymmdd = birth.toISOString().slice(2, 10).replaceAll('-', '');
  const base = `${yymmdd}${String(sequence).padStart(3, '0')}`;
  const check = 97 - (Number(base) % 97);
  const insz = `${base}${String(check).padStart(2, '0')}`;
  if (!isValidInsz(insz)) throw new Error(`Generated an invalid national number ${insz}`);
  return {
    insz,
    givenName: 'Bench',
    familyName: `User ${index}`,
    birthDate: birth.toISOString().slice(0, 10),
  };
}
