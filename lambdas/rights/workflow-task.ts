/**
 * Lambda entry of the right-request workflow's tasks (`ApprovalWorkflow` invokes it for every action).
 * `TABLE_NAME` and the mail variables come from the Rights construct (`MAIL_TRANSPORT=outbox` in the
 * sandbox).
 */
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoRightsRepository } from './rights-repository.ts';
import { createRightsTaskHandler } from './workflow-tasks.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();

/** The Step Functions task handler: throws named errors, never returns an error object. */
export const handler = createRightsTaskHandler({
  repository: createDynamoRightsRepository({ tableName, documentClient }),
  mailer: createMailer({ documentClient, tableName }),
  now: () => new Date(),
  logger: createLogger(),
});
