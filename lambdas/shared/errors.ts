/**
 * The platform's vocabulary of domain errors. Use cases throw these; exactly one HTTP middleware maps
 * them to problem+json (RFC 9457), and Cognito triggers show their `message` to the person.
 * Messages must be safe to show: no identifiers, tokens or internals.
 */

/**
 * Stable machine codes of field problems (`errors[].code`, ARCHITECTURE.md section 3): clients show
 * their own sentence for each. Parameters travel in `params` (`limit`, `allowed`, `field`).
 */
export type FieldProblemCode =
  | 'required'
  | 'too-short'
  | 'too-long'
  | 'too-small'
  | 'too-large'
  | 'invalid-type'
  | 'invalid-date'
  | 'date-too-early'
  | 'date-in-future'
  | 'invalid-email'
  | 'invalid-phone'
  | 'invalid-format'
  | 'invalid-characters'
  | 'not-allowed'
  | 'unknown-field'
  | 'repeated-parameter'
  | 'postal-code-be'
  | 'identifier-empty'
  | 'identifier-characters'
  | 'identifier-length'
  | 'identifier-month'
  | 'identifier-day'
  | 'identifier-sequence'
  | 'identifier-date'
  | 'identifier-prefix'
  | 'check-digits'
  | 'invalid-body'
  | 'unexpected-body'
  | 'invalid-json'
  | 'invalid-utf8'
  | 'out-of-range'
  /** The text policy (lambdas/shared/text-policy.ts): what a person reads is what it seems. */
  | 'text.format-character'
  | 'text.control-character'
  | 'text.lone-surrogate'
  | 'text.replacement-character'
  | 'text.combining-marks'
  | 'identifier.character'
  | 'identifier.foreign-character'
  | 'invalid';

/** Parameters of a field problem: what a translated sentence needs, never the input itself. */
export type FieldProblemParams = Readonly<Record<string, string | number | readonly string[]>>;

/** A single field problem, rendered in the problem+json `errors` array. */
export interface FieldProblem {
  /** JSON-pointer-like path, e.g. `address.postalCode`. */
  path: string;
  /** English fallback; clients translate {@link code}. */
  message: string;
  /** Stable machine code. @default `invalid` (when a throw site gives none) */
  code?: FieldProblemCode;
  params?: FieldProblemParams;
}

/** Options of every domain error. */
export interface DomainErrorOptions {
  cause?: unknown;
  /**
   * Stable machine code (problem+json `code`), kebab-case, e.g. `not-legal-representative`.
   * @default the class's own code (`not-found`, `conflict`…)
   */
  code?: string;
}

/** Base class: every domain error has a stable `name`, an HTTP status, a `code` and an optional cause. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short, stable, human-readable summary (problem+json `title`). */
  abstract readonly title: string;
  /** The code given at the throw site; {@link DomainError.code} falls back to the class's. */
  readonly #code: string | undefined;

  constructor(message: string, options?: DomainErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.#code = options?.code;
  }

  /** The stable machine code clients switch on. */
  get code(): string {
    return this.#code ?? this.defaultCode;
  }

  /** The code of this kind of error when the throw site gives none. */
  protected get defaultCode(): string {
    return 'error';
  }
}

/**
 * The base of one kind of domain error: its HTTP status, its problem+json `title` and the `code` a
 * throw site that gives none gets. `class ForbiddenError extends errorKind(403, 'Not allowed',
 * 'forbidden') {}` declares a kind in one line; `name` stays the declared class's.
 */
export function errorKind(status: number, title: string, defaultCode: string) {
  abstract class Kind extends DomainError {
    readonly status = status;
    readonly title = title;
    protected override get defaultCode(): string {
      return defaultCode;
    }
  }
  return Kind;
}

/** 400: the input is malformed (schema violations). */
export class ValidationError extends errorKind(400, 'Invalid request', 'invalid-request') {
  readonly errors: FieldProblem[];

  constructor(message: string, errors: FieldProblem[] = [], options?: DomainErrorOptions) {
    super(message, options);
    this.errors = errors;
  }
}

/** 401: no caller identity, or an invalid one. */
export class UnauthorizedError extends errorKind(401, 'Not authenticated', 'unauthenticated') {}

/**
 * A 401 that also says which check failed: `reason` is stable for tests and logs, the message is what
 * a person reads. A verifier declares its own: `class SamlValidationError extends
 * UnauthorizedForReason<SamlValidationReason> {}`.
 */
export class UnauthorizedForReason<Reason extends string> extends UnauthorizedError {
  readonly reason: Reason;

  constructor(reason: Reason, message: string, options?: DomainErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends errorKind(403, 'Not allowed', 'forbidden') {}

/** 404: unknown, or not visible to this caller (never reveal another organisation's objects). */
export class NotFoundError extends errorKind(404, 'Not found', 'not-found') {}

/** 409: the state does not allow it (already decided, duplicate, concurrent change). */
export class ConflictError extends errorKind(409, 'Conflict', 'conflict') {}

/** 422: well-formed but refused by a business rule (e.g. data does not match the register). */
export class RuleViolationError extends errorKind(422, 'Refused by a rule', 'rule-violation') {}

/** 429: a limit per person was reached (e.g. too many national-number checks). */
export class TooManyRequestsError extends errorKind(429, 'Too many requests', 'too-many-requests') {}

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
    super(message, { ...options, code: reason });
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

/**
 * Thrown by identifier parsers (`belgian-ids.ts`): the message says what is wrong with the input,
 * `code` which rule failed. Neither reveals the expected check digits.
 */
export class InvalidIdentifierError extends Error {
  readonly code: FieldProblemCode;

  constructor(message: string, code: FieldProblemCode = 'invalid') {
    super(message);
    this.name = 'InvalidIdentifierError';
    this.code = code;
  }
}

/**
 * The message a Cognito trigger throws for a refused login: Cognito only passes the message on (as
 * `error_description`), so the stable code leads it in brackets, `[refused-nationality] People…`,
 * for the portal to translate. {@link refusalCodeOf} reads it back.
 */
export function codedRefusalMessage(code: string, message: string): string {
  return `[${code}] ${message}`;
}

/** The code of a {@link codedRefusalMessage} anywhere in `text` (e.g. Cognito's wrapping of it). */
export function refusalCodeOf(text: string): string | undefined {
  return /\[([a-z0-9]+(?:-[a-z0-9]+)*)\]/.exec(text)?.[1];
}

/** Transient infrastructure failure a Step Functions task may retry (Retry matches on the name). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}
