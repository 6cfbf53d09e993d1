/**
 * S3 in the sandbox: local/aws/s3-emulator.ts mounted at `/local/aws/s3` (path style, SigV4 checked
 * against the sandbox's dummy credentials), with what the template says about its buckets:
 * - only the template's buckets exist (by their local names, {@link localBucketName}); any other
 *   bucket answers S3's `NoSuchBucket`;
 * - each bucket's `CorsConfiguration` answers browser preflights and decorates responses as S3 does,
 *   so a portal on another origin (the dev stage registers `http://localhost:3000`) can upload.
 *
 * Not emulated: lifecycle rules (unused uploads are never expired or deleted; the tags that drive
 * the rules are stored and readable), bucket policies (TLS only), encryption (the SSE-KMS headers
 * are checked by the signature and kept as metadata, the bytes are stored as sent).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createS3Emulator, S3_EMULATOR_PREFIX, type S3Emulator } from '#local/aws/s3-emulator';
import { localBucketName } from './functions.ts';
import { type CfnTemplate, resourcesOfType } from './template.ts';

/** One CORS rule of a bucket (the template's `CorsRules` entry). */
export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge?: number;
}

/** A bucket of the template, as the sandbox serves it. */
export interface PlannedBucket {
  logicalId: string;
  /** Its local name (what `Ref` resolves to in the functions' environment). */
  name: string;
  cors: CorsRule[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The buckets of the given templates with their CORS rules. */
export function bucketsOf(...templates: CfnTemplate[]): PlannedBucket[] {
  return templates.flatMap((template) =>
    resourcesOfType(template, 'AWS::S3::Bucket').map(([logicalId, resource]) => {
      const rules = ((resource.Properties?.CorsConfiguration ?? {}) as { CorsRules?: unknown }).CorsRules;
      return {
        logicalId,
        name: localBucketName(logicalId),
        cors: (Array.isArray(rules) ? (rules as Record<string, unknown>[]) : []).map((rule) => ({
          allowedOrigins: strings(rule.AllowedOrigins),
          allowedMethods: strings(rule.AllowedMethods),
          allowedHeaders: strings(rule.AllowedHeaders),
          exposedHeaders: strings(rule.ExposedHeaders),
          ...(typeof rule.MaxAge === 'number' ? { maxAge: rule.MaxAge } : {}),
        })),
      };
    }),
  );
}

/** S3's wildcard match: one `*` stands for any characters. */
function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule that allows `origin`, `method` and every header of `headers`, as S3 picks it. */
export function matchCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  headers: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => wildcardMatch(allowed, origin)) &&
      rule.allowedMethods.includes(method.toUpperCase()) &&
      headers.every((header) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, header, true))),
  );
}

const CORS_REFUSED =
  'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, ' +
  'request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted ' +
  "by the resource's CORS spec.";

function xmlError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
): void {
  const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'LOCAL' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>` +
      `<Resource>${xml(resource)}</Resource><RequestId>LOCAL</RequestId></Error>`,
  );
}

/** The sandbox's S3: the emulator, the template's buckets and their CORS rules. */
export interface SandboxS3 {
  /** Answers requests under `/local/aws/s3`; resolves `false` for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  emulator: S3Emulator;
}

/** Creates the sandbox's S3 over `buckets`. */
export function createSandboxS3(buckets: readonly PlannedBucket[]): SandboxS3 {
  const emulator = createS3Emulator({ prefix: S3_EMULATOR_PREFIX });
  const byName = new Map(buckets.map((bucket) => [bucket.name, bucket]));
  return {
    emulator,
    async handle(req, res) {
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      if (rawPath !== S3_EMULATOR_PREFIX && !rawPath.startsWith(`${S3_EMULATOR_PREFIX}/`)) return false;
      const relative = rawPath.slice(S3_EMULATOR_PREFIX.length + 1);
      const bucketName = decodeURIComponent(relative.split('/')[0] ?? '');
      const bucket = byName.get(bucketName);
      if (!bucket) {
        req.resume();
        xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `/${bucketName}`);
        return true;
      }
      const origin = req.headers.origin;
      if (req.method === 'OPTIONS') {
        req.resume();
        const method = req.headers['access-control-request-method'];
        const requested = String(req.headers['access-control-request-headers'] ?? '')
          .split(',')
          .map((header) => header.trim())
          .filter(Boolean);
        const rule =
          origin && typeof method === 'string'
            ? matchCorsRule(bucket.cors, origin, method, requested)
            : undefined;
        if (!rule || !origin) {
          xmlError(res, 403, 'AccessForbidden', CORS_REFUSED, rawPath);
          return true;
        }
        res.writeHead(200, {
          'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
          'access-control-allow-methods': rule.allowedMethods.join(', '),
          ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(', ') } : {}),
          ...(rule.exposedHeaders.length > 0
            ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') }
            : {}),
          ...(rule.maxAge === undefined ? {} : { 'access-control-max-age': String(rule.maxAge) }),
          vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
          'x-amz-request-id': 'LOCAL',
        });
        res.end();
        return true;
      }
      const rule = origin ? matchCorsRule(bucket.cors, origin, req.method ?? 'GET') : undefined;
      if (rule && origin) {
        res.setHeader('access-control-allow-origin', rule.allowedOrigins.includes('*') ? '*' : origin);
        res.setHeader('access-control-allow-methods', rule.allowedMethods.join(', '));
        if (rule.exposedHeaders.length > 0) {
          res.setHeader('access-control-expose-headers', rule.exposedHeaders.join(', '));
        }
        res.setHeader('vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
      }
      return emulator.handle(req, res);
    },
  };
}
