/**
 * The wallet bridge (ARCHITECTURE.md section 2a): an OpenID Connect provider towards Cognito and an
 * OpenID4VP 1.0 (HAIP) verifier towards the wallet, framework-free so that the Lambda handler and the
 * sandbox serve the same code.
 *
 * | method and path | who calls | what |
 * |---|---|---|
 * | GET /.well-known/openid-configuration, GET /jwks | Cognito | discovery, ID token keys |
 * | GET /authorize | browser (sent by Cognito) | validates Cognito's request, starts a transaction, sets the browser cookie, 303 to the page |
 * | GET /authorize/{tx} | browser | the authorization page: same-device link, QR code, status |
 * | GET /request/{tx}[?response_mode=dc_api.jwt] | wallet; the page for the Digital Credentials API | the signed request object (JAR) |
 * | POST /response/{tx} | wallet (`direct_post.jwt`); the page (`dc_api=1`, the browser wallet's answer) | decrypt, verify, record the outcome once → `{ redirect_uri }` (verifier.ts: a function of its own in AWS) |
 * | GET /status/{tx} | page | `{ status: pending\|verified\|failed }` |
 * | GET /complete?tx=…[&response_code=…] | browser | once verified (response code or cookie): code to Cognito; refused: error to Cognito |
 * | POST /token | Cognito | code → ID token (RS256) + access token; client secret (basic or post) |
 * | GET, POST /userinfo | Cognito | the same claims |
 */
import { generateKeyPairSync, type KeyObject, timingSafeEqual } from 'node:crypto';
import { type JWK, SignJWT } from 'jose';
import { OAuthError, type PresentationRefusedError } from './errors.ts';
import {
  type BridgeRequest,
  type BridgeResponse,
  json,
  randomToken,
  sha256,
  TRANSACTION_PATH,
  withParams,
} from './http.ts';
import { idTokenJwks } from './id-token-keys.ts';
import { type Locale, pickLocale, REFUSAL_TEXT, refusalDescription } from './messages.ts';
import {
  contentSecurityPolicy,
  renderAuthorizationPage,
  renderErrorPage,
  renderRefusalPage,
} from './pages.ts';
import { type AccessCertificate, signRequestObject } from './request-object.ts';
import type { BridgeStore, Transaction } from './store.ts';

/** An OIDC client of the bridge (the user pool's `EUDIWallet` identity provider). */
export interface BridgeClient {
  clientId: string;
  clientSecret: string;
  /** Cognito's `https://<domain>/oauth2/idpresponse`. */
  redirectUris: readonly string[];
}

/** Everything the bridge needs. */
export interface BridgeOptions {
  /** The bridge's issuer URL, no trailing slash; every endpoint is under it. */
  issuer: string;
  clients: readonly BridgeClient[];
  /** `x509_san_dns:<host>` or `x509_hash:<hash>` of the access certificate. */
  verifierClientId: string;
  /** Shown by wallets as the relying party's name. */
  verifierName: string;
  accessCertificate: AccessCertificate;
  /** RSA key (≥ 2048 bits) that signs ID tokens (RS256), and its key id. */
  idTokenKey: { privateKey: KeyObject; kid: string };
  /**
   * RSA public keys (≥ 2048 bits, at most 4) that `GET /jwks` publishes after the signing key, each
   * with the key id `keyIdOf` (id-token-keys.ts) gives it: the next signing key before it signs, the
   * previous one while the tokens it signed live. One that is the signing key is published once.
   * @default - only the signing key
   */
  idTokenPublishedKeys?: readonly KeyObject[];
  store: BridgeStore;
  /**
   * Answers `POST /response/{tx}` (the wallet's presentation): {@link WalletResponseVerifier} of
   * verifier.ts. The Lambda behind the HTTP API's catch-all route leaves it out — API Gateway sends
   * that route to the verifier function, the only one that bundles the PID verification — and
   * answers 404 there; the sandbox passes it, so one process serves every path.
   * @default - `POST /response/{tx}` answers 404
   */
  walletResponses?: { answer(request: BridgeRequest, transactionId: string): Promise<BridgeResponse> };
  /** @default 300 */
  transactionSeconds?: number;
  now?: () => Date;
  /** Structured log of outcomes (no personal data). */
  log?: (message: string, attributes: Record<string, unknown>) => void;
  /** `Secure` cookies (off only for the sandbox's http://127.0.0.1). @default true */
  secureCookies?: boolean;
  /** The sandbox's test wallet page, linked from the authorization page. Never set in AWS. */
  testWalletUrl?: string;
}

export type { BridgeRequest, BridgeResponse } from './http.ts';

