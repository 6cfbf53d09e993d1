import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import type { JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // Read once, when the entry's logger is created.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
});

import { BridgeSecretError } from '../../../lambdas/wallet-bridge/errors.ts';
import { handler, parseBridgeSecret } from '../../../lambdas/wallet-bridge/handler.ts';
import { keyIdOf } from '../../../lambdas/wallet-bridge/id-token-keys.ts';

const secrets = mockClient(SecretsManagerClient);
const SECRET_NAME = 'eid-access/test/wallet-bridge';

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
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

beforeEach(() => {
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
});

describe('the wallet bridge entry (WalletBridge/Function)', () => {
  it('publishes the signing key and the secret idTokenPublishedKeys at cold start', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_NAME })
      .resolves({ SecretString: secretText(signing.privateKey, [spki(next.publicKey)]) });

    const { keys } = await jwks();

    expect(keys.map((key) => key.kid)).toEqual([keyIdOf(signing.publicKey), keyIdOf(next.publicKey)]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
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
