import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { inject, vi } from 'vitest';
import { createTable, localAwsEnvironment, localClientConfig } from '#local/dynamodb-local';
import { createDocumentClient } from '#shared/table';

/** A freshly created table of the platform's shape in the run's DynamoDB Local. */
export interface TestTable {
  /** Unique per call, so test files and tests running in parallel never share data. */
  tableName: string;
  /** Same marshalling as product code (`createDocumentClient`). */
  documentClient: DynamoDBDocumentClient;
  client: DynamoDBClient;
  endpoint: string;
  /** Every item, sorted by PK then SK. Only tests may scan; product code never does. */
  snapshot(): Promise<Record<string, unknown>[]>;
  /** Deletes the table and closes the clients. Safe to call twice. */
  dispose(): Promise<void>;
}

/** The DynamoDB Local endpoint started by the integration project's global setup. */
export function dynamodbEndpoint(): string {
  return inject('dynamodbEndpoint');
}

/**
 * Creates a uniquely named table from the shared schema (both GSIs, TTL enabled). Dispose it in
 * `afterAll`/`afterEach`.
 */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = dynamodbEndpoint();
  const tableName = `test-${randomUUID()}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const documentClient = createDocumentClient(client);
  try {
    await createTable(client, tableName);
  } catch (error) {
    client.destroy();
    throw error;
  }

  let disposed: Promise<void> | undefined;
  return {
    tableName,
    documentClient,
    client,
    endpoint,
    async snapshot() {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan(
        { client: documentClient },
        { TableName: tableName, ConsistentRead: true },
      )) {
        items.push(...(page.Items ?? []));
      }
      return items.sort(byPrimaryKey);
    },
    dispose() {
      disposed ??= (async () => {
        try {
          await client.send(new DeleteTableCommand({ TableName: tableName }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        } finally {
          client.destroy();
        }
      })();
      return disposed;
    },
  };
}

function byPrimaryKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return compare(String(a.PK), String(b.PK)) || compare(String(a.SK), String(b.SK));
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Environment that makes product code (clients from the SDK default chain, created at module scope)
 * talk to the run's DynamoDB Local: `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_REGION` and dummy credentials.
 * Stub it before importing the handler: `await import(...)` after {@link stubLocalEnv}.
 */
export function localEnv(): Record<string, string> {
  return localAwsEnvironment(dynamodbEndpoint());
}

/** `vi.stubEnv` for every variable of {@link localEnv} plus `extra` (e.g. `{ TABLE_NAME }`). */
export function stubLocalEnv(extra: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries({ ...localEnv(), ...extra })) vi.stubEnv(name, value);
}
