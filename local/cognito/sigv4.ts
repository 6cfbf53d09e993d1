/**
 * AWS Signature Version 4 verification of a header-signed JSON request (what the SDK sends to the
 * Cognito Identity Provider API's admin actions). The same canonical request and key derivation as
 * local/aws/s3-emulator.ts, for a non-S3 service: the payload hash is computed from the body (no
 * `x-amz-content-sha256`), the path is used as sent (the emulator's paths have nothing to encode).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Why a signature was refused; the message is the API's. */
export class SignatureError extends Error {
  constructor(
    readonly type:
      | 'MissingAuthenticationTokenException'
      | 'UnrecognizedClientException'
      | 'InvalidSignatureException',
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** What the signature is checked against. */
export interface SigV4Expectation {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  now: Date;
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

const MAX_SKEW_MS = 5 * 60 * 1000;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const encode = (value: string) =>
    encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return query
    .split('&')
    .map((pair) => {
      const index = pair.indexOf('=');
      const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, '%20'));
      const key = decode(index < 0 ? pair : pair.slice(0, index));
      const value = decode(index < 0 ? '' : pair.slice(index + 1));
      return [encode(key), encode(value)] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * Verifies the `Authorization: AWS4-HMAC-SHA256 …` header of a request.
 * @throws SignatureError with the API's exception name.
 */
export function verifySigV4(request: SignedRequest, expected: SigV4Expectation): void {
  const authorization = request.headers.authorization;
  if (!authorization) {
    throw new SignatureError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
  if (!match) {
    throw new SignatureError(
      'InvalidSignatureException',
      'Authorization header requires existence of either a "X-Amz-Date" or a "Date" header.',
    );
  }
  const [, credential = '', signedHeaderList = '', signature = ''] = match;
  const [accessKeyId, date = '', region, service, terminal] = credential.split('/');
  if (accessKeyId !== expected.credentials.accessKeyId) {
    throw new SignatureError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (region !== expected.region || service !== expected.service || terminal !== 'aws4_request') {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service (${expected.region}/${expected.service}).`,
    );
  }
  const amzDate = request.headers['x-amz-date'] ?? '';
  const parsed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parsed || amzDate.slice(0, 8) !== date) {
    throw new SignatureError('InvalidSignatureException', 'The request date is missing or not valid.');
  }
  const [, y, mo, d, h, mi, s] = parsed;
  const signedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Math.abs(expected.now.getTime() - signedAt) > MAX_SKEW_MS) {
    throw new SignatureError(
      'InvalidSignatureException',
      'Signature expired: the request time is too far from the server time.',
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    throw new SignatureError(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const canonical = [
    request.method,
    request.path,
    canonicalQuery(request.query),
    signedHeaders
      .map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
      .join(''),
    signedHeaderList,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${date}/${expected.region}/${expected.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${expected.credentials.secretAccessKey}`, date), expected.region), expected.service),
    'aws4_request',
  );
  const wanted = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new SignatureError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}
