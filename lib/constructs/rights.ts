import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { RIGHTS_ROUTES } from '../../lambdas/rights/routes.ts';
import type { RouteHandler } from '../../lambdas/shared/http/handler.ts';
import { ApprovalWorkflow } from './approval-workflow.ts';
import type { Notifications } from './notifications.ts';
import { ServiceFunction, type TableAction } from './service-function.ts';

/**
 * What the rights API does on the table: reads (request, profiles, organisation, memberships), the
 * inbox, grants and audit queries (base table and GSI1), the submit and auto-grant transactions (Put,
 * ConditionCheck of the open-request marker), decision claims (Update), revocation (Delete) and closing
 * a request whose wait ended (Update + Delete of the marker). Get/Put/Update/Delete also serve the
 * `Idempotency-Key` records of the POST routes.
 */
export const RIGHTS_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

/**
 * What the workflow tasks do: read requests, profiles, organisations and memberships, list the local
 * administrators (GSI1 Query), write grants, memberships, audit entries and sent-mail markers (Put),
 * status changes (Update), remove the open-request marker (Delete).
 */
export const RIGHTS_TASK_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * What the daily expiry run does: grants by expiry date (GSI2 Query), profiles and organisations
 * (Get), the audited removal of expired grants (Delete + Put of the audit entry), sent-mail markers.
 */
export const GRANT_EXPIRY_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'DeleteItem',
];

/** Properties of {@link Rights}. */
export interface RightsProps {
  /** The single table. */
  readonly table: ITable;
  /** The table's customer-managed key (`undefined` for an AWS-owned key). */
  readonly tableKey: IKey | undefined;
  /** The platform's mail (SES templates, configuration set). */
  readonly notifications: Notifications;
  /** Retention of the functions' and the state machine's log groups. */
  readonly logRetention: RetentionDays;
  /**
   * Removal policy of the functions' log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Powertools log level of the functions.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * How long local administrators have to decide before a request expires.
   * @default Duration.days(30)
   */
  readonly decisionTimeout?: Duration;
  /**
   * UTC hour (0–23) of the daily expiry run (notices 14 days ahead, audited sweep).
   * @default 3
   */
  readonly expiryRunHourUtc?: number;
  /**
   * Key for the state machine's execution data and log group (its policy must allow CloudWatch Logs).
   * @default - AWS-owned keys
   */
  readonly workflowKey?: IKey;
}

const entry = (name: string) => fileURLToPath(new URL(`../../lambdas/rights/${name}.ts`, import.meta.url));

/**
 * Rights: the API function (every rights route), the right-request approval workflow (no correction
 * loop) with its task function, and the daily grant-expiry run on an EventBridge Scheduler schedule.
 * Each function gets only the table actions and indexes it uses; the API the state machine ARN (env
 * `RIGHT_REQUEST_STATE_MACHINE_ARN`) with start and task-response rights; the task and expiry functions
 * the mailer. The API construct adds {@link Rights.routes} on {@link Rights.apiFunction}.
 */
export class Rights extends Construct {
  /** Serves every route of {@link Rights.routes}. */
  readonly apiFunction: ServiceFunction;
  /** Runs the workflow's tasks. */
  readonly workflowTaskFunction: ServiceFunction;
  /** The daily expiry run. */
  readonly grantExpiryFunction: ServiceFunction;
  /** The approval workflow of right requests. */
  readonly workflow: ApprovalWorkflow;
  /** The daily schedule of {@link Rights.grantExpiryFunction}. */
  readonly expirySchedule: Schedule;
  /** The route definitions served by {@link Rights.apiFunction}. */
  readonly routes: readonly RouteHandler[] = RIGHTS_ROUTES;

  constructor(scope: Construct, id: string, props: RightsProps) {
    super(scope, id);
    const hour = props.expiryRunHourUtc ?? 3;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new Error(`${this.node.path}: expiryRunHourUtc must be an hour 0-23, got ${hour}`);
    }
    const common = {
      serviceName: 'rights',
      logRetention: props.logRetention,
      ...(props.logRemovalPolicy ? { logRemovalPolicy: props.logRemovalPolicy } : {}),
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    };

    this.apiFunction = new ServiceFunction(this, 'Api', {
      ...common,
      entry: entry('api'),
      description: 'Rights API: catalogue, right requests, decisions, grants, audit',
    });
    this.apiFunction.bindTable(props.table, props.tableKey, RIGHTS_API_TABLE_ACTIONS, { indexes: ['GSI1'] });

    this.workflowTaskFunction = new ServiceFunction(this, 'WorkflowTask', {
      ...common,
      entry: entry('workflow-task'),
      description: 'Right request workflow tasks',
      timeout: Duration.seconds(30),
    });
    // GSI2: the administrator index (approvers of a request).
    this.workflowTaskFunction.bindTable(props.table, props.tableKey, RIGHTS_TASK_TABLE_ACTIONS, {
      indexes: ['GSI1', 'GSI2'],
    });
    props.notifications.bindMailer(this.workflowTaskFunction.function);

    this.grantExpiryFunction = new ServiceFunction(this, 'GrantExpiry', {
      ...common,
      entry: entry('grant-expiry-task'),
      description: 'Daily grant expiry: notices 14 days ahead, audited removal of expired grants',
      timeout: Duration.minutes(5),
    });
    this.grantExpiryFunction.bindTable(props.table, props.tableKey, GRANT_EXPIRY_TABLE_ACTIONS, {
      indexes: ['GSI2'],
    });
    props.notifications.bindMailer(this.grantExpiryFunction.function);

    this.workflow = new ApprovalWorkflow(this, 'Workflow', {
      handler: this.workflowTaskFunction.function,
      decisionTimeout: props.decisionTimeout ?? Duration.days(30),
      logRetention: props.logRetention,
      comment: 'Right request: local administrator approval, grant',
      ...(props.workflowKey ? { encryptionKey: props.workflowKey } : {}),
    });
    this.workflow.bindApi(this.apiFunction.function, 'RIGHT_REQUEST_STATE_MACHINE_ARN');

    // An own role, so the invoke permission sits in this construct (not a stack-wide shared role).
    const schedulerRole = new Role(this, 'GrantExpirySchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invokes the daily grant-expiry function only',
    });
    this.expirySchedule = new Schedule(this, 'GrantExpirySchedule', {
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(hour) }),
      description: 'Daily grant expiry notices and sweep',
      target: new LambdaInvoke(this.grantExpiryFunction.function, {
        role: schedulerRole,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    const logicalId = Stack.of(this).getLogicalId(
      this.grantExpiryFunction.function.node.defaultChild as CfnElement,
    );
    Validations.of(schedulerRole.node.tryFindChild('DefaultPolicy') ?? schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the grant-expiry function and its qualified versions (<arn>:*), as ' +
        'grantInvoke writes it; no other function.',
    });
  }
}
