import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { transactNamed } from '#shared/dynamo';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(documentClient);

afterEach(() => {
  ddb.reset();
});

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const put = (PK: string) => ({ Put: { TableName: 't', Item: { PK, SK: PK } } });

describe('transactNamed', () => {
  it('writes the items in the order of their names, flattening lists and leaving out undefined parts', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const failed = await transactNamed(documentClient, {
      request: put('a'),
      membership: undefined,
      audit: [put('b'), put('c')],
      marker: put('d'),
    });

    expect(failed).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [put('a'), put('b'), put('c'), put('d')],
    });
  });

  it('names the parts whose condition failed, whatever their position after left-out parts', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'ConditionalCheckFailed', 'None'));

    const failed = await transactNamed(documentClient, {
      request: put('a'),
      membership: undefined,
      audit: [put('b'), put('c')],
      marker: put('d'),
    });

    expect([...(failed ?? [])]).toEqual(['audit']);
  });

  it('answers an empty set for a conflict with a concurrent transaction', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('TransactionConflict', 'None'));

    expect(await transactNamed(documentClient, { request: put('a'), marker: put('b') })).toEqual(new Set());
  });
});
