/**
 * Lambda entry of the wallet bridge's OpenID provider (`WalletBridge/Function`, the HTTP API's
 * catch-all route): discovery, JWKS, authorization, the authorization page, the request object,
 * status, completion, token and userinfo (bridge.ts). `POST /response/{tx}` has a route and a
 * function of its own (`verifier-handler.ts`), so this bundle carries no PID verification code.
 */
import { createPrivateKey } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// zod/mini: the same checks for a fraction of the bytes on the login's cold start (docs/performance.md).
import * as z from 'zod/mini';
import { createLogger } from '#shared/logger';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { WalletBridge } from './bridge.ts';
import { BridgeSecretError } from './errors.ts';
import { keyIdOf, publishedKeyOf } from './id-token-keys.ts';
import { issuerOf, readSecretText, refreshing, toBridgeRequest, toLambdaResult } from './lambda.ts';
import { DynamoBridgeStore } from './store.ts';

const logger = createLogger();
const documentClient = createDocumentClient();

/**
 * The bridge secret's JSON (docs/operations.md, "Wallet bridge"): PKCS#8 PEM private keys, SPKI PEM
 * public keys (`idTokenPublishedKeys`: the ID token keys published beside the signing key during a
 * rotation, at most 4) and the access certificate chain as base64 DER (leaf first). The trusted PID
 * providers live in a secret of their own that only the verifier reads.
 */
export const bridgeSecretSchema = z.object({
  clientSecret: z.string().check(z.minLength(32)),
  idTokenSigningKey: z.string().check(z.includes('PRIVATE KEY')),
  idTokenPublishedKeys: z.optional(z.array(z.string())),
  accessCertificateKey: z.string().check(z.includes('PRIVATE KEY')),
  accessCertificateChain: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

/**
 * How long a warm container serves with the secret it read before reading it again: the delay
 * between a change of the secret (a key rotation's step) and every container answering with it.
 */
export const SECRET_REFRESH_MS = 5 * 60 * 1000;

/**
 * The bridge secret's text, checked. `JSON.parse` quotes the text it cannot parse, so its error is
 * replaced, and a schema failure names the fields and checks only: no part of the secret reaches a
 * log.
 */
export function parseBridgeSecret(text: string): z.infer<typeof bridgeSecretSchema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BridgeSecretError('The wallet bridge secret is not JSON');
  }
  const parsed = bridgeSecretSchema.safeParse(value);
  if (!parsed.success) {
    const faults = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.code}`,
    );
    throw new BridgeSecretError(`The wallet bridge secret is refused (${faults.join(', ')})`);
  }
  return parsed.data;
}

/**
 * What a log may say about a failed read of the secret: the name of the error, and the message only
 * of the bridge's own refusals (a parser's or the SDK's message may quote what it read).
 */
export function secretFailure(error: unknown): Record<string, string> {
  if (error instanceof BridgeSecretError) return { error: error.name, reason: error.message };
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    error: error instanceof Error ? error.name : 'unknown',
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The bridge of the secret as it reads now. */
async function createBridge(event: APIGatewayProxyEventV2): Promise<WalletBridge> {
  const secret = parseBridgeSecret(await readSecretText('WALLET_BRIDGE_SECRET_NAME'));
  const idTokenKey = createPrivateKey(secret.idTokenSigningKey);
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
    idTokenKey: { privateKey: idTokenKey, kid: keyIdOf(idTokenKey) },
    idTokenPublishedKeys: (secret.idTokenPublishedKeys ?? []).map(publishedKeyOf),
    store: new DynamoBridgeStore(documentClient, requiredEnv('TABLE_NAME')),
    log: (message, attributes) => logger.info(message, attributes),
  });
}

const bridge = refreshing(createBridge, {
  maxAgeMs: SECRET_REFRESH_MS,
  onRefreshFailed: (error) =>
    logger.error('wallet bridge secret re-read failed: serving with the previous one', secretFailure(error)),
});

/** The Lambda handler. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return toLambdaResult(await (await bridge(event)).handle(toBridgeRequest(event)));
}
