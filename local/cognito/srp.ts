/**
 * The server side of Cognito's SRP-6a variant (what amazon-cognito-identity-js's AuthenticationHelper
 * and Amplify talk to): the 3072-bit group of RFC 3526 with g = 2, SHA-256, `k = H(N | g)`,
 * `u = H(A | B)`, `x = H(salt | H(poolName | userId | ":" | password))`, every value hashed in
 * Cognito's "padded hex" (even length, a `00` byte before a set high bit), the 16-byte session key
 * from HKDF-SHA256 with info "Caldera Derived Key" and salt `u`, and the password claim: HMAC-SHA256
 * with that key over `poolName | userId | secretBlock | timestamp`, base64.
 *
 * The pool keeps only a salt and a verifier (`g^x mod N`), never the password. Pure functions over
 * `bigint`; randomness from node:crypto.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { G, modPow, N, padHex } from '../../portal/src/auth/srp-group.ts';

const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

function hashHex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexToBigInt(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

const K = hexToBigInt(hashHex(Buffer.from(padHex(N) + padHex(G), 'hex')));

/** What the pool stores instead of a password. */
export interface PasswordVerifier {
  /** Hex. */
  salt: string;
  /** Hex of `g^x mod N`. */
  verifier: string;
}

function privateKey(poolName: string, userId: string, password: string, salt: string): bigint {
  const inner = hashHex(`${poolName}${userId}:${password}`);
  return hexToBigInt(hashHex(Buffer.from(padHex(hexToBigInt(salt)) + inner, 'hex')));
}

/**
 * The salt and verifier of a password, for the user whose SRP id (`USER_ID_FOR_SRP`) is `userId`.
 */
export function createVerifier(poolName: string, userId: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  const x = privateKey(poolName, userId, password, salt);
  return { salt, verifier: modPow(G, x, N).toString(16) };
}

/** The verifier (hex) of a password with a known salt: equal to the stored one iff the password is. */
export function verifierWithSalt(poolName: string, userId: string, password: string, salt: string): string {
  return modPow(G, privateKey(poolName, userId, password, salt), N).toString(16);
}

/** The server's half of one SRP exchange (keep it with the auth session). */
export interface ServerChallenge {
  /** Hex, sent as `SRP_B`. */
  B: string;
  /** Hex; never leaves the server. */
  b: string;
}

/** A fresh `b` and `B = k·v + g^b mod N`. */
export function serverChallenge(verifier: PasswordVerifier): ServerChallenge {
  const v = hexToBigInt(verifier.verifier);
  for (;;) {
    const b = hexToBigInt(randomBytes(128).toString('hex'));
    const B = (K * v + modPow(G, b, N)) % N;
    if (B !== 0n) return { B: B.toString(16), b: b.toString(16) };
  }
}

/** A fake `SALT` and `SRP_B` for a user that does not exist (PreventUserExistenceErrors). */
export function decoyChallenge(): { salt: string; B: string } {
  return {
    salt: randomBytes(16).toString('hex'),
    B: modPow(G, hexToBigInt(randomBytes(128).toString('hex')), N).toString(16),
  };
}

/** True when `A mod N` is not 0 (SRP-6a's safety check on the client's public value). */
export function isValidClientPublic(A: string): boolean {
  if (!/^[0-9a-f]+$/i.test(A)) return false;
  return hexToBigInt(A) % N !== 0n;
}

/** The 16-byte key both sides derive: HKDF(ikm = S, salt = u, info = "Caldera Derived Key"). */
export function sessionKey(input: {
  A: string;
  challenge: ServerChallenge;
  verifier: PasswordVerifier;
}): Buffer {
  const A = hexToBigInt(input.A);
  const B = hexToBigInt(input.challenge.B);
  const b = hexToBigInt(input.challenge.b);
  const v = hexToBigInt(input.verifier.verifier);
  const u = hexToBigInt(hashHex(Buffer.from(padHex(A) + padHex(B), 'hex')));
  const S = modPow(A * modPow(v, u, N), b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk).update(INFO).digest().subarray(0, 16);
}

/** True when `signature` is the client's proof of the password for this exchange. */
export function verifyPasswordClaim(input: {
  key: Buffer;
  poolName: string;
  userId: string;
  /** Base64, as sent (`PASSWORD_CLAIM_SECRET_BLOCK`). */
  secretBlock: string;
  timestamp: string;
  /** Base64 (`PASSWORD_CLAIM_SIGNATURE`). */
  signature: string;
}): boolean {
  const expected = createHmac('sha256', input.key)
    .update(
      Buffer.concat([
        Buffer.from(input.poolName, 'utf8'),
        Buffer.from(input.userId, 'utf8'),
        Buffer.from(input.secretBlock, 'base64'),
        Buffer.from(input.timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(input.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Cognito's `TIMESTAMP` format: `ddd MMM D HH:mm:ss UTC YYYY` (day not padded). */
export const SRP_TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d UTC \d{4}$/;
