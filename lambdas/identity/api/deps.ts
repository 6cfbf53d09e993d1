/**
 * The production collaborators of the identity API, from the environment (`TABLE_NAME`) and the
 * SDK's default configuration chain (so `AWS_ENDPOINT_URL_DYNAMODB` points them at DynamoDB Local).
 * Built once per function instance.
 */
import { newId } from '#shared/ids';
import { createLogger } from '#shared/logger';
import { createDynamoPersonRegister } from '#shared/person-register';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoAttemptLimiter } from './attempt-limiter.ts';
import { createDynamoIdentityStore } from './identity-store.ts';
import type { IdentityApiDeps } from './routes.ts';

let deps: IdentityApiDeps | undefined;

/** The collaborators of this instance, created on the first call. */
export function productionDeps(): IdentityApiDeps {
  if (deps) return deps;
  const tableName = requiredEnv('TABLE_NAME');
  const documentClient = createDocumentClient();
  const table = { tableName, documentClient };
  deps = {
    store: createDynamoIdentityStore(table),
    register: createDynamoPersonRegister(table),
    attempts: createDynamoAttemptLimiter(table),
    now: () => new Date(),
    newId: () => newId(),
    logger: createLogger(),
  };
  return deps;
}
