/**
 * What the native-user modules (auth-flows.ts, users.ts, mfa.ts, tokens.ts) share: the pool they
 * act on, each user's credentials, the sign-in sessions, the API's shapes and its input checks.
 */
import { randomBytes } from 'node:crypto';
import { CognitoIdpError, LoginRefusedByTrigger } from './errors.ts';
import type {
  AppClientConfig,
  LocalCognitoTriggers,
  MfaConfiguration,
  PasswordPolicy,
  StoredUser,
} from './pool-model.ts';
import type { PasswordVerifier, ServerChallenge } from './srp.ts';
import {
  type ChallengeResultEntry,
  InvalidLambdaResponseError,
  type LocalTokenGenerationSource,
} from './trigger-events.ts';

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

/** What LocalCognito lends the native-user modules: its user store, its triggers and its token issuing. */
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
  ): Promise<
    { username: string; scope: string; clientId: string; expired: boolean; revoked: boolean } | undefined
  >;
  /** Ends the authentication of a refresh token (RevokeToken); unknown tokens are ignored. */
  revoke(refreshToken: string, clientId: string): void;
  /** Ends every authentication of a user (GlobalSignOut, AdminUserGlobalSignOut). */
  signOutEverywhere(username: string): void;
}

export interface SoftwareToken {
  secret: string;
  verified: boolean;
  /** SetUserMFAPreference `Enabled` (or enrolment through MFA_SETUP). */
  enabled: boolean;
  preferred: boolean;
  /** The last step whose code was accepted: a code is good once. */
  lastStep: number;
}

/** What the pool keeps of a native user's password and MFA. */
export interface Credentials {
  verifier: PasswordVerifier;
  /** Set while the password is temporary. */
  temporaryExpiresAt?: number;
  softwareToken?: SoftwareToken;
  /** Associated but not yet verified. */
  pendingSecret?: string;
  failedPasswords: number;
  lockedUntil: number;
}

export type ExpectedChallenge =
  | 'PASSWORD_VERIFIER'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SOFTWARE_TOKEN_MFA'
  | 'MFA_SETUP'
  | 'CUSTOM_CHALLENGE';

/** A sign-in in progress, behind an opaque session id. */
export interface AuthSession {
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
/** The scope of tokens from the API's sign-in, which the access-token actions require. */
const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export const notAuthorized = (message = INCORRECT) => new CognitoIdpError('NotAuthorizedException', message);
export const invalidParameter = (message: string) =>
  new CognitoIdpError('InvalidParameterException', message);

export function requireString(input: Record<string, unknown>, name: string): string {
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

export function stringMap(value: unknown, name: string): Record<string, string> {
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

export function attributeList(value: unknown, name: string): Record<string, string> {
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

export function toAttributeList(attributes: Record<string, string>): AttributeType[] {
  return Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
}

/** The state the native-user modules share, and the lookups they all make. */
export class NativeState {
  readonly pool: PoolAccess;
  /** By canonical username. */
  readonly credentials = new Map<string, Credentials>();
  readonly #sessions = new Map<string, AuthSession>();

  constructor(pool: PoolAccess) {
    this.pool = pool;
  }

  /** The pool id without its region: the SRP verifiers' pool name. */
  get poolName(): string {
    return this.pool.poolId.split('_')[1] ?? this.pool.poolId;
  }

  /** @throws NotAuthorizedException for a user without credentials (federated or deleted) */
  credentialsOf(user: StoredUser): Credentials {
    const credentials = this.credentials.get(user.username);
    if (!credentials) throw notAuthorized();
    return credentials;
  }

  /** A user that signs in with a password, or `undefined`. */
  nativeUser(name: string): StoredUser | undefined {
    const user = this.pool.findUser(name);
    return user && user.status !== 'EXTERNAL_PROVIDER' && this.credentials.has(user.username)
      ? user
      : undefined;
  }

  /** The app client of `ClientId`. @throws InvalidParameterException, ResourceNotFoundException */
  requireClient(value: unknown): AppClientConfig {
    if (typeof value !== 'string' || value === '')
      throw invalidParameter('Missing required parameter ClientId');
    const client = this.pool.client(value);
    if (!client)
      throw new CognitoIdpError('ResourceNotFoundException', `User pool client ${value} does not exist.`);
    return client;
  }

  /** @throws ResourceNotFoundException when `UserPoolId` is not this pool */
  requirePool(input: Record<string, unknown>): void {
    const poolId = requireString(input, 'UserPoolId');
    if (poolId !== this.pool.poolId) {
      throw new CognitoIdpError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    }
  }

  /** The user of an admin action's `Username`. @throws UserNotFoundException */
  adminUser(input: Record<string, unknown>): StoredUser {
    const user = this.pool.findUser(requireString(input, 'Username'));
    if (!user) throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  async userOfAccessToken(token: string): Promise<StoredUser> {
    return (await this.sessionOfAccessToken(token)).user;
  }

  /** The user of an access token with the admin scope, and the app client it was issued to. */
  async sessionOfAccessToken(token: string): Promise<{ user: StoredUser; clientId: string }> {
    const claims = await this.pool.verifyAccessToken(token);
    if (!claims) throw notAuthorized('Invalid Access Token');
    if (claims.expired) throw notAuthorized('Access Token has expired');
    if (claims.revoked) throw notAuthorized('Access Token has been revoked');
    if (!claims.scope.split(' ').includes(ADMIN_SCOPE))
      throw notAuthorized('Access Token does not have required scopes');
    const user = this.pool.findUser(claims.username);
    if (!user) throw notAuthorized('User does not exist.');
    return { user, clientId: claims.clientId };
  }

  /** Keeps a session under a new opaque id and returns the id. */
  storeSession(session: AuthSession): string {
    const id = randomBytes(96).toString('base64url');
    this.#sessions.set(id, session);
    return id;
  }

  /** Puts a taken session back under its id (a wrong answer that may be tried again). */
  keepSession(id: string, session: AuthSession): void {
    this.#sessions.set(id, session);
  }

  /** Removes and returns a live session. @throws NotAuthorizedException */
  takeSession(value: unknown, clientId: string | undefined): [string, AuthSession] {
    if (typeof value !== 'string' || value === '')
      throw invalidParameter('Missing required parameter Session');
    const session = this.#sessions.get(value);
    if (!session) throw notAuthorized('Invalid session for the user.');
    this.#sessions.delete(value);
    if (session.expiresAt <= this.pool.now()) {
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    if (clientId !== undefined && session.clientId !== clientId)
      throw notAuthorized('Invalid session for the user.');
    return [value, session];
  }

  /** Translates a trigger refusal into the API's exceptions. */
  async trigger<T>(call: () => Promise<T>): Promise<T> {
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
