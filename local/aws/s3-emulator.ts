/**
 * An in-memory emulation of the subset of the S3 REST API the platform uses, for the sandbox and the
 * integration tests: path-style requests under a prefix (`/local/aws/s3/<bucket>/<key>`), every one
 * authenticated with AWS Signature Version 4 — in the `Authorization` header (SDK calls) or in the
 * query string (presigned URLs) — against fixed credentials (local/aws/sigv4.ts), so a wrong
 * signature, a header changed after signing or an expired link fails here as it would on S3.
 *
 * Operations: PutObject (with `x-amz-tagging`, SSE headers kept as metadata), HeadObject, GetObject
 * (with `Range: bytes=a-b` and the `response-content-*` overrides of presigned GETs),
 * PutObjectTagging, GetObjectTagging, DeleteObject, CopyObject (`x-amz-copy-source` within the
 * emulator, `x-amz-tagging-directive`, `x-amz-metadata-directive: COPY`, and the conditional
 * `If-None-Match: *` that never overwrites: 412 `PreconditionFailed`). Errors are S3's XML bodies with S3's codes
 * (`NoSuchKey`, `SignatureDoesNotMatch`, `AccessDenied`, `InvalidRange`…). Nothing else is emulated:
 * no ACLs, multipart, versions or lifecycle rules.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCredentials, localRegion } from '#local/dynamodb-local';
import { parseQuery, SigV4Rejection, type SigV4RejectionReason, verifySigV4 } from './sigv4.ts';

/** Where the sandbox mounts the emulator. */
export const S3_EMULATOR_PREFIX = '/local/aws/s3';

/** One stored object. */
export interface EmulatedObject {
  bucket: string;
  key: string;
  body: Buffer;
  contentType: string;
  tags: Record<string, string>;
  /** Request headers S3 keeps as object properties (`x-amz-server-side-encryption…`). */
  metadata: Record<string, string>;
  lastModified: Date;
  etag: string;
}

/** Options of {@link createS3Emulator}. */
export interface S3EmulatorOptions {
  /** @default {@link S3_EMULATOR_PREFIX} */
  prefix?: string;
  /** @default the dummy credentials of DynamoDB Local (`localCredentials`) */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** @default `localRegion` */
  region?: string;
  /** @default the real clock */
  now?: () => Date;
  /** Largest request body accepted. @default 16 MiB */
  maxBodyBytes?: number;
}

