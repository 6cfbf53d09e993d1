import { createHmac, randomBytes } from 'node:crypto';
import * as cognitoIdentity from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import { createVerifier, serverChallenge, sessionKey, verifyPasswordClaim } from '#local/cognito/srp';
import { SrpClient, srpTimestamp } from '../../../portal/src/auth/srp.ts';
import { padHex } from '../../../portal/src/auth/srp-group.ts';

const POOL_ID = 'eu-west-1_sandbox';
const USER = 'ea-k7m2p9qx4t';
const PASSWORD = 'Correct-Horse-42';
// Exported by the package but missing from its type declarations.
const { AuthenticationHelper } = cognitoIdentity as unknown as {
  AuthenticationHelper: new (poolName: string) => unknown;
};

/** amazon-cognito-identity-js's key for the same `a`, B and salt (its BigInteger, callbacks). */
function referenceKey(aHex: string, B: string, salt: string): Promise<Buffer> {
  const helper = new AuthenticationHelper('sandbox') as unknown as {
    k: { constructor: new (hex: string, radix: number) => unknown };
    smallAValue: unknown;
    largeAValue: unknown;
    getLargeAValue(callback: (error: unknown, value: unknown) => void): void;
    getPasswordAuthenticationKey(
      user: string,
      password: string,
      B: unknown,
      salt: unknown,
      callback: (error: unknown, key: Buffer) => void,
    ): void;
  };
  const BigInteger = helper.k.constructor;
  helper.smallAValue = new BigInteger(aHex, 16);
  helper.largeAValue = undefined;
  helper.getLargeAValue(() => {});
  return new Promise((resolveKey, reject) =>
    helper.getPasswordAuthenticationKey(
      USER,
      PASSWORD,
      new BigInteger(B, 16),
      new BigInteger(salt, 16),
      (error, key) => (error ? reject(error) : resolveKey(key)),
    ),
  );
}

function signature(key: Buffer, secretBlock: string, timestamp: string): string {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from('sandbox'),
        Buffer.from(USER),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
}

describe('portal SRP client', () => {
  it.each([1, 2, 3, 4, 5])(
    'signs like amazon-cognito-identity-js when both use the same random a (run %i)',
    async () => {
      const aHex = randomBytes(128).toString('hex');
      const verifier = createVerifier('sandbox', USER, PASSWORD);
      const challenge = serverChallenge(verifier);
      const secretBlock = randomBytes(64).toString('base64');
      const now = new Date('2026-03-05T07:08:09Z');
      const client = new SrpClient(POOL_ID, aHex);

      const claim = await client.passwordClaim(
        { SALT: verifier.salt, SECRET_BLOCK: secretBlock, SRP_B: challenge.B, USER_ID_FOR_SRP: USER },
        PASSWORD,
        now,
      );

      const key = await referenceKey(aHex, challenge.B, verifier.salt);
      expect(claim.PASSWORD_CLAIM_SIGNATURE).toBe(signature(key, secretBlock, claim.TIMESTAMP));
      expect(claim.PASSWORD_CLAIM_SECRET_BLOCK).toBe(secretBlock);
    },
  );

  it('is accepted by the sandbox pool when the password is right and refused when it is wrong', async () => {
    const verifier = createVerifier('sandbox', USER, PASSWORD);
    const challenge = serverChallenge(verifier);
    const secretBlock = randomBytes(64).toString('base64');
    const parameters = {
      SALT: verifier.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: challenge.B,
      USER_ID_FOR_SRP: USER,
    };
    const verify = async (password: string) => {
      const client = new SrpClient(POOL_ID);
      const claim = await client.passwordClaim(parameters, password);
      return verifyPasswordClaim({
        key: sessionKey({ A: client.srpA, challenge, verifier }),
        poolName: 'sandbox',
        userId: USER,
        secretBlock,
        timestamp: claim.TIMESTAMP,
        signature: claim.PASSWORD_CLAIM_SIGNATURE,
      });
    };

    expect(await verify(PASSWORD)).toBe(true);
    expect(await verify('Wrong-Horse-42')).toBe(false);
  });

  it('formats the timestamp as Cognito does when the day has one digit', () => {
    expect(srpTimestamp(new Date('2026-03-05T07:08:09Z'))).toBe('Thu Mar 5 07:08:09 UTC 2026');
    expect(srpTimestamp(new Date('2025-12-25T23:59:00Z'))).toBe('Thu Dec 25 23:59:00 UTC 2025');
  });

  it('pads hex as Cognito does when the high bit is set or the length is odd', () => {
    expect(padHex(0xfn)).toBe('0f');
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0x7fffn)).toBe('7fff');
  });

  it('refuses a server value B that is a multiple of N', async () => {
    const client = new SrpClient(POOL_ID);

    await expect(
      client.passwordClaim({ SALT: '01', SECRET_BLOCK: 'AA==', SRP_B: '0', USER_ID_FOR_SRP: USER }, PASSWORD),
    ).rejects.toThrow('B mod N is 0');
  });
});
