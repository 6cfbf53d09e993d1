/**
 * The browser session: tokens in memory and in sessionStorage (one tab, gone when it closes; never
 * localStorage), the login redirect with PKCE, the callback, refresh and logout.
 */
import type { PortalConfig } from '../config.ts';
import { claimsOf, decodeJwtPayload, type PortalClaims } from './claims.ts';
import { CognitoError, refreshNative } from './cognito-idp.ts';
import {
  authorizeUrl,
  codeGrantBody,
  logoutUrl,
  parseTokenResponse,
  refreshGrantBody,
  TokenResponseError,
  type Tokens,
} from './oauth.ts';
import { codeChallengeS256, createCodeVerifier, randomToken } from './pkce.ts';

const TOKENS_KEY = 'eid-access.tokens';
const LOGIN_KEY = 'eid-access.login';
/** Refresh this long before expiry, so a call never leaves with a token about to expire. */
const REFRESH_MARGIN_MS = 60_000;

/** The `nonce` claim of an ID token, or `undefined` (absent, or not a JWT). */
function idTokenNonce(idToken: string): string | undefined {
  try {
    const { nonce } = decodeJwtPayload(idToken);
    return typeof nonce === 'string' ? nonce : undefined;
  } catch {
    return undefined;
  }
}

/** What the login redirect must remember until the callback. */
interface PendingLogin {
  state: string;
  codeVerifier: string;
  /** Sent with the authorization request; the ID token must carry exactly this (OIDC Core 3.1.3.7). */
  nonce: string;
  returnTo: string;
}