/** The emulator: a request handler and a view of what it stores. */
export interface S3Emulator {
  /**
   * Handles a request under the prefix and answers it; returns false (without answering) for any
   * other path, so it can be mounted next to other handlers.
   */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** A stored object, or `undefined`. */
  getObject(bucket: string, key: string): EmulatedObject | undefined;
  /** Every stored object. */
  list(): EmulatedObject[];
  /** Forgets every object. */
  clear(): void;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

/** S3 allows 15 minutes of clock skew for header-signed requests, and presigned links of up to 7 days. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

/** S3's answer to each refused signature. */
const SIGNATURE_ERRORS: Record<SigV4RejectionReason, [status: number, code: string, message: string]> = {
  missing: [403, 'AccessDenied', 'Anonymous access is not allowed.'],
  malformed: [400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.'],
  'missing-payload-hash': [400, 'InvalidRequest', 'Missing x-amz-content-sha256.'],
  'unsupported-algorithm': [400, 'AuthorizationQueryParametersError', 'Unsupported algorithm.'],
  'unknown-access-key': [403, 'InvalidAccessKeyId', 'The access key id does not exist.'],
  'wrong-scope': [400, 'AuthorizationHeaderMalformed', 'The credential scope is not valid here.'],
  'bad-date': [403, 'AccessDenied', 'The request date is missing or not valid.'],
  'host-unsigned': [403, 'AccessDenied', 'The host header must be signed.'],
  skewed: [403, 'RequestTimeTooSkewed', 'The difference between the request time and now is too large.'],
  'bad-expires': [400, 'AuthorizationQueryParametersError', 'X-Amz-Expires is not valid.'],
  expired: [403, 'AccessDenied', 'Request has expired'],
  'not-yet-valid': [403, 'AccessDenied', 'Request is not valid yet'],
  'signature-mismatch': [
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
  ],
  'payload-mismatch': [
    400,
    'XAmzContentSHA256Mismatch',
    'The provided x-amz-content-sha256 does not match the body.',
  ],
};

interface ParsedRequest {
  method: string;
  /** The raw (still encoded) path, as signed. */
  rawPath: string;
  /** The raw query string, as signed. */
  rawQuery: string;
  /** Raw query pairs, decoded. */
  query: [string, string][];
  headers: Record<string, string>;
  body: Buffer;
}

function headerMap(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Verifies the SigV4 signature of a request (header or query form); throws S3Error when it fails. */
async function verifySignature(
  request: ParsedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  now: Date,
): Promise<void> {
  try {
    await verifySigV4(
      {
        method: request.method,
        path: request.rawPath,
        query: request.rawQuery,
        headers: request.headers,
        body: request.body,
      },
      {
        credentials,
        region,
        service: 's3',
        now,
        maxSkewMs: MAX_SKEW_MS,
        payload: 'x-amz-content-sha256',
        maxPresignedSeconds: MAX_EXPIRES_SECONDS,
      },
    );
  } catch (error) {
    if (!(error instanceof SigV4Rejection)) throw error;
    const [status, code, message] = SIGNATURE_ERRORS[error.reason];
    throw new S3Error(status, code, message);
  }
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlUnescape(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseTagging(header: string): Record<string, string> {
  return Object.fromEntries(parseQuery(header));
}

function parseTagSet(xml: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [, inner = ''] of xml.matchAll(/<Tag>([\s\S]*?)<\/Tag>/g)) {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(inner)?.[1];
    const value = /<Value>([\s\S]*?)<\/Value>/.exec(inner)?.[1] ?? '';
    if (key === undefined) throw new S3Error(400, 'MalformedXML', 'A tag has no key.');
    tags[xmlUnescape(key)] = xmlUnescape(value);
  }
  return tags;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit)
      throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const KEPT_HEADERS = ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'];

/** Creates an emulator; mount {@link S3Emulator.handle} on a `node:http` server. */
export function createS3Emulator(options: S3EmulatorOptions = {}): S3Emulator {
  const prefix = (options.prefix ?? S3_EMULATOR_PREFIX).replace(/\/+$/, '');
  const credentials = options.credentials ?? localCredentials;
  const region = options.region ?? localRegion;
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const objects = new Map<string, EmulatedObject>();
  const id = (bucket: string, key: string) => `${bucket}/${key}`;

  const send = (
    response: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body?: Buffer | string,
  ) => {
    response.writeHead(status, { 'x-amz-request-id': 'LOCAL', ...headers });
    response.end(body);
  };
  const sendError = (response: ServerResponse, method: string, error: S3Error, resource: string) => {
    const body =
      method === 'HEAD'
        ? undefined
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>LOCAL</RequestId></Error>`;
    send(response, error.status, { 'content-type': 'application/xml' }, body);
  };

  const route = (request: ParsedRequest, bucket: string, key: string, response: ServerResponse) => {
    const has = (name: string) => request.query.some(([k]) => k === name);
    const stored = objects.get(id(bucket, key));
    const missing = () => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    if (key === '') throw new S3Error(405, 'MethodNotAllowed', 'Only object operations are emulated.');

    if (request.method === 'PUT' && has('tagging')) {
      if (!stored) throw missing();
      stored.tags = parseTagSet(request.body.toString('utf8'));
      return send(response, 200, {});
    }
    if (request.method === 'GET' && has('tagging')) {
      if (!stored) throw missing();
      const tags = Object.entries(stored.tags)
        .map(([k, v]) => `<Tag><Key>${xmlEscape(k)}</Key><Value>${xmlEscape(v)}</Value></Tag>`)
        .join('');
      return send(
        response,
        200,
        { 'content-type': 'application/xml' },
        `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging><TagSet>${tags}</TagSet></Tagging>`,
      );
    }
    if (request.method === 'PUT' && request.headers['x-amz-copy-source'] !== undefined) {
      const source = decodeURIComponent(request.headers['x-amz-copy-source'].split('?')[0] ?? '').replace(
        /^\//,
        '',
      );
      const from = objects.get(source);
      if (!from) throw missing();
      if (request.headers['if-none-match'] === '*' && stored) {
        throw new S3Error(
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
      }
      const replaceTags = request.headers['x-amz-tagging-directive'] === 'REPLACE';
      const copied: EmulatedObject = {
        bucket,
        key,
        // A snapshot: later writes to the source leave the copy as it was.
        body: Buffer.from(from.body),
        contentType: from.contentType,
        tags: replaceTags ? parseTagging(request.headers['x-amz-tagging'] ?? '') : { ...from.tags },
        metadata: {
          ...from.metadata,
          ...Object.fromEntries(
            KEPT_HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => [
              name,
              request.headers[name] ?? '',
            ]),
          ),
        },
        lastModified: now(),
        etag: from.etag,
      };
      objects.set(id(bucket, key), copied);
      return send(
        response,
        200,
        { 'content-type': 'application/xml' },
        `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><LastModified>${copied.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(copied.etag)}</ETag></CopyObjectResult>`,
      );
    }
    if (request.method === 'PUT') {
      const declared = request.headers['content-length'];
      if (declared !== undefined && Number(declared) !== request.body.length) {
        throw new S3Error(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length header.',
        );
      }
      const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
      objects.set(id(bucket, key), {
        bucket,
        key,
        body: request.body,
        contentType: request.headers['content-type'] ?? 'binary/octet-stream',
        tags: request.headers['x-amz-tagging'] ? parseTagging(request.headers['x-amz-tagging']) : {},
        metadata: Object.fromEntries(
          KEPT_HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => [
            name,
            request.headers[name] ?? '',
          ]),
        ),
        lastModified: now(),
        etag,
      });
      return send(response, 200, { etag });
    }
    if (request.method === 'DELETE') {
      objects.delete(id(bucket, key));
      return send(response, 204, {});
    }
    if (request.method === 'HEAD' || request.method === 'GET') {
      if (!stored) throw missing();
      const query = Object.fromEntries(request.query);
      const headers: Record<string, string> = {
        'content-type': query['response-content-type'] ?? stored.contentType,
        etag: stored.etag,
        'last-modified': stored.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        ...stored.metadata,
        ...(Object.keys(stored.tags).length > 0
          ? { 'x-amz-tagging-count': String(Object.keys(stored.tags).length) }
          : {}),
        ...(query['response-content-disposition']
          ? { 'content-disposition': query['response-content-disposition'] }
          : {}),
      };
      const range = request.method === 'GET' ? request.headers.range : undefined;
      if (range !== undefined) {
        const match = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
        const size = stored.body.length;
        const start = match ? Number(match[1]) : Number.NaN;
        const end = match?.[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
        if (!match || start >= size || start > end) {
          throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable');
        }
        const part = stored.body.subarray(start, end + 1);
        return send(
          response,
          206,
          {
            ...headers,
            'content-length': String(part.length),
            'content-range': `bytes ${start}-${end}/${size}`,
          },
          part,
        );
      }
      const body = request.method === 'HEAD' ? undefined : stored.body;
      return send(response, 200, { ...headers, 'content-length': String(stored.body.length) }, body);
    }
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  };

  return {
    async handle(request, response) {
      const url = request.url ?? '/';
      const queryIndex = url.indexOf('?');
      const rawPath = queryIndex < 0 ? url : url.slice(0, queryIndex);
      if (rawPath !== prefix && !rawPath.startsWith(`${prefix}/`)) return false;
      const method = (request.method ?? 'GET').toUpperCase();
      const relative = rawPath.slice(prefix.length + 1);
      const slash = relative.indexOf('/');
      const bucket = decodeURIComponent(slash < 0 ? relative : relative.slice(0, slash));
      const key = slash < 0 ? '' : decodeURIComponent(relative.slice(slash + 1));
      try {
        const rawQuery = queryIndex < 0 ? '' : url.slice(queryIndex + 1);
        const parsed: ParsedRequest = {
          method,
          rawPath,
          rawQuery,
          query: parseQuery(rawQuery),
          headers: headerMap(request),
          body: await readBody(request, maxBodyBytes),
        };
        if (bucket === '') throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.');
        await verifySignature(parsed, credentials, region, now());
        route(parsed, bucket, key, response);
      } catch (error) {
        const s3Error =
          error instanceof S3Error
            ? error
            : new S3Error(500, 'InternalError', 'We encountered an internal error.');
        sendError(response, method, s3Error, `/${bucket}/${key}`);
      }
      return true;
    },
    getObject: (bucket, key) => objects.get(id(bucket, key)),
    list: () => [...objects.values()],
    clear: () => objects.clear(),
  };
}

/** A running stand-alone emulator (tests): its endpoint for `S3Client({ endpoint, forcePathStyle })`. */
export interface RunningS3Emulator {
  emulator: S3Emulator;
  /** `http://127.0.0.1:<port>/local/aws/s3` */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts {@link createS3Emulator} on its own `node:http` server on a free port of 127.0.0.1. */
export async function startS3Emulator(options: S3EmulatorOptions = {}): Promise<RunningS3Emulator> {
  const emulator = createS3Emulator(options);
  const server = createServer((request, response) => {
    void emulator.handle(request, response).then((handled) => {
      if (!handled) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const prefix = (options.prefix ?? S3_EMULATOR_PREFIX).replace(/\/+$/, '');
  return {
    emulator,
    endpoint: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
