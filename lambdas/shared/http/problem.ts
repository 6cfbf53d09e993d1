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

import type { APIGatewayProxyResult } from 'aws-lambda';
import { $ZodError, type $ZodIssue } from 'zod/v4/core';
import {
  DomainError,
  type FieldProblem,
  type FieldProblemCode,
  type FieldProblemParams,
  LoginRefusedError,
  ValidationError,
} from '#shared/errors';
import type { Logger } from '#shared/logger';
import { createLogger } from '#shared/logger';
import { redactString } from '#shared/redact';
import { fieldMessage, type ProblemLanguage, problemDetail } from './problem-text.ts';

/** A field problem as rendered: always with its code. */
export interface RenderedFieldProblem {
  path: string;
  message: string;
  code: FieldProblemCode;
  params?: FieldProblemParams;
}

/** An RFC 9457 problem document as this API renders it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** Stable machine code (ARCHITECTURE.md section 3): clients show their own sentence for it. */
  code: string;
  /** A fallback sentence in the caller's language (`Accept-Language`). */
  detail: string;
  /** Only for validation problems: one entry per offending field. */
  errors?: RenderedFieldProblem[];
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

/** Codes of `.regex()` checks, by the pattern's source (zod does not carry params on them). */
const PATTERN_CODES = new Map<string, FieldProblemCode>();

/**
 * Gives the field problems of a `.regex(pattern)` check the code `code` (zod keeps no parameters on
 * format checks, only the pattern). @returns `pattern`, to use inline.
 */
export function codedPattern(pattern: RegExp, code: FieldProblemCode): RegExp {
  PATTERN_CODES.set(String(pattern), code);
  return pattern;
}

/** Enumerations longer than this do not list their values in `params.allowed` (countries). */
const MAX_ALLOWED_LISTED = 20;

const FORMAT_CODES: Readonly<Record<string, FieldProblemCode>> = {
  date: 'invalid-date',
  datetime: 'invalid-date',
  email: 'invalid-email',
};

/** The code and parameters of one zod issue (never its input). */
function codeOfIssue(issue: $ZodIssue): { code: FieldProblemCode; params?: FieldProblemParams } {
  switch (issue.code) {
    case 'invalid_type':
      // Zod reports a missing value as a wrong type whose received value is undefined.
      return /received undefined$/.test(issue.message) || ('input' in issue && issue.input === undefined)
        ? { code: 'required' }
        : { code: 'invalid-type', params: { expected: String(issue.expected) } };
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? { code: 'required' }
          : { code: 'too-short', params: { limit: Number(issue.minimum) } };
      }
      return { code: 'too-small', params: { limit: Number(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string'
        ? { code: 'too-long', params: { limit: Number(issue.maximum) } }
        : { code: 'too-large', params: { limit: Number(issue.maximum) } };
    case 'invalid_format':
      if (issue.format === 'regex') {
        return { code: PATTERN_CODES.get(String(issue.pattern ?? '')) ?? 'invalid-format' };
      }
      return { code: FORMAT_CODES[issue.format] ?? 'invalid-format' };
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return allowed.length <= MAX_ALLOWED_LISTED
        ? { code: 'not-allowed', params: { allowed } }
        : { code: 'not-allowed' };
    }
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
      const safe = Object.fromEntries(
        Object.entries(params).filter(([, value]) => typeof value === 'string' || typeof value === 'number'),
      ) as Record<string, string | number>;
      return {
        code: typeof code === 'string' ? (code as FieldProblemCode) : 'invalid',
        ...(Object.keys(safe).length > 0 ? { params: safe } : {}),
      };
    }
    default:
      return { code: 'invalid' };
  }
}

/** The last named segment of a path: the field a sentence can name (`address.postalCode` → `postalCode`). */
function fieldOf(path: readonly PropertyKey[]): string | undefined {
  for (let index = path.length - 1; index >= 0; index--) {
    const segment = path[index];
    if (typeof segment === 'string') return segment;
  }
  return undefined;
}

