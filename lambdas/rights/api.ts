/**
 * Lambda entry of the rights API (every route of `routes.ts` behind one function). Clients are created
 * once per container; `TABLE_NAME` and `RIGHT_REQUEST_STATE_MACHINE_ARN` come from the Rights construct.
 */
import { httpLogger } from '#shared/http/problem';
import { createRouter } from '#shared/http/router';
import { SfnWorkflow } from '#shared/sfn-workflow';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createDynamoRegisterCheck } from '../organisations/register-check.ts';
import { createDynamoRightsRepository } from './rights-repository.ts';
import { createRightsRoutes } from './routes.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const repository = createDynamoRightsRepository({ tableName, documentClient });
const registerCheck = createDynamoRegisterCheck({ tableName, documentClient });
const workflow = new SfnWorkflow(requiredEnv('RIGHT_REQUEST_STATE_MACHINE_ARN'));

/** The API Gateway REST proxy handler. */
export const handler = createRouter(
  createRightsRoutes({ repository, workflow, registerCheck, now: () => new Date(), logger: httpLogger }),
);
