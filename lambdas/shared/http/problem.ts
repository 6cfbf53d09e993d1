/**
 * The one place where thrown values become HTTP responses: `application/problem+json` (RFC 9457)
 * with the statuses of ARCHITECTURE.md section 3.
 *
 * Problem `type` URIs are stable and are part of the API contract (clients switch on them):
 *
 * | status | type                                                  | raised by                          |
 * |--------|-------------------------------------------------------|------------------------------------|
 * | 400    | `urn:eid-access:problem:validation`                   | `ValidationError`, any `ZodError`  |
 * | 401    | `urn:eid-access:problem:unauthenticated`              | `UnauthorizedError`                |
 * | 403    | `urn:eid-access:problem:forbidden`                    | `ForbiddenError`                   |
 * | 403    | `urn:eid-access:problem:login-refused:<reason>`       | `LoginRefusedError` (sandbox login)|
 * | 404    | `urn:eid-access:problem:not-found`                    | `NotFoundError`                    |
 * | 409    | `urn:eid-access:problem:conflict`                     | `ConflictError`                    |
 * | 413    | `urn:eid-access:problem:payload-too-large`            | `PayloadTooLargeError`             |
 * | 415    | `urn:eid-access:problem:unsupported-media-type`       | `UnsupportedMediaTypeError`        |
 * | 422    | `urn:eid-access:problem:rule-violation`               | `RuleViolationError`               |
 * | 429    | `urn:eid-access:problem:too-many-requests`            | `TooManyRequestsError`             |
 * | 500    | `urn:eid-access:problem:internal`                     | anything else                      |
 *
 * A `DomainError` subclass with another 4xx status renders as `about:blank` (RFC 9457 §4.2.1: no
 * semantics beyond the status) until it gets its own row here.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { DomainError, type FieldProblem, LoginRefusedError, ValidationError } from '#shared/errors';
import { createLogger } from '#shared/logger';
import { redactString } from '#shared/redact';

/** An RFC 9457 problem document as this API renders it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Only for validation problems: one entry per offending field. */
  errors?: FieldProblem[];
}

const PROBLEM_PREFIX = 'urn:eid-access:problem:';

/** The stable problem `type` URIs, by kind. */
export const PROBLEM_TYPES = {
  validation: `${PROBLEM_PREFIX}validation`,
  unauthenticated: `${PROBLEM_PREFIX}unauthenticated`,
  forbidden: `${PROBLEM_PREFIX}forbidden`,
  notFound: `${PROBLEM_PREFIX}not-found`,
  conflict: `${PROBLEM_PREFIX}conflict`,
  payloadTooLarge: `${PROBLEM_PREFIX}payload-too-large`,
  unsupportedMediaType: `${PROBLEM_PREFIX}unsupported-media-type`,
  ruleViolation: `${PROBLEM_PREFIX}rule-violation`,
  tooManyRequests: `${PROBLEM_PREFIX}too-many-requests`,
  internal: `${PROBLEM_PREFIX}internal`,
} as const;

/** The `type` of a refused login: one URI per {@link LoginRefusedError.reason}. */
export function loginRefusedProblemType(reason: string): string {
  return `${PROBLEM_PREFIX}login-refused:${reason}`;
}

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: PROBLEM_TYPES.validation,
  401: PROBLEM_TYPES.unauthenticated,
  403: PROBLEM_TYPES.forbidden,
  404: PROBLEM_TYPES.notFound,
  409: PROBLEM_TYPES.conflict,
  413: PROBLEM_TYPES.payloadTooLarge,
  415: PROBLEM_TYPES.unsupportedMediaType,
  422: PROBLEM_TYPES.ruleViolation,
  429: PROBLEM_TYPES.tooManyRequests,
};

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Headers every API response carries, success or problem. */
export const BASE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const INTERNAL_DETAIL = 'Something went wrong on our side. Please try again later.';

