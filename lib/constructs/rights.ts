import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { PARTITION_PATTERNS } from '#shared/keys';
import type { RouteHandler } from '../../lambdas/shared/http/handler.ts';
import { routesOf } from '../functions.ts';
import type { Api } from './api.ts';
import { ApprovalWorkflow } from './approval-workflow.ts';
import { GrantExpiryRun } from './grant-expiry-run.ts';
import type { Notifications } from './notifications.ts';
import {
  type FunctionLogging,
  ServiceFunction,
  type TableAccess,
  type TableAction,
  tablePartitions,
} from './service-function.ts';

/**
 * What the rights API does on the table: reads (request, profiles, organisation; a membership with its
 * person's profile in one BatchGetItem, lambdas/shared/organisation-access.ts), the
 * inbox, grants and audit queries (base table and GSI1), the submit and auto-grant transactions (Put,
 * ConditionCheck of the open-request marker), decision claims (Update), revocation (Delete) and closing
 * a request whose wait ended (Update + Delete of the marker). Get/Put/Update/Delete also serve the
 * `Idempotency-Key` records of the POST routes.
 */
export const RIGHTS_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

/**
 * What the workflow tasks do: read requests, profiles, organisations and memberships (a membership
 * with its person's profile in one BatchGetItem before a grant), list the local
 * administrators (GSI1 Query), write grants, memberships, audit entries and sent-mail markers (Put),
 * status changes (Update), remove the open-request marker (Delete).
 */
export const RIGHTS_TASK_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  // The approval checks that the deciding administrator still is one (a removal racing it wins).
  'ConditionCheckItem',
];

/**
 * What the daily expiry calls do: grants by expiry shard (GSI2 Query) and the notice queue (GSI1
 * Query), per-grant transactions (Delete of the grant or ConditionCheck on it, Put of the audit entry
 * and of the notice), claims and sent marks of notices (Update), contacts (BatchGet of profiles),
 * organisation names (Get), the mailer's sent-mail markers (Get, Put).
 * Partition-key prefixes: `PERSON#`, `ORG#` (profile and audit), `GRANT_NOTICE#`, `MAIL#`; GSI2
 * `GRANT_EXPIRY#`, GSI1 `GRANT_NOTICES#`.
 */
export const GRANT_EXPIRY_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

/**
 * The rights API's partitions: requests and their open-request markers, profiles, memberships and
 * grants (person partition), organisations, audit trails and `Idempotency-Key` records; the company
 * register, for the register re-check of a representative-derived administrator before an
 * administrator route; INSZ links and pending-membership markers with the person's activity entries
 * and notices, for a role granted by national number (issue 14: the number's holder, or the marker the
 * role waits on; the person is told through an activity entry and its notice); on GSI1 the inboxes and
 * an organisation's grants (not its member list).
 */
export const RIGHTS_API_TABLE_ACCESS: TableAccess = {
  actions: RIGHTS_API_TABLE_ACTIONS,
  partitions: tablePartitions(
    'rightRequest',
    'rightRequestOpen',
    'person',
    'organisation',
    'audit',
    'idempotency',
    'registeredCompany',
    'inszLink',
    'pendingMember',
    'activity',
    'notice',
  ),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.rightRequestInbox, PARTITION_PATTERNS.gsi1.organisationGrants] },
};

/**
 * The right-request workflow's partitions: requests and markers, profiles, memberships and grants,
 * organisations, audit entries and sent-mail markers; on GSI1 the member list (its administrators).
 */
export const RIGHTS_TASK_TABLE_ACCESS: TableAccess = {
  actions: RIGHTS_TASK_TABLE_ACTIONS,
  partitions: tablePartitions(
    'rightRequest',
    'rightRequestOpen',
    'person',
    'organisation',
    'audit',
    'mailSent',
  ),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.members] },
};

/**
 * The expiry run's partitions: grants and profiles (person partition), organisations, audit entries,
 * grant notices and sent-mail markers; on GSI2 grants by expiry shard and date, on GSI1 the shards'
 * pending notices.
 */
export const GRANT_EXPIRY_TABLE_ACCESS: TableAccess = {
  actions: GRANT_EXPIRY_TABLE_ACTIONS,
  partitions: tablePartitions('person', 'organisation', 'audit', 'grantNotice', 'mailSent'),
  indexes: {
    GSI1: [PARTITION_PATTERNS.gsi1.grantNoticeQueue],
    GSI2: [PARTITION_PATTERNS.gsi2.grantExpiry],
  },
};

