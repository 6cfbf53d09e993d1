/**
 * Revocation of a PID, one rule for both formats: the IETF Token Status List
 * (draft-ietf-oauth-status-list) the PID points to — `status.status_list` `{ idx, uri }` in an
 * SD-JWT VC's payload, the same structure under `status` in an mdoc's MSO — fetched as a JWT
 * (`application/statuslist+jwt`), its signature checked under the stage's trust anchors, valid now,
 * and the PID's entry 0 (VALID). Anything else, a list that cannot be fetched or read included, is a
 * refusal (`revoked`): a login must not pass on a status nobody could confirm.
 *
 * A list that verified is kept for as long as its own `ttl` allows ({@link StatusListCache}), so that
 * the logins of the next minutes neither wait for the provider nor fail while it is briefly away;
 * past that, the list is fetched again and its absence refuses the login.
 */
import { type KeyObject, verify as verifySignature, type X509Certificate } from 'node:crypto';
import { Jwt } from '@sd-jwt/core';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { decodeProtectedHeader } from 'jose';
import { PresentationRefusedError } from './errors.ts';
import { verifyChain } from './x509-chain.ts';

/** What a status check needs. */
export interface StatusListContext {
  trustAnchors: readonly X509Certificate[];
  now: Date;
  /** Fetches a status list token (`application/statuslist+jwt`). */
  fetchStatusList(uri: string): Promise<string>;
  /** Verified lists kept per their `ttl`. @default none: every check fetches */
  statusListCache?: StatusListCache | undefined;
}

/**
 * Status list tokens that verified, by URI, each kept until its `ttl` (seconds, draft-ietf-oauth-
 * status-list: how long a relying party may cache it) runs out, never past its `exp` nor past
 * {@link StatusListCache.maxAgeSeconds}. A token without `ttl` is not kept. A kept token is verified
 * again on every use (signature, chain, validity now), so a stale one is never trusted; at most
 * `maxEntries` lists (the oldest go first).
 */
export class StatusListCache {
  readonly #entries = new Map<string, { token: string; until: number }>();

  /**
   * @param maxAgeSeconds the longest any list is kept, whatever its `ttl` says
   * @param maxEntries lists kept at once (a PID provider has one or a few)
   */
  constructor(
    readonly maxAgeSeconds = 3600,
    readonly maxEntries = 64,
  ) {}

  /** The kept token of `uri`, if its time is not up at `now`. */
  get(uri: string, now: Date): string | undefined {
    const entry = this.#entries.get(uri);
    if (!entry) return undefined;
    if (entry.until <= now.getTime()) {
      this.#entries.delete(uri);
      return undefined;
    }
    return entry.token;
  }

  /** Keeps `token` (which verified just now) for its `ttl`. */
  put(uri: string, token: string, payload: { ttl?: unknown; exp?: unknown }, now: Date): void {
    const { ttl, exp } = payload;
    if (typeof ttl !== 'number' || !(ttl > 0)) return;
    const limits = [now.getTime() + Math.min(ttl, this.maxAgeSeconds) * 1000];
    if (typeof exp === 'number') limits.push(exp * 1000);
    const until = Math.min(...limits);
    if (until <= now.getTime()) return;
    this.#entries.delete(uri);
    this.#entries.set(uri, { token, until });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

const CURVE_HASH: Record<string, string> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/** Verifies a compact JWS signature (ECDSA, `ES256`/`ES384`/`ES512`) over `data` with `key`. */
export function verifyJws(key: KeyObject, alg: string, data: string, signature: string): boolean {
  const hash = CURVE_HASH[alg];
  if (!hash) return false;
  return verifySignature(
    hash,
    Buffer.from(data, 'ascii'),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
}

/**
 * Checks the PID's `status` claim (SD-JWT VC payload or mdoc MSO). A PID without a status reference
 * is not checked, as @sd-jwt/sd-jwt-vc does: its validity period is then all there is.
 */
export async function verifyStatusReference(
  status: unknown,
  context: StatusListContext,
  options: { skewSeconds: number },
): Promise<void> {
  const reference = statusListOf(status);
  if (!reference) return;
  if (typeof reference.uri !== 'string' || typeof reference.idx !== 'number') {
    throw new PresentationRefusedError('revoked', 'The PID status reference is malformed.');
  }
  let entry: number;
  try {
    const cached = context.statusListCache?.get(reference.uri, context.now);
    const token = cached ?? (await context.fetchStatusList(reference.uri));
    const jwt = Jwt.fromEncode(token);
    await jwt.verify(
      (data, signature) => {
        const statusHeader = decodeProtectedHeader(`${data}.`) as Record<string, unknown>;
        const statusKey = verifyChain(statusHeader.x5c, context.trustAnchors, context.now);
        return verifyJws(statusKey, String(statusHeader.alg), data, signature);
      },
      { currentDate: Math.floor(context.now.getTime() / 1000), skewSeconds: options.skewSeconds },
    );
    entry = getListFromStatusListJWT(token).getStatus(reference.idx);
    if (cached === undefined) {
      context.statusListCache?.put(
        reference.uri,
        token,
        (jwt.payload ?? {}) as Record<string, unknown>,
        context.now,
      );
    }
  } catch (error) {
    throw new PresentationRefusedError('revoked', 'The PID status could not be confirmed.', { cause: error });
  }
  if (entry !== 0) {
    throw new PresentationRefusedError('revoked', 'The PID has been revoked or suspended.');
  }
}

/** `status.status_list` of a JSON object (SD-JWT VC) or a CBOR map (mdoc MSO), else `undefined`. */
function statusListOf(status: unknown): { uri?: unknown; idx?: unknown } | undefined {
  const list = field(status, 'status_list');
  if (list === undefined) return undefined;
  return { uri: field(list, 'uri'), idx: field(list, 'idx') };
}

function field(container: unknown, name: string): unknown {
  if (container instanceof Map) return container.get(name);
  if (container && typeof container === 'object') return (container as Record<string, unknown>)[name];
  return undefined;
}
