/**
 * Lambda entry of the right-request workflow's tasks (`ApprovalWorkflow` invokes it for every action).
 * `TABLE_NAME` and the mail variables come from the Rights construct (`MAIL_TRANSPORT=outbox` in the
 * sandbox).
 */
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, observeTask, workflowTaskLabels } from '#shared/telemetry';
import { rightRequestApproval } from './approval.ts';
import { createDynamoRightsRepository } from './rights-repository.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();

/**
 * The Step Functions task handler: throws named errors, never returns an error object. Every log line
 * carries the execution name (the request id) and the action.
 */
export const handler = observeTask(
  createWorkflowTaskHandler(
    rightRequestApproval({
      repository: createDynamoRightsRepository({ tableName, documentClient }),
      mailer: createMailer({ documentClient, tableName }),
      now: () => new Date(),
      logger,
    }),
  ),
  { logger, metrics: createMetrics() },
  workflowTaskLabels,
);
