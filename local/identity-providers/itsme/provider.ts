/**
 * The sandbox's itsme: a real OpenID Connect provider (oidc-provider) configured like an itsme
 * client-secret tenant, so that the local Cognito federates with it the way Cognito's OIDC identity
 * provider federates with itsme: one static confidential client authenticating with
 * `client_secret_post`, authorization code flow without PKCE, RS256-signed ID tokens, JSON userinfo,
 * the itsme scopes (`service:<code>`, `eid`...) and claim names.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { type ItsmeAccount, ItsmeAccounts } from './accounts.ts';
import { BE_NATIONAL_NUMBER_CLAIM, ITSME_ACR, ITSME_SCOPE_CLAIMS, serviceScope } from './claims.ts';
import { renderInteractionPage, renderProblemPage, type SeededPerson } from './interaction-page.ts';
import { memoryAdapter } from './memory-adapter.ts';
import { type ItsmeFederatedLogin, LocalItsmeClient, type ProviderFetch } from './relying-party.ts';
import { followToRedirectUri } from './user-agent.ts';

/** Options of {@link LocalItsme.create}. */
export interface LocalItsmeOptions {
  /**
   * The issuer, e.g. `http://127.0.0.1:3000/local/itsme`. Its path is the prefix the
   * {@link LocalItsme.handler} serves; discovery is at `<issuer>/.well-known/openid-configuration`.
   */
  issuer: string;
  /** The static client: Cognito's itsme identity provider. */
  clientId: string;
  clientSecret: string;
  /** Cognito's `/oauth2/idpresponse` (or the sandbox's); the first one is used by {@link LocalItsme.federate}. */
  redirectUris: string[];
  /** The itsme service code; requests must carry the `service:<code>` scope. */
  serviceCode: string;
}

/** A node:http request handler; resolves `false` when the request is not the provider's. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Koa's `callback()` returns the request promise, which its typings hide. */
type KoaCallback = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const BODY_LIMIT_BYTES = 64 * 1024;
const TTL_SECONDS = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  Interaction: 600,
  Session: 600,
  Grant: 600,
} as const;

/** The local itsme provider with its test accounts. Create with {@link LocalItsme.create}. */
export class LocalItsme {
  /** The issuer without a trailing slash. */
  readonly issuer: string;
  /** The test accounts (`findAccount` reads them). */
  readonly accounts = new ItsmeAccounts();
  /**
   * Serves the provider under the issuer's path (discovery, `/auth`, `/token`, `/me`, `/jwks`, the
   * interaction page); resolves `false`, untouched, for any other path. Pass the request with its body
   * unread: the token endpoint parses it.
   */
  readonly handler: NodeHandler;

  readonly #options: LocalItsmeOptions;
  readonly #prefix: string;
  readonly #provider: Provider;
  readonly #callback: KoaCallback;
  readonly #publicJwk: JWK;

  private constructor(options: LocalItsmeOptions, signingKey: JWK, publicJwk: JWK) {
    this.#options = options;
    this.issuer = options.issuer.replace(/\/+$/, '');
    this.#prefix = new URL(this.issuer).pathname.replace(/\/+$/, '');
    this.#publicJwk = publicJwk;
    this.#provider = new Provider(this.issuer, this.#configuration(signingKey));
    // oidc-provider answers errors itself; Koa's default would also print each one.
    this.#provider.silent = true;
    this.#callback = this.#provider.callback() as unknown as KoaCallback;
    this.handler = (req, res) => this.#handle(req, res);
  }

  /** Generates the RS256 signing key and builds the provider. */
  static async create(options: LocalItsmeOptions): Promise<LocalItsme> {
    if (options.redirectUris.length === 0) throw new Error('LocalItsme needs at least one redirect URI');
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const signingKey = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new LocalItsme(options, signingKey, publicJwk);
  }

