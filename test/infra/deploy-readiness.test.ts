import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildInfra, COMMITTED_STAGES, logicalIdOf } from '#test/helpers/infra';

describe.each(COMMITTED_STAGES)('deploy readiness of %s', (stage) => {
  const infra = buildInfra(stage);
  const templates = { data: infra.dataTemplate, access: infra.accessTemplate };

  it('encrypts every log group of both stacks with the customer-managed log key', () => {
    const keyId = logicalIdOf(infra.access.logEncryption.key);
    expect(templates.data.findResources('AWS::Logs::LogGroup')).toEqual({});
    const groups = Object.entries(templates.access.findResources('AWS::Logs::LogGroup'));

    expect(groups.length).toBeGreaterThan(0);
    for (const [id, group] of groups) {
      expect(group.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });

  it('lets CloudWatch Logs of this account and region use the log key for its log groups only', () => {
    templates.access.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('names every state-machine log group under /aws/vendedlogs/states/', () => {
    const machines = Object.values(templates.access.findResources('AWS::StepFunctions::StateMachine'));
    const groups = templates.access.findResources('AWS::Logs::LogGroup');

    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) {
      const destination = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup
        .LogGroupArn as { 'Fn::GetAtt': [string, string] };
      const name = groups[destination['Fn::GetAtt'][0]]?.Properties.LogGroupName as string;
      expect(name).toMatch(/^\/aws\/vendedlogs\/states\/eid-access-/);
    }
  });

  it('logs WAF requests to an aws-waf-logs- group with the Authorization header redacted', () => {
    templates.access.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [logicalIdOf(infra.access.api.webAcl), 'Arn'] },
      LogDestinationConfigs: [Match.anyValue()],
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
    });
    templates.access.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `aws-waf-logs-eid-access-${stage}-access`,
    });
  });

  it('leaves the account-wide API Gateway logging setting alone unless the config opts in', () => {
    templates.access.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  if (stage === 'dev') {
    it('retains nothing on delete or replacement when the removal policy is destroy', () => {
      for (const [name, template] of Object.entries(templates)) {
        const json = template.toJSON() as {
          Resources: Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
        };
        const retained = Object.entries(json.Resources)
          .filter(
            ([, resource]) =>
              resource.DeletionPolicy?.startsWith('Retain') || resource.UpdateReplacePolicy === 'Retain',
          )
          .map(([id]) => id);
        expect(retained, name).toEqual([]);
      }
    });

    it('keeps no backup plan in dev', () => {
      templates.data.resourceCountIs('AWS::Backup::BackupPlan', 0);
    });
  } else {
    it('backs the table up with AWS Backup into a retained vault encrypted with the table key', () => {
      templates.data.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          Resources: [{ 'Fn::GetAtt': [logicalIdOf(infra.data.table), 'Arn'] }],
        }),
      });
      templates.data.hasResource('AWS::Backup::BackupVault', {
        DeletionPolicy: 'Retain',
        Properties: { EncryptionKeyArn: { 'Fn::GetAtt': [logicalIdOf(infra.data.key), 'Arn'] } },
      });
      templates.data.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanRule: Match.arrayWith([
            Match.objectLike({
              RuleName: 'Daily',
              Lifecycle: { DeleteAfterDays: infra.config.backup.retentionDays },
            }),
          ]),
        },
      });
    });

    it('retains the table, its key and the user pool', () => {
      templates.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
      templates.data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      templates.access.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    });
  }
});

describe('account-wide API Gateway logging', () => {
  it('sets the account role, retained, over every stage log group when the config opts in', () => {
    const base = buildInfra('dev').config;
    const config = {
      ...base,
      removalPolicy: 'retain',
      api: { ...base.api, manageAccountLogging: true },
    } as const;
    const template = buildInfra('dev', { config }).accessTemplate;

    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
      }),
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('log-group:API-Gateway-Execution-Logs_*:*');
    expect(policies).toContain('log-group:/aws/apigateway/eid-access/*:*');
  });
});
