/**
 * Runtime configuration, fetched from `/config.json` at start-up: CDK writes it at deploy time
 * (`Source.jsonData`), the sandbox generates it. The same build runs everywhere.
 */
import { isLanguage, type Language } from './i18n/i18n.ts';

/**
 * The operating authority a stage names in the header and footer (trust signals): who runs the
 * portal, where to get help, who answers about privacy and accessibility.
 */
export interface Authority {
  /** e.g. "Digitaal Vlaanderen"; the same in every language (a proper name). */
  name: string;
  /** A `data:image/…` URL or a same-origin path (the CSP allows `img-src 'self' data:`). */
  logoUrl?: string;
  /** The helpdesk's e-mail address. */
  email: string;
  /** The helpdesk's phone number, as printed. */
  phone?: string;
}

/** What the portal shows when a stage configures no authority (never in production: CDK requires one). */
export const UNCONFIGURED_AUTHORITY: Authority = { name: 'eID Access', email: 'helpdesk@example.invalid' };

/** What `/config.json` holds. */
export interface PortalConfig {
  /** Base URL of the REST API, without a trailing slash. */
  apiBaseUrl: string;
  /** Base URL of the Cognito domain (or the sandbox's local user pool), without a trailing slash. */
  authBaseUrl: string;
  /** The portal's app client id (public client, PKCE). */
  clientId: string;
  /** The registered callback, `<portal>/auth/callback`. */
  redirectUri: string;
  /** Languages offered, first is the default. */
  languages: Language[];
  /** A registered logout URL. @default `<portal origin>/` */
  logoutUri?: string;
  /**
   * Cognito's Identity Provider API for the native login ("username and code"):
   * `https://cognito-idp.<region>.amazonaws.com`, or the sandbox's `/local/aws/cognito-idp`.
   * Without it (and {@link userPoolId} and {@link nativeClientId}) the portal offers no native login.
   */
  cognitoIdpEndpoint?: string;
  /** The user pool id, e.g. `eu-west-1_AbC123` (the SRP exchange hashes its name). */
  userPoolId?: string;
  /**
   * The native app client (`portal-native`): the native login, its refresh and the authenticator
   * enrolment use it, never {@link clientId}. The federated client offers no API sign-in, and the
   * native one may write no identity attribute. Without it the portal offers no native login.
   */
  nativeClientId?: string;
  /** The operating authority shown in the header and footer. */
  authority: Authority;
  /**
   * The callback URLs the relying applications registered: the only places `/capacity?return_to=`
   * sends a person back to. @default []
   */
  returnUrls: string[];
  /**
   * The identity providers the portal's app client offers (`eIDAS`, `itsme`, `EUDIWallet`): one login
   * button each. A stage without a wallet bridge names no `EUDIWallet`. @default ['eIDAS', 'itsme']
   */
  identityProviders?: string[];
}

function parseAuthority(value: unknown): Authority {
  if (typeof value !== 'object' || value === null) return UNCONFIGURED_AUTHORITY;
  const { name, logoUrl, email, phone } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '' || typeof email !== 'string' || !email.includes('@')) {
    return UNCONFIGURED_AUTHORITY;
  }
  const logo =
    typeof logoUrl === 'string' && (/^data:image\/(svg\+xml|png);/.test(logoUrl) || /^\/[^/\\]/.test(logoUrl))
      ? logoUrl
      : undefined;
  return {
    name: name.trim(),
    email: email.trim(),
    ...(logo ? { logoUrl: logo } : {}),
    ...(typeof phone === 'string' && phone.trim() !== '' ? { phone: phone.trim() } : {}),
  };
}

/** Thrown when `/config.json` is not usable: the portal cannot start without it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const trimSlash = (value: string): string => value.replace(/\/+$/, '');

function requireUrl(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new ConfigError(`config.json: ${field} must be an absolute URL`);
  }
  return trimSlash(value);
}

/** Validates the JSON of `/config.json`. @throws ConfigError */
export function parseConfig(input: unknown): PortalConfig {
  if (typeof input !== 'object' || input === null) throw new ConfigError('config.json must be an object');
  const record = input as Record<string, unknown>;
  const clientId = record.clientId;
  if (typeof clientId !== 'string' || clientId === '') {
    throw new ConfigError('config.json: clientId is required');
  }
  const languages = Array.isArray(record.languages) ? record.languages.filter(isLanguage) : [];
  const logoutUri = record.logoutUri;
  const { cognitoIdpEndpoint, userPoolId, nativeClientId } = record;
  const native =
    typeof cognitoIdpEndpoint === 'string' &&
    URL.canParse(cognitoIdpEndpoint) &&
    typeof userPoolId === 'string' &&
    /^[\w-]+_[0-9A-Za-z]+$/.test(userPoolId) &&
    typeof nativeClientId === 'string' &&
    nativeClientId !== '' &&
    nativeClientId !== clientId;
  return {
    apiBaseUrl: requireUrl(record, 'apiBaseUrl'),
    authBaseUrl: requireUrl(record, 'authBaseUrl'),
    clientId,
    redirectUri: requireUrl(record, 'redirectUri'),
    languages: languages.length > 0 ? languages : ['nl', 'fr', 'en', 'de'],
    ...(typeof logoutUri === 'string' && URL.canParse(logoutUri) ? { logoutUri } : {}),
    ...(native ? { cognitoIdpEndpoint: trimSlash(cognitoIdpEndpoint), userPoolId, nativeClientId } : {}),
    authority: parseAuthority(record.authority),
    returnUrls: Array.isArray(record.returnUrls)
      ? record.returnUrls.filter(
          (url): url is string => typeof url === 'string' && URL.canParse(url) && /^https?:/.test(url),
        )
      : [],
    identityProviders: Array.isArray(record.identityProviders)
      ? record.identityProviders.filter((name): name is string => typeof name === 'string')
      : ['eIDAS', 'itsme'],
  };
}
