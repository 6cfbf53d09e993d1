/**
 * The code card ("federal token"): 24 numbered personal codes, of which a login asks one. Pure
 * domain code shared by the registration-office API (issuing) and the auth-challenge triggers
 * (asking and checking); no AWS, no HTTP.
 *
 * Only salted hashes are stored: scrypt over `<position>:<code>` with a random per-card salt, so a
 * hash is bound to its position and two cards never share hashes. Comparison is constant-time.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/** Codes per card. */
export const CARD_SIZE = 24;
/** Characters per code. */
export const CODE_LENGTH = 6;
/** Upper case letters and digits without 0/O, 1/I/L: unambiguous on paper. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Wrong answers in a row that lock the card. */
export const MAX_CONSECUTIVE_FAILURES = 5;
/** How long a locked card stays locked unless a new card is issued (minutes). */
export const LOCK_MINUTES = 30;
/** Answers one login may give before it fails (the next login starts again). */
export const MAX_ANSWERS_PER_LOGIN = 3;

/** scrypt parameters, stored with every card so they can be raised later without breaking old cards. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/** ~16 MiB and a few tens of milliseconds per hash on Lambda: 24 hashes at issuance, 1 per answer. */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 14, r: 8, p: 1 };

const HASH_BYTES = 32;

/** A freshly generated card: the codes exist only here and in the PDF. */
export interface GeneratedCard {
  /** `codes[i]` is the code at position `i + 1`. */
  codes: string[];
  /** base64 */
  salt: string;
  /** base64 scrypt hashes, same order as `codes`. */
  hashes: string[];
  kdf: KdfParams;
}

/** Source of randomness; tests pass a deterministic one. */
export type RandomInt = (max: number) => number;

/** 24 distinct codes of {@link CODE_LENGTH} characters of {@link CODE_ALPHABET}. */
export function generateCodes(random: RandomInt = randomInt): string[] {
  const codes = new Set<string>();
  while (codes.size < CARD_SIZE) {
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)];
    codes.add(code);
  }
  return [...codes];
}

function scryptAsync(input: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(input, salt, HASH_BYTES, { ...kdf, maxmem: 128 * kdf.N * kdf.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** The hash of the code at a 1-based position. */
export async function hashCode(
  code: string,
  position: number,
  salt: string,
  kdf: KdfParams,
): Promise<string> {
  const key = await scryptAsync(`${position}:${code}`, Buffer.from(salt, 'base64'), kdf);
  return key.toString('base64');
}

/** Generates a card and hashes its codes. */
export async function generateCard(
  options: { random?: RandomInt; salt?: Buffer; kdf?: KdfParams } = {},
): Promise<GeneratedCard> {
  const codes = generateCodes(options.random);
  const salt = (options.salt ?? randomBytes(16)).toString('base64');
  const kdf = options.kdf ?? DEFAULT_KDF;
  const hashes = await Promise.all(codes.map((code, index) => hashCode(code, index + 1, salt, kdf)));
  return { codes, salt, hashes, kdf };
}

/** What people type: spaces and dashes ignored, case ignored. */
export function normaliseAnswer(answer: string): string {
  return answer.replace(/[\s-]/g, '').toUpperCase();
}

/** The stored part of a card that checking an answer needs. */
export interface StoredCardHashes {
  salt: string;
  hashes: readonly string[];
  kdf: KdfParams;
}

/**
 * True when `answer` is the code at `position`. Malformed answers are refused before hashing (no
 * scrypt work for garbage), and the comparison of hashes is constant-time.
 */
export async function verifyCode(card: StoredCardHashes, position: number, answer: string): Promise<boolean> {
  const expected = card.hashes[position - 1];
  if (expected === undefined) return false;
  const code = normaliseAnswer(answer);
  if (code.length !== CODE_LENGTH || [...code].some((c) => !CODE_ALPHABET.includes(c))) return false;
  const actual = Buffer.from(await hashCode(code, position, card.salt, card.kdf), 'base64');
  const wanted = Buffer.from(expected, 'base64');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** A random 1-based position, never `previous` (a position is not asked twice in a row). */
export function pickPosition(previous: number | undefined, random: RandomInt = randomInt): number {
  const excluded = previous !== undefined && previous >= 1 && previous <= CARD_SIZE ? previous : undefined;
  if (excluded === undefined) return random(CARD_SIZE) + 1;
  const pick = random(CARD_SIZE - 1) + 1;
  return pick >= excluded ? pick + 1 : pick;
}

/** True while a lock is in force. */
export function isLocked(lockedUntil: string | undefined, now: Date): boolean {
  return lockedUntil !== undefined && Date.parse(lockedUntil) > now.getTime();
}
