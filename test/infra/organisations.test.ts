import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FOREIGN_REGISTRATIONS_API_TABLE_ACTIONS,
  flattenReference,
  ORGANISATIONS_API_TABLE_ACTIONS,
  ORGANISATIONS_TASK_TABLE_ACTIONS,
  REPRESENTATIVE_CHECK_TABLE_ACTIONS,
} from '#lib/constructs/organisations';
import type { TableAction } from '#lib/constructs/service-function';
import {
  actionsOf,
  awsSolutionsFindings,
  buildInfra,
  COMMITTED_STAGES,
  leadingKeysOf,
  logicalIdOf,
  statementsOfRole,
  type TemplateStatement,
  tableStatementsOf,
  taskTokenTimeouts,
  workflowStates,
} from '#test/helpers/infra';
import {
  type OrganisationsFixture,
  SECURITY_OFFICERS_EMAIL,
  synthOrganisationsFixture,
} from '#test/integration/organisations/organisations-stack';

let fixture: OrganisationsFixture;

beforeAll(() => {
  fixture = synthOrganisationsFixture();
});

type Which = 'api' | 'registrations' | 'task';

function functionOf(which: Which) {
  const { apiFunction, registrationsFunction, workflowTaskFunction } = fixture.organisations;
  return { api: apiFunction, registrations: registrationsFunction, task: workflowTaskFunction }[which];
}

function roleStatements(which: Which): TemplateStatement[] {
  return statementsOfRole(fixture.template, logicalIdOf(functionOf(which).role));
}

const byService = (statements: TemplateStatement[], service: string) =>
  statements.filter((statement) =>
    actionsOf([statement]).every((action) => action.startsWith(`${service}:`)),
  );

function environmentOf(which: Which): Record<string, unknown> {
  const resource = fixture.template.toJSON().Resources[logicalIdOf(functionOf(which).function)];
  return resource.Properties.Environment.Variables as Record<string, unknown>;
}

/**
 * Expects the DynamoDB statements of `which` to be one on the table, with exactly `actions` on the
 * `partitions` (in any order), and others on GSI1 only, the first on `gsi1` (in that order).
 */
function expectTableAndGsi1Grants(
  which: Which,
  expected: { actions: readonly TableAction[]; partitions: string[]; gsi1: string[] },
): void {
  const { table, indexes } = tableStatementsOf(byService(roleStatements(which), 'dynamodb'));

  expect(table).toHaveLength(1);
  expect(actionsOf(table).sort()).toEqual(expected.actions.map((a) => `dynamodb:${a}`).sort());
  expect(Object.keys(indexes)).toEqual(['GSI1']);
  expect(leadingKeysOf(indexes.GSI1?.[0] as TemplateStatement)).toEqual(expected.gsi1);
  expect(leadingKeysOf(table[0] as TemplateStatement)).toEqual(expected.partitions.sort());
}

