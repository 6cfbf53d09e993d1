/**
 * eIDAS attributes (as the gateway forwards them and Cognito maps them, see attribute-mapping.ts) →
 * a checked {@link FederatedIdentity}. Pure: no I/O, no clock.
 *
 * Policy decisions, enforced here so pre sign-up and pre token generation refuse alike:
 * - The subject is the PersonIdentifier `XX/YY/id`; YY must be `BE` (an identifier issued for another
 *   receiving country is not ours). The country codes are upper-cased, the identifier kept as sent.
 * - Mandatory: PersonIdentifier, CurrentFamilyName, CurrentGivenName, DateOfBirth (the eIDAS minimum
 *   data set). Everything else is optional and dropped when unreadable rather than refusing the login.
 * - Nationality: refused when any asserted nationality is in the refused list; when the gateway sends
 *   none, the issuing country of the PersonIdentifier stands in. EU spellings `UK` and `EL` count as
 *   `GB` and `GR`.
 * - Level of assurance: only checked when the gateway sends one. A `NotNotified` LoA comes from a
 *   scheme without eIDAS notification, so nothing obliges or entitles us to trust its stated level: it
 *   counts as `low` whatever it says, so it passes only when the minimum is `low`. An unrecognised LoA
 *   value is refused (the level cannot be established). Without a LoA the configured minimum is
 *   assumed, because the gateway is configured to request at least that level.
 */
import { LoginRefusedError } from '#shared/errors';
import { cleanAsserted } from '#shared/text-policy';
import type { EidasLevel, IdentityConfig } from './config.ts';
import { EIDAS_LEVELS } from './config.ts';
import {
  type AttributeMap,
  cleanProfile,
  compact,
  type FederatedIdentity,
  type PostalAddress,
  parseCountryCode,
  parseIsoDate,
  parseSex,
  readAttribute,
  requireAttribute,
  unreadableAttribute,
} from './federated-identity.ts';

const PROVIDER_LABEL = 'Your eIDAS login';

/** EU-institutional country codes that differ from ISO 3166-1. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

/** Adjectives for the refusal message; other codes get a neutral wording. */
const NATIONALITY_ADJECTIVES: Readonly<Record<string, string>> = { FR: 'French', GB: 'British' };

/** The receiving country every PersonIdentifier must name. */
export const RECEIVING_COUNTRY = 'BE';

/** ISO code for an eIDAS country code (`UK` → `GB`, `EL` → `GR`). */
export function normalizeCountry(code: string): string {
  const upper = code.toUpperCase();
  return COUNTRY_ALIASES[upper] ?? upper;
}

/** A parsed eIDAS PersonIdentifier. */
export interface EidasPersonIdentifier {
  issuingCountry: string;
  receivingCountry: string;
  identifier: string;
  /** The canonical subject `XX/YY/identifier`. */
  value: string;
}

/** Parses `XX/YY/identifier`; `undefined` when malformed. */
export function parsePersonIdentifier(raw: string): EidasPersonIdentifier | undefined {
  const match = /^([A-Za-z]{2})\/([A-Za-z]{2})\/(\S.*)$/.exec(raw.trim());
  if (!match) return undefined;
  const [, issuing = '', receiving = '', identifier = ''] = match;
  const issuingCountry = issuing.toUpperCase();
  const receivingCountry = receiving.toUpperCase();
  return {
    issuingCountry,
    receivingCountry,
    identifier,
    value: `${issuingCountry}/${receivingCountry}/${identifier}`,
  };
}

/**
 * Values of a multi-valued attribute. Cognito delivers several SAML values in one string, URL-form
 * encoded and joined with `&` (the project's contract, see attribute-mapping.ts); the `[a, b]` list
 * form some Cognito versions produce is accepted too. A single plain value comes back as itself.
 */
export function decodeMultiValued(raw: string): string[] {
  const trimmed = raw.trim();
  const parts =
    trimmed.startsWith('[') && trimmed.endsWith(']')
      ? trimmed.slice(1, -1).split(/,\s*/)
      : trimmed.split('&').map(formDecode);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** The inverse of {@link decodeMultiValued}, for the sandbox's local IdP and tests. */
export function encodeMultiValued(values: readonly string[]): string {
  return values.map((value) => encodeURIComponent(value).replace(/%20/g, '+')).join('&');
}

function formDecode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    // A stray '%' in a value that was never encoded: keep it as sent.
    return part;
  }
}

