/**
 * Trade-register extracts: the upload store port and its S3 implementation.
 *
 * The browser uploads straight to S3 with a presigned PUT; the function never handles the bytes. The
 * signature pins what S3 will accept: the key `uploads/<personId>/<uploadId>.pdf` (so an upload is
 * the caller's by construction), `Content-Type: application/pdf`, the exact `Content-Length` the
 * client declared (at most {@link MAX_EXTRACT_BYTES}), SSE-KMS with the bucket's key, and the tag
 * `state=unused` — a lifecycle rule deletes unused objects after a day.
 *
 * The presigned PUT stays valid for {@link LINK_TTL_SECONDS} after it was issued, so the uploaded
 * object can be replaced after a registration checked it. Attaching therefore **seals** the extract
 * first: CopyObject to `uploads/<personId>/<uploadId>/<registrationId>.pdf` (a key no presigned PUT
 * is ever issued for: upload ids are server-made ULIDs without `/`; `If-None-Match: *`, so a sealed
 * copy is never overwritten), then checks the sealed copy (size, type, the `%PDF-` magic bytes), and
 * only the sealed copy is ever reviewed or downloaded. The registration stores its key. The sealed
 * copy is tagged `attached` once the registration exists; a refused or expired registration retags
 * it `discarded` (deleted later by another rule). The original keeps `state=unused` and expires.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { TransientError } from '#shared/errors';
import { traceAwsClient } from '#shared/tracing';

type S3Sdk = typeof import('@aws-sdk/client-s3');
let s3Module: Promise<S3Sdk> | undefined;
let presignerModule: Promise<typeof import('@aws-sdk/s3-request-presigner')> | undefined;

/**
 * The S3 client module, loaded at the first call on an extract: the workflow tasks touch extracts only
 * when a registration is decided or expires, and the registrations function not on its review queue
 * or decisions, while loading the client is a sizeable part of a cold start.
 */
function s3Sdk(): Promise<S3Sdk> {
  s3Module ??= import('@aws-sdk/client-s3');
  return s3Module;
}

/**
 * The presigner, loaded at the first presigned URL: the workflow tasks that tag extracts never
 * presign, and the registrations function only on an upload or an officer's view of an extract.
 */
function presigner(): Promise<typeof import('@aws-sdk/s3-request-presigner')> {
  presignerModule ??= import('@aws-sdk/s3-request-presigner');
  return presignerModule;
}

/** The largest extract accepted (10 MiB). */
export const MAX_EXTRACT_BYTES = 10 * 1024 * 1024;
/** The only media type accepted. */
export const EXTRACT_CONTENT_TYPE = 'application/pdf';
/** How long an upload or download link is valid. */
export const LINK_TTL_SECONDS = 300;
/** Object tag whose value the lifecycle rules act on. */
export const UPLOAD_STATE_TAG = 'state';
/** Values of {@link UPLOAD_STATE_TAG}. */
export type UploadState = 'unused' | 'attached' | 'discarded';

/** A presigned request the browser must send exactly so (method, URL, every header). */
export interface PresignedRequest {
  url: string;
  /** Headers the client must send unchanged: they are part of the signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

/** What S3 says about an uploaded object. */
export interface UploadedObject {
  size: number;
  contentType: string | undefined;
  /** The first bytes of the object (at most 5). */
  head: Buffer;
}

/** What the organisations context needs from the extract storage. */
export interface UploadStore {
  /** A presigned PUT for a new extract of `size` bytes. */
  createUpload(personId: string, uploadId: string, size: number, now: Date): Promise<PresignedRequest>;
  /**
   * Copies the upload to its sealed key for `registrationId` (never overwriting one), tagged
   * `unused` until the registration exists.
   * @returns the sealed key, or `undefined` when nothing was uploaded under that id
   */
  seal(personId: string, uploadId: string, registrationId: string): Promise<string | undefined>;
  /** The object under `key`, or `undefined` when there is none. */
  inspect(key: string): Promise<UploadedObject | undefined>;
  /** Retags the object under `key` (which lifecycle rule applies). */
  setState(key: string, state: UploadState): Promise<void>;
  /** A presigned GET of the object under `key` (security officers), saved as `extract-<name>.pdf`. */
  downloadUrl(key: string, name: string, now: Date): Promise<PresignedRequest>;
}

/** The object key of an upload: under the person's prefix, so an upload id alone reaches nothing. */
export function uploadKey(personId: string, uploadId: string): string {
  return `uploads/${personId}/${uploadId}.pdf`;
}

/**
 * The sealed (reviewed) copy of an upload for one registration. Never the target of a presigned PUT:
 * {@link uploadKey} has no `/` after the person's prefix for server-made upload ids.
 */
export function sealedExtractKey(personId: string, uploadId: string, registrationId: string): string {
  return `uploads/${personId}/${uploadId}/${registrationId}.pdf`;
}

/** The key of the extract a registration is reviewed from: its sealed copy (or, before sealing, the upload). */
export function extractKeyOf(registration: {
  personId: string;
  uploadId: string;
  extractKey?: string | undefined;
}): string {
  return registration.extractKey ?? uploadKey(registration.personId, registration.uploadId);
}

/** True when `head` starts with the PDF signature `%PDF-`. */
export function isPdfMagic(head: Buffer): boolean {
  return head.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** Options of {@link createS3UploadStore}. */
export interface S3UploadStoreOptions {
  bucketName: string;
  /** ARN of the bucket's KMS key, signed into every upload. */
  kmsKeyArn: string;
  /** @default a client from the SDK configuration chain (path style when `AWS_ENDPOINT_URL_S3` is set) */
  client?: S3Client;
}

/**
 * A client for presigning: flexible checksums off (`WHEN_REQUIRED`), otherwise the presigner signs
 * the CRC32 of an empty body into the URL and S3 refuses every real upload. Path-style addressing
 * when an endpoint override is configured (the sandbox's S3 emulator).
 */
export async function createS3Client(
  env: NodeJS.ProcessEnv = process.env,
  config: S3ClientConfig = {},
): Promise<S3Client> {
  const { S3Client } = await s3Sdk();
  return traceAwsClient(
    new S3Client({
      forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
      ...config,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
  );
}

const TRANSIENT = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'TimeoutError',
]);

function translate(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fault = (error as Error & { $fault?: string }).$fault;
  if (TRANSIENT.has(error.name) || fault === 'server') {
    return new TransientError(`S3 is unavailable now (${error.name})`, { cause: error });
  }
  return error;
}

function isNotFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404)
  );
}