describe('Organisations construct', () => {
  it('gives each function its own, context-unique environment variables', () => {
    const api = environmentOf('api');
    const registrations = environmentOf('registrations');
    const task = environmentOf('task');

    expect(Object.keys(api)).toEqual(expect.arrayContaining(['TABLE_NAME', 'MAIL_FROM']));
    for (const name of ['UPLOAD_BUCKET_NAME', 'UPLOAD_KEY_ARN', 'FOREIGN_REGISTRATION_STATE_MACHINE_ARN']) {
      expect(api[name]).toBeUndefined();
    }
    expect(Object.keys(registrations)).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'UPLOAD_BUCKET_NAME',
        'UPLOAD_KEY_ARN',
        'FOREIGN_REGISTRATION_STATE_MACHINE_ARN',
        'MAIL_FROM',
      ]),
    );
    expect(task).toMatchObject({ SECURITY_OFFICERS_EMAIL });
    expect(Object.keys(task)).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'UPLOAD_BUCKET_NAME', 'MAIL_FROM']),
    );
    expect(task.FOREIGN_REGISTRATION_STATE_MACHINE_ARN).toBeUndefined();
  });

  it('grants the organisation API only its table actions, on the table and GSI1', () => {
    expectTableAndGsi1Grants('api', {
      actions: ORGANISATIONS_API_TABLE_ACTIONS,
      partitions: [
        'ACTIVITY#*',
        'AUDIT#ORG#*',
        'IDEMPOTENCY#*',
        'INSZ#*',
        'MAIL#*',
        'NOTICE#*',
        'ORG#*',
        'ORG_CASE#*',
        'PENDING_MEMBER#*',
        'PERSON#*',
        'REGISTER#COMPANY#*',
      ],
      gsi1: ['ORG#*', 'ORG_CASES#*'],
    });
  });

  it('grants the registrations function only its table actions, on the table and the review queue', () => {
    expectTableAndGsi1Grants('registrations', {
      actions: FOREIGN_REGISTRATIONS_API_TABLE_ACTIONS,
      partitions: [
        'AUDIT#ORG#*',
        'FOREIGN_REG#*',
        'IDEMPOTENCY#*',
        'MAIL#*',
        'ORG#*',
        'ORG_LOOKALIKE#*',
        'PERSON#*',
        'UPLOAD#*',
      ],
      gsi1: ['FOREIGN_QUEUE#*'],
    });
  });

  it('lets the task function write look-alike markers, on the table only', () => {
    const { table, indexes } = tableStatementsOf(byService(roleStatements('task'), 'dynamodb'));

    expect(leadingKeysOf(table[0] as TemplateStatement)).toEqual(
      ['AUDIT#ORG#*', 'FOREIGN_REG#*', 'MAIL#*', 'ORG#*', 'ORG_LOOKALIKE#*', 'PERSON#*'].sort(),
    );
    expect(indexes).toEqual({});
  });

  it('grants the task function only Get/Put/Update on the table, no index', () => {
    const statements = byService(roleStatements('task'), 'dynamodb');

    expect(actionsOf(statements).sort()).toEqual(
      ORGANISATIONS_TASK_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort(),
    );
    expect(JSON.stringify(statements[0]?.Resource)).not.toContain('index');
  });

  it('runs the representative check daily at 04:30 UTC through EventBridge Scheduler with retries', () => {
    const check = fixture.organisations.representativeCheckFunction;
    fixture.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 4 * * ? *)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(check.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
      },
    });
  });

  it('grants the representative check only its table actions, on the table and GSI2, and no S3', () => {
    const check = fixture.organisations.representativeCheckFunction;
    const statements = statementsOfRole(fixture.template, logicalIdOf(check.role));
    const dynamo = byService(statements, 'dynamodb');
    const resources = JSON.stringify(dynamo.map((statement) => statement.Resource));

    const { table, indexes } = tableStatementsOf(dynamo);
    expect(actionsOf(table).sort()).toEqual(
      REPRESENTATIVE_CHECK_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort(),
    );
    expect(Object.keys(indexes)).toEqual(['GSI2']);
    expect(actionsOf(indexes.GSI2 ?? [])).toEqual(['dynamodb:Query']);
    expect(resources).toContain('/index/GSI2');
    expect(resources).not.toContain('GSI1');
    expect(byService(statements, 's3')).toEqual([]);
  });

  it('refuses a representative check hour outside 0-23', () => {
    expect(() => synthOrganisationsFixture({ representativeCheckHourUtc: 25 })).toThrow(
      /representativeCheckHourUtc/,
    );
  });

  it('scopes S3 object actions to uploads/* and the key to S3, per function', () => {
    const registrationsS3 = byService(roleStatements('registrations'), 's3');
    const taskS3 = byService(roleStatements('task'), 's3');
    const registrationsKms = byService(roleStatements('registrations'), 'kms').filter((s) =>
      JSON.stringify(s.Condition ?? {}).includes('s3.eu-west-1.amazonaws.com'),
    );

    expect(actionsOf(registrationsS3).sort()).toEqual([
      's3:GetObject',
      's3:PutObject',
      's3:PutObjectTagging',
    ]);
    expect(actionsOf(taskS3)).toEqual(['s3:PutObjectTagging']);
    for (const statement of [...registrationsS3, ...taskS3]) {
      expect(flattenReference(statement.Resource)).toMatch(/\/uploads\/\*$/);
    }
    expect(actionsOf(registrationsKms).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(byService(roleStatements('task'), 'kms').filter((s) => JSON.stringify(s).includes('s3.'))).toEqual(
      [],
    );
    expect(
      actionsOf(roleStatements('registrations')).some((action) => action === 's3:*' || action === 'kms:*'),
    ).toBe(false);
    // The organisation API never touches an extract.
    expect(byService(roleStatements('api'), 's3')).toEqual([]);
    expect(byService(roleStatements('api'), 'kms').filter((s) => JSON.stringify(s).includes('s3.'))).toEqual(
      [],
    );
  });

  it('lets the registrations function start and answer the review workflow, and the workflow invoke only the task function', () => {
    const sfn = actionsOf(roleStatements('registrations')).filter((action) => action.startsWith('states:'));

    expect(sfn).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess']));
    expect(actionsOf(roleStatements('api')).some((action) => action.startsWith('states:'))).toBe(false);
    expect(actionsOf(roleStatements('task')).some((action) => action.startsWith('states:'))).toBe(false);
  });

  it('waits 30 days for a decision and has no correction loop', () => {
    const states = workflowStates(fixture.json, 'OrganisationsWorkflow');

    expect(taskTokenTimeouts(states)).toEqual({
      AwaitDecision: 30 * 86_400,
    });
    expect(states.AwaitCorrection).toBeUndefined();
    expect(states.CorrectionRequested).toBeUndefined();
  });

  it('uses the configured review timeout when given', () => {
    const custom = synthOrganisationsFixture({ reviewTimeout: Duration.days(7) });
    const states = workflowStates(custom.json, 'OrganisationsWorkflow');

    expect(states.AwaitDecision?.TimeoutSeconds).toBe(7 * 86_400);
  });

  it('reports no cdk-nag AwsSolutions finding for its resources when the bucket is in another stack', () => {
    expect(awsSolutionsFindings(fixture.stack)).toEqual([]);
  });

  it('refuses a security officers mailbox that is not an e-mail address', () => {
    expect(() => synthOrganisationsFixture({ securityOfficersEmail: 'security officers' })).toThrow(
      /securityOfficersEmail/,
    );
  });
});

describe.each(COMMITTED_STAGES)('upload bucket in the data stack (%s)', (stage) => {
  const built = () => buildInfra(stage);

  it('is private, SSE-KMS with the data key, TLS only, unversioned, and expires unused uploads by tag', () => {
    const { dataTemplate, data } = built();

    dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(data.key), 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: Match.absent(),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            TagFilters: [{ Key: 'state', Value: 'unused' }],
            ExpirationInDays: 1,
            Status: 'Enabled',
          }),
          Match.objectLike({ TagFilters: [{ Key: 'state', Value: 'discarded' }], ExpirationInDays: 30 }),
        ]),
      },
    });
    dataTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is retained when the stage retains its data', () => {
    const { dataTemplate, config } = built();
    const buckets = Object.values(dataTemplate.findResources('AWS::S3::Bucket'));

    expect(buckets).toHaveLength(1);
    if (config.removalPolicy === 'retain') expect(buckets[0]?.DeletionPolicy).toBe('Retain');
  });
});
