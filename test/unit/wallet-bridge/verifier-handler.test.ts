/**
 * The verifier's Lambda entry (verifier-handler.ts): it reads the trust anchors secret at its cold
 * start and again after {@link TRUST_ANCHORS_REFRESH_MS}, once per period, and keeps verifying with
 * the anchors it had when a re-read fails or is refused. Secrets Manager and DynamoDB are mocked; the
 * clock is faked (module state outlives a test, so time only moves forward).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'CRITICAL');
});

import { LocalPidProvider } from '#local/eudi/pid-provider';
import { handler, TRUST_ANCHORS_REFRESH_MS } from '../../../lambdas/wallet-bridge/verifier-handler.ts';
import { forwardClock } from './forward-clock.ts';

const secrets = mockClient(SecretsManagerClient);
const ddb = mockClient(DynamoDBDocumentClient);
const anchors = new LocalPidProvider({ baseUrl: 'https://pid.example/local/eudi' }).root.pem;

/** A wallet's POST for an unknown transaction: the verifier exists (secret read) and answers 400. */
const post = () =>
  handler({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/response/tx-0123456789abcdef',
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: {
      domainName: 'bridge.example',
      http: { method: 'POST', path: '/response/tx-0123456789abcdef' },
    },
    body: '',
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2);

const clock = forwardClock();
const { later } = clock;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  later(TRUST_ANCHORS_REFRESH_MS);
  secrets.reset();
  ddb.on(GetCommand).resolves({});
  vi.stubEnv('WALLET_TRUST_ANCHORS_SECRET_NAME', 'eid-access/test/wallet-trust-anchors');
  vi.stubEnv('WALLET_BRIDGE_ISSUER', 'https://bridge.example');
  vi.stubEnv('VERIFIER_CLIENT_ID', 'x509_san_dns:bridge.example');
  vi.stubEnv('TABLE_NAME', 'wallet-bridge-unit-table');
});

describe('the verifier entry', () => {
  it('reads the trust anchors once per period, then again', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: anchors });

    // Act
    const answers = [await post(), await post()];
    later(TRUST_ANCHORS_REFRESH_MS - 1);
    answers.push(await post());
    const withinPeriod = secrets.commandCalls(GetSecretValueCommand).length;
    later(1);
    answers.push(await post());

    // Assess
    expect(answers.map((answer) => answer.statusCode)).toEqual([400, 400, 400, 400]);
    expect(withinPeriod).toBe(1);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('keeps verifying with the anchors it had when a re-read is refused or fails, and takes a fixed secret', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: anchors });
    await post();
    later(TRUST_ANCHORS_REFRESH_MS);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"not":"certificates"}' });

    // Act
    const refused = await post();
    later(TRUST_ANCHORS_REFRESH_MS);
    secrets.on(GetSecretValueCommand).rejects(new Error('Secrets Manager is away'));
    const failed = await post();
    later(TRUST_ANCHORS_REFRESH_MS);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: anchors });
    const fixed = await post();

    // Assess
    expect([refused.statusCode, failed.statusCode, fixed.statusCode]).toEqual([400, 400, 400]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 4);
  });
});
