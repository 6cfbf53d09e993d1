/**
 * Lambda entry of the BIS API (every route of `routes.ts` behind one function). Clients are created
 * once per container; `TABLE_NAME` and `BIS_STATE_MACHINE_ARN` come from the BIS construct.
 */
import { httpLogger } from '#shared/http/problem';
import { createRouter } from '#shared/http/router';
import { SfnWorkflow } from '#shared/sfn-workflow';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, emitSignal, METRIC_NAMES } from '#shared/telemetry';
import { createDynamoBisRepository } from './bis-repository.ts';
import { createBisRoutes } from './routes.ts';

const repository = createDynamoBisRepository({
  tableName: requiredEnv('TABLE_NAME'),
  documentClient: createDocumentClient(),
});
const workflow = new SfnWorkflow(requiredEnv('BIS_STATE_MACHINE_ARN'));
const signalMetrics = createMetrics();

/** The API Gateway REST proxy handler. */
export const handler = createRouter(
  createBisRoutes({
    repository,
    workflow,
    now: () => new Date(),
    logger: httpLogger,
    signals: {
      sequenceExhausted: () => emitSignal(signalMetrics, METRIC_NAMES.bisSequenceExhausted),
    },
  }),
);
