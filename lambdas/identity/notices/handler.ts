/**
 * Lambda entry of the identity notices sender (EventBridge Scheduler, every minute; sandbox job
 * `identity-notices`). `TABLE_NAME` and the mail variables come from the IdentityApi construct. The
 * counts of a run are metrics (`IdentityNoticesSent`, `IdentityNoticesFailed`) next to the task
 * metrics of action `identity-notices`.
 */

import type { Context } from 'aws-lambda';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { MetricUnit } from '#shared/metrics';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, observeTask } from '#shared/telemetry';
import { createDynamoNoticeStore } from './notice-store.ts';
import { sendPendingNotices } from './send-notices.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();
const metrics = createMetrics();
const store = createDynamoNoticeStore({ tableName, documentClient });
const mailer = createMailer({ documentClient, tableName });

let currentContext: Context | undefined;

const run = observeTask(
  async (): Promise<object> => {
    const context = currentContext;
    const report = await sendPendingNotices({
      store,
      mailer,
      now: () => new Date(),
      logger,
      ...(context?.getRemainingTimeInMillis ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
    });
    metrics.addMetric('IdentityNoticesSent', MetricUnit.Count, report.sent);
    metrics.addMetric('IdentityNoticesFailed', MetricUnit.Count, report.failed);
    return { ...report };
  },
  { logger, metrics },
  () => ({ action: 'identity-notices' }),
);

/** The scheduled handler; the event carries nothing it needs. */
export const handler = async (event?: unknown, context?: Context): Promise<object> => {
  currentContext = context;
  return run(event, context);
};
