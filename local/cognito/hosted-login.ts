/**
 * The local managed login: the OAuth 2.0 / OIDC endpoints of a Cognito user pool domain and its
 * federation endpoints, over node:http.
 *
 * | method | path | what |
 * |---|---|---|
 * | GET | `/oauth2/authorize` | code flow; without `identity_provider` the provider choice page, with it a redirect to the IdP |
 * | GET | `/oauth2/idpresponse` | OIDC callback (itsme) |
 * | POST | `/saml2/idpresponse` | SAML ACS (eIDAS) |
 * | GET | `/saml2/metadata` | the pool's SP metadata for the SAML IdP (certificates, signing and encryption flags) |
 * | POST | `/oauth2/token` | `authorization_code` (PKCE S256) and `refresh_token` grants |
 * | POST | `/oauth2/revoke` | refresh token revocation |
 * | GET | `/oauth2/userInfo` | the user's attributes, for an access token with `openid` |
 * | GET | `/logout` | redirect to a registered `logout_uri` |
 * | GET | `/.well-known/jwks.json`, `/<poolId>/.well-known/jwks.json`, `/<poolId>/.well-known/openid-configuration` | keys and discovery |
 *
 * As Cognito: a request that cannot be sent back to the application (unknown client, unregistered
 * redirect URI, lost login session) gets an error page; every other error is a redirect to the
 * application with `error` (and `error_description`, `state`). A refusing trigger redirects with
 * `error_description=<Trigger> failed with error <message>. ` and `error=invalid_request` — Cognito's
 * observed format (including the trailing space).
 *
 * Login sessions (state, PKCE challenge, nonce, the IdP's state/nonce or AuthnRequest id) and
 * authorization codes live in memory and expire; codes are single-use, consumed by any redemption.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import { DomainError } from '#shared/errors';
import { LoginRefusedByTrigger, OAuthError, type OAuthErrorCode } from './errors.ts';
import { type ProviderChoice, renderErrorPage, renderLoginPage } from './pages.ts';
import type {
  AppClientConfig,
  FederatedSignInInput,
  FederationResult,
  IssuedTokens,
  LocalUser,
  ProviderName,
  VerifiedClaims,
} from './pool-model.ts';

/** The OIDC IdP as the pool's relying party sees it (e.g. local itsme's `LocalItsmeClient`). */
export interface OidcIdentityProvider {
  /** The authorization request URL to redirect the browser to. */
  authorizationUrl(request: { state: string; nonce: string }): Promise<URL>;
  /** Handles the callback (code exchange, ID token checks, attribute mapping). */
  completeLogin(callback: URL, checks: { state: string; nonce: string }): Promise<FederationResult>;
}

/** The SAML IdP as the pool's SP sees it (e.g. local eIDAS's `LocalCognitoSamlSp`). */
export interface SamlIdentityProvider {
  /** The pool's SAML SP metadata for this IdP, served at `GET /saml2/metadata`. */
  readonly metadata?: string;
  /** An AuthnRequest for the HTTP-Redirect binding: its id and the IdP URL. */
  createLoginRequest(options: { relayState?: string }): { id: string; url: string };
  /** Validates a base64 SAMLResponse and maps its attributes. */
  consume(samlResponse: string, options: { expectedInResponseTo?: string }): Promise<FederationResult>;
}

/** What the managed login needs of its user pool (a `LocalCognito`). */
export interface HostedLoginPool {
  readonly poolId: string;
  readonly issuer: string;
  readonly issuerBaseUrl: string;
  jwks(): JSONWebKeySet;
  client(clientId: string): Readonly<AppClientConfig> | undefined;
  allowedScopes(clientId: string): readonly string[];
  federatedSignIn(input: FederatedSignInInput): Promise<IssuedTokens>;
  refresh(refreshToken: string, clientId: string): Promise<IssuedTokens>;
  revoke(refreshToken: string, clientId: string): void;
  /** True when the token's authentication was revoked (a revoked refresh token, a global sign-out). */
  isRevoked(claims: Readonly<Record<string, unknown>>): boolean;
  verifyToken(token: string, options?: { tokenUse?: 'id' | 'access' }): Promise<VerifiedClaims>;
  getUser(username: string): LocalUser | undefined;
}

/** The federated IdPs, by Cognito provider name. */
export interface IdentityProviders {
  itsme?: OidcIdentityProvider;
  eIDAS?: SamlIdentityProvider;
  EUDIWallet?: OidcIdentityProvider;
}

