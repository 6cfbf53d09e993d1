/**
 * The readers of the wallet bridge's items (store.ts): a transaction, an authorization code and an
 * access token, each checked field by field on the way out of the table — no item becomes a
 * transaction by a cast. Hand-written, without zod, like the login triggers' readers in
 * `lambdas/shared/items/`: the verifier carries no schema library (its bundle is near the functions'
 * size target). A stored item that does not match is a bug, not a wallet's or a person's mistake:
 * {@link StoredItemError}, naming the item type and the field, never the stored value (a transaction
 * holds a private key and PID claims).
 */
import type { JWK } from 'jose';
import { text } from '#shared/item-fields';
import { StoredItemError } from '#shared/items/stored-item-error';
import { PRESENTATION_REFUSAL_REASONS, type PresentationRefusalReason } from './errors.ts';

type Item = Record<string, unknown>;

/** Cognito's authorization request, as the bridge must answer it. */
export interface RelyingPartyRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  /** The page's language (nl, fr, en, de). */
  locale: string;
}

/** One wallet login. */
export interface Transaction {
  transactionId: string;
  status: 'pending' | 'verified' | 'failed' | 'completed';
  request: RelyingPartyRequest;
  /** The OpenID4VP nonce of the request object. */
  nonce: string;
  /** The ephemeral private key the wallet's response is encrypted to. */
  encryptionJwk: JWK;
  /** SHA-256 of the browser's secret (cookie): only that browser may complete a cross-device login. */
  browserSecretHash: string;
  /** SHA-256 of the `response_code` the wallet's redirect carries (same-device). */
  responseCodeHash?: string;
  /** The claims of the verified PID, for the ID token. */
  claims?: Record<string, unknown>;
  refusal?: PresentationRefusalReason;
  createdAt: string;
  /** TTL, seconds since the epoch. */
  expiresAt: number;
}

/** What the token endpoint needs of a code. */
export interface CodeGrant {
  transactionId: string;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  claims: Record<string, unknown>;
  expiresAt: number;
}

const TRANSACTION_STATUSES = ['pending', 'verified', 'failed', 'completed'] as const;

function requiredText(itemType: string, item: Item, field: string): string {
  const value = text(item[field]);
  if (value === undefined) throw new StoredItemError(itemType, field, 'expected a non-empty string');
  return value;
}

function requiredNumber(itemType: string, item: Item, field: string): number {
  const value = item[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoredItemError(itemType, field, 'expected a number');
  }
  return value;
}

function requiredObject(itemType: string, item: Item, field: string): Item {
  const value = item[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoredItemError(itemType, field, 'expected a map');
  }
  return value as Item;
}

/** Optional text fields present as non-empty strings, in the given order. */
function optionalTexts<K extends string>(item: Item, fields: readonly K[]): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (const field of fields) {
    const value = text(item[field]);
    if (value !== undefined) found[field] = value;
  }
  return found;
}

/** Cognito's authorization request stored on a transaction. */
function readRelyingPartyRequest(item: Item): RelyingPartyRequest {
  const request = requiredObject('walletTransaction', item, 'request');
  const field = (name: string) => requiredText('walletTransaction', request, name);
  return {
    clientId: field('clientId'),
    redirectUri: field('redirectUri'),
    locale: field('locale'),
    ...optionalTexts(request, ['state', 'nonce'] as const),
  };
}

/**
 * The transaction of a stored item (keys dropped).
 * @throws StoredItemError for an item that does not match
 */
export function readTransaction(item: Item): Transaction {
  const type = 'walletTransaction';
  const status = item.status;
  if (!TRANSACTION_STATUSES.includes(status as Transaction['status'])) {
    throw new StoredItemError(type, 'status', 'not a transaction status');
  }
  const encryptionJwk = requiredObject(type, item, 'encryptionJwk');
  if (typeof encryptionJwk.kty !== 'string')
    throw new StoredItemError(type, 'encryptionJwk.kty', 'expected string');
  const refusal = item.refusal;
  if (refusal !== undefined && !PRESENTATION_REFUSAL_REASONS.includes(refusal as PresentationRefusalReason)) {
    throw new StoredItemError(type, 'refusal', 'not a refusal reason');
  }
  return {
    transactionId: requiredText(type, item, 'transactionId'),
    status: status as Transaction['status'],
    request: readRelyingPartyRequest(item),
    nonce: requiredText(type, item, 'nonce'),
    encryptionJwk: encryptionJwk as JWK,
    browserSecretHash: requiredText(type, item, 'browserSecretHash'),
    ...optionalTexts(item, ['responseCodeHash'] as const),
    ...(item.claims !== undefined ? { claims: requiredObject(type, item, 'claims') } : {}),
    ...(refusal !== undefined ? { refusal: refusal as PresentationRefusalReason } : {}),
    createdAt: requiredText(type, item, 'createdAt'),
    expiresAt: requiredNumber(type, item, 'expiresAt'),
  };
}

/**
 * The grant of a redeemed authorization code (keys dropped).
 * @throws StoredItemError for an item that does not match
 */
export function readCodeGrant(item: Item): CodeGrant {
  const type = 'walletCode';
  return {
    transactionId: requiredText(type, item, 'transactionId'),
    clientId: requiredText(type, item, 'clientId'),
    redirectUri: requiredText(type, item, 'redirectUri'),
    ...optionalTexts(item, ['nonce'] as const),
    claims: requiredObject(type, item, 'claims'),
    expiresAt: requiredNumber(type, item, 'expiresAt'),
  };
}

/**
 * The claims and expiry of a stored access token.
 * @throws StoredItemError for an item that does not match
 */
export function readAccessToken(item: Item): { claims: Record<string, unknown>; expiresAt: number } {
  const type = 'walletToken';
  return { claims: requiredObject(type, item, 'claims'), expiresAt: requiredNumber(type, item, 'expiresAt') };
}
