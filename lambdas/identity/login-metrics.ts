/**
 * Login metrics of the Cognito triggers: how many tokens are issued per provider and outcome, and
 * how many logins are refused per reason. Dimensions come from closed sets only (never a person,
 * subject or national number). The triggers keep the shared logger and metrics + Lambda active
 * tracing and no Powertools Tracer: it would more than triple their bundles (measured 172-180 KB
 * against a 150 KB budget).
 */

import { LoginRefusedError } from '#shared/errors';
import { type Metrics, MetricUnit } from '#shared/metrics';
import { METRIC_NAMES } from '#shared/telemetry';

/** One issued token set. `outcome` is how the person was found (`returning`, `created`, `linked`). */
export function recordLogin(
  metrics: Metrics,
  labels: { provider: string; triggerSource: string; outcome: string },
): void {
  metrics.addDimensions({
    provider: labels.provider,
    source: labels.triggerSource === 'TokenGeneration_RefreshTokens' ? 'refresh' : 'login',
    outcome: labels.outcome,
  });
  metrics.addMetric(METRIC_NAMES.logins, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** A refused login, counted by its reason; other failures are the Lambda Errors metric's business. */
export function recordRefusal(metrics: Metrics, error: unknown): void {
  if (!(error instanceof LoginRefusedError)) return;
  metrics.addDimension('reason', error.reason);
  metrics.addMetric(METRIC_NAMES.loginRefusals, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/**
 * A login whose asserted names or e-mail the text policy cleaned (`FederatedIdentity.textCleaned`):
 * counted per provider, so a provider that sends invisible characters shows up on a dashboard.
 */
export function recordTextCleaned(metrics: Metrics, provider: string, fields: number | undefined): void {
  if (!fields) return;
  metrics.addDimension('provider', provider);
  metrics.addMetric(METRIC_NAMES.assertedTextCleaned, MetricUnit.Count, fields);
  metrics.publishStoredMetrics();
}
