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

const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const G = 2n;
const INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

/** Cognito's padded hex of a non-negative integer: even length, `00` first when the high bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function hashHex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexToBigInt(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
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
