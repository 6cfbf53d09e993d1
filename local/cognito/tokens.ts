/**
 * The tokens of the API's sign-in: issued at the end of a sign-in (pre token generation
 * `TokenGeneration_Authentication`, or `TokenGeneration_NewPasswordChallenge` when this sign-in set
 * the new password; access token scope `aws.cognito.signin.user.admin` plus what pre token generation
 * adds; a refresh token), and refreshed with `REFRESH_TOKEN_AUTH` or, on a rotating client,
 * GetTokensFromRefreshToken (the given refresh token retired after the grace period: then
 * `RefreshTokenReuseException`).
 */
import {
  type AuthenticationResult,
  type AuthResponse,
  type NativeState,
  requireString,
} from './native-state.ts';
import type { StoredUser } from './pool-model.ts';
import type { LocalTokenGenerationSource } from './trigger-events.ts';

function authenticationResult(tokens: {
  idToken: string;
  accessToken: string;
  refreshToken?: string | undefined;
  expiresIn: number;
}): AuthenticationResult {
  return {
    AccessToken: tokens.accessToken,
    IdToken: tokens.idToken,
    ...(tokens.refreshToken === undefined ? {} : { RefreshToken: tokens.refreshToken }),
    ExpiresIn: tokens.expiresIn,
    TokenType: 'Bearer',
  };
}

/** The token actions of the API, and the token issue that ends a sign-in. */
export class Tokens {
  readonly #state: NativeState;

  constructor(state: NativeState) {
    this.#state = state;
  }

  /**
   * GetTokensFromRefreshToken: new ID and access tokens, and on a rotating client a new refresh token
   * (the given one retired after the grace period: then `RefreshTokenReuseException`).
   */
  async getTokensFromRefreshToken(input: Record<string, unknown>): Promise<AuthResponse> {
    const state = this.#state;
    const client = state.requireClient(input.ClientId);
    const refreshToken = requireString(input, 'RefreshToken');
    const tokens = await state.trigger(() => state.pool.refresh(refreshToken, client.clientId));
    return { AuthenticationResult: authenticationResult(tokens) };
  }

  /**
   * RevokeToken: the refresh token's authentication ends (its rotations, and its access and ID tokens
   * at Cognito's endpoints). A token Cognito does not know is no error.
   */
  revokeToken(input: Record<string, unknown>): Record<string, never> {
    const state = this.#state;
    const client = state.requireClient(input.ClientId);
    state.pool.revoke(requireString(input, 'Token'), client.clientId);
    return {};
  }

  /** GlobalSignOut with the user's own access token: every authentication of the user ends. */
  async globalSignOut(input: Record<string, unknown>): Promise<Record<string, never>> {
    const state = this.#state;
    const user = await state.userOfAccessToken(requireString(input, 'AccessToken'));
    state.pool.signOutEverywhere(user.username);
    return {};
  }

  /** AdminUserGlobalSignOut (SigV4): every authentication of the user ends. */
  adminUserGlobalSignOut(input: Record<string, unknown>): Record<string, never> {
    const state = this.#state;
    state.requirePool(input);
    state.pool.signOutEverywhere(state.adminUser(input).username);
    return {};
  }

  /** InitiateAuth `REFRESH_TOKEN_AUTH` (the flow checks are the caller's): no new refresh token. */
  async refreshTokenAuth(refreshToken: string, clientId: string): Promise<AuthResponse> {
    const state = this.#state;
    const tokens = await state.trigger(() => state.pool.refresh(refreshToken, clientId));
    return {
      ChallengeParameters: {},
      AuthenticationResult: authenticationResult({ ...tokens, refreshToken: undefined }),
    };
  }

  /** The answer that ends a sign-in: tokens and a refresh token. */
  async issue(user: StoredUser, clientId: string, source: LocalTokenGenerationSource): Promise<AuthResponse> {
    const state = this.#state;
    const tokens = await state.trigger(() => state.pool.issue(user, clientId, source));
    return { ChallengeParameters: {}, AuthenticationResult: authenticationResult(tokens) };
  }
}
