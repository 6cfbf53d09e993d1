import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails } from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalCognitoTriggers } from '#local/cognito/index';
import { localCredentials } from '#local/dynamodb-local';
import { generateNativeUserName } from '#shared/native-user';
import { issueTestCard, MemoryCodeCardStore } from '#test/helpers/code-cards';
import { AdminCognitoUsers, generateTemporaryPassword } from '../../../lambdas/native/cognito-users.ts';
import {
  claimsTrigger,
  cognitoUser,
  expectKind,
  POOL_ID,
  type RunningPool,
  signIn,
  startPool,
  step,
  strongPassword,
} from './native-harness.ts';

let running: RunningPool;
let cards: MemoryCodeCardStore;
let accounts: AdminCognitoUsers;
let sdk: CognitoIdentityProviderClient;
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  // The entry modules build their DynamoDB store at import; these tests swap it for the memory one.
  vi.stubEnv('TABLE_NAME', 'not-used-by-these-tests');
  const [define, create, verify] = await Promise.all([
    import('#identity/define-auth-challenge'),
    import('#identity/create-auth-challenge'),
    import('#identity/verify-auth-challenge'),
  ]);
  cards = new MemoryCodeCardStore();
  const events: RunningPool['events'] = { define: [], create: [], verify: [], preTokenGeneration: [] };
  const triggers: LocalCognitoTriggers = {
    defineAuthChallenge: define.handler,
    createAuthChallenge: create.createCreateAuthChallengeHandler({ cards, logger: silentLogger }),
    verifyAuthChallengeResponse: verify.createVerifyAuthChallengeHandler({ cards, logger: silentLogger }),
    preTokenGeneration: claimsTrigger(events),
  };
  running = await startPool({ triggers });
  running.events.preTokenGeneration = events.preTokenGeneration;
  sdk = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: running.endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  // The registration office's own Cognito adapter, unchanged, against the emulator.
  accounts = new AdminCognitoUsers(POOL_ID, sdk);
});

afterAll(async () => {
  sdk.destroy();
  await running.close();
});

async function account(): Promise<{ username: string; temporaryPassword: string; codes: string[] }> {
  const username = generateNativeUserName();
  const temporaryPassword = generateTemporaryPassword();
  await accounts.createUser({ username, email: `${username}@example.org`, temporaryPassword });
  const { codes } = await issueTestCard(cards, username);
  return { username, temporaryPassword, codes };
}

const codeFor = (codes: string[], parameters: Record<string, string>) =>
  codes[Number(parameters.position) - 1] ?? '';

describe('local Cognito with the real code-card triggers', () => {
  it('takes an account the registration office created through the new password and the card to tokens', async () => {
    const { username, temporaryPassword, codes } = await account();
    const user = cognitoUser(running, username, 'CUSTOM_AUTH');
    expectKind(
      await signIn(user, new AuthenticationDetails({ Username: username, Password: temporaryPassword })),
      'newPasswordRequired',
    );
    const challenge = expectKind(
      await step((cb) => user.completeNewPasswordChallenge(strongPassword(), {}, cb)),
      'customChallenge',
    );
    const { session } = expectKind(
      await step((cb) => user.sendCustomChallengeAnswer(codeFor(codes, challenge.parameters), cb)),
      'success',
    );
    expect(decodeJwt(session.getIdToken().getJwtToken())['cognito:username']).toBe(username);
  });

  it('asks another position after a wrong code, and ends the login at the third wrong code', async () => {
    const { username, temporaryPassword, codes } = await account();
    const password = strongPassword();
    const first = cognitoUser(running, username, 'CUSTOM_AUTH');
    expectKind(
      await signIn(first, new AuthenticationDetails({ Username: username, Password: temporaryPassword })),
      'newPasswordRequired',
    );
    const asked = expectKind(
      await step((cb) => first.completeNewPasswordChallenge(password, {}, cb)),
      'customChallenge',
    );
    const again = expectKind(
      await step((cb) => first.sendCustomChallengeAnswer('wrong', cb)),
      'customChallenge',
    );
    expect(again.parameters.position).not.toBe(asked.parameters.position);
    expectKind(
      await step((cb) => first.sendCustomChallengeAnswer(codeFor(codes, again.parameters), cb)),
      'success',
    );

    const second = cognitoUser(running, username, 'CUSTOM_AUTH');
    expectKind(
      await signIn(second, new AuthenticationDetails({ Username: username, Password: password })),
      'customChallenge',
    );
    expectKind(await step((cb) => second.sendCustomChallengeAnswer('wrong', cb)), 'customChallenge');
    expectKind(await step((cb) => second.sendCustomChallengeAnswer('wrong', cb)), 'customChallenge');
    const refused = expectKind(await step((cb) => second.sendCustomChallengeAnswer('wrong', cb)), 'failure');
    expect(refused.error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('refuses an unknown native username at the password step with the error of a wrong password', async () => {
    const { username } = await account();
    const stranger = generateNativeUserName();
    const unknown = expectKind(
      await signIn(
        cognitoUser(running, stranger, 'CUSTOM_AUTH'),
        new AuthenticationDetails({ Username: stranger, Password: strongPassword() }),
      ),
      'failure',
    );
    const wrong = expectKind(
      await signIn(
        cognitoUser(running, username, 'CUSTOM_AUTH'),
        new AuthenticationDetails({ Username: username, Password: strongPassword() }),
      ),
      'failure',
    );
    expect(unknown.error).toMatchObject({ code: 'NotAuthorizedException', message: wrong.error.message });
  });

  it('refuses a duplicate username with the ConflictError the registration office retries on', async () => {
    const { username } = await account();
    await expect(
      accounts.createUser({
        username,
        email: 'x@example.org',
        temporaryPassword: generateTemporaryPassword(),
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });
});
