/**
 * The client side of Cognito's SRP-6a variant, with `bigint` and Web Crypto only (no SRP library:
 * the portal adds no dependency for ~150 lines): the 3072-bit group of RFC 3526 with g = 2,
 * SHA-256, `k = H(N | g)`, `u = H(A | B)`, `x = H(salt | H(poolName | userId | ":" | password))`,
 * every value hashed in Cognito's "padded hex", the 16-byte key from HKDF-SHA256 (salt `u`, info
 * "Caldera Derived Key") and the password claim HMAC-SHA256(key, poolName | userId | secretBlock |
 * timestamp). What amazon-cognito-identity-js's AuthenticationHelper computes; a unit test compares
 * both with the same random `a`.
 */
import { G, modPow, N, padHex } from './srp-group.ts';

const encoder = new TextEncoder();

/** Bytes of an even-length hex string. */
export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const bytesToHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

const bigIntOfHex = (hex: string): bigint => BigInt(`0x${hex}`);

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, data));
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Cognito's `TIMESTAMP`: `ddd MMM D HH:mm:ss UTC YYYY` (day of month not padded). */
export function srpTimestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** The `PASSWORD_VERIFIER` challenge parameters Cognito sends. */
export interface PasswordVerifierChallenge {
  SALT: string;
  SECRET_BLOCK: string;
  SRP_B: string;
  USER_ID_FOR_SRP: string;
}

/** The answer to `PASSWORD_VERIFIER` (plus `USERNAME`, which the caller adds). */
export interface PasswordClaim {
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  TIMESTAMP: string;
}

/** Thrown when the server's values would make the exchange unsafe (SRP-6a's checks). */
export class SrpError extends Error {
  override readonly name = 'SrpError';
}

/** One SRP exchange: a secret `a`, its public `A` (`SRP_A`), and the password claim. */
export class SrpClient {
  readonly #poolName: string;
  readonly #a: bigint;
  readonly #A: bigint;

  /**
   * @param userPoolId e.g. `eu-west-1_AbC123`: the pool name in the hashes is the part after `_`
   * @param randomA 128 random bytes as hex; only tests pass it
   */
  constructor(userPoolId: string, randomA?: string) {
    this.#poolName = userPoolId.split('_')[1] ?? userPoolId;
    for (;;) {
      const a = bigIntOfHex(randomA ?? bytesToHex(crypto.getRandomValues(new Uint8Array(128))));
      const A = modPow(G, a, N);
      if (A % N !== 0n) {
        this.#a = a;
        this.#A = A;
        break;
      }
      if (randomA) throw new SrpError('A mod N is 0');
    }
  }

  /** `SRP_A` (hex). */
  get srpA(): string {
    return this.#A.toString(16);
  }

  /** The answer to a `PASSWORD_VERIFIER` challenge for `password`. @throws SrpError */
  async passwordClaim(
    challenge: PasswordVerifierChallenge,
    password: string,
    now: Date = new Date(),
  ): Promise<PasswordClaim> {
    const B = bigIntOfHex(challenge.SRP_B);
    if (B % N === 0n) throw new SrpError('B mod N is 0');
    const u = bigIntOfHex(await sha256Hex(hexToBytes(padHex(this.#A) + padHex(B))));
    if (u === 0n) throw new SrpError('u is 0');
    const k = bigIntOfHex(await sha256Hex(hexToBytes(padHex(N) + padHex(G))));
    const userId = challenge.USER_ID_FOR_SRP;
    const inner = await sha256Hex(encoder.encode(`${this.#poolName}${userId}:${password}`));
    const x = bigIntOfHex(await sha256Hex(hexToBytes(padHex(bigIntOfHex(challenge.SALT)) + inner)));
    const S = modPow(B - k * modPow(G, x, N), this.#a + u * x, N);
    const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
    const info = concat(encoder.encode('Caldera Derived Key'), Uint8Array.of(1));
    const key = (await hmac(new Uint8Array(prk), info)).slice(0, 16);
    const timestamp = srpTimestamp(now);
    const signature = await hmac(
      key,
      concat(
        encoder.encode(this.#poolName),
        encoder.encode(userId),
        base64ToBytes(challenge.SECRET_BLOCK),
        encoder.encode(timestamp),
      ),
    );
    return {
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: bytesToBase64(signature),
      TIMESTAMP: timestamp,
    };
  }
}
