/**
 * Lambda entry of the wallet bridge's verifier (`WalletBridge/Verifier`, the HTTP API's
 * `POST /response/{tx}` route): decrypts the wallet's answer, verifies the PID and records the
 * outcome (verifier.ts). It reads one secret, the trusted PID providers, and none of the bridge's keys.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLogger } from '#shared/logger';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { issuerOf, readSecretText, refreshing, toBridgeRequest, toLambdaResult } from './lambda.ts';
import { StatusListCache } from './status-list.ts';
import { DynamoBridgeStore } from './store.ts';
import { WalletResponseVerifier } from './verifier.ts';
import { parseTrustAnchors, TEST_PID_PROVIDER_MARK } from './x509-chain.ts';

const logger = createLogger();
const documentClient = createDocumentClient();
/** Per container: the PID providers' status lists, each kept as long as its `ttl` allows (≤ 1 hour). */
const statusListCache = new StatusListCache();

/** Status lists are small and public; a slow one must not hold the login past Cognito's patience. */
async function fetchStatusList(uri: string): Promise<string> {
  if (!uri.startsWith('https://')) throw new Error('status list URI must be https');
  const answer = await fetch(uri, {
    headers: { accept: 'application/statuslist+jwt' },
    signal: AbortSignal.timeout(3000),
  });
  if (!answer.ok) throw new Error(`status list answered ${answer.status}`);
  return answer.text();
}

/**
 * The trust anchors secret's text: PEM certificates of the trusted PID providers. Anything else —
 * an empty secret, the keys' JSON stored by mistake, a private key — is refused before the verifier
 * answers anyone; with `refuseTestProviders` (production) a certificate marked
 * {@link TEST_PID_PROVIDER_MARK} too, so that a load test's provider left in the secret cannot log
 * anyone in.
 */
export function trustAnchorsOf(secretText: string, options: { refuseTestProviders?: boolean } = {}): string {
  if (!secretText.includes('BEGIN CERTIFICATE')) {
    throw new Error('The trust anchors secret holds no PEM certificates');
  }
  if (secretText.includes('PRIVATE KEY')) {
    throw new Error(
      "The trust anchors secret holds a private key: store only the PID providers' certificates",
    );
  }
  if (
    options.refuseTestProviders &&
    parseTrustAnchors(secretText).some((anchor) => anchor.subject.includes(TEST_PID_PROVIDER_MARK))
  ) {
    throw new Error(
      `The trust anchors secret lists a test PID provider (${TEST_PID_PROVIDER_MARK}): remove it, a production stage never trusts one`,
    );
  }
  return secretText;
}

/**
 * How long a warm container verifies with the trust anchors it read before reading them again: an
 * operator's change of the trusted PID providers (a new member state, a withdrawn CA) reaches every
 * container within this time, without a deploy.
 */
export const TRUST_ANCHORS_REFRESH_MS = 5 * 60 * 1000;

const verifier = refreshing(
  async (event) => {
    const trustAnchors = parseTrustAnchors(
      trustAnchorsOf(await readSecretText('WALLET_TRUST_ANCHORS_SECRET_NAME'), {
        refuseTestProviders: process.env.REFUSE_TEST_PID_PROVIDERS === 'true',
      }),
    );
    return new WalletResponseVerifier({
      issuer: issuerOf(event),
      verifierClientId: requiredEnv('VERIFIER_CLIENT_ID'),
      trustAnchors,
      store: new DynamoBridgeStore(documentClient, requiredEnv('TABLE_NAME')),
      fetchStatusList,
      statusListCache,
      log: (message, attributes) => logger.info(message, attributes),
    });
  },
  {
    maxAgeMs: TRUST_ANCHORS_REFRESH_MS,
    // The error's name only: a parser's message may quote what it read.
    onRefreshFailed: (error) =>
      logger.error('wallet trust anchors re-read failed: verifying with the previous ones', {
        error: error instanceof Error ? error.name : 'unknown',
      }),
  },
);

/** The Lambda handler. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return toLambdaResult(await (await verifier(event)).handle(toBridgeRequest(event)));
}
