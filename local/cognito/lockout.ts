/**
 * Password lockout: after 5 wrong passwords in a row the user is locked out for 1 s, then doubling
 * up to 15 min (`Password attempts exceeded`), whatever password comes. Sign-in and ChangePassword
 * count attempts alike.
 */
import { type NativeState, notAuthorized } from './native-state.ts';
import type { StoredUser } from './pool-model.ts';

const LOCKOUT_AFTER = 5;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;

/** @throws NotAuthorizedException `Password attempts exceeded` while the user is locked out */
export function checkLockout(state: NativeState, user: StoredUser): void {
  const credentials = state.credentialsOf(user);
  if (credentials.lockedUntil > state.pool.now()) throw notAuthorized('Password attempts exceeded');
}

/** Counts a password attempt. @throws NotAuthorizedException when it failed */
export function passwordOutcome(state: NativeState, user: StoredUser, valid: boolean): void {
  const credentials = state.credentialsOf(user);
  if (valid) {
    credentials.failedPasswords = 0;
    return;
  }
  credentials.failedPasswords += 1;
  if (credentials.failedPasswords >= LOCKOUT_AFTER) {
    const lockMs = Math.min(1000 * 2 ** (credentials.failedPasswords - LOCKOUT_AFTER), MAX_LOCKOUT_MS);
    credentials.lockedUntil = state.pool.now() + lockMs;
  }
  throw notAuthorized();
}