/** Where the IdPs must send their answers: configure the local itsme client and eIDAS SP with these. */
export function hostedLoginUrls(issuerBaseUrl: string): { oidcRedirectUri: string; samlAcsUrl: string } {
  const base = issuerBaseUrl.replace(/\/+$/, '');
  return { oidcRedirectUri: `${base}/oauth2/idpresponse`, samlAcsUrl: `${base}/saml2/idpresponse` };
}

/** Longer than the deployed pool's 3-minute session: the local IdPs' forms are filled in by hand. */
const LOGIN_SESSION_TTL_MS = 10 * 60 * 1000;
/** Cognito's authorization codes are valid for 5 minutes. */
const AUTHORIZATION_CODE_TTL_MS = 5 * 60 * 1000;
const MAX_FORM_BYTES = 256 * 1024;

const PROVIDER_CHOICES: readonly (ProviderChoice & { name: ProviderName })[] = [
  { name: 'itsme', label: 'itsme', hint: 'Belgian mobile identity app' },
  { name: 'eIDAS', label: 'eIDAS', hint: 'European eID of another EU country: choose your country next' },
  {
    name: 'EUDIWallet',
    label: 'EU Digital Identity Wallet',
    hint: 'The identity wallet app of your EU country',
  },
];

interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
}

interface LoginSession extends AuthorizationRequest {
  provider: ProviderName;
  idpState: string;
  idpNonce: string;
  samlRequestId?: string;
  expiresAt: number;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  tokens: IssuedTokens;
  includeIdToken: boolean;
  expiresAt: number;
}

/** Raised inside the handler for requests that get the error page instead of a redirect. */
class ErrorPage extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/** The managed login of one user pool (a `LocalCognito`). */
export class HostedLogin {
  readonly #pool: HostedLoginPool;
  readonly #providers: IdentityProviders;
  readonly #now: () => number;
  readonly #sessions = new Map<string, LoginSession>();
  readonly #codes = new Map<string, AuthorizationCode>();

  constructor(pool: HostedLoginPool, options: { identityProviders: IdentityProviders; now: () => number }) {
    this.#pool = pool;
    this.#providers = options.identityProviders;
    this.#now = options.now;
  }

