import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, type CognitoUser } from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  cognitoUser,
  expectKind,
  issueCodeCard,
  type Outcome,
  POOL_ID,
  PORTAL,
  poolPerFile,
  type RunningPool,
  signIn,
  startPool,
  step,
  strongPassword,
  TEMPORARY,
  totp,
} from './native-harness.ts';

// The code card is a custom challenge after the password: it needs MFA OPTIONAL (see native-users.ts).
const optional = poolPerFile({ mfaConfiguration: 'OPTIONAL' });

/** A native user with a code card; `password` makes it CONFIRMED, otherwise it keeps the temporary one. */
async function cardHolder(
  running: RunningPool,
  password?: string,
): Promise<{ username: string; card: string[] }> {
  const username = `card-${randomUUID().slice(0, 8)}`;
  await running.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL_ID,
      Username: username,
      TemporaryPassword: TEMPORARY,
      MessageAction: 'SUPPRESS',
    }),
  );
  if (password) {
    await running.admin.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: POOL_ID,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  }
  return { username, card: issueCodeCard(username) };
}

function codeAt(card: string[], parameters: Record<string, string>): string {
  return card[Number(parameters.position) - 1] ?? '';
}

async function passwordStep(user: CognitoUser, username: string, password: string): Promise<Outcome> {
  return signIn(user, new AuthenticationDetails({ Username: username, Password: password }));
}

