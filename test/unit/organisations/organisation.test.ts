import 'aws-sdk-client-mock-vitest/extend';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  foreignOrgCode,
  normaliseRegistryNumber,
  ORG_CODE_PATTERN,
} from '../../../lambdas/organisations/organisation.ts';
import {
  decisionBody,
  foreignRegistrationBody,
  uploadBody,
} from '../../../lambdas/organisations/registration-routes.ts';
import { claimBody } from '../../../lambdas/organisations/routes.ts';
import {
  createS3Client,
  createS3UploadStore,
  isPdfMagic,
  MAX_EXTRACT_BYTES,
} from '../../../lambdas/organisations/uploads.ts';

const s3 = mockClient(S3Client);

afterEach(() => {
  s3.reset();
});

const address = { street: 'Rue', houseNumber: '1', postalCode: '75001', city: 'Paris', country: 'FR' };
const ulid = '01JZ0000000000000000000001';

describe('foreign organisation codes', () => {
  it('gives the same code when the registry number is written with other separators or case', () => {
    expect(foreignOrgCode('DE', 'HRB 12.345-b')).toBe('FOREIGN-DE-HRB12345B');
    expect(foreignOrgCode('DE', 'hrb12345B')).toBe('FOREIGN-DE-HRB12345B');
    expect(normaliseRegistryNumber('ＨＲＢ １２/3')).toBe('HRB123');
  });

  it('refuses a letter or digit outside A-Z and 0-9 instead of dropping it', () => {
    // Cyrillic А/В and Greek Ο look Latin; Arabic-Indic digits once all collapsed into one code.
    for (const raw of ['HRВ 12345', 'HRB 1234Ο', '١٢٣٤٥', 'Ñº 12/3']) {
      expect(() => normaliseRegistryNumber(raw)).toThrow(/outside A-Z and 0-9/);
    }
  });

  it('always yields a URL-safe code the path schema accepts when the number has 1 to 40 letters or digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9 ./-]{1,60}$/),
        fc.constantFrom('DE', 'FR', 'NL', 'XK'),
        (raw, cc) => {
          const normalised = normaliseRegistryNumber(raw);
          fc.pre(normalised.length >= 1 && normalised.length <= 40);
          const code = foreignOrgCode(cc, raw);
          expect(ORG_CODE_PATTERN.test(code)).toBe(true);
          expect(encodeURIComponent(code)).toBe(code);
        },
      ),
    );
  });

  it('accepts enterprise numbers and refuses anything else as an organisation code', () => {
    expect(ORG_CODE_PATTERN.test('0403019261')).toBe(true);
    for (const bad of ['403019261', 'FOREIGN-de-1', 'FOREIGN-DE-', 'ORG#1', '../x']) {
      expect(ORG_CODE_PATTERN.test(bad)).toBe(false);
    }
  });
});

