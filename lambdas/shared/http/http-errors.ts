import { DomainError } from '#shared/errors';

/**
 * Errors of the HTTP protocol itself, raised only by the HTTP layer before any use case runs. They
 * extend {@link DomainError} so that the one problem+json mapping in `problem.ts` renders them too.
 */

/** 413: the request body is larger than the API accepts. */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Payload too large';
  protected override get defaultCode(): string {
    return 'payload-too-large';
  }
}

/** 415: a request body that is not `application/json` (UTF-8). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  protected override get defaultCode(): string {
    return 'unsupported-media-type';
  }
}
