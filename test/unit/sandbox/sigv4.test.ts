import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  NodeSha256,
  type SignedRequest,
  type SigV4Expectation,
  SigV4Rejection,
  verifySigV4,
} from '#local/aws/sigv4';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const REGION = 'eu-west-1';
const SIGNED_AT = new Date('2026-03-01T12:00:00Z');
const HOST = '127.0.0.1:3000';

/** What the Cognito API expects of its admin calls. */
const cognito = (now = SIGNED_AT): SigV4Expectation => ({
  credentials: CREDENTIALS,
  region: REGION,
  service: 'cognito-idp',
  now,
  maxSkewMs: 5 * 60 * 1000,
  payload: 'body',
  clockBeforeHost: true,
});

/** What the S3 emulator expects. */
const s3 = (now = SIGNED_AT): SigV4Expectation => ({
  ...cognito(now),
  service: 's3',
  maxSkewMs: 15 * 60 * 1000,
  payload: 'x-amz-content-sha256',
  maxPresignedSeconds: 7 * 24 * 3600,
  clockBeforeHost: false,
});

/** The SDK's signer; S3 signs the path as sent, other services encode it again. */
const signer = (service: string, credentials = CREDENTIALS, region = REGION) =>
  new SignatureV4({ credentials, region, service, sha256: NodeSha256, uriEscapePath: service !== 's3' });

const lowerCase = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** A JSON call signed as the SDK signs Cognito's admin actions. */
async function signedJson(
  options: { body?: string; credentials?: typeof CREDENTIALS; region?: string; signableHost?: boolean } = {},
): Promise<SignedRequest> {
  const body = options.body ?? '{"UserPoolId":"eu-west-1_sandbox"}';
  const signed = await signer('cognito-idp', options.credentials, options.region).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/local/aws/cognito-idp',
      query: {},
      headers: {
        ...(options.signableHost === false ? {} : { host: HOST }),
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body,
    },
    { signingDate: SIGNED_AT },
  );
  return {
    method: 'POST',
    path: '/local/aws/cognito-idp',
    query: '',
    headers: { host: HOST, ...lowerCase(signed.headers) },
    body: Buffer.from(body),
  };
}

/** A presigned PUT as the S3 presigner makes it (payload unsigned, content type signed). */
async function presignedPut(expiresIn = 300): Promise<SignedRequest> {
  const presigned = await signer('s3').presign(
    {
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/local/aws/s3/extracts/a%20b.pdf',
      query: {},
      headers: { host: HOST, 'content-type': 'application/pdf', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    { signingDate: SIGNED_AT, expiresIn },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return {
    method: 'PUT',
    path: '/local/aws/s3/extracts/a%20b.pdf',
    query,
    headers: { host: HOST, 'content-type': 'application/pdf' },
    body: Buffer.from('%PDF-1.7'),
  };
}

async function reason(request: SignedRequest, expected: SigV4Expectation): Promise<string | undefined> {
  try {
    await verifySigV4(request, expected);
    return undefined;
  } catch (error) {
    if (error instanceof SigV4Rejection) return error.reason;
    throw error;
  }
}

describe('verifySigV4', () => {
  it('accepts a JSON call the SDK signer signed with the known credentials', async () => {
    expect(await reason(await signedJson(), cognito())).toBeUndefined();
  });

  it('accepts a presigned PUT within its validity', async () => {
    expect(await reason(await presignedPut(), s3(new Date(SIGNED_AT.getTime() + 60_000)))).toBeUndefined();
  });

  it('refuses an unsigned call as missing, also when presigned queries are not accepted', async () => {
    const request = await signedJson();
    delete request.headers.authorization;
    expect(await reason(request, cognito())).toBe('missing');
    expect(await reason({ ...(await presignedPut()), query: '' }, s3())).toBe('missing');
    expect(await reason(await presignedPut(), cognito())).toBe('missing');
  });

  it('refuses a malformed header and an S3 call without its payload hash header', async () => {
    const request = await signedJson();
    expect(
      await reason({ ...request, headers: { ...request.headers, authorization: 'AWS4 x' } }, cognito()),
    ).toBe('malformed');
    const { 'x-amz-content-sha256': _hash, ...withoutHash } = request.headers;
    expect(await reason({ ...request, headers: withoutHash }, { ...s3(), service: 'cognito-idp' })).toBe(
      'missing-payload-hash',
    );
  });

  it('refuses another access key, another region and a date off the scope', async () => {
    expect(
      await reason(await signedJson({ credentials: { ...CREDENTIALS, accessKeyId: 'other' } }), cognito()),
    ).toBe('unknown-access-key');
    expect(await reason(await signedJson({ region: 'eu-central-1' }), cognito())).toBe('wrong-scope');
    const request = await signedJson();
    expect(
      await reason(
        { ...request, headers: { ...request.headers, 'x-amz-date': '20260302T120000Z' } },
        cognito(),
      ),
    ).toBe('bad-date');
  });

  it('refuses a call signed with another secret or whose body changed after signing', async () => {
    expect(
      await reason(
        await signedJson({ credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' } }),
        cognito(),
      ),
    ).toBe('signature-mismatch');
    const request = await signedJson();
    expect(await reason({ ...request, body: Buffer.from('{"UserPoolId":"other"}') }, cognito())).toBe(
      'signature-mismatch',
    );
  });

  it('refuses a header signature too far from now', async () => {
    const later = new Date(SIGNED_AT.getTime() + 6 * 60 * 1000);
    expect(await reason(await signedJson(), cognito(later))).toBe('skewed');
  });

  it('checks the clock before the host for Cognito and after it for S3', async () => {
    const request = await signedJson({ signableHost: false });
    const later = new Date(SIGNED_AT.getTime() + 20 * 60 * 1000);
    expect(await reason(request, cognito())).toBe('host-unsigned');
    expect(await reason(request, cognito(later))).toBe('skewed');
    expect(await reason(request, { ...s3(later), service: 'cognito-idp' })).toBe('host-unsigned');
  });

  it('refuses a presigned PUT that expired, is dated ahead, has a bad lifetime or a changed header', async () => {
    const request = await presignedPut(60);
    expect(await reason(request, s3(new Date(SIGNED_AT.getTime() + 61_000)))).toBe('expired');
    expect(await reason(request, s3(new Date(SIGNED_AT.getTime() - 16 * 60 * 1000)))).toBe('not-yet-valid');
    expect(
      await reason({ ...request, query: request.query.replace('X-Amz-Expires=60', 'X-Amz-Expires=0') }, s3()),
    ).toBe('bad-expires');
    expect(
      await reason(
        { ...request, query: request.query.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') },
        s3(),
      ),
    ).toBe('unsupported-algorithm');
    expect(
      await reason({ ...request, headers: { ...request.headers, 'content-type': 'text/html' } }, s3()),
    ).toBe('signature-mismatch');
  });

  it('refuses an S3 body that is not the one its signed payload hash names', async () => {
    const request = await signedJson();
    const expected = { ...s3(), service: 'cognito-idp' };
    expect(await reason(request, expected)).toBeUndefined();
    expect(await reason({ ...request, body: Buffer.from('other') }, expected)).toBe('payload-mismatch');
  });
});
