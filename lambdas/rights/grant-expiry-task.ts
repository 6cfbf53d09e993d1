/**
 * Lambda entry of the daily grant-expiry run (EventBridge Scheduler): notices 14 days ahead and the
 * audited sweep of expired grants. `TABLE_NAME` and the mail variables come from the Rights construct.
 */
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { runGrantExpiry } from './grant-expiry.ts';
import { createDynamoRightsRepository } from './rights-repository.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const deps = {
  repository: createDynamoRightsRepository({ tableName, documentClient }),
  mailer: createMailer({ documentClient, tableName }),
  now: () => new Date(),
  logger: createLogger(),
};

/** The scheduled handler; the event carries nothing it needs. Throws so the schedule retries. */
export const handler = async (): Promise<object> => ({ ...(await runGrantExpiry(deps)) });
