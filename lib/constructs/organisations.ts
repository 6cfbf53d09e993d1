import { type CfnElement, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
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
 * What the organisation API does on the table: reads (profiles, INSZ links, organisations,
 * memberships, the company register; BatchGetItem for member names), member lists and the case queue
 * on GSI1, the role-change transactions (Update of organisation and membership, Put of the audit
 * entry, ConditionCheck of the acting administrator), cases (Update); Get/Put also serve the
 * sent-mail markers of the claim mail.
 * Get/Put/Update/Delete also serve the `Idempotency-Key` records of the POST routes (Delete removes
 * the in-progress record of a refused request, so a corrected retry runs again).
 */
export const ORGANISATIONS_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

/**
 * What the workflow tasks do: read registrations, memberships and organisations; the approval
 * transaction (Update registration, organisation, membership; Put audit entry); status changes;
 * sent-mail markers (Get/Put).
 */
export const ORGANISATIONS_TASK_TABLE_ACTIONS: readonly TableAction[] = ['GetItem', 'PutItem', 'UpdateItem'];

/**
 * What the daily representative check does: the register-representatives index (Query GSI2), the
 * register, profiles, memberships (GetItem), the lapse transaction (Update membership and
 * organisation, Put audit entry) and the case (Put), sent-mail markers (Get/Put).
 */
export const REPRESENTATIVE_CHECK_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
];

/**
 * The organisation API's partitions: organisations, memberships and profiles (person partition),
 * INSZ links (appointing by number), the company register, audit trails, activity entries and
 * notices of a claim, sent-mail markers and `Idempotency-Key` records, appointments waiting on a
 * national number (made before the person's first login) and the organisation cases a lapsed
 * representative opens; on GSI1 member lists and the open-case queue.
 */
export const ORGANISATIONS_API_TABLE_ACCESS: TableAccess = {
  actions: ORGANISATIONS_API_TABLE_ACTIONS,
  partitions: tablePartitions(
    'organisation',
    'person',
    'inszLink',
    'registeredCompany',
    'audit',
    'activity',
    'notice',
    'mailSent',
    'idempotency',
    'pendingMember',
    'organisationCase',
  ),
  indexes: {
    GSI1: [PARTITION_PATTERNS.gsi1.members, PARTITION_PATTERNS.gsi1.organisationCaseQueue],
  },
};

/**
 * What the foreign-registration function does on the table: reads (registrations, profiles,
 * organisations and their administrators, look-alike markers by BatchGetItem), the review queue on
 * GSI1, the registration with its upload marker (Put), decision claims, releases and first approvals
 * (Update); Get/Put/Update/Delete also serve sent-mail markers and `Idempotency-Key` records.
 */
export const FOREIGN_REGISTRATIONS_API_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * The foreign-registration function's partitions: registrations and their upload markers, the
 * organisation a registration names and its look-alike markers, profiles, audit entries, sent-mail
 * markers and `Idempotency-Key` records; on GSI1 the security officers' queue.
 */
export const FOREIGN_REGISTRATIONS_API_TABLE_ACCESS: TableAccess = {
  actions: FOREIGN_REGISTRATIONS_API_TABLE_ACTIONS,
  partitions: tablePartitions(
    'foreignRegistration',
    'attachedUpload',
    'organisation',
    'organisationLookalike',
    'person',
    'audit',
    'mailSent',
    'idempotency',
  ),
  indexes: { GSI1: [PARTITION_PATTERNS.gsi1.foreignQueue] },
};

/**
 * The daily representative check's partitions: the register-derived memberships on GSI2, the company
 * register, profiles and memberships, organisations, audit entries, organisation cases and sent-mail
 * markers.
 */
export const REPRESENTATIVE_CHECK_TABLE_ACCESS: TableAccess = {
  actions: REPRESENTATIVE_CHECK_TABLE_ACTIONS,
  partitions: tablePartitions(
    'registeredCompany',
    'person',
    'organisation',
    'audit',
    'organisationCase',
    'mailSent',
  ),
  indexes: { GSI2: [PARTITION_PATTERNS.gsi2.registerRepresentatives] },
};

/**
 * The foreign-registration workflow's partitions: registrations, the organisation, memberships and
 * profiles, audit entries, sent-mail markers and the organisation's look-alike markers (the approval
 * adds the organisation to its name and number markers).
 */
export const ORGANISATIONS_TASK_TABLE_ACCESS: TableAccess = {
  actions: ORGANISATIONS_TASK_TABLE_ACTIONS,
  partitions: tablePartitions(
    'foreignRegistration',
    'organisation',
    'person',
    'audit',
    'mailSent',
    'organisationLookalike',
  ),
};

/** Prefix of every extract object; IAM grants stop at it. */
export const UPLOAD_PREFIX = 'uploads/';

