/**
 * The user pool's token signing key: RS256, made at start-up (tokens of an earlier sandbox run are
 * rejected, as tokens of another pool would be), published as a JWKS the way Cognito publishes
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** An RS256 key pair with its key id. */
export class SigningKey {
  readonly kid: string;
  readonly #privateKey: PrivateKey;
  readonly #publicJwk: JWK;
  readonly #keySet: ReturnType<typeof createLocalJWKSet>;

  private constructor(kid: string, privateKey: PrivateKey, publicJwk: JWK) {
    this.kid = kid;
    this.#privateKey = privateKey;
    this.#publicJwk = publicJwk;
    this.#keySet = createLocalJWKSet(this.jwks());
  }

  /** A fresh 2048-bit RSA key (Cognito's size). */
  static async generate(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const kid = randomUUID();
    const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new SigningKey(kid, privateKey, publicJwk);
  }

  /** The public key set, e.g. for `/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet {
    return { keys: [{ ...this.#publicJwk }] };
  }

  /** A compact JWS with Cognito's header (`kid`, `alg`). */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ kid: this.kid, alg: 'RS256' }).sign(this.#privateKey);
  }

  /** Verifies signature, `iss` and `exp` (at `currentDate`), RS256 only. */
  async verify(token: string, options: { issuer: string; currentDate: Date }): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.#keySet, {
      issuer: options.issuer,
      algorithms: ['RS256'],
      currentDate: options.currentDate,
    });
    return payload;
  }
}

/** OpenID Connect `at_hash`: base64url of the left half of the SHA-256 of the access token. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
