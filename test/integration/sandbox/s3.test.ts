import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_EMULATOR_PREFIX } from '#local/aws/s3-emulator';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { localBucketName } from '#local/server/functions';
import { planFromTemplates } from '#local/server/plan';
import { createSandboxS3, matchCorsRule, type SandboxS3 } from '#local/server/s3';
import { synthesizeStage } from '#local/server/template';
import { createS3Client, createS3UploadStore } from '../../../lambdas/organisations/uploads.ts';

const dev = synthesizeStage('dev');
const { buckets } = planFromTemplates(dev.accessTemplate, dev.dataTemplate, 'local-table');
const upload = buckets.find((bucket) => bucket.logicalId.startsWith('UploadBucket'));
const PORTAL = 'http://localhost:3000';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

let server: Server;
let s3: SandboxS3;
let endpoint: string;
let client: S3Client;

beforeAll(async () => {
  s3 = createSandboxS3(buckets);
  server = createServer((req, res) => {
    void s3.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}${S3_EMULATOR_PREFIX}`;
  client = await createS3Client(
    { AWS_ENDPOINT_URL_S3: endpoint },
    { endpoint, region: localRegion, credentials: localCredentials },
  );
});

afterAll(async () => {
  client?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the sandbox S3 (local/server/s3.ts)', () => {
  it('takes a presigned upload and serves the presigned download when the bucket is the template upload bucket', async () => {
    const store = createS3UploadStore({
      bucketName: upload?.name ?? '',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/TableKey',
      client,
    });
    const now = new Date();
    const put = await store.createUpload('person-1', '01J00000000000000000000001', PDF.length, now);
    const { 'content-length': _, ...headers } = put.headers;

    const stored = await fetch(put.url, {
      method: 'PUT',
      headers: { ...headers, origin: PORTAL },
      body: PDF,
    });
    const sealed = String(await store.seal('person-1', '01J00000000000000000000001', 'R1'));
    const download = await fetch((await store.downloadUrl(sealed, 'R1', now)).url);

    expect(stored.status).toBe(200);
    expect(stored.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    expect(await store.inspect(sealed)).toMatchObject({ size: PDF.length });
  });

  it('answers NoSuchBucket when the bucket is not one of the template', async () => {
    const answer = client.send(new HeadObjectCommand({ Bucket: 'uploadbucketd2c1da78', Key: 'x' }));

    await expect(answer).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const text = await (await fetch(`${endpoint}/other-bucket/key`)).text();
    expect(text).toContain('<Code>NoSuchBucket</Code>');
  });

  it('allows the preflight of an upload when the origin and headers are in the bucket CORS rule', async () => {
    const preflight = await fetch(`${endpoint}/${upload?.name}/uploads/p/u.pdf`, {
      method: 'OPTIONS',
      headers: {
        origin: PORTAL,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-tagging,x-amz-server-side-encryption',
      },
    });

    expect(preflight.status).toBe(200);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': PORTAL,
      'access-control-allow-methods': 'PUT, GET',
      'access-control-allow-headers': 'content-type, x-amz-tagging, x-amz-server-side-encryption',
      'access-control-max-age': '3600',
    });
  });

  it.each([
    ['another origin', 'https://evil.example', 'PUT', 'content-type'],
    ['a method the rule lacks', PORTAL, 'DELETE', ''],
    ['a header the rule lacks', PORTAL, 'PUT', 'content-type,x-amz-acl'],
  ])('refuses the preflight as S3 does when it has %s', async (_, origin, method, requested) => {
    const preflight = await fetch(`${endpoint}/${upload?.name}/uploads/p/u.pdf`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        ...(requested ? { 'access-control-request-headers': requested } : {}),
      },
    });

    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(await preflight.text()).toContain('<Code>AccessForbidden</Code>');
  });
});

describe('matchCorsRule', () => {
  it('matches one wildcard in an origin and headers case-insensitively when the rule has them', () => {
    const rules = [
      {
        allowedOrigins: ['https://*.example.be'],
        allowedMethods: ['GET'],
        allowedHeaders: ['X-Amz-*'],
        exposedHeaders: [],
      },
    ];

    expect(matchCorsRule(rules, 'https://portal.example.be', 'GET', ['x-amz-date'])).toBe(rules[0]);
    expect(matchCorsRule(rules, 'https://example.be', 'GET')).toBeUndefined();
    expect(localBucketName('UploadBucketD2C1DA78')).toBe('sandbox-uploadbucketd2c1da78');
  });
});
