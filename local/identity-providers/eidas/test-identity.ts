/**
 * A test person as the local eIDAS node's form collects it, turned into the eIDAS attributes a real
 * node would assert (attribute URIs of attribute-mapping.ts, values as eIDAS spells them).
 */

import { randomBytes } from 'node:crypto';
import { EIDAS_LOA_ATTRIBUTE, EIDAS_NATURAL_PERSON } from '#identity/attribute-mapping';
import { findCountry } from './countries.ts';

/** eIDAS attributes by attribute URI; several values become several `AttributeValue` elements. */
export type EidasAttributes = Readonly<Record<string, string | readonly string[]>>;

/** The eIDAS natural-person attribute URI of a short name, e.g. `CurrentGivenName`. */
export const eidasAttribute = (name: string): string => `${EIDAS_NATURAL_PERSON}${name}`;

/** eIDAS levels of assurance. */
export const EIDAS_LOA_LEVELS = ['low', 'substantial', 'high'] as const;
export type EidasLoaLevel = (typeof EIDAS_LOA_LEVELS)[number];

/** The notified LoA URI of a level. */
export const eidasLoaUri = (level: EidasLoaLevel): string => `http://eidas.europa.eu/LoA/${level}`;

/** Elements of an eIDAS CurrentAddress (eIDAS SAML attribute profile, `eidas-natural:` namespace). */
export interface EidasAddressParts {
  PoBox?: string;
  LocatorDesignator?: string;
  LocatorName?: string;
  CvaddressArea?: string;
  Thoroughfare?: string;
  PostName?: string;
  AdminunitFirstline?: string;
  AdminunitSecondline?: string;
  PostCode?: string;
}

/** CurrentAddress as nodes send it: base64 of a fragment of `eidas-natural:` elements. */
export function encodeEidasAddress(parts: EidasAddressParts): string {
  const xml = Object.entries(parts)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
    .map(
      ([element, value]) => `<eidas-natural:${element}>${escapeXml(value.trim())}</eidas-natural:${element}>`,
    )
    .join('\n');
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** The person a tester authenticates as. */
export interface EidasTestIdentity {
  /** eIDAS code of the issuing member state (`DE`, `EL`, …). */
  country: string;
  /** The national part of the PersonIdentifier. @default a random 16-character hex identifier */
  identifier?: string;
  /** Given names in Latin script. */
  givenNames: string;
  /** Given names in the original (non-Latin) script, sent as a second value. */
  givenNamesOriginal?: string;
  familyName: string;
  familyNameOriginal?: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender?: 'Male' | 'Female' | 'Unspecified';
  /** ISO 3166-1 alpha-2. */
  nationality?: string;
  /** Sent as the gateway's LoA attribute when given. */
  loa?: EidasLoaLevel;
  address?: EidasAddressParts;
}

/** A random national identifier, as opaque as real eIDAS identifiers are. */
export const randomIdentifier = (): string => randomBytes(8).toString('hex').toUpperCase();

/** The eIDAS attributes a node asserts for this person (PersonIdentifier `<country>/BE/<id>`). */
export function eidasAttributesFor(identity: EidasTestIdentity): Record<string, string | string[]> {
  const country = findCountry(identity.country)?.code ?? identity.country.toUpperCase();
  const identifier = identity.identifier?.trim() || randomIdentifier();
  const attributes: Record<string, string | string[]> = {
    [eidasAttribute('PersonIdentifier')]: `${country}/BE/${identifier}`,
    [eidasAttribute('CurrentGivenName')]: withOriginal(identity.givenNames, identity.givenNamesOriginal),
    [eidasAttribute('CurrentFamilyName')]: withOriginal(identity.familyName, identity.familyNameOriginal),
    [eidasAttribute('DateOfBirth')]: identity.birthDate,
  };
  if (identity.gender) attributes[eidasAttribute('Gender')] = identity.gender;
  if (identity.nationality) attributes[eidasAttribute('Nationality')] = identity.nationality.toUpperCase();
  if (identity.loa) attributes[EIDAS_LOA_ATTRIBUTE] = eidasLoaUri(identity.loa);
  if (identity.address && Object.values(identity.address).some((value) => value?.trim())) {
    attributes[eidasAttribute('CurrentAddress')] = encodeEidasAddress(identity.address);
  }
  return attributes;
}

/** eIDAS sends the original script first (`LatinScript="false"`), then the transliteration. */
function withOriginal(latin: string, original: string | undefined): string | string[] {
  const trimmed = original?.trim();
  return trimmed ? [trimmed, latin.trim()] : latin.trim();
}

/** Escapes XML text and attribute content. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
