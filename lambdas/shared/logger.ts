/**
 * Structured JSON logging of every function, one line per entry on stdout (TRACE, DEBUG, INFO) or
 * stderr (WARN, ERROR, CRITICAL), where Lambda sends both to CloudWatch Logs:
 *
 *   {"level":"INFO","message":"…","timestamp":"…","service":"rights","cold_start":true,
 *    "function_name":"…","function_request_id":"…","xray_trace_id":"1-…", …the entry's own keys}
 *
 * Every attribute and the message go through `redact` (`redact.ts`): no national number, token or
 * task token reaches CloudWatch, whoever logs what; an `Error` is logged as its name and redacted
 * message only (its stack would repeat the message). Keys whose value is `undefined`, `null` or `''`
 * are left out of the line.
 *
 * Written for this platform in place of `@aws-lambda-powertools/logger` (its layout and environment
 * variables are kept, so log queries, the CDK and the sandbox did not change):
 * - `POWERTOOLS_SERVICE_NAME`: the `service` key (`service_undefined` without it);
 * - level: `AWS_LAMBDA_LOG_LEVEL` (Lambda's advanced logging controls) wins, else
 *   `POWERTOOLS_LOG_LEVEL`, else `LOG_LEVEL`, else INFO; upper-case names of {@link LOG_LEVELS}
 *   only, read when the logger is created (at module scope, so once per cold start);
 * - `POWERTOOLS_LOGGER_LOG_EVENT=true`: {@link Logger.logEventIfEnabled} logs the invocation event
 *   (redacted like everything else);
 * - `POWERTOOLS_DEV=true`: indented JSON through the global `console` (what a test runner shows);
 * - `cold_start` is true for the first invocation of an on-demand environment
 *   (`AWS_LAMBDA_INITIALIZATION_TYPE=on-demand`), false afterwards and under provisioned concurrency;
 * - `xray_trace_id` is the `Root` of the invocation's trace header.
 *
 * Not kept, because no function used them: log sampling, log buffering, persistent keys, child
 * loggers, and per-invocation state for Lambda managed instances (several invocations at once in
 * one process): keys appended by one invocation belong to the process until `resetKeys`.
 */
import type { Context } from 'aws-lambda';
import { envValue, isDevMode, tracksColdStart } from './lambda-env.ts';
import { redact } from './redact.ts';

/** Log levels and their thresholds: an entry is written when its level is at least the logger's. */
export const LOG_LEVELS = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
} as const;

/** A log level name; `SILENT` writes nothing. */
export type LogLevel = keyof typeof LOG_LEVELS;

/** Keys an entry may not set: the layout's own. Such keys are dropped with a warning. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'level',
  'message',
  'sampling_rate',
  'service',
  'timestamp',
]);

/** Keys never copied into a line (they would reach an object's prototype). */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor']);

/** Extra attributes of one entry. */
export type LogAttributes = Record<string, unknown>;

/** The first argument of a log method: the message, or the message with attributes. */
export type LogInput = string | ({ message: unknown } & LogAttributes);

/**
 * Further arguments: an attributes object (merged in), an `Error` (logged as `error`), a string
 * (logged as `extra`); `null` and `undefined` are skipped.
 */
export type LogExtra = LogAttributes | Error | string | null | undefined;

const isLevel = (value: string | undefined): value is LogLevel =>
  value !== undefined && Object.hasOwn(LOG_LEVELS, value);

/** The initial level: Lambda's log level control, else the variables, else INFO. */
function initialLevel(): LogLevel {
  const lambdaLevel = envValue('AWS_LAMBDA_LOG_LEVEL');
  const controlled = lambdaLevel === 'FATAL' ? 'CRITICAL' : lambdaLevel;
  if (isLevel(controlled)) return controlled;
  const configured = envValue('POWERTOOLS_LOG_LEVEL') || envValue('LOG_LEVEL');
  return isLevel(configured) ? configured : 'INFO';
}

/**
 * The X-Ray trace id (`Root`) of the current invocation: from the runtime's invoke store when it
 * has one (per invocation on managed instances), else from `_X_AMZN_TRACE_ID`.
 */
function xrayTraceId(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => unknown } } }).awslambda
    ?.InvokeStore;
  const fromStore = store?.getXRayTraceId?.();
  const header = typeof fromStore === 'string' ? fromStore : envValue('_X_AMZN_TRACE_ID');
  if (header === '') return undefined;
  if (!header.includes('=')) return header;
  for (const field of header.split(';')) {
    const [key, value] = field.split('=');
    if (key === 'Root') return value;
  }
  return undefined;
}

let timezoneWarned = false;

/**
 * ISO 8601 time of an entry: UTC (`…Z`) unless `TZ` names another zone (not on Lambda, where it is
 * `:UTC`), then local time with its offset, e.g. `2026-01-01T13:00:00.000+01:00`.
 */
export function formatTimestamp(now: Date): string {
  const zone = envValue('TZ');
  if (!zone || zone.includes('UTC')) return now.toISOString();
  let resolved = zone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    resolved = 'UTC';
    if (!timezoneWarned) {
      timezoneWarned = true;
      console.warn(`Invalid or unresolvable time zone: "${zone}" - falling back to UTC.`);
    }
  }
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en', {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: resolved,
  });
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  const offset = resolved === zone ? -now.getTimezoneOffset() : 0;
  const hours = Math.abs(Math.floor(offset / 60))
    .toString()
    .padStart(2, '0');
  const minutes = Math.abs(offset % 60)
    .toString()
    .padStart(2, '0');
  const millis = now.getMilliseconds().toString().padStart(3, '0');
  return (
    `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}` +
    `.${millis}${offset >= 0 ? '+' : '-'}${hours}:${minutes}`
  );
}

