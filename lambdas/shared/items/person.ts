/**
 * The person profile item (`keys.person`), owned by the identity context and read by the other
 * contexts for names, contact and national number. Hand-written on purpose, without zod: the login
 * triggers read the same item, and they carry no schema library (bundle size and cold start on every
 * login). Same contract as the zod readers in this folder: optional text absent or `''` reads as
 * absent; a required field that is missing throws {@link StoredItemError}.
 */
import { StoredItemError } from './stored-item-error.ts';

/** The profile fields other contexts read; each may be absent (profiles are built up login by login). */
export interface PersonProfile {
  insz?: string;
  /** Why the INSZ is this person's (`INSZ_EVIDENCE`); absent on profiles not migrated yet. */
  inszEvidence?: string;
  givenNames?: string;
  familyName?: string;
  birthDate?: string;
  email?: string;
  locale?: string;
}

const PROFILE_FIELDS = [
  'insz',
  'inszEvidence',
  'givenNames',
  'familyName',
  'birthDate',
  'email',
  'locale',
] as const satisfies readonly (keyof PersonProfile)[];

/**
 * The profile of a stored person item, or of the part of it a projection read: the fields present as
 * non-empty strings, in this order, and no others.
 */
export function readPersonProfile(item: Record<string, unknown>): PersonProfile {
  const profile: PersonProfile = {};
  for (const field of PROFILE_FIELDS) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') profile[field] = value;
  }
  return profile;
}

/**
 * The person id of a stored person item (read with `personId` in any projection).
 * @throws StoredItemError when the item has none.
 */
export function readPersonId(item: Record<string, unknown>): string {
  if (typeof item.personId !== 'string') throw new StoredItemError('person', 'personId', 'expected string');
  return item.personId;
}