  /** The public signing key, as published at the JWKS endpoint. */
  get publicJwk(): JWK {
    return { ...this.#publicJwk };
  }

  /**
   * Registers a test identity (itsme claim names) or updates the account that person already has
   * (same national number, or same names and birth date without one). Pass `sub` to pin the
   * subject, e.g. to simulate a re-created itsme account.
   *
   * @throws ValidationError when the claims are not itsme-shaped.
   */
  registerAccount(claims: unknown): { sub: string } {
    const { sub } = this.accounts.register(claims);
    return { sub };
  }

  /**
   * A relying party configured like Cognito's itsme identity provider for this provider's client.
   *
   * @param options.redirectUri @default the first registered redirect URI
   * @param options.fetch @default globalThis.fetch
   */
  client(options: { redirectUri?: string; fetch?: ProviderFetch } = {}): LocalItsmeClient {
    const { clientId, clientSecret, serviceCode, redirectUris } = this.#options;
    return new LocalItsmeClient({
      issuer: this.issuer,
      clientId,
      clientSecret,
      serviceCode,
      redirectUri: options.redirectUri ?? (redirectUris[0] as string),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /**
   * A whole itsme login done programmatically over HTTP against this provider, which must be served
   * (its {@link handler} mounted on a listening server at the issuer's origin): registers or reuses
   * the account, sends the authorization request with `login_hint`, follows the redirects, exchanges
   * the code and checks and maps the tokens like Cognito.
   *
   * @param claims itsme claim names, optionally `sub` (see {@link registerAccount}).
   * @throws ValidationError for claims that are not itsme-shaped; ItsmeLoginError when Cognito's side
   *   refuses the login (see {@link LocalItsmeClient.completeLogin}); Error when the provider stops
   *   at a page instead of redirecting.
   */
  async federate(
    claims: unknown,
    options: { acr?: keyof typeof ITSME_ACR; client?: LocalItsmeClient } = {},
  ): Promise<ItsmeFederatedLogin> {
    const { sub } = this.registerAccount(claims);
    const client = options.client ?? this.client();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const start = await client.authorizationUrl({
      state,
      nonce,
      loginHint: sub,
      ...(options.acr ? { acr: options.acr } : {}),
    });
    const callback = await followToRedirectUri(start, this.#options.redirectUris[0] as string);
    return client.completeLogin(callback, { state, nonce });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://local');
    const { pathname } = url;
    if (pathname !== this.#prefix && !pathname.startsWith(`${this.#prefix}/`)) return false;
    const path = pathname.slice(this.#prefix.length) || '/';

    const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(path);
    if (interaction) {
      await this.#interaction(req, res, interaction[1] as string, interaction[2]);
      return true;
    }

    // oidc-provider routes relative to its mount path and builds its URLs from `req.baseUrl`.
    Object.assign(req, { baseUrl: this.#prefix });
    req.url = `${path}${url.search}`;
    await this.#callback(req, res);
    return true;
  }

  async #interaction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: string | undefined,
  ): Promise<void> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await this.#provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, renderProblemPage('This login has expired. Start again from the application.'));
    }
    if (details.uid !== uid) {
      return send(res, 400, renderProblemPage('This login belongs to another window. Start again.'));
    }
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    if (!scopes.includes(serviceScope(this.#options.serviceCode))) {
      return this.#provider.interactionFinished(
        req,
        res,
        {
          error: 'invalid_scope',
          error_description: `the scope ${serviceScope(this.#options.serviceCode)} is required`,
        },
        { mergeWithLastSubmission: false },
      );
    }
    const requestedAcr = String(details.params.acr_values ?? '').includes(ITSME_ACR.advanced)
      ? ITSME_ACR.advanced
      : ITSME_ACR.basic;

    if (req.method === 'GET' && action === undefined) {
      const hint = details.params.login_hint;
      if (typeof hint === 'string' && hint !== '') {
        const account = this.accounts.get(hint);
        if (!account) {
          return this.#finishWithError(req, res, 'login_required', 'no local itsme account for login_hint');
        }
        return this.#approve(req, res, details, account, requestedAcr);
      }
      return this.#renderPage(res, details, scopes);
    }
    if (req.method !== 'POST' || action === undefined) {
      return send(res, 405, renderProblemPage('Use the buttons of the login page.'), { allow: 'GET' });
    }
    if (action === 'abort') {
      return this.#finishWithError(req, res, 'access_denied', 'the person cancelled the itsme login');
    }

    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch {
      return send(res, 413, renderProblemPage('The form was too large.'));
    }
    const acr = form.get('acr') === 'advanced' ? ITSME_ACR.advanced : requestedAcr;
    const chosen = form.get('account');
    if (chosen) {
      const account = this.accounts.get(chosen);
      if (!account) return this.#renderPage(res, details, scopes, 'That test account does not exist.');
      return this.#approve(req, res, details, account, acr);
    }
    let sub: string;
    try {
      ({ sub } = this.accounts.register(claimsFromForm(form)));
    } catch {
      return this.#renderPage(res, details, scopes, 'Some claims are not valid. Check the fields.');
    }
    return this.#approve(req, res, details, this.accounts.get(sub) as ItsmeAccount, acr);
  }

  async #approve(
    req: IncomingMessage,
    res: ServerResponse,
    details: Awaited<ReturnType<Provider['interactionDetails']>>,
    account: ItsmeAccount,
    acr: string,
  ): Promise<void> {
    // itsme asks the person to confirm the shared data in the app; approving here is that consent.
    const grant = new this.#provider.Grant({
      accountId: account.sub,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await this.#provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub, acr }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  #finishWithError(req: IncomingMessage, res: ServerResponse, error: string, description: string) {
    return this.#provider.interactionFinished(
      req,
      res,
      { error, error_description: description },
      { mergeWithLastSubmission: false },
    );
  }

  #renderPage(
    res: ServerResponse,
    details: Awaited<ReturnType<Provider['interactionDetails']>>,
    scopes: string[],
    error?: string,
  ): void {
    send(
      res,
      error ? 400 : 200,
      renderInteractionPage({
        action: `${this.#prefix}/interaction/${details.uid}`,
        clientId: String(details.params.client_id),
        scopes,
        accounts: this.accounts.list(),
        seededPeople: seededPeople(),
        ...(error ? { error } : {}),
      }),
    );
  }

  #configuration(signingKey: JWK): Configuration {
    const { clientId, clientSecret, redirectUris, serviceCode } = this.#options;
    const accounts = this.accounts;
    const policy = interactionPolicy.base();
    // itsme confirms every login in the app: no silent single sign-on from an earlier session.
    policy
      .get('login')
      ?.checks.add(
        new interactionPolicy.Check('itsme_confirmation', 'itsme confirms every login', (ctx) =>
          ctx.oidc.result?.login
            ? interactionPolicy.Check.NO_NEED_TO_PROMPT
            : interactionPolicy.Check.REQUEST_PROMPT,
        ),
      );
    return {
      adapter: memoryAdapter(),
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: redirectUris,
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_post',
          id_token_signed_response_alg: 'RS256',
        },
      ],
      clientAuthMethods: ['client_secret_post'],
      responseTypes: ['code'],
      // PKCE stays optional for confidential clients (oidc-provider's default): Cognito sends none.
      scopes: ['openid', serviceScope(serviceCode), 'profile', 'email', 'phone', 'address', 'eid'],
      claims: {
        ...Object.fromEntries(
          Object.entries(ITSME_SCOPE_CLAIMS).map(([scope, names]) => [scope, [...names]]),
        ),
        // itsme always states the level: `acr` rides with `openid` instead of only when requested.
        openid: ['sub', 'acr'],
        auth_time: null,
        sid: null,
      },
      // Claims of the granted scopes go into the ID token as well as userinfo: Cognito reads both.
      conformIdTokenClaims: false,
      acrValues: [ITSME_ACR.basic, ITSME_ACR.advanced],
      jwks: { keys: [signingKey] },
      enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
        const account = accounts.get(sub);
        if (!account) return undefined;
        return { accountId: sub, claims: () => ({ sub, ...account.claims }) };
      },
      interactions: {
        policy,
        url: (_ctx: KoaContextWithOIDC, interaction) => `${this.#prefix}/interaction/${interaction.uid}`,
      },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: true },
      },
      clientBasedCORS: () => false,
      renderError: (ctx, out) => {
        ctx.type = 'html';
        ctx.body = renderProblemPage(
          `${String(out.error)}: ${String(out.error_description ?? 'the request was refused')}`,
        );
      },
      ttl: { ...TTL_SECONDS },
    };
  }
}

