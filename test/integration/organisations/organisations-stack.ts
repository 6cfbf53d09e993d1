import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Notifications } from '#lib/constructs/notifications';
import { Organisations, type OrganisationsProps } from '#lib/constructs/organisations';
import { logicalIdOf } from '#test/helpers/infra';

/** The security officers' mailbox of the fixture. */
export const SECURITY_OFFICERS_EMAIL = 'security-officers@eid-access.example.be';

/** A synthesized app: a data stack (table, key, bucket) and a stack with the organisations construct. */
export interface OrganisationsFixture {
  app: App;
  dataStack: Stack;
  stack: Stack;
  organisations: Organisations;
  template: Template;
  json: Record<string, unknown>;
  workflowTaskLogicalId: string;
  apiLogicalId: string;
}

/**
 * Builds (without bundling) the stateful resources in one stack and the construct in another, as
 * the real app does (so grants cross a stack boundary), and synthesizes the construct's stack.
 */
export function synthOrganisationsFixture(props: Partial<OrganisationsProps> = {}): OrganisationsFixture {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const env = { account: '123456789012', region: 'eu-west-1' };
  const dataStack = new Stack(app, 'OrganisationsData', { env });
  const key = new Key(dataStack, 'TableKey', {
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const table = new TableV2(dataStack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(key),
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
  const bucket = new Bucket(dataStack, 'UploadBucket', {
    encryption: BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stack = new Stack(app, 'OrganisationsFixture', { env });
  const notifications = new Notifications(stack, 'Notifications', {
    senderAddress: 'no-reply@eid-access.example.be',
    templatePrefix: 'eid-access-test',
  });
  const organisations = new Organisations(stack, 'Organisations', {
    table,
    tableKey: key,
    uploadBucket: bucket,
    uploadKey: key,
    notifications,
    securityOfficersEmail: SECURITY_OFFICERS_EMAIL,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    dataStack,
    stack,
    organisations,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(organisations.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(organisations.apiFunction.function),
  };
}
