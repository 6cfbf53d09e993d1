/**
 * Lambda entry of the organisations API (every route of `routes.ts` behind one function: claims,
 * profiles and members, local administrators, organisation cases; the foreign-company registrations
 * run in `registrations-api.ts`). Clients are created once per container; the environment comes
 * from the `Organisations` construct (`TABLE_NAME`, the mail variables; `MAIL_TRANSPORT=outbox` in
 * the sandbox).
 */

import { httpLogger } from '#shared/http/problem';
import { createRouter } from '#shared/http/router';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoCompanyRegister } from './company-register.ts';
import { createDynamoOrganisationsRepository } from './organisations-repository.ts';
import { createOrganisationsRoutes } from './routes.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();

/** The API Gateway REST proxy handler. */
export const handler = createRouter(
  createOrganisationsRoutes({
    repository: createDynamoOrganisationsRepository({ tableName, documentClient }),
    register: createDynamoCompanyRegister({ tableName, documentClient }),
    mailer: createMailer({ documentClient, tableName }),
    now: () => new Date(),
    logger: httpLogger,
  }),
);
