/**
 * Lambda entry of the wallet bridge's OpenID provider (`WalletBridge/Function`, the HTTP API's
 * catch-all route): discovery, JWKS, authorization, the authorization page, the request object,
 * status, completion, token and userinfo (bridge.ts). `POST /response/{tx}` has a route and a
 * function of its own (`verifier-handler.ts`), so this bundle carries no PID verification code.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// zod/mini: the same checks for a fraction of the bytes on the login's cold start (docs/performance.md).
import * as z from 'zod/mini';
import { createLogger } from '#shared/logger';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { WalletBridge } from './bridge.ts';
import { issuerOf, lazily, readSecretText, toBridgeRequest, toLambdaResult } from './lambda.ts';
import { DynamoBridgeStore } from './store.ts';

const logger = createLogger();
const documentClient = createDocumentClient();

/**
 * The bridge secret's JSON (docs/operations.md, "Wallet bridge"): PKCS#8 PEM keys and the access
 * certificate chain as base64 DER (leaf first). The trusted PID providers live in a secret of their
 * own that only the verifier reads.
 */
export const bridgeSecretSchema = z.object({
  clientSecret: z.string().check(z.minLength(32)),
  idTokenSigningKey: z.string().check(z.includes('PRIVATE KEY')),
  accessCertificateKey: z.string().check(z.includes('PRIVATE KEY')),
  accessCertificateChain: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

const bridge = lazily(async (event) => {
  const secret = bridgeSecretSchema.parse(JSON.parse(await readSecretText('WALLET_BRIDGE_SECRET_NAME')));
  const idTokenKey = createPrivateKey(secret.idTokenSigningKey);
  const kid = createHash('sha256')
    .update(createPublicKey(idTokenKey).export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 16);
  const region = requiredEnv('AWS_REGION');
  return new WalletBridge({
    issuer: issuerOf(event),
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
    store: new DynamoBridgeStore(documentClient, requiredEnv('TABLE_NAME')),
    log: (message, attributes) => logger.info(message, attributes),
  });
});

/** The Lambda handler. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return toLambdaResult(await (await bridge(event)).handle(toBridgeRequest(event)));
}
