/**
 * The sandbox's user pool: an in-memory emulation of the Cognito behaviour the platform relies on
 * (ARCHITECTURE.md sections 2 and 6, DOMAIN.md section 7), running the REAL triggers:
 * - federated users named `<ProviderName>_<subject>`, created at the first login after pre sign-up
 *   (`PreSignUp_ExternalProvider`) accepted it, with a `sub`, the `identities` attribute and status
 *   `EXTERNAL_PROVIDER`; the mapped IdP attributes are re-applied at every login (attributes the IdP
 *   no longer sends are kept, as Cognito keeps them);
 * - post confirmation once after creation, when configured;
 * - V2 pre token generation at every token issue (`TokenGeneration_HostedAuth`) and refresh
 *   (`TokenGeneration_RefreshTokens`), its response applied as token-claims.ts describes;
 * - a throwing trigger refuses the login with Cognito's wording (`LoginRefusedByTrigger`); when
 *   pre sign-up refuses, no user exists afterwards;
 * - RS256 ID and access tokens, opaque refresh tokens (rotated at every refresh on a client with
 *   `RefreshTokenRotation`, the used one refused after the grace period), groups of the pool only.
 *
 * The managed login (authorize, IdP callbacks, token, logout) is in hosted-login.ts; native users are
 * behind the Cognito Identity Provider API of idp-endpoint.ts (`/local/aws/cognito-idp`), one module
 * per API group: auth-flows.ts (SRP sign-in, NEW_PASSWORD_REQUIRED, custom challenges), users.ts
 * (AdminCreateUser and the other user actions), mfa.ts (TOTP), tokens.ts (refresh), over the shared
 * state of native-state.ts. {@link LocalCognito.handler} serves both. The pool's types are in
 * pool-model.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { errors as joseErrors } from 'jose';
import { GROUP_NAMES } from '#lib/constructs/identity';
import { localCredentials } from '#local/dynamodb-local';
import { NotFoundError, ValidationError } from '#shared/errors';
import {
  CognitoIdpError,
  LoginRefusedByTrigger,
  OAuthError,
  TokenVerificationError,
  type TriggerName,
} from './errors.ts';
import { HostedLogin, type IdentityProviders } from './hosted-login.ts';
import { CognitoIdpEndpoint } from './idp-endpoint.ts';
import type { PoolAccess } from './native-state.ts';
import {
  type AppClientConfig,
  DEPLOYED_PASSWORD_POLICY,
  type FederatedSignInInput,
  type IssuedTokens,
  type LocalCognitoTriggers,
  type LocalUser,
  type MfaConfiguration,
  type PasswordPolicy,
  type ProviderName,
  type ProviderType,
  type StoredUser,
  type VerifiedClaims,
} from './pool-model.ts';
import { accessTokenHash, SigningKey } from './signing-key.ts';
import { buildTokenClaims, type TokenClaims } from './token-claims.ts';
import {
  type EventContext,
  InvalidLambdaResponseError,
  invokeTrigger,
  type LocalTokenGenerationSource,
  postConfirmationEvent,
  preSignUpEvent,
  preTokenGenerationEvent,
} from './trigger-events.ts';

/** Options of {@link LocalCognito.create}. */
export interface LocalCognitoOptions {
  /** Where the sandbox listens, e.g. `http://127.0.0.1:3000`: the issuer is `<issuerBaseUrl>/<poolId>`. */
  issuerBaseUrl: string;
  /** e.g. `eu-west-1_sandbox`; the region is its prefix. */
  poolId: string;
  clients: readonly AppClientConfig[];
  triggers?: LocalCognitoTriggers;
  /** The pool's groups. @default the groups of lib/constructs/identity.ts */
  groups?: readonly string[];
  /** The federated IdPs the managed login redirects to (see hosted-login.ts). @default none */
  identityProviders?: IdentityProviders;
  /** Milliseconds since the epoch; tests move it. @default Date.now */
  now?: () => number;
  /** Native users' password policy. @default {@link DEPLOYED_PASSWORD_POLICY} */
  passwordPolicy?: PasswordPolicy;
  /** The pool's MFA configuration (TOTP is its only factor). @default 'OPTIONAL', as deployed */
  mfaConfiguration?: MfaConfiguration;
  /**
   * The credentials admin API calls must be signed with (SigV4, service `cognito-idp`).
   * @default the sandbox's dummy credentials (`localCredentials`)
   */
  adminCredentials?: { accessKeyId: string; secretAccessKey: string };
}

