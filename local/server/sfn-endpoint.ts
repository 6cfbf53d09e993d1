/**
 * A local Step Functions endpoint (AWS JSON 1.0, the protocol of `@aws-sdk/client-sfn`) over the
 * sandbox's {@link LocalWorkflowRunner}s, so the handlers' `SfnWorkflow` runs unchanged with
 * `AWS_ENDPOINT_URL_SFN=<base>/local/aws/sfn`.
 *
 * Operations: StartExecution, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat,
 * DescribeExecution. Errors carry the names the SDK turns into its exceptions (`TaskDoesNotExist`,
 * `TaskTimedOut`, `InvalidToken`, `ExecutionAlreadyExists`, `ExecutionDoesNotExist`,
 * `StateMachineDoesNotExist`, `InvalidArn`, `InvalidName`, `InvalidExecutionInput`,
 * `InvalidOutput`, `UnknownOperationException`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { awsJsonError, type FaultSwitchboard } from '#local/aws/faults';
import { LocalStepFunctionsError, type LocalWorkflowRunner } from '#local/step-functions';
import { readBody } from './http.ts';

const JSON_1_0 = 'application/x-amz-json-1.0';
const MAX_REQUEST_BYTES = 1024 * 1024;

/** An SFN API error, rendered as AWS JSON 1.0 errors are. */
class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Operation = (input: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The Step Functions API of the sandbox's runners, by state machine ARN. */
export class LocalSfnEndpoint {
  readonly #runners: ReadonlyMap<string, LocalWorkflowRunner>;
  readonly #operations: Record<string, Operation>;

  readonly #faults: FaultSwitchboard | undefined;

  /** `faults`: the sandbox's fault switchboard (`sfn` rules by operation). @default none */
  constructor(runners: ReadonlyMap<string, LocalWorkflowRunner>, faults?: FaultSwitchboard) {
    this.#runners = runners;
    this.#faults = faults;
    this.#operations = {
      StartExecution: (input) => this.#start(input),
      SendTaskSuccess: (input) =>
        this.#withTask(input, (runner, token) =>
          runner.sendTaskSuccess(token, requiredString(input, 'output')),
        ),
      SendTaskFailure: (input) =>
        this.#withTask(input, (runner, token) =>
          runner.sendTaskFailure(token, optionalString(input, 'error'), optionalString(input, 'cause')),
        ),
      SendTaskHeartbeat: (input) => this.#withTask(input, (runner, token) => runner.sendTaskHeartbeat(token)),
      DescribeExecution: (input) => this.#describe(input),
    };
  }

  /** Answers one AWS JSON 1.0 request (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST') throw new SfnApiError('UnknownOperationException', 'POST only', 404);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = this.#operations[target.replace(/^AWSStepFunctions\./, '')];
      if (!target.startsWith('AWSStepFunctions.') || !operation) {
        throw new SfnApiError('UnknownOperationException', `Unknown operation ${target}`);
      }
      const name = target.replace(/^AWSStepFunctions\./, '');
      const before = this.#fault(name, 'before');
      if (before) {
        req.resume();
        return sendInjected(res, before);
      }
      let input: unknown;
      try {
        const body = await readBody(req, MAX_REQUEST_BYTES);
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new SfnApiError('SerializationException', 'The request body is not valid JSON');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new SfnApiError('SerializationException', 'The request body must be a JSON object');
      }
      const output = await operation(input as Record<string, unknown>);
      const after = this.#fault(name, 'after');
      if (after) return sendInjected(res, after);
      send(res, 200, output);
    } catch (error) {
      const apiError = toApiError(error);
      send(
        res,
        apiError.status,
        { __type: `com.amazonaws.swf.service.v2.model#${apiError.code}`, message: apiError.message },
        apiError.code,
      );
    }
  }

  #fault(operation: string, phase: 'before' | 'after'): string | undefined {
    if (!this.#faults || this.#faults.idle) return undefined;
    return this.#faults.check({ target: 'sfn', operation, phase })?.error;
  }

  async #start(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const arn = requiredString(input, 'stateMachineArn');
    const runner = this.#runners.get(arn);
    if (!runner) {
      if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[\w-]+$/.test(arn)) {
        throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
      }
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    let parsed: unknown = {};
    const text = optionalString(input, 'input');
    if (text !== undefined) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
      }
    }
    const started = await runner.start(optionalString(input, 'name') ?? randomUUID(), parsed);
    return { executionArn: started.executionArn, startDate: started.startDate.getTime() / 1000 };
  }

  /** Finds the runner holding `taskToken` (tokens are unique across runners). */
  async #withTask(
    input: Record<string, unknown>,
    action: (runner: LocalWorkflowRunner, token: string) => Promise<void>,
  ): Promise<Record<string, unknown>> {
    const token = requiredString(input, 'taskToken');
    let lastError: unknown = new LocalStepFunctionsError('TaskDoesNotExist', 'Task does not exist');
    for (const runner of this.#runners.values()) {
      try {
        await action(runner, token);
        return {};
      } catch (error) {
        if (!(error instanceof LocalStepFunctionsError) || error.name !== 'TaskDoesNotExist') throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  async #describe(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const arn = requiredString(input, 'executionArn');
    const match = /^arn:aws[\w-]*:states:([\w-]+):(\d{12}):execution:([\w-]+):([\w-]+)$/.exec(arn);
    if (!match) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const [, region, account, machine, name] = match;
    const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${machine}`;
    const runner = this.#runners.get(stateMachineArn);
    if (!runner) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    const description = runner.describe(name as string);
    return {
      executionArn: description.executionArn,
      stateMachineArn,
      name: description.name,
      status: description.status,
      startDate: description.startDate.getTime() / 1000,
      ...(description.stopDate ? { stopDate: description.stopDate.getTime() / 1000 } : {}),
      input: JSON.stringify(description.input),
      ...(description.output === undefined ? {} : { output: JSON.stringify(description.output) }),
      ...(description.error === undefined ? {} : { error: description.error }),
      ...(description.cause === undefined ? {} : { cause: description.cause }),
    };
  }
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new SfnApiError('ValidationException', `1 validation error detected: '${name}' must not be null`);
  }
  return value;
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SfnApiError('SerializationException', `'${name}' must be a string`);
  return value;
}

function toApiError(error: unknown): SfnApiError {
  if (error instanceof SfnApiError) return error;
  if (error instanceof LocalStepFunctionsError) return new SfnApiError(error.name, error.message);
  console.error('[sandbox] local Step Functions failed:', error);
  return new SfnApiError('InternalFailure', 'The local Step Functions endpoint failed', 500);
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_1_0,
    'Content-Length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(text);
}

function sendInjected(res: ServerResponse, code: string): void {
  const error = awsJsonError(code, 'com.amazonaws.swf.service.v2.model');
  res.writeHead(error.status, error.headers);
  res.end(error.body);
}
