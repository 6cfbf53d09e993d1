/**
 * Custom CloudWatch metrics as Embedded Metric Format (EMF): one JSON line on stdout per flush,
 * which CloudWatch Logs turns into metrics without an API call:
 *
 *   {"_aws":{"Timestamp":1767225600000,"CloudWatchMetrics":[{"Namespace":"eid-access",
 *    "Dimensions":[["service","route"]],"Metrics":[{"Name":"Requests","Unit":"Count"}]}]},
 *    "service":"rights","route":"GET /me","Requests":1}
 *
 * The `service` dimension is always there (`POWERTOOLS_SERVICE_NAME`, else `service_undefined`).
 * A metric added twice before a flush is written once with an array of values. EMF's limits are
 * kept: at most 100 metrics per record and 100 values per metric (reaching either flushes what is
 * stored, dimensions included, first), at most 29 dimensions with `service` (one more throws a
 * `RangeError`).
 *
 * Records are written only on Lambda (`AWS_LAMBDA_FUNCTION_NAME` set): the sandbox and the tests run
 * the same handlers in one long-lived process, where EMF lines would only bury the logs; there
 * every flush just drops what is stored. `POWERTOOLS_METRICS_DISABLED=true` (or `POWERTOOLS_DEV`
 * without it) turns the output off on Lambda too.
 *
 * Written for this platform in place of `@aws-lambda-powertools/metrics`, with the same records,
 * environment variables and warnings (on stderr) for the methods the functions use.
 */
import { envFlag, envValue, isDevMode, onLambda, tracksColdStart } from './lambda-env.ts';

/** The units the platform's metrics use (CloudWatch names). */
export const MetricUnit = {
  Count: 'Count',
  Milliseconds: 'Milliseconds',
} as const;

/** A unit of {@link MetricUnit}. */
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Metrics per EMF record; adding one more flushes first. */
export const MAX_METRICS = 100;
/** Values of one metric per record; reaching it flushes. */
export const MAX_METRIC_VALUES = 100;
/** Dimensions of a record, `service` included; more throw. */
export const MAX_DIMENSIONS = 29;

/** The metric Lambda's first invocation of an on-demand environment adds, per function. */
export const COLD_START_METRIC = 'ColdStart';

type Dimensions = Record<string, string>;

interface StoredMetric {
  readonly unit: MetricUnit;
  value: number | number[];
}

const UNITS: readonly string[] = Object.values(MetricUnit);

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Warnings go where Powertools put them: stderr, or the console in dev mode. */
function warn(message: string): void {
  if (isDevMode()) console.warn(message);
  else process.stderr.write(`${message}\n`);
}

/** One EMF record as a JSON line (the console in dev mode). */
function writeRecord(record: Record<string, unknown>): void {
  const line = JSON.stringify(record);
  if (isDevMode()) console.log(line);
  else process.stdout.write(`${line}\n`);
}

/**
 * The EMF record of what is stored. Dimension names: the default dimensions with the added ones,
 * plus one list per dimension set; only the defaults when nothing was added.
 * @throws Error when a metric is named like a dimension (CloudWatch could not tell them apart).
 */
function emfRecord(
  namespace: string,
  defaults: Dimensions,
  dimensions: Dimensions,
  sets: readonly Dimensions[],
  metrics: ReadonlyMap<string, StoredMetric>,
): Record<string, unknown> {
  const names: string[][] = [];
  if (Object.keys(dimensions).length > 0)
    names.push([...new Set([...Object.keys(defaults), ...Object.keys(dimensions)])]);
  for (const set of sets) names.push([...new Set([...Object.keys(defaults), ...Object.keys(set)])]);
  if (names.length === 0 && Object.keys(defaults).length > 0) names.push(Object.keys(defaults));

  const sources = new Map<string, string>();
  const seen = (keys: Dimensions, source: string): void => {
    for (const key of Object.keys(keys)) {
      const earlier = sources.get(key);
      if (earlier !== undefined) {
        warn(
          `EMF key "${key}" is defined as both a ${earlier} and ${source}; the ${source} value will take precedence in the serialized output`,
        );
      }
      sources.set(key, source);
    }
  };
  seen(defaults, 'default dimension');
  seen(dimensions, 'dimension');
  for (const set of sets) seen(set, 'dimension set');
  for (const name of metrics.keys()) {
    const source = sources.get(name);
    if (source !== undefined) {
      throw new Error(
        `EMF key collision on "${name}": registered as both a metric (number) and a ${source} (string)`,
      );
    }
  }

  const values: Record<string, number | number[]> = {};
  for (const [name, metric] of metrics) values[name] = metric.value;
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: names,
          Metrics: [...metrics].map(([name, metric]) => ({ Name: name, Unit: metric.unit })),
        },
      ],
    },
    ...defaults,
    ...dimensions,
    ...Object.assign({}, ...sets),
    ...values,
  };
}

/**
 * The metrics of one function (one instance per module scope): add dimensions and metrics during an
 * invocation, then {@link publishStoredMetrics} writes them as one record and forgets them.
 */
export class Metrics {
  readonly #namespace: string;
  readonly #defaults: Dimensions;
  /** `POWERTOOLS_METRICS_FUNCTION_NAME`, which names the function in the cold-start record. */
  readonly #functionName: string | undefined;
  readonly #disabled: boolean;
  #coldStart: boolean;
  #dimensions: Dimensions = {};
  #sets: Dimensions[] = [];
  #metrics = new Map<string, StoredMetric>();

