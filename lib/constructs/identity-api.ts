import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { RouteHandler } from '#shared/http/handler';
import { PARTITION_PATTERNS } from '#shared/keys';
import { routesOf } from '../functions.ts';
import type { Api } from './api.ts';
import type { Notifications } from './notifications.ts';
import {
  type FunctionLogging,
  ServiceFunction,
  type TableAccess,
  type TableAction,
  tablePartitions,
} from './service-function.ts';

/**
 * What the identity API function does on the table, and nothing more: GetItem (connection, case,
 * register entry, INSZ link, native account and open-BIS markers, attempt counter), BatchGetItem (the
 * person's identity links), Query (the person partition, the activity log, the cases queue on GSI1),
 * PutItem (connection intents, a new attempt window, activity entries and notices in transactions),
 * UpdateItem (linking, joining, resolving; attempt count) and ConditionCheckItem (the identity link,
 * native account and open-BIS conditions of the linking and joining transactions). Get/Put/Update
 * and DeleteItem also serve the `Idempotency-Key` records of the POST routes.
 */
export const IDENTITY_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

/**
 * What the notices sender does: the pending queue (GSI1 Query), the claim and taking a notice off
 * the queue (UpdateItem), the person's profile and native account (BatchGetItem), and the sent-mail
 * markers of the idempotent mailer (GetItem, PutItem).
 */
export const IDENTITY_NOTICES_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
];

/**
 * The identity API's partitions: the person, its links and national-number check, the person
 * register, activity log and notices, connection intents, identity cases (and their queue on GSI1),
 * the native-account and open-BIS markers its joins check, and the `Idempotency-Key` records.
 */
export const IDENTITY_API_TABLE_ACCESS: TableAccess = {
  actions: IDENTITY_API_TABLE_ACTIONS,
  partitions: tablePartitions(
    'person',
    'identityLink',
    'inszLink',
    'inszCheckAttempts',
    'registeredPerson',
    'activity',
    'notice',
    'connection',
    'supportCase',
    'nativeAccount',
    'bisOpenRequest',
    'idempotency',
  ),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.supportCaseQueue] },
};

/**
 * The notices sender's partitions: the pending queue (GSI1 `NOTICES#PENDING`), the notices, the
 * person's addresses (profile, native account) and the sent-mail markers.
 */
export const IDENTITY_NOTICES_TABLE_ACCESS: TableAccess = {
  actions: IDENTITY_NOTICES_TABLE_ACTIONS,
  partitions: tablePartitions('notice', 'person', 'nativeAccount', 'mailSent'),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.pendingNotices] },
};

/** Properties of {@link IdentityApi}. */
export interface IdentityApiProps extends FunctionLogging {
  readonly table: ITable;
  /** The table's customer-managed key. */
  readonly tableKey: IKey;
  /**
   * The API to add the identity routes to.
   * @default - none: the caller adds `routes` to an API with `api.addRoutes(apiFunction.function, routes)`
   */
  readonly api?: Api;
  /**
   * The platform's mail: when given, the identity notices sender runs every minute and mails the
   * activity notices (links, joins, refused joins, suspensions, office accounts).
   * @default - no notices sender
   */
  readonly notifications?: Notifications;
}

/**
 * The identity context's API function (every identity route) with its table grants and, with
 * `notifications`, the identity notices sender on an EventBridge Scheduler schedule (rate 1 minute;
 * the sandbox's job `identity-notices`).
 */
export class IdentityApi extends Construct {
  /** The function serving every identity route. */
  readonly apiFunction: ServiceFunction;
  /** The notices sender, when `notifications` was given. */
  readonly noticesFunction?: ServiceFunction;
  /** Its schedule. */
  readonly noticesSchedule?: Schedule;
  /** The identity routes, for `Api.addRoutes`. */
  readonly routes: readonly RouteHandler[] = routesOf('IdentityApi/Function');

  constructor(scope: Construct, id: string, props: IdentityApiProps) {
    super(scope, id);
    this.apiFunction = ServiceFunction.declared(this, 'IdentityApi/Function', props, {
      tableAccess: IDENTITY_API_TABLE_ACCESS,
    });
    props.api?.addRoutes(this.apiFunction.function, this.routes);

    if (props.notifications) {
      const notices = ServiceFunction.declared(this, 'IdentityApi/Notices', props, {
        tableAccess: IDENTITY_NOTICES_TABLE_ACCESS,
      });
      props.notifications.bindMailer(notices.function);
      this.noticesFunction = notices;

      // An own role, so the invoke permission sits in this construct (not a stack-wide shared role).
      const schedulerRole = new Role(this, 'IdentityNoticesSchedulerRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
        description: 'EventBridge Scheduler: invokes the identity notices function only',
      });
      this.noticesSchedule = new Schedule(this, 'IdentityNoticesSchedule', {
        schedule: ScheduleExpression.rate(Duration.minutes(1)),
        description: 'Identity notices: mail pending activity notices',
        target: new LambdaInvoke(notices.function, {
          role: schedulerRole,
          // A missed run is caught up by the next one a minute later.
          retryAttempts: 0,
          maxEventAge: Duration.minutes(5),
        }),
      });
      const logicalId = Stack.of(this).getLogicalId(notices.function.node.defaultChild as CfnElement);
      Validations.of(schedulerRole.node.tryFindChild('DefaultPolicy') ?? schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the identity notices function and its qualified versions (<arn>:*), as ' +
          'grantInvoke writes it; no other function.',
      });
    }
  }
}
