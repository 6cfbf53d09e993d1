/**
 * The ID token keys of the wallet bridge's OpenID provider: the one RSA key that signs (RS256) and the
 * public keys `GET /jwks` publishes beside it, so that a key rotation never leaves Cognito with a
 * token it cannot verify (docs/operations.md, "Wallet bridge", Rotation): the next signing key is
 * published before it signs, the previous one for as long as the tokens it signed live.
 *
 * Every refusal is a {@link BridgeSecretError}: it names the secret's field and what is wrong with the
 * key, never the key itself.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { BridgeSecretError } from './errors.ts';

/** The most keys published beside the signing key: the next and the previous, with room to spare. */
export const MAX_PUBLISHED_ID_TOKEN_KEYS = 4;

/** The shortest RSA modulus accepted for ID tokens, signing or published. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The key id of a key: the first 16 characters of the base64url SHA-256 of its public key's SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * One entry of the secret's `idTokenPublishedKeys`: a PEM public key (SPKI, `BEGIN PUBLIC KEY`, what
 * `openssl pkey -pubout` writes). A private key is refused rather than reduced to its public half:
 * it does not belong in a list that exists to be published.
 */
export function publishedKeyOf(pem: string, index: number): KeyObject {
  const field = `idTokenPublishedKeys[${index}]`;
  if (pem.includes('PRIVATE KEY')) {
    throw new BridgeSecretError(
      `${field} is a private key: publish only its public key (openssl pkey -pubout)`,
    );
  }
  const labels = pem.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  if (labels.length !== 1 || labels[0] !== '-----BEGIN PUBLIC KEY-----') {
    throw new BridgeSecretError(`${field} is not one PEM public key (SPKI, -----BEGIN PUBLIC KEY-----)`);
  }
  try {
    return createPublicKey(pem);
  } catch {
    // Node's parser error says nothing useful here; the key's text stays out of the message.
    throw new BridgeSecretError(`${field} cannot be read as a PEM public key`);
  }
}

/**
 * The JWKS of the ID token keys: the signing key first, then each published key whose public key is
 * not already there (one key, one `kid`). Published keys get the `kid` they will have when they sign.
 *
 * @throws BridgeSecretError when the signing key is not an RSA private key of at least 2048 bits,
 *   a published key is not an RSA public key of at least 2048 bits, or more than
 *   {@link MAX_PUBLISHED_ID_TOKEN_KEYS} are published.
 */
export function idTokenJwks(
  signing: { privateKey: KeyObject; kid: string },
  published: readonly KeyObject[] = [],
): JWK[] {
  if (signing.privateKey.type !== 'private')
    throw new BridgeSecretError('idTokenSigningKey is not a private key');
  checkRsa(signing.privateKey, 'idTokenSigningKey');
  if (published.length > MAX_PUBLISHED_ID_TOKEN_KEYS) {
    throw new BridgeSecretError(
      `idTokenPublishedKeys holds ${published.length} keys: at most ${MAX_PUBLISHED_ID_TOKEN_KEYS}`,
    );
  }
  const seen = new Set([keyIdOf(signing.privateKey)]);
  const keys = [jwkOf(signing.privateKey, signing.kid)];
  published.forEach((key, index) => {
    const field = `idTokenPublishedKeys[${index}]`;
    if (key.type !== 'public') throw new BridgeSecretError(`${field} is not a public key`);
    checkRsa(key, field);
    const kid = keyIdOf(key);
    if (seen.has(kid)) return;
    seen.add(kid);
    keys.push(jwkOf(key, kid));
  });
  return keys;
}

function checkRsa(key: KeyObject, field: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new BridgeSecretError(
      `${field} is not an RSA key (${key.asymmetricKeyType ?? 'secret'}): ID tokens are RS256`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw new BridgeSecretError(`${field} is RSA ${bits} bits: at least ${MIN_RSA_MODULUS_BITS}`);
  }
}

function jwkOf(key: KeyObject, kid: string): JWK {
  const { kty, n, e } = key.export({ format: 'jwk' });
  return { kty, n, e, kid, alg: 'RS256', use: 'sig' } as JWK;
}
