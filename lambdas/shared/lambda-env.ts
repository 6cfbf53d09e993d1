/**
 * The few Lambda and tooling environment variables the logger (`logger.ts`) and the metrics
 * (`metrics.ts`) read. No dependencies, so the smallest bundle (a Cognito trigger) can take it.
 */

/** A variable's value, trimmed; `''` when unset. */
export function envValue(name: string): string {
  return process.env[name]?.trim() ?? '';
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 'y', 'yes', 't', 'true', 'on']);

/** Whether a variable holds a yes (`1`, `y`, `yes`, `t`, `true`, `on`, any case). */
export function envFlag(name: string): boolean {
  return TRUE_WORDS.has(envValue(name).toLowerCase());
}

/**
 * `POWERTOOLS_DEV`: a developer's run. Logs are indented and go through the global `console`;
 * metrics are off unless `POWERTOOLS_METRICS_DISABLED` says otherwise.
 */
export function isDevMode(): boolean {
  return envFlag('POWERTOOLS_DEV');
}

/**
 * Whether this execution environment has a cold start to report: on-demand ones do (Lambda sets
 * `AWS_LAMBDA_INITIALIZATION_TYPE=on-demand`), provisioned concurrency and local runs do not.
 */
export function tracksColdStart(): boolean {
  return envValue('AWS_LAMBDA_INITIALIZATION_TYPE') === 'on-demand';
}

/** Whether this process is a Lambda execution environment (the runtime always sets the name). */
export function onLambda(): boolean {
  return Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
}