  constructor(options: { namespace: string; serviceName?: string }) {
    this.#namespace = options.namespace;
    this.#defaults = {
      service: options.serviceName || envValue('POWERTOOLS_SERVICE_NAME') || 'service_undefined',
    };
    this.#functionName = envValue('POWERTOOLS_METRICS_FUNCTION_NAME') || undefined;
    this.#disabled =
      process.env.POWERTOOLS_METRICS_DISABLED !== undefined
        ? envFlag('POWERTOOLS_METRICS_DISABLED')
        : isDevMode();
    this.#coldStart = tracksColdStart();
  }

  /**
   * Adds a dimension to the next record (a route template, an action: never an identifier). An
   * empty name or value is dropped with a warning; a name given twice keeps the last value.
   * @throws RangeError past {@link MAX_DIMENSIONS}.
   */
  addDimension(name: string, value: string): this {
    if (!isNonEmptyString(name) || !isNonEmptyString(value)) {
      warn(
        `The dimension ${name} doesn't meet the requirements and won't be added. Ensure the dimension name and value are non empty strings`,
      );
      return this;
    }
    const projected = new Set([...Object.keys(this.#defaults), ...Object.keys(this.#dimensions), name]).size;
    if (projected > MAX_DIMENSIONS) {
      throw new RangeError(`The number of metric dimensions must be lower than ${MAX_DIMENSIONS}`);
    }
    if (Object.hasOwn(this.#dimensions, name) || Object.hasOwn(this.#defaults, name)) {
      warn(`Dimension "${name}" has already been added. The previous value will be overwritten.`);
    }
    this.#dimensions[name] = value;
    return this;
  }

  /**
   * Adds a set of dimensions that the next record's metrics are aggregated by as a whole, next to
   * (not instead of) those of {@link addDimension}.
   * @throws RangeError past {@link MAX_DIMENSIONS}.
   */
  addDimensions(dimensions: Dimensions): this {
    const set: Dimensions = {};
    for (const [name, value] of Object.entries(dimensions)) {
      if (!isNonEmptyString(name) || !isNonEmptyString(value)) {
        warn(
          `The dimension ${name} doesn't meet the requirements and won't be added. Ensure the dimension name and value are non empty strings`,
        );
        continue;
      }
      if (
        Object.hasOwn(this.#dimensions, name) ||
        Object.hasOwn(this.#defaults, name) ||
        Object.hasOwn(set, name)
      ) {
        warn(`Dimension "${name}" has already been added. The previous value will be overwritten.`);
      }
      set[name] = value;
    }
    if (new Set([...Object.keys(this.#defaults), ...Object.keys(set)]).size > MAX_DIMENSIONS) {
      throw new RangeError(`The number of metric dimensions must be lower than ${MAX_DIMENSIONS}`);
    }
    this.#sets.push(set);
    return this;
  }

  /**
   * Adds a value to the next record. A metric added again in the same record keeps every value;
   * its unit must stay the same.
   * @throws RangeError for an empty or too long name, a value that is no number or an unknown unit;
   *   Error when the unit changes.
   */
  addMetric(name: string, unit: MetricUnit, value: number): this {
    if (typeof name !== 'string') throw new Error(`${name} is not a valid string`);
    if (name.length < 1 || name.length > 255) {
      throw new RangeError('The metric name should be between 1 and 255 characters');
    }
    if (typeof value !== 'number') throw new RangeError(`${value} is not a valid number`);
    if (!UNITS.includes(unit)) {
      throw new RangeError(`Invalid metric unit '${unit}', expected either option: ${UNITS.join(',')}`);
    }
    if (this.#metrics.size >= MAX_METRICS) this.publishStoredMetrics();
    const stored = this.#metrics.get(name);
    if (!stored) {
      this.#metrics.set(name, { unit, value });
      return this;
    }
    if (stored.unit !== unit) {
      throw new Error(
        `Metric "${name}" has already been added with unit "${stored.unit}", but we received unit "${unit}". Did you mean to use metric unit "${stored.unit}"?`,
      );
    }
    stored.value = [...(Array.isArray(stored.value) ? stored.value : [stored.value]), value];
    if (stored.value.length === MAX_METRIC_VALUES) this.publishStoredMetrics();
    return this;
  }

  /**
   * On the first invocation of an on-demand environment, writes a record of its own: `ColdStart` 1
   * with the `service` and `function_name` dimensions (the name from `POWERTOOLS_METRICS_FUNCTION_NAME`,
   * else `functionName`). Does nothing afterwards, and nothing off Lambda.
   */
  captureColdStartMetric(functionName?: string): void {
    if (!onLambda() || !this.#coldStart) return;
    this.#coldStart = false;
    const name = this.#functionName ?? functionName?.trim();
    const dimensions: Dimensions = name ? { function_name: name } : {};
    const metric = new Map<string, StoredMetric>([[COLD_START_METRIC, { unit: MetricUnit.Count, value: 1 }]]);
    if (!this.#disabled) writeRecord(emfRecord(this.#namespace, this.#defaults, dimensions, [], metric));
  }

  /**
   * Writes what is stored as one record (on Lambda) and forgets metrics and dimensions, whether
   * written or not. A flush with nothing stored warns on Lambda and writes nothing.
   */
  publishStoredMetrics(): this {
    const metrics = this.#metrics;
    const dimensions = this.#dimensions;
    const sets = this.#sets;
    this.#metrics = new Map();
    this.#dimensions = {};
    this.#sets = [];
    if (!onLambda()) return this;
    if (metrics.size === 0) {
      warn(
        'No application metrics to publish. The cold-start metric may be published if enabled. ' +
          'If application metrics should never be empty, consider using `throwOnEmptyMetrics`',
      );
    }
    if (this.#disabled) return this;
    const record = emfRecord(this.#namespace, this.#defaults, dimensions, sets, metrics);
    if (metrics.size > 0) writeRecord(record);
    return this;
  }
}