interface Authentication {
  clientId: string;
  username: string;
  scopes: string[];
  authTime: number;
  originJti: string;
  eventId: string;
}

interface RefreshGrant extends Authentication {
  expiresAt: number;
  revoked: boolean;
  /** When rotation retired it (its first use); refused once the client's grace period is over. */
  retiredAt?: number;
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'phone'] as const;
const DEFAULT_TOKEN_VALIDITY_SECONDS = 3600;
const DEFAULT_REFRESH_VALIDITY_SECONDS = 30 * 24 * 3600;
const PROVIDER_TYPES: Record<ProviderName, ProviderType> = {
  eIDAS: 'SAML',
  itsme: 'OIDC',
  EUDIWallet: 'OIDC',
};
/** The one scope of tokens from the API's sign-in (not the managed login). */
const API_SCOPE = 'aws.cognito.signin.user.admin';

/** The local user pool. Make one with {@link LocalCognito.create}. */
export class LocalCognito {
  readonly poolId: string;
  readonly region: string;
  /** `<issuerBaseUrl>/<poolId>`, the tokens' `iss`. */
  readonly issuer: string;
  /** Without trailing slash. */
  readonly issuerBaseUrl: string;
  /** The pool's groups. */
  readonly groups: readonly string[];
  /**
   * node:http handler of the managed login and the pool's well-known documents; resolves `false`,
   * leaving `res` alone, for paths it does not own (see hosted-login.ts).
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

  readonly #key: SigningKey;
  readonly #clients: Map<string, AppClientConfig>;
  readonly #triggers: LocalCognitoTriggers;
  readonly #now: () => number;
  readonly #users = new Map<string, StoredUser>();
  readonly #refreshGrants = new Map<string, RefreshGrant>();
  /** `origin_jti` of the authentications whose tokens were revoked (RevokeToken, GlobalSignOut). */
  readonly #revokedOrigins = new Set<string>();
  readonly #usernamesByPerson = new Map<string, Set<string>>();
  readonly #hostedLogin: HostedLogin;
  readonly #idp: CognitoIdpEndpoint;

