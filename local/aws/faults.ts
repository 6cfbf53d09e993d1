/**
 * The sandbox's fault switchboard (ARCHITECTURE.md section 6, `POST/GET/DELETE /local/faults`): rules
 * that make one AWS call fail the way AWS fails, per call, like AWS Fault Injection Service.
 *
 * Faults are injected where AWS itself would fail, so that what recovers is the real code:
 * - `dynamodb` — the local DynamoDB endpoint (a proxy in front of DynamoDB Local) answers the AWS
 *   JSON 1.0 error instead of forwarding; the handlers' SDK clients retry with their own strategy;
 * - `ses` — the local SES v2 endpoint answers the REST-JSON error instead of sending;
 * - `sfn` — the local Step Functions endpoint answers the AWS JSON 1.0 error;
 * - `lambda` — an invocation of a function (by the REST API, a state machine, the user pool or the
 *   scheduler) fails before the handler runs (`TooManyRequestsException`, `ServiceException`… as the
 *   Lambda service would), or with `crash-after` once the handler's work is done, as a timeout would.
 *
 * `phase: "after"` (not in the contract, an extension) forwards a `dynamodb`/`ses`/`sfn` call first and
 * answers the error instead of its response: the write or send happened, the caller does not know,
 * and its SDK retries — the lost-response case that idempotency must absorb.
 *
 * A rule fires while it has `count` left (every matching call when `count` is absent), each matching
 * call with `probability` (default 1); `hits` counts the calls it failed.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** What a rule can target. */
export const FAULT_TARGETS = ['dynamodb', 'ses', 'sfn', 'lambda'] as const;
/** See {@link FAULT_TARGETS}. */
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** The lambda error that lets the handler finish its work and then fails the invocation as a timeout. */
export const CRASH_AFTER = 'crash-after';

/** `POST /local/faults`. */
export const faultRuleBody = z
  .strictObject({
    target: z.enum(FAULT_TARGETS),
    /**
     * The AWS API operation (`TransactWriteItems`, `SendEmail`, `SendTaskSuccess`…); for `lambda` a
     * function: its construct path below the stack (`Rights/WorkflowTask`), a prefix of it (`Rights`),
     * or its logical id. Absent: every operation of the target.
     */
    operation: z.string().min(1).max(200).optional(),
    /** An AWS error code (`ProvisionedThroughputExceededException`…); for `lambda` also `crash-after`. */
    error: z
      .string()
      .regex(/^[A-Za-z][\w.-]{0,99}$/, 'Must be an AWS error code')
      .or(z.literal(CRASH_AFTER)),
    /** How many calls fail; absent: every matching call until the rule is deleted. */
    count: z.number().int().min(1).max(1_000_000).optional(),
    /** The chance that a matching call fails. @default 1 */
    probability: z.number().min(0).max(1).optional(),
    /**
     * Extension: for `lambda`, only invocations whose event's `action` is this (the workflow tasks'
     * `apply-outcome`, `notify-requester`…).
     */
    action: z.string().min(1).max(64).optional(),
    /** Extension: `before` (default) fails the call; `after` lets it happen and loses its response. */
    phase: z.enum(['before', 'after']).optional(),
  })
  .refine((rule) => rule.error !== CRASH_AFTER || rule.target === 'lambda', {
    message: 'crash-after is a lambda fault',
    path: ['error'],
  })
  .refine((rule) => rule.phase === undefined || rule.target !== 'lambda', {
    message: 'phase is for dynamodb, ses and sfn (a lambda uses crash-after)',
    path: ['phase'],
  })
  .refine((rule) => rule.action === undefined || rule.target === 'lambda', {
    message: 'action is for lambda rules',
    path: ['action'],
  });

/** See {@link faultRuleBody}. */
export type FaultRuleInput = z.infer<typeof faultRuleBody>;

/** A rule with its id and hit count, as `GET /local/faults` lists it. */
export interface FaultRule extends FaultRuleInput {
  faultId: string;
  /** Calls this rule failed so far. */
  hits: number;
  createdAt: string;
}

/** What an injection point asks about one call. */
export interface FaultCall {
  target: FaultTarget;
  /** The operation (`PutItem`), or for `lambda` the function's names. */
  operation: string | readonly string[];
  /** For `lambda`: the event's `action`, when it has one. */
  action?: string | undefined;
  /** Which phase the caller is in. @default 'before' */
  phase?: 'before' | 'after';
}

