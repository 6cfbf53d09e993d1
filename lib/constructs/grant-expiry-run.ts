import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { NOTICE_SHARDS, SWEEP_SHARDS } from '../../lambdas/rights/grant-expiry.ts';
import { FUNCTION_CRASH_ERRORS, LAMBDA_SERVICE_ERRORS, TRANSIENT_ERROR } from './approval-workflow.ts';

/** Names of the states, stable because operators read them in the console and tests match them. */
export const GRANT_EXPIRY_STATES = {
  plan: 'Plan',
  sweepShards: 'SweepShards',
  sweepPage: 'SweepPage',
  sendNotices: 'SendNotices',
  sendPage: 'SendPage',
  summarise: 'Summarise',
} as const;

/** Properties of {@link GrantExpiryRun}. */
export interface GrantExpiryRunProps {
  /** The function of the calls (lambdas/rights/grant-expiry-task.ts). */
  readonly handler: IFunction;
  /** Retention of the state machine's log group. */
  readonly logRetention: RetentionDays;
  /**
   * Shards swept at once (each one Lambda invocation at a time).
   * @default 16
   */
  readonly sweepConcurrency?: number;
  /**
   * Notice queues sent at once: with 8 mails in flight per queue, size it to the SES sending rate.
   * @default 4
   */
  readonly sendConcurrency?: number;
  /**
   * Key for the execution data and the log group (its policy must allow CloudWatch Logs).
   * @default - AWS-owned keys
   */
  readonly encryptionKey?: IKey;
}

/**
 * The daily grant expiry as a Standard state machine (docs/operations.md, "Grant expiry"): input
 * `{ at }` (the scheduled time); an inline Map over the expiry shards whose iterations call the
 * function page by page until their shard is swept, then a Map over the notice queues the same way,
 * then a summary of the counts (the execution's output). Every call is bounded and idempotent, so each
 * has Retry on Lambda's service errors, on crashes and timeouts, and on `TransientError`.
 */
export class GrantExpiryRun extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GrantExpiryRunProps) {
    super(scope, id);
    const s = GRANT_EXPIRY_STATES;

    const plan = new Pass(this, s.plan, {
      parameters: { 'at.$': '$.at', sweep: [...SWEEP_SHARDS], send: [...NOTICE_SHARDS] },
    });
    const sweepShards = this.shardLoop(props.handler, 'sweep', props.sweepConcurrency ?? 16, {
      map: s.sweepShards,
      page: s.sweepPage,
      check: 'ShardSwept',
      done: 'SweepDone',
    });
    const sendNotices = this.shardLoop(props.handler, 'send', props.sendConcurrency ?? 4, {
      map: s.sendNotices,
      page: s.sendPage,
      check: 'QueueDrained',
      done: 'SendDone',
    });
    const summarise = this.call(props.handler, s.summarise, 'summarise', {
      action: 'summarise',
      sweep: JsonPath.listAt('$.sweep'),
      send: JsonPath.listAt('$.send'),
    });

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 400, separator: '-', allowedSpecialCharacters: '-' })}`,
      retention: props.logRetention,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(sweepShards).next(sendNotices).next(summarise)),
      comment: 'Daily grant expiry: warnings, audited removal and notices, fanned out over the expiry shards',
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      ...(props.encryptionKey
        ? { encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.encryptionKey) }
        : {}),
    });

    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy') ?? this.stateMachine.role;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended delivery ' +
        '(CreateLogDelivery, PutResourcePolicy, DescribeLogGroups...) support no resource-level permissions.',
    });
    const logicalId = Stack.of(this).getLogicalId(props.handler.node.defaultChild as never);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the grant-expiry function and its qualified versions (<arn>:*), as the ' +
        'LambdaInvoke task grants it; no other function.',
    });
  }

  /**
   * A Map over the shards the plan lists under the action's name (`$.sweep`, `$.send`): each iteration
   * gets `{ shard, at }` and calls the function for `action` page by page until its answer is `done`;
   * the iterations' last answers replace the list.
   *
   * @param ids the ids of the Map, of its call, of the Choice after each call and of the end state
   */
  private shardLoop(
    handler: IFunction,
    action: 'sweep' | 'send',
    maxConcurrency: number,
    ids: { readonly map: string; readonly page: string; readonly check: string; readonly done: string },
  ): MapState {
    const shards = new MapState(this, ids.map, {
      itemsPath: `$.${action}`,
      itemSelector: { shard: JsonPath.stringAt('$$.Map.Item.Value'), at: JsonPath.stringAt('$.at') },
      maxConcurrency,
      resultPath: `$.${action}`,
    });
    const page = this.call(handler, ids.page, action);
    shards.itemProcessor(
      page.next(
        new Choice(this, ids.check)
          .when(Condition.booleanEquals('$.done', true), new Succeed(this, ids.done))
          .otherwise(page),
      ),
    );
    return shards;
  }

  /** One call of the function; its answer (the next state, or the summary) replaces the state. */
  private call(
    handler: IFunction,
    id: string,
    action: 'sweep' | 'send' | 'summarise',
    payload: Record<string, unknown> = { action, state: JsonPath.entirePayload },
  ): LambdaInvoke {
    const task = new LambdaInvoke(this, id, {
      lambdaFunction: handler,
      payload: TaskInput.fromObject(payload),
      payloadResponseOnly: false,
      outputPath: '$.Payload',
      retryOnServiceExceptions: false,
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
      errors: [...FUNCTION_CRASH_ERRORS, 'States.Timeout'],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
      maxDelay: Duration.seconds(30),
      jitterStrategy: JitterType.FULL,
    });
    // Throttling (DynamoDB, SES): wait long enough for a sending-rate window to pass.
    task.addRetry({
      errors: [TRANSIENT_ERROR],
      interval: Duration.seconds(5),
      maxAttempts: 8,
      backoffRate: 2,
      maxDelay: Duration.minutes(2),
      jitterStrategy: JitterType.FULL,
    });
    return task;
  }
}
