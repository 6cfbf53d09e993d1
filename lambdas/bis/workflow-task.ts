/**
 * Lambda entry of the BIS approval workflow's tasks (`ApprovalWorkflow` invokes it for every
 * action). Clients are created once per container; `TABLE_NAME`, `BIS_AGENTS_EMAIL` and the mail
 * variables come from the BIS construct (`MAIL_TRANSPORT=outbox` in the sandbox).
 */
import { createWorkflowTaskHandler } from '#shared/approval/runtime';
import { createLogger } from '#shared/logger';
import { createMailer } from '#shared/mailer';
import { createDocumentClient, requiredEnv } from '#shared/table';
import { createMetrics, emitSignal, METRIC_NAMES, observeTask, workflowTaskLabels } from '#shared/telemetry';
import { bisRegistrationApproval } from './approval.ts';
import { createDynamoBisRepository } from './bis-repository.ts';

const tableName = requiredEnv('TABLE_NAME');
const documentClient = createDocumentClient();
const logger = createLogger();
const signalMetrics = createMetrics();

/**
 * The Step Functions task handler: throws named errors, never returns an error object. Every log line
 * carries the execution name (the registration id) and the action.
 */
export const handler = observeTask(
  createWorkflowTaskHandler(
    bisRegistrationApproval({
      repository: createDynamoBisRepository({ tableName, documentClient }),
      mailer: createMailer({ documentClient, tableName }),
      agentsEmail: requiredEnv('BIS_AGENTS_EMAIL'),
      now: () => new Date(),
      logger,
      signals: {
        sequenceExhausted: () => emitSignal(signalMetrics, METRIC_NAMES.bisSequenceExhausted),
      },
    }),
  ),
  { logger, metrics: createMetrics() },
  workflowTaskLabels,
);
