import type { TestProject } from 'vitest/node';
import { ensureDynamoDbLocal, startDynamoDbLocal } from '#local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local shared by every integration test file (read with `inject`). */
    dynamodbEndpoint: string;
  }
}

/**
 * Vitest global setup of the `integration` project: one in-memory DynamoDB Local for the whole run.
 * Test files isolate themselves by creating their own uniquely named tables (test/helpers/dynamodb.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureDynamoDbLocal();
  const dynamodb = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
