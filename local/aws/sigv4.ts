/**
 * AWS Signature Version 4 verification for every emulated AWS API of the sandbox (the S3 emulator,
 * the Cognito Identity Provider API): the request is signed again by `@smithy/signature-v4`, the
 * SDK's own signer, with the credentials the sandbox knows, and the two signatures are compared in
 * constant time. Only what the client signed is signed again: its `SignedHeaders` (a signed header
 * it did not send counts as empty), its query string and its payload hash; the path is taken as
 * sent (the emulated paths have nothing to encode).
 *
 * A refusal is a {@link SigV4Rejection} naming the reason; each API turns reasons into its own error
 * codes and messages.
 */
import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** Why a signature was refused, in the order the checks run. */
export type SigV4RejectionReason =
  /** No `Authorization` header (and no presigned query when those are accepted). */
  | 'missing'
  /** The header is not `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=<64 hex>`. */
  | 'malformed'
  /** The payload hash comes from `x-amz-content-sha256` and the header is absent. */
  | 'missing-payload-hash'
  /** A presigned query's `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256`. */
  | 'unsupported-algorithm'
  | 'unknown-access-key'
  /** The credential scope is not `<date>/<region>/<service>/aws4_request` of this API. */
  | 'wrong-scope'
  /** `X-Amz-Date` is missing, not `YYYYMMDDTHHMMSSZ`, or not on the scope's date. */
  | 'bad-date'
  | 'host-unsigned'
  /** A header signature made too far from now. */
  | 'skewed'
  /** A presigned query's `X-Amz-Expires` is not a whole number of seconds within the limit. */
  | 'bad-expires'
  | 'expired'
  /** A presigned query dated too far in the future. */
  | 'not-yet-valid'
  | 'signature-mismatch'
  /** The signature matches but the body is not the one `x-amz-content-sha256` names. */
  | 'payload-mismatch';

/** A refused signature. */
export class SigV4Rejection extends Error {
  constructor(readonly reason: SigV4RejectionReason) {
    super(`SigV4 signature refused: ${reason}`);
    this.name = 'SigV4Rejection';
  }
}

/** A request as received. */
export interface SignedRequest {
  method: string;
  /** Raw path as sent. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What a signature is checked against. */
export interface SigV4Expectation {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  now: Date;
  /** Allowed clock difference of a header signature (and how early a presigned one may be dated). */
  maxSkewMs: number;
  /**
   * Where the signed payload hash comes from: `body` (JSON APIs: the SHA-256 of the body) or
   * `x-amz-content-sha256` (S3: that header, required, or a presigned query's `X-Amz-Content-Sha256`,
   * `UNSIGNED-PAYLOAD` by default; a hash other than `UNSIGNED-PAYLOAD`/`STREAMING-…` must match the body).
   */
  payload: 'body' | 'x-amz-content-sha256';
  /** Accept presigned queries valid for at most this many seconds. @default header signatures only */
  maxPresignedSeconds?: number;
  /**
   * Check the clock before whether `host` is signed (the Cognito API's order) instead of after it
   * (S3's). @default false
   */
  clockBeforeHost?: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const PAYLOAD_HEADER = 'x-amz-content-sha256';
const DATE_HEADER = 'x-amz-date';
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: SourceData): string | Buffer =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** node:crypto SHA-256 (HMAC-SHA-256 with a secret) in the shape the smithy signer asks for. */
export class NodeSha256 {
  readonly #secret: string | Buffer | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#create();
  }

  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#create();
  }

  #create(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

/** `20260101T120000Z` → Date. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

/** The decoded pairs of a raw query string (`+` is a space), in order. */
export function parseQuery(query: string): [string, string][] {
  if (query === '') return [];
  const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, '%20'));
  return query.split('&').map((pair) => {
    const index = pair.indexOf('=');
    return [decode(index < 0 ? pair : pair.slice(0, index)), decode(index < 0 ? '' : pair.slice(index + 1))];
  });
}

interface Presented {
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  /** Presigned: `X-Amz-Expires`. */
  expires?: string;
}

/** The signature as the request presents it, in the header or (presigned) the query. */
function presented(request: SignedRequest, query: [string, string][], expected: SigV4Expectation): Presented {
  const queryValue = (name: string) => query.find(([key]) => key === name)?.[1];
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = AUTHORIZATION.exec(authorization.trim());
    if (!match) throw new SigV4Rejection('malformed');
    const header = request.headers[PAYLOAD_HEADER];
    if (expected.payload === PAYLOAD_HEADER && !header) throw new SigV4Rejection('missing-payload-hash');
    return {
      credential: match[1] ?? '',
      signedHeaders: (match[2] ?? '').split(';'),
      signature: match[3] ?? '',
      amzDate: request.headers[DATE_HEADER] ?? '',
      payloadHash: expected.payload === 'body' ? sha256Hex(request.body) : (header ?? ''),
    };
  }
  if (expected.maxPresignedSeconds === undefined || queryValue('X-Amz-Algorithm') === undefined) {
    throw new SigV4Rejection('missing');
  }
  if (queryValue('X-Amz-Algorithm') !== ALGORITHM) throw new SigV4Rejection('unsupported-algorithm');
  return {
    credential: queryValue('X-Amz-Credential') ?? '',
    signedHeaders: (queryValue('X-Amz-SignedHeaders') ?? '').split(';'),
    signature: queryValue('X-Amz-Signature') ?? '',
    amzDate: queryValue('X-Amz-Date') ?? '',
    payloadHash:
      expected.payload === 'body'
        ? sha256Hex(request.body)
        : (queryValue('X-Amz-Content-Sha256') ?? UNSIGNED),
    expires: queryValue('X-Amz-Expires') ?? '',
  };
}