/** Properties of {@link Organisations}. */
export interface OrganisationsProps extends FunctionLogging {
  /** The single table. */
  readonly table: ITable;
  /** The table's customer-managed key (`undefined` for an AWS-owned key). */
  readonly tableKey: IKey | undefined;
  /** The private bucket of trade-register extracts (data stack). */
  readonly uploadBucket: IBucket;
  /** The KMS key the bucket encrypts with (SSE-KMS); signed into every upload. */
  readonly uploadKey: IKey;
  /** The platform's mail (SES templates, configuration set). */
  readonly notifications: Notifications;
  /** The security officers' shared mailbox, told about every registration to review (stage config). */
  readonly securityOfficersEmail: string;
  /**
   * The API to add {@link Organisations.routes} and {@link Organisations.registrationRoutes} to.
   * @default - none: the caller adds them with `api.addRoutes(apiFunction.function, routes)` and
   * `api.addRoutes(registrationsFunction.function, registrationRoutes)`
   */
  readonly api?: Api;
  /**
   * How long security officers have to decide before a registration expires.
   * @default Duration.days(30)
   */
  readonly reviewTimeout?: Duration;
  /**
   * Key for the state machine's execution data and log group (its policy must allow CloudWatch Logs).
   * @default - AWS-owned keys
   */
  readonly workflowKey?: IKey;
  /**
   * UTC hour of the daily legal-representative check against the company register.
   * @default 4
   */
  readonly representativeCheckHourUtc?: number;
}

/**
 * Organisations: the API function (company claims, profiles and members, local administrators,
 * organisation cases), the registrations function (extract uploads, foreign registrations, the
 * security officers' review), the workflow-task function and the approval workflow without
 * correction loop. Every grant is least privilege: table actions per function, S3 object actions on
 * `uploads/*` and the upload key (through S3 only) for the functions that touch extracts, the state
 * machine ARN with start and task-response rights for the registrations function only. With `api`,
 * the routes of both API functions (lib/functions.ts) are added to it.
 *
 * Environment variable names are unique to this context (the sandbox runs every handler in one
 * process): `UPLOAD_BUCKET_NAME`, `UPLOAD_KEY_ARN`, `SECURITY_OFFICERS_EMAIL`,
 * `FOREIGN_REGISTRATION_STATE_MACHINE_ARN`; `TABLE_NAME` is the one shared table.
 */
export class Organisations extends Construct {
  /** Serves every route of {@link Organisations.routes}. */
  readonly apiFunction: ServiceFunction;
  /** Serves every route of {@link Organisations.registrationRoutes}: uploads, registrations, review. */
  readonly registrationsFunction: ServiceFunction;
  /** Runs the workflow's tasks. */
  readonly workflowTaskFunction: ServiceFunction;
  /** The foreign-company review (no correction loop). */
  readonly workflow: ApprovalWorkflow;
  /** The daily legal-representative check against the company register. */
  readonly representativeCheckFunction: ServiceFunction;
  /** The daily schedule of {@link Organisations.representativeCheckFunction}. */
  readonly representativeCheckSchedule: Schedule;
  /** The route definitions served by {@link Organisations.apiFunction}. */
  readonly routes: readonly RouteHandler[] = routesOf('Organisations/Api');
  /** The route definitions served by {@link Organisations.registrationsFunction}. */
  readonly registrationRoutes: readonly RouteHandler[] = routesOf('Organisations/Registrations');