/** JSON of a line; BigInt values as strings (redaction already turned everything else into data). */
const jsonReplacer = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value;

/** The Lambda context fields a line carries. */
interface LineContext {
  readonly coldStart: boolean;
  readonly functionName: string | undefined;
  readonly awsRequestId: string | undefined;
}

/** A structured JSON logger with redaction; see the module comment for its layout and settings. */
export class Logger {
  readonly #service: string;
  readonly #threshold: number;
  readonly #logEvent: boolean;
  readonly #dev: boolean;
  /** Whether the next {@link addContext} is a cold start. */
  #coldStart: boolean;
  #context: LineContext | undefined;
  /** Keys of {@link appendKeys}, in the order first appended; `undefined` values are not written. */
  readonly #keys = new Map<string, unknown>();

  constructor(options: { serviceName?: string } = {}) {
    this.#service = options.serviceName || envValue('POWERTOOLS_SERVICE_NAME') || 'service_undefined';
    this.#threshold = LOG_LEVELS[initialLevel()];
    this.#logEvent = envValue('POWERTOOLS_LOGGER_LOG_EVENT').toLowerCase() === 'true';
    this.#dev = isDevMode();
    this.#coldStart = tracksColdStart();
  }

  trace(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('TRACE', input, extra);
  }

  debug(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('DEBUG', input, extra);
  }

  info(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('INFO', input, extra);
  }

  warn(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('WARN', input, extra);
  }

  error(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('ERROR', input, extra);
  }

  critical(input: LogInput, ...extra: LogExtra[]): void {
    this.#log('CRITICAL', input, extra);
  }

  /**
   * Puts the invocation's Lambda context on every following line (`cold_start`, `function_name`,
   * `function_request_id`) until the next call: once per invocation, before anything is logged.
   */
  addContext(context: Pick<Context, 'functionName' | 'awsRequestId'>): void {
    const coldStart = this.#coldStart;
    this.#coldStart = false;
    this.#context = { coldStart, functionName: context.functionName, awsRequestId: context.awsRequestId };
  }

  /** Logs the invocation event at INFO when `POWERTOOLS_LOGGER_LOG_EVENT` is `true`. */
  logEventIfEnabled(event: unknown): void {
    if (this.#logEvent) this.info('Lambda invocation event', { event });
  }

  /** Adds keys to every following line until {@link resetKeys}; a later value replaces an earlier one. */
  appendKeys(attributes: LogAttributes): void {
    for (const [key, value] of Object.entries(attributes)) {
      if (this.#reserved(key)) continue;
      if (value !== undefined || !this.#keys.has(key)) this.#keys.set(key, value);
    }
  }

  /** Removes some of the keys of {@link appendKeys}. */
  removeKeys(keys: readonly string[]): void {
    for (const key of keys) this.#keys.delete(key);
  }

  /** Removes every key of {@link appendKeys}: at the end of each invocation. */
  resetKeys(): void {
    this.#keys.clear();
  }

  /** Whether `key` is one of the layout's own keys (then warns, once per use, and drops it). */
  #reserved(key: string): boolean {
    if (!RESERVED_KEYS.has(key)) return false;
    this.warn(`The key "${key}" is a reserved key and will be dropped.`);
    return true;
  }

  #log(level: LogLevel, input: LogInput, extra: readonly LogExtra[]): void {
    if (LOG_LEVELS[level] < this.#threshold) return;
    const attributes: LogAttributes = {};
    for (const [key, value] of this.#keys) if (value !== undefined) attributes[key] = value;
    let message: unknown = input;
    if (typeof input !== 'string') {
      const { message: text, ...rest } = input;
      message = text;
      this.#merge(attributes, rest);
    }
    for (const item of extra) {
      if (item === null || item === undefined) continue;
      if (item instanceof Error) attributes.error = item;
      else if (typeof item === 'string') attributes.extra = item;
      else this.#merge(attributes, item);
    }
    const line: LogAttributes = {
      level,
      message: redact(message),
      timestamp: formatTimestamp(new Date()),
      service: this.#service,
      cold_start: this.#context?.coldStart,
      function_name: this.#context?.functionName,
      function_request_id: this.#context?.awsRequestId,
      xray_trace_id: xrayTraceId(),
    };
    for (const [key, value] of Object.entries(redact(attributes) as LogAttributes)) {
      if (!UNSAFE_KEYS.has(key) && (value !== undefined || line[key] === undefined)) line[key] = value;
    }
    for (const [key, value] of Object.entries(line)) {
      if (value === undefined || value === null || value === '') delete line[key];
    }
    this.#write(level, JSON.stringify(line, jsonReplacer, this.#dev ? 4 : 0));
  }

  #merge(attributes: LogAttributes, from: LogAttributes): void {
    for (const [key, value] of Object.entries(from)) {
      if (!this.#reserved(key)) attributes[key] = value;
    }
  }

  #write(level: LogLevel, text: string): void {
    const toStderr = level === 'WARN' || level === 'ERROR' || level === 'CRITICAL';
    if (this.#dev) {
      if (toStderr) console[level === 'WARN' ? 'warn' : 'error'](text);
      else console[level === 'TRACE' ? 'log' : level === 'DEBUG' ? 'debug' : 'info'](text);
      return;
    }
    try {
      (toStderr ? process.stderr : process.stdout).write(`${text}\n`);
    } catch {
      // A closed stream never fails an invocation (as with Node's console).
    }
  }
}

/** The module-scope logger of a function; the service name comes from POWERTOOLS_SERVICE_NAME. */
export function createLogger(serviceName?: string): Logger {
  return new Logger(serviceName ? { serviceName } : {});
}
