/**
 * Lambda entry of the daily legal-representative check (EventBridge Scheduler): re-checks every
 * register-derived representative against the company register and lapses those it no longer
 * lists (`representative-check.ts`). `TABLE_NAME`, `SECURITY_OFFICERS_EMAIL` and the mail variables
 * come from the Organisations construct.
 */

import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { MetricUnit } from '#shared/metrics';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, observeTask } from '#shared/telemetry';
import { createDynamoCompanyRegister } from './company-register.ts';
import { createDynamoOrganisationsRepository } from './organisations-repository.ts';
import { runRepresentativeCheck } from './representative-check.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();
const metrics = createMetrics();
const deps = {
  repository: createDynamoOrganisationsRepository({ tableName, documentClient }),
  register: createDynamoCompanyRegister({ tableName, documentClient }),
  mailer: createMailer({ documentClient, tableName }),
  now: () => new Date(),
  securityOfficersEmail: requiredEnv('SECURITY_OFFICERS_EMAIL'),
  logger,
};

/**
 * The scheduled handler; the event carries nothing it needs. Throws so the schedule retries (every
 * step is idempotent). Counts are metrics (`RepresentativesChecked`, `RepresentativesLapsed`,
 * `OrganisationCasesOpened`).
 */
export const handler = observeTask(
  async (): Promise<object> => {
    const report = await runRepresentativeCheck(deps);
    metrics.addMetric('RepresentativesChecked', MetricUnit.Count, report.checked);
    metrics.addMetric('RepresentativesLapsed', MetricUnit.Count, report.lapsed);
    metrics.addMetric('OrganisationCasesOpened', MetricUnit.Count, report.flagged);
    return { ...report };
  },
  { logger, metrics },
  () => ({ action: 'representative-check' }),
);
