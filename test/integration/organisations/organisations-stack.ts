import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Organisations, type OrganisationsProps } from '#lib/constructs/organisations';
import { fixtureApp, fixtureStack, fixtureTable } from '#test/helpers/construct-fixture';
import { type ContextFixture, synthContextStack } from '../context-stack.ts';

/** The security officers' mailbox of the fixture. */
export const SECURITY_OFFICERS_EMAIL = 'security-officers@eid-access.example.be';

/** A synthesized app: a data stack (table, key, bucket) and a stack with the organisations construct. */
export interface OrganisationsFixture extends ContextFixture {
  dataStack: Stack;
  organisations: Organisations;
}

/**
 * Builds (without bundling) the stateful resources in one stack and the construct in another, as
 * the real app does (so grants cross a stack boundary), and synthesizes the construct's stack.
 */
export function synthOrganisationsFixture(props: Partial<OrganisationsProps> = {}): OrganisationsFixture {
  const app = fixtureApp();
  const dataStack = fixtureStack(app, 'OrganisationsData');
  const { table, tableKey } = fixtureTable(dataStack);
  const bucket = new Bucket(dataStack, 'UploadBucket', {
    encryption: BucketEncryption.KMS,
    encryptionKey: tableKey,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const { construct: organisations, ...fixture } = synthContextStack(
    'OrganisationsFixture',
    (stack, resources) =>
      new Organisations(stack, 'Organisations', {
        ...resources,
        uploadBucket: bucket,
        uploadKey: tableKey,
        securityOfficersEmail: SECURITY_OFFICERS_EMAIL,
        logRetention: RetentionDays.ONE_YEAR,
        ...props,
      }),
    { app, table, tableKey },
  );
  return { ...fixture, dataStack, organisations };
}
