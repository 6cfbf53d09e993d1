/**
 * Lambda entry of the foreign-company review workflow's tasks (`ApprovalWorkflow` invokes it for
 * every action). `TABLE_NAME`, `UPLOAD_BUCKET_NAME`, `UPLOAD_KEY_ARN`, `SECURITY_OFFICERS_EMAIL` and
 * the mail variables come from the `Organisations` construct.
 */
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, observeTask, workflowTaskLabels } from '#shared/telemetry';
import { foreignRegistrationApproval } from './approval.ts';
import { createDynamoOrganisationsRepository } from './organisations-repository.ts';
import { createS3UploadStore } from './uploads.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();

/**
 * The Step Functions task handler: throws named errors, never returns an error object. Every log line
 * carries the execution name (the registration id) and the action.
 */
export const handler = observeTask(
  createWorkflowTaskHandler(
    foreignRegistrationApproval({
      repository: createDynamoOrganisationsRepository({ tableName, documentClient }),
      uploads: createS3UploadStore({
        bucketName: requiredEnv('UPLOAD_BUCKET_NAME'),
        kmsKeyArn: requiredEnv('UPLOAD_KEY_ARN'),
      }),
      mailer: createMailer({ documentClient, tableName }),
      securityOfficersEmail: requiredEnv('SECURITY_OFFICERS_EMAIL'),
      now: () => new Date(),
      logger,
    }),
  ),
  { logger, metrics: createMetrics() },
  workflowTaskLabels,
);
