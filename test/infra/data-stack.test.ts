import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tableSchema } from '#lib/data/table-schema';
import { buildInfra, COMMITTED_STAGES, logicalIdOf } from '#test/helpers/infra';

describe.each(COMMITTED_STAGES)('DataStack (%s)', (stage) => {
  const infra = buildInfra(stage);
  const template = infra.dataTemplate;
  const keyId = logicalIdOf(infra.data.key);

  it('names the stack eid-access-<stage>-data when built for the stage', () => {
    expect(infra.data.stackName).toBe(`eid-access-${stage}-data`);
  });

  it('keeps the construct path of the table when built (a new path replaces the table)', () => {
    expect(infra.data.table.node.path).toBe(`eid-access-${stage}-data/Table`);
  });

  it('builds keys and indexes from the table schema when synthesized', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
      TableName: Match.absent(),
    });
  });

  it('encrypts the table with its own customer-managed key when synthesized', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('enables point-in-time recovery when synthesized', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('applies the configured removal policy and deletion protection to table and key', () => {
    const policy = infra.config.removalPolicy === 'retain' ? 'Retain' : 'Delete';

    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: policy,
      UpdateReplacePolicy: policy,
      Properties: Match.objectLike({ DeletionProtectionEnabled: infra.config.deletionProtection }),
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: policy });
  });
});

describe('DataStack (prod)', () => {
  const infra = buildInfra('prod');

  it('retains the table and key and protects both stack and table when the stage is prod', () => {
    infra.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    infra.dataTemplate.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(infra.data.terminationProtection).toBe(true);
  });
});

describe('DataStack (dev)', () => {
  const infra = buildInfra('dev');

  it('lets the dev table go with the stack when the stage is dev', () => {
    infra.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    expect(infra.data.terminationProtection).toBe(false);
  });
});
