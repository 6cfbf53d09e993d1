import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { IDENTITY_NOTICES_TABLE_ACTIONS, IdentityApi } from '#lib/constructs/identity-api';
import { Notifications } from '#lib/constructs/notifications';
import { schedulesOf } from '#local/server/schedules';
import type { CfnTemplate } from '#local/server/template';
import {
  actionsOf,
  cdkJsonContext,
  logicalIdOf,
  statementsOfRole,
  tableStatementsOf,
} from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

/** The identity API with notifications, built without bundling. */
function build() {
  const app = new App({
    outdir: testAppOutdir(),
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
  });
  const stack = new Stack(app, 'NoticesTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tableKey = new Key(stack, 'Key', { enableKeyRotation: true });
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: tableKey,
  });
  const notifications = new Notifications(stack, 'Notifications', {
    senderAddress: 'no-reply@eid-access.example',
    templatePrefix: 'eidaccess-test',
  });
  const identityApi = new IdentityApi(stack, 'IdentityApi', {
    table,
    tableKey,
    logRetention: RetentionDays.THREE_MONTHS,
    notifications,
  });
  return { stack, identityApi, template: Template.fromStack(stack) };
}

const built = build();

describe('IdentityApi notices sender', () => {
  it('runs the notices function every minute through its own scheduler role', () => {
    const fn = built.identityApi.noticesFunction;
    if (!fn) throw new Error('no notices function');
    built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf(fn.function), 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
      }),
    });
  });

  it('grants exactly the table actions of the sender, GSI1 by name, and the mailer', () => {
    const fn = built.identityApi.noticesFunction;
    if (!fn) throw new Error('no notices function');
    const statements = statementsOfRole(built.template, logicalIdOf(fn.role));
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));

    const { table, indexes } = tableStatementsOf(dynamo);

    expect(actionsOf(table).sort()).toEqual(
      IDENTITY_NOTICES_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort(),
    );
    expect(Object.keys(indexes)).toEqual(['GSI1']);
    expect(actionsOf(indexes.GSI1 ?? [])).toEqual(['dynamodb:Query']);
    expect(actionsOf(statements)).toContain('ses:SendEmail');
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_TEMPLATE_PREFIX: 'eidaccess-test' }) },
      Timeout: 60,
    });
  });

  it('is the sandbox job identity-notices', () => {
    const schedules = schedulesOf(built.template.toJSON() as CfnTemplate);

    expect(schedules.map((schedule) => [schedule.name, schedule.expression])).toEqual([
      ['identity-notices', 'rate(1 minute)'],
    ]);
  });

  it('reports no cdk-nag finding on the identity resources', () => {
    const report = new AwsSolutionsChecks().validateScope(built.stack);
    const ours = report.violations.filter((violation) =>
      violation.violatingResources.some((resource) =>
        /^NoticesTest\/IdentityApi\//.test(resource.constructPath ?? ''),
      ),
    );

    expect(ours.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual(
      [],
    );
  });
});
