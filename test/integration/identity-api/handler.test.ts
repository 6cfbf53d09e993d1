import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { apiEvent, lambdaContext } from '#test/helpers/api-events';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

/**
 * The entry point with the environment a deployed function has. Stubbed in each test (vitest
 * restores the environment after every test, and the SDK reads region and credentials per request);
 * the module itself is imported once.
 */
async function entry(): Promise<ProxyHandler> {
  stubLocalEnv({
    TABLE_NAME: table.tableName,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ALLOWED_ORIGINS: 'https://portal.example.be',
  });
  return (await import('#identity/api/handler')).handler;
}

describe('identity API Lambda entry point', () => {
  it('serves GET /me from the table named in TABLE_NAME', async () => {
    const handler = await entry();
    const personId = newId();
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.person(personId),
          type: 'person',
          personId,
          givenNames: 'Lotte',
          familyName: 'Claes',
          birthDate: '2006-07-05',
          providers: new Set(['itsme']),
        },
      }),
    );

    const result = await handler(
      apiEvent({ resource: '/me', claims: { person_id: personId }, origin: 'https://portal.example.be' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      personId,
      insz: null,
      identities: [{ provider: 'itsme' }],
    });
  });

  it.each([
    ['GET', '/me', undefined],
    ['POST', '/me/insz', { insz: '85073003328', givenNames: 'A', familyName: 'B', birthDate: '1985-07-30' }],
  ])(
    'answers 401 problem and writes nothing when an anonymous caller sends %s %s',
    async (method, resource, body) => {
      const handler = await entry();
      const before = await table.snapshot();

      const result = await handler(
        apiEvent({ persona: 'anonymous', method, resource, body }),
        lambdaContext(),
      );

      expect(result.statusCode).toBe(401);
      expect(result.headers?.['Content-Type']).toBe('application/problem+json');
      expect(await table.snapshot()).toEqual(before);
    },
  );
});
