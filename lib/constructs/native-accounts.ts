import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { RouteHandler } from '#shared/http/handler';
import { PARTITION_PATTERNS } from '#shared/keys';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '#shared/native-user';
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
 * What the native-account API does on the table: GetItem (INSZ link, account, card, register entry,
 * BIS registration, profile, pending account), PutItem and UpdateItem and DeleteItem (the account
 * transaction with its activity entry and notice, the pending account, the card, the compensation,
 * the BIS registration, approval and sequence counter, the sent-mail marker, the `Idempotency-Key`
 * records of the POST routes), ConditionCheckItem (no account yet when asking for one; the INSZ still
 * the person's at the confirmation) and Query (GSI1: pending accounts; GSI2: everyone born on a
 * date, the duplicate search before a BIS number on the spot).
 */
export const NATIVE_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
  'Query',
  // The memberships of the person, read before claiming appointments that waited on the number.
  'BatchGetItem',
];

/** Indexes the native-account API queries (pending accounts on GSI1, birth dates on GSI2). */
export const NATIVE_API_INDEXES = ['GSI1', 'GSI2'] as const;

/**
 * The registration office's partitions: accounts, code cards and pending accounts, the person and
 * its identity and INSZ links, the person register, the BIS registration issued on the spot (with
 * its open-request marker and sequence counter), activity entries and notices, sent-mail markers and
 * `Idempotency-Key` records; the appointments that waited on a number the officer links (marker,
 * the organisation's administrator count, its audit entry: issue 14); on GSI1 the pending-account
 * queue, on GSI2 everyone born on a date.
 */
export const NATIVE_API_TABLE_ACCESS: TableAccess = {
  actions: NATIVE_API_TABLE_ACTIONS,
  partitions: tablePartitions(
    'nativeAccount',
    'codeCard',
    'officePending',
    'person',
    'identityLink',
    'inszLink',
    'registeredPerson',
    'bisRegistration',
    'bisOpenRequest',
    'bisSequence',
    'activity',
    'notice',
    'mailSent',
    'idempotency',
    'pendingMember',
    'organisation',
    'audit',
  ),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.officePendingQueue], GSI2: [PARTITION_PATTERNS.gsi2.bornOn] },
};

/** Cognito actions of the native-account API, on the user pool only. */
export const NATIVE_API_COGNITO_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
] as const;

/** Properties of {@link NativeAccounts}. */
export interface NativeAccountsProps extends FunctionLogging {
  readonly userPool: IUserPool;
  readonly table: ITable;
  /** The table's customer-managed key. */
  readonly tableKey: IKey;
  /** Sends the activation and code-card mails. */
  readonly notifications: Notifications;
  /**
   * The API to add the routes to.
   * @default - none: the caller adds `routes` with `api.addRoutes(apiFunction.function, routes)`
   */
  readonly api?: Api;
}

/**
 * The registration office's API function (native accounts, code cards) with least-privilege grants:
 * the table, AdminCreateUser/AdminDeleteUser on the one user pool, and the mailer.
 */
export class NativeAccounts extends Construct {
  /** The function serving every native-account route. */
  readonly apiFunction: ServiceFunction;
  /** The routes, for `Api.addRoutes`. */
  readonly routes: readonly RouteHandler[] = routesOf('NativeAccounts/Function');

  constructor(scope: Construct, id: string, props: NativeAccountsProps) {
    super(scope, id);
    this.apiFunction = ServiceFunction.declared(this, 'NativeAccounts/Function', props, {
      tableAccess: NATIVE_API_TABLE_ACCESS,
      environment: {
        USER_POOL_ID: props.userPool.userPoolId,
        TEMP_PASSWORD_VALIDITY_DAYS: String(TEMPORARY_PASSWORD_VALIDITY_DAYS),
      },
    });
    this.apiFunction.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...NATIVE_API_COGNITO_ACTIONS],
        resources: [props.userPool.userPoolArn],
      }),
    );
    props.notifications.bindMailer(this.apiFunction.function);
    props.api?.addRoutes(this.apiFunction.function, this.routes);
  }
}
