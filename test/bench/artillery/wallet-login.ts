/**
 * The federated login of deployed-stage.yml: a synthetic person logs in with the EU Digital Identity
 * Wallet through the user pool's managed login, as a phone's wallet does on the same device — the
 * whole federation Cognito runs for every itsme, eIDAS or wallet login:
 * 1. `GET <managed login>/oauth2/authorize?identity_provider=EUDIWallet` (PKCE), following redirects
 *    to the wallet bridge's page and taking its same-device `openid4vp://` link;
 * 2. the test wallet (#local/eudi/test-wallet: fetches and checks the signed request object, presents
 *    a PID with key binding, encrypts, posts `direct_post.jwt`) answers with a PID of the load test's
 *    PID provider (pid-provider-file.ts; the stage trusts its root) or of the sandbox's;
 * 3. following the bridge's `redirect_uri` to Cognito's `/oauth2/idpresponse` (code exchange with the
 *    bridge, ID token checks, the triggers) and on to the application's callback, whose code
 *    `/oauth2/token` redeems.
 * Cookies are kept per origin as a browser would. No itsme, eIDAS node or citizen's wallet is driven:
 * the PIDs are a test provider's, of synthetic people ({@link walletPerson}).
 *
 * Artillery runs it bundled (`npm run load:bundle` → `artillery/dist/wallet-login.cjs`, one file
 * without dependencies); processor.cjs's `walletLogIn` calls {@link walletLoginFromEnvironment}.
 * Tested against the sandbox in test/e2e/sandbox-wallet-load.test.ts.
 */