describe('organisations request schemas', () => {
  it('normalises an enterprise number when a claim gives it in VAT form', () => {
    expect(claimBody.parse({ enterpriseNumber: 'BE 0403.019.261' })).toEqual({
      enterpriseNumber: '0403019261',
    });
    expect(claimBody.safeParse({ enterpriseNumber: '0403019262' }).success).toBe(false);
  });

  it('accepts a PDF up to 10 MB and nothing else when an upload is asked for', () => {
    expect(uploadBody.safeParse({ contentType: 'application/pdf', size: MAX_EXTRACT_BYTES }).success).toBe(
      true,
    );
    expect(
      uploadBody.safeParse({ contentType: 'application/pdf', size: MAX_EXTRACT_BYTES + 1 }).success,
    ).toBe(false);
    expect(uploadBody.safeParse({ contentType: 'application/pdf', size: 0 }).success).toBe(false);
    expect(uploadBody.safeParse({ contentType: 'image/png', size: 10 }).success).toBe(false);
    expect(uploadBody.safeParse({ contentType: 'application/pdf', size: 1.5 }).success).toBe(false);
  });

  it('refuses Belgium, unknown fields and registry numbers without letters or digits in a foreign registration', () => {
    const valid = { name: 'SARL X', country: 'FR', registrationNumber: 'RCS 123', address, uploadId: ulid };

    expect(foreignRegistrationBody.safeParse(valid).success).toBe(true);
    expect(foreignRegistrationBody.safeParse({ ...valid, country: 'BE' }).success).toBe(false);
    expect(foreignRegistrationBody.safeParse({ ...valid, registrationNumber: '--' }).success).toBe(false);
    expect(foreignRegistrationBody.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(foreignRegistrationBody.safeParse({ ...valid, uploadId: 'x' }).success).toBe(false);
  });

  it('requires a reason to reject but not to approve', () => {
    expect(decisionBody.safeParse({ decision: 'approve' }).success).toBe(true);
    expect(decisionBody.safeParse({ decision: 'reject' }).success).toBe(false);
    expect(decisionBody.safeParse({ decision: 'reject', reason: 'Old extract' }).success).toBe(true);
    expect(decisionBody.safeParse({ decision: 'request-correction', reason: 'x' }).success).toBe(false);
  });
});

describe('S3 upload store', () => {
  const store = async () =>
    createS3UploadStore({
      bucketName: 'bucket',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      client: await createS3Client(
        {},
        { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      ),
    });

  it('signs the key under the person, the type, the size, SSE-KMS and the unused tag when creating an upload', async () => {
    const upload = await (await store()).createUpload('P1', 'U1', 1234, new Date('2026-01-01T00:00:00Z'));
    const url = new URL(upload.url);

    expect(url.pathname).toBe('/uploads/P1/U1.pdf');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id;x-amz-tagging',
    );
    expect([...url.searchParams.keys()].some((key) => key.toLowerCase().startsWith('x-amz-checksum'))).toBe(
      false,
    );
    expect(upload.headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': '1234',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:123456789012:key/k',
      'x-amz-tagging': 'state=unused',
    });
    expect(upload.expiresAt).toBe('2026-01-01T00:05:00.000Z');
  });

  it('answers undefined when nothing was uploaded and reads only the first 5 bytes otherwise', async () => {
    s3.on(HeadObjectCommand, { Key: 'uploads/P1/missing.pdf' }).rejects(
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(HeadObjectCommand, { Key: 'uploads/P1/U1.pdf' }).resolves({
      ContentLength: 99,
      ContentType: 'application/pdf',
    });
    s3.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(Buffer.from('%PDF-')) } as never,
    });

    expect(await (await store()).inspect('uploads/P1/missing.pdf')).toBeUndefined();
    const found = await (await store()).inspect('uploads/P1/U1.pdf');

    expect(found?.size).toBe(99);
    expect(isPdfMagic(found?.head ?? Buffer.alloc(0))).toBe(true);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Key: 'uploads/P1/U1.pdf', Range: 'bytes=0-4' });
  });

  it('seals an upload by copying it to a per-registration key that is never overwritten', async () => {
    s3.on(CopyObjectCommand).resolves({});

    const key = await (await store()).seal('P1', 'U1', 'R1');

    expect(key).toBe('uploads/P1/U1/R1.pdf');
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Key: 'uploads/P1/U1/R1.pdf',
      CopySource: expect.stringMatching(/\/uploads\/P1\/U1\.pdf$/),
      IfNoneMatch: '*',
      TaggingDirective: 'REPLACE',
      Tagging: 'state=unused',
      ServerSideEncryption: 'aws:kms',
    });
  });

  it('answers undefined when sealing an upload that does not exist', async () => {
    s3.on(CopyObjectCommand).rejects(
      Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );

    expect(await (await store()).seal('P1', 'missing', 'R1')).toBeUndefined();
  });

  it('turns S3 throttling into a TransientError when retagging', async () => {
    s3.on(PutObjectTaggingCommand).rejects(
      Object.assign(new Error('slow'), { name: 'SlowDown', $fault: 'server' }),
    );

    await expect((await store()).setState('uploads/P1/U1/R1.pdf', 'attached')).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('recognises the PDF signature only at the start of the file', () => {
    expect(isPdfMagic(Buffer.from('%PDF-1.7'))).toBe(true);
    expect(isPdfMagic(Buffer.from(' %PDF-'))).toBe(false);
    expect(isPdfMagic(Buffer.from('%PDF'))).toBe(false);
  });
});