const LATIN = /^[\p{Script=Latin}\p{M}\p{Zs}'’.,-]+$/u;

/** The Latin transliteration when the name comes in several scripts, else the first value. */
export function preferLatin(values: readonly string[]): string | undefined {
  // Judged on the cleaned text: a zero-width character must not hide the transliteration.
  return values.find((value) => LATIN.test(cleanAsserted(value).value)) ?? values[0];
}

const LOA_URI = /^http:\/\/eidas\.europa\.eu\/(NotNotified\/)?LoA\/(low|substantial|high)$/;

/** An eIDAS LoA URI: its stated level and whether the scheme is notified; `undefined` if unknown. */
export function parseLoa(raw: string): { level: EidasLevel; notified: boolean } | undefined {
  const match = LOA_URI.exec(raw.trim());
  const level = EIDAS_LEVELS.find((candidate) => candidate === match?.[2]);
  if (!match || !level) return undefined;
  return { level, notified: match[1] === undefined };
}

const rank = (level: EidasLevel): number => EIDAS_LEVELS.indexOf(level);

const ADDRESS_PARTS = {
  PoBox: 'poBox',
  LocatorDesignator: 'houseNumber',
  LocatorName: 'locatorName',
  CvaddressArea: 'area',
  Thoroughfare: 'street',
  PostName: 'city',
  AdminunitFirstline: 'country',
  AdminunitSecondline: 'region',
  PostCode: 'postalCode',
  FullCvaddress: 'formatted',
} as const satisfies Record<string, keyof PostalAddress>;

const ADDRESS_ELEMENT =
  /<(?:[\w.-]+:)?(PoBox|LocatorDesignator|LocatorName|CvaddressArea|Thoroughfare|PostName|AdminunitFirstline|AdminunitSecondline|PostCode|FullCvaddress)\b[^>]*>([^<]*)<\/(?:[\w.-]+:)?\1\s*>/g;

/**
 * eIDAS CurrentAddress (base64 of an XML fragment of `eidas-natural:` elements) → structured address.
 * `undefined` when nothing readable is in it: an address is optional and never refuses a login.
 */
export function decodeEidasAddress(raw: string, countryOfResidence?: string): PostalAddress | undefined {
  const xml = raw.trim().startsWith('<') ? raw : decodeBase64(raw);
  if (xml === undefined) return undefined;
  const address: PostalAddress = {};
  for (const match of xml.matchAll(ADDRESS_ELEMENT)) {
    const [, element, text] = match;
    const value = decodeXmlText(text ?? '').trim();
    if (value !== '' && element !== undefined && element in ADDRESS_PARTS) {
      address[ADDRESS_PARTS[element as keyof typeof ADDRESS_PARTS]] = value;
    }
  }
  // AdminunitFirstline usually holds the country code; anything longer is a region-like line.
  const firstLine = address.country;
  delete address.country;
  const country = parseCountryCode(firstLine) ?? parseCountryCode(countryOfResidence);
  if (firstLine !== undefined && parseCountryCode(firstLine) === undefined) address.region ??= firstLine;
  if (Object.keys(address).length === 0) return undefined;
  return compact({ ...address, country: country && normalizeCountry(country) });
}

function decodeBase64(raw: string): string | undefined {
  const compactBase64 = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compactBase64)) return undefined;
  return Buffer.from(compactBase64, 'base64').toString('utf8');
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (entity, name: string) => {
    if (name.startsWith('#x')) return safeCodePoint(Number.parseInt(name.slice(2), 16), entity);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), entity);
    return XML_ENTITIES[name] ?? entity;
  });
}

function safeCodePoint(codePoint: number, fallback: string): string {
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : fallback;
}

function refusedNationalityMessage(code: string): string {
  const adjective = NATIONALITY_ADJECTIVES[code];
  const who = adjective ? `People with ${adjective} nationality` : 'People with your nationality';
  return (
    `${who} cannot log in with eIDAS here. Obtain a Belgian identification number at a local ` +
    'registration office in Belgium, then log in with that account.'
  );
}

/**
 * Maps and checks the eIDAS attributes of a login.
 *
 * @throws LoginRefusedError for a missing mandatory attribute, a malformed PersonIdentifier or date of
 *   birth, a receiving country other than BE, a refused nationality or a LoA below the minimum.
 */
