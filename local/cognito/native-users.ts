/**
 * Native (username and password) users of the local pool, behind the Cognito Identity Provider API
 * actions the platform uses (idp-endpoint.ts serves them over HTTP). What Cognito does, and so what
 * this does:
 *
 * - AdminCreateUser: pre sign-up (`PreSignUp_AdminCreateUser`) first — a throwing trigger answers
 *   `UserLambdaValidationException` and no user exists; the temporary password must meet the pool's
 *   policy; status `FORCE_CHANGE_PASSWORD`; the temporary password expires after the policy's
 *   validity. Only a salt and an SRP verifier are kept, never a password. Post confirmation is not
 *   called for administrator-created users (Cognito calls it after self sign-up confirmations only).
 * - Sign-in (`USER_SRP_AUTH`, `CUSTOM_AUTH` with `SRP_A`, `USER_PASSWORD_AUTH` when the client allows
 *   it): after the password — `NEW_PASSWORD_REQUIRED` for `FORCE_CHANGE_PASSWORD` users (policy
 *   enforced, the password is changed at once), then the pool's MFA: a user with a verified software
 *   token (and, with MFA `OPTIONAL`, TOTP enabled by SetUserMFAPreference) answers
 *   `SOFTWARE_TOKEN_MFA`; with MFA `ON` a user without one must enrol first (`MFA_SETUP`:
 *   AssociateSoftwareToken and VerifySoftwareToken with the session, then `MFA_SETUP` answered).
 *   Cognito then issues tokens, also in `CUSTOM_AUTH`: once Cognito ran an MFA challenge, define auth
 *   challenge is not called again (aws-amplify/amplify-js#3876). Without MFA, `CUSTOM_AUTH` goes back
 *   to define auth challenge with `[SRP_A, PASSWORD_VERIFIER]` (a new password set on the way is not a
 *   session entry).
 * - Custom challenges: define → create (`CUSTOM_CHALLENGE`, its public parameters plus `USERNAME`
 *   sent) → verify → define again with the result appended; define's `failAuthentication` answers
 *   `NotAuthorizedException: Incorrect username or password.`; how many wrong answers are allowed is
 *   define's decision.
 * - A wrong password answers `NotAuthorizedException: Incorrect username or password.` (in
 *   `CUSTOM_AUTH` too, without a define call); after 5 in a row the user is locked out for 1 s, then
 *   doubling up to 15 min (`Password attempts exceeded`), whatever password comes.
 * - PreventUserExistenceErrors (the platform's clients enable it): an unknown user gets a decoy
 *   `PASSWORD_VERIFIER` challenge and then the same `NotAuthorizedException` as a wrong password;
 *   define/create/verify see `userNotFound: true`.
 * - Sessions are opaque, single use (every answer returns a new one; a wrong MFA code or a refused
 *   new password keeps the current one), bound to the app client, and expire after the client's auth
 *   session validity (3 minutes by default): `NotAuthorizedException: Invalid session for the user,
 *   session is expired.`
 * - Tokens: pre token generation `TokenGeneration_Authentication` (or
 *   `TokenGeneration_NewPasswordChallenge` when this authentication set the new password), access
 *   token scope `aws.cognito.signin.user.admin` (plus what pre token generation adds), a refresh token
 *   for `REFRESH_TOKEN_AUTH` or, on a rotating client, `GetTokensFromRefreshToken`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '#identity/native-user';
import { CognitoIdpError, LoginRefusedByTrigger } from './errors.ts';
import type { AppClientConfig, LocalCognitoTriggers, StoredUser } from './local-cognito.ts';
import {
  createVerifier,
  decoyChallenge,
  isValidClientPublic,
  type PasswordVerifier,
  type ServerChallenge,
  SRP_TIMESTAMP,
  serverChallenge,
  sessionKey,
  verifierWithSalt,
  verifyPasswordClaim,
} from './srp.ts';
import { generateTotpSecret, matchTotp } from './totp.ts';
import {
  adminCreateUserPreSignUpEvent,
  type ChallengeResultEntry,
  createAuthChallengeEvent,
  defineAuthChallengeEvent,
  type EventContext,
  InvalidLambdaResponseError,
  type LocalTokenGenerationSource,
  verifyAuthChallengeResponseEvent,
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

/** Tokens as the API returns them (`AuthenticationResult`). */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/** An API answer that is either tokens or the next challenge. */
export interface AuthResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: AuthenticationResult;
}

/** An attribute as the API lists it. */
export interface AttributeType {
  Name: string;
  Value: string;
}

/** What LocalCognito lends this module: its user store, its triggers and its token issuing. */
export interface PoolAccess {
  poolId: string;
  region: string;
  now(): number;
  triggers: LocalCognitoTriggers;
  groups: readonly string[];
  passwordPolicy: PasswordPolicy;
  mfaConfiguration: MfaConfiguration;
  client(clientId: string): AppClientConfig | undefined;
  /** Exact name first, then case-insensitive (the pool's usernames are case-insensitive). */
  findUser(username: string): StoredUser | undefined;
  insertUser(user: StoredUser): void;
  deleteUser(username: string): void;
  eventAttributes(user: StoredUser): Record<string, string>;
  /** Runs a trigger; @throws LoginRefusedByTrigger */
  run<E>(
    trigger: 'PreSignUp' | 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse',
    handler: (event: E) => Promise<E | undefined>,
    event: E,
  ): Promise<E>;
  /** Issues tokens and a refresh token for an API sign-in; @throws LoginRefusedByTrigger */
  issue(
    user: StoredUser,
    clientId: string,
    source: LocalTokenGenerationSource,
  ): Promise<{ idToken: string; accessToken: string; refreshToken: string; expiresIn: number }>;
  /** @throws CognitoIdpError NotAuthorizedException, RefreshTokenReuseException */
  refresh(
    refreshToken: string,
    clientId: string,
  ): Promise<{ idToken: string; accessToken: string; refreshToken?: string; expiresIn: number }>;
  /** Verifies an access token of this pool; resolves its claims or `undefined`. */
  verifyAccessToken(
    token: string,
  ): Promise<{ username: string; scope: string; clientId: string; expired: boolean } | undefined>;
}

