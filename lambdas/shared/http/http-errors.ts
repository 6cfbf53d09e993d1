import { errorKind } from '#shared/errors';

/**
 * Errors of the HTTP protocol itself, raised only by the HTTP layer before any use case runs. They
 * are domain errors ({@link errorKind}), so the one problem+json mapping in `problem.ts` renders them
 * too.
 */

/** 413: the request body is larger than the API accepts. */
export class PayloadTooLargeError extends errorKind(413, 'Payload too large', 'payload-too-large') {}

/** 415: a request body that is not `application/json` (UTF-8). */
export class UnsupportedMediaTypeError extends errorKind(
  415,
  'Unsupported media type',
  'unsupported-media-type',
) {}
