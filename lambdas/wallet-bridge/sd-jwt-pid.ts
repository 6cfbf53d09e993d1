/**
 * Verifies a PID presented as SD-JWT VC with key binding (OpenID4VP 1.0 + HAIP, SD-JWT VC), using
 * @sd-jwt/core for the signatures, the KB-JWT nonce and `sd_hash`, and the status list check of
 * status-list.ts (what @sd-jwt/sd-jwt-vc's `verify` does, without that package: it imports zod
 * whole, a third of a megabyte on the login's cold start), and checking here what the libraries
 * (0.19.0) do not:
 * - every disclosure's digest appears in the issuer-signed payload (or inside another disclosure)
 *   exactly once: the library silently drops altered or added disclosures (TOOLING.md);
 * - the KB-JWT's `aud` is this bridge's client id and its `iat` is recent;
 * - the issuer's certificate chain (`x5c`) leads to a configured trust anchor, for the credential
 *   and for its status list;
 * - the type is a PID, the technical validity (`nbf`/`exp`) covers now;
 * - only requested claims are kept.
 */
import { createHash, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { PID_VCT_PATTERN, REQUESTED_PID_CLAIMS, REQUIRED_PID_CLAIMS } from './dcql.ts';
import { PresentationRefusedError } from './errors.ts';
import { type StatusListCache, verifyJws, verifyStatusReference } from './status-list.ts';
import { verifyChain } from './x509-chain.ts';

/** What a presentation is checked against. */
export interface PresentationContext {
  /** The nonce of this transaction's request object. */
  nonce: string;
  /** The bridge's client id (with prefix), the expected KB-JWT `aud`. */
  clientId: string;
  trustAnchors: readonly X509Certificate[];
  now: Date;
  /** Fetches a status list token (`application/statuslist+jwt`). */
  fetchStatusList(uri: string): Promise<string>;
  /** Verified status lists kept per their `ttl`. @default none */
  statusListCache?: StatusListCache | undefined;
  /** Accepted clock skew in seconds. @default 60 */
  skewSeconds?: number;
  /** Maximum age of the KB-JWT in seconds. @default 300 */
  maxKeyBindingAgeSeconds?: number;
}

/** A verified PID: the requested claims that were disclosed. */
export interface VerifiedPid {
  vct: string;
  /** Issuer (`iss`) of the credential. */
  issuer: string;
  claims: Record<string, unknown>;
}

const ALLOWED_ALGS = new Set(['ES256', 'ES384', 'ES512']);
const SD_JWT_TYPES = new Set(['dc+sd-jwt', 'vc+sd-jwt']);

/**
 * Verifies one key-bound SD-JWT VC presentation of a PID.
 *
 * @throws PresentationRefusedError with the first rule it breaks.
 */
export async function verifySdJwtPid(
  presentation: string,
  context: PresentationContext,
): Promise<VerifiedPid> {
  const skew = context.skewSeconds ?? 60;
  const nowSeconds = Math.floor(context.now.getTime() / 1000);
  const parts = presentation.split('~');
  const issuerJwt = parts[0] ?? '';
  const keyBindingJwt = parts.at(-1) ?? '';
  const disclosures = parts.slice(1, -1);
  if (parts.length < 2 || keyBindingJwt === '') {
    throw new PresentationRefusedError('key-binding', 'The presentation has no key binding JWT.');
  }

  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(issuerJwt) as Record<string, unknown>;
    payload = decodeJwt(issuerJwt) as Record<string, unknown>;
  } catch (error) {
    throw new PresentationRefusedError('invalid-response', 'The credential is not a JWT.', { cause: error });
  }
  if (
    !SD_JWT_TYPES.has(String(header.typ)) ||
    typeof payload.vct !== 'string' ||
    !PID_VCT_PATTERN.test(payload.vct)
  ) {
    throw new PresentationRefusedError('not-a-pid', 'The credential is not a PID in SD-JWT VC format.');
  }
  if (!ALLOWED_ALGS.has(String(header.alg))) {
    throw new PresentationRefusedError(
      'invalid-signature',
      `Signature algorithm ${String(header.alg)} is not accepted.`,
    );
  }
  const issuerKey = verifyChain(header.x5c, context.trustAnchors, context.now);

  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds + skew) {
    throw new PresentationRefusedError('expired', 'The PID is not valid yet.');
  }
  if (typeof payload.exp !== 'number' || payload.exp < nowSeconds - skew) {
    throw new PresentationRefusedError('expired', 'The PID has expired.');
  }

  checkDisclosures(payload, disclosures);

  const holderKey = holderPublicKey(payload.cnf);
  checkKeyBindingRequest(keyBindingJwt, context);
  const instance = new SDJwtInstance<Record<string, unknown>>({
    hasher: (data, alg) => sha(data, alg),
    verifier: (data, signature) => verifyJws(issuerKey, String(header.alg), data, signature),
    kbVerifier: (data, signature) => verifyJws(holderKey, kbAlg(keyBindingJwt), data, signature),
  });

  let verified: Awaited<ReturnType<SDJwtInstance<Record<string, unknown>>['verify']>>;
  try {
    verified = await instance.verify(presentation, {
      keyBindingNonce: context.nonce,
      currentDate: nowSeconds,
      skewSeconds: skew,
    });
    await verifyStatusReference((verified.payload as Record<string, unknown>).status, context, {
      skewSeconds: skew,
    });
  } catch (error) {
    throw classify(error);
  }

  const kb = verified.kb;
  if (!kb) throw new PresentationRefusedError('key-binding', 'The presentation has no key binding JWT.');
  if (kb.payload.aud !== context.clientId) {
    throw new PresentationRefusedError('foreign-request', 'The key binding JWT is for another verifier.');
  }
  const maxAge = context.maxKeyBindingAgeSeconds ?? 300;
  if (
    typeof kb.payload.iat !== 'number' ||
    kb.payload.iat > nowSeconds + skew ||
    kb.payload.iat < nowSeconds - maxAge
  ) {
    throw new PresentationRefusedError('key-binding', 'The key binding JWT is not recent.');
  }

  const disclosed = verified.payload as Record<string, unknown>;
  const claims: Record<string, unknown> = {};
  for (const name of REQUESTED_PID_CLAIMS) {
    if (disclosed[name] !== undefined) claims[name] = disclosed[name];
  }
  const missing = REQUIRED_PID_CLAIMS.filter((name) => claims[name] === undefined);
  if (missing.length > 0) {
    throw new PresentationRefusedError('missing-claim', `The wallet did not share: ${missing.join(', ')}.`);
  }
  return { vct: payload.vct, issuer: String(payload.iss ?? ''), claims };
}

