/**
 * The Cognito side of a native account: creating the user (AdminCreateUser) and removing it when the
 * rest of the account could not be completed. A port, so tests and the sandbox swap it.
 */

import { randomInt } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError } from '#shared/errors';
import { traceAwsClient } from '#shared/tracing';

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
  constructor(
    private readonly userPoolId: string,
    private readonly client: CognitoIdentityProviderClient = traceAwsClient(
      new CognitoIdentityProviderClient({}),
    ),
  ) {}

  async createUser(user: NewCognitoUser): Promise<void> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
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
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username }));
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
