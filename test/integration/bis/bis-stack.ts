import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BisRegistration, type BisRegistrationProps } from '#lib/constructs/bis-registration';
import { Notifications } from '#lib/constructs/notifications';
import { logicalIdOf } from '#test/helpers/infra';

/** The agents' mailbox of the fixture. */
export const AGENTS_EMAIL = 'bis-agents@eid-access.example.be';

/** A synthesized stack holding one {@link BisRegistration}, with what it needs around it. */
export interface BisFixture {
  app: App;
  stack: Stack;
  bis: BisRegistration;
  template: Template;
  json: Record<string, unknown>;
  /** Logical id of the workflow-task function: the local runner routes Lambda tasks by it. */
  workflowTaskLogicalId: string;
  apiLogicalId: string;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR), the
 * notifications construct and the BIS construct, and synthesizes it.
 */
export function synthBisFixture(props: Partial<BisRegistrationProps> = {}): BisFixture {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'BisFixture', { env: { account: '123456789012', region: 'eu-west-1' } });
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
  const bis = new BisRegistration(stack, 'Bis', {
    table,
    tableKey,
    notifications,
    agentsEmail: AGENTS_EMAIL,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    bis,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(bis.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(bis.apiFunction.function),
  };
}
