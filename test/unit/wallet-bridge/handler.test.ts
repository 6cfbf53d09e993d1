import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // Read once, when the entry's logger is created.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
});

import { BridgeSecretError } from '../../../lambdas/wallet-bridge/errors.ts';
import {
  handler,
  parseBridgeSecret,
  SECRET_REFRESH_MS,
  secretFailure,
} from '../../../lambdas/wallet-bridge/handler.ts';
import { keyIdOf } from '../../../lambdas/wallet-bridge/id-token-keys.ts';
import { forwardClock } from './forward-clock.ts';

const secrets = mockClient(SecretsManagerClient);
const ddb = mockClient(DynamoDBDocumentClient);
const SECRET_NAME = 'eid-access/test/wallet-bridge';
const ISSUER = 'https://bridge.example';
const CLIENT_ID = 'eid-access-cognito';
const REDIRECT_URI = 'https://eid-access-test.auth.eu-west-1.amazoncognito.com/oauth2/idpresponse';

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
const unrelated = generateKeyPairSync('rsa', { modulusLength: 2048 });
const access = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

/** The bridge secret's JSON with these ID token keys. */
function secretText(signingKey: KeyObject, published?: string[]): string {
  return JSON.stringify({
    clientSecret: 's'.repeat(40),
    idTokenSigningKey: pkcs8(signingKey),
    ...(published ? { idTokenPublishedKeys: published } : {}),
    accessCertificateKey: pkcs8(access.privateKey),
    accessCertificateChain: ['AA=='],
  });
}

function event(method: string, path: string, body = ''): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { domainName: 'bridge.example', http: { method, path } },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

async function jwks(): Promise<JSONWebKeySet> {
  const result = await handler(event('GET', '/jwks'));
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body as string) as JSONWebKeySet;
}

/** Cognito's token call: the code redeems (the table is mocked) into an ID token. */
async function idToken(): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: 'code-1',
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT_ID,
    client_secret: 's'.repeat(40),
  });
  const result = await handler(event('POST', '/token', body.toString()));
  expect(result.statusCode).toBe(200);
  return (JSON.parse(result.body as string) as { id_token: string }).id_token;
}

const kids = (set: JSONWebKeySet) => set.keys.map((key) => key.kid);
const verifyAgainst = (set: JSONWebKeySet, token: string) =>
  jwtVerify(token, createLocalJWKSet(set), { issuer: ISSUER, audience: CLIENT_ID });

/**
 * The faked clock of `Date.now` (what the entry's refresh reads). Module state outlives a test, so
 * time only moves forward: each test starts a period after the last one, with a read due.
 */
const clock = forwardClock();
const { later } = clock;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  later(SECRET_REFRESH_MS);
  ddb.on(DeleteCommand).resolves({
    Attributes: {
      PK: 'WALLET_CODE#h',
      SK: 'WALLET_CODE#h',
      transactionId: 'tx-0123456789abcdef',
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      claims: { sub: 'pid-subject-1' },
      expiresAt: Math.floor(clock.now() / 1000) + 60,
    },
  });
  ddb.on(PutCommand).resolves({});
  vi.stubEnv('WALLET_BRIDGE_SECRET_NAME', SECRET_NAME);
  vi.stubEnv('WALLET_BRIDGE_CLIENT_ID', 'eid-access-cognito');
  vi.stubEnv('WALLET_BRIDGE_ISSUER', 'https://bridge.example');
  vi.stubEnv('COGNITO_DOMAIN_PREFIX', 'eid-access-test');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('VERIFIER_CLIENT_ID', 'x509_san_dns:bridge.example');
  vi.stubEnv('VERIFIER_NAME', 'eid-access (test)');
  vi.stubEnv('TABLE_NAME', 'wallet-bridge-unit-table');
});

afterEach(() => {
  secrets.reset();
  ddb.reset();
  vi.useRealTimers();
});

describe('the wallet bridge entry (WalletBridge/Function)', () => {
  it('publishes the signing key and the secret idTokenPublishedKeys', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_NAME })
      .resolves({ SecretString: secretText(signing.privateKey, [spki(next.publicKey)]) });

    const { keys } = await jwks();

    expect(keys.map((key) => key.kid)).toEqual([keyIdOf(signing.publicKey), keyIdOf(next.publicKey)]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });
});