/** The rules of one sandbox. */
export class FaultSwitchboard {
  readonly #rules: FaultRule[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Adds a rule; it applies to the next matching call. */
  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { faultId: randomUUID(), ...input, hits: 0, createdAt: new Date().toISOString() };
    this.#rules.push(rule);
    return { ...rule };
  }

  /** Every rule (spent ones too, with their hits), oldest first. */
  list(): FaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** True when no rule could fire: injection points skip their work. */
  get idle(): boolean {
    return this.#rules.every((rule) => rule.count !== undefined && rule.hits >= rule.count);
  }

  /**
   * The rule that fails this call, counting the hit; `undefined` lets the call through. The first
   * matching rule with calls left decides (a probability miss lets the call through).
   */
  check(call: FaultCall): FaultRule | undefined {
    const phase = call.phase ?? 'before';
    const names = typeof call.operation === 'string' ? [call.operation] : call.operation;
    for (const rule of this.#rules) {
      if (rule.target !== call.target) continue;
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if ((rule.phase ?? 'before') !== phase) continue;
      if (
        rule.operation !== undefined &&
        !names.some((name) => operationMatches(rule.operation as string, name))
      )
        continue;
      if (rule.action !== undefined && rule.action !== call.action) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) return undefined;
      rule.hits += 1;
      return { ...rule };
    }
    return undefined;
  }
}

/** `Rights` matches `Rights/WorkflowTask`; an operation name matches itself only. */
function operationMatches(wanted: string, name: string): boolean {
  return wanted === name || name.startsWith(`${wanted}/`);
}

/** The HTTP status AWS answers an error code with (AWS JSON 1.0 and REST-JSON services). */
export function statusOfAwsError(code: string): number {
  if (/^(InternalServerError|InternalFailure|InternalServiceErrorException|ServiceException)$/.test(code))
    return 500;
  if (/^(ServiceUnavailable|ServiceUnavailableException)$/.test(code)) return 503;
  if (/^TooManyRequestsException$/.test(code)) return 429;
  return 400;
}

/** The error response of an AWS JSON 1.0 service (DynamoDB, Step Functions) for `code`. */
export function awsJsonError(
  code: string,
  namespace: string,
  message: string = injectedMessage(code),
): { status: number; body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ __type: `${namespace}#${code}`, message });
  return {
    status: statusOfAwsError(code),
    body,
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amzn-RequestId': randomUUID(),
      'x-amzn-ErrorType': code,
    },
  };
}

/** The error response of a REST-JSON service (SES v2) for `code`. */
export function restJsonError(code: string): {
  status: number;
  body: string;
  headers: Record<string, string>;
} {
  const body = JSON.stringify({ message: injectedMessage(code) });
  return {
    status: statusOfAwsError(code),
    body,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amzn-RequestId': randomUUID(),
      'x-amzn-ErrorType': code,
    },
  };
}

function injectedMessage(code: string): string {
  return `Injected by the sandbox's fault switchboard (${code})`;
}

/** A failed Lambda invocation as its caller sees it: `name` is what Retry/Catch match. */
export class LambdaInvocationError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * The error an invocation fails with for `rule`: `crash-after` as a timeout (`Sandbox.Timedout`, what
 * current Lambda runtimes report; older ones reported `Lambda.Unknown`), anything else as the Lambda
 * service's error (`Lambda.<code>`, the name Step Functions gives it).
 */
export function lambdaFaultError(rule: FaultRule, functionName: string): LambdaInvocationError {
  if (rule.error === CRASH_AFTER) {
    return new LambdaInvocationError(
      'Sandbox.Timedout',
      `${functionName}: Task timed out (injected crash-after)`,
    );
  }
  const name = rule.error.startsWith('Lambda.') ? rule.error : `Lambda.${rule.error}`;
  return new LambdaInvocationError(name, `${functionName}: ${injectedMessage(rule.error)}`);
}

/**
 * Wraps a handler so the switchboard's `lambda` rules apply to its invocations. `names` are the
 * function's names a rule's `operation` may use (construct path and logical id).
 */
export function withLambdaFaults<E, C, R>(
  faults: FaultSwitchboard,
  names: readonly string[],
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  const label = names[0] ?? 'function';
  return async (event, context) => {
    if (faults.idle) return handler(event, context);
    const action = actionOf(event);
    const before = faults.check({ target: 'lambda', operation: names, action });
    if (before && before.error !== CRASH_AFTER) throw lambdaFaultError(before, label);
    const result = await handler(event, context);
    if (before) throw lambdaFaultError(before, label);
    return result;
  };
}

function actionOf(event: unknown): string | undefined {
  const action = (event as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? action : undefined;
}