  constructor(scope: Construct, id: string, props: OrganisationsProps) {
    super(scope, id);
    if (
      !Token.isUnresolved(props.securityOfficersEmail) &&
      !/^[^\s@<>"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(props.securityOfficersEmail)
    ) {
      throw new Error(
        `${this.node.path}: securityOfficersEmail must be an e-mail address, got "${props.securityOfficersEmail}"`,
      );
    }
    this.apiFunction = ServiceFunction.declared(this, 'Organisations/Api', props, {
      tableAccess: ORGANISATIONS_API_TABLE_ACCESS,
    });
    props.notifications.bindMailer(this.apiFunction.function);

    this.registrationsFunction = ServiceFunction.declared(this, 'Organisations/Registrations', props, {
      tableAccess: FOREIGN_REGISTRATIONS_API_TABLE_ACCESS,
    });
    // Presigned PUT (with its tagging) and GET are authorised as the function: it needs the rights
    // it signs for. HeadObject and ranged reads are s3:GetObject.
    this.bindUploads(
      this.registrationsFunction,
      props,
      ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject'],
      ['kms:GenerateDataKey', 'kms:Decrypt'],
    );
    props.notifications.bindMailer(this.registrationsFunction.function);

    this.workflowTaskFunction = ServiceFunction.declared(this, 'Organisations/WorkflowTask', props, {
      tableAccess: ORGANISATIONS_TASK_TABLE_ACCESS,
    });
    this.bindUploads(this.workflowTaskFunction, props, ['s3:PutObjectTagging'], []);
    this.workflowTaskFunction.function.addEnvironment('SECURITY_OFFICERS_EMAIL', props.securityOfficersEmail);
    props.notifications.bindMailer(this.workflowTaskFunction.function);

    this.workflow = new ApprovalWorkflow(this, 'Workflow', {
      handler: this.workflowTaskFunction.function,
      decisionTimeout: props.reviewTimeout ?? Duration.days(30),
      logRetention: props.logRetention,
      comment: 'Foreign-company registration: security officers review the trade-register extract',
      ...(props.workflowKey ? { encryptionKey: props.workflowKey } : {}),
    });
    this.workflow.bindApi(this.registrationsFunction.function, 'FOREIGN_REGISTRATION_STATE_MACHINE_ARN');

    const hour = props.representativeCheckHourUtc ?? 4;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new Error(`${this.node.path}: representativeCheckHourUtc must be an hour 0-23, got ${hour}`);
    }
    this.representativeCheckFunction = ServiceFunction.declared(
      this,
      'Organisations/RepresentativeCheck',
      props,
      {
        tableAccess: REPRESENTATIVE_CHECK_TABLE_ACCESS,
      },
    );
    this.representativeCheckFunction.function.addEnvironment(
      'SECURITY_OFFICERS_EMAIL',
      props.securityOfficersEmail,
    );
    props.notifications.bindMailer(this.representativeCheckFunction.function);
    // An own role, so the invoke permission sits in this construct (not a stack-wide shared role).
    const schedulerRole = new Role(this, 'RepresentativeCheckSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invokes the daily representative-check function only',
    });
    this.representativeCheckSchedule = new Schedule(this, 'RepresentativeCheckSchedule', {
      schedule: ScheduleExpression.cron({ minute: '30', hour: String(hour) }),
      description: 'Daily check of legal representatives against the company register',
      target: new LambdaInvoke(this.representativeCheckFunction.function, {
        role: schedulerRole,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    const checkId = Stack.of(this).getLogicalId(
      this.representativeCheckFunction.function.node.defaultChild as CfnElement,
    );
    Validations.of(schedulerRole.node.tryFindChild('DefaultPolicy') ?? schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${checkId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the representative-check function and its qualified versions ' +
        '(<arn>:*), as grantInvoke writes it; no other function.',
    });
    props.api?.addRoutes(this.apiFunction.function, this.routes);
    props.api?.addRoutes(this.registrationsFunction.function, this.registrationRoutes);
  }

  /**
   * Sets the bucket variables and grants `actions` on `uploads/*` only, plus the upload key's
   * `kmsActions` through S3 only (identity policies: the bucket and key live in the data stack, and
   * cross-stack resource-policy grants would make the stacks depend on each other).
   */
  private bindUploads(
    fn: ServiceFunction,
    props: OrganisationsProps,
    actions: readonly string[],
    kmsActions: readonly string[],
  ): void {
    fn.function.addEnvironment('UPLOAD_BUCKET_NAME', props.uploadBucket.bucketName);
    fn.function.addEnvironment('UPLOAD_KEY_ARN', props.uploadKey.keyArn);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...actions],
        resources: [props.uploadBucket.arnForObjects(`${UPLOAD_PREFIX}*`)],
      }),
    );
    this.acknowledgeObjectWildcard(fn, props.uploadBucket.arnForObjects(`${UPLOAD_PREFIX}*`));
    if (kmsActions.length > 0) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...kmsActions],
          resources: [props.uploadKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
  }

  /**
   * Acknowledges the one wildcard cdk-nag reports for `fn`: the objects under `uploads/`. The finding
   * names the bucket ARN as cdk-nag sees it: the bucket's own `GetAtt` when the construct tree is
   * checked directly, and — at synthesis, where references across stacks are replaced first — the
   * cross-stack form (`Fn::GetStackOutput` under cdk.json's flags, `Fn::ImportValue` without them),
   * which only a validation hook (after reference resolution, before cdk-nag) can see.
   */
  private acknowledgeObjectWildcard(fn: ServiceFunction, objectsArn: string): void {
    const policy = fn.role.node.tryFindChild('DefaultPolicy') ?? fn.role;
    const acknowledge = (resource: string) =>
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'S3 object actions on the uploads/ prefix of the extract bucket only: object keys are ' +
          'uploads/<personId>/<uploadId>.pdf, created per request, so no fixed ARN exists.',
      });
    // Checked on the construct tree (no synthesis), the reference is still the bucket's own attribute.
    acknowledge(flattenReference(Stack.of(fn).resolve(objectsArn)));
    // At synthesis, references across stacks are replaced first; the hook sees the final form.
    this.node.addValidation({
      validate: () => {
        acknowledge(flattenReference(Stack.of(fn).resolve(objectsArn)));
        return [];
      },
    });
  }
}

/** A resolved CloudFormation value flattened the way cdk-nag names resources in IAM5 findings. */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const value = node as Record<string, unknown>;
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (value['Fn::Sub'] !== undefined) return flattenReference(value['Fn::Sub']);
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (value['Fn::ImportValue'] !== undefined) return flattenReference(value['Fn::ImportValue']);
    // A cross-stack reference under cdk.json's feature flags: cdk-nag prints it as JSON.
    if (value['Fn::GetStackOutput'] !== undefined) return JSON.stringify(node);
    if (value.Ref !== undefined) return `<${flattenReference(value.Ref)}>`;
  }
  return JSON.stringify(node);
}
