/**
 * Lambda entry of the daily grant-expiry run (EventBridge Scheduler): notices 14 days ahead and the
 * audited sweep of expired grants. `TABLE_NAME` and the mail variables come from the Rights construct.
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createMetrics, observeTask } from '#shared/powertools';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { runGrantExpiry } from './grant-expiry.ts';
import { createDynamoRightsRepository } from './rights-repository.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();
const metrics = createMetrics();
const deps = {
  repository: createDynamoRightsRepository({ tableName, documentClient }),
  mailer: createMailer({ documentClient, tableName }),
  now: () => new Date(),
  logger,
};

/**
 * The scheduled handler; the event carries nothing it needs. Throws so the schedule retries. Counts
 * of the run are metrics (`GrantsNoticed`, `GrantsWithoutEmail`, `GrantsExpired`) next to the task
 * metrics of action `grant-expiry`; logs correlate on the Lambda request id.
 */
export const handler = observeTask(
  async (): Promise<object> => {
    const report = await runGrantExpiry(deps);
    metrics.addMetric('GrantsNoticed', MetricUnit.Count, report.noticed);
    metrics.addMetric('GrantsWithoutEmail', MetricUnit.Count, report.withoutEmail);
    metrics.addMetric('GrantsExpired', MetricUnit.Count, report.expired);
    return { ...report };
  },
  { logger, metrics, tracer: new Tracer() },
  () => ({ action: 'grant-expiry' }),
);