/**
 * Zod issues as field problems, each with a stable `code` and its parameters (`field`, `limit`,
 * `allowed`). An unknown-key issue becomes one problem per key, at the key's own path, because that is
 * the field a client has to remove. Messages are ours (see problem-text.ts), never zod's wording, and
 * never echo the input, so personal data does not come back in the problem document.
 */
export function fieldProblemsFromZod(error: $ZodError, prefix?: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          path: formatIssuePath([...issue.path, key], prefix),
          message: 'Unknown field',
          code: 'unknown-field',
          params: { field: key },
        });
      }
      continue;
    }
    const { code, params } = codeOfIssue(issue);
    const field = fieldOf(issue.path);
    const allParams = { ...(field ? { field } : {}), ...params };
    // Our own schema messages are kept (English fallback); zod's default wording never is.
    const ours = !/^Invalid (input|option)|^Too (small|big)|^Unrecognized/.test(issue.message);
    problems.push({
      path: formatIssuePath(issue.path, prefix),
      message: ours ? issue.message : (fieldMessage('en', code, allParams) ?? 'Not valid'),
      code,
      ...(Object.keys(allParams).length > 0 ? { params: allParams } : {}),
    });
  }
  return problems;
}

/** A {@link ValidationError} carrying the field problems of a zod failure (and the failure as cause). */
export function validationErrorFromZod(error: $ZodError, prefix?: string): ValidationError {
  const errors = fieldProblemsFromZod(error, prefix);
  const detail = errors.length === 1 ? 'One field is invalid.' : `${errors.length} fields are invalid.`;
  return new ValidationError(detail, errors, { cause: error });
}

/** Code of the class of a domain error: what its code falls back to when the throw site gave one. */
const CLASS_CODES: Readonly<Record<number, string>> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'rule-violation',
  429: 'too-many-requests',
};

/** A field problem as rendered: a code always, the message in `language`. */
function renderFieldProblem(problem: FieldProblem, language: ProblemLanguage): RenderedFieldProblem {
  const code = problem.code ?? 'invalid';
  const translated = language === 'en' ? undefined : fieldMessage(language, code, problem.params);
  return {
    path: problem.path,
    message: redactString(translated ?? problem.message),
    code,
    ...(problem.params ? { params: problem.params } : {}),
  };
}

/**
 * The problem document for any thrown value, without side effects. Domain errors carry their stable
 * `code`; `detail` is a sentence in `language` for that code (in English the throw site's own,
 * safe-to-show message when the code has none); a `ZodError` that escaped a use case is treated as
 * invalid input; anything else is a 500 whose detail says nothing about the cause.
 */
export function toProblem(error: unknown, language: ProblemLanguage = 'en'): Problem {
  const known = error instanceof $ZodError ? validationErrorFromZod(error) : error;
  if (!(known instanceof DomainError) || known.status < 400 || known.status > 499) {
    return {
      type: PROBLEM_TYPES.internal,
      title: 'Internal error',
      status: 500,
      code: 'internal',
      detail: INTERNAL_DETAIL,
    };
  }
  const type =
    known instanceof LoginRefusedError
      ? loginRefusedProblemType(known.reason)
      : (TYPE_BY_STATUS[known.status] ?? 'about:blank');
  const code = known.code;
  const problem: Problem = {
    type,
    title: known.title,
    status: known.status,
    code,
    // Messages are written to be shown; redaction is a second line of defence, not the first.
    detail: redactString(problemDetail(language, code, CLASS_CODES[known.status] ?? code, known.message)),
  };
  if (known instanceof ValidationError) {
    problem.errors = known.errors.map((field) => renderFieldProblem(field, language));
  }
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
export function problemResponse(
  error: unknown,
  logger: Logger = httpLogger,
  language: ProblemLanguage = 'en',
): APIGatewayProxyResult {
  const problem = toProblem(error, language);
  if (problem.status >= 500) {
    if (error instanceof Error) logger.error('unexpected error', error);
    else logger.error('unexpected error', { thrown: String(error) });
  } else {
    logger.info('request refused', { status: problem.status, type: problem.type, code: problem.code });
  }
  return {
    statusCode: problem.status,
    headers: { ...BASE_RESPONSE_HEADERS, 'Content-Type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