/** Properties of {@link Rights}. */
export interface RightsProps extends FunctionLogging {
  /** The single table. */
  readonly table: ITable;
  /** The table's customer-managed key (`undefined` for an AWS-owned key). */
  readonly tableKey: IKey | undefined;
  /** The platform's mail (SES templates, configuration set). */
  readonly notifications: Notifications;
  /**
   * The API to add {@link Rights.routes} to.
   * @default - none: the caller adds them with `api.addRoutes(apiFunction.function, routes)`
   */
  readonly api?: Api;
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
   * Expiry shards swept at once by the daily run.
   * @default 16
   */
  readonly expirySweepConcurrency?: number;
  /**
   * Notice queues sent at once by the daily run (8 mails in flight each): size it to the SES sending rate.
   * @default 4
   */
  readonly expirySendConcurrency?: number;
  /**
   * Key for the state machine's execution data and log group (its policy must allow CloudWatch Logs).
   * @default - AWS-owned keys
   */
  readonly workflowKey?: IKey;
}

/**
 * Rights: the API function (every rights route), the right-request approval workflow (no correction
 * loop) with its task function, and the daily grant-expiry run on an EventBridge Scheduler schedule.
 * Each function gets only the table actions and indexes it uses; the API the state machine ARN (env
 * `RIGHT_REQUEST_STATE_MACHINE_ARN`) with start and task-response rights; the task and expiry functions
 * the mailer. With `api`, the routes of {@link Rights.apiFunction} (lib/functions.ts) are added to it.
 */
export class Rights extends Construct {
  /** Serves every route of {@link Rights.routes}. */
  readonly apiFunction: ServiceFunction;
  /** Runs the workflow's tasks. */
  readonly workflowTaskFunction: ServiceFunction;
  /** The calls of the daily expiry run (sweep a page, send a page of notices, summarise). */
  readonly grantExpiryFunction: ServiceFunction;
  /** The daily expiry run: the state machine that fans the calls out over the expiry shards. */
  readonly grantExpiryRun: GrantExpiryRun;
  /** The approval workflow of right requests. */
  readonly workflow: ApprovalWorkflow;
  /** The daily schedule of {@link Rights.grantExpiryRun}. */
  readonly expirySchedule: Schedule;
  /** The route definitions served by {@link Rights.apiFunction}. */
  readonly routes: readonly RouteHandler[] = routesOf('Rights/Api');

  constructor(scope: Construct, id: string, props: RightsProps) {
    super(scope, id);
    const hour = props.expiryRunHourUtc ?? 3;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new Error(`${this.node.path}: expiryRunHourUtc must be an hour 0-23, got ${hour}`);
    }
    this.apiFunction = ServiceFunction.declared(this, 'Rights/Api', props, {
      tableAccess: RIGHTS_API_TABLE_ACCESS,
    });
    this.workflowTaskFunction = ServiceFunction.declared(this, 'Rights/WorkflowTask', props, {
      tableAccess: RIGHTS_TASK_TABLE_ACCESS,
    });
    props.notifications.bindMailer(this.workflowTaskFunction.function);

    this.grantExpiryFunction = ServiceFunction.declared(this, 'Rights/GrantExpiry', props, {
      tableAccess: GRANT_EXPIRY_TABLE_ACCESS,
    });
    props.notifications.bindMailer(this.grantExpiryFunction.function);
    this.grantExpiryRun = new GrantExpiryRun(this, 'GrantExpiryRun', {
      handler: this.grantExpiryFunction.function,
      logRetention: props.logRetention,
      ...(props.expirySweepConcurrency ? { sweepConcurrency: props.expirySweepConcurrency } : {}),
      ...(props.expirySendConcurrency ? { sendConcurrency: props.expirySendConcurrency } : {}),
      ...(props.workflowKey ? { encryptionKey: props.workflowKey } : {}),
    });

    this.workflow = new ApprovalWorkflow(this, 'Workflow', {
      handler: this.workflowTaskFunction.function,
      decisionTimeout: props.decisionTimeout ?? Duration.days(30),
      logRetention: props.logRetention,
      comment: 'Right request: local administrator approval, grant',
      ...(props.workflowKey ? { encryptionKey: props.workflowKey } : {}),
    });
    this.workflow.bindApi(this.apiFunction.function, 'RIGHT_REQUEST_STATE_MACHINE_ARN');

    // An own role, so the start permission sits in this construct (not a stack-wide shared role).
    const schedulerRole = new Role(this, 'GrantExpirySchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: starts the daily grant-expiry state machine only',
    });
    this.expirySchedule = new Schedule(this, 'GrantExpirySchedule', {
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(hour) }),
      description: 'Daily grant expiry notices and sweep',
      target: new StepFunctionsStartExecution(this.grantExpiryRun.stateMachine, {
        role: schedulerRole,
        // The scheduled time, also on the scheduler's retries: a run's dates never shift.
        input: ScheduleTargetInput.fromObject({ at: ContextAttribute.scheduledTime }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    props.api?.addRoutes(this.apiFunction.function, this.routes);
  }
}