const COOKIE = 'eudi_bridge';
const TOKEN_SECONDS = 300;
const CODE_SECONDS = 60;

/** The wallet bridge; see the module comment. */
export class WalletBridge {
  readonly #options: BridgeOptions;
  readonly #basePath: string;
  readonly #now: () => Date;
  readonly #idTokenJwks: readonly JWK[];

  constructor(options: BridgeOptions) {
    this.#options = options;
    this.#basePath = `${new URL(options.issuer).pathname.replace(/\/$/, '')}/`;
    this.#now = options.now ?? (() => new Date());
    this.#idTokenJwks = idTokenJwks(options.idTokenKey, options.idTokenPublishedKeys);
  }

  /** Answers one request; unknown paths answer 404. */
  async handle(request: BridgeRequest): Promise<BridgeResponse> {
    const { method, path } = request;
    try {
      if (method === 'GET' && path === '/.well-known/openid-configuration')
        return json(200, this.discovery());
      if (method === 'GET' && path === '/jwks') return json(200, { keys: this.#idTokenJwks });
      if (method === 'GET' && path === '/authorize') return await this.#authorize(request);
      if (method === 'POST' && path === '/token') return await this.#token(request);
      if ((method === 'GET' || method === 'POST') && path === '/userinfo')
        return await this.#userinfo(request);
      if (method === 'GET' && path === '/complete') return await this.#complete(request);
      const match = TRANSACTION_PATH.exec(path);
      if (match) {
        const [, action, tx] = match as unknown as [string, string, string];
        if (method === 'GET' && action === 'authorize') return await this.#page(request, tx);
        if (method === 'GET' && action === 'request') return await this.#requestObject(request, tx);
        if (method === 'POST' && action === 'response' && this.#options.walletResponses)
          return await this.#options.walletResponses.answer(request, tx);
        if (method === 'GET' && action === 'status') return await this.#status(tx);
      }
      return json(404, { error: 'not_found' });
    } catch (error) {
      if (error instanceof OAuthError) {
        return json(error.status, { error: error.error, error_description: error.description });
      }
      this.#log('wallet bridge request failed', {
        path,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return json(500, { error: 'server_error' });
    }
  }

  /** The OpenID provider metadata Cognito discovers. */
  discovery(): Record<string, unknown> {
    const { issuer } = this.#options;
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid'],
      claims_supported: [
        'sub',
        'given_name',
        'family_name',
        'birthdate',
        'issuing_country',
        'personal_administrative_number',
        'nationalities',
      ],
      ui_locales_supported: ['nl', 'fr', 'en', 'de'],
    };
  }

  async #authorize(request: BridgeRequest): Promise<BridgeResponse> {
    const { query } = request;
    const locale = pickLocale(query.get('ui_locales') ?? undefined, request.headers['accept-language']);
    const client = this.#options.clients.find((candidate) => candidate.clientId === query.get('client_id'));
    const redirectUri = query.get('redirect_uri') ?? '';
    // Never redirect to an unregistered URI: that would make the bridge an open redirector.
    if (!client?.redirectUris.includes(redirectUri)) {
      const cspNonce = randomToken(16);
      return html(400, renderErrorPage(locale, REFUSAL_TEXT.replay[locale], cspNonce), cspNonce);
    }
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string) =>
      redirect(withParams(redirectUri, { error, error_description: description, state }));
    if (query.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'Only the code flow.');
    if (!(query.get('scope') ?? '').split(' ').includes('openid'))
      return fail('invalid_scope', 'openid is required.');

    const now = this.#now();
    const transactionId = randomToken(24);
    const browserSecret = randomToken(32);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encryptionJwk = { ...privateKey.export({ format: 'jwk' }), kid: randomToken(8) } as JWK;
    const nonce = query.get('nonce') ?? undefined;
    const transaction: Transaction = {
      transactionId,
      status: 'pending',
      request: {
        clientId: client.clientId,
        redirectUri,
        ...(state !== undefined ? { state } : {}),
        ...(nonce !== undefined ? { nonce } : {}),
        locale,
      },
      nonce: randomToken(32),
      encryptionJwk,
      browserSecretHash: sha256(browserSecret),
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + (this.#options.transactionSeconds ?? 300),
    };
    await this.#options.store.createTransaction(transaction);
    this.#log('wallet login started', { transactionId });
    return {
      status: 303,
      headers: {
        Location: `${this.#options.issuer}/authorize/${transactionId}`,
        'Set-Cookie': `${COOKIE}=${transactionId}.${browserSecret}; Path=${this.#basePath}; HttpOnly; SameSite=Lax; Max-Age=${this.#options.transactionSeconds ?? 300}${this.#options.secureCookies === false ? '' : '; Secure'}`,
        'Cache-Control': 'no-store',
      },
      body: '',
    };
  }

  /** The `openid4vp://` link of a transaction (also what the QR code holds). */
  walletLink(transactionId: string): string {
    return `openid4vp://?${new URLSearchParams({
      client_id: this.#options.verifierClientId,
      request_uri: `${this.#options.issuer}/request/${transactionId}`,
    })}`;
  }

  async #page(request: BridgeRequest, transactionId: string): Promise<BridgeResponse> {
    const transaction = await this.#options.store.getTransaction(transactionId);
    const locale = pickLocale(
      request.query.get('ui_locales') ?? undefined,
      transaction?.request.locale,
      request.headers['accept-language'],
    );
    const cspNonce = randomToken(16);
    if (!transaction || transaction.status === 'completed') {
      return html(404, renderErrorPage(locale, REFUSAL_TEXT.replay[locale], cspNonce), cspNonce);
    }
    if (transaction.status === 'failed') {
      const message = REFUSAL_TEXT[transaction.refusal ?? 'invalid-response'][locale];
      return html(
        200,
        renderRefusalPage({ locale, transactionId, message, basePath: this.#basePath, cspNonce }),
        cspNonce,
      );
    }
    return html(
      200,
      renderAuthorizationPage({
        locale,
        transactionId,
        walletLink: this.walletLink(transactionId),
        basePath: this.#basePath,
        cspNonce,
        ...(this.#options.testWalletUrl ? { testWalletUrl: this.#options.testWalletUrl } : {}),
      }),
      cspNonce,
    );
  }

  async #requestObject(request: BridgeRequest, transactionId: string): Promise<BridgeResponse> {
    const transaction = await this.#options.store.getTransaction(transactionId);
    if (transaction?.status !== 'pending') return json(404, { error: 'invalid_request_uri' });
    const { d: _d, ...publicJwk } = transaction.encryptionJwk;
    // The Digital Credentials API: the browser hands the answer to the page, which posts it here;
    // the browser tells the wallet the page's origin, which must be one the request names.
    const digital = request.query.get('response_mode') === 'dc_api.jwt';
    const jar = await signRequestObject(
      {
        clientId: this.#options.verifierClientId,
        ...(digital
          ? { expectedOrigins: [new URL(this.#options.issuer).origin] }
          : { responseUri: `${this.#options.issuer}/response/${transactionId}`, state: transactionId }),
        nonce: transaction.nonce,
        encryptionJwk: publicJwk,
        clientName: this.#options.verifierName,
        now: this.#now(),
        lifetimeSeconds: 300,
      },
      this.#options.accessCertificate,
    );
    return {
      status: 200,
      headers: { 'Content-Type': 'application/oauth-authz-req+jwt', 'Cache-Control': 'no-store' },
      body: jar,
    };
  }

  async #status(transactionId: string): Promise<BridgeResponse> {
    const transaction = await this.#options.store.getTransaction(transactionId);
    return json(transaction ? 200 : 404, { status: transaction?.status ?? 'unknown' });
  }

  async #complete(request: BridgeRequest): Promise<BridgeResponse> {
    const { store } = this.#options;
    const transactionId = request.query.get('tx') ?? '';
    const transaction = /^[A-Za-z0-9_-]{16,64}$/.test(transactionId)
      ? await store.getTransaction(transactionId)
      : undefined;
    const locale = pickLocale(transaction?.request.locale, request.headers['accept-language']);
    const cspNonce = randomToken(16);
    if (!transaction)
      return html(404, renderErrorPage(locale, REFUSAL_TEXT.replay[locale], cspNonce), cspNonce);
    const { redirectUri, state, clientId, nonce } = transaction.request;
    if (transaction.status === 'pending') {
      return redirect(`${this.#options.issuer}/authorize/${transactionId}`);
    }
    if (transaction.status === 'failed') {
      const reason = transaction.refusal ?? 'invalid-response';
      return redirect(
        withParams(redirectUri, {
          error: 'access_denied',
          error_description: refusalDescription(reason, locale),
          refusal: reason,
          state,
        }),
      );
    }
    // A refusal carries no personal data and goes back to Cognito from any browser (above); tokens
    // only to the browser that proves it is the one that started the login or holds the wallet's
    // response code.
    if (!this.#mayComplete(transaction, request)) {
      return html(403, renderErrorPage(locale, REFUSAL_TEXT['foreign-request'][locale], cspNonce), cspNonce);
    }
    if (
      transaction.status !== 'verified' ||
      !transaction.claims ||
      !(await store.markCompleted(transactionId))
    ) {
      return html(409, renderErrorPage(locale, REFUSAL_TEXT.replay[locale], cspNonce), cspNonce);
    }
    const code = randomToken(32);
    await store.putCode(sha256(code), {
      transactionId,
      clientId,
      redirectUri,
      ...(nonce !== undefined ? { nonce } : {}),
      claims: transaction.claims,
      expiresAt: Math.floor(this.#now().getTime() / 1000) + CODE_SECONDS,
    });
    this.#log('wallet login completed', { transactionId });
    return {
      ...redirect(withParams(redirectUri, { code, state })),
      headers: {
        Location: withParams(redirectUri, { code, state }),
        'Cache-Control': 'no-store',
        'Set-Cookie': `${COOKIE}=; Path=${this.#basePath}; HttpOnly; SameSite=Lax; Max-Age=0${this.#options.secureCookies === false ? '' : '; Secure'}`,
      },
    };
  }

  /**
   * Same device: the wallet's redirect carries the response code, which only the wallet and the
   * bridge know. Cross device: the browser that started the login holds the transaction's cookie.
   */
  #mayComplete(transaction: Transaction, request: BridgeRequest): boolean {
    const responseCode = request.query.get('response_code');
    if (responseCode && transaction.responseCodeHash)
      return safeEqual(sha256(responseCode), transaction.responseCodeHash);
    const cookie = parseCookies(request.headers.cookie)[COOKIE] ?? '';
    const [cookieTx, secret] = cookie.split('.');
    return (
      cookieTx === transaction.transactionId &&
      secret !== undefined &&
      safeEqual(sha256(secret), transaction.browserSecretHash)
    );
  }

  async #token(request: BridgeRequest): Promise<BridgeResponse> {
    const form = new URLSearchParams(request.body);
    const client = this.#authenticateClient(request.headers.authorization, form);
    if (form.get('grant_type') !== 'authorization_code') {
      throw new OAuthError('unsupported_grant_type', 'Only authorization_code.');
    }
    const code = form.get('code');
    if (!code) throw new OAuthError('invalid_request', 'code is required.');
    const grant = await this.#options.store.redeemCode(sha256(code));
    if (!grant || grant.clientId !== client.clientId || grant.redirectUri !== form.get('redirect_uri')) {
      throw new OAuthError('invalid_grant', 'The code is unknown, expired, used or for another client.');
    }
    const now = Math.floor(this.#now().getTime() / 1000);
    const idToken = await new SignJWT({
      ...grant.claims,
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      auth_time: now,
      acr: 'eidas-high',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.#options.idTokenKey.kid })
      .setIssuer(this.#options.issuer)
      .setAudience(client.clientId)
      .setSubject(String(grant.claims.sub))
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_SECONDS)
      .sign(this.#options.idTokenKey.privateKey);
    const accessToken = randomToken(32);
    await this.#options.store.putAccessToken(sha256(accessToken), grant.claims, now + TOKEN_SECONDS);
    this.#log('wallet tokens issued', { transactionId: grant.transactionId });
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: JSON.stringify({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: TOKEN_SECONDS,
        id_token: idToken,
      }),
    };
  }

  #authenticateClient(authorization: string | undefined, form: URLSearchParams): BridgeClient {
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, separator));
      secret = decodeURIComponent(decoded.slice(separator + 1));
    }
    const client = this.#options.clients.find((candidate) => candidate.clientId === clientId);
    if (!client || secret === null || !safeEqual(sha256(secret), sha256(client.clientSecret))) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    return client;
  }

  async #userinfo(request: BridgeRequest): Promise<BridgeResponse> {
    const authorization = request.headers.authorization ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
    const claims = token ? await this.#options.store.getAccessToken(sha256(token)) : undefined;
    if (!claims) {
      return {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: 'invalid_token' }),
      };
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify(claims),
    };
  }

  #log(message: string, attributes: Record<string, unknown>): void {
    this.#options.log?.(message, attributes);
  }
}

/** Translates a refusal reason for the hosted login (used by the sandbox and tests). */
export function refusalMessage(reason: PresentationRefusedError['reason'], locale: Locale = 'en'): string {
  return REFUSAL_TEXT[reason][locale];
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) cookies[part.slice(0, separator).trim()] = part.slice(separator + 1).trim();
  }
  return cookies;
}

function html(status: number, body: string, cspNonce: string): BridgeResponse {
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': contentSecurityPolicy(cspNonce),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
    body,
  };
}

function redirect(location: string): BridgeResponse {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}
