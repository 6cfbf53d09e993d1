import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { type BridgeOptions, WalletBridge } from '../../../lambdas/wallet-bridge/bridge.ts';
import { BridgeSecretError } from '../../../lambdas/wallet-bridge/errors.ts';
import {
  idTokenJwks,
  keyIdOf,
  MAX_PUBLISHED_ID_TOKEN_KEYS,
  publishedKeyOf,
} from '../../../lambdas/wallet-bridge/id-token-keys.ts';
import type { BridgeStore, CodeGrant } from '../../../lambdas/wallet-bridge/store.ts';

const ISSUER = 'https://bridge.example';
const CLIENT = { clientId: 'cognito', clientSecret: 'c'.repeat(40), redirectUris: ['https://cognito/cb'] };

const rsa = (modulusLength = 2048) => generateKeyPairSync('rsa', { modulusLength });
const pemOf = (key: KeyObject) =>
  key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' });

// Real keys: the current signing key, the next one, and a key that signed before.
const current = rsa();
const next = rsa();
const previous = rsa();
const short = rsa(1024);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A store that redeems any code into a grant for {@link CLIENT} and keeps access tokens nowhere. */
const store: BridgeStore = {
  createTransaction: () => Promise.reject(new Error('not in these tests')),
  getTransaction: async () => undefined,
  recordOutcome: async () => false,
  markCompleted: async () => false,
  putCode: async () => undefined,
  redeemCode: async (): Promise<CodeGrant> => ({
    transactionId: 'tx-0123456789abcdef',
    clientId: CLIENT.clientId,
    redirectUri: CLIENT.redirectUris[0] as string,
    nonce: 'n-1',
    claims: { sub: 'pid-subject-1', given_name: 'An' },
    expiresAt: 2_000_000_000,
  }),
  putAccessToken: async () => undefined,
  getAccessToken: async () => undefined,
};

function bridgeWith(signing: KeyObject, published: readonly KeyObject[] = []): WalletBridge {
  const options: BridgeOptions = {
    issuer: ISSUER,
    clients: [CLIENT],
    verifierClientId: 'x509_san_dns:bridge.example',
    verifierName: 'test',
    accessCertificate: { privateKey: ec.privateKey, chain: ['AA=='] },
    idTokenKey: { privateKey: signing, kid: keyIdOf(signing) },
    idTokenPublishedKeys: published,
    store,
  };
  return new WalletBridge(options);
}

async function jwksOf(bridge: WalletBridge): Promise<JSONWebKeySet> {
  const answer = await bridge.handle({
    method: 'GET',
    path: '/jwks',
    query: new URLSearchParams(),
    headers: {},
    body: '',
  });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as JSONWebKeySet;
}

async function idTokenOf(bridge: WalletBridge): Promise<string> {
  const answer = await bridge.handle({
    method: 'POST',
    path: '/token',
    query: new URLSearchParams(),
    headers: {},
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: CLIENT.redirectUris[0] as string,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    }).toString(),
  });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { id_token: string }).id_token;
}

/** Verifies like Cognito: against the JWKS the bridge publishes, by the token's kid. */
const verifyAgainst = (jwks: JSONWebKeySet, token: string) =>
  jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: CLIENT.clientId });

/** Whether a text quotes any line of the base64 body of a PEM. */
function quotesPem(text: string, pem: string): boolean {
  return pem
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('-----'))
    .some((line) => text.includes(line.slice(0, 24)));
}