function checkClock(signedAt: Date, given: Presented, expected: SigV4Expectation): void {
  const now = expected.now.getTime();
  if (given.expires === undefined) {
    if (Math.abs(now - signedAt.getTime()) > expected.maxSkewMs) throw new SigV4Rejection('skewed');
    return;
  }
  const expires = Number(given.expires);
  if (!Number.isInteger(expires) || expires < 1 || expires > (expected.maxPresignedSeconds ?? 0)) {
    throw new SigV4Rejection('bad-expires');
  }
  if (now > signedAt.getTime() + expires * 1000) throw new SigV4Rejection('expired');
  if (signedAt.getTime() - now > expected.maxSkewMs) throw new SigV4Rejection('not-yet-valid');
}

/** The signature of what the client signed, made again by the smithy signer with the known credentials. */
async function signAgain(
  request: SignedRequest,
  query: [string, string][],
  given: Presented,
  signedAt: Date,
  expected: SigV4Expectation,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of given.signedHeaders) headers[name] = request.headers[name] ?? '';
  const signed = new Set(given.signedHeaders);
  const unsignable = new Set<string>();
  // The signer adds X-Amz-Date itself and takes the payload hash from this header: both are signed
  // only when the client signed them.
  if (!signed.has(DATE_HEADER)) unsignable.add(DATE_HEADER);
  if (!signed.has(PAYLOAD_HEADER)) {
    headers[PAYLOAD_HEADER] = given.payloadHash;
    unsignable.add(PAYLOAD_HEADER);
  } else if (headers[PAYLOAD_HEADER] !== given.payloadHash) {
    // A signed hash header that is not the payload hash this API uses: no signature can match.
    return undefined;
  }
  const queryRecord: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const previous = queryRecord[key];
    queryRecord[key] = previous === undefined ? value : [previous, value].flat();
  }
  const signer = new SignatureV4({
    credentials: expected.credentials,
    region: expected.region,
    service: expected.service,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const again = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '',
      path: request.path,
      query: queryRecord,
      headers,
    },
    { signingDate: signedAt, signableHeaders: signed, unsignableHeaders: unsignable },
  );
  return /Signature=([0-9a-f]{64})$/.exec(again.headers.authorization ?? '')?.[1];
}

/**
 * Verifies the SigV4 signature of a request: `Authorization: AWS4-HMAC-SHA256 …` or, when
 * {@link SigV4Expectation.maxPresignedSeconds} is set, a presigned query.
 * @throws SigV4Rejection with the first reason that applies.
 */
export async function verifySigV4(request: SignedRequest, expected: SigV4Expectation): Promise<void> {
  const query = parseQuery(request.query);
  const given = presented(request, query, expected);
  const [accessKeyId, date, region, service, terminal] = given.credential.split('/');
  if (accessKeyId !== expected.credentials.accessKeyId) throw new SigV4Rejection('unknown-access-key');
  if (region !== expected.region || service !== expected.service || terminal !== 'aws4_request') {
    throw new SigV4Rejection('wrong-scope');
  }
  const signedAt = parseAmzDate(given.amzDate);
  if (!signedAt || given.amzDate.slice(0, 8) !== date) throw new SigV4Rejection('bad-date');
  if (expected.clockBeforeHost) checkClock(signedAt, given, expected);
  if (!given.signedHeaders.includes('host')) throw new SigV4Rejection('host-unsigned');
  if (!expected.clockBeforeHost) checkClock(signedAt, given, expected);

  const wanted = await signAgain(request, query, given, signedAt, expected);
  const provided = Buffer.from(given.signature, 'hex');
  const computed = Buffer.from(wanted ?? '', 'hex');
  if (wanted === undefined || provided.length !== computed.length || !timingSafeEqual(provided, computed)) {
    throw new SigV4Rejection('signature-mismatch');
  }
  if (
    expected.payload === PAYLOAD_HEADER &&
    given.payloadHash !== UNSIGNED &&
    !given.payloadHash.startsWith('STREAMING-') &&
    given.payloadHash !== sha256Hex(request.body)
  ) {
    throw new SigV4Rejection('payload-mismatch');
  }
}
