import { type App, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Organisations, type OrganisationsProps } from '#lib/constructs/organisations';
import {
  fixtureApp,
  fixtureNotifications,
  fixtureStack,
  fixtureTable,
} from '#test/helpers/construct-fixture';
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
  const app = fixtureApp();
  const dataStack = fixtureStack(app, 'OrganisationsData');
  const { table, tableKey: key } = fixtureTable(dataStack);
  const bucket = new Bucket(dataStack, 'UploadBucket', {
    encryption: BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const stack = fixtureStack(app, 'OrganisationsFixture');
  const notifications = fixtureNotifications(stack);
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