  private constructor(options: LocalCognitoOptions, key: SigningKey) {
    if (options.clients.length === 0) throw new Error('LocalCognito needs at least one app client');
    this.poolId = options.poolId;
    this.region = options.poolId.split('_')[0] ?? 'eu-west-1';
    this.issuerBaseUrl = options.issuerBaseUrl.replace(/\/+$/, '');
    this.issuer = `${this.issuerBaseUrl}/${options.poolId}`;
    this.groups = [...(options.groups ?? Object.values(GROUP_NAMES))];
    this.#key = key;
    this.#clients = new Map(options.clients.map((client) => [client.clientId, client]));
    this.#triggers = options.triggers ?? {};
    this.#now = options.now ?? Date.now;
    this.#hostedLogin = new HostedLogin(this, {
      identityProviders: options.identityProviders ?? {},
      now: this.#now,
    });
    const pool: PoolAccess = {
      poolId: this.poolId,
      region: this.region,
      now: this.#now,
      triggers: this.#triggers,
      groups: this.groups,
      passwordPolicy: options.passwordPolicy ?? DEPLOYED_PASSWORD_POLICY,
      mfaConfiguration: options.mfaConfiguration ?? 'OPTIONAL',
      client: (clientId) => this.#clients.get(clientId),
      findUser: (username) => this.#findUser(username),
      insertUser: (user) => {
        this.#users.set(user.username, user);
      },
      deleteUser: (username) => {
        this.#users.delete(username);
      },
      eventAttributes: (user) => this.#eventAttributes(user),
      run: (trigger, handler, event) => this.#run(trigger, handler, event),
      issue: (user, clientId, source) => this.#issueForApi(user, clientId, source),
      refresh: async (refreshToken, clientId) => {
        try {
          return await this.refresh(refreshToken, clientId);
        } catch (error) {
          if (error instanceof OAuthError && error.reusedRefreshToken)
            throw new CognitoIdpError('RefreshTokenReuseException', 'Invalid Refresh Token');
          if (error instanceof OAuthError)
            throw new CognitoIdpError('NotAuthorizedException', 'Invalid Refresh Token');
          throw error;
        }
      },
      verifyAccessToken: (token) => this.#verifyApiAccessToken(token),
      revoke: (refreshToken, clientId) => this.revoke(refreshToken, clientId),
      signOutEverywhere: (username) => this.signOutEverywhere(username),
    };
    this.#idp = new CognitoIdpEndpoint({
      pool,
      region: this.region,
      credentials: options.adminCredentials ?? localCredentials,
      // Signatures are made with the real clock whatever the pool's clock says.
      now: Date.now,
    });
    this.handler = async (req, res) =>
      (await this.#idp.handle(req, res)) || this.#hostedLogin.handle(req, res);
  }

  /** Generates the signing key and builds the pool. */
  static async create(options: LocalCognitoOptions): Promise<LocalCognito> {
    return new LocalCognito(options, await SigningKey.generate());
  }

  /** The first app client: the one the sandbox's programmatic login uses. */
  get defaultClientId(): string {
    return [...this.#clients.keys()][0] as string;
  }

  /** An app client's configuration, or `undefined`. */
  client(clientId: string): Readonly<AppClientConfig> | undefined {
    return this.#clients.get(clientId);
  }

  /** The scopes an app client may request. */
  allowedScopes(clientId: string): readonly string[] {
    return this.#clients.get(clientId)?.allowedScopes ?? DEFAULT_SCOPES;
  }

  /** The public keys, served at `/.well-known/jwks.json` and `/<poolId>/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet {
    return this.#key.jwks();
  }

  /**
   * A federated login as the managed login completes it after the IdP answered: pre sign-up and
   * user creation the first time (then post confirmation), attribute update otherwise, then pre
   * token generation and the tokens.
   *
   * @throws LoginRefusedByTrigger when a trigger throws (or answers something Cognito cannot read);
   *   OAuthError `invalid_client` for an unknown client, `invalid_scope` for a scope it may not ask.
   */
  async federatedSignIn(input: FederatedSignInInput): Promise<IssuedTokens> {
    const client = this.#requireClient(input.clientId);
    if (
      client.supportedIdentityProviders &&
      !client.supportedIdentityProviders.includes(input.providerName)
    ) {
      throw new OAuthError('unauthorized_client', 'The identity provider is not enabled for this client.');
    }
    const scopes = this.#grantedScopes(client, input.scopes);
    const providerType = input.providerType ?? PROVIDER_TYPES[input.providerName];
    const prefix = `${input.providerName}_`;
    if (!input.userName.startsWith(prefix) || input.userName.length === prefix.length) {
      throw new ValidationError(`A ${input.providerName} user name is "${prefix}<subject>".`);
    }
    const context = this.#eventContext(client.clientId);

    let user = this.#users.get(input.userName);
    if (!user) {
      if (this.#triggers.preSignUp) {
        await this.#run(
          'PreSignUp',
          this.#triggers.preSignUp,
          preSignUpEvent(context, input.userName, input.attributes),
        );
      }
      // A concurrent first login of the same user may have created it while the trigger ran.
      user = this.#users.get(input.userName);
      if (!user) {
        user = this.#createUser(input, providerType);
        if (this.#triggers.postConfirmation) {
          await this.#run(
            'PostConfirmation',
            this.#triggers.postConfirmation,
            postConfirmationEvent(context, user.username, this.#eventAttributes(user)),
          );
        }
      } else {
        this.#applyAttributes(user, input.attributes);
      }
    } else {
      this.#applyAttributes(user, input.attributes);
    }

    const now = this.#now();
    const authentication: Authentication = {
      clientId: client.clientId,
      username: user.username,
      scopes,
      authTime: Math.floor(now / 1000),
      originJti: randomUUID(),
      eventId: randomUUID(),
    };
    const tokens = await this.#issue(user, client, authentication, 'TokenGeneration_HostedAuth', input.nonce);
    const refreshToken = randomBytes(48).toString('base64url');
    this.#refreshGrants.set(refreshToken, {
      ...authentication,
      expiresAt: now + (client.refreshTokenValiditySeconds ?? DEFAULT_REFRESH_VALIDITY_SECONDS) * 1000,
      revoked: false,
    });
    return { ...tokens, refreshToken };
  }

  /**
   * The `refresh_token` grant: fresh claims from pre token generation (`TokenGeneration_RefreshTokens`),
   * so a revoked right or a new group shows at once; same `auth_time` and `origin_jti`. On a client with
   * {@link AppClientConfig.refreshTokenRotation} the answer carries a new refresh token and the given
   * one is retired (refused once the grace period is over).
   *
   * @throws OAuthError `invalid_grant` for an unknown, expired, revoked, retired or other client's
   *   refresh token; LoginRefusedByTrigger when pre token generation throws.
   */
  async refresh(refreshToken: string, clientId: string): Promise<IssuedTokens> {
    const client = this.#requireClient(clientId);
    const grant = this.#refreshGrants.get(refreshToken);
    const now = this.#now();
    if (!grant || grant.clientId !== clientId || grant.revoked || grant.expiresAt <= now) {
      throw new OAuthError('invalid_grant', 'Invalid Refresh Token');
    }
    const rotation = client.refreshTokenRotation;
    if (
      grant.retiredAt !== undefined &&
      now > grant.retiredAt + (rotation?.retryGracePeriodSeconds ?? 0) * 1000
    ) {
      throw new OAuthError('invalid_grant', 'Invalid Refresh Token', { reusedRefreshToken: true });
    }
    const user = this.#users.get(grant.username);
    if (!user?.enabled) throw new OAuthError('invalid_grant', 'Invalid Refresh Token');
    const tokens = await this.#issue(user, client, grant, 'TokenGeneration_RefreshTokens', undefined);
    if (!rotation) return tokens;
    grant.retiredAt ??= now;
    const next = randomBytes(48).toString('base64url');
    // The new token lives as long as the first one of this authentication would have.
    const { retiredAt: _retired, ...rest } = grant;
    this.#refreshGrants.set(next, { ...rest, revoked: false });
    return { ...tokens, refreshToken: next };
  }

  /**
   * Revokes a refresh token (`/oauth2/revoke`, RevokeToken) as Cognito does: the authentication it
   * belongs to ends — every refresh token rotation made of it, and the access and ID tokens issued
   * with them (same `origin_jti`), which Cognito's own endpoints then refuse (userInfo, GetUser…; an
   * API Gateway authorizer does not look). Unknown tokens are ignored, as RFC 7009 asks.
   */
  revoke(refreshToken: string, clientId: string): void {
    this.#requireClient(clientId);
    const grant = this.#refreshGrants.get(refreshToken);
    if (grant && grant.clientId === clientId) this.#revokeAuthentication(grant.originJti);
  }

  /** GlobalSignOut, AdminUserGlobalSignOut: every authentication of the user ends. */
  signOutEverywhere(username: string): void {
    for (const grant of this.#refreshGrants.values()) {
      if (grant.username === username) this.#revokeAuthentication(grant.originJti);
    }
  }

  /** True when the token's authentication was revoked (its `origin_jti`). */
  isRevoked(claims: Readonly<Record<string, unknown>>): boolean {
    return typeof claims.origin_jti === 'string' && this.#revokedOrigins.has(claims.origin_jti);
  }

  #revokeAuthentication(originJti: string): void {
    this.#revokedOrigins.add(originJti);
    for (const grant of this.#refreshGrants.values()) {
      if (grant.originJti === originJti) grant.revoked = true;
    }
  }

  /**
   * Verifies a token of this pool as an API Gateway Cognito authorizer does: RS256 signature with the
   * pool's key, `iss`, `exp`, `token_use` (the one asked for, if any), and the `aud` (ID token) or
   * `client_id` (access token) of a known app client.
   *
   * @throws TokenVerificationError (a 401 UnauthorizedError) with the reason.
   */
  async verifyToken(token: string, options: { tokenUse?: 'id' | 'access' } = {}): Promise<VerifiedClaims> {
    let payload: JWTPayload;
    try {
      payload = await this.#key.verify(token, { issuer: this.issuer, currentDate: new Date(this.#now()) });
    } catch (error) {
      throw verificationError(error);
    }
    const tokenUse = payload.token_use;
    if (tokenUse !== 'id' && tokenUse !== 'access') {
      throw new TokenVerificationError('token-use', 'The token is neither an ID nor an access token.');
    }
    if (options.tokenUse !== undefined && tokenUse !== options.tokenUse) {
      throw new TokenVerificationError('token-use', `An ${options.tokenUse} token is required.`);
    }
    const audience = tokenUse === 'id' ? payload.aud : payload.client_id;
    if (typeof audience !== 'string' || !this.#clients.has(audience)) {
      throw new TokenVerificationError('audience', 'The token was issued to an unknown app client.');
    }
    if (typeof payload.sub !== 'string')
      throw new TokenVerificationError('malformed', 'The token has no subject.');
    return payload as VerifiedClaims;
  }

  /**
   * Adds a user to a group of the pool (AdminAddUserToGroup); the tokens of the next login or refresh
   * carry it.
   *
   * @throws ValidationError for a group the pool does not have; NotFoundError for an unknown user.
   */
  addToGroup(username: string, group: string): void {
    this.#requireGroup(group);
    const user = this.#users.get(username);
    if (!user) throw new NotFoundError('No such user in the local user pool.');
    user.groups.add(group);
  }

  /** Removes a user from a group (AdminRemoveUserFromGroup). @throws as {@link addToGroup}. */
  removeFromGroup(username: string, group: string): void {
    this.#requireGroup(group);
    const user = this.#users.get(username);
    if (!user) throw new NotFoundError('No such user in the local user pool.');
    user.groups.delete(group);
  }

  /**
   * `POST /local/groups { personId, group }`: adds every user whose tokens carried this `person_id`
   * (one person may log in with eIDAS and itsme) to the group. Returns their user names.
   *
   * @throws ValidationError for an unknown group; NotFoundError when no user has logged in as this
   *   person yet.
   */
  addPersonToGroup(personId: string, group: string): string[] {
    this.#requireGroup(group);
    const usernames = [...(this.#usernamesByPerson.get(personId) ?? [])];
    if (usernames.length === 0) {
      throw new NotFoundError('No user has logged in as this person yet: log in first, then add the group.');
    }
    for (const username of usernames) this.#users.get(username)?.groups.add(group);
    return usernames;
  }

  /** The user names whose tokens carried this `person_id`. */
  usernamesOfPerson(personId: string): string[] {
    return [...(this.#usernamesByPerson.get(personId) ?? [])];
  }

  /** A copy of a user, or `undefined`. */
  getUser(username: string): LocalUser | undefined {
    const user = this.#users.get(username);
    return user ? snapshot(user) : undefined;
  }

  /** Copies of every user. */
  listUsers(): LocalUser[] {
    return [...this.#users.values()].map(snapshot);
  }

  #findUser(username: string): StoredUser | undefined {
    const exact = this.#users.get(username);
    if (exact) return exact;
    const lower = username.toLowerCase();
    for (const user of this.#users.values()) {
      if (user.username.toLowerCase() === lower) return user;
    }
    return undefined;
  }

  /** A sign-in through the API: scope `aws.cognito.signin.user.admin`, a new refresh token. */
  async #issueForApi(user: StoredUser, clientId: string, source: LocalTokenGenerationSource) {
    const client = this.#requireClient(clientId);
    const now = this.#now();
    const authentication: Authentication = {
      clientId,
      username: user.username,
      scopes: [API_SCOPE],
      authTime: Math.floor(now / 1000),
      originJti: randomUUID(),
      eventId: randomUUID(),
    };
    const tokens = await this.#issue(user, client, authentication, source, undefined);
    const refreshToken = randomBytes(48).toString('base64url');
    this.#refreshGrants.set(refreshToken, {
      ...authentication,
      expiresAt: now + (client.refreshTokenValiditySeconds ?? DEFAULT_REFRESH_VALIDITY_SECONDS) * 1000,
      revoked: false,
    });
    return { ...tokens, refreshToken };
  }

  async #verifyApiAccessToken(token: string) {
    try {
      const claims = await this.verifyToken(token, { tokenUse: 'access' });
      return {
        username: String(claims.username ?? ''),
        scope: String(claims.scope ?? ''),
        clientId: String(claims.client_id ?? ''),
        expired: false,
        revoked: this.isRevoked(claims),
      };
    } catch (error) {
      if (error instanceof TokenVerificationError && error.reason === 'expired') {
        return { username: '', scope: '', clientId: '', expired: true, revoked: false };
      }
      return undefined;
    }
  }

  #requireClient(clientId: string): AppClientConfig {
    const client = this.#clients.get(clientId);
    if (!client) throw new OAuthError('invalid_client', 'Unknown app client.');
    return client;
  }

  #requireGroup(group: string): void {
    if (!this.groups.includes(group)) {
      throw new ValidationError(`Unknown group. The user pool has: ${this.groups.join(', ')}.`, [
        { path: 'group', message: `Must be one of ${this.groups.join(', ')}` },
      ]);
    }
  }

  #grantedScopes(client: AppClientConfig, requested: readonly string[] | undefined): string[] {
    const allowed = client.allowedScopes ?? DEFAULT_SCOPES;
    if (requested === undefined || requested.length === 0) return [...allowed];
    const unknown = requested.filter((scope) => !allowed.includes(scope));
    if (unknown.length > 0) throw new OAuthError('invalid_scope', 'The client may not ask for this scope.');
    return [...new Set(requested)];
  }

  #eventContext(clientId: string): EventContext {
    return { region: this.region, userPoolId: this.poolId, clientId };
  }

  #createUser(input: FederatedSignInInput, providerType: ProviderType): StoredUser {
    const now = new Date(this.#now());
    const user: StoredUser = {
      username: input.userName,
      sub: randomUUID(),
      status: 'EXTERNAL_PROVIDER',
      enabled: true,
      attributes: { ...input.attributes },
      identities: [
        {
          userId: input.userName.slice(input.providerName.length + 1),
          providerName: input.providerName,
          providerType,
          issuer: null,
          primary: 'true',
          dateCreated: String(now.getTime()),
        },
      ],
      groups: new Set(),
      createdAt: now,
      updatedAt: now,
    };
    this.#users.set(user.username, user);
    return user;
  }

  #applyAttributes(user: StoredUser, attributes: Record<string, string>): void {
    Object.assign(user.attributes, attributes);
    user.updatedAt = new Date(this.#now());
  }

  /** The attributes triggers receive: Cognito's own first, then the user's. */
  #eventAttributes(user: StoredUser): Record<string, string> {
    return {
      sub: user.sub,
      'cognito:user_status': user.status,
      ...(user.identities.length > 0 ? { identities: JSON.stringify(user.identities) } : {}),
      ...user.attributes,
    };
  }

  async #issue(
    user: StoredUser,
    client: AppClientConfig,
    authentication: Authentication,
    source: LocalTokenGenerationSource,
    nonce: string | undefined,
  ): Promise<IssuedTokens> {
    const groups = [...user.groups];
    let overrides = null;
    if (this.#triggers.preTokenGeneration) {
      const event = await this.#run(
        'PreTokenGeneration',
        this.#triggers.preTokenGeneration,
        preTokenGenerationEvent(this.#eventContext(client.clientId), {
          triggerSource: source,
          userName: user.username,
          userAttributes: this.#eventAttributes(user),
          groups,
          scopes: authentication.scopes,
        }),
      );
      overrides = event.response?.claimsAndScopeOverrideDetails ?? null;
    }
    const issuedAt = Math.floor(this.#now() / 1000);
    const accessTokenValiditySeconds = client.accessTokenValiditySeconds ?? DEFAULT_TOKEN_VALIDITY_SECONDS;
    const claims = buildTokenClaims({
      authentication: { ...authentication, issuer: this.issuer },
      subject: {
        username: user.username,
        sub: user.sub,
        attributes: user.attributes,
        ...(user.identities.length > 0 ? { identities: JSON.stringify(user.identities) } : {}),
        groups,
      },
      scopes: authentication.scopes,
      issuedAt,
      idTokenValiditySeconds: client.idTokenValiditySeconds ?? DEFAULT_TOKEN_VALIDITY_SECONDS,
      accessTokenValiditySeconds,
      idJti: randomUUID(),
      accessJti: randomUUID(),
      nonce,
      overrides,
    });
    const accessToken = await this.#key.sign(claims.accessToken);
    const idTokenClaims: TokenClaims = { at_hash: accessTokenHash(accessToken), ...claims.idToken };
    const idToken = await this.#key.sign(idTokenClaims);
    this.#indexPerson(user.username, idTokenClaims.person_id ?? claims.accessToken.person_id);
    return {
      idToken,
      accessToken,
      tokenType: 'Bearer',
      expiresIn: accessTokenValiditySeconds,
      idTokenClaims,
      accessTokenClaims: claims.accessToken,
    };
  }

  #indexPerson(username: string, personId: unknown): void {
    if (typeof personId !== 'string' || personId === '') return;
    const usernames = this.#usernamesByPerson.get(personId) ?? new Set<string>();
    usernames.add(username);
    this.#usernamesByPerson.set(personId, usernames);
  }

  async #run<E>(trigger: TriggerName, handler: (event: E) => Promise<E | undefined>, event: E): Promise<E> {
    try {
      return await invokeTrigger(handler, event);
    } catch (error) {
      if (error instanceof InvalidLambdaResponseError) {
        throw new LoginRefusedByTrigger(trigger, error, error.message);
      }
      throw new LoginRefusedByTrigger(trigger, error);
    }
  }
}

function snapshot(user: StoredUser): LocalUser {
  return {
    ...user,
    attributes: { ...user.attributes },
    identities: user.identities.map((identity) => ({ ...identity })),
    groups: [...user.groups],
    createdAt: new Date(user.createdAt),
    updatedAt: new Date(user.updatedAt),
  };
}

function verificationError(error: unknown): TokenVerificationError {
  if (error instanceof joseErrors.JWTExpired) {
    return new TokenVerificationError('expired', 'The token has expired.', { cause: error });
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss') {
    return new TokenVerificationError('issuer', 'The token comes from another issuer.', { cause: error });
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  ) {
    return new TokenVerificationError('signature', 'The token is not signed by this user pool.', {
      cause: error,
    });
  }
  return new TokenVerificationError('malformed', 'The token is not a valid JWT.', { cause: error });
}
