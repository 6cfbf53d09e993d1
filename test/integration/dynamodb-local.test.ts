import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tableSchema } from '#lib/data/table-schema';
import { javaMajorVersion, localClientConfig, startDynamoDbLocal } from '#local/dynamodb-local';
import { createDocumentClient } from '#shared/table';
import { createTestTable, localEnv, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';

describe('createTestTable', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await createTestTable();
  });

  afterAll(async () => {
    await table.dispose();
  });

  it('creates the shared schema with both GSIs when called', async () => {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));

    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['GSI1', 'GSI2']);
  });

  it('enables TTL on the schema attribute when called', async () => {
    const { TimeToLiveDescription } = await table.client.send(
      new DescribeTimeToLiveCommand({ TableName: table.tableName }),
    );

    expect(TimeToLiveDescription).toEqual({
      AttributeName: tableSchema.timeToLiveAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('cancels a transaction with per-item CancellationReasons when a condition fails', async () => {
    const existing = { PK: 'TX#1', SK: 'A', value: 'first' };
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: existing }));

    const write = table.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { PK: 'TX#1', SK: 'B', value: 'second' },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: table.tableName,
              Item: { ...existing, value: 'overwritten' },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );

    const error = await write.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual(
      ['None', 'ConditionalCheckFailed'],
    );
    const items = (await table.snapshot()).filter((item) => item.PK === 'TX#1');
    expect(items).toEqual([existing]);
  });

  it.each(tableSchema.globalSecondaryIndexes)(
    'answers queries on $indexName when items carry its keys',
    async ({ indexName, partitionKey, sortKey }) => {
      const collection = `${indexName}#collection`;
      await Promise.all(
        ['2', '1', '3'].map((n) =>
          table.documentClient.send(
            new PutCommand({
              TableName: table.tableName,
              Item: {
                PK: `${indexName}#ITEM#${n}`,
                SK: 'META',
                [partitionKey]: collection,
                [sortKey]: `S#${n}`,
              },
            }),
          ),
        ),
      );

      const { Items } = await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
          ExpressionAttributeValues: { ':pk': collection, ':prefix': 'S#' },
        }),
      );

      expect(Items?.map((item) => item[sortKey])).toEqual(['S#1', 'S#2', 'S#3']);
    },
  );

  it('reaches the same table from product code when localEnv is stubbed', async () => {
    stubLocalEnv();
    const productClient = createDocumentClient();
    await table.documentClient.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: 'ENV#1', SK: 'META', note: 'seen' } }),
    );

    const { Item } = await productClient.send(
      new GetCommand({ TableName: table.tableName, Key: { PK: 'ENV#1', SK: 'META' } }),
    );

    productClient.destroy();
    expect(localEnv()).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: table.endpoint });
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(table.endpoint);
    expect(Item).toEqual({ PK: 'ENV#1', SK: 'META', note: 'seen' });
  });
});

describe('TestTable.snapshot', () => {
  it('returns every item sorted by PK then SK when items were written out of order', async () => {
    const table = await createTestTable();
    const keys = [
      ['B', '2'],
      ['A', '9'],
      ['B', '1'],
      ['A', '10'],
    ] as const;
    for (const [PK, SK] of keys) {
      await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { PK, SK } }));
    }

    const snapshot = await table.snapshot();

    await table.dispose();
    expect(snapshot).toEqual([
      { PK: 'A', SK: '10' },
      { PK: 'A', SK: '9' },
      { PK: 'B', SK: '1' },
      { PK: 'B', SK: '2' },
    ]);
  });

  it('isolates tables when two are created concurrently', async () => {
    const [first, second] = await Promise.all([createTestTable(), createTestTable()]);
    await first.documentClient.send(
      new PutCommand({ TableName: first.tableName, Item: { PK: 'X', SK: 'Y' } }),
    );

    const snapshots = await Promise.all([first.snapshot(), second.snapshot()]);

    await Promise.all([first.dispose(), second.dispose()]);
    expect(first.tableName).not.toBe(second.tableName);
    expect(snapshots).toEqual([[{ PK: 'X', SK: 'Y' }], []]);
  });
});

describe('TestTable.dispose', () => {
  it('deletes the table and tolerates a second call when called twice', async () => {
    const table = await createTestTable();
    const observer = new DynamoDBClient(localClientConfig(table.endpoint));

    await table.dispose();
    await table.dispose();

    const error = await observer
      .send(new DescribeTableCommand({ TableName: table.tableName }))
      .catch((caught: unknown) => caught);
    observer.destroy();
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('startDynamoDbLocal', () => {
  it('serves on a free port and refuses connections when stopped', async () => {
    const local = await startDynamoDbLocal();
    const client = new DynamoDBClient({ ...localClientConfig(local.endpoint), maxAttempts: 1 });

    const before = await client.send(new ListTablesCommand({}));
    await local.stop();
    const after = await client.send(new ListTablesCommand({})).catch((caught: unknown) => caught);

    client.destroy();
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    expect(before.TableNames).toEqual([]);
    expect(after).toBeInstanceOf(Error);
    expect((after as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('fails with the Java install hint when java is not on the PATH', async () => {
    vi.stubEnv('PATH', '/nonexistent');

    await expect(startDynamoDbLocal()).rejects.toThrow(
      'DynamoDB Local needs Java 17 or newer: install a JDK/JRE (e.g. apt-get install openjdk-17-jre-headless) and retry',
    );
  });
});

describe('javaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_402"', 8],
    ['no java here', undefined],
  ])('reads %s as %s', (output, major) => {
    expect(javaMajorVersion(output)).toBe(major);
  });
});
