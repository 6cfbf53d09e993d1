/**
 * X-Ray subsegments without the X-Ray SDK. Functions run with Lambda active tracing, so Lambda
 * already records the function segment; this module adds what the platform wants inside it, as
 * subsegment documents sent over UDP to the X-Ray daemon Lambda runs next to the function:
 * - one subsegment per invocation ({@link traceInvocation}): `## index.handler` per API request,
 *   `## <action>` per workflow task or scheduled job, annotated with `ColdStart`, `Service` and the
 *   labels the caller adds ({@link annotateTrace});
 * - one subsegment per AWS SDK call of a client passed to {@link traceAwsClient} (namespace `aws`,
 *   service, operation, region, request id, table names), whose `X-Amzn-Trace-Id` names it as the
 *   parent, so the callee's segment hangs below it.
 *
 * Active only when the invocation is sampled (`Sampled=1` in the trace header: the runtime's invoke
 * store, else `_X_AMZN_TRACE_ID`) and `AWS_XRAY_DAEMON_ADDRESS` is set: Lambda sets both with active
 * tracing, the sandbox and the tests neither (a test sets them to listen). Otherwise every function
 * here just runs what it wraps. Sending is fire-and-forget: a lost datagram costs a subsegment, never
 * a response; failures are logged at DEBUG.
 *
 * No personal data: annotations only under {@link ANNOTATION_KEYS}, with short values of a plain
 * alphabet that redaction leaves unchanged (route templates, actions, ULIDs, request ids); AWS calls
 * record no parameters but table names; errors only their name, never their message.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createLogger, type Logger } from './logger.ts';
import { redactString } from './redact.ts';

/** The only annotation keys a subsegment may carry. */
export const ANNOTATION_KEYS = ['route', 'correlation_id', 'action', 'ColdStart', 'Service'] as const;

/** An annotation key of {@link ANNOTATION_KEYS}. */
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];

/** The first line of every datagram the daemon accepts. */
const DOCUMENT_HEADER = '{"format": "json", "version": 1}\n';

/** Annotation strings: a plain alphabet (route templates, ids, actions), short enough for no token. */
const ANNOTATION_VALUE = /^[A-Za-z0-9 ._:/{}#-]{0,128}$/;
const ERROR_NAME = /^[A-Za-z0-9_.]{1,100}$/;
const TRACE_ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
const THROTTLING = /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown/;

/** A sampled trace the current invocation belongs to. */
export interface TraceContext {
  /** `Root` of the trace header. */
  readonly traceId: string;
  /** The segment or subsegment new subsegments hang below. */
  readonly parentId: string;
  /** Other fields of the header (`;Lineage=…`), passed on unchanged to AWS calls. */
  readonly extra: string;
}

/**
 * The sampled trace of a trace header (`Root=1-…;Parent=…;Sampled=1`), or `undefined` when it is
 * missing, malformed or not sampled.
 */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map<string, string>();
  const extra: string[] = [];
  for (const part of header.split(';')) {
    const [key = '', value = ''] = part.trim().split('=');
    if (key === 'Root' || key === 'Parent' || key === 'Sampled') fields.set(key, value);
    else if (key !== '') extra.push(`;${key}=${value}`);
  }
  const traceId = fields.get('Root') ?? '';
  const parentId = fields.get('Parent') ?? '';
  if (fields.get('Sampled') !== '1' || !TRACE_ROOT.test(traceId) || !SEGMENT_ID.test(parentId)) {
    return undefined;
  }
  return { traceId, parentId, extra: extra.join('') };
}

/**
 * The trace header of the current invocation: the runtime's invoke store first (it is per invocation
 * when one process serves several at once), else the variable Lambda sets before each invocation.
 * The same order as the logger (`logger.ts`).
 */
function currentTraceHeader(): string | undefined {
  const lambda = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => unknown } } })
    .awslambda;
  const fromStore = lambda?.InvokeStore?.getXRayTraceId?.();
  return typeof fromStore === 'string' && fromStore !== '' ? fromStore : process.env._X_AMZN_TRACE_ID;
}

