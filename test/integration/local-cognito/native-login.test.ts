import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UserLambdaValidationException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, type CognitoUser } from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  cognitoUser,
  expectKind,
  type Outcome,
  POOL_ID,
  PORTAL,
  poolPerFile,
  signIn,
  startPool,
  step,
  strongPassword,
  TEMPORARY,
  totp,
} from './native-harness.ts';

// MFA ON: Cognito itself makes every native user enrol TOTP at the first login.
const running = poolPerFile({ mfaConfiguration: 'ON' });

async function createUser(username = `officer-made-${randomUUID().slice(0, 8)}`): Promise<string> {
  await running.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL_ID,
      Username: username,
      TemporaryPassword: TEMPORARY,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.org` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  return username;
}

/** First login up to tokens: new password, TOTP enrolment. Returns the secret and the password. */
async function enrolWithTotp(
  username: string,
): Promise<{ secret: string; password: string; user: CognitoUser }> {
  const user = cognitoUser(running, username);
  expectKind(
    await signIn(user, new AuthenticationDetails({ Username: username, Password: TEMPORARY })),
    'newPasswordRequired',
  );
  const password = strongPassword();
  expectKind(await step((cb) => user.completeNewPasswordChallenge(password, {}, cb)), 'mfaSetup');
  const { secretCode } = expectKind(await step((cb) => user.associateSoftwareToken(cb)), 'secretCode');
  expectKind(
    await step((cb) => user.verifySoftwareToken(totp(secretCode, running.clock.now), 'phone', cb)),
    'success',
  );
  return { secret: secretCode, password, user };
}

describe('local Cognito native users', () => {
  it('walks the first login through a refused weak password, a new password and TOTP enrolment to tokens with the trigger claims', async () => {
    const username = await createUser();
    const user = cognitoUser(running, username);

    const first = expectKind(
      await signIn(user, new AuthenticationDetails({ Username: username, Password: TEMPORARY })),
      'newPasswordRequired',
    );
    expect(first.userAttributes).toMatchObject({ email: `${username}@example.org`, email_verified: 'true' });
    expect(first.userAttributes).not.toHaveProperty('sub');

    const weak = expectKind(
      await step((cb) => user.completeNewPasswordChallenge('short', {}, cb)),
      'failure',
    );
    expect(weak.error.code).toBe('InvalidPasswordException');
    expect(weak.error.message).toBe('Password did not conform with policy: Password not long enough');
    const noSymbol = expectKind(
      await step((cb) => user.completeNewPasswordChallenge('Abcdefghijklmn1', {}, cb)),
      'failure',
    );
    expect(noSymbol.error.message).toBe(
      'Password did not conform with policy: Password must have symbol characters',
    );

    const password = strongPassword();
    const setup = expectKind(
      await step((cb) => user.completeNewPasswordChallenge(password, {}, cb)),
      'mfaSetup',
    );
    expect(JSON.parse(setup.parameters.MFAS_CAN_SETUP ?? '[]')).toEqual(['SOFTWARE_TOKEN_MFA']);

    const { secretCode } = expectKind(await step((cb) => user.associateSoftwareToken(cb)), 'secretCode');
    expect(secretCode).toMatch(/^[A-Z2-7]{52}$/);
    const wrong = expectKind(await step((cb) => user.verifySoftwareToken('000000', 'phone', cb)), 'failure');
    expect(wrong.error.code).toBe('EnableSoftwareTokenMFAException');

    const { session } = expectKind(
      await step((cb) => user.verifySoftwareToken(totp(secretCode, running.clock.now), 'phone', cb)),
      'success',
    );
    const idClaims = decodeJwt(session.getIdToken().getJwtToken());
    const accessClaims = decodeJwt(session.getAccessToken().getJwtToken());
    expect(idClaims).toMatchObject({
      'cognito:username': username,
      email: `${username}@example.org`,
      email_verified: true,
      idp: 'native',
      loa: 'substantial',
      token_use: 'id',
      aud: PORTAL.clientId,
    });
    expect(idClaims.person_id).toBe(`person-${idClaims.sub}`);
    expect(accessClaims).toMatchObject({
      scope: 'aws.cognito.signin.user.admin',
      username,
      idp: 'native',
      token_use: 'access',
    });
    expect(running.events.preTokenGeneration.at(-1)?.triggerSource).toBe(
      'TokenGeneration_NewPasswordChallenge',
    );
    await expect(
      running.pool.verifyToken(session.getIdToken().getJwtToken(), { tokenUse: 'id' }),
    ).resolves.toMatchObject({
      sub: idClaims.sub,
    });

    const stored = await running.admin.send(
      new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: username }),
    );
    expect(stored.UserStatus).toBe('CONFIRMED');
    expect(stored.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('asks the TOTP code at the next login and refuses a wrong or replayed one', async () => {
    const username = await createUser();
    const { secret, password } = await enrolWithTotp(username);
    const usedCode = totp(secret, running.clock.now);

    const user = cognitoUser(running, username);
    expectKind(
      await signIn(user, new AuthenticationDetails({ Username: username, Password: password })),
      'totpRequired',
    );
    const replay = expectKind(
      await step((cb) => user.sendMFACode(usedCode, cb, 'SOFTWARE_TOKEN_MFA')),
      'failure',
    );
    expect(replay.error.code).toBe('CodeMismatchException');

    running.clock.now += 30_000;
    const { session } = expectKind(
      await step((cb) => user.sendMFACode(totp(secret, running.clock.now), cb, 'SOFTWARE_TOKEN_MFA')),
      'success',
    );
    expect(decodeJwt(session.getIdToken().getJwtToken())['cognito:username']).toBe(username);
    expect(running.events.preTokenGeneration.at(-1)?.triggerSource).toBe('TokenGeneration_Authentication');
  });

  it('answers a wrong password and an unknown user with the same NotAuthorizedException', async () => {
    const username = await createUser();
    const wrongPassword = expectKind(
      await signIn(
        cognitoUser(running, username),
        new AuthenticationDetails({ Username: username, Password: 'Not-The-Password-1' }),
      ),
      'failure',
    );
    const unknown = expectKind(
      await signIn(
        cognitoUser(running, `nobody-${randomUUID()}`),
        new AuthenticationDetails({ Username: 'x', Password: 'Whatever-Pass-1' }),
      ),
      'failure',
    );
    expect(wrongPassword.error.code).toBe('NotAuthorizedException');
    expect(unknown.error.code).toBe('NotAuthorizedException');
    expect(unknown.error.message).toBe(wrongPassword.error.message);
    expect(wrongPassword.error.message).toBe('Incorrect username or password.');
  });

  it('locks a user out after five wrong passwords, even for the right one', async () => {
    const username = await createUser();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const outcome = await signIn(
        cognitoUser(running, username),
        new AuthenticationDetails({ Username: username, Password: `Wrong-Password-${attempt}` }),
      );
      expect(expectKind(outcome, 'failure').error.message).toBe('Incorrect username or password.');
    }
    const locked = expectKind(
      await signIn(
        cognitoUser(running, username),
        new AuthenticationDetails({ Username: username, Password: TEMPORARY }),
      ),
      'failure',
    );
    expect(locked.error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    running.clock.now += 2_000;
    expectKind(
      await signIn(
        cognitoUser(running, username),
        new AuthenticationDetails({ Username: username, Password: TEMPORARY }),
      ),
      'newPasswordRequired',
    );
  });

  it('refreshes the tokens with fresh trigger claims and refuses an unknown refresh token', async () => {
    const username = await createUser();
    const { secret, password } = await enrolWithTotp(username);
    running.clock.now += 30_000;
    const user = cognitoUser(running, username);
    expectKind(
      await signIn(user, new AuthenticationDetails({ Username: username, Password: password })),
      'totpRequired',
    );
    const { session } = expectKind(
      await step((cb) => user.sendMFACode(totp(secret, running.clock.now), cb, 'SOFTWARE_TOKEN_MFA')),
      'success',
    );
    const before = decodeJwt(session.getAccessToken().getJwtToken());

    running.clock.now += 60_000;
    const refreshed = await new Promise<Outcome>((resolve) =>
      user.refreshSession(session.getRefreshToken(), (error, value) =>
        resolve(error ? { kind: 'failure', error } : { kind: 'success', session: value }),
      ),
    );
    const after = decodeJwt(expectKind(refreshed, 'success').session.getAccessToken().getJwtToken());
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.iat).toBeGreaterThan(before.iat as number);
    expect(after.idp).toBe('native');
    expect(running.events.preTokenGeneration.at(-1)?.triggerSource).toBe('TokenGeneration_RefreshTokens');

    await expect(
      running.admin.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: PORTAL.clientId,
          AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  });

  it('serves GetUser for an access token of the pool and refuses a forged one', async () => {
    const username = await createUser();
    const { user } = await enrolWithTotp(username);
    const accessToken = user.getSignInUserSession()?.getAccessToken().getJwtToken() ?? '';
    const publicClient = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: running.endpoint,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
    try {
      const me = await publicClient.send(new GetUserCommand({ AccessToken: accessToken }));
      expect(me.Username).toBe(username);
      expect(me.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
      await expect(
        publicClient.send(new GetUserCommand({ AccessToken: `${accessToken}x` })),
      ).rejects.toBeInstanceOf(NotAuthorizedException);
    } finally {
      publicClient.destroy();
    }
  });

  it('signs out as the SDKs do: RevokeToken ends the session, GlobalSignOut every session of the user', async () => {
    const username = await createUser();
    const { user, secret, password } = await enrolWithTotp(username);
    const first = user.getSignInUserSession();
    running.clock.now += 30_000;
    const again = cognitoUser(running, username);
    expectKind(
      await signIn(again, new AuthenticationDetails({ Username: username, Password: password })),
      'totpRequired',
    );
    const { session: second } = expectKind(
      await step((cb) => again.sendMFACode(totp(secret, running.clock.now), cb, 'SOFTWARE_TOKEN_MFA')),
      'success',
    );
    const publicClient = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: running.endpoint,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
    const getUser = (token: string | undefined) =>
      publicClient.send(new GetUserCommand({ AccessToken: token ?? '' }));
    const refresh = (token: string | undefined) =>
      publicClient.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: PORTAL.clientId, RefreshToken: token ?? '' }),
      );
    try {
      // amazon-cognito-identity-js signOut(): RevokeToken with the session's refresh token.
      await new Promise<void>((resolve) => user.signOut(resolve));

      await expect(getUser(first?.getAccessToken().getJwtToken())).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      await expect(refresh(first?.getRefreshToken().getToken())).rejects.toBeInstanceOf(
        NotAuthorizedException,
      );
      // The other sign-in lives on until the user signs out everywhere.
      expect((await getUser(second.getAccessToken().getJwtToken())).Username).toBe(username);
      await publicClient.send(
        new GlobalSignOutCommand({ AccessToken: second.getAccessToken().getJwtToken() }),
      );
      await expect(getUser(second.getAccessToken().getJwtToken())).rejects.toBeInstanceOf(
        NotAuthorizedException,
      );
      await expect(refresh(second.getRefreshToken().getToken())).rejects.toBeInstanceOf(
        NotAuthorizedException,
      );
    } finally {
      publicClient.destroy();
    }
  });

  it('expires a sign-in session after three minutes', async () => {
    const username = await createUser();
    const user = cognitoUser(running, username);
    expectKind(
      await signIn(user, new AuthenticationDetails({ Username: username, Password: TEMPORARY })),
      'newPasswordRequired',
    );
    running.clock.now += 181_000;
    const late = expectKind(
      await step((cb) => user.completeNewPasswordChallenge(strongPassword(), {}, cb)),
      'failure',
    );
    expect(late.error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });
});

describe('local Cognito admin API', () => {
  it('refuses a duplicate user, a weak temporary password and an unsigned or badly signed call', async () => {
    const username = await createUser();
    await expect(createUser(username.toUpperCase())).rejects.toBeInstanceOf(UsernameExistsException);
    await expect(
      running.admin.send(
        new AdminCreateUserCommand({
          UserPoolId: POOL_ID,
          Username: `weak-${randomUUID()}`,
          TemporaryPassword: 'weakpass',
          MessageAction: 'SUPPRESS',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidPasswordException);

    const wrongSecret = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: running.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    try {
      await expect(
        wrongSecret.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: username })),
      ).rejects.toMatchObject({
        name: 'InvalidSignatureException',
      });
    } finally {
      wrongSecret.destroy();
    }

    const unsigned = await fetch(running.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
      },
      body: JSON.stringify({ UserPoolId: POOL_ID, Username: username }),
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('runs pre sign-up for AdminCreateUser and creates nobody when it throws', async () => {
    const refusing = await startPool({
      triggers: {
        preSignUp: async (event) => {
          if (event.triggerSource !== 'PreSignUp_AdminCreateUser') throw new Error('unexpected source');
          throw new Error('Registration office closed');
        },
      },
    });
    try {
      const username = `refused-${randomUUID().slice(0, 8)}`;
      const error = await refusing.admin
        .send(
          new AdminCreateUserCommand({
            UserPoolId: POOL_ID,
            Username: username,
            TemporaryPassword: TEMPORARY,
            MessageAction: 'SUPPRESS',
          }),
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserLambdaValidationException);
      expect((error as Error).message).toBe('PreSignUp failed with error Registration office closed.');
      expect(refusing.pool.getUser(username)).toBeUndefined();
    } finally {
      await refusing.close();
    }
  });

  it('refuses a flow the app client does not allow and a forged session', async () => {
    const locked = await startPool({
      clients: [{ ...PORTAL, explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] }],
    });
    const client = new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: locked.endpoint,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_SRP_AUTH',
            ClientId: PORTAL.clientId,
            AuthParameters: { USERNAME: 'x', SRP_A: 'ab' },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'USER_SRP_AUTH flow not enabled for this client',
      });
      await expect(
        client.send(
          new RespondToAuthChallengeCommand({
            ClientId: PORTAL.clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            Session: 'forged',
            ChallengeResponses: { USERNAME: 'x' },
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    } finally {
      client.destroy();
      await locked.close();
    }
  });
});
