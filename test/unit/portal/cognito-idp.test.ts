import { describe, expect, it } from 'vitest';
import {
  CognitoError,
  callCognito,
  cognitoErrorMessage,
  groupSecret,
  NativeLogin,
  otpauthUri,
} from '../../../portal/src/auth/cognito-idp.ts';
import { parseConfig } from '../../../portal/src/config.ts';
import type { MessageKey } from '../../../portal/src/i18n/i18n.ts';
import { messages } from '../../../portal/src/i18n/messages.ts';

const CONFIG = {
  cognitoIdpEndpoint: 'https://idp.example/',
  userPoolId: 'eu-west-1_sandbox',
  clientId: 'portal-client',
};

const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

/** A fetch that answers each call with the next canned answer and records the requests. */
function scripted(answers: { status?: number; body: unknown }[]) {
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    requests.push({ target: headers['x-amz-target'] ?? '', body: JSON.parse(String(init.body)) });
    const answer = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
  }) as typeof fetch;
  return { fetchImpl, requests };
}

describe('portal native login', () => {
  it('starts CUSTOM_AUTH with SRP_A and answers PASSWORD_VERIFIER when Cognito asks for it', async () => {
    const { fetchImpl, requests } = scripted([
      {
        body: {
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: 's1',
          ChallengeParameters: {
            SALT: 'abcd',
            SECRET_BLOCK: 'AAAA',
            SRP_B: 'ff'.repeat(64),
            USERNAME: 'ea-k7m2p9qx4t',
            USER_ID_FOR_SRP: 'ea-k7m2p9qx4t',
          },
        },
      },
      { body: { ChallengeName: 'CUSTOM_CHALLENGE', Session: 's2', ChallengeParameters: { position: '7' } } },
    ]);
    const login = new NativeLogin(CONFIG, { fetch: fetchImpl });

    const step = await login.start('EA-K7M2P9QX4T', 'Correct-Horse-42!');

    expect(step).toEqual({ kind: 'codeCard', session: 's2', username: 'ea-k7m2p9qx4t', position: 7 });
    expect(requests[0]?.target).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(requests[0]?.body).toMatchObject({
      AuthFlow: 'CUSTOM_AUTH',
      ClientId: 'portal-client',
      AuthParameters: { USERNAME: 'EA-K7M2P9QX4T', CHALLENGE_NAME: 'SRP_A' },
    });
    expect(requests[1]?.body).toMatchObject({
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: 's1',
      ChallengeResponses: { USERNAME: 'ea-k7m2p9qx4t', PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA' },
    });
  });

  it('turns an AuthenticationResult into native tokens when the card code is right', async () => {
    const idToken = jwt({ person_id: 'p1', idp: 'native' });
    const { fetchImpl, requests } = scripted([
      {
        body: {
          AuthenticationResult: { IdToken: idToken, AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 },
        },
      },
    ]);
    const login = new NativeLogin(CONFIG, { fetch: fetchImpl, now: () => 1_000 });

    const step = await login.answer(
      { kind: 'codeCard', session: 's2', username: 'ea-x', position: 7 },
      ' 1234 ',
    );

    expect(step).toEqual({
      kind: 'done',
      tokens: { idToken, accessToken: 'a', refreshToken: 'r', expiresAt: 3_601_000, source: 'native' },
    });
    expect(requests[0]?.body).toMatchObject({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ChallengeResponses: { USERNAME: 'ea-x', ANSWER: '1234' },
    });
  });

  it.each([
    ['newPassword', 'NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: 'Pw 1' }],
    ['totp', 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: '123456' }],
  ] as const)('answers a %s step with %s', async (kind, challengeName, responses) => {
    const { fetchImpl, requests } = scripted([
      { body: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's4', ChallengeParameters: {} } },
    ]);
    const login = new NativeLogin(CONFIG, { fetch: fetchImpl });

    const step = await login.answer(
      { kind, session: 's3', username: 'ea-x' },
      kind === 'totp' ? '123 456' : 'Pw 1',
    );

    expect(step).toEqual({ kind: 'totp', session: 's4', username: 'ea-x' });
    expect(requests[0]?.body).toMatchObject({ ChallengeName: challengeName, ChallengeResponses: responses });
  });

  it('throws the error type without its namespace when Cognito refuses', async () => {
    const { fetchImpl } = scripted([
      {
        status: 400,
        body: { __type: 'aws.cognito#NotAuthorizedException', message: 'Incorrect username or password.' },
      },
    ]);

    const call = callCognito(CONFIG.cognitoIdpEndpoint, 'InitiateAuth', {}, fetchImpl);

    await expect(call).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  });

  it('refuses a challenge the portal cannot answer', async () => {
    const { fetchImpl } = scripted([
      { body: { ChallengeName: 'SMS_MFA', Session: 's', ChallengeParameters: {} } },
    ]);
    const login = new NativeLogin(CONFIG, { fetch: fetchImpl });

    await expect(login.answer({ kind: 'totp', session: 's', username: 'u' }, '1')).rejects.toMatchObject({
      type: 'UnsupportedChallenge',
    });
  });
});

