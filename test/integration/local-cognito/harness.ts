/**
 * Shared set-up of the local Cognito tests: the REAL trigger handlers on DynamoDB Local, unique test
 * identities and a pool factory.
 */
import { randomUUID } from 'node:crypto';
import type { AppClientConfig, LocalCognitoOptions, LocalCognitoTriggers } from '#local/cognito/index';
import { LocalCognito } from '#local/cognito/index';
import { stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';

export const POOL_ID = 'eu-west-1_sandbox';

export const PORTAL: AppClientConfig = {
  clientId: 'portal-client-0123456789',
  name: 'portal',
  callbackUrls: ['http://127.0.0.1:5173/callback'],
  logoutUrls: ['http://127.0.0.1:5173/'],
};

/**
 * The real pre sign-up and pre token generation handlers, reading the test table. The environment is
 * stubbed on every call: vitest restores it after each test and the SDK reads region, endpoint and
 * credentials per request; the modules themselves are imported once.
 */
export async function realTriggers(table: TestTable): Promise<LocalCognitoTriggers> {
  stubLocalEnv({ TABLE_NAME: table.tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const [preSignUp, preTokenGeneration] = await Promise.all([
    import('#identity/pre-sign-up'),
    import('#identity/pre-token-generation'),
  ]);
  return { preSignUp: preSignUp.handler, preTokenGeneration: preTokenGeneration.handler };
}

/** A pool on the sandbox's base URL with one portal client. */
export function createPool(options: Partial<LocalCognitoOptions> = {}): Promise<LocalCognito> {
  return LocalCognito.create({
    issuerBaseUrl: 'http://127.0.0.1:3000',
    poolId: POOL_ID,
    clients: [PORTAL],
    ...options,
  });
}

/** A unique itsme subject. */
export const itsmeSubject = (): string => `itsme-${randomUUID()}`;
/** A unique eIDAS PersonIdentifier issued by `country` for BE. */
export const eidasPersonIdentifier = (country = 'DE'): string =>
  `${country}/BE/${randomUUID().replaceAll('-', '').toUpperCase()}`;