describe('the wallet bridge entry in a warm container', () => {
  it('re-reads its secret once per period, then signs with the swapped key and keeps the old one', async () => {
    // Rotation step 1: the next key is published.
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: secretText(signing.privateKey, [spki(next.publicKey)]),
    });
    const jwksBefore = await jwks();
    // Step 2, in the secret: the next key signs, the old one is published.
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: secretText(next.privateKey, [spki(signing.publicKey)]),
    });

    later(SECRET_REFRESH_MS - 1);
    expect(kids(await jwks())).toEqual([keyIdOf(signing.publicKey), keyIdOf(next.publicKey)]);
    const tokenBefore = await idToken();
    expect(decodeProtectedHeader(tokenBefore).kid).toBe(keyIdOf(signing.publicKey));
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);

    later(1);
    const tokenAfter = await idToken();
    const jwksAfter = await jwks();

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(kids(jwksAfter)).toEqual([keyIdOf(next.publicKey), keyIdOf(signing.publicKey)]);
    expect(decodeProtectedHeader(tokenAfter).kid).toBe(keyIdOf(next.publicKey));
    await expect(verifyAgainst(jwksAfter, tokenAfter)).resolves.toBeDefined();
    await expect(verifyAgainst(jwksBefore, tokenAfter)).resolves.toBeDefined();
    await expect(verifyAgainst(jwksAfter, tokenBefore)).resolves.toBeDefined();
  });

  it('keeps serving with the previous secret when a re-read fails, and logs no secret content', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const working = secretText(signing.privateKey, [spki(next.publicKey)]);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: working });
    const served = kids(await jwks());
    expect(served).toEqual([keyIdOf(signing.publicKey), keyIdOf(next.publicKey)]);

    // Secrets Manager fails.
    const denied = Object.assign(new Error(`denied, and a message quoting ${working}`), {
      name: 'AccessDeniedException',
    });
    secrets.on(GetSecretValueCommand).rejects(denied);
    later(SECRET_REFRESH_MS);
    expect(kids(await jwks())).toEqual(served);
    expect(decodeProtectedHeader(await idToken()).kid).toBe(keyIdOf(signing.publicKey));

    // The secret is broken: a private key in the published list, and a new signing key beside it.
    const privatePem = pkcs8(unrelated.privateKey);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secretText(next.privateKey, [privatePem]) });
    later(SECRET_REFRESH_MS);
    expect(kids(await jwks())).toEqual(served);

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 3);
    const lines = stderr.mock.calls.map(([text]) => JSON.parse(String(text)) as Record<string, unknown>);
    expect(lines).toMatchObject([
      {
        level: 'ERROR',
        message: 'wallet bridge secret re-read failed: serving with the previous one',
        error: 'AccessDeniedException',
      },
      {
        level: 'ERROR',
        message: 'wallet bridge secret re-read failed: serving with the previous one',
        error: 'BridgeSecretError',
        reason:
          'idTokenPublishedKeys[0] is a private key: publish only its public key (openssl pkey -pubout)',
      },
    ]);
    const logged = stderr.mock.calls.map(([text]) => String(text)).join('');
    for (const pem of [pkcs8(signing.privateKey), privatePem]) {
      for (const line of pem.split('\n').filter((text) => text && !text.startsWith('-----'))) {
        expect(logged).not.toContain(line);
      }
    }
    expect(logged).not.toContain('BEGIN');
    expect(logged).not.toContain('quoting');

    // Fixed: the next read takes it.
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secretText(next.privateKey) });
    later(SECRET_REFRESH_MS);
    expect(kids(await jwks())).toEqual([keyIdOf(next.publicKey)]);
  });
});

describe('what a log says about a failed read of the secret', () => {
  it('is the bridge refusal with its message, else the error name and code only', () => {
    expect(secretFailure(new BridgeSecretError('idTokenPublishedKeys holds 5 keys: at most 4'))).toEqual({
      error: 'BridgeSecretError',
      reason: 'idTokenPublishedKeys holds 5 keys: at most 4',
    });
    expect(
      secretFailure(Object.assign(new Error('quotes -----BEGIN'), { code: 'ERR_OSSL_UNSUPPORTED' })),
    ).toEqual({
      error: 'Error',
      code: 'ERR_OSSL_UNSUPPORTED',
    });
    expect(secretFailure('thrown text')).toEqual({ error: 'unknown' });
  });
});

describe('the bridge secret', () => {
  it('is refused without quoting it when it is not JSON', () => {
    const text = `${pkcs8(signing.privateKey)}`;

    expect(() => parseBridgeSecret(text)).toThrow(
      new BridgeSecretError('The wallet bridge secret is not JSON'),
    );
  });

  it('is refused naming the fields and checks that fail, not their values', () => {
    const secret = JSON.parse(secretText(signing.privateKey)) as Record<string, unknown>;
    const text = JSON.stringify({
      ...secret,
      idTokenSigningKey: spki(signing.publicKey),
      idTokenPublishedKeys: 'not a list',
    });

    expect(() => parseBridgeSecret(text)).toThrow(
      new BridgeSecretError(
        'The wallet bridge secret is refused (idTokenSigningKey: invalid_format, idTokenPublishedKeys: invalid_type)',
      ),
    );
  });

  it('reads the published keys when present, and none when absent', () => {
    expect(
      parseBridgeSecret(secretText(signing.privateKey, [spki(next.publicKey)])).idTokenPublishedKeys,
    ).toEqual([spki(next.publicKey)]);
    expect(parseBridgeSecret(secretText(signing.privateKey)).idTokenPublishedKeys).toBeUndefined();
  });
});
