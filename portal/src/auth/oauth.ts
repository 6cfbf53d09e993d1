/**
 * The OAuth 2.0 authorization code flow with PKCE against Cognito's managed login, or the sandbox's
 * local user pool (same endpoints, another base URL). Pure request builders and response parsers;
 * the browser side (redirects, storage) is in session.ts.
 */

/**
 * Tokens of a signed-in session. The API takes the access token (`Authorization: Bearer`, scope
 * `eid-access/api`); the ID token tells the portal who signed in.
 */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the ID and access tokens expire. */
  expiresAt: number;
  /**
   * How the session started: the managed login (refresh at `/oauth2/token`, logout there) or the
   * native login (refresh with `REFRESH_TOKEN_AUTH`, no managed-login session to end).
   * @default 'hosted'
   */
  source?: 'hosted' | 'native';
}

/** What the portal needs to start a login. */
export interface AuthorizeRequest {
  authBaseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  /** Skips Cognito's provider choice (`itsme` or `eIDAS`). */
  identityProvider?: string;
  /** Language of the managed login pages. */
  lang?: string;
  /**
   * `login` asks for a new authentication even when the managed login still has a session: the
   * "connect another login" journey needs proof of the other means now, not a remembered login.
   */
  prompt?: 'login';
}

/** The scopes the portal asks for: OpenID Connect's and the API's (ARCHITECTURE.md section 3). */
export const SCOPES = ['openid', 'profile', 'email', 'phone', 'eid-access/api'] as const;

/** The `/oauth2/authorize` URL of the code flow with PKCE S256. */
export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(`${request.authBaseUrl}/oauth2/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', SCOPES.join(' '));
  url.searchParams.set('state', request.state);
  url.searchParams.set('nonce', request.nonce);
  url.searchParams.set('code_challenge', request.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (request.identityProvider) url.searchParams.set('identity_provider', request.identityProvider);
  if (request.lang) url.searchParams.set('lang', request.lang);
  if (request.prompt) url.searchParams.set('prompt', request.prompt);
  return url.href;
}

/** The form body of the `authorization_code` grant (public client: no secret). */
export function codeGrantBody(input: {
  clientId: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    code: input.code,
    code_verifier: input.codeVerifier,
  });
}

/** The form body of the `refresh_token` grant. */
export function refreshGrantBody(input: { clientId: string; refreshToken: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: input.clientId,
    refresh_token: input.refreshToken,
  });
}

/** A token endpoint answer that cannot be used. */
export class TokenResponseError extends Error {
  override readonly name = 'TokenResponseError';
}

/**
 * Tokens from a `/oauth2/token` answer. The pool rotates refresh tokens: a refresh answer carries a
 * new `refresh_token`, which replaces the used one (that one is refused after a short grace period);
 * an answer without one keeps the previous token.
 */
export function parseTokenResponse(body: unknown, now: number, previousRefreshToken?: string): Tokens {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof record.error === 'string') {
    throw new TokenResponseError(
      typeof record.error_description === 'string' ? record.error_description : record.error,
    );
  }
  const { id_token: idToken, access_token: accessToken, refresh_token: refreshToken, expires_in } = record;
  if (typeof idToken !== 'string' || typeof accessToken !== 'string') {
    throw new TokenResponseError('The token response has no ID token');
  }
  const expiresIn = typeof expires_in === 'number' && expires_in > 0 ? expires_in : 300;
  const keptRefreshToken = typeof refreshToken === 'string' ? refreshToken : previousRefreshToken;
  return {
    idToken,
    accessToken,
    ...(keptRefreshToken ? { refreshToken: keptRefreshToken } : {}),
    expiresAt: now + expiresIn * 1000,
  };
}

/** The logout URL of the managed login (it redirects to a registered `logout_uri`). */
export function logoutUrl(input: { authBaseUrl: string; clientId: string; logoutUri: string }): string {
  const url = new URL(`${input.authBaseUrl}/logout`);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('logout_uri', input.logoutUri);
  return url.href;
}
