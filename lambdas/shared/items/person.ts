/**
 * The person partition (`PERSON#<personId>`): the profile item (`keys.person`), owned by the identity
 * context and read by the other contexts for names, contact and national number, and the memberships
 * and grants that sort under it. Hand-written on purpose, without zod: the login triggers read the
 * same items, and they carry no schema library (bundle size and cold start on every login). Same
 * contract as the zod readers in this folder: optional text absent or `''` reads as absent; a
 * required field that is missing throws {@link StoredItemError}, or the reader answers `undefined`
 * where the caller must tolerate the item (a login, `GET /me`).
 */
import { text } from '../item-fields.ts';
import { MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '../keys.ts';
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

/** The parts of a postal address a profile may hold (what eIDAS asserted). */
export const ADDRESS_PARTS = ['street', 'houseNumber', 'postalCode', 'city', 'country'] as const;

/** The whole profile item as its owner, the identity context, reads it. */
export interface StoredProfile extends PersonProfile {
  personId: string;
  /** The providers the person logged in with (a string set; an array in older items and tests). */
  providers: string[];
  /** The `<provider>#<subject>` refs of the identity links that point to the person. */
  identityLinks: string[];
  /** The capacity chosen last (`PUT /me/capacity`): an organisation, `null` (private), or never chosen. */
  capacityChoice: string | null | undefined;
  /** A security officer suspended the person: no token carries a capacity, roles or `admin_of`. */
  suspended: boolean;
  /** The identity case of the suspension (`'unknown'` when the suspension names none). */
  suspensionCaseId?: string;
  /** The person this one was joined into ("connect another login"). */
  mergedInto?: string;
  /** What the identity provider asserted beyond names and birth date (eIDAS), as stored. */
  sex?: string;
  nationality?: string;
  placeOfBirth?: string;
  address?: Partial<Record<(typeof ADDRESS_PARTS)[number], string>>;
}

/** The strings of a string set attribute (a `Set` from the document client, an array in tests). */
export function readStringSet(value: unknown): string[] {
  const values = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
  return values.filter((entry): entry is string => typeof entry === 'string');
}

/** The choice stored on a profile (`capacity: { orgCode, chosenAt }`); `undefined`: never chose. */
export function readCapacityChoice(value: unknown): string | null | undefined {
  if (typeof value !== 'object' || value === null || !('orgCode' in value)) return undefined;
  const orgCode = (value as { orgCode: unknown }).orgCode;
  if (orgCode === null) return null;
  return text(orgCode);
}

/**
 * The profile of a stored item with everything on it; `undefined` when there is no item or it names
 * no person (a login or `GET /me` for a person whose profile is gone).
 */
export function readStoredProfile(item: Record<string, unknown> | undefined): StoredProfile | undefined {
  const personId = text(item?.personId);
  if (!item || !personId) return undefined;
  const suspension = item.suspension;
  const address =
    typeof item.address === 'object' && item.address !== null
      ? (item.address as Record<string, unknown>)
      : {};
  const addressParts = Object.fromEntries(
    ADDRESS_PARTS.flatMap((part) => {
      const value = text(address[part]);
      return value === undefined ? [] : [[part, value]];
    }),
  );
  const optional = {
    mergedInto: text(item.mergedInto),
    sex: text(item.sex),
    nationality: text(item.nationality),
    placeOfBirth: text(item.placeOfBirth),
    suspensionCaseId:
      typeof suspension === 'object' && suspension !== null
        ? (text((suspension as Record<string, unknown>).caseId) ?? 'unknown')
        : undefined,
  };
  return {
    ...readPersonProfile(item),
    personId,
    providers: readStringSet(item.providers),
    identityLinks: readStringSet(item.identityLinks),
    capacityChoice: readCapacityChoice(item.capacity),
    suspended: suspension !== undefined && suspension !== null,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(Object.keys(addressParts).length > 0 ? { address: addressParts } : {}),
  };
}

/** The profile among a partition's items (`SK` `PROFILE`), read by {@link readStoredProfile}. */
export function profileOf(items: readonly Record<string, unknown>[]): StoredProfile | undefined {
  return readStoredProfile(items.find((item) => item.SK === PROFILE_SK));
}

/** A membership as the person's own partition lists it (the person is the partition's). */
export interface PartitionMembership {
  orgCode: string;
  /** The organisation's name, denormalised on the membership; its code when none was stored. */
  name: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
}

/**
 * The organisation of a membership item: its `orgCode`, else the one its sort key names (a
 * projection of the sort key alone); `undefined` when neither names one. The caller knows the item
 * is a membership (its sort key prefix, or a query of memberships).
 */
export function membershipOrgCode(item: Record<string, unknown>): string | undefined {
  const sk = text(item.SK) ?? '';
  return (
    text(item.orgCode) ??
    (sk.startsWith(MEMBERSHIP_SK_PREFIX) ? text(sk.slice(MEMBERSHIP_SK_PREFIX.length)) : undefined)
  );
}

/**
 * The membership of an item of the person's partition; `undefined` for anything that is no
 * membership. A role is held only when stored as `true`.
 */
export function readPartitionMembership(item: Record<string, unknown>): PartitionMembership | undefined {
  if (!(text(item.SK) ?? '').startsWith(MEMBERSHIP_SK_PREFIX)) return undefined;
  const orgCode = membershipOrgCode(item);
  if (!orgCode) return undefined;
  return {
    orgCode,
    name: text(item.name) ?? orgCode,
    localAdministrator: item.localAdministrator === true,
    legalRepresentative: item.legalRepresentative === true,
  };
}
