/**
 * The native login ("username and code") against Cognito's public Identity Provider API, because the
 * managed login does not run custom challenges: `CUSTOM_AUTH` started with `SRP_A`, then
 * `PASSWORD_VERIFIER` (SRP, the password never leaves the browser), then whatever Cognito asks —
 * a new password, a position of the code card, or the authenticator app's code — until tokens.
 * Also the authenticator enrolment (AssociateSoftwareToken, VerifySoftwareToken,
 * SetUserMFAPreference) and the refresh (`REFRESH_TOKEN_AUTH`).
 *
 * Errors arrive as `{ __type, message }` ({@link CognitoError}); {@link cognitoErrorMessage} turns
 * them into a message key for the person, never Cognito's English text alone.
 */

import { loginErrorMessage } from '../api/problem.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { Tokens } from './oauth.ts';
import { type PasswordVerifierChallenge, SrpClient } from './srp.ts';

/** What the native login needs from `/config.json`. */
export interface CognitoIdpConfig {
  /** `https://cognito-idp.<region>.amazonaws.com` or the sandbox's `/local/aws/cognito-idp`. */
  cognitoIdpEndpoint: string;
  /** e.g. `eu-west-1_AbC123` (SRP hashes the part after `_`). */
  userPoolId: string;
  clientId: string;
}

/** A Cognito error answer; `type` is `__type` without any namespace prefix, `network` when unreachable. */
export class CognitoError extends Error {
  override readonly name = 'CognitoError';
  constructor(
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One call of the JSON 1.1 protocol (unsigned: public actions only). @throws CognitoError */
export async function callCognito<T>(
  endpoint: string,
  action: string,
  input: Record<string, unknown>,
  fetchImpl: typeof fetch = fetch,
): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(input),
    });
  } catch (cause) {
    throw new CognitoError('network', 'The sign-in service cannot be reached.', { cause });
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    body = {};
  }
  if (!response.ok) {
    // AWS JSON errors may carry a namespace (`aws.cognito#NotAuthorizedException`) or a suffix.
    const raw = String(body.__type ?? response.headers.get('x-amzn-errortype') ?? 'UnknownError');
    const type = raw.split('#').pop()?.split(':')[0] ?? raw;
    const message = typeof body.message === 'string' ? body.message : String(body.Message ?? '');
    throw new CognitoError(type, message);
  }
  return body as T;
}

interface AuthResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: {
    IdToken?: string;
    AccessToken?: string;
    RefreshToken?: string;
    ExpiresIn?: number;
  };
}

/** Where a native login stands. Each challenge step keeps the session to answer it with. */
export type NativeStep =
  | { kind: 'newPassword'; session: string; username: string }
  | { kind: 'codeCard'; session: string; username: string; position: number }
  | { kind: 'totp'; session: string; username: string }
  | { kind: 'done'; tokens: Tokens };

/**
 * Tokens of an `AuthenticationResult`. A rotating refresh answers a new refresh token, which replaces
 * the used one; an answer without one keeps the old one.
 */
export function tokensOf(
  result: AuthResponse['AuthenticationResult'],
  now: number,
  previousRefreshToken?: string,
): Tokens {
  if (!result?.IdToken || !result.AccessToken) {
    throw new CognitoError('InvalidResponse', 'The sign-in answer has no tokens.');
  }
  const refreshToken = result.RefreshToken ?? previousRefreshToken;
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: now + (result.ExpiresIn && result.ExpiresIn > 0 ? result.ExpiresIn : 300) * 1000,
    source: 'native',
  };
}

/** The native login of one person; holds the SRP secret between the first two calls only. */
export class NativeLogin {
  readonly #config: CognitoIdpConfig;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(config: CognitoIdpConfig, options: { fetch?: typeof fetch; now?: () => number } = {}) {
    this.#config = config;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? Date.now;
  }

  #call(action: string, input: Record<string, unknown>): Promise<AuthResponse> {
    return callCognito<AuthResponse>(this.#config.cognitoIdpEndpoint, action, input, this.#fetch);
  }

  /** Username and password: SRP, then the first step Cognito asks for. @throws CognitoError */
  async start(username: string, password: string): Promise<NativeStep> {
    const srp = new SrpClient(this.#config.userPoolId);
    const first = await this.#call('InitiateAuth', {
      AuthFlow: 'CUSTOM_AUTH',
      ClientId: this.#config.clientId,
      AuthParameters: { USERNAME: username, SRP_A: srp.srpA, CHALLENGE_NAME: 'SRP_A' },
    });
    if (first.ChallengeName !== 'PASSWORD_VERIFIER' || !first.ChallengeParameters || !first.Session) {
      return this.#next(first, username);
    }
    const parameters = first.ChallengeParameters as unknown as PasswordVerifierChallenge & {
      USERNAME?: string;
    };
    const claim = await srp.passwordClaim(parameters, password, new Date(this.#now()));
    const second = await this.#call('RespondToAuthChallenge', {
      ClientId: this.#config.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: first.Session,
      ChallengeResponses: { USERNAME: parameters.USER_ID_FOR_SRP, ...claim },
    });
    return this.#next(second, parameters.USER_ID_FOR_SRP);
  }

  /** Answers a challenge step (new password, card code or app code). @throws CognitoError */
  async answer(step: Exclude<NativeStep, { kind: 'done' }>, value: string): Promise<NativeStep> {
    const [challengeName, responses] =
      step.kind === 'newPassword'
        ? ['NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: value }]
        : step.kind === 'codeCard'
          ? ['CUSTOM_CHALLENGE', { ANSWER: value.trim() }]
          : ['SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: value.replace(/\s+/g, '') }];
    const response = await this.#call('RespondToAuthChallenge', {
      ClientId: this.#config.clientId,
      ChallengeName: challengeName,
      Session: step.session,
      ChallengeResponses: { USERNAME: step.username, ...responses },
    });
    return this.#next(response, step.username);
  }

  #next(response: AuthResponse, username: string): NativeStep {
    if (response.AuthenticationResult) {
      return { kind: 'done', tokens: tokensOf(response.AuthenticationResult, this.#now()) };
    }
    const session = response.Session ?? '';
    const user =
      response.ChallengeParameters?.USER_ID_FOR_SRP ?? response.ChallengeParameters?.USERNAME ?? username;
    switch (response.ChallengeName) {
      case 'NEW_PASSWORD_REQUIRED':
        return { kind: 'newPassword', session, username: user };
      case 'CUSTOM_CHALLENGE': {
        const position = Number(response.ChallengeParameters?.position);
        if (!Number.isInteger(position) || position < 1) {
          throw new CognitoError('InvalidResponse', 'The code card challenge has no position.');
        }
        return { kind: 'codeCard', session, username: user, position };
      }
      case 'SOFTWARE_TOKEN_MFA':
        return { kind: 'totp', session, username: user };
      default:
        // MFA_SETUP (pool MFA "ON") and SMS are not offered by this pool's configuration.
        throw new CognitoError('UnsupportedChallenge', `Unsupported challenge ${response.ChallengeName}`);
    }
  }
}

