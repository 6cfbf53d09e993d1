/**
 * Metrics and tracing of the platform's functions, next to the logger of `logger.ts`: the EMF
 * namespace, the metric names, the low-cardinality dimensions, and the wrapper that gives every Step
 * Functions task and scheduled job the same correlation, metrics and trace subsegment as an API
 * request. The EMF records themselves are written by `metrics.ts`.
 *
 * Kept out of `logger.ts` on purpose: the Cognito triggers import the logger and must stay small.
 * Trace subsegments come from `tracing.ts` (no X-Ray SDK; on only on Lambda with active tracing).
 *
 * No personal data in dimensions or annotations: only route templates, workflow actions, request
 * ids (ULIDs) and API Gateway request ids.
 */
import type { Context } from 'aws-lambda';
import type { Logger } from './logger.ts';
import { Metrics, MetricUnit } from './metrics.ts';
import { annotateTrace, traceInvocation } from './tracing.ts';
import { WORKFLOW_ACTIONS, type WorkflowAction } from './workflow-actions.ts';

/** The CloudWatch namespace of every custom metric (`POWERTOOLS_METRICS_NAMESPACE` says the same). */
export const METRICS_NAMESPACE = 'eid-access';

/** Names of the custom metrics, shared with the dashboard in `lib/constructs/observability.ts`. */
export const METRIC_NAMES = {
  /** API requests per route (dimensions `service`, `route`). */
  requests: 'Requests',
  /** Handler latency per route, in milliseconds. */
  latency: 'Latency',
  /** 4xx answers per route (0 or 1 per request, so `Average` is the rate). */
  clientErrors: 'ClientErrors',
  /** 5xx answers per route (0 or 1 per request). */
  serverErrors: 'ServerErrors',
  /** Workflow tasks and scheduled jobs run (dimensions `service`, `action`). */
  tasks: 'Tasks',
  /** Tasks that threw (0 or 1 per task); Step Functions retries or catches them. */
  taskFailures: 'TaskFailures',
  /** Task duration, in milliseconds. */
  taskDuration: 'TaskDuration',
  /** Tokens issued (dimensions `service`, `provider`, `source`: login or refresh, `outcome`). */
  logins: 'Logins',
  /** Logins refused by a trigger (dimensions `service`, `reason`: a LoginRefusalReason). */
  loginRefusals: 'LoginRefusals',
  /**
   * Logins whose asserted names or e-mail held characters the text policy removes (dimensions
   * `service`, `provider`); the value is the number of fields cleaned (issue 19).
   */
  assertedTextCleaned: 'AssertedTextCleaned',
  /**
   * An approval found every BIS number of the applicant's birth date and sex taken (dimension
   * `service`: `bis`); alarmed on by `Observability` (docs/bis-sequence-exhaustion.md).
   */
  bisSequenceExhausted: 'BisSequenceExhausted',
} as const;

/**
 * The module-scope metrics of a function (`metrics.ts`: EMF on Lambda only); the `service`
 * dimension comes from POWERTOOLS_SERVICE_NAME.
 */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE });
}

/**
 * Emits one count of an operator signal at once, with the `service` dimension only: `metrics` must be
 * an instance of its own (from {@link createMetrics}) so no per-request dimension (`route`,
 * `action`) joins it, because an alarm matches the exact dimension set.
 */
export function emitSignal(metrics: Metrics, name: string): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** The module-scope logger and metrics a wrapped task reports through. */
export interface TaskTelemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** What a task's logs and metrics are labelled with. */
export interface TaskLabels {
  /** A workflow action, or the job's name: a metric dimension, so from a closed set. */
  readonly action: string;
  /** The execution name (the request id) for workflow tasks, else the Lambda request id. */
  readonly correlationId?: string;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The labels of an approval-workflow task event: its action (only a known {@link WorkflowAction},
 * else `unknown`, so a malformed event cannot create a metric) and its request id, which is the
 * execution's name (the API starts every execution named after the request).
 */
export function workflowTaskLabels(event: unknown): TaskLabels {
  const fields = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  const action = (WORKFLOW_ACTIONS as readonly unknown[]).includes(fields.action)
    ? (fields.action as WorkflowAction)
    : 'unknown';
  const requestId = typeof fields.requestId === 'string' && REQUEST_ID.test(fields.requestId);
  return { action, ...(requestId ? { correlationId: fields.requestId as string } : {}) };
}

/**
 * Wraps a Step Functions task or scheduled job: Lambda context and `correlation_id` /
 * `execution_name` / `action` on every log line of the invocation, a `## <action>` trace subsegment
 * annotated with the action, correlation id, cold start and service (`tracing.ts`; a throw marks
 * it as fault), the `ColdStart` metric and {@link METRIC_NAMES} `Tasks`,
 * `TaskFailures` and `TaskDuration` by action, flushed as one EMF record at the end. The handler's
 * result and errors pass through unchanged (Retry/Catch match on the error name).
 *
 * The context is optional: the sandbox and the integration tests call entries without one.
 */
export function observeTask<R>(
  run: (event: unknown) => Promise<R>,
  telemetry: TaskTelemetry,
  labelsOf: (event: unknown, context: Context | undefined) => TaskLabels,
): (event?: unknown, context?: Context) => Promise<R> {
  const { logger, metrics } = telemetry;
  return async (event?: unknown, context?: Context) => {
    const labels = labelsOf(event, context);
    const correlationId = labels.correlationId ?? context?.awsRequestId;
    if (context) logger.addContext(context);
    logger.appendKeys({
      action: labels.action,
      ...(correlationId ? { correlation_id: correlationId } : {}),
      ...(labels.correlationId ? { execution_name: labels.correlationId } : {}),
    });
    metrics.captureColdStartMetric(context?.functionName);

    const started = performance.now();
    let failed = false;
    try {
      return await traceInvocation(`## ${labels.action}`, () => {
        annotateTrace('action', labels.action);
        if (correlationId) annotateTrace('correlation_id', correlationId);
        return run(event);
      });
    } catch (error) {
      failed = true;
      logger.warn('task failed', { error });
      throw error;
    } finally {
      metrics.addDimension('action', labels.action);
      metrics.addMetric(METRIC_NAMES.tasks, MetricUnit.Count, 1);
      metrics.addMetric(METRIC_NAMES.taskFailures, MetricUnit.Count, failed ? 1 : 0);
      metrics.addMetric(METRIC_NAMES.taskDuration, MetricUnit.Milliseconds, performance.now() - started);
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
