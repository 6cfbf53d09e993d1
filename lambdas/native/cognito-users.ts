/**
 * The Cognito side of a native account: creating the user (AdminCreateUser) and removing it when the
 * rest of the account could not be completed. A port, so tests and the sandbox swap it.
 */

import { randomInt } from 'node:crypto';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError } from '#shared/errors';
import { traceAwsClient } from '#shared/tracing';

type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');
let cognitoModule: Promise<CognitoSdk> | undefined;

/**
 * The Cognito client module, loaded when an account is created: the registration office's other
 * routes (lookups, code cards, lists) never call Cognito, and loading the client is a sizeable part
 * of a cold start.
 */
function cognitoSdk(): Promise<CognitoSdk> {
  cognitoModule ??= import('@aws-sdk/client-cognito-identity-provider');
  return cognitoModule;
}

/** A user to create. */
export interface NewCognitoUser {
  username: string;
  email: string;
  temporaryPassword: string;
}

/** What account creation needs from Cognito. */
export interface CognitoUsers {
  /** @throws ConflictError when the username exists (a generated name collided: retry with another). */
  createUser(user: NewCognitoUser): Promise<void>;
  deleteUser(username: string): Promise<void>;
}

/** AdminCreateUser with the e-mail verified and Cognito's own invitation suppressed (we send ours). */
export class AdminCognitoUsers implements CognitoUsers {
  /** `client` defaults to a traced client, created at the first call. */
  constructor(
    private readonly userPoolId: string,
    private client?: CognitoIdentityProviderClient,
  ) {}

  /** The client and the SDK's commands. */
  private async sdk(): Promise<{ client: CognitoIdentityProviderClient; commands: CognitoSdk }> {
    const commands = await cognitoSdk();
    this.client ??= traceAwsClient(new commands.CognitoIdentityProviderClient({}));
    return { client: this.client, commands };
  }

  async createUser(user: NewCognitoUser): Promise<void> {
    const { client, commands } = await this.sdk();
    try {
      await client.send(
        new commands.AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: user.username,
          TemporaryPassword: user.temporaryPassword,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'UsernameExistsException') {
        throw new ConflictError('This username exists already.', { cause: error });
      }
      throw error;
    }
  }

  async deleteUser(username: string): Promise<void> {
    const { client, commands } = await this.sdk();
    try {
      await client.send(
        new commands.AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'UserNotFoundException')) throw error;
    }
  }
}

const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@';

/**
 * A temporary password for the pool's policy (≥ 14 characters, lower, upper, digit, symbol): 20
 * characters with every class present, shuffled. Readable characters only: it is typed from an e-mail.
 */
export function generateTemporaryPassword(random: (max: number) => number = randomInt): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const pick = (set: string) => set[random(set.length)] as string;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < 20) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