  /** The node:http handler; resolves `false` for paths it does not own. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', this.#pool.issuerBaseUrl);
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const wellKnown = `/${this.#pool.poolId}/.well-known`;
    this.#sweep();
    try {
      switch (route) {
        case 'GET /.well-known/jwks.json':
        case `GET ${wellKnown}/jwks.json`:
          sendJson(res, 200, this.#pool.jwks(), { cors: true, cache: 'public, max-age=300' });
          return true;
        case `GET ${wellKnown}/openid-configuration`:
          sendJson(res, 200, this.#discovery(), { cors: true, cache: 'public, max-age=300' });
          return true;
        case 'GET /oauth2/authorize':
          await this.#authorize(res, url);
          return true;
        case 'GET /oauth2/idpresponse':
          await this.#oidcCallback(res, url);
          return true;
        case 'GET /saml2/metadata': {
          const metadata = this.#providers.eIDAS?.metadata;
          if (metadata === undefined) return false;
          res.writeHead(200, {
            'content-type': 'application/samlmetadata+xml; charset=utf-8',
            'cache-control': 'public, max-age=300',
            'x-content-type-options': 'nosniff',
          });
          res.end(metadata);
          return true;
        }
        case 'POST /saml2/idpresponse':
          await this.#samlCallback(req, res);
          return true;
        case 'POST /oauth2/token':
          await this.#token(req, res);
          return true;
        case 'POST /oauth2/revoke':
          await this.#revoke(req, res);
          return true;
        case 'GET /oauth2/userInfo':
          await this.#userInfo(req, res);
          return true;
        case 'OPTIONS /oauth2/token':
        case 'OPTIONS /oauth2/revoke':
        case 'OPTIONS /oauth2/userInfo':
          res.writeHead(204, corsHeaders({ preflight: true }));
          res.end();
          return true;
        case 'GET /logout':
          this.#logout(res, url);
          return true;
        default:
          return false;
      }
    } catch (error) {
      if (error instanceof ErrorPage) {
        sendHtml(res, error.status, renderErrorPage({ error: error.error, description: error.message }));
      } else {
        sendHtml(
          res,
          500,
          renderErrorPage({ error: 'server_error', description: 'The local user pool failed.' }),
        );
      }
      return true;
    }
  }

  /** Validates an authorization request in Cognito's order: client and redirect URI first. */
  #authorizationRequest(params: URLSearchParams): AuthorizationRequest {
    const clientId = params.get('client_id') ?? '';
    const client = this.#pool.client(clientId);
    if (!client) throw new ErrorPage(400, 'invalid_client', 'Unknown client_id.');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!client.callbackUrls.includes(redirectUri)) {
      throw new ErrorPage(400, 'redirect_mismatch', 'The redirect_uri is not registered for this client.');
    }
    const state = params.get('state') ?? undefined;
    const back = (code: OAuthErrorCode, description: string) =>
      new RedirectError(redirectUri, state, code, description);

    if (params.get('response_type') !== 'code') {
      throw back('unsupported_response_type', 'Only response_type=code is supported.');
    }
    const codeChallenge = params.get('code_challenge') ?? undefined;
    const method = params.get('code_challenge_method');
    if (codeChallenge !== undefined) {
      if (method !== 'S256') throw back('invalid_request', 'code_challenge_method must be S256.');
      if (!/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge)) {
        throw back('invalid_request', 'code_challenge is malformed.');
      }
    } else if (client.requirePkce ?? true) {
      throw back('invalid_request', 'code_challenge (PKCE, S256) is required.');
    }
    const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
    const allowed = this.#pool.allowedScopes(clientId);
    if (requested.some((scope) => !allowed.includes(scope))) {
      throw back('invalid_scope', 'The client may not ask for this scope.');
    }
    return {
      clientId,
      redirectUri,
      state,
      scopes: requested.length > 0 ? [...new Set(requested)] : [...allowed],
      nonce: params.get('nonce') ?? undefined,
      codeChallenge,
    };
  }

  async #authorize(res: ServerResponse, url: URL): Promise<void> {
    let request: AuthorizationRequest;
    try {
      request = this.#authorizationRequest(url.searchParams);
    } catch (error) {
      if (error instanceof RedirectError) return redirect(res, error.location());
      throw error;
    }
    const providerName = url.searchParams.get('identity_provider');
    if (providerName === null) {
      const params = Object.fromEntries(url.searchParams);
      sendHtml(
        res,
        200,
        renderLoginPage({
          action: '/oauth2/authorize',
          clientName: this.#pool.client(request.clientId)?.name ?? request.clientId,
          params,
          providers: PROVIDER_CHOICES.filter((choice) => this.#providers[choice.name] !== undefined),
        }),
      );
      return;
    }
    const provider = PROVIDER_CHOICES.find((choice) => choice.name === providerName)?.name;
    if (!provider || !this.#providers[provider]) {
      return redirect(
        res,
        new RedirectError(
          request.redirectUri,
          request.state,
          'invalid_request',
          'identity_provider is not enabled for this client.',
        ).location(),
      );
    }
    const session: LoginSession = {
      ...request,
      provider,
      idpState: randomBytes(24).toString('base64url'),
      idpNonce: randomBytes(24).toString('base64url'),
      expiresAt: this.#now() + LOGIN_SESSION_TTL_MS,
    };
    let location: string;
    if (provider === 'itsme' || provider === 'EUDIWallet') {
      const oidc = this.#providers[provider] as OidcIdentityProvider;
      location = (await oidc.authorizationUrl({ state: session.idpState, nonce: session.idpNonce })).href;
    } else {
      const eidas = this.#providers.eIDAS as SamlIdentityProvider;
      const loginRequest = eidas.createLoginRequest({ relayState: session.idpState });
      session.samlRequestId = loginRequest.id;
      location = loginRequest.url;
    }
    this.#sessions.set(session.idpState, session);
    redirect(res, location);
  }

  async #oidcCallback(res: ServerResponse, url: URL): Promise<void> {
    // Both OIDC providers (itsme, EUDIWallet) answer at the same redirect URI; the state names the login.
    const session = this.#takeSession(url.searchParams.get('state'), ['itsme', 'EUDIWallet']);
    const idpError = url.searchParams.get('error');
    if (idpError !== null) {
      const description =
        url.searchParams.get('error_description') ?? 'The identity provider refused the login.';
      return redirect(res, this.#errorLocation(session, 'access_denied', description));
    }
    const oidc = this.#providers[session.provider] as OidcIdentityProvider;
    await this.#complete(res, session, () =>
      oidc.completeLogin(url, { state: session.idpState, nonce: session.idpNonce }),
    );
  }

  async #samlCallback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req).catch(() => {
      throw new ErrorPage(400, 'invalid_request', 'The SAML response could not be read.');
    });
    // Cognito does not accept IdP-initiated responses: the RelayState must name a login it started.
    const session = this.#takeSession(form.RelayState ?? null, ['eIDAS']);
    const eidas = this.#providers.eIDAS as SamlIdentityProvider;
    await this.#complete(res, session, () =>
      eidas.consume(form.SAMLResponse ?? '', { expectedInResponseTo: session.samlRequestId }),
    );
  }

  #takeSession(key: string | null, providers: readonly ProviderName[]): LoginSession {
    const session = key === null ? undefined : this.#sessions.get(key);
    if (!session || !providers.includes(session.provider) || session.expiresAt <= this.#now()) {
      throw new ErrorPage(
        400,
        'invalid_state',
        'This sign-in has expired or was not started here. Start again.',
      );
    }
    this.#sessions.delete(session.idpState);
    return session;
  }

  async #complete(
    res: ServerResponse,
    session: LoginSession,
    federate: () => Promise<FederationResult>,
  ): Promise<void> {
    let federated: FederationResult;
    try {
      federated = await federate();
    } catch (error) {
      const description =
        error instanceof DomainError
          ? error.message
          : 'The identity provider response could not be verified.';
      return redirect(res, this.#errorLocation(session, 'invalid_request', description));
    }
    let tokens: IssuedTokens;
    try {
      tokens = await this.#pool.federatedSignIn({
        ...federated,
        providerName: session.provider,
        clientId: session.clientId,
        scopes: session.scopes,
        nonce: session.nonce,
      });
    } catch (error) {
      if (error instanceof LoginRefusedByTrigger) {
        return redirect(res, this.#errorLocation(session, 'invalid_request', `${error.message} `));
      }
      if (error instanceof OAuthError || error instanceof DomainError) {
        return redirect(res, this.#errorLocation(session, 'invalid_request', error.message));
      }
      throw error;
    }
    const code = randomUUID();
    this.#codes.set(code, {
      clientId: session.clientId,
      redirectUri: session.redirectUri,
      codeChallenge: session.codeChallenge,
      tokens,
      includeIdToken: session.scopes.includes('openid'),
      expiresAt: this.#now() + AUTHORIZATION_CODE_TTL_MS,
    });
    const location = new URL(session.redirectUri);
    location.searchParams.set('code', code);
    if (session.state !== undefined) location.searchParams.set('state', session.state);
    redirect(res, location.href);
  }

  #errorLocation(session: AuthorizationRequest, code: OAuthErrorCode, description: string): string {
    return new RedirectError(session.redirectUri, session.state, code, description).location();
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const form = await this.#tokenRequestForm(req);
      const clientId = clientIdOf(req, form);
      if (!this.#pool.client(clientId)) throw new OAuthError('invalid_client', 'Unknown client.');
      switch (form.grant_type) {
        case 'authorization_code':
          sendJson(res, 200, this.#redeemCode(clientId, form), { cors: true });
          return;
        case 'refresh_token': {
          const tokens = await this.#pool.refresh(form.refresh_token ?? '', clientId);
          sendJson(res, 200, tokenResponse(tokens, true), { cors: true });
          return;
        }
        case undefined:
          throw new OAuthError('invalid_request', 'grant_type is required.');
        default:
          throw new OAuthError('unsupported_grant_type', 'Use authorization_code or refresh_token.');
      }
    } catch (error) {
      sendOAuthError(res, error);
    }
  }

  #redeemCode(clientId: string, form: Record<string, string>): Record<string, unknown> {
    const code = form.code ?? '';
    const entry = this.#codes.get(code);
    if (!entry || entry.clientId !== clientId)
      throw new OAuthError('invalid_grant', 'Invalid authorization code.');
    // Single use: any redemption consumes it, so a wrong verifier cannot be retried.
    this.#codes.delete(code);
    if (entry.expiresAt <= this.#now())
      throw new OAuthError('invalid_grant', 'The authorization code has expired.');
    if (form.redirect_uri !== entry.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request.');
    }
    if (entry.codeChallenge !== undefined) {
      const verifier = form.code_verifier ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== entry.codeChallenge) {
        throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
      }
    }
    return tokenResponse(entry.tokens, entry.includeIdToken);
  }

  async #revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const form = await this.#tokenRequestForm(req);
      const clientId = clientIdOf(req, form);
      if (!form.token) throw new OAuthError('invalid_request', 'token is required.');
      this.#pool.revoke(form.token, clientId);
      res.writeHead(200, { ...corsHeaders({}), 'cache-control': 'no-store' });
      res.end();
    } catch (error) {
      sendOAuthError(res, error);
    }
  }

  async #userInfo(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = token
      ? await this.#pool.verifyToken(token, { tokenUse: 'access' }).catch(() => undefined)
      : undefined;
    const user = claims ? this.#pool.getUser(String(claims.username)) : undefined;
    if (
      !claims ||
      !user ||
      this.#pool.isRevoked(claims) ||
      !String(claims.scope ?? '')
        .split(' ')
        .includes('openid')
    ) {
      res.writeHead(401, {
        ...corsHeaders({}),
        'www-authenticate': 'Bearer error="invalid_token"',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ error: 'invalid_token', error_description: 'Access token is not valid.' }));
      return;
    }
    sendJson(
      res,
      200,
      {
        sub: user.sub,
        identities: JSON.stringify(user.identities),
        ...user.attributes,
        username: user.username,
      },
      { cors: true },
    );
  }

  #logout(res: ServerResponse, url: URL): void {
    const clientId = url.searchParams.get('client_id') ?? '';
    const client = this.#pool.client(clientId);
    if (!client) throw new ErrorPage(400, 'invalid_client', 'Unknown client_id.');
    const logoutUri = url.searchParams.get('logout_uri');
    if (logoutUri !== null) {
      if (!client.logoutUrls.includes(logoutUri)) {
        throw new ErrorPage(400, 'redirect_mismatch', 'The logout_uri is not registered for this client.');
      }
      redirect(res, logoutUri);
      return;
    }
    // Cognito's other form: sign out, then start a new sign-in with these parameters.
    if (url.searchParams.has('redirect_uri') && url.searchParams.has('response_type')) {
      const authorize = new URL('/oauth2/authorize', this.#pool.issuerBaseUrl);
      authorize.search = url.search;
      redirect(res, `${authorize.pathname}${authorize.search}`);
      return;
    }
    throw new ErrorPage(400, 'invalid_request', 'logout_uri is required.');
  }

  async #tokenRequestForm(req: IncomingMessage): Promise<Record<string, string>> {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      await drain(req);
      throw new OAuthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    return readForm(req).catch(() => {
      throw new OAuthError('invalid_request', 'The request body could not be read.');
    });
  }

  #discovery(): Record<string, unknown> {
    const base = this.#pool.issuerBaseUrl;
    return {
      issuer: this.#pool.issuer,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      end_session_endpoint: `${base}/logout`,
      jwks_uri: `${this.#pool.issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    };
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(key);
    for (const [key, code] of this.#codes) if (code.expiresAt <= now) this.#codes.delete(key);
  }
}

/** An authorization error the application hears about through its redirect URI. */
class RedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly code: OAuthErrorCode,
    description: string,
  ) {
    super(description);
  }

  /** `error_description` first, then `state`, then `error`: the order Cognito writes them. */
  location(): string {
    const url = new URL(this.redirectUri);
    url.searchParams.set('error_description', this.message);
    if (this.state !== undefined) url.searchParams.set('state', this.state);
    url.searchParams.set('error', this.code);
    return url.href;
  }
}

function tokenResponse(tokens: IssuedTokens, includeIdToken: boolean): Record<string, unknown> {
  return {
    ...(includeIdToken ? { id_token: tokens.idToken } : {}),
    access_token: tokens.accessToken,
    ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
    expires_in: tokens.expiresIn,
    token_type: tokens.tokenType,
  };
}

function clientIdOf(req: IncomingMessage, form: Record<string, string>): string {
  const basic = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    return decodeURIComponent(separator === -1 ? decoded : decoded.slice(0, separator));
  }
  return form.client_id ?? '';
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function sendOAuthError(res: ServerResponse, error: unknown): void {
  if (error instanceof OAuthError) {
    sendJson(res, error.status, { error: error.code, error_description: error.message }, { cors: true });
  } else if (error instanceof LoginRefusedByTrigger) {
    sendJson(res, 400, { error: 'invalid_request', error_description: error.message }, { cors: true });
  } else {
    sendJson(res, 500, { error: 'server_error' }, { cors: true });
  }
}

function corsHeaders(options: { preflight?: boolean }): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    ...(options.preflight
      ? {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        }
      : {}),
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: { cors?: boolean; cache?: string } = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': options.cache ?? 'no-store',
    ...(options.cache ? {} : { pragma: 'no-cache' }),
    ...(options.cors ? corsHeaders({}) : {}),
  });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // Discarded: the request is refused, but its body must be read for the connection to be reused.
  }
}
