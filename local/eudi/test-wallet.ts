/**
 * The sandbox's test wallet: the holder side of OpenID4VP 1.0, written against the specifications
 * with @sd-jwt/core and jose, independent of the bridge's code. It holds PIDs with their holder key,
 * opens an `openid4vp://` request (fetches and checks the signed request object: `x5c` signature,
 * `x509_hash:`/`x509_san_dns:` client id), answers the DCQL query with the first claim set its PID
 * satisfies, binds the presentation to the request's nonce and client id (KB-JWT for SD-JWT VC; for
 * an mdoc PID the device signature over OpenID4VP 1.0's SessionTranscript, see mdoc.ts), encrypts
 * the response to the verifier's key (ECDH-ES) and posts it to `response_uri` (`direct_post.jwt`).
 *
 * Tests make it misbehave through {@link PresentOptions} (foreign nonce, another audience, no key
 * binding, an altered or an extra disclosure) to prove the bridge refuses each.
 */
import {
  createHash,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { mdocClaimNames, presentMdocPid } from './mdoc.ts';

/** A PID in the wallet. */
export interface HeldCredential {
  credential: string;
  holderKey: KeyObject;
  /** @default 'dc+sd-jwt' */
  format?: 'dc+sd-jwt' | 'mso_mdoc';
}

/** Ways to misbehave, for tests. */
export interface PresentOptions {
  /** Sign the KB-JWT over this nonce instead of the request's. */
  nonce?: string;
  /** Sign the KB-JWT for this audience instead of the request's client id. */
  audience?: string;
  /** Present without a KB-JWT (mdoc: without device authentication). */
  omitKeyBinding?: boolean;
  /** Change a disclosed value after issuance (mdoc: an element's value). */
  alterDisclosure?: { claim: string; value: unknown };
  /** Add a disclosure the issuer never signed (mdoc: an element). */
  extraDisclosure?: { claim: string; value: unknown };
  /** mdoc: sign the transcript of this response URI instead of the request's. */
  responseUri?: string;
  /** Answer with an OpenID4VP error instead of a presentation. */
  error?: string;
}

/** A request object as the wallet read it. */
export interface OpenedRequest {
  clientId: string;
  nonce: string;
  /** Absent in a Digital Credentials API request (`dc_api.jwt`). */
  state?: string;
  /** Absent in a Digital Credentials API request (`dc_api.jwt`). */
  responseUri?: string;
  responseMode: string;
  /** `expected_origins` of a Digital Credentials API request. */
  expectedOrigins?: string[];
  /** The page's origin the browser handed a Digital Credentials API request over from. */
  origin?: string;
  dcqlQuery: {
    credentials: {
      id: string;
      format: string;
      claims?: { id?: string; path: string[] }[];
      claim_sets?: string[][];
    }[];
  };
  encryptionJwk: JWK;
  encValues: string[];
  /** The verifier's certificate (leaf of `x5c`). */
  verifierCertificate: X509Certificate;
}

/** What {@link TestWallet.respond} got back. */
export interface WalletAnswer {
  status: number;
  body: unknown;
  /** The posted (encrypted) response, to replay it. */
  response: string;
}

/** A holder key pair for a new PID. */
export function newHolderKey(): { privateKey: KeyObject; publicJwk: JsonWebKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}

/** The test wallet; see the module comment. */
export class TestWallet {
  readonly #fetch: typeof fetch;

  constructor(options: { fetch?: typeof fetch } = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** Fetches and checks the request object behind an `openid4vp://` link. */
  async open(link: string): Promise<OpenedRequest> {
    const url = new URL(link);
    const clientId = url.searchParams.get('client_id');
    const requestUri = url.searchParams.get('request_uri');
    if (!clientId || !requestUri) throw new Error('the link has no client_id or request_uri');
    const answer = await this.#fetch(requestUri);
    if (!answer.ok) throw new Error(`request_uri answered ${answer.status}`);
    const request = await this.#check(await answer.text());
    if (request.clientId !== clientId) throw new Error('client_id differs between link and request object');
    if (request.responseMode !== 'direct_post.jwt' || !request.responseUri)
      throw new Error('a link request must answer by direct_post.jwt');
    return request;
  }

  /**
   * Checks a request object the browser hands over through the Digital Credentials API
   * (`openid4vp-v1-signed`): as {@link open}, and the page's origin must be in `expected_origins`.
   */
  async openDigital(jar: string, origin: string): Promise<OpenedRequest> {
    const request = await this.#check(jar);
    if (request.responseMode !== 'dc_api.jwt') throw new Error('not a Digital Credentials API request');
    if (!request.expectedOrigins?.includes(origin)) throw new Error(`${origin} is not an expected origin`);
    return { ...request, origin };
  }

  /** The response body of a Digital Credentials API request: `{ response: <JWE> }`. */
  async answerDigital(request: OpenedRequest, held: HeldCredential): Promise<{ response: string }> {
    return {
      response: await this.encrypt(request, {
        vp_token: { [this.#queryId(request, held)]: [await this.present(request, held)] },
      }),
    };
  }

  async #check(jar: string): Promise<OpenedRequest> {
    const header = decodeProtectedHeader(jar);
    if (header.typ !== 'oauth-authz-req+jwt') throw new Error('not a request object');
    const leafDer = header.x5c?.[0];
    if (!leafDer) throw new Error('the request object has no x5c');
    const certificate = new X509Certificate(Buffer.from(leafDer, 'base64'));
    const { payload } = await compactVerify(jar, certificate.publicKey);
    const request = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const clientId = String(request.client_id);
    if (clientId.startsWith('x509_hash:')) {
      const hash = createHash('sha256').update(certificate.raw).digest('base64url');
      if (clientId !== `x509_hash:${hash}`)
        throw new Error('x509_hash client id does not match the certificate');
    } else if (clientId.startsWith('x509_san_dns:')) {
      const dns = clientId.slice('x509_san_dns:'.length);
      if (!(certificate.subjectAltName ?? '').split(', ').includes(`DNS:${dns}`)) {
        throw new Error('x509_san_dns client id is not in the certificate');
      }
    } else {
      throw new Error(`client id prefix not supported: ${clientId}`);
    }
    const metadata = (request.client_metadata ?? {}) as Record<string, unknown>;
    const keys = ((metadata.jwks as { keys?: JWK[] } | undefined)?.keys ?? []) as JWK[];
    const encryptionJwk = keys.find((key) => key.use === 'enc' || key.use === undefined);
    if (!encryptionJwk) throw new Error('no encryption key in client_metadata');
    return {
      clientId,
      nonce: String(request.nonce),
      ...(typeof request.state === 'string' ? { state: request.state } : {}),
      ...(typeof request.response_uri === 'string' ? { responseUri: request.response_uri } : {}),
      responseMode: String(request.response_mode),
      ...(Array.isArray(request.expected_origins)
        ? { expectedOrigins: request.expected_origins.map(String) }
        : {}),
      dcqlQuery: request.dcql_query as OpenedRequest['dcqlQuery'],
      encryptionJwk,
      encValues: (metadata.encrypted_response_enc_values_supported as string[] | undefined) ?? ['A128GCM'],
      verifierCertificate: certificate,
    };
  }

  /** Builds the key-bound presentation answering the request's DCQL query. */
  async present(request: OpenedRequest, held: HeldCredential, options: PresentOptions = {}): Promise<string> {
    if (held.format === 'mso_mdoc') return this.#presentMdoc(request, held, options);
    const query = request.dcqlQuery.credentials.find((credential) => credential.format === 'dc+sd-jwt');
    if (!query) throw new Error('the request asks for no SD-JWT VC');
    const instance = new SDJwtInstance({
      hasher: (data) =>
        new Uint8Array(
          createHash('sha256')
            .update(data as string)
            .digest(),
        ),
      kbSigner: async (data) =>
        sign('sha256', Buffer.from(data, 'ascii'), {
          key: held.holderKey,
          dsaEncoding: 'ieee-p1363',
        }).toString('base64url'),
      kbSignAlg: 'ES256',
    });
    const available = new Set(
      Object.keys((await instance.getClaims(held.credential)) as Record<string, unknown>),
    );
    const idToClaim = new Map(
      (query.claims ?? []).map((claim) => [claim.id ?? claim.path[0], claim.path[0] as string]),
    );
    const sets = query.claim_sets ?? [[...idToClaim.keys()] as string[]];
    const chosen = sets
      .map((set) => set.map((id) => idToClaim.get(id) ?? id))
      .find((claims) => claims.every((claim) => available.has(claim)));
    if (!chosen) throw new Error('the PID cannot satisfy the query');
    const frame = Object.fromEntries(chosen.map((claim) => [claim, true]));
    let presentation = await instance.present(
      held.credential,
      frame as never,
      options.omitKeyBinding
        ? undefined
        : {
            kb: {
              payload: {
                aud: options.audience ?? request.clientId,
                nonce: options.nonce ?? request.nonce,
                iat: Math.floor(Date.now() / 1000),
              },
            },
          },
    );
    if (options.alterDisclosure || options.extraDisclosure) {
      presentation = await this.#tamper(instance, presentation, held, request, options);
    }
    return presentation;
  }

  /** Encrypts the answer and posts it to `response_uri`. */
  async respond(
    request: OpenedRequest,
    held: HeldCredential | undefined,
    options: PresentOptions = {},
  ): Promise<WalletAnswer> {
    const body = options.error
      ? { error: options.error, error_description: 'The person declined', state: request.state }
      : {
          vp_token: {
            [this.#queryId(request, held)]: [await this.present(request, held as HeldCredential, options)],
          },
          state: request.state,
        };
    const response = await this.encrypt(request, body);
    return this.post(request, response);
  }

  /** The JWE of a response body (ECDH-ES to the verifier's key). */
  async encrypt(request: OpenedRequest, body: unknown): Promise<string> {
    const key = await importJWK(request.encryptionJwk, 'ECDH-ES');
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
      .setProtectedHeader({
        alg: 'ECDH-ES',
        enc: request.encValues.includes('A128GCM') ? 'A128GCM' : (request.encValues[0] ?? 'A128GCM'),
        ...(request.encryptionJwk.kid ? { kid: request.encryptionJwk.kid } : {}),
      })
      .encrypt(key);
  }

  /** Posts an encrypted response (`direct_post.jwt`). */
  async post(request: OpenedRequest, response: string): Promise<WalletAnswer> {
    if (!request.responseUri) throw new Error('the request has no response_uri');
    const answer = await this.#fetch(request.responseUri, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ response }).toString(),
    });
    const text = await answer.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: answer.status, body: parsed, response };
  }

  #queryId(request: OpenedRequest, held: HeldCredential | undefined): string {
    const format = held?.format ?? 'dc+sd-jwt';
    return request.dcqlQuery.credentials.find((credential) => credential.format === format)?.id ?? 'pid';
  }

  /** An mdoc PID: the first claim set it holds, device-signed over this request's transcript. */
  async #presentMdoc(request: OpenedRequest, held: HeldCredential, options: PresentOptions): Promise<string> {
    const query = request.dcqlQuery.credentials.find((credential) => credential.format === 'mso_mdoc');
    if (!query) throw new Error('the request asks for no mdoc');
    const available = mdocClaimNames(held.credential);
    const elementOf = new Map(
      (query.claims ?? []).map((claim) => [claim.id ?? claim.path[1], claim.path[1] as string]),
    );
    const element = (claim: string) => elementOf.get(claim) ?? claim;
    const elements = (query.claim_sets ?? [[...elementOf.keys()] as string[]])
      .map((set) => set.map(element))
      .find((set) => set.every((name) => available.has(name)));
    if (!elements) throw new Error('the PID cannot satisfy the query');
    return presentMdocPid({
      credential: held.credential,
      holderKey: held.holderKey,
      elements,
      transcript: {
        clientId: options.audience ?? request.clientId,
        nonce: options.nonce ?? request.nonce,
        verifierEncryptionJwk: request.encryptionJwk,
        ...(request.origin !== undefined
          ? { origin: request.origin }
          : { responseUri: options.responseUri ?? request.responseUri ?? '' }),
      },
      ...(options.omitKeyBinding ? { omitDeviceAuth: true } : {}),
      ...(options.alterDisclosure
        ? {
            alterElement: {
              element: element(options.alterDisclosure.claim),
              value: options.alterDisclosure.value,
            },
          }
        : {}),
      ...(options.extraDisclosure
        ? {
            extraElement: {
              element: element(options.extraDisclosure.claim),
              value: options.extraDisclosure.value,
            },
          }
        : {}),
    });
  }

  async #tamper(
    instance: SDJwtInstance<Record<string, unknown>>,
    presentation: string,
    held: HeldCredential,
    request: OpenedRequest,
    options: PresentOptions,
  ): Promise<string> {
    const parts = presentation.split('~');
    const jwt = parts[0] as string;
    let disclosures = parts.slice(1, -1);
    if (options.alterDisclosure) {
      const { claim, value } = options.alterDisclosure;
      disclosures = disclosures.map((disclosure) => {
        const decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as unknown[];
        return decoded[1] === claim
          ? Buffer.from(JSON.stringify([decoded[0], claim, value])).toString('base64url')
          : disclosure;
      });
    }
    if (options.extraDisclosure) {
      const { claim, value } = options.extraDisclosure;
      disclosures.push(Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0', claim, value])).toString('base64url'));
    }
    const unbound = `${[jwt, ...disclosures].join('~')}~`;
    if (options.omitKeyBinding) return unbound;
    // A real wallet signs what it sends: the KB-JWT's sd_hash covers the tampered disclosures too.
    const sdHash = createHash('sha256').update(unbound, 'ascii').digest('base64url');
    const header = Buffer.from(JSON.stringify({ typ: 'kb+jwt', alg: 'ES256' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        iat: Math.floor(Date.now() / 1000),
        aud: options.audience ?? request.clientId,
        nonce: options.nonce ?? request.nonce,
        sd_hash: sdHash,
      }),
    ).toString('base64url');
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`, 'ascii'), {
      key: held.holderKey,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
    void instance;
    return `${unbound}${header}.${payload}.${signature}`;
  }
}