/** The S3 implementation of {@link UploadStore}. */
export function createS3UploadStore(options: S3UploadStoreOptions): UploadStore {
  let client: Promise<S3Client> | undefined;
  /** The client (created at the first call unless given) and the SDK's commands. */
  const s3 = async () => {
    client ??= options.client ? Promise.resolve(options.client) : createS3Client();
    return { client: await client, sdk: await s3Sdk() };
  };
  const Bucket = options.bucketName;
  const expiresAt = (now: Date) => new Date(now.getTime() + LINK_TTL_SECONDS * 1000).toISOString();

  return {
    async createUpload(personId, uploadId, size, now) {
      const headers = {
        'content-type': EXTRACT_CONTENT_TYPE,
        'content-length': String(size),
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': options.kmsKeyArn,
        'x-amz-tagging': `${UPLOAD_STATE_TAG}=unused`,
      };
      const [{ client, sdk }, { getSignedUrl }] = await Promise.all([s3(), presigner()]);
      const url = await getSignedUrl(
        client,
        new sdk.PutObjectCommand({
          Bucket,
          Key: uploadKey(personId, uploadId),
          ContentType: EXTRACT_CONTENT_TYPE,
          ContentLength: size,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: options.kmsKeyArn,
          Tagging: `${UPLOAD_STATE_TAG}=unused`,
        }),
        {
          expiresIn: LINK_TTL_SECONDS,
          signingDate: now,
          signableHeaders: new Set(['content-type', 'content-length']),
          // Kept as headers (not query parameters), so the browser must send exactly these values.
          unhoistableHeaders: new Set([
            'x-amz-server-side-encryption',
            'x-amz-server-side-encryption-aws-kms-key-id',
            'x-amz-tagging',
          ]),
        },
      );
      return { url, headers, expiresAt: expiresAt(now) };
    },

    async seal(personId, uploadId, registrationId) {
      const Key = sealedExtractKey(personId, uploadId, registrationId);
      const { client, sdk } = await s3();
      try {
        await client.send(
          new sdk.CopyObjectCommand({
            Bucket,
            Key,
            CopySource: `${Bucket}/${uploadKey(personId, uploadId)}`,
            IfNoneMatch: '*',
            TaggingDirective: 'REPLACE',
            Tagging: `${UPLOAD_STATE_TAG}=unused`,
            MetadataDirective: 'COPY',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: options.kmsKeyArn,
          }),
        );
        return Key;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw translate(error);
      }
    },

    async inspect(Key) {
      const { client, sdk } = await s3();
      try {
        const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key }));
        const size = Number(head.ContentLength ?? 0);
        const first =
          size > 0
            ? await client.send(new sdk.GetObjectCommand({ Bucket, Key, Range: 'bytes=0-4' }))
            : undefined;
        const bytes = first?.Body ? Buffer.from(await first.Body.transformToByteArray()) : Buffer.alloc(0);
        return { size, contentType: head.ContentType, head: bytes };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw translate(error);
      }
    },

    async setState(Key, state) {
      const { client, sdk } = await s3();
      try {
        await client.send(
          new sdk.PutObjectTaggingCommand({
            Bucket,
            Key,
            Tagging: { TagSet: [{ Key: UPLOAD_STATE_TAG, Value: state }] },
          }),
        );
      } catch (error) {
        throw translate(error);
      }
    },

    async downloadUrl(Key, name, now) {
      const [{ client, sdk }, { getSignedUrl }] = await Promise.all([s3(), presigner()]);
      const url = await getSignedUrl(
        client,
        new sdk.GetObjectCommand({
          Bucket,
          Key,
          ResponseContentType: EXTRACT_CONTENT_TYPE,
          ResponseContentDisposition: `attachment; filename="extract-${name}.pdf"`,
        }),
        { expiresIn: LINK_TTL_SECONDS, signingDate: now },
      );
      return { url, headers: {}, expiresAt: expiresAt(now) };
    },
  };
}