/** A KB-JWT over another nonce or for another audience answers another request. */
function checkKeyBindingRequest(keyBindingJwt: string, context: PresentationContext): void {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(keyBindingJwt) as Record<string, unknown>;
  } catch (error) {
    throw new PresentationRefusedError('key-binding', 'The key binding JWT cannot be read.', {
      cause: error,
    });
  }
  if (claims.nonce !== context.nonce || claims.aud !== context.clientId) {
    throw new PresentationRefusedError('foreign-request', 'The key binding JWT is for another request.');
  }
}

/**
 * Each disclosure's digest must be referenced exactly once by the issuer-signed payload or by
 * another (referenced) disclosure, and no disclosure may appear twice.
 */
export function checkDisclosures(payload: Record<string, unknown>, disclosures: readonly string[]): void {
  const alg = typeof payload._sd_alg === 'string' ? payload._sd_alg : 'sha-256';
  if (alg !== 'sha-256') {
    throw new PresentationRefusedError('tampered-disclosure', `Digest algorithm ${alg} is not accepted.`);
  }
  const referenced = new Map<string, number>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) {
        if (
          item &&
          typeof item === 'object' &&
          !Array.isArray(item) &&
          typeof (item as Record<string, unknown>)['...'] === 'string'
        ) {
          const digest = (item as Record<string, string>)['...'] as string;
          referenced.set(digest, (referenced.get(digest) ?? 0) + 1);
        } else collect(item);
      }
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '_sd' && Array.isArray(inner)) {
          for (const digest of inner) {
            if (typeof digest === 'string') referenced.set(digest, (referenced.get(digest) ?? 0) + 1);
          }
        } else collect(inner);
      }
    }
  };
  collect(payload);
  const seen = new Set<string>();
  for (const disclosure of disclosures) {
    if (seen.has(disclosure)) {
      throw new PresentationRefusedError('tampered-disclosure', 'A disclosure appears twice.');
    }
    seen.add(disclosure);
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8'));
    } catch (error) {
      throw new PresentationRefusedError('tampered-disclosure', 'A disclosure cannot be read.', {
        cause: error,
      });
    }
    if (!Array.isArray(decoded) || (decoded.length !== 2 && decoded.length !== 3)) {
      throw new PresentationRefusedError('tampered-disclosure', 'A disclosure is malformed.');
    }
    collect(decoded.at(-1));
  }
  for (const disclosure of disclosures) {
    const digest = createHash('sha256').update(disclosure, 'ascii').digest('base64url');
    if ((referenced.get(digest) ?? 0) !== 1) {
      throw new PresentationRefusedError('tampered-disclosure', 'A disclosure was not signed by the issuer.');
    }
  }
}

function sha(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg.toLowerCase() !== 'sha-256') throw new Error(`unsupported hash ${alg}`);
  return new Uint8Array(
    createHash('sha256')
      .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data))
      .digest(),
  );
}

function holderPublicKey(cnf: unknown): KeyObject {
  const jwk = (cnf as { jwk?: unknown } | undefined)?.jwk;
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk) {
    throw new PresentationRefusedError('key-binding', 'The PID is not bound to a holder key (cnf.jwk).');
  }
  try {
    return createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw new PresentationRefusedError('key-binding', 'The holder key cannot be read.', { cause: error });
  }
}

function kbAlg(keyBindingJwt: string): string {
  try {
    return String(decodeProtectedHeader(keyBindingJwt).alg);
  } catch {
    return '';
  }
}

/** Maps the library's errors to a refusal reason. */
function classify(error: unknown): PresentationRefusedError {
  if (error instanceof PresentationRefusedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/status/i.test(message)) {
    return new PresentationRefusedError('revoked', 'The PID status could not be confirmed.', {
      cause: error,
    });
  }
  if (/key ?binding|nonce|sd_hash|kb/i.test(message)) {
    return new PresentationRefusedError('key-binding', 'The key binding does not verify.', { cause: error });
  }
  if (/expired|exp|nbf|iat|not yet valid/i.test(message)) {
    return new PresentationRefusedError('expired', 'The PID is not valid now.', { cause: error });
  }
  return new PresentationRefusedError('invalid-signature', 'The PID signature does not verify.', {
    cause: error,
  });
}
