import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Notifications } from '#lib/constructs/notifications';
import { testAppOutdir } from '#test/helpers/test-outdir';

/** The environment every construct fixture synthesizes for (a literal one: no lookups, no credentials). */
export const FIXTURE_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** An app that skips bundling (no esbuild run), as construct fixtures want. */
export const fixtureApp = (): App =>
  new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: testAppOutdir() });

/** A stack of {@link fixtureApp} in {@link FIXTURE_ENV}. */
export const fixtureStack = (app: App, id: string): Stack => new Stack(app, id, { env: FIXTURE_ENV });

/** The stateful pair a construct under test is given: the table and its customer-managed key. */
export interface FixtureTable {
  table: TableV2;
  tableKey: Key;
}

/** A table like the data stack's (CMK, PITR, TTL, both GSIs) and its key, created in `stack`. */
export function fixtureTable(stack: Stack): FixtureTable {
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
  return { table, tableKey };
}

/** The notifications construct the workflows mail through, with the test sender and template prefix. */
export const fixtureNotifications = (stack: Stack): Notifications =>
  new Notifications(stack, 'Notifications', {
    senderAddress: 'no-reply@eid-access.example.be',
    templatePrefix: 'eid-access-test',
  });
