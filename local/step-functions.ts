/**
 * Runs synthesized Step Functions state machines in-process (integration tests and the sandbox), on
 * top of `aws-local-stepfunctions`, which interprets the ASL but knows nothing of Lambda integrations
 * or task tokens. This module adds what the approval workflows need:
 * - the ASL taken from the synthesized template (intrinsics resolved to fixed fake ARNs);
 * - `arn:aws:states:::lambda:invoke` routed to local handler functions keyed by the function's
 *   logical id, with Lambda's result envelope and error shape;
 * - `.waitForTaskToken` emulated: a fresh token per attempt, `$$.Task.Token` resolved in the payload,
 *   SendTaskSuccess/SendTaskFailure with the errors the AWS SDK names;
 * - StartExecution's idempotency by name, DescribeExecution-like status and the event history;
 * - scaled time, so a 30-day `TimeoutSeconds` is testable in milliseconds.
 */
import { randomBytes } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { type StartedExecution, translateWorkflowError, type WorkflowPort } from '#shared/workflow';

// aws-local-stepfunctions calls Promise.withResolvers (Node 22); Node 20 lacks it.
const promiseStatics = Promise as unknown as { withResolvers?: unknown };
if (typeof promiseStatics.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => deferred<T>(),
  });
}

/** The fixed pseudo parameters the local definitions are resolved with. */
export const LOCAL_AWS = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' } as const;

/** `setTimeout` overflows above 2^31-1 ms (~24.8 days) and then fires at once: clamp below it. */
const MAX_TIMER_SECONDS = 2_147_483;
/** Step Functions' default `TimeoutSeconds` for a Task (the interpreter would use 60 s). */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
const TOKEN_PLACEHOLDER = '__local-sfn-task-token__';
const TOKEN_PREFIX = 'AQLocal';
const TOKEN_PATTERN = /^AQLocal[A-Za-z0-9_-]{64}$/;
const validatedDefinitions = new Set<string>();

/**
 * The `timeScale` that makes one day of workflow time last `ms` milliseconds
 * (`timeScaleForDay(10)`: a 30-day decision timeout fires after 300 ms).
 */