interface SoftwareToken {
  secret: string;
  verified: boolean;
  /** SetUserMFAPreference `Enabled` (or enrolment through MFA_SETUP). */
  enabled: boolean;
  preferred: boolean;
  /** The last step whose code was accepted: a code is good once. */
  lastStep: number;
}

interface Credentials {
  verifier: PasswordVerifier;
  /** Set while the password is temporary. */
  temporaryExpiresAt?: number;
  softwareToken?: SoftwareToken;
  /** Associated but not yet verified. */
  pendingSecret?: string;
  failedPasswords: number;
  lockedUntil: number;
}

type ExpectedChallenge =
  | 'PASSWORD_VERIFIER'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SOFTWARE_TOKEN_MFA'
  | 'MFA_SETUP'
  | 'CUSTOM_CHALLENGE';

interface AuthSession {
  clientId: string;
  flow: 'USER_SRP_AUTH' | 'CUSTOM_AUTH' | 'USER_PASSWORD_AUTH';
  /** Canonical username; for an unknown user, the name given. */
  username: string;
  userNotFound: boolean;
  expiresAt: number;
  expected: ExpectedChallenge;
  srp?: { A: string; challenge: ServerChallenge | undefined; secretBlock: string };
  entries: ChallengeResultEntry[];
  custom?: { privateParameters: Record<string, string>; metadata?: string };
  newPasswordSet: boolean;
  mfaSecret?: string;
  mfaVerified: boolean;
  clientMetadata?: Record<string, string>;
}

const INCORRECT = 'Incorrect username or password.';
const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';
const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'updated_at',
  'website',
  'zoneinfo',
]);
const LOCKOUT_AFTER = 5;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;

