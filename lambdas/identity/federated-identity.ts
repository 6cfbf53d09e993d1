/**
 * The normalized result of a federated login, independent of the identity provider and of Cognito:
 * what the mapping functions produce and what person resolution and claims consume.
 */
import { LoginRefusedError } from '#shared/errors';
import type { IdentityProvider } from '#shared/keys';
import { cleanAsserted, isAcceptableEmail } from '#shared/text-policy';
import { type CustomAttributeName, cognitoAttribute } from './attribute-mapping.ts';
import type { EidasLevel } from './config.ts';

/** The federated providers (native accounts are {@link NativeIdentity}). */
export type FederatedProvider = Exclude<IdentityProvider, 'native'>;

/** Level of assurance claimed in tokens. `low` only when an operator sets the eIDAS minimum to low. */
export type LevelOfAssurance = EidasLevel;

/** A postal address, structured; every part optional because providers send what they have. */
export interface PostalAddress {
  street?: string;
  houseNumber?: string;
  /** Post office box (eIDAS `PoBox`). */
  poBox?: string;
  /** Building or place name (eIDAS `LocatorName`). */
  locatorName?: string;
  /** District or area (eIDAS `CvaddressArea`). */
  area?: string;
  postalCode?: string;
  city?: string;
  region?: string;
  /** ISO 3166-1 alpha-2 when known. */
  country?: string;
  /** The address as one text when the provider sends it so. */
  formatted?: string;
}

/** Person data a provider asserts at login. */
export interface PersonProfileFields {
  /** Given names as one string (Latin script when the provider offers a transliteration). */
  givenNames: string;
  familyName: string;
  /** ISO `YYYY-MM-DD`. */
  birthDate: string;
  sex?: 'M' | 'F';
  /** ISO 3166-1 alpha-2, the first one when several are asserted. */
  nationality?: string;
  birthName?: string;
  placeOfBirth?: string;
  countryOfBirth?: string;
  countryOfResidence?: string;
  email?: string;
  phone?: string;
  locale?: string;
  address?: PostalAddress;
}

/** One login, mapped and checked. */
export interface FederatedIdentity {
  provider: FederatedProvider;
  /** Stable id at the provider: eIDAS PersonIdentifier `XX/BE/id`, itsme `sub`. */
  subject: string;
  loa: LevelOfAssurance;
  /** A national number verified by the provider (itsme `eid` scope), 11 digits. */
  insz?: string;
  profile: PersonProfileFields;
  /**
   * How many asserted fields the text policy cleaned (invisible or format characters removed, an
   * e-mail address the API would refuse ignored): counted by a metric, never a reason to refuse.
   */
  textCleaned?: number;
}

/**
 * The text policy on what a provider asserted (`text-policy.ts`): names, places, address parts and
 * the phone lose lone surrogates, U+FFFD, control, format and default-ignorable characters and long
 * runs of combining marks; an e-mail address is cleaned the same way and then kept only when the API
 * would accept it, so no mail goes to an address nobody typed. Never refuses the login.
 *
 * @returns the cleaned profile and how many fields changed (0 for a clean login).
 */
export function cleanProfile(profile: PersonProfileFields): {
  profile: PersonProfileFields;
  cleaned: number;
} {
  let cleaned = 0;
  const clean = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const result = cleanAsserted(value);
    if (result.changed) cleaned++;
    return result.value === '' ? undefined : result.value;
  };
  const rawEmail = profile.email;
  let email = clean(rawEmail);
  if (email !== undefined && !isAcceptableEmail(email)) {
    email = undefined;
    cleaned++;
  }
  const address =
    profile.address &&
    compact(
      Object.fromEntries(
        Object.entries(profile.address).map(([part, value]) => [part, clean(value)]),
      ) as PostalAddress,
    );
  const out = compact<PersonProfileFields>({
    ...profile,
    givenNames: clean(profile.givenNames) ?? '',
    familyName: clean(profile.familyName) ?? '',
    birthName: clean(profile.birthName),
    placeOfBirth: clean(profile.placeOfBirth),
    email,
    phone: clean(profile.phone),
    address: address && Object.keys(address).length > 0 ? address : undefined,
  });
  return { profile: out, cleaned };
}

/**
 * A native login (username, password and a second factor, account created by a registration
 * office): LoA `substantial`; the person comes from the identity link `('native', subject)` that the
 * registration office wrote, never from the login's attributes.
 */
export interface NativeIdentity {
  provider: 'native';
  /** The Cognito username, lower case (see native-user.ts). */
  subject: string;
  loa: 'substantial';
}

/** Any accepted login. */
export type LoginIdentity = FederatedIdentity | NativeIdentity;

/** Cognito user attributes, e.g. `custom:given_name` → value. */
export type AttributeMap = Record<string, string>;

/** Reads a mapped custom attribute; blank values count as absent. */
export function readAttribute(attributes: AttributeMap, name: CustomAttributeName): string | undefined {
  const value = attributes[cognitoAttribute(name)]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Human labels of the attributes that can be missing or unreadable (shown in refusals). */
const ATTRIBUTE_LABELS: Partial<Record<CustomAttributeName, string>> = {
  eidas_person_id: 'personal identifier',
  family_name: 'family name',
  given_name: 'given name',
  birth_date: 'date of birth',
};

/** Reads a mandatory attribute or refuses the login, naming what is missing. */
export function requireAttribute(
  attributes: AttributeMap,
  name: CustomAttributeName,
  providerLabel: string,
): string {
  const value = readAttribute(attributes, name);
  if (value === undefined) {
    throw new LoginRefusedError(
      'missing-attribute',
      `${providerLabel} did not share your ${ATTRIBUTE_LABELS[name] ?? name}, which we need to identify you. ` +
        'Please try again; if it keeps happening, log in another way.',
    );
  }
  return value;
}

/** Refusal for a value that is present but cannot be used. */
export function unreadableAttribute(name: CustomAttributeName, providerLabel: string): LoginRefusedError {
  return new LoginRefusedError(
    'invalid-attribute',
    `${providerLabel} sent a ${ATTRIBUTE_LABELS[name] ?? name} we cannot read. ` +
      'Please try again later or log in another way.',
  );
}

/** A real calendar date in ISO `YYYY-MM-DD`, or `undefined`. */
export function parseIsoDate(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const iso = date.toISOString().slice(0, 10);
  return iso === `${y}-${m}-${d}` ? iso : undefined;
}

/** `M`/`F` from eIDAS (`Male`/`Female`/`Unspecified`) or OIDC (`male`/`female`) gender values. */
export function parseSex(value: string | undefined): 'M' | 'F' | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'male':
    case 'm':
      return 'M';
    case 'female':
    case 'f':
      return 'F';
    default:
      return undefined;
  }
}

/** An ISO 3166-1 alpha-2 code, upper case, or `undefined`. */
export function parseCountryCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code !== undefined && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

/** Copies only the defined values, so stored items and test expectations carry no `undefined`. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