export function timeScaleForDay(ms: number): number {
  return ms / 86_400_000;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Template = { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };

/**
 * The plain ASL of one `AWS::StepFunctions::StateMachine` of a synthesized template.
 * `Ref`/`Fn::GetAtt`/`Fn::Join`/`Fn::Sub` and `DefinitionSubstitutions` are resolved with
 * {@link LOCAL_AWS}; a resource's ARN keeps its logical id as the name
 * (`arn:aws:lambda:eu-west-1:123456789012:function:WorkflowHandler6AB65591`), which is how Lambda
 * tasks find their local handler.
 *
 * @param match the state machine's logical id or a prefix of it (CDK appends a hash), or a predicate;
 *   exactly one state machine must match.
 */
export function loadStateMachineDefinition(
  template: object,
  match: string | ((logicalId: string) => boolean),
): StateMachineDefinition {
  const resources = (template as Template).Resources ?? {};
  const test = typeof match === 'string' ? (id: string) => id.startsWith(match) : match;
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  const found = machines.filter(([id]) => test(id));
  if (found.length !== 1) {
    const ids = machines.map(([id]) => id).join(', ') || 'none';
    throw new Error(
      `Expected exactly one state machine matching ${String(match)}, found ${found.length} (${ids})`,
    );
  }
  const [, machine] = found[0] as [string, { Properties?: Record<string, unknown> }];
  const props = machine.Properties ?? {};
  const resolve = (value: unknown) => resolveIntrinsic(value, resources);
  let text: string;
  if (props.DefinitionString !== undefined) text = String(resolve(props.DefinitionString));
  else if (props.Definition !== undefined) text = JSON.stringify(resolve(props.Definition));
  else throw new Error('The state machine has no inline definition (DefinitionS3Location is not supported)');
  const substitutions = (props.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(substitutions)) {
    text = text.replaceAll(`\${${key}}`, String(resolve(value)));
  }
  return JSON.parse(text) as StateMachineDefinition;
}

function fakeArn(logicalId: string, type: string | undefined): string {
  const { partition, region, accountId } = LOCAL_AWS;
  const base = `arn:${partition}`;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `${base}:lambda:${region}:${accountId}:function:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `${base}:states:${region}:${accountId}:stateMachine:${logicalId}`;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return `${base}:dynamodb:${region}:${accountId}:table/${logicalId}`;
    case 'AWS::SNS::Topic':
      return `${base}:sns:${region}:${accountId}:${logicalId}`;
    case 'AWS::SQS::Queue':
      return `${base}:sqs:${region}:${accountId}:${logicalId}`;
    default: {
      const service = (type ?? 'AWS::Unknown').split('::')[1]?.toLowerCase() ?? 'unknown';
      return `${base}:${service}:${region}:${accountId}:${logicalId}`;
    }
  }
}

function pseudo(name: string): string | undefined {
  switch (name) {
    case 'AWS::Partition':
      return LOCAL_AWS.partition;
    case 'AWS::Region':
      return LOCAL_AWS.region;
    case 'AWS::AccountId':
      return LOCAL_AWS.accountId;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return 'local';
    case 'AWS::NoValue':
      return undefined;
    default:
      throw new Error(`Unsupported pseudo parameter ${name}`);
  }
}

function resolveRef(name: string, resources: Template['Resources'] & object): string | undefined {
  if (name.startsWith('AWS::')) return pseudo(name);
  if (!(name in resources)) throw new Error(`Ref to unknown resource ${name}`);
  return name;
}

function resolveGetAtt(id: string, attribute: string, resources: Template['Resources'] & object): string {
  const resource = resources[id];
  if (!resource) throw new Error(`Fn::GetAtt on unknown resource ${id}`);
  return attribute === 'Arn' ? fakeArn(id, resource.Type) : id;
}

function resolveIntrinsic(value: unknown, resources: Template['Resources'] & object): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsic(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [key, arg] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    switch (key) {
      case 'Ref':
        return resolveRef(String(arg), resources);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return resolveGetAtt(String(id), String(attribute), resources);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolveIntrinsic(parts, resources) as unknown[]).join(separator);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [String(arg), {}];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (name in vars) return String(resolveIntrinsic(vars[name], resources));
          const [id, attribute] = name.split('.');
          return attribute
            ? resolveGetAtt(String(id), attribute, resources)
            : String(resolveRef(String(id), resources));
        });
      }
      default:
        throw new Error(`Unsupported intrinsic ${key} in a state machine definition`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsic(v, resources)]));
}

/**
 * A local stand-in for a Lambda function: receives the task's `Payload` (with `$$.Task.Token`
 * resolved) and returns the function's result or throws; the error's `name` is what Retry and Catch
 * see, as with a real function's `errorType`.
 */
export type LocalTaskHandler = (payload: unknown) => unknown;

/** Options of a {@link LocalWorkflowRunner}. */
export interface LocalWorkflowRunnerOptions {
  /** The ASL, e.g. from {@link loadStateMachineDefinition}. */
  readonly definition: StateMachineDefinition | object;
  /**
   * Handlers keyed by the Lambda function's logical id, or a prefix of it (the longest matching key
   * wins). Every function a Task state calls must have one.
   */
  readonly handlers: Record<string, LocalTaskHandler>;
  /**
   * Name used in the execution ARNs.
   * @default 'LocalStateMachine'
   */
  readonly stateMachineName?: string;
  /**
   * Factor applied to workflow time: waits for a task token (`TimeoutSeconds`), `Wait` states, the
   * execution timeout and Retry intervals. The run time of the handlers themselves is not scaled.
   * @default 1
   */
  readonly timeScale?: number;
}

/** Status of a local execution (as DescribeExecution names it). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** DescribeExecution of a local execution. */
export interface ExecutionDescription {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

/** One entry of an execution's history, as `aws-local-stepfunctions` logs it. */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * An error of the emulated Step Functions API, named like the AWS SDK's exception
 * (`TaskDoesNotExist`, `TaskTimedOut`, `InvalidToken`, `InvalidOutput`, `ExecutionAlreadyExists`,
 * `ExecutionDoesNotExist`, `InvalidName`), so the same translation serves both.
 */
export class LocalStepFunctionsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A Lambda task failure as Step Functions reports it: `Error` = errorType, `Cause` = the JSON. */
class LambdaTaskError extends Error {
  constructor(error: unknown) {
    const errorType = error instanceof Error && error.name ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }
}

/** Stops an aborted execution's pending work: neither retried nor caught by the interpreter. */
class ExecutionStoppedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('The execution was stopped');
    this.name = 'States.Runtime';
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface PendingTask {
  executionName: string;
  stateName: string;
  status: 'pending' | 'succeeded' | 'failed' | 'timed-out' | 'closed';
  deadline: number;
  settle: Deferred<Json>;
}

interface ExecutionRecord {
  description: ExecutionDescription;
  events: ExecutionEvent[];
  stopped: boolean;
  drained: boolean;
  abort: () => void;
  finished: Promise<void>;
  listeners: Set<() => void>;
}

interface TaskStateInfo {
  name: string;
  resource: string;
  /** Literal function name or ARN the task calls; undefined when it is chosen at run time. */
  functionName: string | undefined;
  waitsForToken: boolean;
  timeoutSeconds: number;
}

/**
 * Executes one state machine definition locally with the semantics of a Standard workflow that the
 * approval workflows rely on. See the module comment.
 */
export class LocalWorkflowRunner {
  private readonly machine: StateMachine;
  private readonly tasks: TaskStateInfo[];
  private readonly waitOverrides: Record<string, number> = {};
  private readonly retryOverrides: Record<string, number[]> = {};
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, PendingTask>();
  private readonly stateMachineName: string;
  private readonly timeScale: number;

  constructor(private readonly options: LocalWorkflowRunnerOptions) {
    this.stateMachineName = options.stateMachineName ?? 'LocalStateMachine';
    this.timeScale = options.timeScale ?? 1;
    const original = options.definition as StateMachineDefinition;
    // Validate what was synthesized (once: asl-validator costs ~0.2-1 s), then run a copy whose
    // times are scaled (fractional seconds the validator would refuse).
    const text = JSON.stringify(original);
    if (!validatedDefinitions.has(text)) {
      new StateMachine(original, { validationOptions: { checkArn: true, checkPaths: true } });
      validatedDefinitions.add(text);
    }
    const definition = structuredClone(original);
    this.tasks = [];
    this.prepare(definition, true);
    for (const task of this.tasks) {
      if (task.functionName !== undefined) this.handlerFor(task.name, task.functionName);
    }
    this.machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  }

  /** The ARN of the local execution named `name`. */
  executionArn(name: string): string {
    const { partition, region, accountId } = LOCAL_AWS;
    return `arn:${partition}:states:${region}:${accountId}:execution:${this.stateMachineName}:${name}`;
  }

  /**
   * StartExecution. A repeated start with the same name and input while the execution runs returns
   * the same execution; any other reuse of the name throws `ExecutionAlreadyExists`.
   */
  async start(name: string, input: unknown): Promise<StartedExecution & { startDate: Date }> {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new LocalStepFunctionsError('InvalidName', `Invalid execution name: ${name}`);
    }
    const normalised = JSON.parse(JSON.stringify(input ?? {})) as Json;
    const existing = this.executions.get(name);
    if (existing) {
      const same = JSON.stringify(existing.description.input) === JSON.stringify(normalised);
      if (existing.description.status === 'RUNNING' && same) {
        return { executionArn: existing.description.executionArn, startDate: existing.description.startDate };
      }
      throw new LocalStepFunctionsError('ExecutionAlreadyExists', `Execution already exists: ${name}`);
    }
    const executionArn = this.executionArn(name);
    const description: ExecutionDescription = {
      executionArn,
      name,
      status: 'RUNNING',
      input: normalised,
      startDate: new Date(),
    };
    const record: ExecutionRecord = {
      description,
      events: [],
      stopped: false,
      drained: false,
      abort: () => {},
      finished: Promise.resolve(),
      listeners: new Set(),
    };
    this.executions.set(name, record);

    const run = this.machine.run(normalised, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          this.tasks.map((task) => [task.name, (payload: unknown) => this.runTask(record, task, payload)]),
        ),
        waitTimeOverrides: this.waitOverrides,
        ...(this.timeScale === 1 ? {} : { retryIntervalOverrides: this.retryOverrides }),
      },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: this.stateMachineArn(), Name: this.stateMachineName },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    record.abort = run.abort;
    const settled = run.result.then(
      (output: unknown) => this.finish(record, { status: 'SUCCEEDED', output }),
      (error: unknown) => this.finish(record, failureOf(error)),
    );
    const drained = (async () => {
      for await (const event of run.eventLogs) {
        record.events.push(event);
        this.onEvent(record, event);
        for (const listener of record.listeners) listener();
      }
      record.drained = true;
    })();
    record.finished = Promise.all([settled, drained]).then(() => {
      for (const listener of record.listeners) listener();
    });
    return { executionArn, startDate: description.startDate };
  }

  /** SendTaskSuccess: `output` is a JSON string (as in the SDK) or a JSON-serialisable value. */
  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const task = this.openTask(taskToken);
    let value: Json;
    try {
      value = (typeof output === 'string' ? JSON.parse(output) : JSON.parse(JSON.stringify(output))) as Json;
    } catch {
      throw new LocalStepFunctionsError('InvalidOutput', 'The output is not valid JSON');
    }
    task.status = 'succeeded';
    task.settle.resolve(value);
  }

  /** SendTaskFailure: the waiting task fails with `error` (what Retry/Catch match) and `cause`. */
  async sendTaskFailure(taskToken: string, error = 'TaskFailed', cause = ''): Promise<void> {
    const task = this.openTask(taskToken);
    task.status = 'failed';
    task.settle.reject(new LocalStepFunctionsError(error, cause));
  }

  /** SendTaskHeartbeat: only checks that the token is open (heartbeat timeouts are not emulated). */
  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    this.openTask(taskToken);
  }

  /** DescribeExecution. */
  describe(name: string): ExecutionDescription {
    return { ...this.record(name).description };
  }

  /** ListExecutions, oldest first. */
  list(): ExecutionDescription[] {
    return [...this.executions.values()].map((r) => ({ ...r.description }));
  }

  /** The execution's history so far (state entered/exited/failed/retried/caught, execution events). */
  history(name: string): ExecutionEvent[] {
    return [...this.record(name).events];
  }

  /** Resolves with the final description once the execution has ended (and its history is complete). */
  async waitForCompletion(name: string, timeoutMs = 10_000): Promise<ExecutionDescription> {
    const record = this.record(name);
    await withTimeout(record.finished, timeoutMs, `Execution ${name} still running after ${timeoutMs} ms`);
    return this.describe(name);
  }

  /** Resolves with the first history event (already logged or future) that `predicate` accepts. */
  async waitForEvent(
    name: string,
    predicate: (event: ExecutionEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<ExecutionEvent> {
    const record = this.record(name);
    const { promise, resolve } = deferred<ExecutionEvent | undefined>();
    const check = () => {
      const hit = record.events.find(predicate);
      if (hit) resolve(hit);
      else if (record.drained) resolve(undefined);
    };
    record.listeners.add(check);
    check();
    try {
      const event = await withTimeout(
        promise,
        timeoutMs,
        `No matching event in ${name} after ${timeoutMs} ms`,
      );
      if (!event) throw new Error(`Execution ${name} ended without a matching event`);
      return event;
    } finally {
      record.listeners.delete(check);
    }
  }

  /** StopExecution: the execution ends ABORTED and its task tokens become invalid. */
  async stop(name: string): Promise<void> {
    const record = this.record(name);
    if (record.description.status !== 'RUNNING') return;
    record.stopped = true;
    record.abort();
    this.closeTasks(name, new ExecutionStoppedError());
    await record.finished;
  }

  /** Stops every running execution (call it after each test / at sandbox shutdown: no timers left). */
  async close(): Promise<void> {
    await Promise.all([...this.executions.keys()].map((name) => this.stop(name)));
  }

  /** The {@link WorkflowPort} the API code uses, with the same error translation as the AWS one. */
  port(): WorkflowPort {
    const translate = <T>(call: () => Promise<T>) =>
      call().catch((error: unknown) => {
        throw translateWorkflowError(error);
      });
    return {
      startExecution: (name, input) =>
        translate(async () => ({ executionArn: (await this.start(name, input)).executionArn })),
      sendTaskSuccess: (token, output) => translate(() => this.sendTaskSuccess(token, output)),
      sendTaskFailure: (token, error, cause) => translate(() => this.sendTaskFailure(token, error, cause)),
    };
  }

  private stateMachineArn(): string {
    const { partition, region, accountId } = LOCAL_AWS;
    return `arn:${partition}:states:${region}:${accountId}:stateMachine:${this.stateMachineName}`;
  }

  private record(name: string): ExecutionRecord {
    const record = this.executions.get(name);
    if (!record)
      throw new LocalStepFunctionsError('ExecutionDoesNotExist', `Execution does not exist: ${name}`);
    return record;
  }

  private openTask(taskToken: string): PendingTask {
    if (!TOKEN_PATTERN.test(taskToken)) throw new LocalStepFunctionsError('InvalidToken', 'Invalid Token');
    const task = this.tokens.get(taskToken);
    if (!task) throw new LocalStepFunctionsError('TaskDoesNotExist', 'Task does not exist');
    if (task.status === 'pending' && Date.now() >= task.deadline) task.status = 'timed-out';
    if (task.status !== 'pending') {
      throw new LocalStepFunctionsError(
        'TaskTimedOut',
        "Task Timed Out: 'Provided task does not exist anymore'",
      );
    }
    return task;
  }

  private async runTask(record: ExecutionRecord, task: TaskStateInfo, input: unknown): Promise<Json> {
    if (record.stopped) throw new ExecutionStoppedError();
    const integration = task.resource.match(/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/);
    if (!integration) {
      // A Task whose Resource is the function ARN itself: input in, result out, no envelope.
      return this.invokeLocal(this.handlerFor(task.name, functionNameOf(task.resource)), input);
    }
    const params = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    const handler = this.handlerFor(task.name, functionNameOf(String(params.FunctionName)));
    if (!task.waitsForToken) {
      const payload = await this.invokeLocal(handler, params.Payload ?? null);
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    const taskToken = `${TOKEN_PREFIX}${randomBytes(48).toString('base64url')}`;
    const pending: PendingTask = {
      executionName: record.description.name,
      stateName: task.name,
      status: 'pending',
      deadline: Date.now() + task.timeoutSeconds * 1000,
      settle: deferred<Json>(),
    };
    // Closing a task before its promise reaches the interpreter must not be an unhandled rejection.
    pending.settle.promise.catch(() => {});
    this.tokens.set(taskToken, pending);
    try {
      await this.invokeLocal(handler, replaceString(params.Payload ?? null, TOKEN_PLACEHOLDER, taskToken));
    } catch (error) {
      pending.status = 'closed';
      throw error;
    }
    return pending.settle.promise;
  }

  private async invokeLocal(handler: LocalTaskHandler, payload: unknown): Promise<Json> {
    try {
      const result = await handler(structuredClone(payload));
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
    } catch (error) {
      throw new LambdaTaskError(error);
    }
  }

  private handlerFor(stateName: string, functionName: string | undefined): LocalTaskHandler {
    if (functionName === undefined) {
      throw new Error(`Task ${stateName}: FunctionName must be a literal ARN to be routed locally`);
    }
    const key = Object.keys(this.options.handlers)
      .filter((k) => functionName.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    const handler = key === undefined ? undefined : this.options.handlers[key];
    if (!handler) throw new Error(`Task ${stateName}: no local handler for function ${functionName}`);
    return handler;
  }

  /** Collects the Task states and rewrites times for the interpreter (recursively into branches). */
  private prepare(
    definition: { States: Record<string, unknown>; TimeoutSeconds?: number },
    top: boolean,
  ): void {
    if (top && definition.TimeoutSeconds !== undefined) {
      definition.TimeoutSeconds = this.scaledSeconds(definition.TimeoutSeconds);
    }
    for (const [name, raw] of Object.entries(definition.States)) {
      const state = raw as Record<string, unknown>;
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        if (!/:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource) && !/:lambda:/.test(resource)) {
          throw new Error(`Task ${name}: resource ${resource} is not supported locally (Lambda only)`);
        }
        const waitsForToken = resource.endsWith('.waitForTaskToken');
        if (state.TimeoutSecondsPath !== undefined || state.HeartbeatSecondsPath !== undefined) {
          throw new Error(`Task ${name}: TimeoutSecondsPath/HeartbeatSecondsPath are not supported locally`);
        }
        const declared = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
        // Only waits are workflow time; a handler's own run time is real time.
        const timeoutSeconds = waitsForToken
          ? this.scaledSeconds(declared ?? AWS_DEFAULT_TASK_TIMEOUT_SECONDS)
          : Math.min(declared ?? 60, MAX_TIMER_SECONDS);
        state.TimeoutSeconds = timeoutSeconds;
        const integration = /:states:::lambda:invoke/.test(resource);
        const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
        const target = integration ? parameters.FunctionName : resource;
        const functionName = typeof target === 'string' ? functionNameOf(target) : undefined;
        this.tasks.push({ name, resource, functionName, waitsForToken, timeoutSeconds });
      }
      if (state.Type === 'Wait' && typeof state.Seconds === 'number') {
        this.waitOverrides[name] = this.scaledSeconds(state.Seconds) * 1000;
      }
      if (Array.isArray(state.Retry)) {
        this.retryOverrides[name] = (state.Retry as { IntervalSeconds?: number }[]).map(
          (retrier) => (retrier.IntervalSeconds ?? 1) * 1000 * this.timeScale,
        );
      }
      for (const branch of (state.Branches as (typeof definition)[] | undefined) ?? [])
        this.prepare(branch, false);
      const processor = (state.ItemProcessor ?? state.Iterator) as typeof definition | undefined;
      if (processor) this.prepare(processor, false);
    }
  }

  private scaledSeconds(seconds: number): number {
    // The interpreter treats 0 as "not set" (60 s): keep at least a millisecond.
    return Math.min(Math.max(seconds * this.timeScale, 0.001), MAX_TIMER_SECONDS);
  }

  private onEvent(record: ExecutionRecord, event: ExecutionEvent): void {
    if (event.type === 'StateFailed' || event.type === 'StateExited') {
      const timedOut = event.type === 'StateFailed' && event.Error === 'States.Timeout';
      for (const task of this.tokens.values()) {
        if (
          task.executionName === record.description.name &&
          task.stateName === event.state.name &&
          task.status === 'pending'
        ) {
          task.status = timedOut ? 'timed-out' : 'closed';
        }
      }
    }
  }

  private finish(record: ExecutionRecord, end: Partial<ExecutionDescription>): void {
    if (record.description.status === 'RUNNING') {
      Object.assign(record.description, end, { stopDate: new Date() });
    }
    record.stopped = true;
    this.closeTasks(record.description.name, new ExecutionStoppedError());
  }

  private closeTasks(executionName: string, reason: Error): void {
    for (const task of this.tokens.values()) {
      if (task.executionName === executionName && task.status === 'pending') {
        task.status = 'closed';
        // Settles the interpreter's race so its timeout timer is cleared.
        task.settle.reject(reason);
      }
    }
  }
}

function failureOf(error: unknown): Partial<ExecutionDescription> {
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
  }
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  const cause = error instanceof ExecutionError ? error.cause : error;
  if (cause instanceof Error) return { status: 'FAILED', error: cause.name, cause: cause.message };
  return { status: 'FAILED', error: 'Error', cause: String(cause) };
}

function functionNameOf(arnOrName: string): string | undefined {
  if (!arnOrName || arnOrName === 'undefined') return undefined;
  const match = arnOrName.match(/:function:([^:]+)/);
  return match?.[1] ?? arnOrName;
}

function replaceString(value: unknown, search: string, replacement: string): unknown {
  if (value === search) return replacement;
  if (Array.isArray(value)) return value.map((v) => replaceString(v, search, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceString(v, search, replacement)]),
    );
  }
  return value;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
