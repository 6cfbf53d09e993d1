/** The wallet bridge's item readers (lambdas/wallet-bridge/items.ts): checked, never cast. */
import { describe, expect, it } from 'vitest';
import { StoredItemError } from '#shared/items/stored-item-error';
import { readAccessToken, readCodeGrant, readTransaction } from '../../../lambdas/wallet-bridge/items.ts';

const transaction = () => ({
  PK: 'WALLET_TX#tx-1',
  SK: 'WALLET_TX#tx-1',
  transactionId: 'tx-1',
  status: 'verified',
  request: { clientId: 'cognito', redirectUri: 'https://x/idpresponse', locale: 'nl', state: 's', nonce: '' },
  nonce: 'n-1',
  encryptionJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' },
  browserSecretHash: 'b',
  responseCodeHash: 'r',
  claims: { sub: 'BE/123' },
  createdAt: '2026-12-07T10:00:00.000Z',
  expiresAt: 1_800_000_000,
});

function fieldOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(StoredItemError);
    expect((error as Error).message).not.toContain('BE/123');
    return (error as StoredItemError).field;
  }
  throw new Error('expected a StoredItemError');
}

describe('readTransaction', () => {
  it('reads a stored transaction without its keys, optional text absent or empty left out', () => {
    // Act
    const read = readTransaction(transaction());

    // Assess
    const { PK: _pk, SK: _sk, ...expected } = transaction();
    expect(read).toStrictEqual({
      ...expected,
      request: { clientId: 'cognito', redirectUri: 'https://x/idpresponse', locale: 'nl', state: 's' },
    });
  });

  it('names the field of an item that does not match, never its value', () => {
    // Assess
    expect(fieldOf(() => readTransaction({ ...transaction(), status: 'approved' }))).toBe('status');
    expect(fieldOf(() => readTransaction({ ...transaction(), expiresAt: '1800000000' }))).toBe('expiresAt');
    expect(fieldOf(() => readTransaction({ ...transaction(), encryptionJwk: 'k' }))).toBe('encryptionJwk');
    expect(fieldOf(() => readTransaction({ ...transaction(), refusal: 'bored' }))).toBe('refusal');
    expect(fieldOf(() => readTransaction({ ...transaction(), claims: 'BE/123' }))).toBe('claims');
    expect(fieldOf(() => readTransaction({ ...transaction(), request: { clientId: 'c' } }))).toBe(
      'redirectUri',
    );
  });

  it('reads a refused transaction with its reason', () => {
    // Prepare
    const { claims: _claims, responseCodeHash: _code, ...pending } = transaction();

    // Assess
    expect(readTransaction({ ...pending, status: 'failed', refusal: 'revoked' })).toMatchObject({
      status: 'failed',
      refusal: 'revoked',
    });
  });
});

describe('readCodeGrant and readAccessToken', () => {
  it('read a code and a token, and refuse one without claims', () => {
    // Prepare
    const code = {
      transactionId: 'tx-1',
      clientId: 'cognito',
      redirectUri: 'https://x/idpresponse',
      claims: { sub: 'BE/123' },
      expiresAt: 1_800_000_000,
    };

    // Assess
    expect(readCodeGrant({ PK: 'k', SK: 'k', ...code })).toStrictEqual(code);
    expect(readAccessToken({ claims: { sub: 'BE/123' }, expiresAt: 5 })).toStrictEqual({
      claims: { sub: 'BE/123' },
      expiresAt: 5,
    });
    expect(fieldOf(() => readCodeGrant({ ...code, claims: undefined }))).toBe('claims');
    expect(fieldOf(() => readAccessToken({ claims: {} }))).toBe('expiresAt');
  });
});
