/**
 * Errors of the local user pool. Trigger refusals and token problems are domain errors, so the
 * sandbox server renders them as problem+json with the shared mapping; OAuth endpoint errors carry the
 * OAuth `error` code the hosted login answers with.
 */
import {
  DomainError,
  type LoginRefusalReason,
  LoginRefusedError,
  UnauthorizedForReason,
} from '#shared/errors';

/** The user pool triggers the local Cognito runs, by the name Cognito uses in its error messages. */
export type TriggerName =
  | 'PreSignUp'
  | 'PostConfirmation'
  | 'PreTokenGeneration'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse';

/**
 * Cognito's wording when a trigger throws: `<Trigger> failed with error <message>.` — the API returns
 * it as the exception message and the hosted login as `error_description` (where Cognito also appends
 * a space).
 */
export const triggerFailureMessage = (trigger: TriggerName, message: string): string =>
  `${trigger} failed with error ${message}.`;

/**
 * A login a trigger refused by throwing. `message` is Cognito's wording
 * ({@link triggerFailureMessage}); `triggerMessage` is what the trigger threw, the text a person can
 * act on. No user is created when `PreSignUp` refuses.
 */
export class LoginRefusedByTrigger extends DomainError {
  readonly status = 403;
  readonly title = 'Login refused';
  readonly trigger: TriggerName;
  readonly triggerMessage: string;
  /**
   * The trigger's {@link LoginRefusedError.reason} when it threw one. Only the sandbox knows it: the
   * error crosses no Lambda boundary here, whereas real Cognito only sees the message.
   */
  readonly reason: LoginRefusalReason | undefined;

  /**
   * @param cognitoMessage Cognito's message when it is not the trigger's own failure (an
   *   unrecognizable response). @default `<Trigger> failed with error <message>.`
   */
  constructor(trigger: TriggerName, cause: unknown, cognitoMessage?: string) {
    const triggerMessage = cause instanceof Error ? cause.message : String(cause);
    super(cognitoMessage ?? triggerFailureMessage(trigger, triggerMessage), { cause });
    this.trigger = trigger;
    this.triggerMessage = triggerMessage;
    this.reason = cause instanceof LoginRefusedError ? cause.reason : undefined;
  }
}

/** Why {@link LocalCognito.verifyToken} refused a token (stable, for tests and logs). */
export type TokenRejectionReason =
  | 'malformed'
  | 'signature'
  | 'expired'
  | 'issuer'
  | 'token-use'
  | 'audience';

/** A bearer token the local user pool did not issue, or no longer accepts. */
export class TokenVerificationError extends UnauthorizedForReason<TokenRejectionReason> {}

/** OAuth 2.0 error codes the token and authorization endpoints answer with (RFC 6749 5.2, 4.1.2.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error';

/** An OAuth protocol error: rendered as `{ error, error_description }` (token) or a redirect (authorize). */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  /**
   * A refresh token retired by rotation (used, and its grace period over): the API answers it with
   * `RefreshTokenReuseException`, the token endpoint with `invalid_grant`.
   */
  readonly reusedRefreshToken: boolean;

  constructor(
    code: OAuthErrorCode,
    description: string,
    options?: { status?: number; cause?: unknown; reusedRefreshToken?: boolean },
  ) {
    super(description, { cause: options?.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.reusedRefreshToken = options?.reusedRefreshToken ?? false;
    // Cognito answers every token-endpoint error, invalid_client included, with 400.
    this.status = options?.status ?? 400;
  }
}

/**
 * The exception names of the Cognito Identity Provider API the local endpoint answers with (the SDK
 * turns each into an error class of that name).
 */
export type CognitoIdpErrorType =
  | 'AliasExistsException'
  | 'CodeMismatchException'
  | 'EnableSoftwareTokenMFAException'
  | 'ExpiredCodeException'
  | 'InternalErrorException'
  | 'InvalidLambdaResponseException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'NotAuthorizedException'
  | 'PasswordResetRequiredException'
  | 'RefreshTokenReuseException'
  | 'ResourceNotFoundException'
  | 'SoftwareTokenMFANotFoundException'
  | 'TooManyFailedAttemptsException'
  | 'UnknownOperationException'
  | 'UnrecognizedClientException'
  | 'UserLambdaValidationException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException'
  | 'UnsupportedUserStateException';

/** An error of the Cognito Identity Provider API: rendered as `{ __type, message }` with {@link status}. */
export class CognitoIdpError extends Error {
  readonly type: CognitoIdpErrorType;
  /** 400 for every client error, as Cognito answers; 500 for `InternalErrorException`. */
  readonly status: number;

  constructor(type: CognitoIdpErrorType, message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = type;
    this.type = type;
    this.status =
      type === 'InternalErrorException' ? 500 : type === 'MissingAuthenticationTokenException' ? 403 : 400;
  }
}
