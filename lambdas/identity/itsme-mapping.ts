/**
 * itsme claims (as Cognito maps them, see attribute-mapping.ts) → a checked {@link FederatedIdentity}.
 * Pure: no I/O, no clock.
 *
 * Policy decisions:
 * - Mandatory: the subject (`sub`), given name, family name and birth date: itsme shares them for
 *   every verified account under the `profile` scope, and a person record needs them.
 * - The national number (`eid` scope) is optional: itsme also serves people without a Belgian number
 *   (holders of some foreign documents), who get a person without INSZ, like eIDAS users. When it is
 *   sent it must be a valid INSZ (`parseInsz`), otherwise the login is refused: a wrong number must
 *   never link or create a person.
 * - itsme is notified under eIDAS at level high, so every itsme login carries LoA `high`.
 */
import { parseInsz } from '#shared/belgian-ids';
import { LoginRefusedError } from '#shared/errors';
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

const PROVIDER_LABEL = 'itsme';

/**
 * Maps and checks the itsme claims of a login.
 *
 * @param subject the itsme `sub`, taken from the Cognito user by the caller.
 * @throws LoginRefusedError for a missing mandatory claim, an unreadable birth date or an invalid
 *   national number.
 */
export function mapItsmeIdentity(attributes: AttributeMap, subject: string): FederatedIdentity {
  const givenNames = requireAttribute(attributes, 'given_name', PROVIDER_LABEL);
  const familyName = requireAttribute(attributes, 'family_name', PROVIDER_LABEL);
  const birthDate = parseIsoDate(requireAttribute(attributes, 'birth_date', PROVIDER_LABEL));
  if (!birthDate) throw unreadableAttribute('birth_date', PROVIDER_LABEL);

  const rawNationalNumber = readAttribute(attributes, 'national_number');
  let insz: string | undefined;
  if (rawNationalNumber !== undefined) {
    try {
      insz = parseInsz(rawNationalNumber).value;
    } catch (error) {
      throw new LoginRefusedError(
        'invalid-national-number',
        'itsme sent a Belgian national number that is not valid, so we cannot let you in. ' +
          'Please check the identity details in your itsme app or contact itsme.',
        { cause: error },
      );
    }
  }

  const rawAddress = readAttribute(attributes, 'address');
  const { profile, cleaned } = cleanProfile(
    compact({
      givenNames,
      familyName,
      birthDate,
      sex: parseSex(readAttribute(attributes, 'gender')),
      email: readAttribute(attributes, 'email'),
      phone: readAttribute(attributes, 'phone'),
      locale: readAttribute(attributes, 'locale'),
      address: rawAddress === undefined ? undefined : decodeOidcAddress(rawAddress),
    }),
  );
  // A name of nothing but invisible characters is as unreadable as a missing one.
  if (profile.givenNames === '') throw unreadableAttribute('given_name', PROVIDER_LABEL);
  if (profile.familyName === '') throw unreadableAttribute('family_name', PROVIDER_LABEL);
  return {
    provider: 'itsme',
    subject,
    loa: 'high',
    ...(insz ? { insz } : {}),
    profile,
    ...(cleaned > 0 ? { textCleaned: cleaned } : {}),
  };
}

/**
 * The OIDC `address` claim (JSON: `street_address`, `postal_code`, `locality`, `region`, `country`,
 * `formatted`) → structured address. A non-JSON value is kept as the formatted address; an address
 * never refuses a login.
 */
export function decodeOidcAddress(raw: string): PostalAddress | undefined {
  let claim: unknown;
  try {
    claim = JSON.parse(raw);
  } catch {
    return { formatted: raw };
  }
  if (claim === null || typeof claim !== 'object' || Array.isArray(claim)) return undefined;
  const field = (name: string): string | undefined => {
    const value = (claim as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const country = field('country');
  const address = compact<PostalAddress>({
    street: field('street_address'),
    postalCode: field('postal_code'),
    city: field('locality'),
    region: field('region'),
    country: parseCountryCode(country),
    // A country sent as a name rather than a code is kept in the formatted text.
    formatted: field('formatted') ?? (country && !parseCountryCode(country) ? country : undefined),
  });
  return Object.keys(address).length > 0 ? address : undefined;
}
