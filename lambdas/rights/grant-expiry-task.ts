/**
 * Lambda entry of the daily grant expiry's calls (the GrantExpiry state machine invokes it with
 * `action` `sweep`, `send` or `summarise`; lambdas/rights/grant-expiry.ts). `TABLE_NAME` and the mail
 * variables come from the Rights construct (`MAIL_TRANSPORT=outbox` in the sandbox).
 */

import { createLogger } from '#shared/logger';
import { createTransportMailer } from '#shared/mailer';
import { MetricUnit } from '#shared/metrics';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, observeTask } from '#shared/telemetry';
import { type ExpiryCounts, runGrantExpiryTask } from './grant-expiry.ts';
import { createDynamoGrantExpiryStore } from './grant-expiry-store.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();
const metrics = createMetrics();
const deps = {
  store: createDynamoGrantExpiryStore({ tableName, documentClient }),
  // The notice item is the sent marker (claim, send, mark sent): no second marker per mail.
  mailer: createTransportMailer(),
  now: () => new Date(),
  logger,
};

const actionOf = (event: unknown): string => {
  const action = (event as { action?: unknown } | undefined)?.action;
  return typeof action === 'string' ? `grant-expiry-${action}` : 'grant-expiry';
};

/**
 * The task handler; throws so Step Functions retries. The summary's counts are metrics
 * (`GrantsWarned`, `GrantsExpired`, `GrantNoticesSent`, `GrantNoticesWithoutEmail`,
 * `GrantNoticesFailed`) next to the task metrics of action `grant-expiry-<call>`.
 */
export const handler = observeTask(
  async (event: unknown): Promise<object> => {
    const result = await runGrantExpiryTask(deps, event);
    if (actionOf(event) === 'grant-expiry-summarise') {
      const counts = result as ExpiryCounts;
      metrics.addMetric('GrantsWarned', MetricUnit.Count, counts.warned);
      metrics.addMetric('GrantsExpired', MetricUnit.Count, counts.expired);
      metrics.addMetric('GrantNoticesSent', MetricUnit.Count, counts.sent);
      metrics.addMetric('GrantNoticesWithoutEmail', MetricUnit.Count, counts.withoutEmail);
      metrics.addMetric('GrantNoticesFailed', MetricUnit.Count, counts.failed);
      logger.info('grant expiry run', { ...counts });
    }
    return result;
  },
  { logger, metrics },
  (event) => ({ action: actionOf(event) }),
);
