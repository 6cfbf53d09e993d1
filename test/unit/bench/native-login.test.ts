/**
 * The load test's native login helpers (test/bench/artillery/native-login.cjs); the login itself runs
 * against the sandbox's Cognito in test/e2e/sandbox-native.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { accountOf, totpCode } from '../../bench/artillery/native-login.cjs';

describe('totpCode', () => {
  it('answers the RFC 6238 SHA-1 test vectors (last 6 digits)', () => {
    // Prepare: the RFC's key "12345678901234567890", base32 as Cognito hands secrets out.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

    // Assess: T = 59 s, 1111111109 s and 20000000000 s (RFC 6238 appendix B: 94287082, 07081804, 65353130).
    expect(totpCode(secret, Math.floor(59 / 30))).toBe('287082');
    expect(totpCode(secret, Math.floor(1_111_111_109 / 30))).toBe('081804');
    expect(totpCode(secret, Math.floor(20_000_000_000 / 30))).toBe('353130');
  });

  it('refuses a secret that is not base32', () => {
    expect(() => totpCode('not-base32!', 1)).toThrow('the TOTP secret is not base32');
  });
});

describe('accountOf', () => {
  it('reads a users.csv line: the card as 24 codes in position order, empty columns left out', () => {
    // Act
    const withCard = accountOf({ username: 'jan', password: 'pw', totpSecret: '', codeCard: ' A1 B2  C3 ' });
    const withApp = accountOf({ username: 'zoe', password: 'pw', totpSecret: 'ABC', codeCard: '' });

    // Assess
    expect(withCard).toStrictEqual({ username: 'jan', password: 'pw', codeCard: ['A1', 'B2', 'C3'] });
    expect(withApp).toStrictEqual({ username: 'zoe', password: 'pw', totpSecret: 'ABC' });
  });
});
