import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  Errors,
  Fail,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { REQUEST_CORRECTION, type WorkflowAction } from '#shared/workflow';

/** Options of the correction loop (BIS: the agent sends a request back to its applicant). */
export interface CorrectionLoopOptions {
  /** How long the applicant has to correct the request before it expires. */
  readonly timeout: Duration;
  /**
   * The `decision` value (in the SendTaskSuccess output of `await-decision`) that starts the loop.
   * @default 'request-correction'
   */
  readonly decisionValue?: string;
}

/** Properties of an {@link ApprovalWorkflow}. */
export interface ApprovalWorkflowProps {
  /**
   * The bounded context's workflow-task Lambda. It is invoked with a `WorkflowTaskEvent`
   * (`lambdas/shared/workflow.ts`) for every action; it fails by throwing named errors
   * (`TransientError` is retried).
   */
  readonly handler: IFunction;
  /** How long approvers have to decide before the request expires. Always set: no unbounded waits. */
  readonly decisionTimeout: Duration;
  /**
   * Enables the correction loop: a decision equal to `decisionValue` waits for the applicant
   * (`await-correction`) and then goes back to review.
   * @default - no correction loop
   */
  readonly correction?: CorrectionLoopOptions;
  /** Retention of the state machine's log group. */
  readonly logRetention: RetentionDays;
  /**
   * Key for the log group and for the execution data (inputs, outputs, decision reasons).
   * Its key policy must allow CloudWatch Logs (`logs.<region>.amazonaws.com`) to use it.
   * @default - AWS-owned keys
   */
  readonly encryptionKey?: IKey;
  /**
   * A description stored in the definition's `Comment`.
   * @default 'Approval workflow'
   */
  readonly comment?: string;
}

/** Errors of the Lambda service itself (not of the handler): always safe to retry. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/**
 * A function that failed without answering: a timeout (`Sandbox.Timedout` on current runtimes,
 * `Lambda.Unknown` on older ones) or a crash, possibly after its work was done. Every task is idempotent
 * (conditional writes, mails keyed per request), so running it again completes what the crash left.
 */
export const FUNCTION_CRASH_ERRORS = ['Sandbox.Timedout', 'Lambda.Unknown'];

/** The error name the task handlers throw for retryable failures (`TransientError` in errors.ts). */
export const TRANSIENT_ERROR = 'TransientError';

/** Names of the states, stable because operators read them in the console and tests match them. */
export const APPROVAL_WORKFLOW_STATES = {
  notifyApprovers: 'NotifyApprovers',
  awaitDecision: 'AwaitDecision',
  correctionRequested: 'CorrectionRequested',
  awaitCorrection: 'AwaitCorrection',
  applyOutcome: 'ApplyOutcome',
  decisionExpired: 'DecisionExpired',
  correctionExpired: 'CorrectionExpired',
  expire: 'Expire',
  notifyRequester: 'NotifyRequester',
  recordFailure: 'RecordFailure',
  done: 'Done',
  failed: 'Failed',
} as const;

/**
 * The reusable "request → wait for decision → outcome" workflow (Standard), architecture section 4.
 *
 * The API persists the request (status pending) and then starts an execution named after the request
 * id with input `{ requestId, … }`: persisting stays synchronous so the API can refuse with a 4xx
 * before anything is written and answer 202 with the stored status, and the execution name makes the
 * start idempotent. The workflow then notifies the approvers, waits for the decision (the
 * `await-decision` invocation stores the task token on the request item; the API answers it),
 * applies the outcome and notifies the requester. A wait that times out expires the request and
 * notifies the requester. Every task retries Lambda service errors, a function that timed out or
 * crashed (its work may be done: the tasks are idempotent) and `TransientError` with a jittered
 * exponential backoff, and catches everything else into `record-failure` and a failed execution.
 *
 * Logging is level ALL without execution data: with execution data, CloudWatch would receive each
 * task's parameters — including the resolved `$$.Task.Token` of the waiting tasks and the personal
 * data of the request — and task tokens must never reach a log.
 */
