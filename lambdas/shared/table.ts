import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceAwsClient } from './tracing.ts';

/**
 * A DynamoDB document client with the platform's marshalling options; the default client's calls
 * are X-Ray subsegments on Lambda (`tracing.ts`). Endpoint, region and credentials come from the
 * SDK's own configuration chain, so the sandbox and tests point the same code at DynamoDB Local
 * with `AWS_ENDPOINT_URL_DYNAMODB`.
 */
export function createDocumentClient(
  client: DynamoDBClient = traceAwsClient(new DynamoDBClient({})),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Reads a required environment variable once, at module scope, failing loudly at cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
}
