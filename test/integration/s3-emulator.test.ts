import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningS3Emulator, startS3Emulator } from '#local/aws/s3-emulator';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { createS3UploadStore } from '../../lambdas/organisations/uploads.ts';

const BUCKET = 'extracts';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000000';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

let running: RunningS3Emulator;
let client: S3Client;

function s3Client(
  credentials: { accessKeyId: string; secretAccessKey: string } = localCredentials,
): S3Client {
  return new S3Client({
    endpoint: running.endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

beforeAll(async () => {
  running = await startS3Emulator();
  client = s3Client();
});

beforeEach(() => {
  running.emulator.clear();
});

afterAll(async () => {
  client?.destroy();
  await running?.close();
});

async function presignedPut(key: string, body: Buffer, expiresIn = 300) {
  return getSignedUrl(
    client,
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      ContentType: 'application/pdf',
      ContentLength: body.length,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KMS_KEY,
      Tagging: 'state=unused',
    }),
    {
      expiresIn,
      signableHeaders: new Set(['content-type', 'content-length']),
      unhoistableHeaders: new Set([
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
        'x-amz-tagging',
      ]),
    },
  );
}

const signedHeaders = (length: number) => ({
  'content-type': 'application/pdf',
  'content-length': String(length),
  'x-amz-server-side-encryption': 'aws:kms',
  'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
  'x-amz-tagging': 'state=unused',
});

describe('S3 emulator with the real SDK', () => {
  it('stores a presigned PUT with its type, tags and SSE headers when every signed header is sent', async () => {
    const url = await presignedPut('uploads/p1/u1.pdf', PDF);

    const response = await fetch(url, { method: 'PUT', headers: signedHeaders(PDF.length), body: PDF });

    expect(response.status).toBe(200);
    const stored = running.emulator.getObject(BUCKET, 'uploads/p1/u1.pdf');
    expect(stored?.body.equals(PDF)).toBe(true);
    expect(stored?.contentType).toBe('application/pdf');
    expect(stored?.tags).toEqual({ state: 'unused' });
    expect(stored?.metadata).toEqual({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
    });
  });

  it('refuses a presigned PUT with SignatureDoesNotMatch when a signed header is changed', async () => {
    const url = await presignedPut('uploads/p1/u2.pdf', PDF);

    const response = await fetch(url, {
      method: 'PUT',
      headers: { ...signedHeaders(PDF.length), 'content-type': 'text/html' },
      body: PDF,
    });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(running.emulator.getObject(BUCKET, 'uploads/p1/u2.pdf')).toBeUndefined();
  });

  it('refuses a presigned PUT when the body is larger than the signed Content-Length', async () => {
    const url = await presignedPut('uploads/p1/u3.pdf', PDF);
    const bigger = Buffer.concat([PDF, Buffer.from('more')]);

    const response = await fetch(url, { method: 'PUT', headers: signedHeaders(bigger.length), body: bigger });

    expect(response.status).toBe(403);
    expect(running.emulator.getObject(BUCKET, 'uploads/p1/u3.pdf')).toBeUndefined();
  });

  it('refuses a presigned PUT for another key when the path is altered', async () => {
    const url = await presignedPut('uploads/p1/u4.pdf', PDF);

    const response = await fetch(url.replace('/uploads/p1/', '/uploads/p2/'), {
      method: 'PUT',
      headers: signedHeaders(PDF.length),
      body: PDF,
    });

    expect(response.status).toBe(403);
    expect(running.emulator.list()).toEqual([]);
  });

  it('refuses an expired presigned URL with AccessDenied', async () => {
    const url = await presignedPut('uploads/p1/u5.pdf', PDF, 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    const response = await fetch(url, { method: 'PUT', headers: signedHeaders(PDF.length), body: PDF });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('refuses SDK calls signed with other credentials with InvalidAccessKeyId or SignatureDoesNotMatch', async () => {
    const stranger = s3Client({ accessKeyId: 'someone', secretAccessKey: 'else' });
    const wrongSecret = s3Client({ accessKeyId: localCredentials.accessKeyId, secretAccessKey: 'wrong' });

    await expect(stranger.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'x' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      wrongSecret.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'data' })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    stranger.destroy();
    wrongSecret.destroy();
  });

  it('answers HeadObject, a ranged GetObject and tagging when the SDK calls them', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'uploads/p1/u6.pdf',
        Body: PDF,
        ContentType: 'application/pdf',
      }),
    );

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/p1/u6.pdf' }));
    const range = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/p1/u6.pdf', Range: 'bytes=0-4' }),
    );
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key: 'uploads/p1/u6.pdf',
        Tagging: { TagSet: [{ Key: 'state', Value: 'attached' }] },
      }),
    );
    const tagging = await client.send(
      new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'uploads/p1/u6.pdf' }),
    );

    expect(head).toMatchObject({ ContentLength: PDF.length, ContentType: 'application/pdf' });
    expect(range.ContentRange).toBe(`bytes 0-4/${PDF.length}`);
    expect(await range.Body?.transformToString('latin1')).toBe('%PDF-');
    expect(tagging.TagSet).toEqual([{ Key: 'state', Value: 'attached' }]);
  });

  it('answers NotFound to HeadObject and NoSuchKey to GetObject when the key does not exist', async () => {
    await expect(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject(
      {
        name: 'NoSuchKey',
      },
    );
  });

  it('serves a presigned GET with the response overrides and deletes an object when asked', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a b/c.pdf', Body: PDF }));
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'a b/c.pdf',
        ResponseContentType: 'application/pdf',
        ResponseContentDisposition: 'attachment; filename="c.pdf"',
      }),
      { expiresIn: 60 },
    );

    const response = await fetch(url);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a b/c.pdf' }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="c.pdf"');
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    expect(running.emulator.getObject(BUCKET, 'a b/c.pdf')).toBeUndefined();
  });

  it('runs the organisations upload store end to end when pointed at the emulator', async () => {
    const store = createS3UploadStore({ bucketName: BUCKET, kmsKeyArn: KMS_KEY, client });
    const upload = await store.createUpload('P1', 'U1', PDF.length, new Date());

    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PDF });
    const sealed = String(await store.seal('P1', 'U1', 'R1'));
    // The upload link is still valid: the applicant replaces the object after the check.
    const replaced = await fetch(upload.url, {
      method: 'PUT',
      headers: upload.headers,
      body: Buffer.concat([Buffer.from('%PDF-X'), PDF.subarray(6)]),
    });
    const inspected = await store.inspect(sealed);
    await store.setState(sealed, 'attached');
    const download = await store.downloadUrl(sealed, 'R1', new Date());
    const fetched = await fetch(download.url);

    expect(put.status).toBe(200);
    expect(replaced.status).toBe(200);
    expect(sealed).toBe('uploads/P1/U1/R1.pdf');
    expect(inspected).toMatchObject({ size: PDF.length, contentType: 'application/pdf' });
    expect(inspected?.head.toString('latin1')).toBe('%PDF-');
    expect(running.emulator.getObject(BUCKET, sealed)?.tags).toEqual({ state: 'attached' });
    expect(running.emulator.getObject(BUCKET, 'uploads/P1/U1.pdf')?.tags).toEqual({ state: 'unused' });
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PDF)).toBe(true);
    expect(await store.inspect('uploads/P1/nothing.pdf')).toBeUndefined();
    expect(await store.seal('P1', 'nothing', 'R2')).toBeUndefined();
    await expect(store.seal('P1', 'U1', 'R1')).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    expect(Buffer.from(running.emulator.getObject(BUCKET, sealed)?.body ?? []).equals(PDF)).toBe(true);
  });
});
