/**
 * The production collaborators of the native-account API, from the environment (`TABLE_NAME`,
 * `USER_POOL_ID`, `TEMP_PASSWORD_VALIDITY_DAYS`, the mailer's) and the SDK's default chain. Built once
 * per function instance, on the first request.
 */

import { createDynamoCodeCardStore } from '#shared/code-card-store';
import { newId } from '#shared/ids';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDynamoPersonRegister } from '#shared/person-register';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoBisRepository } from '../bis/bis-repository.ts';
import { createInPersonBisIssuer } from '../bis/issue-in-person.ts';
import { AdminCognitoUsers } from './cognito-users.ts';
import { createDynamoNativeRepository } from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

let deps: NativeDeps | undefined;

/** The collaborators of this instance, created on the first call. */
export function productionDeps(): NativeDeps {
  if (deps) return deps;
  const tableName = requiredEnv('TABLE_NAME');
  const documentClient = createDocumentClient();
  const table = { tableName, documentClient };
  const mailer = createMailer(table);
  const register = createDynamoPersonRegister(table);
  const logger = createLogger();
  deps = {
    accounts: createDynamoNativeRepository(table),
    cards: createDynamoCodeCardStore(table),
    register,
    birthDates: register,
    // The composition root binds the BIS port to the BIS context's implementation.
    bisNumbers: createInPersonBisIssuer({
      repository: createDynamoBisRepository(table),
      now: () => new Date(),
      newId: () => newId(),
      logger,
    }),
    cognito: new AdminCognitoUsers(requiredEnv('USER_POOL_ID')),
    mailer,
    cardMailer: mailer,
    now: () => new Date(),
    newId: () => newId(),
    logger,
    temporaryPasswordValidityDays: Number(requiredEnv('TEMP_PASSWORD_VALIDITY_DAYS')),
  };
  return deps;
}
