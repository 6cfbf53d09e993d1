/**
 * The code card item (`nativeKeys.codeCard`), read by the create and verify auth-challenge triggers.
 * Hand-written on purpose, without zod: the login triggers carry no schema library (bundle size and
 * cold start on every login). Same contract as the zod readers: a card whose identity fields are
 * missing throws {@link StoredItemError}; optional fields absent or `''` read as absent.
 */
import type { KdfParams } from '../code-card.ts';
import { StoredItemError } from './stored-item-error.ts';

/** A stored card with its login state. */
export interface StoredCard {
  username: string;
  personId: string;
  /** ULID of this card. */
  cardId: string;
  /** 1 for the first card, +1 per new card: the old card is invalid the moment the version moves. */
  version: number;
  salt: string;
  hashes: string[];
  kdf: KdfParams;
  createdAt: string;
  /** Consecutive wrong answers (reset by a right answer and by a new card). */
  failures: number;
  lockedUntil?: string;
  /** The position asked last (never asked twice in a row). */
  lastPosition?: number;
}

function required(
  item: Record<string, unknown>,
  field: 'username' | 'personId' | 'cardId' | 'createdAt',
): string {
  const value = item[field];
  if (typeof value !== 'string') throw new StoredItemError('codeCard', field, 'expected string');
  return value;
}

/**
 * The card of a stored item; `undefined` when its hash material (version, hashes, salt, KDF
 * parameters) is unusable, which the login treats as no card.
 * @throws StoredItemError when the card's username, person, id or creation time is missing.
 */
export function readCodeCard(item: Record<string, unknown>): StoredCard | undefined {
  const kdf = item.kdf as Partial<KdfParams> | undefined;
  if (
    typeof item.version !== 'number' ||
    !Array.isArray(item.hashes) ||
    typeof item.salt !== 'string' ||
    typeof kdf?.N !== 'number' ||
    typeof kdf.r !== 'number' ||
    typeof kdf.p !== 'number'
  ) {
    return undefined;
  }
  const card: StoredCard = {
    username: required(item, 'username'),
    personId: required(item, 'personId'),
    cardId: required(item, 'cardId'),
    version: item.version,
    salt: item.salt,
    hashes: item.hashes.map(String),
    kdf: { N: kdf.N, r: kdf.r, p: kdf.p },
    createdAt: required(item, 'createdAt'),
    failures: typeof item.failures === 'number' ? item.failures : 0,
  };
  if (typeof item.lockedUntil === 'string' && item.lockedUntil !== '') card.lockedUntil = item.lockedUntil;
  if (typeof item.lastPosition === 'number') card.lastPosition = item.lastPosition;
  return card;
}
