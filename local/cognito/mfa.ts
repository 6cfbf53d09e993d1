/**
 * TOTP MFA, the pool's only factor (no SMS or e-mail): AssociateSoftwareToken and
 * VerifySoftwareToken with an access token or, during sign-in, the `MFA_SETUP` session;
 * SetUserMFAPreference; and the code check of the `SOFTWARE_TOKEN_MFA` challenge (a code is good
 * once).
 */
import { CognitoIdpError } from './errors.ts';
import { invalidParameter, type NativeState, notAuthorized, requireString } from './native-state.ts';
import type { StoredUser } from './pool-model.ts';
import { generateTotpSecret, matchTotp } from './totp.ts';

/** True when the user signs in with a password and a verified software token is their MFA. */
export function usesTotp(state: NativeState, user: StoredUser): boolean {
  const token = state.credentials.get(user.username)?.softwareToken;
  if (!token?.verified || state.pool.mfaConfiguration === 'OFF') return false;
  return state.pool.mfaConfiguration === 'ON' || token.enabled;
}

/** True when `code` is the user's current TOTP code and was not used before (it is used now). */
export function acceptTotpCode(state: NativeState, user: StoredUser, code: string): boolean {
  const token = state.credentialsOf(user).softwareToken;
  const step = token ? matchTotp(token.secret, code, state.pool.now()) : undefined;
  if (!token || step === undefined || step <= token.lastStep) return false;
  token.lastStep = step;
  return true;
}

/** The MFA actions of the API. */
export class Mfa {
  readonly #state: NativeState;

  constructor(state: NativeState) {
    this.#state = state;
  }

  /** AssociateSoftwareToken, with an access token or an MFA_SETUP session. */
  async associateSoftwareToken(
    input: Record<string, unknown>,
  ): Promise<{ SecretCode: string; Session?: string }> {
    const state = this.#state;
    const secret = generateTotpSecret();
    if (typeof input.AccessToken === 'string') {
      const user = await state.userOfAccessToken(input.AccessToken);
      state.credentialsOf(user).pendingSecret = secret;
      return { SecretCode: secret };
    }
    const [, session] = state.takeSession(input.Session, undefined);
    if (session.expected !== 'MFA_SETUP') throw notAuthorized('Invalid session for the user.');
    session.mfaSecret = secret;
    session.mfaVerified = false;
    return { SecretCode: secret, Session: state.storeSession(session) };
  }

  /** VerifySoftwareToken, with an access token or the session AssociateSoftwareToken returned. */
  async verifySoftwareToken(
    input: Record<string, unknown>,
  ): Promise<{ Status: 'SUCCESS'; Session?: string }> {
    const state = this.#state;
    const code = requireString(input, 'UserCode');
    if (typeof input.AccessToken === 'string') {
      const user = await state.userOfAccessToken(input.AccessToken);
      const credentials = state.credentialsOf(user);
      if (!credentials.pendingSecret) {
        throw new CognitoIdpError(
          'SoftwareTokenMFANotFoundException',
          'Software Token MFA has not been associated with this user.',
        );
      }
      const step = matchTotp(credentials.pendingSecret, code, state.pool.now());
      if (step === undefined) throw new CognitoIdpError('EnableSoftwareTokenMFAException', 'Code mismatch');
      credentials.softwareToken = {
        secret: credentials.pendingSecret,
        verified: true,
        enabled: credentials.softwareToken?.enabled ?? false,
        preferred: credentials.softwareToken?.preferred ?? false,
        lastStep: step,
      };
      delete credentials.pendingSecret;
      return { Status: 'SUCCESS' };
    }
    const [sessionId, session] = state.takeSession(input.Session, undefined);
    if (session.expected !== 'MFA_SETUP' || !session.mfaSecret) {
      state.keepSession(sessionId, session);
      throw new CognitoIdpError(
        'SoftwareTokenMFANotFoundException',
        'Software Token MFA has not been associated with this user.',
      );
    }
    const step = matchTotp(session.mfaSecret, code, state.pool.now());
    if (step === undefined) {
      state.keepSession(sessionId, session);
      throw new CognitoIdpError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    const user = state.pool.findUser(session.username);
    if (!user) throw notAuthorized();
    // Enrolled through MFA_SETUP: the token is the user's MFA from now on.
    state.credentialsOf(user).softwareToken = {
      secret: session.mfaSecret,
      verified: true,
      enabled: true,
      preferred: true,
      lastStep: step,
    };
    session.mfaVerified = true;
    return { Status: 'SUCCESS', Session: state.storeSession(session) };
  }

  /** SetUserMFAPreference (software token only: the pool has no SMS or e-mail MFA). */
  async setUserMfaPreference(input: Record<string, unknown>): Promise<Record<string, never>> {
    const state = this.#state;
    const user = await state.userOfAccessToken(requireString(input, 'AccessToken'));
    for (const other of ['SMSMfaSettings', 'EmailMfaSettings'] as const) {
      const settings = input[other] as { Enabled?: unknown } | undefined;
      if (settings?.Enabled === true)
        throw invalidParameter(`${other.replace('MfaSettings', '')} MFA is not enabled for this user pool.`);
    }
    const settings = input.SoftwareTokenMfaSettings as
      | { Enabled?: unknown; PreferredMfa?: unknown }
      | undefined;
    if (settings) {
      const token = state.credentialsOf(user).softwareToken;
      if (settings.Enabled === true || settings.PreferredMfa === true) {
        if (!token?.verified) throw invalidParameter('User has not verified software token mfa');
        token.enabled = true;
        token.preferred = settings.PreferredMfa === true || token.preferred;
      } else if (settings.Enabled === false && token) {
        token.enabled = false;
        token.preferred = false;
      }
    }
    return {};
  }
}