describe('portal Cognito error messages', () => {
  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.', 'native.error.incorrect'],
    ['NotAuthorizedException', 'Password attempts exceeded', 'native.error.attempts'],
    [
      'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.',
      'native.error.temporaryExpired',
    ],
    ['NotAuthorizedException', 'Invalid session for the user, session is expired.', 'native.error.session'],
    ['NotAuthorizedException', 'User is disabled.', 'native.error.disabled'],
    ['CodeMismatchException', 'Invalid code received for user', 'native.error.appCode'],
    ['EnableSoftwareTokenMFAException', 'Code mismatch', 'native.error.appCode'],
    [
      'UserLambdaValidationException',
      'CreateAuthChallenge failed with error Your code card is locked after too many wrong codes. Try again.',
      'native.error.cardLocked',
    ],
    [
      'UserLambdaValidationException',
      'CreateAuthChallenge failed with error You have no code card yet. Ask.',
      'native.error.noCard',
    ],
    ['TooManyRequestsException', 'Rate exceeded', 'problem.429'],
    ['InternalErrorException', 'boom', 'native.error.other'],
    ['network', '', 'problem.network'],
  ])('maps %s "%s" to %s', (type, message, key) => {
    expect(cognitoErrorMessage(new CognitoError(type, message)).key).toBe(key);
  });

  it('keeps the broken password rule as detail when the new password is refused', () => {
    const message = cognitoErrorMessage(
      new CognitoError(
        'InvalidPasswordException',
        'Password did not conform with policy: Password not long enough',
      ),
    );

    expect(message).toEqual({ key: 'native.error.passwordPolicy', detail: 'Password not long enough' });
  });

  it('has every mapped message in nl, fr and en when the dictionaries are read', () => {
    const keys = Object.keys(messages.en).filter(
      (key) => key.startsWith('native.') || ['auth.loginNative', 'welcome.native'].includes(key),
    ) as MessageKey[];

    expect(keys.length).toBeGreaterThan(40);
    for (const language of ['nl', 'fr'] as const) {
      expect(
        keys.filter((key) => !messages[language][key] || messages[language][key] === messages.en[key]),
      ).toEqual([]);
    }
  });
});

describe('portal authenticator helpers', () => {
  it('builds an otpauth URI with the issuer and the account when a secret is shown', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'ea-k7m2p9qx4t'));

    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/eID Access:ea-k7m2p9qx4t');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'eID Access',
      digits: '6',
    });
  });

  it('groups a secret by four characters for reading', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
  });
});

describe('portal config for the native login', () => {
  const base = {
    apiBaseUrl: 'https://api.example',
    authBaseUrl: 'https://auth.example',
    clientId: 'c',
    redirectUri: 'https://portal.example/auth/callback',
  };

  it('keeps the Cognito endpoint, pool id and native client when all are valid', () => {
    expect(
      parseConfig({
        ...base,
        cognitoIdpEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
        userPoolId: 'eu-west-1_AbC123',
        nativeClientId: 'n',
      }),
    ).toMatchObject({
      cognitoIdpEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
      userPoolId: 'eu-west-1_AbC123',
      clientId: 'c',
      nativeClientId: 'n',
    });
  });

  it.each([
    ['names no native client', {}],
    ['names the federated client as the native one', { nativeClientId: 'c' }],
  ])('offers no native login when the config %s', (_case, extra) => {
    const config = parseConfig({
      ...base,
      cognitoIdpEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      userPoolId: 'eu-west-1_AbC123',
      ...extra,
    });

    expect(config.cognitoIdpEndpoint).toBeUndefined();
    expect(config.nativeClientId).toBeUndefined();
  });

  it('offers no native login when the pool id is not one', () => {
    const config = parseConfig({
      ...base,
      cognitoIdpEndpoint: 'https://cognito-idp.example',
      userPoolId: 'nope',
      nativeClientId: 'n',
    });

    expect(config.cognitoIdpEndpoint).toBeUndefined();
    expect(config.userPoolId).toBeUndefined();
  });
});
