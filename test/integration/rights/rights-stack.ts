import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Notifications } from '#lib/constructs/notifications';
import { Rights, type RightsProps } from '#lib/constructs/rights';
import { logicalIdOf } from '#test/helpers/infra';

/** A synthesized stack holding one {@link Rights}, with what it needs around it. */
export interface RightsFixture {
  app: App;
  stack: Stack;
  rights: Rights;
  template: Template;
  json: Record<string, unknown>;
  /** Logical id of the workflow-task function: the local runner routes Lambda tasks by it. */
  workflowTaskLogicalId: string;
  apiLogicalId: string;
  grantExpiryLogicalId: string;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR, both GSIs), the
 * notifications construct and the Rights construct, and synthesizes it.
 */
export function synthRightsFixture(props: Partial<RightsProps> = {}): RightsFixture {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'RightsFixture', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tableKey = new Key(stack, 'TableKey', {
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(tableKey),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [
      {
        indexName: 'GSI1',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
      },
      {
        indexName: 'GSI2',
        partitionKey: { name: 'GSI2PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI2SK', type: AttributeType.STRING },
      },
    ],
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const notifications = new Notifications(stack, 'Notifications', {
    senderAddress: 'no-reply@eid-access.example.be',
    templatePrefix: 'eid-access-test',
  });
  const rights = new Rights(stack, 'Rights', {
    table,
    tableKey,
    notifications,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    rights,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(rights.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(rights.apiFunction.function),
    grantExpiryLogicalId: logicalIdOf(rights.grantExpiryFunction.function),
  };
}
