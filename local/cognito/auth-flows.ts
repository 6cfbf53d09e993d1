/**
 * The authentication flows of the API: InitiateAuth and RespondToAuthChallenge, and the sign-in
 * session's state machine behind them. What Cognito does, and so what this does:
 *
 * - Sign-in (`USER_SRP_AUTH`, `CUSTOM_AUTH` with `SRP_A`, `USER_PASSWORD_AUTH` when the client allows
 *   it): after the password — `NEW_PASSWORD_REQUIRED` for `FORCE_CHANGE_PASSWORD` users (policy
 *   enforced, the password is changed at once), then the pool's MFA: a user with a verified software
 *   token (and, with MFA `OPTIONAL`, TOTP enabled by SetUserMFAPreference) answers
 *   `SOFTWARE_TOKEN_MFA`; with MFA `ON` a user without one must enrol first (`MFA_SETUP`:
 *   AssociateSoftwareToken and VerifySoftwareToken with the session, then `MFA_SETUP` answered).
 *   Cognito then issues tokens, also in `CUSTOM_AUTH`: once Cognito ran an MFA challenge, define auth
 *   challenge is not called again (aws-amplify/amplify-js#3876). Without MFA, `CUSTOM_AUTH` goes back
 *   to define auth challenge with `[SRP_A, PASSWORD_VERIFIER]` (a new password set on the way is not a
 *   session entry).
 * - Custom challenges: define → create (`CUSTOM_CHALLENGE`, its public parameters plus `USERNAME`
 *   sent) → verify → define again with the result appended; define's `failAuthentication` answers
 *   `NotAuthorizedException: Incorrect username or password.`; how many wrong answers are allowed is
 *   define's decision.
 * - A wrong password answers `NotAuthorizedException: Incorrect username or password.` (in
 *   `CUSTOM_AUTH` too, without a define call) and counts towards the lockout of lockout.ts.
 * - PreventUserExistenceErrors (the platform's clients enable it): an unknown user gets a decoy
 *   `PASSWORD_VERIFIER` challenge and then the same `NotAuthorizedException` as a wrong password;
 *   define/create/verify see `userNotFound: true`.
 * - Sessions are opaque, single use (every answer returns a new one; a wrong MFA code or a refused
 *   new password keeps the current one), bound to the app client, and expire after the client's auth
 *   session validity (3 minutes by default): `NotAuthorizedException: Invalid session for the user,
 *   session is expired.`
 * - The sign-in ends with the tokens of tokens.ts.
 */
import { randomBytes } from 'node:crypto';
import { CognitoIdpError } from './errors.ts';
import { checkLockout, passwordOutcome } from './lockout.ts';
import { acceptTotpCode, usesTotp } from './mfa.ts';
import {
  type AuthResponse,
  type AuthSession,
  type ExpectedChallenge,
  invalidParameter,
  type NativeState,
  notAuthorized,
  type PoolAccess,
  requireString,
  stringMap,
} from './native-state.ts';
import { checkPolicy, passwordMatches, setPassword } from './passwords.ts';
import {
  type AppClientConfig,
  DEFAULT_AUTH_FLOWS,
  type ExplicitAuthFlow,
  type StoredUser,
} from './pool-model.ts';
import {
  decoyChallenge,
  isValidClientPublic,
  type ServerChallenge,
  SRP_TIMESTAMP,
  serverChallenge,
  sessionKey,
  verifyPasswordClaim,
} from './srp.ts';
import type { Tokens } from './tokens.ts';
import {
  createAuthChallengeEvent,
  defineAuthChallengeEvent,
  type EventContext,
  verifyAuthChallengeResponseEvent,
} from './trigger-events.ts';

/** The authentication actions of the API; see the module comment. */
export class AuthFlows {
  readonly #state: NativeState;
  readonly #tokens: Tokens;

  constructor(state: NativeState, tokens: Tokens) {
    this.#state = state;
    this.#tokens = tokens;
  }