describe('local Cognito custom challenge (code card)', () => {
  it('asks the card code after the new password and sends the define, create and verify events Cognito sends', async () => {
    const { username, card } = await cardHolder(optional);
    const firstDefine = optional.events.define.length;
    const user = cognitoUser(optional, username, 'CUSTOM_AUTH');

    expectKind(await passwordStep(user, username, TEMPORARY), 'newPasswordRequired');
    const challenge = expectKind(
      await step((cb) => user.completeNewPasswordChallenge(strongPassword(), {}, cb)),
      'customChallenge',
    );
    expect(challenge.parameters).toEqual({ position: expect.stringMatching(/^\d+$/), USERNAME: username });

    const { session } = expectKind(
      await step((cb) => user.sendCustomChallengeAnswer(codeAt(card, challenge.parameters), cb)),
      'success',
    );
    expect(decodeJwt(session.getIdToken().getJwtToken())).toMatchObject({
      'cognito:username': username,
      idp: 'native',
    });
    expect(optional.events.preTokenGeneration.at(-1)?.triggerSource).toBe(
      'TokenGeneration_NewPasswordChallenge',
    );

    const defines = optional.events.define.slice(firstDefine);
    expect(defines.map((event) => event.request.session)).toEqual([
      [{ challengeName: 'SRP_A', challengeResult: true }],
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
      ],
      [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        {
          challengeName: 'CUSTOM_CHALLENGE',
          challengeResult: true,
          challengeMetadata: `CODE_CARD-${challenge.parameters.position}`,
        },
      ],
    ]);
    expect(defines[0]).toMatchObject({
      version: '1',
      triggerSource: 'DefineAuthChallenge_Authentication',
      region: 'eu-west-1',
      userPoolId: POOL_ID,
      userName: username,
      callerContext: { clientId: PORTAL.clientId },
      request: { userNotFound: false, userAttributes: { 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' } },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(defines[1]?.request.userAttributes['cognito:user_status']).toBe('CONFIRMED');
    expect(optional.events.create.at(-1)).toMatchObject({
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: { challengeName: 'CUSTOM_CHALLENGE', userNotFound: false },
    });
    expect(optional.events.verify.at(-1)).toMatchObject({
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: {
        challengeAnswer: codeAt(card, challenge.parameters),
        privateChallengeParameters: { answer: codeAt(card, challenge.parameters) },
      },
    });
  });

  it('asks another position after a wrong code and lets the right code in', async () => {
    const password = strongPassword();
    const { username, card } = await cardHolder(optional, password);
    const user = cognitoUser(optional, username, 'CUSTOM_AUTH');

    const first = expectKind(await passwordStep(user, username, password), 'customChallenge');
    const second = expectKind(
      await step((cb) => user.sendCustomChallengeAnswer('999999x', cb)),
      'customChallenge',
    );
    expect(second.parameters.position).not.toBe(first.parameters.position);
    expect(optional.events.define.at(-1)?.request.session.at(-1)).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: false,
      challengeMetadata: `CODE_CARD-${first.parameters.position}`,
    });

    expectKind(
      await step((cb) => user.sendCustomChallengeAnswer(codeAt(card, second.parameters), cb)),
      'success',
    );
    expect(optional.events.preTokenGeneration.at(-1)?.triggerSource).toBe('TokenGeneration_Authentication');
  });

  it('refuses the login after three wrong codes, as define decides', async () => {
    const password = strongPassword();
    const { username } = await cardHolder(optional, password);
    const user = cognitoUser(optional, username, 'CUSTOM_AUTH');
    expectKind(await passwordStep(user, username, password), 'customChallenge');
    expectKind(await step((cb) => user.sendCustomChallengeAnswer('000000x', cb)), 'customChallenge');
    expectKind(await step((cb) => user.sendCustomChallengeAnswer('000000x', cb)), 'customChallenge');
    const refused = expectKind(await step((cb) => user.sendCustomChallengeAnswer('000000x', cb)), 'failure');
    expect(refused.error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    const replayed = expectKind(await step((cb) => user.sendCustomChallengeAnswer('000000x', cb)), 'failure');
    expect(replayed.error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
  });

  it('refuses a wrong password without asking define, and an unknown user with the same error', async () => {
    const password = strongPassword();
    const { username } = await cardHolder(optional, password);
    const defines = optional.events.define.length;
    const wrong = expectKind(
      await passwordStep(cognitoUser(optional, username, 'CUSTOM_AUTH'), username, 'Wrong-Password-99'),
      'failure',
    );
    expect(optional.events.define.length).toBe(defines + 1);

    const stranger = `stranger-${randomUUID()}`;
    const unknown = expectKind(
      await passwordStep(cognitoUser(optional, stranger, 'CUSTOM_AUTH'), stranger, password),
      'failure',
    );
    expect(optional.events.define.at(-1)?.request).toMatchObject({ userNotFound: true, userAttributes: {} });
    expect(unknown.error).toMatchObject({ code: wrong.error.code, message: wrong.error.message });
    expect(wrong.error.message).toBe('Incorrect username or password.');
  });

  it('asks the TOTP code instead, and issues tokens without define, for a user who enabled TOTP', async () => {
    const password = strongPassword();
    const { username, card } = await cardHolder(optional, password);
    const enrol = cognitoUser(optional, username, 'CUSTOM_AUTH');
    const challenge = expectKind(await passwordStep(enrol, username, password), 'customChallenge');
    expectKind(
      await step((cb) => enrol.sendCustomChallengeAnswer(codeAt(card, challenge.parameters), cb)),
      'success',
    );
    const { secretCode } = expectKind(await step((cb) => enrol.associateSoftwareToken(cb)), 'secretCode');
    expectKind(
      await step((cb) => enrol.verifySoftwareToken(totp(secretCode, optional.clock.now), 'phone', cb)),
      'success',
    );
    const preference = await new Promise<Error | null>((resolve) =>
      enrol.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (error) =>
        resolve(error ?? null),
      ),
    );
    expect(preference).toBeNull();

    optional.clock.now += 30_000;
    const user = cognitoUser(optional, username, 'CUSTOM_AUTH');
    expectKind(await passwordStep(user, username, password), 'totpRequired');
    const defines = optional.events.define.length;
    expectKind(
      await step((cb) => user.sendMFACode(totp(secretCode, optional.clock.now), cb, 'SOFTWARE_TOKEN_MFA')),
      'success',
    );
    expect(optional.events.define.length).toBe(defines);
  });
});

describe('local Cognito custom challenge with MFA ON (the deployed pool)', () => {
  it('asks for TOTP enrolment instead of the code card, as Cognito applies the pool MFA after the password', async () => {
    const required = await startPool({ mfaConfiguration: 'ON' });
    try {
      const password = strongPassword();
      const { username } = await cardHolder(required, password);
      const outcome = await passwordStep(cognitoUser(required, username, 'CUSTOM_AUTH'), username, password);
      expectKind(outcome, 'mfaSetup');
    } finally {
      await required.close();
    }
  });
});
