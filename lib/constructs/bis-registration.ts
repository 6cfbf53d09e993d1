import { Duration, Token } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PARTITION_PATTERNS } from '#shared/keys';
import type { RouteHandler } from '../../lambdas/shared/http/handler.ts';
import { routesOf } from '../functions.ts';
import type { Api } from './api.ts';
import { ApprovalWorkflow } from './approval-workflow.ts';
import type { Notifications } from './notifications.ts';
import {
  type FunctionLogging,
  ServiceFunction,
  type TableAccess,
  type TableAction,
  tablePartitions,
} from './service-function.ts';

/**
 * What the BIS API does on the table: reads (registration, history, profile), the review queue on
 * GSI1, the submit transaction (Put), decision claims and corrections (Update), and closing a
 * request whose token expired (Update + Delete of the open-request marker). Get/Put/Update/Delete
 * also serve the `Idempotency-Key` records of the POST routes.
 */
export const BIS_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * What the workflow tasks do: read registrations and profiles, write history, markers, the
 * register entry and INSZ link (Put), status changes, the sequence counter and the profile (Update),
 * remove the open-request marker (Delete); Get/Put also serve the sent-mail markers.
 */
export const BIS_TASK_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * The BIS API's partitions: registrations with their history, the open-request marker, the
 * applicant's profile, `Idempotency-Key` records and the sequence counters (an approval first reads
 * the birth date's sequence counter: an exhausted date is refused, 422); on GSI1 the review queues.
 */
export const BIS_API_TABLE_ACCESS: TableAccess = {
  actions: BIS_API_TABLE_ACTIONS,
  partitions: tablePartitions('bisRegistration', 'bisOpenRequest', 'person', 'idempotency', 'bisSequence'),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.bisQueue] },
};

/**
 * The BIS workflow's partitions: registrations, the open-request marker, issuing the number
 * (sequence counter, person-register entry, INSZ link, the profile and its activity entry) and
 * sent-mail markers.
 */
export const BIS_TASK_TABLE_ACCESS: TableAccess = {
  actions: BIS_TASK_TABLE_ACTIONS,
  partitions: tablePartitions(
    'bisRegistration',
    'bisOpenRequest',
    'bisSequence',
    'registeredPerson',
    'inszLink',
    'person',
    'activity',
    'mailSent',
  ),
};

/** Properties of {@link BisRegistration}. */
export interface BisRegistrationProps extends FunctionLogging {
  /** The single table. */
  readonly table: ITable;
  /** The table's customer-managed key (`undefined` for an AWS-owned key). */
  readonly tableKey: IKey | undefined;
  /** The platform's mail (SES templates, configuration set). */
  readonly notifications: Notifications;
  /** The BIS agents' shared mailbox, told about every request to review (stage config). */
  readonly agentsEmail: string;
  /**
   * The API to add {@link BisRegistration.routes} to.
   * @default - none: the caller adds them with `api.addRoutes(apiFunction.function, routes)`
   */
  readonly api?: Api;
  /**
   * How long agents have to decide before a request expires.
   * @default Duration.days(30)
   */
  readonly reviewTimeout?: Duration;
  /**
   * How long the applicant has to correct a request sent back before it expires.
   * @default Duration.days(30)
   */
  readonly correctionTimeout?: Duration;
  /**
   * Key for the state machine's execution data and log group (its policy must allow CloudWatch Logs).
   * @default - AWS-owned keys
   */
  readonly workflowKey?: IKey;
}

/**
 * BIS number registration: the API function (every BIS route), the workflow-task function, and the
 * approval workflow with the correction loop. Each function gets only the table actions it uses
 * (via `ServiceFunction.bindTable`), the API the state machine ARN with start and task-response
 * rights, the task function the mailer. With `api`, the routes of {@link BisRegistration.apiFunction}
 * (lib/functions.ts) are added to it.
 */
export class BisRegistration extends Construct {
  /** Serves every route of {@link BisRegistration.routes}. */
  readonly apiFunction: ServiceFunction;
  /** Runs the workflow's tasks. */
  readonly workflowTaskFunction: ServiceFunction;
  /** The approval workflow (review, correction loop, expiry). */
  readonly workflow: ApprovalWorkflow;
  /** The route definitions (method, resource, access, schemas) served by {@link BisRegistration.apiFunction}. */
  readonly routes: readonly RouteHandler[] = routesOf('Bis/Api');

  constructor(scope: Construct, id: string, props: BisRegistrationProps) {
    super(scope, id);
    if (
      !Token.isUnresolved(props.agentsEmail) &&
      !/^[^\s@<>"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(props.agentsEmail)
    ) {
      throw new Error(`${this.node.path}: agentsEmail must be an e-mail address, got "${props.agentsEmail}"`);
    }
    this.apiFunction = ServiceFunction.declared(this, 'Bis/Api', props, {
      tableAccess: BIS_API_TABLE_ACCESS,
    });
    this.workflowTaskFunction = ServiceFunction.declared(this, 'Bis/WorkflowTask', props, {
      tableAccess: BIS_TASK_TABLE_ACCESS,
    });
    this.workflowTaskFunction.function.addEnvironment('BIS_AGENTS_EMAIL', props.agentsEmail);
    props.notifications.bindMailer(this.workflowTaskFunction.function);

    this.workflow = new ApprovalWorkflow(this, 'Workflow', {
      handler: this.workflowTaskFunction.function,
      decisionTimeout: props.reviewTimeout ?? Duration.days(30),
      correction: { timeout: props.correctionTimeout ?? Duration.days(30) },
      logRetention: props.logRetention,
      comment: 'BIS number registration: review, correction loop, issue',
      ...(props.workflowKey ? { encryptionKey: props.workflowKey } : {}),
    });
    this.workflow.bindApi(this.apiFunction.function, 'BIS_STATE_MACHINE_ARN');
    props.api?.addRoutes(this.apiFunction.function, this.routes);
  }
}
