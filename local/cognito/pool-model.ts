/**
 * The pool's configuration and user model, shared by every module of local/cognito: app clients,
 * triggers, the native-user settings (password policy, MFA, auth flows) and the users as the pool
 * keeps them. Types and constants only, so that every module can depend on it.
 */
import type { JWTPayload } from 'jose';
import type { PROVIDER_NAMES } from '#identity/attribute-mapping';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '#shared/native-user';
import type { TokenClaims } from './token-claims.ts';
import type {
  CreateAuthChallengeTrigger,
  DefineAuthChallengeTrigger,
  PostConfirmationTrigger,
  PreSignUpTrigger,
  PreTokenGenerationTrigger,
  VerifyAuthChallengeResponseTrigger,
} from './trigger-events.ts';

/** The pool's password policy (lib/constructs/identity.ts). */
export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

/** The deployed pool's policy (lib/constructs/identity.ts `passwordPolicy`). */
export const DEPLOYED_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 14,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
};

/**
 * The pool's `MfaConfiguration`. The deployed pool has `OPTIONAL` with TOTP: with `ON` Cognito asks
 * for MFA_SETUP after every password and the code card (a custom challenge) could never be reached.
 */
export type MfaConfiguration = 'OFF' | 'ON' | 'OPTIONAL';

/** `ExplicitAuthFlows` of an app client. */
export type ExplicitAuthFlow =
  | 'ALLOW_USER_SRP_AUTH'
  | 'ALLOW_CUSTOM_AUTH'
  | 'ALLOW_USER_PASSWORD_AUTH'
  | 'ALLOW_REFRESH_TOKEN_AUTH'
  | 'ALLOW_ADMIN_USER_PASSWORD_AUTH'
  | 'ALLOW_USER_AUTH';

/** Cognito's default when a client names no flows. */
export const DEFAULT_AUTH_FLOWS: readonly ExplicitAuthFlow[] = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

/** An app client of the pool, as lib/constructs/identity.ts configures the relying applications'. */
export interface AppClientConfig {
  clientId: string;
  name: string;
  /** Registered redirect URIs (exact match). */
  callbackUrls: readonly string[];
  /** Registered sign-out URIs (exact match). */
  logoutUrls: readonly string[];
  /** @default ['openid', 'profile', 'email', 'phone'] (the deployed clients' scopes) */
  allowedScopes?: readonly string[];
  /** Cognito's default; the deployed clients use 900. @default 3600 */
  idTokenValiditySeconds?: number;
  /** @default 3600 */
  accessTokenValiditySeconds?: number;
  /** Cognito's default; the deployed clients use 8 hours. @default 2_592_000 (30 days) */
  refreshTokenValiditySeconds?: number;
  /**
   * Refuse authorization requests without an S256 `code_challenge`. Cognito accepts them from public
   * clients; our portals always send one, and the sandbox holds them to it. @default true
   */
  requirePkce?: boolean;
  /**
   * `ExplicitAuthFlows` for the API's InitiateAuth (the deployed clients have only
   * `ALLOW_REFRESH_TOKEN_AUTH`). @default Cognito's: `ALLOW_USER_SRP_AUTH`, `ALLOW_CUSTOM_AUTH`,
   * `ALLOW_REFRESH_TOKEN_AUTH`
   */
  explicitAuthFlows?: readonly ExplicitAuthFlow[];
  /** How long a sign-in session (challenge to answer) lives. @default 180 (Cognito's 3 minutes) */
  authSessionValiditySeconds?: number;
  /** `PreventUserExistenceErrors: ENABLED`, as the deployed clients have it. @default true */
  preventUserExistenceErrors?: boolean;
  /**
   * `WriteAttributes`: what UpdateUserAttributes may change with an access token of this client.
   * @default every attribute (a client that names none; the federated clients must write what their
   *   IdPs map)
   */
  writeAttributes?: readonly string[];
  /**
   * `SupportedIdentityProviders`: a federated sign-in through this client must name one of them.
   * @default every provider
   */
  supportedIdentityProviders?: readonly string[];
  /**
   * `RefreshTokenRotation` ENABLED: every refresh answers a new refresh token (valid until the first
   * one would have expired) and retires the one it was given, which stays usable for
   * `retryGracePeriodSeconds` and is refused afterwards. Refresh through the token endpoint or
   * GetTokensFromRefreshToken; `REFRESH_TOKEN_AUTH` is refused, as Cognito refuses it.
   * @default no rotation (a refresh answers no refresh token; the one given stays valid)
   */
  refreshTokenRotation?: { retryGracePeriodSeconds: number };
}

/** The triggers; the sandbox passes the real handlers, tests may pass others. */
export interface LocalCognitoTriggers {
  preSignUp?: PreSignUpTrigger;
  postConfirmation?: PostConfirmationTrigger;
  preTokenGeneration?: PreTokenGenerationTrigger;
  /** Custom authentication flow (native users' code card). */
  defineAuthChallenge?: DefineAuthChallengeTrigger;
  createAuthChallenge?: CreateAuthChallengeTrigger;
  verifyAuthChallengeResponse?: VerifyAuthChallengeResponseTrigger;
}

/** Provider names of the pool (contract). */
export type ProviderName = (typeof PROVIDER_NAMES)[keyof typeof PROVIDER_NAMES];
export type ProviderType = 'SAML' | 'OIDC';

/** What an IdP module hands over after a successful federated login. */
export interface FederationResult {
  /** `<ProviderName>_<subject>`. */
  userName: string;
  /** Mapped user attributes (`custom:*`). */
  attributes: Record<string, string>;
}

/** Input of {@link LocalCognito.federatedSignIn}. */
export interface FederatedSignInInput extends FederationResult {
  providerName: ProviderName;
  /** @default SAML for eIDAS, OIDC for itsme */
  providerType?: ProviderType;
  clientId: string;
  /** @default the client's allowed scopes */
  scopes?: readonly string[];
  /** The authorization request's `nonce`, echoed in the ID token. */
  nonce?: string;
}

/** Tokens as the token endpoint returns them. */
export interface IssuedTokens {
  idToken: string;
  accessToken: string;
  /** Absent on refresh unless the client rotates refresh tokens (`RefreshTokenRotation`). */
  refreshToken?: string;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds. */
  expiresIn: number;
  /** The claims as signed, for callers that need them without decoding. */
  idTokenClaims: TokenClaims;
  accessTokenClaims: TokenClaims;
}

/** An entry of the `identities` attribute. */
export interface LinkedIdentity {
  userId: string;
  providerName: string;
  providerType: ProviderType;
  issuer: null;
  primary: 'true' | 'false';
  /** Milliseconds since the epoch, as a string. */
  dateCreated: string;
}

/** A user of the local pool (a copy: changing it changes nothing). */
export interface LocalUser {
  username: string;
  sub: string;
  /** Federated users are `EXTERNAL_PROVIDER`; native users start `FORCE_CHANGE_PASSWORD`. */
  status: 'EXTERNAL_PROVIDER' | 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  enabled: boolean;
  attributes: Record<string, string>;
  identities: LinkedIdentity[];
  groups: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A user as the pool keeps it (internal to local/cognito). */
export interface StoredUser extends Omit<LocalUser, 'groups'> {
  groups: Set<string>;
}

/** Claims of a verified token. */
export type VerifiedClaims = JWTPayload & { token_use: 'id' | 'access'; sub: string };