/** Why a callback could not complete. */
export class LoginError extends Error {
  override readonly name = 'LoginError';
  constructor(
    /** `nonce`: the ID token carries another nonce or none (a replayed or injected token). */
    readonly reason: 'state' | 'nonce' | 'refused' | 'exchange',
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;

/** The signed-in state of this tab. */
export class Session {
  readonly #config: PortalConfig;
  #tokens: Tokens | undefined;
  #claims: PortalClaims | undefined;
  #refreshing: Promise<Tokens | undefined> | undefined;
  readonly #listeners = new Set<Listener>();

  constructor(config: PortalConfig) {
    this.#config = config;
    this.#restore();
  }

  /** The claims of the current ID token, `undefined` when signed out. */
  get claims(): PortalClaims | undefined {
    return this.#claims;
  }

  get signedIn(): boolean {
    return this.#tokens !== undefined;
  }

  /** Calls `listener` on every sign-in, refresh and sign-out. @returns unsubscribe */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts the code flow: remembers state and verifier, then leaves for the managed login. */
  async login(options: {
    returnTo: string;
    identityProvider?: string;
    lang?: string;
    prompt?: 'login';
  }): Promise<void> {
    const codeVerifier = createCodeVerifier();
    const state = randomToken();
    const nonce = randomToken();
    const pending: PendingLogin = { state, codeVerifier, nonce, returnTo: options.returnTo };
    sessionStorage.setItem(LOGIN_KEY, JSON.stringify(pending));
    window.location.assign(
      authorizeUrl({
        authBaseUrl: this.#config.authBaseUrl,
        clientId: this.#config.clientId,
        redirectUri: this.#config.redirectUri,
        state,
        nonce,
        codeChallenge: await codeChallengeS256(codeVerifier),
        ...(options.identityProvider ? { identityProvider: options.identityProvider } : {}),
        ...(options.lang ? { lang: options.lang } : {}),
        ...(options.prompt ? { prompt: options.prompt } : {}),
      }),
    );
  }

  /**
   * Completes the login on `/auth/callback`: checks `state`, redeems the code with the verifier.
   * @returns where to go next
   * @throws LoginError
   */
  async completeLogin(query: URLSearchParams): Promise<string> {
    const raw = sessionStorage.getItem(LOGIN_KEY);
    sessionStorage.removeItem(LOGIN_KEY);
    const pending = raw ? (JSON.parse(raw) as PendingLogin) : undefined;
    const error = query.get('error');
    if (error !== null) {
      throw new LoginError('refused', query.get('error_description') ?? error);
    }
    if (!pending || query.get('state') !== pending.state) {
      throw new LoginError('state', 'state mismatch');
    }
    const response = await fetch(`${this.#config.authBaseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: codeGrantBody({
        clientId: this.#config.clientId,
        redirectUri: this.#config.redirectUri,
        code: query.get('code') ?? '',
        codeVerifier: pending.codeVerifier,
      }),
    }).catch((cause: unknown) => {
      throw new LoginError('exchange', String(cause));
    });
    let tokens: Tokens;
    try {
      tokens = parseTokenResponse(await response.json(), Date.now());
    } catch (cause) {
      throw new LoginError('exchange', cause instanceof Error ? cause.message : String(cause));
    }
    // A pending login from before the nonce was kept has none: it cannot be checked, so it fails too.
    if (!pending.nonce || idTokenNonce(tokens.idToken) !== pending.nonce) {
      throw new LoginError('nonce', 'the ID token does not carry the nonce of this login');
    }
    this.#store(tokens);
    return pending.returnTo;
  }

  /**
   * An ID token valid for at least a minute, refreshed when needed; `undefined` when signed out or
   * when the refresh token no longer works (the session is then cleared).
   */
  async idToken(options: { forceRefresh?: boolean } = {}): Promise<string | undefined> {
    const tokens = this.#tokens;
    if (!tokens) return undefined;
    if (!options.forceRefresh && tokens.expiresAt - REFRESH_MARGIN_MS > Date.now()) return tokens.idToken;
    this.#refreshing ??= this.#refresh(tokens).finally(() => {
      this.#refreshing = undefined;
    });
    return (await this.#refreshing)?.idToken;
  }

  /** Starts the session of a completed native login (same store as the managed login's). */
  completeNativeLogin(tokens: Tokens): void {
    this.#store({ ...tokens, source: 'native' });
  }

  /**
   * The access token, refreshed like the ID token: the platform's API takes it (scope
   * `eid-access/api`), and so does Cognito's own API (the authenticator app).
   */
  async accessToken(options: { forceRefresh?: boolean } = {}): Promise<string | undefined> {
    if (!(await this.idToken(options))) return undefined;
    return this.#tokens?.accessToken;
  }

  /** Signs out locally and at the managed login (a native session has none: back to the start). */
  logout(): void {
    const native = this.#tokens?.source === 'native';
    this.clear();
    if (native) {
      window.location.assign(this.#config.logoutUri ?? `${window.location.origin}/`);
      return;
    }
    window.location.assign(
      logoutUrl({
        authBaseUrl: this.#config.authBaseUrl,
        clientId: this.#config.clientId,
        logoutUri: this.#config.logoutUri ?? `${window.location.origin}/`,
      }),
    );
  }

  /** Forgets the tokens of this tab. */
  clear(): void {
    this.#tokens = undefined;
    this.#claims = undefined;
    sessionStorage.removeItem(TOKENS_KEY);
    this.#notify();
  }

  async #refresh(tokens: Tokens): Promise<Tokens | undefined> {
    if (!tokens.refreshToken) {
      this.clear();
      return undefined;
    }
    if (tokens.source === 'native') return this.#refreshNative(tokens, tokens.refreshToken);
    try {
      const response = await fetch(`${this.#config.authBaseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: refreshGrantBody({ clientId: this.#config.clientId, refreshToken: tokens.refreshToken }),
      });
      const refreshed = parseTokenResponse(await response.json(), Date.now(), tokens.refreshToken);
      this.#store(refreshed);
      return refreshed;
    } catch (error) {
      // A refused refresh token means the session is over; a network failure keeps it for a retry.
      if (error instanceof TokenResponseError) this.clear();
      return undefined;
    }
  }

  async #refreshNative(tokens: Tokens, refreshToken: string): Promise<Tokens | undefined> {
    // Native tokens come from the native client: only that client can refresh them.
    const { cognitoIdpEndpoint, userPoolId, nativeClientId } = this.#config;
    if (!cognitoIdpEndpoint || !userPoolId || !nativeClientId) {
      this.clear();
      return undefined;
    }
    try {
      const refreshed = await refreshNative(
        { cognitoIdpEndpoint, userPoolId, clientId: nativeClientId },
        refreshToken,
      );
      this.#store({ ...refreshed, source: tokens.source });
      return refreshed;
    } catch (error) {
      if (error instanceof CognitoError && error.type !== 'network') this.clear();
      return undefined;
    }
  }

  #store(tokens: Tokens): void {
    this.#tokens = tokens;
    this.#claims = claimsOf(tokens.idToken);
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    this.#notify();
  }

  #restore(): void {
    const raw = sessionStorage.getItem(TOKENS_KEY);
    if (!raw) return;
    try {
      const tokens = JSON.parse(raw) as Tokens;
      this.#tokens = tokens;
      this.#claims = claimsOf(tokens.idToken);
    } catch {
      sessionStorage.removeItem(TOKENS_KEY);
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
