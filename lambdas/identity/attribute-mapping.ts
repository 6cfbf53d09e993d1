/**
 * The one definition of how identity-provider attributes land on Cognito users. The CDK identity
 * construct builds the user pool's custom attributes and each provider's attribute mapping from it,
 * the triggers read the mapped attributes by these names, and the sandbox's local IdPs use the same
 * table, so the three cannot drift.
 *
 * Every mapped attribute is a mutable custom attribute: Cognito re-applies mappings at every login.
 * Cognito limits: attribute names <= 20 characters (without `custom:`), values <= 2048 characters.
 */

/** Custom attributes of the user pool, with their maximum length. */
export const customAttributes = {
  /** eIDAS PersonIdentifier `XX/BE/identifier`: the eIDAS subject. */
  eidas_person_id: 256,
  /** Names can be multi-valued (original script + Latin transliteration), URL-form-encoded by Cognito. */
  given_name: 2048,
  family_name: 2048,
  birth_name: 2048,
  birth_date: 10,
  gender: 16,
  place_of_birth: 2048,
  country_of_birth: 2,
  town_of_birth: 2048,
  nationality: 64,
  country_of_residence: 2,
  /** eIDAS: base64 of an XML fragment; itsme: the OIDC address claim as JSON. */
  address: 2048,
  email: 256,
  phone: 32,
  locale: 16,
  /** itsme `http://itsme.services/v2/claim/BENationalNumber` (11 digits). */
  national_number: 11,
  /** Level of assurance as forwarded by the eIDAS gateway (an eIDAS LoA URI). */
  loa: 128,
  /** EUDI Wallet PID `issuing_country` (alpha-2). */
  pid_country: 2,
  /** EUDI Wallet PID `personal_administrative_number` (national; for BE presumably the INSZ). */
  pid_admin_number: 64,
} as const;

export type CustomAttributeName = keyof typeof customAttributes;

/** The full Cognito attribute name, e.g. `custom:given_name`. */
export const cognitoAttribute = (name: CustomAttributeName): `custom:${CustomAttributeName}` =>
  `custom:${name}`;

/** eIDAS natural-person attribute URIs (NameFormat `urn:oasis:names:tc:SAML:2.0:attrname-format:uri`). */
export const EIDAS_NATURAL_PERSON = 'http://eidas.europa.eu/attributes/naturalperson/';

/**
 * SAML attribute name the eIDAS gateway uses to forward the level of assurance of the authentication.
 * eIDAS carries the LoA in the AuthnContextClassRef, which Cognito cannot map; gateways (FAS, eIDAS
 * connectors) forward it as an attribute. When absent, the login is not refused for LoA.
 */
export const EIDAS_LOA_ATTRIBUTE = 'http://eidas.europa.eu/LoA';

/** Custom attribute ← eIDAS SAML attribute name. */
export const eidasAttributeMapping: Partial<Record<CustomAttributeName, string>> = {
  eidas_person_id: `${EIDAS_NATURAL_PERSON}PersonIdentifier`,
  family_name: `${EIDAS_NATURAL_PERSON}CurrentFamilyName`,
  given_name: `${EIDAS_NATURAL_PERSON}CurrentGivenName`,
  birth_date: `${EIDAS_NATURAL_PERSON}DateOfBirth`,
  birth_name: `${EIDAS_NATURAL_PERSON}BirthName`,
  place_of_birth: `${EIDAS_NATURAL_PERSON}PlaceOfBirth`,
  address: `${EIDAS_NATURAL_PERSON}CurrentAddress`,
  gender: `${EIDAS_NATURAL_PERSON}Gender`,
  nationality: `${EIDAS_NATURAL_PERSON}Nationality`,
  country_of_birth: `${EIDAS_NATURAL_PERSON}CountryOfBirth`,
  town_of_birth: `${EIDAS_NATURAL_PERSON}TownOfBirth`,
  country_of_residence: `${EIDAS_NATURAL_PERSON}CountryOfResidence`,
  phone: `${EIDAS_NATURAL_PERSON}PhoneNumber`,
  email: `${EIDAS_NATURAL_PERSON}EmailAddress`,
  loa: EIDAS_LOA_ATTRIBUTE,
};

/** itsme's namespace for non-standard claims. */
export const ITSME_CLAIM = 'http://itsme.services/v2/claim/';

/** Custom attribute ← itsme OIDC claim (ID token or userinfo). */
export const itsmeAttributeMapping: Partial<Record<CustomAttributeName, string>> = {
  given_name: 'given_name',
  family_name: 'family_name',
  birth_date: 'birthdate',
  gender: 'gender',
  locale: 'locale',
  email: 'email',
  phone: 'phone_number',
  address: 'address',
  national_number: `${ITSME_CLAIM}BENationalNumber`,
};

/**
 * Custom attribute ← claim of the wallet bridge's ID token (lambdas/wallet-bridge/pid-claims.ts):
 * the PID's SD-JWT VC claim names, `nationalities` joined with commas.
 */
export const eudiAttributeMapping: Partial<Record<CustomAttributeName, string>> = {
  given_name: 'given_name',
  family_name: 'family_name',
  birth_date: 'birthdate',
  nationality: 'nationalities',
  pid_country: 'issuing_country',
  pid_admin_number: 'personal_administrative_number',
};

/** Cognito identity-provider names (contract): usernames are `<ProviderName>_<subject>`. */
export const PROVIDER_NAMES = { eidas: 'eIDAS', itsme: 'itsme', eudi: 'EUDIWallet' } as const;

/** OIDC scopes requested from itsme; `service:<code>` is added from stage config. */
export const ITSME_SCOPES = ['openid', 'profile', 'email', 'phone', 'address', 'eid'] as const;