interface DaemonAddress {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, or `tcp:host:port udp:host:port` (the UDP one is used). */
export function parseDaemonAddress(value: string | undefined): DaemonAddress | undefined {
  if (!value) return undefined;
  const parts = value.trim().split(/\s+/);
  const udp = parts.find((part) => part.startsWith('udp:'))?.slice(4) ?? (parts.length === 1 ? parts[0] : '');
  const at = udp?.lastIndexOf(':') ?? -1;
  if (!udp || at <= 0) return undefined;
  const port = Number(udp.slice(at + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { host: udp.slice(0, at).replace(/^\[|\]$/g, ''), port };
}

let debugLogger: Logger | undefined;
function debug(message: string, error: unknown): void {
  try {
    debugLogger ??= createLogger();
    debugLogger.debug(message, { error });
  } catch {
    // Tracing never fails a request, not even through its logging.
  }
}

let socket: Socket | undefined;
function send(document: Record<string, unknown>): void {
  try {
    const address = parseDaemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS);
    if (!address) return;
    if (!socket) {
      socket = createSocket(isIPv6(address.host) ? 'udp6' : 'udp4');
      socket.on('error', (error) => debug('trace socket failed', error));
      socket.unref();
    }
    socket.send(`${DOCUMENT_HEADER}${JSON.stringify(document)}`, address.port, address.host, (error) => {
      if (error) debug('trace subsegment not sent', error);
    });
  } catch (error) {
    debug('trace subsegment not sent', error);
  }
}

const newId = (): string => randomBytes(8).toString('hex');
const epochSeconds = (): number => (performance.timeOrigin + performance.now()) / 1000;

/** What closing a subsegment adds to its document. */
interface Outcome {
  status?: number;
  /** The name of what was thrown, when something was. */
  errorName?: string;
  /** The error came from the called service (AWS calls), not from this code. */
  remote?: boolean;
  throttled?: boolean;
  aws?: Record<string, unknown>;
}

/** An open subsegment; sent when closed. */
class Subsegment {
  readonly id = newId();
  private readonly startTime = epochSeconds();
  private readonly annotations: Partial<Record<AnnotationKey, string | number | boolean>> = {};

  constructor(
    readonly name: string,
    readonly trace: TraceContext,
    private readonly namespace?: 'aws',
  ) {}

  /** The trace context of calls made inside this subsegment. */
  get child(): TraceContext {
    return { ...this.trace, parentId: this.id };
  }

  annotate(key: AnnotationKey, value: string | number | boolean): void {
    if (!(ANNOTATION_KEYS as readonly string[]).includes(key)) return;
    if (typeof value === 'string' && (!ANNOTATION_VALUE.test(value) || redactString(value) !== value)) {
      return;
    }
    this.annotations[key] = value;
  }

  close(outcome: Outcome): void {
    const { status, errorName, remote, throttled, aws } = outcome;
    const fault = status !== undefined ? status >= 500 : errorName !== undefined;
    const clientError = status !== undefined && status >= 400 && status < 500;
    const type = errorName !== undefined && ERROR_NAME.test(errorName) ? errorName : 'Error';
    send({
      type: 'subsegment',
      id: this.id,
      trace_id: this.trace.traceId,
      parent_id: this.trace.parentId,
      name: this.name,
      start_time: this.startTime,
      end_time: epochSeconds(),
      ...(this.namespace ? { namespace: this.namespace } : {}),
      ...(Object.keys(this.annotations).length > 0 ? { annotations: this.annotations } : {}),
      ...(aws ? { aws } : {}),
      ...(status !== undefined ? { http: { response: { status } } } : {}),
      ...(clientError || throttled ? { error: true } : {}),
      ...(throttled ? { throttle: true } : {}),
      ...(fault ? { fault: true } : {}),
      ...(errorName !== undefined
        ? { cause: { exceptions: [{ id: newId(), type, ...(remote ? { remote: true } : {}) }] } }
        : {}),
    });
  }
}

/** The innermost open subsegment of the current asynchronous flow. */
const current = new AsyncLocalStorage<Subsegment>();

/** The context new subsegments hang below: the open subsegment, else the function segment. */
function parentContext(): TraceContext | undefined {
  const open = current.getStore();
  if (open) return open.child;
  if (!process.env.AWS_XRAY_DAEMON_ADDRESS) return undefined;
  return parseTraceHeader(currentTraceHeader());
}

let coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';

/** Options of {@link traceInvocation}. */
export interface InvocationOptions<R> {
  /** The HTTP status of a result (API handlers): 4xx flags the subsegment as error, 5xx as fault. */
  statusOf?: (result: R) => number | undefined;
}

/**
 * Runs one invocation in a subsegment named `name`, annotated with `ColdStart` and `Service`
 * (`POWERTOOLS_SERVICE_NAME`). A throw marks it as fault (with the error's name) and passes through
 * unchanged. Without a sampled trace, only runs `run`.
 */
export async function traceInvocation<R>(
  name: string,
  run: () => Promise<R>,
  options: InvocationOptions<R> = {},
): Promise<R> {
  const isColdStart = coldStart;
  coldStart = false;
  const parent = parentContext();
  if (!parent) return run();
  const segment = new Subsegment(name, parent);
  segment.annotate('ColdStart', isColdStart);
  const service = process.env.POWERTOOLS_SERVICE_NAME;
  if (service) segment.annotate('Service', service);
  let result: R;
  try {
    result = await current.run(segment, run);
  } catch (error) {
    segment.close({ errorName: errorNameOf(error) });
    throw error;
  }
  segment.close({ status: statusOf(options, result) });
  return result;
}

function statusOf<R>(options: InvocationOptions<R>, result: R): number | undefined {
  try {
    return options.statusOf?.(result);
  } catch {
    return undefined;
  }
}

/**
 * Annotates the open invocation subsegment; dropped when there is none, or when a string value is not
 * a plain label (anything redaction would change, longer than 128 characters, other characters).
 */
export function annotateTrace(key: AnnotationKey, value: string | number | boolean): void {
  current.getStore()?.annotate(key, value);
}

const errorNameOf = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'object' && error !== null ? 'Object' : 'Error';

/** The parts of an SDK v3 middleware the tracer reads. */
interface SdkHandlerContext {
  clientName?: string;
  commandName?: string;
}
interface SdkArgs {
  input?: unknown;
  request?: unknown;
}
interface SdkResult {
  output?: unknown;
  response?: unknown;
}
type SdkHandler = (args: SdkArgs) => Promise<SdkResult>;
type SdkMiddleware = (next: SdkHandler, context: SdkHandlerContext) => SdkHandler;

/** An AWS SDK v3 client: what {@link traceAwsClient} needs of one. */
export interface TraceableClient {
  readonly middlewareStack: { add: (...args: never[]) => void };
  readonly config: { readonly region?: unknown };
}

/** The one overload of the SDK's `middlewareStack.add` the tracer uses. */
type BuildStepAdd = (
  middleware: SdkMiddleware,
  options: { step: 'build'; name: string; override: boolean },
) => void;

const MIDDLEWARE_NAME = 'eidAccessTracing';

/**
 * Records every call of `client` as an `aws` subsegment below the open one, and sends its
 * `X-Amzn-Trace-Id` with that subsegment as parent. Added at the build step, so one subsegment spans
 * the SDK's retries (`retries` says how many). A presigned URL makes no call and records nothing.
 * Adding it twice keeps one.
 */
export function traceAwsClient<C extends TraceableClient>(client: C): C {
  const middleware: SdkMiddleware = (next, context) => async (args) => {
    const parent = parentContext();
    if (!parent) return next(args);
    const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
    const segment = new Subsegment(service, parent, 'aws');
    setTraceHeader(args.request, `Root=${parent.traceId};Parent=${segment.id};Sampled=1${parent.extra}`);
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    let result: SdkResult;
    try {
      result = await next(args);
    } catch (error) {
      const metadata = metadataOf(error);
      const name = errorNameOf(error);
      const throttled = THROTTLING.test(name) || metadata.httpStatusCode === 429;
      segment.close({
        status: metadata.httpStatusCode,
        errorName: name,
        remote: true,
        throttled,
        aws: await awsFields(client, operation, args.input, metadata),
      });
      throw error;
    }
    const status = (result.response as { statusCode?: unknown } | undefined)?.statusCode;
    if (typeof status === 'number') {
      segment.close({
        status,
        aws: await awsFields(client, operation, args.input, metadataOf(result.output)),
      });
    }
    return result;
  };
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as BuildStepAdd;
  add(middleware, { step: 'build', name: MIDDLEWARE_NAME, override: true });
  return client;
}

function setTraceHeader(request: unknown, value: string): void {
  const headers = (request as { headers?: unknown } | undefined)?.headers;
  if (typeof headers !== 'object' || headers === null) return;
  const record = headers as Record<string, string>;
  for (const name of Object.keys(record)) {
    if (name.toLowerCase() === 'x-amzn-trace-id') delete record[name];
  }
  record['X-Amzn-Trace-Id'] = value;
}

interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

function metadataOf(value: unknown): ResponseMetadata {
  const metadata = (value as { $metadata?: unknown } | undefined)?.$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as ResponseMetadata) : {};
}

/** The `aws` block: never a parameter value, only what names the resource and the call. */
async function awsFields(
  client: TraceableClient,
  operation: string,
  input: unknown,
  metadata: ResponseMetadata,
): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = { operation };
  try {
    const region = client.config.region;
    const value = typeof region === 'function' ? await (region as () => unknown)() : region;
    if (typeof value === 'string') fields.region = value;
  } catch {
    // No region: the call itself will have said why.
  }
  if (typeof metadata.requestId === 'string') fields.request_id = metadata.requestId;
  if (typeof metadata.attempts === 'number') fields.retries = Math.max(0, metadata.attempts - 1);
  const tables = tableNamesOf(input);
  if (tables.length === 1) fields.table_name = tables[0];
  else if (tables.length > 1) fields.table_names = tables;
  return fields;
}

/** DynamoDB table names of a command's input: `TableName`, `RequestItems` keys, `TransactItems`. */
function tableNamesOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const fields = input as { TableName?: unknown; RequestItems?: unknown; TransactItems?: unknown };
  const names = new Set<string>();
  if (typeof fields.TableName === 'string') names.add(fields.TableName);
  if (typeof fields.RequestItems === 'object' && fields.RequestItems !== null) {
    for (const name of Object.keys(fields.RequestItems)) names.add(name);
  }
  if (Array.isArray(fields.TransactItems)) {
    for (const item of fields.TransactItems as unknown[]) {
      for (const operation of Object.values((item ?? {}) as Record<string, unknown>)) {
        const name = (operation as { TableName?: unknown } | undefined)?.TableName;
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return [...names];
}
