/**
 * The sandbox's EU Digital Identity Wallet world (ARCHITECTURE.md sections 2a and 6):
 * - the wallet bridge itself (the same `WalletBridge` the Lambda runs, on the sandbox table) under
 *   `<base>/local/eudi/bridge`, with a sandbox access certificate (`x509_hash:` client id: the
 *   sandbox listens on 127.0.0.1, which no DNS SAN can name);
 * - the local PID provider: `GET /local/eudi/trust-anchors`, `POST /local/eudi/credentials`,
 *   `GET /local/eudi/status-lists/1`;
 * - Cognito's side of the `EUDIWallet` federation ({@link LocalEudiClient}: openid-client against
 *   the bridge's discovery, code flow with client secret, ID token checks, userinfo, attribute
 *   mapping);
 * - {@link LocalEudi.federate}: the whole login with the local test wallet, for `POST /local/login`;
 * - the test wallet's page, `GET|POST /local/eudi/wallet?request=<openid4vp link>`: what a phone's
 *   wallet app is in the browser (the bridge's page links to it in the sandbox, next to the
 *   same-device link it cannot open without a wallet app).
 */
import { generateKeyPairSync, randomBytes, type X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as oidc from 'openid-client';
import { z } from 'zod';
import {
  type CustomAttributeName,
  cognitoAttribute,
  customAttributes,
  eudiAttributeMapping,
  PROVIDER_NAMES,
} from '#identity/attribute-mapping';
import { DomainError, UnauthorizedError, ValidationError } from '#shared/errors';
import { type BridgeRequest, WalletBridge } from '../../lambdas/wallet-bridge/bridge.ts';
import type { PresentationRefusalReason } from '../../lambdas/wallet-bridge/errors.ts';
import { DynamoBridgeStore } from '../../lambdas/wallet-bridge/store.ts';
import { WalletResponseVerifier } from '../../lambdas/wallet-bridge/verifier.ts';
import { x509Hash } from '../../lambdas/wallet-bridge/x509-chain.ts';
import { issueCertificate } from './certificates.ts';
import { LocalPidProvider } from './pid-provider.ts';
import {
  type HeldCredential,
  newHolderKey,
  type OpenedRequest,
  type PresentOptions,
  TestWallet,
} from './test-wallet.ts';
import { renderWalletPage, WALLET_PID_FIELDS } from './wallet-page.ts';

/** The PID formats of the local provider and the test wallet. */
export type PidFormat = 'dc+sd-jwt' | 'mso_mdoc';

/** Path prefix of everything here. */
export const EUDI_PREFIX = '/local/eudi';

/** The test wallet's page. */
export const WALLET_PAGE_PATH = `${EUDI_PREFIX}/wallet`;

/** `POST /local/eudi/credentials`. */
export const credentialsBody = z.strictObject({
  format: z.enum(['dc+sd-jwt', 'mso_mdoc']),
  claims: z.record(z.string(), z.unknown()),
  holderPublicJwk: z.looseObject({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string(),
    y: z.string(),
  }),
  /** Seconds since the epoch. */
  expiresAt: z.number().int().positive().optional(),
});

/** A wallet answer Cognito's side cannot accept (protocol failure): 401 like other IdPs' bad answers. */
export class EudiLoginError extends UnauthorizedError {}

/**
 * The bridge refused the presentation: Cognito passes the bridge's `error_description` on to the
 * application; `/local/login` answers 403 `login-refused:wallet-<reason>` with that message.
 */
export class WalletLoginRefusedError extends DomainError {
  readonly status = 403;
  readonly title = 'Login refused';

  constructor(
    readonly refusal: PresentationRefusalReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Options of {@link LocalEudi.create}. */
export interface LocalEudiOptions {
  /** The sandbox's base URL. */
  baseUrl: string;
  /** Cognito's `/oauth2/idpresponse`. */
  redirectUri: string;
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  /** PID providers trusted besides the local one (a stage's trust anchors secret lists several). */
  extraTrustAnchors?: readonly X509Certificate[];
}

/** The wallet world of the sandbox; see the module comment. */
export class LocalEudi {
  readonly provider: LocalPidProvider;
  readonly bridge: WalletBridge;
  readonly issuer: string;
  readonly clientId = 'eid-access-cognito';
  readonly #clientSecret = randomBytes(24).toString('base64url');
  readonly #redirectUri: string;
  readonly wallet = new TestWallet();
  #client: LocalEudiClient | undefined;

  constructor(options: LocalEudiOptions) {
    const base = options.baseUrl.replace(/\/$/, '');
    this.issuer = `${base}${EUDI_PREFIX}/bridge`;
    this.#redirectUri = options.redirectUri;
    this.provider = new LocalPidProvider({ baseUrl: `${base}${EUDI_PREFIX}` });
    const relyingPartyRoot = issueCertificate({ commonName: 'eid-access sandbox access CA', ca: true });
    const accessCertificate = issueCertificate({
      commonName: 'eid-access sandbox relying party',
      organisation: 'eid-access sandbox',
      country: 'BE',
      issuer: relyingPartyRoot,
      dnsNames: ['localhost'],
    });
    const { privateKey: idTokenKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const verifierClientId = `x509_hash:${x509Hash(accessCertificate.certificate.raw)}`;
    const store = new DynamoBridgeStore(options.documentClient, options.tableName);
    // In AWS the verifier is a function of its own behind its own route; here one process serves both.
    const walletResponses = new WalletResponseVerifier({
      issuer: this.issuer,
      verifierClientId,
      trustAnchors: [this.provider.root.certificate, ...(options.extraTrustAnchors ?? [])],
      store,
      fetchStatusList: async (uri) => {
        if (uri !== this.provider.statusListUri) throw new Error('unknown status list');
        return this.provider.statusListToken();
      },
    });
    this.bridge = new WalletBridge({
      issuer: this.issuer,
      clients: [
        { clientId: this.clientId, clientSecret: this.#clientSecret, redirectUris: [options.redirectUri] },
      ],
      verifierClientId,
      verifierName: 'eid-access (sandbox)',
      accessCertificate: {
        privateKey: accessCertificate.privateKey,
        chain: [accessCertificate.base64, relyingPartyRoot.base64],
      },
      idTokenKey: { privateKey: idTokenKey, kid: 'sandbox-1' },
      store,
      walletResponses,
      secureCookies: false,
      testWalletUrl: WALLET_PAGE_PATH,
    });
  }

  /** A fresh PID of the local provider in the test wallet, in either format. */
  async #hold(
    claims: Record<string, unknown>,
    holder: ReturnType<typeof newHolderKey>,
    format: PidFormat,
  ): Promise<HeldCredential> {
    const issue = { claims, holderPublicJwk: holder.publicJwk };
    const { credential } =
      format === 'mso_mdoc' ? await this.provider.issueMdoc(issue) : await this.provider.issue(issue);
    return { credential, holderKey: holder.privateKey, format };
  }

  /** Cognito's relying party towards the bridge (the user pool's `EUDIWallet` provider). */
  client(): LocalEudiClient {
    this.#client ??= new LocalEudiClient({
      issuer: this.issuer,
      clientId: this.clientId,
      clientSecret: this.#clientSecret,
      redirectUri: this.#redirectUri,
    });
    return this.#client;
  }

  /** The node:http handler of `/local/eudi/*`; resolves `false` for other paths. */
  async handler(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (!path.startsWith(`${EUDI_PREFIX}/`)) return false;
    if (path.startsWith(`${EUDI_PREFIX}/bridge/`)) {
      const body = req.method === 'POST' ? await readText(req) : '';
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : value,
        ]),
      );
      const answer = await this.bridge.handle({
        method: req.method ?? 'GET',
        path: path.slice(`${EUDI_PREFIX}/bridge`.length),
        query: url.searchParams,
        headers,
        body,
      } satisfies BridgeRequest);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return true;
    }
    if (path === WALLET_PAGE_PATH && (req.method === 'GET' || req.method === 'POST')) {
      const page = req.method === 'GET' ? await this.#walletPage(url) : await this.#walletAnswer(req);
      res.writeHead(page.status, {
        ...(page.location ? { Location: page.location } : { 'Content-Type': 'text/html; charset=utf-8' }),
        'Cache-Control': 'no-store',
      });
      res.end(page.body ?? '');
      return true;
    }
    if (req.method === 'GET' && path === `${EUDI_PREFIX}/trust-anchors`) {
      res.writeHead(200, { 'Content-Type': 'application/x-pem-file' });
      res.end(this.provider.trustAnchorPem);
      return true;
    }
    if (req.method === 'GET' && path === `${EUDI_PREFIX}/status-lists/1`) {
      res.writeHead(200, { 'Content-Type': 'application/statuslist+jwt', 'Cache-Control': 'max-age=60' });
      res.end(this.provider.statusListToken());
      return true;
    }
    return false;
  }

  /** `GET /local/eudi/wallet?request=…`: the wallet opens the request and shows who asks for what. */
  async #walletPage(url: URL): Promise<{ status: number; body: string; location?: string }> {
    const link = url.searchParams.get('request') ?? '';
    try {
      const request = await this.wallet.open(link);
      return { status: 200, body: renderWalletPage({ ...walletPageRequest(request), request: link }) };
    } catch (error) {
      return {
        status: 400,
        body: renderWalletPage({
          action: WALLET_PAGE_PATH,
          request: link,
          error: `The wallet cannot open this request: ${error instanceof Error ? error.message : 'unknown'}.`,
        }),
      };
    }
  }

  /**
   * `POST /local/eudi/wallet`: a PID for the described person from the local provider, bound to a
   * fresh holder key, presented (or declined) to the bridge; then, as a same-device wallet does, the
   * browser goes on to the bridge's `redirect_uri`.
   */
  async #walletAnswer(req: IncomingMessage): Promise<{ status: number; body?: string; location?: string }> {
    const form = new URLSearchParams(await readText(req));
    const link = form.get('request') ?? '';
    let request: OpenedRequest;
    try {
      request = await this.wallet.open(link);
    } catch (error) {
      return {
        status: 400,
        body: renderWalletPage({
          action: WALLET_PAGE_PATH,
          request: link,
          error: `The wallet cannot open this request: ${error instanceof Error ? error.message : 'unknown'}.`,
        }),
      };
    }
    const retry = (message: string) => ({
      status: 400,
      body: renderWalletPage({ ...walletPageRequest(request), request: link, error: message }),
    });
    let answer: Awaited<ReturnType<TestWallet['respond']>>;
    if (form.get('decision') === 'decline') {
      answer = await this.wallet.respond(request, undefined, { error: 'access_denied' });
    } else {
      const claims: Record<string, unknown> = {};
      for (const { name } of WALLET_PID_FIELDS) {
        const value = (form.get(name) ?? '').trim();
        if (value === '') continue;
        claims[name] = name === 'nationalities' ? [value.toUpperCase()] : value;
      }
      const format = form.get('format') === 'mso_mdoc' ? 'mso_mdoc' : 'dc+sd-jwt';
      const held = await this.#hold(claims, newHolderKey(), format);
      try {
        answer = await this.wallet.respond(request, held);
      } catch (error) {
        return retry(
          `This PID cannot answer the request: ${error instanceof Error ? error.message : 'unknown'}.`,
        );
      }
    }
    const redirectUri = (answer.body as { redirect_uri?: unknown } | undefined)?.redirect_uri;
    if (answer.status !== 200 || typeof redirectUri !== 'string') {
      return retry(`The verifier did not accept the answer (HTTP ${answer.status}).`);
    }
    return { status: 303, location: redirectUri };
  }

  /**
   * `POST /local/eudi/credentials`: a PID from the local provider — SD-JWT VC or ISO mdoc
   * (IssuerSigned, CBOR, base64url) — with its index in the provider's status list.
   * @throws ValidationError for a malformed body.
   */
  async issueCredential(input: unknown): Promise<{ credential: string; statusIndex?: number }> {
    const body = credentialsBody.safeParse(input);
    if (!body.success) {
      throw new ValidationError(
        'The credential request is not valid.',
        body.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    const request = {
      claims: body.data.claims,
      holderPublicJwk: body.data.holderPublicJwk,
      ...(body.data.expiresAt ? { expiresAt: body.data.expiresAt } : {}),
    };
    return body.data.format === 'mso_mdoc' ? this.provider.issueMdoc(request) : this.provider.issue(request);
  }

  /**
   * The whole wallet login with these PID claims (`POST /local/login { provider: "eudi" }`): a fresh
   * PID for a fresh holder key, Cognito's authorization request to the bridge, the authorization
   * page's same-device link opened by the test wallet, the encrypted response, the completion
   * redirect, and Cognito's code exchange and mapping.
   *
   * @throws EudiLoginError when the bridge refuses the presentation (with its reason) or Cognito's
   *   side refuses the answer.
   */
  async federate(
    claims: Record<string, unknown>,
    options: PresentOptions & { format?: PidFormat } = {},
  ): Promise<{ userName: string; attributes: Record<string, string>; subject: string }> {
    const { format = 'dc+sd-jwt', ...misbehaviour } = options;
    const holder = newHolderKey();
    const held = await this.#hold(claims, holder, format);
    const client = this.client();
    const checks = {
      state: randomBytes(16).toString('base64url'),
      nonce: randomBytes(16).toString('base64url'),
    };
    const start = await fetch(await client.authorizationUrl(checks), { redirect: 'manual' });
    const pageUrl = start.headers.get('location');
    const cookie = start.headers.get('set-cookie')?.split(';')[0];
    if (start.status !== 303 || !pageUrl || !cookie) throw new Error(`the bridge answered ${start.status}`);
    const page = await (await fetch(pageUrl, { headers: { cookie } })).text();
    const link = /id="same-device" href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    if (!link) throw new Error('the authorization page has no wallet link');
    const request = await this.wallet.open(link);
    const answer = await this.wallet.respond(request, held, misbehaviour);
    const redirectUri = (answer.body as { redirect_uri?: string }).redirect_uri;
    if (answer.status !== 200 || !redirectUri) {
      throw new EudiLoginError('The wallet bridge refused the wallet response.');
    }
    const completion = await fetch(redirectUri, { redirect: 'manual', headers: { cookie } });
    const callback = completion.headers.get('location');
    if (!callback) throw new Error(`the completion answered ${completion.status}`);
    return client.completeLogin(new URL(callback), checks);
  }
}

/** Cognito's `EUDIWallet` OIDC identity provider, towards the bridge. */
export class LocalEudiClient {
  readonly #options: { issuer: string; clientId: string; clientSecret: string; redirectUri: string };
  #configuration: Promise<oidc.Configuration> | undefined;

  constructor(options: { issuer: string; clientId: string; clientSecret: string; redirectUri: string }) {
    this.#options = options;
  }

  /** The authorization request Cognito redirects the browser to (`scope=openid`). */
  async authorizationUrl(request: { state: string; nonce: string }): Promise<URL> {
    return oidc.buildAuthorizationUrl(await this.#configure(), {
      redirect_uri: this.#options.redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: request.state,
      nonce: request.nonce,
    });
  }

  /**
   * Cognito's `/oauth2/idpresponse` for the bridge: code grant (client secret), ID token checks,
   * userinfo, mapping by `eudiAttributeMapping`.
   * @throws EudiLoginError with the bridge's refusal reason (its `refusal` parameter) when refused.
   */
  async completeLogin(
    callback: URL,
    checks: { state: string; nonce: string },
  ): Promise<{ userName: string; attributes: Record<string, string>; subject: string }> {
    const configuration = await this.#configure();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      const refusal = callback.searchParams.get('refusal') as PresentationRefusalReason | null;
      const description = callback.searchParams.get('error_description');
      // The description is `[wallet-<reason>] <sentence>` (messages.ts refusalDescription).
      const sentence = description?.replace(/^\[[a-z-]+\]\s*/, '');
      if (refusal && sentence) throw new WalletLoginRefusedError(refusal, sentence, { cause: error });
      throw new EudiLoginError('The wallet bridge response failed validation.', { cause: error });
    }
    const claims = tokens.claims();
    if (!claims) throw new EudiLoginError('The wallet bridge returned no ID token.');
    const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    const merged: Record<string, unknown> = { ...claims, ...userinfo };
    return {
      subject: claims.sub,
      userName: `${PROVIDER_NAMES.eudi}_${claims.sub}`,
      attributes: mapEudiClaimsToCognito(merged),
    };
  }

  #configure(): Promise<oidc.Configuration> {
    this.#configuration ??= (async () => {
      const { issuer, clientId, clientSecret } = this.#options;
      return oidc.discovery(
        new URL(issuer),
        clientId,
        { client_secret: clientSecret, id_token_signed_response_alg: 'RS256' },
        oidc.ClientSecretPost(clientSecret),
        {
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
          ],
        },
      );
    })();
    this.#configuration.catch(() => {
      this.#configuration = undefined;
    });
    return this.#configuration;
  }
}

/** Who asks and for what, as the wallet page shows it. */
function walletPageRequest(request: OpenedRequest): {
  action: string;
  verifier: { name: string; clientId: string };
  requested: string[];
} {
  const name =
    /^CN=(.*)$/m.exec(request.verifierCertificate.subject)?.[1] ?? request.verifierCertificate.subject;
  const requested = request.dcqlQuery.credentials
    .filter((credential) => credential.format === 'dc+sd-jwt')
    .flatMap((credential) => (credential.claims ?? []).map((claim) => claim.path.join('.')));
  return { action: WALLET_PAGE_PATH, verifier: { name, clientId: request.clientId }, requested };
}

/** The bridge's claims → Cognito user attributes per `eudiAttributeMapping`. */
export function mapEudiClaimsToCognito(claims: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, claim] of Object.entries(eudiAttributeMapping) as [CustomAttributeName, string][]) {
    const value = claims[claim];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (text.length > Math.min(customAttributes[name], 2048)) {
      throw new EudiLoginError(`The wallet bridge sent a value too long for ${claim}.`);
    }
    attributes[cognitoAttribute(name)] = text;
  }
  return attributes;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 256 * 1024) throw new ValidationError('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
