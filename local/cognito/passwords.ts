/**
 * Native users' passwords: the pool's policy, and the SRP verifier kept instead of the password
 * (a temporary one expires after the policy's validity).
 */
import { randomBytes } from 'node:crypto';
import { CognitoIdpError } from './errors.ts';
import type { NativeState } from './native-state.ts';
import type { PasswordPolicy, StoredUser } from './pool-model.ts';
import { createVerifier, verifierWithSalt } from './srp.ts';

const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

/** Keeps a new verifier for the user (failed attempts and lockout carry over). */
export function setPassword(
  state: NativeState,
  user: StoredUser,
  password: string,
  temporary: boolean,
): void {
  const pool = state.pool;
  const credentials = state.credentials.get(user.username);
  const verifier = createVerifier(state.poolName, user.username, password);
  const temporaryExpiresAt = temporary
    ? pool.now() + pool.passwordPolicy.temporaryPasswordValidityDays * 24 * 3600 * 1000
    : undefined;
  state.credentials.set(user.username, {
    ...(credentials ?? { failedPasswords: 0, lockedUntil: 0 }),
    verifier,
    ...(temporaryExpiresAt === undefined ? {} : { temporaryExpiresAt }),
  });
  if (!temporary) {
    const updated = state.credentials.get(user.username);
    delete updated?.temporaryExpiresAt;
  }
  user.updatedAt = new Date(pool.now());
}

/** True when the password is the user's. */
export function passwordMatches(state: NativeState, user: StoredUser, password: string): boolean {
  const credentials = state.credentials.get(user.username);
  if (!credentials) return false;
  // Recomputing the verifier with the stored salt proves the password without keeping it.
  const probe = verifierWithSalt(state.poolName, user.username, password, credentials.verifier.salt);
  return probe === credentials.verifier.verifier;
}

/** @throws InvalidPasswordException with Cognito's reason when the password breaks the policy */
export function checkPolicy(policy: PasswordPolicy, password: string): void {
  const fail = (reason: string) =>
    new CognitoIdpError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
  if ([...password].length < policy.minimumLength) throw fail('Password not long enough');
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    throw fail('Password must have uppercase characters');
  if (policy.requireLowercase && !/[a-z]/.test(password))
    throw fail('Password must have lowercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  const inner = password.slice(1, -1);
  const hasSymbol = [...password].some((char, index) =>
    char === ' ' ? inner.includes(' ') && index > 0 && index < password.length - 1 : SYMBOLS.includes(char),
  );
  if (policy.requireSymbols && !hasSymbol) throw fail('Password must have symbol characters');
}

/** A temporary password for AdminCreateUser without one. */
export function generatePassword(): string {
  // Meets any policy: every class, and longer than Cognito's maximum minimum length (99) is never needed.
  return `Aa1!${randomBytes(24).toString('base64url')}`;
}