/** New tokens (and a new refresh token) from a refresh token (`GetTokensFromRefreshToken`). @throws CognitoError */
export async function refreshNative(
  config: CognitoIdpConfig,
  refreshToken: string,
  options: { fetch?: typeof fetch; now?: number } = {},
): Promise<Tokens> {
  // The native client rotates refresh tokens: Cognito refuses REFRESH_TOKEN_AUTH there, and the
  // answer's new refresh token replaces the used one.
  const response = await callCognito<AuthResponse>(
    config.cognitoIdpEndpoint,
    'GetTokensFromRefreshToken',
    { ClientId: config.clientId, RefreshToken: refreshToken },
    options.fetch,
  );
  return tokensOf(response.AuthenticationResult, options.now ?? Date.now(), refreshToken);
}

/** The authenticator app of a signed-in native user (access token). */
export const softwareToken = {
  /** A new secret (base32) to enter in the app. */
  async associate(endpoint: string, accessToken: string, fetchImpl?: typeof fetch): Promise<string> {
    const answer = await callCognito<{ SecretCode?: string }>(
      endpoint,
      'AssociateSoftwareToken',
      { AccessToken: accessToken },
      fetchImpl,
    );
    if (!answer.SecretCode) throw new CognitoError('InvalidResponse', 'No secret in the answer.');
    return answer.SecretCode;
  },
  /** Checks a first code of the app, then makes the app the person's second factor. */
  async verifyAndEnable(
    endpoint: string,
    accessToken: string,
    code: string,
    fetchImpl?: typeof fetch,
  ): Promise<void> {
    await callCognito(
      endpoint,
      'VerifySoftwareToken',
      { AccessToken: accessToken, UserCode: code.replace(/\s+/g, ''), FriendlyDeviceName: 'eID Access' },
      fetchImpl,
    );
    await callCognito(
      endpoint,
      'SetUserMFAPreference',
      { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } },
      fetchImpl,
    );
  },
};

/** The `otpauth://` URI of a secret (Key Uri Format), for apps that read it or a QR code. */
export function otpauthUri(secret: string, account: string, issuer = 'eID Access'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The secret in groups of four, as people type it. */
export const groupSecret = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

/** What a person reads for a Cognito error: a message key and, for some, Cognito's own detail. */
export interface CognitoErrorMessage {
  key: MessageKey;
  /** Shown below the message (a password rule, a trigger's explanation). */
  detail?: string;
}

/** The message of a native-login or enrolment error. */
export function cognitoErrorMessage(error: unknown): CognitoErrorMessage {
  if (!(error instanceof CognitoError)) return { key: 'native.error.other' };
  const message = error.message;
  switch (error.type) {
    case 'network':
      return { key: 'problem.network' };
    case 'NotAuthorizedException':
      if (/attempts exceeded/i.test(message)) return { key: 'native.error.attempts' };
      if (/temporary password has expired/i.test(message)) return { key: 'native.error.temporaryExpired' };
      if (/session/i.test(message)) return { key: 'native.error.session' };
      if (/disabled/i.test(message)) return { key: 'native.error.disabled' };
      return { key: 'native.error.incorrect' };
    case 'UserNotFoundException':
      return { key: 'native.error.incorrect' };
    case 'PasswordResetRequiredException':
      return { key: 'native.error.temporaryExpired' };
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
    case 'ExpiredCodeException':
      return { key: 'native.error.appCode' };
    case 'InvalidPasswordException': {
      const rule = message.replace(/^Password did not conform with policy:\s*/i, '').trim();
      return { key: 'native.error.passwordPolicy', ...(rule ? { detail: rule } : {}) };
    }
    case 'UserLambdaValidationException': {
      const reason = loginErrorMessage(message);
      if (/locked/i.test(reason)) return { key: 'native.error.cardLocked' };
      if (/no code card/i.test(reason)) return { key: 'native.error.noCard' };
      return { key: 'native.error.refused', ...(reason ? { detail: reason } : {}) };
    }
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return { key: 'problem.429' };
    default:
      return { key: 'native.error.other' };
  }
}