const notAuthorized = (message = INCORRECT) => new CognitoIdpError('NotAuthorizedException', message);
const invalidParameter = (message: string) => new CognitoIdpError('InvalidParameterException', message);

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw invalidParameter(
      `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function stringMap(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParameter(`${name} must be a map of strings.`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') throw invalidParameter(`${name}.${key} must be a string.`);
    result[key] = item;
  }
  return result;
}

function attributeList(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw invalidParameter(`${name} must be a list of attributes.`);
  const result: Record<string, string> = {};
  for (const item of value as unknown[]) {
    const entry = item as { Name?: unknown; Value?: unknown };
    if (typeof entry?.Name !== 'string') throw invalidParameter(`${name}: every attribute needs a Name.`);
    result[entry.Name] = typeof entry.Value === 'string' ? entry.Value : '';
  }
  return result;
}

function toAttributeList(attributes: Record<string, string>): AttributeType[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** The native-user side of the pool; see the module comment. */
export class NativeUsers {
  readonly #pool: PoolAccess;
  readonly #credentials = new Map<string, Credentials>();
  readonly #sessions = new Map<string, AuthSession>();

  constructor(pool: PoolAccess) {
    this.#pool = pool;
  }

  get #poolName(): string {
    return this.#pool.poolId.split('_')[1] ?? this.#pool.poolId;
  }

  // ─── admin actions ───

  /** AdminCreateUser. */
  async adminCreateUser(input: Record<string, unknown>): Promise<{ User: Record<string, unknown> }> {
    this.#requirePool(input);
    const username = requireString(input, 'Username');
    if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(username)) {
      throw invalidParameter(
        `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+`,
      );
    }
    const attributes = attributeList(input.UserAttributes, 'UserAttributes');
    this.#checkSchema(attributes);
    const action = input.MessageAction;
    if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') {
      throw invalidParameter(
        `1 validation error detected: Value '${String(action)}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`,
      );
    }
    const temporaryPassword =
      typeof input.TemporaryPassword === 'string' && input.TemporaryPassword !== ''
        ? input.TemporaryPassword
        : this.#generatePassword();
    this.#checkPolicy(temporaryPassword);

    const existing = this.#pool.findUser(username);
    if (action === 'RESEND') {
      if (!existing) throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
      if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new CognitoIdpError(
          'UnsupportedUserStateException',
          'Resend not possible. User is already confirmed.',
        );
      }
      this.#setPassword(existing, temporaryPassword, true);
      return { User: this.#userType(existing) };
    }
    if (existing) throw new CognitoIdpError('UsernameExistsException', 'User account already exists');

    if (this.#pool.triggers.preSignUp) {
      await this.#trigger(() =>
        this.#pool.run(
          'PreSignUp',
          this.#pool.triggers.preSignUp as NonNullable<LocalCognitoTriggers['preSignUp']>,
          adminCreateUserPreSignUpEvent(
            { region: this.#pool.region, userPoolId: this.#pool.poolId },
            {
              userName: username,
              userAttributes: attributes,
              validationData: attributeList(input.ValidationData, 'ValidationData'),
              ...(input.ClientMetadata
                ? { clientMetadata: stringMap(input.ClientMetadata, 'ClientMetadata') }
                : {}),
            },
          ),
        ),
      );
    }
    if (this.#pool.findUser(username))
      throw new CognitoIdpError('UsernameExistsException', 'User account already exists');

    const now = new Date(this.#pool.now());
    const user: StoredUser = {
      username,
      sub: randomUUID(),
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      attributes,
      identities: [],
      groups: new Set(),
      createdAt: now,
      updatedAt: now,
    };
    this.#pool.insertUser(user);
    this.#setPassword(user, temporaryPassword, true);
    return { User: this.#userType(user) };
  }

  /** AdminGetUser. */
  adminGetUser(input: Record<string, unknown>): Record<string, unknown> {
    this.#requirePool(input);
    const user = this.#adminUser(input);
    const token = this.#credentials.get(user.username)?.softwareToken;
    const mfa = this.#usesTotp(user) ? ['SOFTWARE_TOKEN_MFA'] : [];
    return {
      Username: user.username,
      UserAttributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      UserCreateDate: user.createdAt.getTime() / 1000,
      UserLastModifiedDate: user.updatedAt.getTime() / 1000,
      Enabled: user.enabled,
      UserStatus: user.status,
      ...(mfa.length > 0 ? { UserMFASettingList: mfa } : {}),
      ...(token?.preferred ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
    };
  }

  /** AdminDeleteUser. */
  adminDeleteUser(input: Record<string, unknown>): Record<string, never> {
    this.#requirePool(input);
    const user = this.#adminUser(input);
    this.#pool.deleteUser(user.username);
    this.#credentials.delete(user.username);
    return {};
  }

  /** AdminDisableUser / AdminEnableUser. */
  adminSetEnabled(input: Record<string, unknown>, enabled: boolean): Record<string, never> {
    this.#requirePool(input);
    const user = this.#adminUser(input);
    user.enabled = enabled;
    user.updatedAt = new Date(this.#pool.now());
    return {};
  }

  /** AdminAddUserToGroup / AdminRemoveUserFromGroup. */
  adminGroup(input: Record<string, unknown>, add: boolean): Record<string, never> {
    this.#requirePool(input);
    const group = requireString(input, 'GroupName');
    if (!this.#pool.groups.includes(group))
      throw new CognitoIdpError('ResourceNotFoundException', 'Group not found.');
    const user = this.#adminUser(input);
    if (add) user.groups.add(group);
    else user.groups.delete(group);
    return {};
  }

  /** AdminSetUserPassword: `Permanent` confirms the user, otherwise the password is temporary again. */
  adminSetUserPassword(input: Record<string, unknown>): Record<string, never> {
    this.#requirePool(input);
    const user = this.#adminUser(input);
    if (user.status === 'EXTERNAL_PROVIDER')
      throw invalidParameter('Cannot set a password for a federated user.');
    const password = requireString(input, 'Password');
    this.#checkPolicy(password);
    const permanent = input.Permanent === true;
    this.#setPassword(user, password, !permanent);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    return {};
  }

  // ─── public actions ───

  /**
   * GetTokensFromRefreshToken: new ID and access tokens, and on a rotating client a new refresh token
   * (the given one retired after the grace period: then `RefreshTokenReuseException`).
   */
  async getTokensFromRefreshToken(input: Record<string, unknown>): Promise<AuthResponse> {
    const client = this.#requireClient(input.ClientId);
    const refreshToken = requireString(input, 'RefreshToken');
    const tokens = await this.#trigger(() => this.#pool.refresh(refreshToken, client.clientId));
    return {
      AuthenticationResult: {
        AccessToken: tokens.accessToken,
        IdToken: tokens.idToken,
        ...(tokens.refreshToken === undefined ? {} : { RefreshToken: tokens.refreshToken }),
        ExpiresIn: tokens.expiresIn,
        TokenType: 'Bearer',
      },
    };
  }

  /** InitiateAuth. */
  async initiateAuth(input: Record<string, unknown>): Promise<AuthResponse> {
    const client = this.#requireClient(input.ClientId);
    const flow = requireString(input, 'AuthFlow');
    const parameters = stringMap(input.AuthParameters, 'AuthParameters');
    const clientMetadata = input.ClientMetadata
      ? stringMap(input.ClientMetadata, 'ClientMetadata')
      : undefined;
    const allowed = client.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
    const allow = (name: ExplicitAuthFlow) => {
      if (!allowed.includes(name)) throw invalidParameter(`${flow} flow not enabled for this client`);
    };

    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      if (client.refreshTokenRotation) {
        throw invalidParameter(
          'Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.',
        );
      }
      allow('ALLOW_REFRESH_TOKEN_AUTH');
      const refreshToken = parameters.REFRESH_TOKEN;
      if (!refreshToken) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
      const tokens = await this.#trigger(() => this.#pool.refresh(refreshToken, client.clientId));
      return {
        ChallengeParameters: {},
        AuthenticationResult: {
          AccessToken: tokens.accessToken,
          IdToken: tokens.idToken,
          ExpiresIn: tokens.expiresIn,
          TokenType: 'Bearer',
        },
      };
    }
    if (flow !== 'USER_SRP_AUTH' && flow !== 'CUSTOM_AUTH' && flow !== 'USER_PASSWORD_AUTH') {
      if (['ADMIN_NO_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH'].includes(flow)) {
        throw invalidParameter(`${flow} flow not enabled for this client`);
      }
      throw invalidParameter(
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`,
      );
    }
    allow(`ALLOW_${flow}`);
    const name = parameters.USERNAME;
    if (!name) throw invalidParameter('Missing required parameter USERNAME');

    const user = this.#nativeUser(name);
    if (!user && !this.#preventsExistenceErrors(client)) {
      throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
    }
    if (user && !user.enabled) throw notAuthorized('User is disabled.');

    const session: AuthSession = {
      clientId: client.clientId,
      flow,
      username: user?.username ?? name,
      userNotFound: !user,
      expiresAt: this.#pool.now() + (client.authSessionValiditySeconds ?? 180) * 1000,
      expected: 'PASSWORD_VERIFIER',
      entries: [],
      newPasswordSet: false,
      mfaVerified: false,
      ...(clientMetadata ? { clientMetadata } : {}),
    };

    if (flow === 'USER_PASSWORD_AUTH') {
      const password = parameters.PASSWORD;
      if (!password) throw invalidParameter('Missing required parameter PASSWORD');
      if (!user) throw notAuthorized();
      this.#checkLockout(user);
      this.#passwordOutcome(user, this.#passwordMatches(user, password));
      return this.#afterPassword(session, user);
    }

    const A = parameters.SRP_A;
    if (flow === 'USER_SRP_AUTH') {
      if (!A) throw invalidParameter('Missing required parameter SRP_A');
      return this.#passwordVerifierChallenge(session, user, A);
    }

    // CUSTOM_AUTH: Cognito records the SRP_A step itself when the client starts with it.
    if (A) {
      if (parameters.CHALLENGE_NAME !== undefined && parameters.CHALLENGE_NAME !== 'SRP_A') {
        throw invalidParameter('CHALLENGE_NAME must be SRP_A when SRP_A is sent');
      }
      session.entries.push({ challengeName: 'SRP_A', challengeResult: true });
      session.srp = { A, challenge: undefined, secretBlock: '' };
    }
    return this.#define(session, user);
  }

  /** RespondToAuthChallenge. */
  async respondToAuthChallenge(input: Record<string, unknown>): Promise<AuthResponse> {
    const client = this.#requireClient(input.ClientId);
    const challengeName = requireString(input, 'ChallengeName');
    const responses = stringMap(input.ChallengeResponses, 'ChallengeResponses');
    const [sessionId, session] = this.#takeSession(input.Session, client.clientId);
    if (challengeName !== session.expected) {
      this.#sessions.set(sessionId, session);
      throw invalidParameter(
        `Invalid challenge name ${challengeName}; the session expects ${session.expected}.`,
      );
    }
    if (!responses.USERNAME) {
      this.#sessions.set(sessionId, session);
      throw invalidParameter('Missing required parameter USERNAME');
    }
    if (input.ClientMetadata) session.clientMetadata = stringMap(input.ClientMetadata, 'ClientMetadata');
    const user = session.userNotFound ? undefined : this.#pool.findUser(session.username);
    if (!session.userNotFound && !user) throw notAuthorized();

    switch (session.expected) {
      case 'PASSWORD_VERIFIER':
        return this.#answerPasswordVerifier(session, user, responses);
      case 'NEW_PASSWORD_REQUIRED':
        return this.#answerNewPassword(sessionId, session, user as StoredUser, responses);
      case 'SOFTWARE_TOKEN_MFA':
        return this.#answerSoftwareToken(sessionId, session, user as StoredUser, responses);
      case 'MFA_SETUP':
        if (!session.mfaVerified) {
          this.#sessions.set(sessionId, session);
          throw invalidParameter('The software token has not been verified: call VerifySoftwareToken first.');
        }
        return this.#tokens(session, user as StoredUser);
      case 'CUSTOM_CHALLENGE':
        return this.#answerCustomChallenge(session, user, responses);
    }
  }

  /** AssociateSoftwareToken, with an access token or an MFA_SETUP session. */
  async associateSoftwareToken(
    input: Record<string, unknown>,
  ): Promise<{ SecretCode: string; Session?: string }> {
    const secret = generateTotpSecret();
    if (typeof input.AccessToken === 'string') {
      const user = await this.#userOfAccessToken(input.AccessToken);
      this.#credentialsOf(user).pendingSecret = secret;
      return { SecretCode: secret };
    }
    const [, session] = this.#takeSession(input.Session, undefined);
    if (session.expected !== 'MFA_SETUP') throw notAuthorized('Invalid session for the user.');
    session.mfaSecret = secret;
    session.mfaVerified = false;
    return { SecretCode: secret, Session: this.#storeSession(session) };
  }

  /** VerifySoftwareToken, with an access token or the session AssociateSoftwareToken returned. */
  async verifySoftwareToken(
    input: Record<string, unknown>,
  ): Promise<{ Status: 'SUCCESS'; Session?: string }> {
    const code = requireString(input, 'UserCode');
    if (typeof input.AccessToken === 'string') {
      const user = await this.#userOfAccessToken(input.AccessToken);
      const credentials = this.#credentialsOf(user);
      if (!credentials.pendingSecret) {
        throw new CognitoIdpError(
          'SoftwareTokenMFANotFoundException',
          'Software Token MFA has not been associated with this user.',
        );
      }
      const step = matchTotp(credentials.pendingSecret, code, this.#pool.now());
      if (step === undefined) throw new CognitoIdpError('EnableSoftwareTokenMFAException', 'Code mismatch');
      credentials.softwareToken = {
        secret: credentials.pendingSecret,
        verified: true,
        enabled: credentials.softwareToken?.enabled ?? false,
        preferred: credentials.softwareToken?.preferred ?? false,
        lastStep: step,
      };
      delete credentials.pendingSecret;
      return { Status: 'SUCCESS' };
    }
    const [sessionId, session] = this.#takeSession(input.Session, undefined);
    if (session.expected !== 'MFA_SETUP' || !session.mfaSecret) {
      this.#sessions.set(sessionId, session);
      throw new CognitoIdpError(
        'SoftwareTokenMFANotFoundException',
        'Software Token MFA has not been associated with this user.',
      );
    }
    const step = matchTotp(session.mfaSecret, code, this.#pool.now());
    if (step === undefined) {
      this.#sessions.set(sessionId, session);
      throw new CognitoIdpError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    const user = this.#pool.findUser(session.username);
    if (!user) throw notAuthorized();
    // Enrolled through MFA_SETUP: the token is the user's MFA from now on.
    this.#credentialsOf(user).softwareToken = {
      secret: session.mfaSecret,
      verified: true,
      enabled: true,
      preferred: true,
      lastStep: step,
    };
    session.mfaVerified = true;
    return { Status: 'SUCCESS', Session: this.#storeSession(session) };
  }

  /** SetUserMFAPreference (software token only: the pool has no SMS or e-mail MFA). */
  async setUserMfaPreference(input: Record<string, unknown>): Promise<Record<string, never>> {
    const user = await this.#userOfAccessToken(requireString(input, 'AccessToken'));
    for (const other of ['SMSMfaSettings', 'EmailMfaSettings'] as const) {
      const settings = input[other] as { Enabled?: unknown } | undefined;
      if (settings?.Enabled === true)
        throw invalidParameter(`${other.replace('MfaSettings', '')} MFA is not enabled for this user pool.`);
    }
    const settings = input.SoftwareTokenMfaSettings as
      | { Enabled?: unknown; PreferredMfa?: unknown }
      | undefined;
    if (settings) {
      const token = this.#credentialsOf(user).softwareToken;
      if (settings.Enabled === true || settings.PreferredMfa === true) {
        if (!token?.verified) throw invalidParameter('User has not verified software token mfa');
        token.enabled = true;
        token.preferred = settings.PreferredMfa === true || token.preferred;
      } else if (settings.Enabled === false && token) {
        token.enabled = false;
        token.preferred = false;
      }
    }
    return {};
  }

  /** GetUser. */
  async getUser(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const user = await this.#userOfAccessToken(requireString(input, 'AccessToken'));
    const token = this.#credentials.get(user.username)?.softwareToken;
    return {
      Username: user.username,
      UserAttributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      ...(this.#usesTotp(user) ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] } : {}),
      ...(token?.preferred ? { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {}),
    };
  }

  /**
   * UpdateUserAttributes with the user's own access token (scope `aws.cognito.signin.user.admin`,
   * which only API sign-ins carry). The attributes must be writable by the app client the token was
   * issued to (its `WriteAttributes`): any other answers Cognito's `NotAuthorizedException: A client
   * attempted to write unauthorized attribute` and nothing changes. An empty value deletes the
   * attribute. Verification of a changed e-mail address or phone number is not modelled: no client
   * of the platform that can call this may write them.
   */
  async updateUserAttributes(input: Record<string, unknown>): Promise<Record<string, never>> {
    const { user, clientId } = await this.#sessionOfAccessToken(requireString(input, 'AccessToken'));
    if (!Array.isArray(input.UserAttributes)) {
      throw invalidParameter(
        "1 validation error detected: Value at 'userAttributes' failed to satisfy constraint: Member must not be null",
      );
    }
    const attributes = attributeList(input.UserAttributes, 'UserAttributes');
    this.#checkSchema(attributes);
    const writable = this.#pool.client(clientId)?.writeAttributes;
    if (writable !== undefined && Object.keys(attributes).some((name) => !writable.includes(name))) {
      throw notAuthorized('A client attempted to write unauthorized attribute');
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '') delete user.attributes[name];
      else user.attributes[name] = value;
    }
    user.updatedAt = new Date(this.#pool.now());
    return {};
  }

  /** ChangePassword. */
  async changePassword(input: Record<string, unknown>): Promise<Record<string, never>> {
    const user = await this.#userOfAccessToken(requireString(input, 'AccessToken'));
    const previous = requireString(input, 'PreviousPassword');
    const proposed = requireString(input, 'ProposedPassword');
    this.#checkLockout(user);
    this.#passwordOutcome(user, this.#passwordMatches(user, previous));
    this.#checkPolicy(proposed);
    this.#setPassword(user, proposed, false);
    return {};
  }

  /** True when the user signs in with a password and a verified software token is their MFA. */
  #usesTotp(user: StoredUser): boolean {
    const token = this.#credentials.get(user.username)?.softwareToken;
    if (!token?.verified || this.#pool.mfaConfiguration === 'OFF') return false;
    return this.#pool.mfaConfiguration === 'ON' || token.enabled;
  }

  // ─── sign-in steps ───

  #passwordVerifierChallenge(session: AuthSession, user: StoredUser | undefined, A: string): AuthResponse {
    if (!isValidClientPublic(A)) throw invalidParameter('Invalid SRP_A value.');
    const credentials = user ? this.#credentials.get(user.username) : undefined;
    let salt: string;
    let challenge: ServerChallenge | undefined;
    let B: string;
    if (credentials) {
      challenge = serverChallenge(credentials.verifier);
      salt = credentials.verifier.salt;
      B = challenge.B;
    } else {
      // Unknown (or federated, password-less) user: a challenge no password can answer.
      session.userNotFound = true;
      ({ salt, B } = decoyChallenge());
    }
    const secretBlock = randomBytes(64).toString('base64');
    session.srp = { A, challenge, secretBlock };
    session.expected = 'PASSWORD_VERIFIER';
    const userId = user?.username ?? session.username;
    return this.#challenge(session, 'PASSWORD_VERIFIER', {
      SALT: salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    });
  }

  async #answerPasswordVerifier(
    session: AuthSession,
    user: StoredUser | undefined,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const srp = session.srp;
    const credentials = user ? this.#credentials.get(user.username) : undefined;
    if (!user || !credentials || !srp?.challenge) throw notAuthorized();
    this.#checkLockout(user);
    const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? '';
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK ?? '';
    const timestamp = responses.TIMESTAMP ?? '';
    if (!signature || !secretBlock || !timestamp) {
      throw invalidParameter(
        'Missing required parameter PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK or TIMESTAMP',
      );
    }
    const valid =
      secretBlock === srp.secretBlock &&
      SRP_TIMESTAMP.test(timestamp) &&
      verifyPasswordClaim({
        key: sessionKey({ A: srp.A, challenge: srp.challenge, verifier: credentials.verifier }),
        poolName: this.#poolName,
        userId: user.username,
        secretBlock,
        timestamp,
        signature,
      });
    this.#passwordOutcome(user, valid);
    session.entries.push({ challengeName: 'PASSWORD_VERIFIER', challengeResult: true });
    delete session.srp;
    return this.#afterPassword(session, user);
  }

  #afterPassword(session: AuthSession, user: StoredUser): Promise<AuthResponse> | AuthResponse {
    const credentials = this.#credentialsOf(user);
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if ((credentials.temporaryExpiresAt ?? Number.POSITIVE_INFINITY) <= this.#pool.now()) {
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      }
      const { sub: _sub, ...visible } = this.#pool.eventAttributes(user);
      const userAttributes = Object.fromEntries(
        Object.entries(visible).filter(([name]) => !name.startsWith('cognito:')),
      );
      return this.#challenge(session, 'NEW_PASSWORD_REQUIRED', {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(userAttributes),
      });
    }
    return this.#afterNewPassword(session, user);
  }

  #afterNewPassword(session: AuthSession, user: StoredUser): Promise<AuthResponse> | AuthResponse {
    if (this.#usesTotp(user)) {
      return this.#challenge(session, 'SOFTWARE_TOKEN_MFA', { USER_ID_FOR_SRP: user.username });
    }
    if (this.#pool.mfaConfiguration === 'ON') {
      return this.#challenge(session, 'MFA_SETUP', {
        MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]',
        USER_ID_FOR_SRP: user.username,
      });
    }
    return session.flow === 'CUSTOM_AUTH' ? this.#define(session, user) : this.#tokens(session, user);
  }

  async #answerNewPassword(
    sessionId: string,
    session: AuthSession,
    user: StoredUser,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const password = responses.NEW_PASSWORD;
    try {
      if (!password) throw invalidParameter('Missing required parameter NEW_PASSWORD');
      this.#checkPolicy(password);
    } catch (error) {
      // The person may try another password with the same session.
      this.#sessions.set(sessionId, session);
      throw error;
    }
    const updates = Object.entries(responses).filter(([name]) => name.startsWith('userAttributes.'));
    for (const [name, value] of updates) user.attributes[name.slice('userAttributes.'.length)] = value;
    this.#setPassword(user, password, false);
    user.status = 'CONFIRMED';
    user.updatedAt = new Date(this.#pool.now());
    session.newPasswordSet = true;
    return this.#afterNewPassword(session, user);
  }

  async #answerSoftwareToken(
    sessionId: string,
    session: AuthSession,
    user: StoredUser,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const token = this.#credentialsOf(user).softwareToken;
    const code = responses.SOFTWARE_TOKEN_MFA_CODE ?? '';
    const step = token ? matchTotp(token.secret, code, this.#pool.now()) : undefined;
    if (!token || step === undefined || step <= token.lastStep) {
      this.#sessions.set(sessionId, session);
      throw new CognitoIdpError('CodeMismatchException', 'Invalid code received for user');
    }
    token.lastStep = step;
    return this.#tokens(session, user);
  }

  async #answerCustomChallenge(
    session: AuthSession,
    user: StoredUser | undefined,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const answer = responses.ANSWER;
    if (answer === undefined) throw invalidParameter('Missing required parameter ANSWER');
    const verify = this.#pool.triggers.verifyAuthChallengeResponse;
    if (!verify) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const event = await this.#trigger(() =>
      this.#pool.run(
        'VerifyAuthChallengeResponse',
        verify,
        verifyAuthChallengeResponseEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          privateChallengeParameters: session.custom?.privateParameters ?? {},
          challengeAnswer: answer,
        }),
      ),
    );
    const correct = event.response?.answerCorrect === true;
    session.entries.push({
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: correct,
      ...(session.custom?.metadata === undefined ? {} : { challengeMetadata: session.custom.metadata }),
    });
    delete session.custom;
    return this.#define(session, user);
  }

  async #define(session: AuthSession, user: StoredUser | undefined): Promise<AuthResponse> {
    const define = this.#pool.triggers.defineAuthChallenge;
    if (!define) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const event = await this.#trigger(() =>
      this.#pool.run(
        'DefineAuthChallenge',
        define,
        defineAuthChallengeEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          session: session.entries,
        }),
      ),
    );
    const response = event.response ?? {};
    if (response.failAuthentication === true) throw notAuthorized();
    if (response.issueTokens === true) {
      if (!user) throw notAuthorized();
      return this.#tokens(session, user);
    }
    const next = response.challengeName;
    if (next === 'PASSWORD_VERIFIER' || next === 'SRP_A') {
      if (!session.srp?.A) throw invalidParameter('Missing required parameter SRP_A');
      return this.#passwordVerifierChallenge(session, user, session.srp.A);
    }
    if (next === 'CUSTOM_CHALLENGE') return this.#createChallenge(session, user);
    throw new CognitoIdpError(
      'InvalidLambdaResponseException',
      'Invalid lambda response: no challenge, no tokens, no failure.',
    );
  }

  async #createChallenge(session: AuthSession, user: StoredUser | undefined): Promise<AuthResponse> {
    const create = this.#pool.triggers.createAuthChallenge;
    if (!create) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    const event = await this.#trigger(() =>
      this.#pool.run(
        'CreateAuthChallenge',
        create,
        createAuthChallengeEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          challengeName: 'CUSTOM_CHALLENGE',
          session: session.entries,
        }),
      ),
    );
    const response = (event.response ?? {}) as {
      publicChallengeParameters?: unknown;
      privateChallengeParameters?: unknown;
      challengeMetadata?: unknown;
    };
    let publicParameters: Record<string, string>;
    let privateParameters: Record<string, string>;
    try {
      publicParameters = stringMap(response.publicChallengeParameters, 'publicChallengeParameters');
      privateParameters = stringMap(response.privateChallengeParameters, 'privateChallengeParameters');
    } catch (error) {
      throw new CognitoIdpError('InvalidLambdaResponseException', 'Unrecognizable lambda output', {
        cause: error,
      });
    }
    session.custom = {
      privateParameters,
      ...(typeof response.challengeMetadata === 'string' ? { metadata: response.challengeMetadata } : {}),
    };
    return this.#challenge(session, 'CUSTOM_CHALLENGE', {
      ...publicParameters,
      USERNAME: user?.username ?? session.username,
    });
  }

  async #tokens(session: AuthSession, user: StoredUser): Promise<AuthResponse> {
    const source = session.newPasswordSet
      ? 'TokenGeneration_NewPasswordChallenge'
      : 'TokenGeneration_Authentication';
    const tokens = await this.#trigger(() => this.#pool.issue(user, session.clientId, source));
    return {
      ChallengeParameters: {},
      AuthenticationResult: {
        AccessToken: tokens.accessToken,
        IdToken: tokens.idToken,
        RefreshToken: tokens.refreshToken,
        ExpiresIn: tokens.expiresIn,
        TokenType: 'Bearer',
      },
    };
  }

  #challenge(
    session: AuthSession,
    name: ExpectedChallenge,
    parameters: Record<string, string>,
  ): AuthResponse {
    session.expected = name;
    return { ChallengeName: name, ChallengeParameters: parameters, Session: this.#storeSession(session) };
  }

  // ─── sessions ───

  #storeSession(session: AuthSession): string {
    const id = randomBytes(96).toString('base64url');
    this.#sessions.set(id, session);
    return id;
  }

  /** Removes and returns a live session. @throws NotAuthorizedException */
  #takeSession(value: unknown, clientId: string | undefined): [string, AuthSession] {
    if (typeof value !== 'string' || value === '')
      throw invalidParameter('Missing required parameter Session');
    const session = this.#sessions.get(value);
    if (!session) throw notAuthorized('Invalid session for the user.');
    this.#sessions.delete(value);
    if (session.expiresAt <= this.#pool.now()) {
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    if (clientId !== undefined && session.clientId !== clientId)
      throw notAuthorized('Invalid session for the user.');
    return [value, session];
  }

  #context(session: AuthSession): EventContext {
    return { region: this.#pool.region, userPoolId: this.#pool.poolId, clientId: session.clientId };
  }

  #challengeEventUser(session: AuthSession, user: StoredUser | undefined) {
    return {
      userName: user?.username ?? session.username,
      userAttributes: user ? this.#pool.eventAttributes(user) : {},
      userNotFound: !user,
      ...(session.clientMetadata ? { clientMetadata: session.clientMetadata } : {}),
    };
  }

  // ─── passwords ───

  #setPassword(user: StoredUser, password: string, temporary: boolean): void {
    const credentials = this.#credentials.get(user.username);
    const verifier = createVerifier(this.#poolName, user.username, password);
    const temporaryExpiresAt = temporary
      ? this.#pool.now() + this.#pool.passwordPolicy.temporaryPasswordValidityDays * 24 * 3600 * 1000
      : undefined;
    this.#credentials.set(user.username, {
      ...(credentials ?? { failedPasswords: 0, lockedUntil: 0 }),
      verifier,
      ...(temporaryExpiresAt === undefined ? {} : { temporaryExpiresAt }),
    });
    if (!temporary) {
      const updated = this.#credentials.get(user.username) as Credentials;
      delete updated.temporaryExpiresAt;
    }
    user.updatedAt = new Date(this.#pool.now());
  }

  #passwordMatches(user: StoredUser, password: string): boolean {
    const credentials = this.#credentials.get(user.username);
    if (!credentials) return false;
    // Recomputing the verifier with the stored salt proves the password without keeping it.
    const probe = verifierWithSalt(this.#poolName, user.username, password, credentials.verifier.salt);
    return probe === credentials.verifier.verifier;
  }

  #checkLockout(user: StoredUser): void {
    const credentials = this.#credentialsOf(user);
    if (credentials.lockedUntil > this.#pool.now()) throw notAuthorized('Password attempts exceeded');
  }

  /** Counts a password attempt. @throws NotAuthorizedException when it failed */
  #passwordOutcome(user: StoredUser, valid: boolean): void {
    const credentials = this.#credentialsOf(user);
    if (valid) {
      credentials.failedPasswords = 0;
      return;
    }
    credentials.failedPasswords += 1;
    if (credentials.failedPasswords >= LOCKOUT_AFTER) {
      const lockMs = Math.min(1000 * 2 ** (credentials.failedPasswords - LOCKOUT_AFTER), MAX_LOCKOUT_MS);
      credentials.lockedUntil = this.#pool.now() + lockMs;
    }
    throw notAuthorized();
  }

  #checkPolicy(password: string): void {
    const policy = this.#pool.passwordPolicy;
    const fail = (reason: string) =>
      new CognitoIdpError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
    if ([...password].length < policy.minimumLength) throw fail('Password not long enough');
    if (policy.requireUppercase && !/[A-Z]/.test(password))
      throw fail('Password must have uppercase characters');
    if (policy.requireLowercase && !/[a-z]/.test(password))
      throw fail('Password must have lowercase characters');
    if (policy.requireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
    const inner = password.slice(1, -1);
    const hasSymbol = [...password].some((char, index) =>
      char === ' ' ? inner.includes(' ') && index > 0 && index < password.length - 1 : SYMBOLS.includes(char),
    );
    if (policy.requireSymbols && !hasSymbol) throw fail('Password must have symbol characters');
  }

  #generatePassword(): string {
    // Meets any policy: every class, and longer than Cognito's maximum minimum length (99) is never needed.
    return `Aa1!${randomBytes(24).toString('base64url')}`;
  }

  // ─── helpers ───

  #credentialsOf(user: StoredUser): Credentials {
    const credentials = this.#credentials.get(user.username);
    if (!credentials) throw notAuthorized();
    return credentials;
  }

  #nativeUser(name: string): StoredUser | undefined {
    const user = this.#pool.findUser(name);
    return user && user.status !== 'EXTERNAL_PROVIDER' && this.#credentials.has(user.username)
      ? user
      : undefined;
  }

  #preventsExistenceErrors(client: AppClientConfig): boolean {
    return client.preventUserExistenceErrors ?? true;
  }

  #requireClient(value: unknown): AppClientConfig {
    if (typeof value !== 'string' || value === '')
      throw invalidParameter('Missing required parameter ClientId');
    const client = this.#pool.client(value);
    if (!client)
      throw new CognitoIdpError('ResourceNotFoundException', `User pool client ${value} does not exist.`);
    return client;
  }

  #requirePool(input: Record<string, unknown>): void {
    const poolId = requireString(input, 'UserPoolId');
    if (poolId !== this.#pool.poolId) {
      throw new CognitoIdpError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    }
  }

  #adminUser(input: Record<string, unknown>): StoredUser {
    const user = this.#pool.findUser(requireString(input, 'Username'));
    if (!user) throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  async #userOfAccessToken(token: string): Promise<StoredUser> {
    return (await this.#sessionOfAccessToken(token)).user;
  }

  /** The user of an access token with the admin scope, and the app client it was issued to. */
  async #sessionOfAccessToken(token: string): Promise<{ user: StoredUser; clientId: string }> {
    const claims = await this.#pool.verifyAccessToken(token);
    if (!claims) throw notAuthorized('Invalid Access Token');
    if (claims.expired) throw notAuthorized('Access Token has expired');
    if (!claims.scope.split(' ').includes(ADMIN_SCOPE))
      throw notAuthorized('Access Token does not have required scopes');
    const user = this.#pool.findUser(claims.username);
    if (!user) throw notAuthorized('User does not exist.');
    return { user, clientId: claims.clientId };
  }

  #checkSchema(attributes: Record<string, string>): void {
    for (const name of Object.keys(attributes)) {
      if (name === 'sub' || name === 'identities' || name.startsWith('cognito:')) {
        throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
      }
      if (!STANDARD_ATTRIBUTES.has(name) && !name.startsWith('custom:')) {
        throw invalidParameter(
          `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.\n`,
        );
      }
    }
    for (const flag of ['email_verified', 'phone_number_verified']) {
      const value = attributes[flag];
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw invalidParameter(`Invalid value for ${flag}: must be true or false.`);
      }
    }
  }

  #userType(user: StoredUser): Record<string, unknown> {
    return {
      Username: user.username,
      Attributes: toAttributeList({ sub: user.sub, ...user.attributes }),
      UserCreateDate: user.createdAt.getTime() / 1000,
      UserLastModifiedDate: user.updatedAt.getTime() / 1000,
      Enabled: user.enabled,
      UserStatus: user.status,
    };
  }

  /** Translates a trigger refusal into the API's exceptions. */
  async #trigger<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof LoginRefusedByTrigger) {
        if (error.cause instanceof InvalidLambdaResponseError) {
          throw new CognitoIdpError('InvalidLambdaResponseException', error.message, { cause: error });
        }
        throw new CognitoIdpError('UserLambdaValidationException', error.message, { cause: error });
      }
      throw error;
    }
  }
}