export class ApprovalWorkflow extends Construct {
  /** The Standard state machine. */
  readonly stateMachine: StateMachine;
  /** The state machine's log group (level ALL, no execution data). */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id);
    const s = APPROVAL_WORKFLOW_STATES;

    const failed = new Fail(this, s.failed, {
      comment: 'Fails the execution with the error that was caught.',
      errorPath: '$.failure.Error',
      causePath: '$.failure.Cause',
    });
    const recordFailure = this.invoke(s.recordFailure, props.handler, 'record-failure', {
      resultPath: JsonPath.DISCARD,
    });
    recordFailure.addCatch(failed, { errors: [Errors.ALL], resultPath: '$.recordFailureError' });
    recordFailure.next(failed);

    const catchAll = (task: LambdaInvoke): LambdaInvoke => {
      task.addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.failure' });
      return task;
    };

    const done = new Succeed(this, s.done);
    const notifyRequester = catchAll(
      this.invoke(s.notifyRequester, props.handler, 'notify-requester', { resultPath: JsonPath.DISCARD }),
    );
    notifyRequester.next(done);

    const expire = catchAll(this.invoke(s.expire, props.handler, 'expire', { resultPath: JsonPath.DISCARD }));
    expire.next(notifyRequester);
    const decisionExpired = new Pass(this, s.decisionExpired, {
      result: Result.fromString('decision'),
      resultPath: '$.expiredWhile',
    }).next(expire);

    const applyOutcome = catchAll(
      this.invoke(s.applyOutcome, props.handler, 'apply-outcome', {
        resultSelector: { result: JsonPath.objectAt('$.Payload') },
        resultPath: '$.outcome',
      }),
    );
    applyOutcome.next(notifyRequester);

    const notifyApprovers = catchAll(
      this.invoke(s.notifyApprovers, props.handler, 'notify-approvers', { resultPath: JsonPath.DISCARD }),
    );
    const awaitDecision = this.invoke(s.awaitDecision, props.handler, 'await-decision', {
      resultPath: '$.decision',
      timeout: props.decisionTimeout,
    });
    awaitDecision.addCatch(decisionExpired, {
      errors: [Errors.TIMEOUT, Errors.HEARTBEAT_TIMEOUT],
      resultPath: '$.timeout',
    });
    catchAll(awaitDecision);
    notifyApprovers.next(awaitDecision);

    if (props.correction) {
      const awaitCorrection = this.invoke(s.awaitCorrection, props.handler, 'await-correction', {
        resultPath: '$.correction',
        timeout: props.correction.timeout,
      });
      const correctionExpired = new Pass(this, s.correctionExpired, {
        result: Result.fromString('correction'),
        resultPath: '$.expiredWhile',
      }).next(expire);
      awaitCorrection.addCatch(correctionExpired, {
        errors: [Errors.TIMEOUT, Errors.HEARTBEAT_TIMEOUT],
        resultPath: '$.timeout',
      });
      catchAll(awaitCorrection);
      // The corrected request goes back to review: approvers are told it is waiting again.
      awaitCorrection.next(notifyApprovers);
      awaitDecision.next(
        new Choice(this, s.correctionRequested)
          .when(
            Condition.stringEquals(
              '$.decision.decision',
              props.correction.decisionValue ?? REQUEST_CORRECTION,
            ),
            awaitCorrection,
          )
          .otherwise(applyOutcome),
      );
    } else {
      awaitDecision.next(applyOutcome);
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      // Under /aws/vendedlogs/ CloudWatch Logs needs no resource-policy entry per log group, whose
      // 5,120-character limit otherwise breaks state-machine creation in busy accounts.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 400, separator: '-', allowedSpecialCharacters: '-' })}`,
      retention: props.logRetention,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(notifyApprovers),
      comment: props.comment ?? 'Approval workflow',
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      ...(props.encryptionKey
        ? { encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.encryptionKey) }
        : {}),
    });
    this.acknowledgeNagFindings(props.handler);
  }

  /** Lets `grantee` start executions (the API, after persisting a request). */
  grantStart(grantee: IGrantable): void {
    this.stateMachine.grantStartExecution(grantee);
  }

  /**
   * Lets `grantee` answer task tokens (SendTaskSuccess/Failure/Heartbeat), scoped to this state
   * machine's ARN: the callback actions are authorised against the state machine that issued the
   * token, so no `*` resource is needed (and no cdk-nag IAM5 acknowledgement).
   */
  grantTaskResponse(grantee: IGrantable): void {
    this.stateMachine.grantTaskResponse(grantee);
  }

  /**
   * Wires an API function: sets `envVar` to the state machine ARN and grants start and task response
   * together, so the variable never exists without the permission.
   */
  bindApi(fn: LambdaFunction, envVar = 'WORKFLOW_STATE_MACHINE_ARN'): void {
    fn.addEnvironment(envVar, this.stateMachine.stateMachineArn);
    this.grantStart(fn);
    this.grantTaskResponse(fn);
  }

  private invoke(
    id: string,
    handler: IFunction,
    action: WorkflowAction,
    options: {
      resultPath: string;
      resultSelector?: Record<string, unknown>;
      timeout?: Duration;
    },
  ): LambdaInvoke {
    const waits = options.timeout !== undefined;
    const task = new LambdaInvoke(this, id, {
      lambdaFunction: handler,
      integrationPattern: waits
        ? IntegrationPattern.WAIT_FOR_TASK_TOKEN
        : IntegrationPattern.REQUEST_RESPONSE,
      payload: TaskInput.fromObject({
        action,
        requestId: JsonPath.stringAt('$.requestId'),
        state: JsonPath.entirePayload,
        ...(waits ? { taskToken: JsonPath.taskToken } : {}),
      }),
      retryOnServiceExceptions: false,
      resultPath: options.resultPath,
      ...(options.resultSelector ? { resultSelector: options.resultSelector } : {}),
      ...(options.timeout ? { taskTimeout: Timeout.duration(options.timeout) } : {}),
    });
    task.addRetry({
      errors: LAMBDA_SERVICE_ERRORS,
      interval: Duration.seconds(1),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.seconds(30),
      jitterStrategy: JitterType.FULL,
    });
    task.addRetry({
      errors: FUNCTION_CRASH_ERRORS,
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
      maxDelay: Duration.seconds(30),
      jitterStrategy: JitterType.FULL,
    });
    task.addRetry({
      errors: [TRANSIENT_ERROR],
      interval: Duration.seconds(2),
      maxAttempts: 5,
      backoffRate: 2,
      maxDelay: Duration.seconds(60),
      jitterStrategy: JitterType.FULL,
    });
    return task;
  }

  private acknowledgeNagFindings(handler: IFunction): void {
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy') ?? this.stateMachine.role;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended delivery ' +
        '(CreateLogDelivery, PutResourcePolicy, DescribeLogGroups...) support no resource-level permissions.',
    });
    const arn = Stack.of(this).resolve(handler.functionArn) as unknown;
    const logicalId = getAttLogicalId(arn);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${logicalId ? `<${logicalId}.Arn>` : String(arn)}:*]`,
      reason:
        'lambda:InvokeFunction on the workflow-task handler and its qualified versions/aliases (<arn>:*), ' +
        'as the LambdaInvoke task grants it; no other function.',
    });
  }
}

/** The logical id of a resolved `{ "Fn::GetAtt": [id, "Arn"] }`, if that is what `value` is. */
function getAttLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('Fn::GetAtt' in value)) return undefined;
  const getAtt = (value as { 'Fn::GetAtt': unknown })['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}