  get #pool(): PoolAccess {
    return this.#state.pool;
  }

  /** InitiateAuth. */
  async initiateAuth(input: Record<string, unknown>): Promise<AuthResponse> {
    const client = this.#state.requireClient(input.ClientId);
    const flow = requireString(input, 'AuthFlow');
    const parameters = stringMap(input.AuthParameters, 'AuthParameters');
    const clientMetadata = input.ClientMetadata
      ? stringMap(input.ClientMetadata, 'ClientMetadata')
      : undefined;
    const allowed = client.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
    const allow = (name: ExplicitAuthFlow) => {
      if (!allowed.includes(name)) throw invalidParameter(`${flow} flow not enabled for this client`);
    };

    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      if (client.refreshTokenRotation) {
        throw invalidParameter(
          'Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.',
        );
      }
      allow('ALLOW_REFRESH_TOKEN_AUTH');
      const refreshToken = parameters.REFRESH_TOKEN;
      if (!refreshToken) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
      return this.#tokens.refreshTokenAuth(refreshToken, client.clientId);
    }
    if (flow !== 'USER_SRP_AUTH' && flow !== 'CUSTOM_AUTH' && flow !== 'USER_PASSWORD_AUTH') {
      if (['ADMIN_NO_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH'].includes(flow)) {
        throw invalidParameter(`${flow} flow not enabled for this client`);
      }
      throw invalidParameter(
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`,
      );
    }
    allow(`ALLOW_${flow}`);
    const name = parameters.USERNAME;
    if (!name) throw invalidParameter('Missing required parameter USERNAME');

    const user = this.#state.nativeUser(name);
    if (!user && !this.#preventsExistenceErrors(client)) {
      throw new CognitoIdpError('UserNotFoundException', 'User does not exist.');
    }
    if (user && !user.enabled) throw notAuthorized('User is disabled.');

    const session: AuthSession = {
      clientId: client.clientId,
      flow,
      username: user?.username ?? name,
      userNotFound: !user,
      expiresAt: this.#pool.now() + (client.authSessionValiditySeconds ?? 180) * 1000,
      expected: 'PASSWORD_VERIFIER',
      entries: [],
      newPasswordSet: false,
      mfaVerified: false,
      ...(clientMetadata ? { clientMetadata } : {}),
    };

    if (flow === 'USER_PASSWORD_AUTH') {
      const password = parameters.PASSWORD;
      if (!password) throw invalidParameter('Missing required parameter PASSWORD');
      if (!user) throw notAuthorized();
      checkLockout(this.#state, user);
      passwordOutcome(this.#state, user, passwordMatches(this.#state, user, password));
      return this.#afterPassword(session, user);
    }

    const A = parameters.SRP_A;
    if (flow === 'USER_SRP_AUTH') {
      if (!A) throw invalidParameter('Missing required parameter SRP_A');
      return this.#passwordVerifierChallenge(session, user, A);
    }

    // CUSTOM_AUTH: Cognito records the SRP_A step itself when the client starts with it.
    if (A) {
      if (parameters.CHALLENGE_NAME !== undefined && parameters.CHALLENGE_NAME !== 'SRP_A') {
        throw invalidParameter('CHALLENGE_NAME must be SRP_A when SRP_A is sent');
      }
      session.entries.push({ challengeName: 'SRP_A', challengeResult: true });
      session.srp = { A, challenge: undefined, secretBlock: '' };
    }
    return this.#define(session, user);
  }

  /** RespondToAuthChallenge. */
  async respondToAuthChallenge(input: Record<string, unknown>): Promise<AuthResponse> {
    const client = this.#state.requireClient(input.ClientId);
    const challengeName = requireString(input, 'ChallengeName');
    const responses = stringMap(input.ChallengeResponses, 'ChallengeResponses');
    const [sessionId, session] = this.#state.takeSession(input.Session, client.clientId);
    if (challengeName !== session.expected) {
      this.#state.keepSession(sessionId, session);
      throw invalidParameter(
        `Invalid challenge name ${challengeName}; the session expects ${session.expected}.`,
      );
    }
    if (!responses.USERNAME) {
      this.#state.keepSession(sessionId, session);
      throw invalidParameter('Missing required parameter USERNAME');
    }
    if (input.ClientMetadata) session.clientMetadata = stringMap(input.ClientMetadata, 'ClientMetadata');
    const user = session.userNotFound ? undefined : this.#pool.findUser(session.username);
    if (!session.userNotFound && !user) throw notAuthorized();

    switch (session.expected) {
      case 'PASSWORD_VERIFIER':
        return this.#answerPasswordVerifier(session, user, responses);
      case 'NEW_PASSWORD_REQUIRED':
        return this.#answerNewPassword(sessionId, session, user as StoredUser, responses);
      case 'SOFTWARE_TOKEN_MFA':
        return this.#answerSoftwareToken(sessionId, session, user as StoredUser, responses);
      case 'MFA_SETUP':
        if (!session.mfaVerified) {
          this.#state.keepSession(sessionId, session);
          throw invalidParameter('The software token has not been verified: call VerifySoftwareToken first.');
        }
        return this.#issue(session, user as StoredUser);
      case 'CUSTOM_CHALLENGE':
        return this.#answerCustomChallenge(session, user, responses);
    }
  }

  #passwordVerifierChallenge(session: AuthSession, user: StoredUser | undefined, A: string): AuthResponse {
    if (!isValidClientPublic(A)) throw invalidParameter('Invalid SRP_A value.');
    const credentials = user ? this.#state.credentials.get(user.username) : undefined;
    let salt: string;
    let challenge: ServerChallenge | undefined;
    let B: string;
    if (credentials) {
      challenge = serverChallenge(credentials.verifier);
      salt = credentials.verifier.salt;
      B = challenge.B;
    } else {
      // Unknown (or federated, password-less) user: a challenge no password can answer.
      session.userNotFound = true;
      ({ salt, B } = decoyChallenge());
    }
    const secretBlock = randomBytes(64).toString('base64');
    session.srp = { A, challenge, secretBlock };
    session.expected = 'PASSWORD_VERIFIER';
    const userId = user?.username ?? session.username;
    return this.#challenge(session, 'PASSWORD_VERIFIER', {
      SALT: salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    });
  }

  async #answerPasswordVerifier(
    session: AuthSession,
    user: StoredUser | undefined,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const srp = session.srp;
    const credentials = user ? this.#state.credentials.get(user.username) : undefined;
    if (!user || !credentials || !srp?.challenge) throw notAuthorized();
    checkLockout(this.#state, user);
    const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? '';
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK ?? '';
    const timestamp = responses.TIMESTAMP ?? '';
    if (!signature || !secretBlock || !timestamp) {
      throw invalidParameter(
        'Missing required parameter PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK or TIMESTAMP',
      );
    }
    const valid =
      secretBlock === srp.secretBlock &&
      SRP_TIMESTAMP.test(timestamp) &&
      verifyPasswordClaim({
        key: sessionKey({ A: srp.A, challenge: srp.challenge, verifier: credentials.verifier }),
        poolName: this.#state.poolName,
        userId: user.username,
        secretBlock,
        timestamp,
        signature,
      });
    passwordOutcome(this.#state, user, valid);
    session.entries.push({ challengeName: 'PASSWORD_VERIFIER', challengeResult: true });
    delete session.srp;
    return this.#afterPassword(session, user);
  }

  #afterPassword(session: AuthSession, user: StoredUser): Promise<AuthResponse> | AuthResponse {
    const credentials = this.#state.credentialsOf(user);
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if ((credentials.temporaryExpiresAt ?? Number.POSITIVE_INFINITY) <= this.#pool.now()) {
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      }
      const { sub: _sub, ...visible } = this.#pool.eventAttributes(user);
      const userAttributes = Object.fromEntries(
        Object.entries(visible).filter(([name]) => !name.startsWith('cognito:')),
      );
      return this.#challenge(session, 'NEW_PASSWORD_REQUIRED', {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(userAttributes),
      });
    }
    return this.#afterNewPassword(session, user);
  }

  #afterNewPassword(session: AuthSession, user: StoredUser): Promise<AuthResponse> | AuthResponse {
    if (usesTotp(this.#state, user)) {
      return this.#challenge(session, 'SOFTWARE_TOKEN_MFA', { USER_ID_FOR_SRP: user.username });
    }
    if (this.#pool.mfaConfiguration === 'ON') {
      return this.#challenge(session, 'MFA_SETUP', {
        MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]',
        USER_ID_FOR_SRP: user.username,
      });
    }
    return session.flow === 'CUSTOM_AUTH' ? this.#define(session, user) : this.#issue(session, user);
  }

  async #answerNewPassword(
    sessionId: string,
    session: AuthSession,
    user: StoredUser,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const password = responses.NEW_PASSWORD;
    try {
      if (!password) throw invalidParameter('Missing required parameter NEW_PASSWORD');
      checkPolicy(this.#pool.passwordPolicy, password);
    } catch (error) {
      // The person may try another password with the same session.
      this.#state.keepSession(sessionId, session);
      throw error;
    }
    const updates = Object.entries(responses).filter(([name]) => name.startsWith('userAttributes.'));
    for (const [name, value] of updates) user.attributes[name.slice('userAttributes.'.length)] = value;
    setPassword(this.#state, user, password, false);
    user.status = 'CONFIRMED';
    user.updatedAt = new Date(this.#pool.now());
    session.newPasswordSet = true;
    return this.#afterNewPassword(session, user);
  }

  async #answerSoftwareToken(
    sessionId: string,
    session: AuthSession,
    user: StoredUser,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    if (!acceptTotpCode(this.#state, user, responses.SOFTWARE_TOKEN_MFA_CODE ?? '')) {
      this.#state.keepSession(sessionId, session);
      throw new CognitoIdpError('CodeMismatchException', 'Invalid code received for user');
    }
    return this.#issue(session, user);
  }

  async #answerCustomChallenge(
    session: AuthSession,
    user: StoredUser | undefined,
    responses: Record<string, string>,
  ): Promise<AuthResponse> {
    const answer = responses.ANSWER;
    if (answer === undefined) throw invalidParameter('Missing required parameter ANSWER');
    const event = await this.#customAuthTrigger(
      'VerifyAuthChallengeResponse',
      this.#pool.triggers.verifyAuthChallengeResponse,
      () =>
        verifyAuthChallengeResponseEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          privateChallengeParameters: session.custom?.privateParameters ?? {},
          challengeAnswer: answer,
        }),
    );
    const correct = event.response?.answerCorrect === true;
    session.entries.push({
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: correct,
      ...(session.custom?.metadata === undefined ? {} : { challengeMetadata: session.custom.metadata }),
    });
    delete session.custom;
    return this.#define(session, user);
  }

  async #define(session: AuthSession, user: StoredUser | undefined): Promise<AuthResponse> {
    const event = await this.#customAuthTrigger(
      'DefineAuthChallenge',
      this.#pool.triggers.defineAuthChallenge,
      () =>
        defineAuthChallengeEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          session: session.entries,
        }),
    );
    const response = event.response ?? {};
    if (response.failAuthentication === true) throw notAuthorized();
    if (response.issueTokens === true) {
      if (!user) throw notAuthorized();
      return this.#issue(session, user);
    }
    const next = response.challengeName;
    if (next === 'PASSWORD_VERIFIER' || next === 'SRP_A') {
      if (!session.srp?.A) throw invalidParameter('Missing required parameter SRP_A');
      return this.#passwordVerifierChallenge(session, user, session.srp.A);
    }
    if (next === 'CUSTOM_CHALLENGE') return this.#createChallenge(session, user);
    throw new CognitoIdpError(
      'InvalidLambdaResponseException',
      'Invalid lambda response: no challenge, no tokens, no failure.',
    );
  }

  async #createChallenge(session: AuthSession, user: StoredUser | undefined): Promise<AuthResponse> {
    const event = await this.#customAuthTrigger(
      'CreateAuthChallenge',
      this.#pool.triggers.createAuthChallenge,
      () =>
        createAuthChallengeEvent(this.#context(session), {
          ...this.#challengeEventUser(session, user),
          challengeName: 'CUSTOM_CHALLENGE',
          session: session.entries,
        }),
    );
    const response = (event.response ?? {}) as {
      publicChallengeParameters?: unknown;
      privateChallengeParameters?: unknown;
      challengeMetadata?: unknown;
    };
    let publicParameters: Record<string, string>;
    let privateParameters: Record<string, string>;
    try {
      publicParameters = stringMap(response.publicChallengeParameters, 'publicChallengeParameters');
      privateParameters = stringMap(response.privateChallengeParameters, 'privateChallengeParameters');
    } catch (error) {
      throw new CognitoIdpError('InvalidLambdaResponseException', 'Unrecognizable lambda output', {
        cause: error,
      });
    }
    session.custom = {
      privateParameters,
      ...(typeof response.challengeMetadata === 'string' ? { metadata: response.challengeMetadata } : {}),
    };
    return this.#challenge(session, 'CUSTOM_CHALLENGE', {
      ...publicParameters,
      USERNAME: user?.username ?? session.username,
    });
  }

  #issue(session: AuthSession, user: StoredUser): Promise<AuthResponse> {
    const source = session.newPasswordSet
      ? 'TokenGeneration_NewPasswordChallenge'
      : 'TokenGeneration_Authentication';
    return this.#tokens.issue(user, session.clientId, source);
  }

  #challenge(
    session: AuthSession,
    name: ExpectedChallenge,
    parameters: Record<string, string>,
  ): AuthResponse {
    session.expected = name;
    return {
      ChallengeName: name,
      ChallengeParameters: parameters,
      Session: this.#state.storeSession(session),
    };
  }

  /** Runs a trigger of the custom flow. @throws InvalidParameterException when the pool has none */
  #customAuthTrigger<E>(
    name: 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse',
    handler: ((event: E) => Promise<E | undefined>) | undefined,
    event: () => E,
  ): Promise<E> {
    if (!handler) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    return this.#state.trigger(() => this.#pool.run(name, handler, event()));
  }

  #context(session: AuthSession): EventContext {
    return { region: this.#pool.region, userPoolId: this.#pool.poolId, clientId: session.clientId };
  }

  #challengeEventUser(session: AuthSession, user: StoredUser | undefined) {
    return {
      userName: user?.username ?? session.username,
      userAttributes: user ? this.#pool.eventAttributes(user) : {},
      userNotFound: !user,
      ...(session.clientMetadata ? { clientMetadata: session.clientMetadata } : {}),
    };
  }

  #preventsExistenceErrors(client: AppClientConfig): boolean {
    return client.preventUserExistenceErrors ?? true;
  }
}
