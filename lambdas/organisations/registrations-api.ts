/**
 * Lambda entry of the foreign-company registrations (every route of `registration-routes.ts` behind
 * one function). Clients are created once per container; the environment comes from the
 * `Organisations` construct (`TABLE_NAME`, `UPLOAD_BUCKET_NAME`, `UPLOAD_KEY_ARN`,
 * `FOREIGN_REGISTRATION_STATE_MACHINE_ARN`, the mail variables; `MAIL_TRANSPORT=outbox` in the
 * sandbox).
 */

import { httpLogger } from '#shared/http/problem';
import { createRouter } from '#shared/http/router';
import { createMailer } from '#shared/mailer';
import { SfnWorkflow } from '#shared/sfn-workflow';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoOrganisationsRepository } from './organisations-repository.ts';
import { createForeignRegistrationRoutes } from './registration-routes.ts';
import { createS3UploadStore } from './uploads.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();

/** The API Gateway REST proxy handler. */
export const handler = createRouter(
  createForeignRegistrationRoutes({
    repository: createDynamoOrganisationsRepository({ tableName, documentClient }),
    uploads: createS3UploadStore({
      bucketName: requiredEnv('UPLOAD_BUCKET_NAME'),
      kmsKeyArn: requiredEnv('UPLOAD_KEY_ARN'),
    }),
    workflow: new SfnWorkflow(requiredEnv('FOREIGN_REGISTRATION_STATE_MACHINE_ARN')),
    mailer: createMailer({ documentClient, tableName }),
    now: () => new Date(),
    logger: httpLogger,
  }),
);