/** The new-identity form → itsme claims (empty fields left out, address nested). */
function claimsFromForm(form: URLSearchParams): Record<string, unknown> {
  const field = (name: string): string | undefined => {
    const value = form.get(name)?.trim();
    return value ? value : undefined;
  };
  const address = Object.fromEntries(
    ['street_address', 'postal_code', 'locality', 'country']
      .map((name) => [name, field(name)] as const)
      .filter(([, value]) => value !== undefined),
  );
  const claims: Record<string, unknown> = {
    sub: field('sub'),
    given_name: field('given_name'),
    family_name: field('family_name'),
    birthdate: field('birthdate'),
    gender: field('gender'),
    locale: field('locale'),
    email: field('email'),
    phone_number: field('phone_number'),
    address: Object.keys(address).length > 0 ? address : undefined,
    [BE_NATIONAL_NUMBER_CLAIM]: field('national_number'),
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) throw new Error('form too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    ...headers,
  });
  res.end(html);
}

let seeded: SeededPerson[] | undefined;

/**
 * The seeded person register (local/seed), each with the seeded companies they represent: read once,
 * and an empty list when the seed files are absent (the provider also runs in tests without them).
 */
function seededPeople(): SeededPerson[] {
  if (seeded) return seeded;
  try {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'seed');
    const persons = JSON.parse(readFileSync(join(dir, 'persons.json'), 'utf8')) as {
      insz: string;
      givenNames: string;
      familyName: string;
      birthDate: string;
    }[];
    const companies = JSON.parse(readFileSync(join(dir, 'companies.json'), 'utf8')) as {
      name: string;
      legalRepresentatives: string[];
    }[];
    seeded = persons.map((person) => ({
      nationalNumber: person.insz,
      givenNames: person.givenNames,
      familyName: person.familyName,
      birthDate: person.birthDate,
      companies: companies.filter((c) => c.legalRepresentatives.includes(person.insz)).map((c) => c.name),
    }));
  } catch {
    seeded = [];
  }
  return seeded;
}
