/**
 * Issue 12 item 7, tried as a token holder would: with the app clients of the synthesized dev stage,
 * a native session (portal-native, the only client with an API sign-in) may change its locale and
 * nothing else, and a token of the federated portal client cannot call UpdateUserAttributes at all.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import { NATIVE_CLIENT_NAME } from '#lib/config';
import { OAuthError } from '#local/cognito/index';
import { appClients } from '#local/server/plan';
import { synthesizeStage } from '#local/server/template';
import { issueCodeCard, type Outcome, POOL_ID, poolPerFile, step } from './native-harness.ts';

const clients = appClients(synthesizeStage('dev').accessTemplate);
const NATIVE = `sandbox-${NATIVE_CLIENT_NAME}`;
const PORTAL = 'sandbox-portal';
const UNAUTHORIZED_ATTRIBUTE = 'A client attempted to write unauthorized attribute';

const running = poolPerFile({ clients, mfaConfiguration: 'OPTIONAL' });

function expectSuccess(outcome: Outcome) {
  if (outcome.kind !== 'success') throw new Error(`expected tokens, got ${outcome.kind}`);
  return outcome.session;
}

/** A native user signed in through the native client (password, then a code of the card). */
async function nativeSession(): Promise<{ username: string; accessToken: string }> {
  const username = `ea-${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const password = `Strong-${randomUUID().slice(0, 8)}-Pw1`;
  await running.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: POOL_ID,
      Username: username,
      TemporaryPassword: 'Temporary-Pass-123',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.be` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await running.admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: POOL_ID,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  const card = issueCodeCard(username);
  const user = new CognitoUser({
    Username: username,
    Pool: new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: NATIVE, endpoint: running.endpoint }),
  });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const challenge = await step((callbacks) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks),
  );
  if (challenge.kind !== 'customChallenge') throw new Error(`expected the code card, got ${challenge.kind}`);
  const code = card[Number(challenge.parameters.position) - 1] ?? '';
  const session = expectSuccess(await step((callbacks) => user.sendCustomChallengeAnswer(code, callbacks)));
  return { username, accessToken: session.getAccessToken().getJwtToken() };
}

const update = (accessToken: string, attributes: Record<string, string>) =>
  running.admin.send(
    new UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );

describe('UpdateUserAttributes on the local pool with the dev stage clients', () => {
  it.each([
    ['custom:national_number', '06070500252'],
    ['custom:loa', 'http://eidas.europa.eu/LoA/high'],
    ['custom:eidas_person_id', 'BE/BE/victim'],
    ['email', 'attacker@example.com'],
  ])('refuses a native session writing %s and changes nothing', async (name, value) => {
    const { username, accessToken } = await nativeSession();
    const before = running.pool.getUser(username);

    await expect(update(accessToken, { [name]: value })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: UNAUTHORIZED_ATTRIBUTE,
    });
    expect(running.pool.getUser(username)?.attributes).toEqual(before?.attributes);
    expect(running.pool.getUser(username)?.updatedAt).toEqual(before?.updatedAt);
  });

  it('refuses the whole request when one attribute is not writable, so not even the locale changes', async () => {
    const { username, accessToken } = await nativeSession();

    await expect(
      update(accessToken, { locale: 'nl', 'custom:national_number': '06070500252' }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: UNAUTHORIZED_ATTRIBUTE });
    expect(running.pool.getUser(username)?.attributes).not.toHaveProperty('locale');
    expect(running.pool.getUser(username)?.attributes).not.toHaveProperty('custom:national_number');
  });

  it('lets a native session change its locale, and delete it with an empty value', async () => {
    const { username, accessToken } = await nativeSession();

    await update(accessToken, { locale: 'fr' });
    const after = await running.admin.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(after.UserAttributes).toContainEqual({ Name: 'locale', Value: 'fr' });
    expect(running.pool.getUser(username)?.attributes.locale).toBe('fr');

    await update(accessToken, { locale: '' });
    expect(running.pool.getUser(username)?.attributes).not.toHaveProperty('locale');
  });

  it('refuses a token of the federated portal client: it never carries the admin scope', async () => {
    const userName = `itsme_${randomUUID()}`;
    const tokens = await running.pool.federatedSignIn({
      providerName: 'itsme',
      userName,
      clientId: PORTAL,
      attributes: { 'custom:national_number': '85073003328', 'custom:given_name': 'Mallory' },
    });
    expect(String(tokens.accessTokenClaims.scope).split(' ')).not.toContain('aws.cognito.signin.user.admin');

    await expect(
      update(tokens.accessToken, { 'custom:national_number': '06070500252' }),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
    await expect(update(tokens.accessToken, { locale: 'nl' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    expect(running.pool.getUser(userName)?.attributes).toEqual({
      'custom:national_number': '85073003328',
      'custom:given_name': 'Mallory',
    });
  });

  it.each(['CUSTOM_AUTH', 'USER_SRP_AUTH', 'USER_PASSWORD_AUTH'])(
    'refuses the API sign-in %s on the federated portal client',
    async (flow) => {
      const { username } = await nativeSession();

      await expect(
        running.admin.send(
          new InitiateAuthCommand({
            AuthFlow: flow as 'CUSTOM_AUTH',
            ClientId: PORTAL,
            AuthParameters: { USERNAME: username, SRP_A: 'ab', PASSWORD: 'x' },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: `${flow} flow not enabled for this client`,
      });
    },
  );

  it('refuses a federated login through the native client, which offers Cognito users only', async () => {
    const userName = `itsme_${randomUUID()}`;

    await expect(
      running.pool.federatedSignIn({ providerName: 'itsme', userName, clientId: NATIVE, attributes: {} }),
    ).rejects.toBeInstanceOf(OAuthError);
    expect(running.pool.getUser(userName)).toBeUndefined();
  });
});
