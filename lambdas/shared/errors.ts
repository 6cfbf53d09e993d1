/**
 * The platform's vocabulary of domain errors. Use cases throw these; exactly one HTTP middleware maps
 * them to problem+json (RFC 9457), and Cognito triggers show their `message` to the person.
 * Messages must be safe to show: no identifiers, tokens or internals.
 */

/** A single field problem, rendered in the problem+json `errors` array. */
export interface FieldProblem {
  /** JSON-pointer-like path, e.g. `address.postalCode`. */
  path: string;
  message: string;
  /** Stable machine code of the problem, when it has one (e.g. `text.format-character`). */
  code?: string;
  /** Values the code's translated sentence needs (e.g. `{ codePoint: 'U+200B' }`); never the input. */
  params?: Record<string, string | number>;
}

/** Base class: every domain error has a stable `name`, an HTTP status and an optional cause. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short, stable, human-readable summary (problem+json `title`). */
  abstract readonly title: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 400: the input is malformed (schema violations). */
export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid request';
  readonly errors: FieldProblem[];

  constructor(message: string, errors: FieldProblem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.errors = errors;
  }
}

/** 401: no caller identity, or an invalid one. */
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Not authenticated';
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Not allowed';
}

/** 404: unknown, or not visible to this caller (never reveal another organisation's objects). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
}

/** 409: the state does not allow it (already decided, duplicate, concurrent change). */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/** 422: well-formed but refused by a business rule (e.g. data does not match the register). */
export class RuleViolationError extends DomainError {
  readonly status = 422;
  readonly title = 'Refused by a rule';
}

/** 429: a limit per person was reached (e.g. too many national-number checks). */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too many requests';
}

/**
 * A login that must be refused. Thrown by Cognito triggers; the hosted login shows `message` to the
 * person, so it says what to do next and nothing about internals.
 */
export class LoginRefusedError extends DomainError {
  readonly status = 403;
  readonly title = 'Login refused';
  /** Machine-readable reason, stable for tests and the sandbox's problem+json `type`. */
  readonly reason: LoginRefusalReason;

  constructor(reason: LoginRefusalReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export type LoginRefusalReason =
  | 'refused-nationality'
  | 'insufficient-loa'
  | 'missing-attribute'
  | 'invalid-attribute'
  | 'invalid-national-number'
  | 'wrong-receiving-country'
  | 'unknown-provider'
  | 'identity-conflict'
  /** A native login whose code card is locked after too many wrong codes. */
  | 'second-factor-locked'
  /** A native login with neither a code card nor an authenticator app. */
  | 'no-second-factor'
  /** A token refresh whose identity link no longer confirms the Cognito user: sign in again. */
  | 'session-expired';

/** Thrown by identifier parsers (`belgian-ids.ts`): the message says what is wrong with the input. */
export class InvalidIdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdentifierError';
  }
}

/** Transient infrastructure failure a Step Functions task may retry (Retry matches on the name). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}