describe('the ID token keys in GET /jwks', () => {
  it('publishes the signing key first, then each published key, each under its own kid', async () => {
    const jwks = await jwksOf(bridgeWith(current.privateKey, [next.publicKey, previous.publicKey]));

    expect(jwks.keys.map((key) => key.kid)).toEqual([
      keyIdOf(current.publicKey),
      keyIdOf(next.publicKey),
      keyIdOf(previous.publicKey),
    ]);
    expect(new Set(jwks.keys.map((key) => key.kid)).size).toBe(3);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
    expect(jwks.keys[1]?.n).toBe(next.publicKey.export({ format: 'jwk' }).n);
  });

  it('publishes only the signing key when nothing else is published', async () => {
    const jwks = await jwksOf(bridgeWith(current.privateKey));

    expect(jwks.keys.map((key) => key.kid)).toEqual([keyIdOf(current.privateKey)]);
  });

  it('publishes a key once: the signing key or a repeated key in the list is dropped', async () => {
    const jwks = await jwksOf(
      bridgeWith(current.privateKey, [current.publicKey, next.publicKey, next.publicKey]),
    );

    expect(jwks.keys.map((key) => key.kid)).toEqual([keyIdOf(current.publicKey), keyIdOf(next.publicKey)]);
  });

  it('gives a published key the kid it has when it signs, as the Lambda entry derives it', () => {
    const [, published] = idTokenJwks({ privateKey: current.privateKey, kid: 'k' }, [next.publicKey]);

    expect(published?.kid).toBe(keyIdOf(next.privateKey));
    expect(keyIdOf(next.privateKey)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});

describe('a rotation of the ID token key', () => {
  it('signs with the signing key only, under its kid', async () => {
    const bridge = bridgeWith(current.privateKey, [next.publicKey]);

    const token = await idTokenOf(bridge);

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: keyIdOf(current.publicKey) });
    const { payload } = await verifyAgainst({ keys: (await jwksOf(bridge)).keys.slice(0, 1) }, token);
    expect(payload).toMatchObject({ sub: 'pid-subject-1', nonce: 'n-1' });
  });

  it('verifies tokens signed before and after the swap against the JWKS after the swap', async () => {
    // Step 1: the next key is published beside the signing key. Step 2: it signs, the old one is published.
    const before = bridgeWith(current.privateKey, [next.publicKey]);
    const after = bridgeWith(next.privateKey, [current.publicKey]);
    const tokenBefore = await idTokenOf(before);
    const tokenAfter = await idTokenOf(after);
    const jwksBefore = await jwksOf(before);
    const jwksAfter = await jwksOf(after);

    expect(decodeProtectedHeader(tokenAfter).kid).toBe(keyIdOf(next.publicKey));
    expect(jwksAfter.keys.map((key) => key.kid)).toEqual([
      keyIdOf(next.publicKey),
      keyIdOf(current.publicKey),
    ]);
    // Cognito's cached JWKS of step 1 already knows the new key; the JWKS of step 2 still knows the old one.
    await expect(verifyAgainst(jwksBefore, tokenAfter)).resolves.toBeDefined();
    await expect(verifyAgainst(jwksAfter, tokenBefore)).resolves.toBeDefined();
    await expect(verifyAgainst(jwksAfter, tokenAfter)).resolves.toBeDefined();
  });

  it('leaves a token of a key no longer published unverifiable (step 3 removes the old key)', async () => {
    const tokenBefore = await idTokenOf(bridgeWith(current.privateKey));
    const jwksDone = await jwksOf(bridgeWith(next.privateKey));

    await expect(verifyAgainst(jwksDone, tokenBefore)).rejects.toThrow();
  });
});

describe('refused ID token keys', () => {
  /** The refusal of a bridge created with these keys, checked to quote none of `pems`. */
  function refusal(create: () => unknown, ...pems: string[]): BridgeSecretError {
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BridgeSecretError);
    const error = thrown as BridgeSecretError;
    for (const pem of pems) expect(quotesPem(error.message, pem)).toBe(false);
    return error;
  }

  it('refuses a private key in the published list, naming the entry', () => {
    const pem = pemOf(next.privateKey) as string;

    const error = refusal(() => publishedKeyOf(pem, 1), pem);

    expect(error.message).toBe(
      'idTokenPublishedKeys[1] is a private key: publish only its public key (openssl pkey -pubout)',
    );
  });

  it('refuses an RSA public key in PKCS#1 or a certificate: SPKI only', () => {
    const pkcs1 = next.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;

    expect(refusal(() => publishedKeyOf(pkcs1, 0), pkcs1).message).toMatch(
      /^idTokenPublishedKeys\[0\] is not one PEM public key/,
    );
    expect(
      refusal(() => publishedKeyOf('-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----', 2))
        .message,
    ).toBe('idTokenPublishedKeys[2] cannot be read as a PEM public key');
  });

  it('refuses an EC key in the published list', () => {
    const pem = pemOf(ec.publicKey) as string;

    const error = refusal(() => bridgeWith(current.privateKey, [publishedKeyOf(pem, 0)]), pem);

    expect(error.message).toBe('idTokenPublishedKeys[0] is not an RSA key (ec): ID tokens are RS256');
  });

  it('refuses an RSA key below 2048 bits in the published list', () => {
    const pem = pemOf(short.publicKey) as string;

    const error = refusal(
      () => bridgeWith(current.privateKey, [next.publicKey, publishedKeyOf(pem, 1)]),
      pem,
    );

    expect(error.message).toBe('idTokenPublishedKeys[1] is RSA 1024 bits: at least 2048');
  });

  it('refuses a private KeyObject passed to the bridge as a published key', () => {
    const error = refusal(() => bridgeWith(current.privateKey, [next.privateKey]));

    expect(error.message).toBe('idTokenPublishedKeys[0] is not a public key');
  });

  it(`refuses more than ${MAX_PUBLISHED_ID_TOKEN_KEYS} published keys and accepts that many`, () => {
    const four = [next.publicKey, previous.publicKey, current.publicKey, next.publicKey];

    expect(() => bridgeWith(current.privateKey, four)).not.toThrow();
    expect(refusal(() => bridgeWith(current.privateKey, [...four, previous.publicKey])).message).toBe(
      'idTokenPublishedKeys holds 5 keys: at most 4',
    );
  });

  it('refuses a signing key that is not RSA or shorter than 2048 bits', () => {
    expect(refusal(() => bridgeWith(ec.privateKey)).message).toBe(
      'idTokenSigningKey is not an RSA key (ec): ID tokens are RS256',
    );
    expect(refusal(() => bridgeWith(short.privateKey)).message).toBe(
      'idTokenSigningKey is RSA 1024 bits: at least 2048',
    );
    expect(refusal(() => bridgeWith(current.publicKey)).message).toBe(
      'idTokenSigningKey is not a private key',
    );
  });
});
