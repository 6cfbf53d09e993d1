/**
 * Lambda entry of the wallet bridge behind an API Gateway HTTP API (payload format 2.0). The keys
 * come from one Secrets Manager secret, read once per cold start (docs/operations.md, "Wallet
 * bridge"): `{ clientSecret, idTokenSigningKey, accessCertificateKey, accessCertificateChain,
 * trustAnchors }` — PKCS#8 PEM keys, the access certificate chain as base64 DER (leaf first), the
 * trusted PID providers as PEM.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// zod/mini: the same checks for a fraction of the bytes on the login's cold start (docs/performance.md).
import * as z from 'zod/mini';
import { createLogger } from '#shared/logger';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { WalletBridge } from './bridge.ts';
import { DynamoBridgeStore } from './store.ts';
import { parseTrustAnchors } from './x509-chain.ts';

const logger = createLogger();
const secrets = new SecretsManagerClient({});
const documentClient = createDocumentClient();

/** The bridge secret's JSON. */
export const bridgeSecretSchema = z.object({
  clientSecret: z.string().check(z.minLength(32)),
  idTokenSigningKey: z.string().check(z.includes('PRIVATE KEY')),
  accessCertificateKey: z.string().check(z.includes('PRIVATE KEY')),
  accessCertificateChain: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  trustAnchors: z.string().check(z.includes('BEGIN CERTIFICATE')),
});

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

let bridge: Promise<WalletBridge> | undefined;

async function createBridge(issuer: string): Promise<WalletBridge> {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: requiredEnv('WALLET_BRIDGE_SECRET_NAME') }),
  );
  const secret = bridgeSecretSchema.parse(JSON.parse(SecretString ?? '{}'));
  const idTokenKey = createPrivateKey(secret.idTokenSigningKey);
  const kid = createHash('sha256')
    .update(createPublicKey(idTokenKey).export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 16);
  const region = requiredEnv('AWS_REGION');
  return new WalletBridge({
    issuer,
    clients: [
      {
        clientId: requiredEnv('WALLET_BRIDGE_CLIENT_ID'),
        clientSecret: secret.clientSecret,
        redirectUris: [
          `https://${requiredEnv('COGNITO_DOMAIN_PREFIX')}.auth.${region}.amazoncognito.com/oauth2/idpresponse`,
        ],
      },
    ],
    verifierClientId: requiredEnv('VERIFIER_CLIENT_ID'),
    verifierName: requiredEnv('VERIFIER_NAME'),
    accessCertificate: {
      privateKey: createPrivateKey(secret.accessCertificateKey),
      chain: secret.accessCertificateChain,
    },
    idTokenKey: { privateKey: idTokenKey, kid },
    trustAnchors: parseTrustAnchors(secret.trustAnchors),
    store: new DynamoBridgeStore(documentClient, requiredEnv('TABLE_NAME')),
    fetchStatusList,
    log: (message, attributes) => logger.info(message, attributes),
  });
}

/** The Lambda handler. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const issuer = process.env.WALLET_BRIDGE_ISSUER || `https://${event.requestContext.domainName}`;
  bridge ??= createBridge(issuer);
  bridge.catch(() => {
    bridge = undefined;
  });
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const answer = await (await bridge).handle({
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body,
  });
  const { 'Set-Cookie': setCookie, ...rest } = answer.headers;
  return {
    statusCode: answer.status,
    headers: rest,
    ...(setCookie ? { cookies: [setCookie] } : {}),
    body: answer.body,
  };
}