import { createHash, type JsonWebKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { newHolderKey, TestWallet } from '#local/eudi/test-wallet';
import { isValidInsz } from '#shared/belgian-ids';
import { API_SCOPE } from '#shared/http/api-scope';
import { loadPidProviderOf } from './pid-provider-file.ts';

/** A synthetic person the wallet holds a PID of. */
export interface WalletPerson {
  insz: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}

/** Issues an SD-JWT VC PID with `claims` bound to `holderPublicJwk`. */
export type PidIssuer = (claims: Record<string, unknown>, holderPublicJwk: JsonWebKey) => Promise<string>;

/** What {@link walletLogin} needs. */
export interface WalletLoginOptions {
  /** The user pool's managed login: `https://<prefix>.auth.<region>.amazoncognito.com`, or the sandbox. */
  hostedLoginUrl: string;
  /** A relying application's client id (a public client with the `EUDIWallet` provider). */
  clientId: string;
  /** One of that client's callback URLs (never fetched: the code is read from the redirect). */
  redirectUri: string;
  person: WalletPerson;
  issue: PidIssuer;
  /** The scopes asked for at the authorize endpoint. @default `openid eid-access/api` */
  scope?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Told when the wallet posts its response (`posting`), when the bridge answered (`posted`), when
   * the redirects reached the callback (`called-back`) and when the tokens are in (`tokens`): the
   * bench times the legs from these (test/bench/wallet-login.ts).
   */
  observe?: (moment: 'posting' | 'posted' | 'called-back' | 'tokens') => void;
}

/** Cognito's tokens of a wallet login. */
export interface WalletTokens {
  accessToken: string;
  idToken: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/** A step of the login that did not answer as a browser expects; its message names the step. */
export class WalletLoginError extends Error {
  override readonly name = 'WalletLoginError';
}

/** Redirects followed per leg at most (Cognito, the bridge: two or three each). */
const MAX_REDIRECTS = 8;

/**
 * Synthetic person `index` (0 … 3,638,049): born from 1930 on, a valid national number, named
 * `Wallet Load <index>` — apart from the sandbox's load people (born from 1950) and real ones.
 */
export function walletPerson(index: number): WalletPerson {
  if (!Number.isInteger(index) || index < 0 || index >= 997 * 3650)
    throw new RangeError('wallet person index out of range');
  const birth = new Date(Date.UTC(1930, 0, 1) + Math.floor(index / 997) * 86_400_000);
  const yymmdd = birth.toISOString().slice(2, 10).replaceAll('-', '');
  const base = `${yymmdd}${String((index % 997) + 1).padStart(3, '0')}`;
  const insz = `${base}${String(97 - (Number(base) % 97)).padStart(2, '0')}`;
  if (!isValidInsz(insz)) throw new Error(`Generated an invalid national number for person ${index}`);
  return {
    insz,
    givenName: 'Wallet',
    familyName: `Load ${index}`,
    birthDate: birth.toISOString().slice(0, 10),
  };
}

/** The PID claims of `person` (SD-JWT VC names), a Belgian PID. */
export function pidClaimsOf(person: WalletPerson): Record<string, unknown> {
  return {
    given_name: person.givenName,
    family_name: person.familyName,
    birthdate: person.birthDate,
    issuing_country: 'BE',
    nationalities: ['BE'],
    personal_administrative_number: person.insz,
  };
}

/** PIDs of a load test's provider file (load-pid-provider.ts), read once. */
export function filePidIssuer(path: string): PidIssuer {
  const provider = loadPidProviderOf(readFileSync(path, 'utf8'));
  return async (claims, holderPublicJwk) => (await provider.issue({ claims, holderPublicJwk })).credential;
}

/** PIDs of the sandbox's own provider (`POST /local/eudi/credentials`). */
export function sandboxPidIssuer(sandboxUrl: string, call: typeof fetch = fetch): PidIssuer {
  return async (claims, holderPublicJwk) => {
    const answer = await call(`${sandboxUrl.replace(/\/$/, '')}/local/eudi/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'dc+sd-jwt', claims, holderPublicJwk }),
    });
    if (answer.status !== 200 && answer.status !== 201)
      throw new WalletLoginError(`the sandbox's PID provider answered ${answer.status}`);
    return ((await answer.json()) as { credential: string }).credential;
  };
}

/** Cookies per origin, as a browser keeps them for this login (no paths, no expiry but deletion). */
class CookieJar {
  readonly #cookies = new Map<string, Map<string, string>>();

  header(url: URL): Record<string, string> {
    const cookies = this.#cookies.get(url.origin);
    if (!cookies || cookies.size === 0) return {};
    return { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  keep(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const cookies = this.#cookies.get(url.origin) ?? new Map<string, string>();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(separator + 1).trim());
      this.#cookies.set(url.origin, cookies);
    }
  }
}

/**
 * Follows redirects from `start` (GET, cookies kept) until `done` says a location is the leg's end,
 * or a page answers: `{ location }` or `{ page }`.
 */
async function follow(
  call: typeof fetch,
  jar: CookieJar,
  start: URL,
  step: string,
  done: (location: URL) => boolean,
): Promise<{ location: URL } | { page: string; url: URL }> {
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const answer = await call(url, { redirect: 'manual', headers: jar.header(url) });
    jar.keep(url, answer);
    const location = answer.headers.get('location');
    if (answer.status >= 300 && answer.status < 400 && location) {
      await answer.body?.cancel();
      const next = new URL(location, url);
      if (done(next)) return { location: next };
      url = next;
      continue;
    }
    if (answer.status !== 200) {
      await answer.body?.cancel();
      throw new WalletLoginError(`${step}: ${url.origin}${url.pathname} answered ${answer.status}`);
    }
    return { page: await answer.text(), url };
  }
  throw new WalletLoginError(`${step}: more than ${MAX_REDIRECTS} redirects`);
}

/** One wallet login; see the module comment. @throws WalletLoginError naming the step that failed. */
export async function walletLogin(options: WalletLoginOptions): Promise<WalletTokens> {
  const call = options.fetch ?? globalThis.fetch;
  const jar = new CookieJar();
  const hosted = options.hostedLoginUrl.replace(/\/$/, '');
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(`${hosted}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    // The API takes access tokens with its scope only (`eid-access/api`, #shared/http/api-scope).
    scope: options.scope ?? `openid ${API_SCOPE}`,
    identity_provider: 'EUDIWallet',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const isCallback = (location: URL) => location.href.startsWith(options.redirectUri);

  // 1. To the bridge's page and its same-device link.
  const toPage = await follow(call, jar, authorize, 'managed login → wallet bridge', isCallback);
  if (!('page' in toPage)) {
    const error =
      toPage.location.searchParams.get('error_description') ?? toPage.location.searchParams.get('error');
    throw new WalletLoginError(`managed login → wallet bridge: back at the callback (${error ?? 'no page'})`);
  }
  const link = /id="same-device" href="([^"]+)"/.exec(toPage.page)?.[1]?.replace(/&amp;/g, '&');
  if (!link) throw new WalletLoginError('wallet bridge page: no same-device link');

  // 2. The wallet answers with a fresh PID of the person.
  const wallet = new TestWallet({ fetch: call });
  const holder = newHolderKey();
  const credential = await options.issue(pidClaimsOf(options.person), holder.publicJwk);
  const request = await wallet.open(link);
  const queryId = request.dcqlQuery.credentials.find((query) => query.format === 'dc+sd-jwt')?.id ?? 'pid';
  const response = await wallet.encrypt(request, {
    vp_token: { [queryId]: [await wallet.present(request, { credential, holderKey: holder.privateKey })] },
    state: request.state,
  });
  options.observe?.('posting');
  const answer = await wallet.post(request, response);
  options.observe?.('posted');
  const redirect = (answer.body as { redirect_uri?: unknown } | undefined)?.redirect_uri;
  if (answer.status !== 200 || typeof redirect !== 'string')
    throw new WalletLoginError(`wallet response: the bridge answered ${answer.status}`);

  // 3. The bridge's completion → Cognito → the application's callback, then the code.
  const back = await follow(
    call,
    jar,
    new URL(redirect),
    'wallet bridge → managed login → callback',
    isCallback,
  );
  if (!('location' in back))
    throw new WalletLoginError(
      `wallet bridge → managed login: a page at ${back.url.pathname} instead of the callback`,
    );
  options.observe?.('called-back');
  const code = back.location.searchParams.get('code');
  if (!code || back.location.searchParams.get('state') !== state) {
    const error =
      back.location.searchParams.get('error_description') ?? back.location.searchParams.get('error');
    throw new WalletLoginError(`callback: no code for this login (${error ?? 'state differs'})`);
  }
  const tokens = await call(`${hosted}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: options.clientId,
      code,
      redirect_uri: options.redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await tokens.json().catch(() => ({}))) as {
    access_token?: string;
    id_token?: string;
    expires_in?: number;
  };
  if (tokens.status !== 200 || !body.access_token || !body.id_token)
    throw new WalletLoginError(`/oauth2/token answered ${tokens.status}`);
  options.observe?.('tokens');
  if (decodeJwt(body.id_token).idp !== 'eudi')
    throw new WalletLoginError('the ID token is not of a wallet login');
  return {
    accessToken: body.access_token,
    idToken: body.id_token,
    expiresAt: Date.now() + (body.expires_in ?? 900) * 1000,
  };
}

/** Settings of the load test's wallet logins (load.env). */
export interface WalletLoginEnvironment {
  HOSTED_LOGIN_URL?: string | undefined;
  WALLET_CLIENT_ID?: string | undefined;
  WALLET_REDIRECT_URI?: string | undefined;
  /** The file of `npm run load:pid-provider`; absent on the sandbox, whose own provider issues then. */
  PID_PROVIDER_FILE?: string | undefined;
  /** Synthetic people the logins pick from. @default 10000 */
  WALLET_PEOPLE?: string | undefined;
}

let issuerOfFile: { path: string; issue: PidIssuer } | undefined;

/**
 * A wallet login of a random one of `WALLET_PEOPLE` synthetic people (a first login creates the
 * person, later ones come back), configured by `environment`.
 * @throws Error naming a missing setting
 */
export async function walletLoginFromEnvironment(
  environment: WalletLoginEnvironment,
  random: () => number = Math.random,
): Promise<WalletTokens> {
  const { HOSTED_LOGIN_URL, WALLET_CLIENT_ID, WALLET_REDIRECT_URI, PID_PROVIDER_FILE } = environment;
  if (!HOSTED_LOGIN_URL || !WALLET_CLIENT_ID || !WALLET_REDIRECT_URI)
    throw new Error(
      'wallet logins need HOSTED_LOGIN_URL, WALLET_CLIENT_ID and WALLET_REDIRECT_URI (load.env)',
    );
  const people = Number(environment.WALLET_PEOPLE ?? 10_000);
  if (!Number.isInteger(people) || people < 1) throw new Error('WALLET_PEOPLE must be a positive integer');
  let issue: PidIssuer;
  if (PID_PROVIDER_FILE) {
    if (issuerOfFile?.path !== PID_PROVIDER_FILE)
      issuerOfFile = { path: PID_PROVIDER_FILE, issue: filePidIssuer(PID_PROVIDER_FILE) };
    issue = issuerOfFile.issue;
  } else {
    issue = sandboxPidIssuer(HOSTED_LOGIN_URL);
  }
  return walletLogin({
    hostedLoginUrl: HOSTED_LOGIN_URL,
    clientId: WALLET_CLIENT_ID,
    redirectUri: WALLET_REDIRECT_URI,
    person: walletPerson(Math.floor(random() * people)),
    issue,
  });
}