export function mapEidasIdentity(
  attributes: AttributeMap,
  config: Pick<IdentityConfig, 'refusedNationalities' | 'minimumEidasLoa'>,
): FederatedIdentity {
  const personIdentifier = parsePersonIdentifier(
    requireAttribute(attributes, 'eidas_person_id', PROVIDER_LABEL),
  );
  if (!personIdentifier) throw unreadableAttribute('eidas_person_id', PROVIDER_LABEL);
  if (personIdentifier.receivingCountry !== RECEIVING_COUNTRY) {
    throw new LoginRefusedError(
      'wrong-receiving-country',
      'Your eIDAS login was issued for the services of another country, not Belgium. ' +
        'Please start the login again from this site.',
    );
  }

  const nationalities = decodeMultiValued(readAttribute(attributes, 'nationality') ?? '')
    .map(parseCountryCode)
    .filter((code): code is string => code !== undefined)
    .map(normalizeCountry);
  const refused = new Set(config.refusedNationalities.map(normalizeCountry));
  const checked =
    nationalities.length > 0 ? nationalities : [normalizeCountry(personIdentifier.issuingCountry)];
  const refusedNationality = checked.find((code) => refused.has(code));
  if (refusedNationality) {
    throw new LoginRefusedError('refused-nationality', refusedNationalityMessage(refusedNationality));
  }

  const loa = effectiveLoa(readAttribute(attributes, 'loa'), config.minimumEidasLoa);

  const familyName = preferLatin(
    decodeMultiValued(requireAttribute(attributes, 'family_name', PROVIDER_LABEL)),
  );
  if (!familyName) throw unreadableAttribute('family_name', PROVIDER_LABEL);
  const givenNames = preferLatin(
    decodeMultiValued(requireAttribute(attributes, 'given_name', PROVIDER_LABEL)),
  );
  if (!givenNames) throw unreadableAttribute('given_name', PROVIDER_LABEL);
  const birthDate = parseIsoDate(requireAttribute(attributes, 'birth_date', PROVIDER_LABEL));
  if (!birthDate) throw unreadableAttribute('birth_date', PROVIDER_LABEL);

  const countryOfResidence = optionalCountry(readAttribute(attributes, 'country_of_residence'));
  const rawAddress = readAttribute(attributes, 'address');
  const optionalName = (name: 'birth_name' | 'place_of_birth' | 'town_of_birth') => {
    const raw = readAttribute(attributes, name);
    return raw === undefined ? undefined : preferLatin(decodeMultiValued(raw));
  };

  const { profile, cleaned } = cleanProfile(
    compact({
      givenNames,
      familyName,
      birthDate,
      sex: parseSex(readAttribute(attributes, 'gender')),
      nationality: nationalities[0],
      birthName: optionalName('birth_name'),
      placeOfBirth: optionalName('place_of_birth') ?? optionalName('town_of_birth'),
      countryOfBirth: optionalCountry(readAttribute(attributes, 'country_of_birth')),
      countryOfResidence,
      email: readAttribute(attributes, 'email'),
      phone: readAttribute(attributes, 'phone'),
      address: rawAddress === undefined ? undefined : decodeEidasAddress(rawAddress, countryOfResidence),
    }),
  );
  // A name of nothing but invisible characters is as unreadable as a missing one.
  if (profile.familyName === '') throw unreadableAttribute('family_name', PROVIDER_LABEL);
  if (profile.givenNames === '') throw unreadableAttribute('given_name', PROVIDER_LABEL);
  return {
    provider: 'eidas',
    subject: personIdentifier.value,
    loa,
    profile,
    ...(cleaned > 0 ? { textCleaned: cleaned } : {}),
  };
}

function effectiveLoa(raw: string | undefined, minimum: EidasLevel): EidasLevel {
  if (raw === undefined) return minimum;
  const parsed = parseLoa(raw);
  const level: EidasLevel | undefined = parsed && (parsed.notified ? parsed.level : 'low');
  if (level === undefined || rank(level) < rank(minimum)) {
    throw new LoginRefusedError(
      'insufficient-loa',
      `This service needs a login at eIDAS level of assurance "${minimum}" or higher, and your login ` +
        'did not reach it. Please log in again with an eID means of that level.',
    );
  }
  return level;
}

function optionalCountry(raw: string | undefined): string | undefined {
  const code = parseCountryCode(raw);
  return code && normalizeCountry(code);
}