/**
 * Renders a zod issue path the way the `errors[].path` of the contract reads: dotted, array indices
 * as segments (`address.postalCode`, `items.0.name`); the root is the empty string. `prefix` names
 * where the value came from (`query`, `path`) so that `query.limit` cannot be confused with a body
 * field called `limit`.
 */
export function formatIssuePath(path: readonly PropertyKey[], prefix?: string): string {
  const segments = path.map((segment) =>
    typeof segment === 'symbol' ? segment.toString() : String(segment),
  );
  return [...(prefix ? [prefix] : []), ...segments].join('.');
}

/**
 * Zod issues as field problems. An unknown-key issue becomes one problem per key, at the key's own
 * path, because that is the field a client has to remove. Zod's messages describe the expected shape
 * and never echo the input, so personal data does not come back in the problem document.
 */
export function fieldProblemsFromZod(error: z.ZodError, prefix?: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ path: formatIssuePath([...issue.path, key], prefix), message: 'Unknown field' });
      }
    } else {
      problems.push({ path: formatIssuePath(issue.path, prefix), message: issue.message, ...codeOf(issue) });
    }
  }
  return problems;
}

/** The stable code and params a custom issue carries in `params.code` (text policy problems). */
function codeOf(issue: z.core.$ZodIssue): Pick<FieldProblem, 'code' | 'params'> {
  if (issue.code !== 'custom' || typeof issue.params?.code !== 'string') return {};
  const { code, ...params } = issue.params as Record<string, string | number>;
  return Object.keys(params).length > 0 ? { code: String(code), params } : { code: String(code) };
}

/** A {@link ValidationError} carrying the field problems of a zod failure (and the failure as cause). */
export function validationErrorFromZod(error: z.ZodError, prefix?: string): ValidationError {
  const errors = fieldProblemsFromZod(error, prefix);
  const detail = errors.length === 1 ? 'One field is invalid.' : `${errors.length} fields are invalid.`;
  return new ValidationError(detail, errors, { cause: error });
}

/**
 * The problem document for any thrown value, without side effects. Domain errors keep their
 * (safe-to-show) message as `detail`; a `ZodError` that escaped a use case is treated as invalid
 * input; anything else is a 500 whose detail says nothing about the cause.
 */
export function toProblem(error: unknown): Problem {
  const known = error instanceof z.ZodError ? validationErrorFromZod(error) : error;
  if (!(known instanceof DomainError) || known.status < 400 || known.status > 499) {
    return { type: PROBLEM_TYPES.internal, title: 'Internal error', status: 500, detail: INTERNAL_DETAIL };
  }
  const type =
    known instanceof LoginRefusedError
      ? loginRefusedProblemType(known.reason)
      : (TYPE_BY_STATUS[known.status] ?? 'about:blank');
  const problem: Problem = {
    type,
    title: known.title,
    status: known.status,
    // Messages are written to be shown; redaction is a second line of defence, not the first.
    detail: redactString(known.message),
  };
  if (known instanceof ValidationError) problem.errors = known.errors;
  return problem;
}

/**
 * The HTTP layer's logger (service name from `POWERTOOLS_SERVICE_NAME`); route modules may reuse it
 * rather than create a second one.
 */
export const httpLogger: Logger = createLogger();

/**
 * Renders any thrown value as an API Gateway proxy result with `application/problem+json`, and logs
 * it: 5xx at error level with the error itself (the logger redacts personal data and tokens), 4xx at
 * info level with only status and type, because those are the caller's mistakes, not ours.
 */
export function problemResponse(error: unknown, logger: Logger = httpLogger): APIGatewayProxyResult {
  const problem = toProblem(error);
  if (problem.status >= 500) {
    if (error instanceof Error) logger.error('unexpected error', error);
    else logger.error('unexpected error', { thrown: String(error) });
  } else {
    logger.info('request refused', { status: problem.status, type: problem.type });
  }
  return {
    statusCode: problem.status,
    headers: { ...BASE_RESPONSE_HEADERS, 'Content-Type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
