import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** The entry points with the environment the Rights construct sets (stubbed before each use). */
function stub(): void {
  stubLocalEnv({
    TABLE_NAME: table.tableName,
    RIGHT_REQUEST_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:RightsWorkflow',
    MAIL_TRANSPORT: 'outbox',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
}

describe('rights Lambda entry points', () => {
  it('serves the catalogue and refuses anonymous callers through the production wiring', async () => {
    stub();
    const { handler } = (await import('../../../lambdas/rights/api.ts')) as { handler: ProxyHandler };

    const ok = await handler(apiEvent({ resource: '/applications' }), lambdaContext());
    const anonymous = await handler(
      apiEvent({ resource: '/applications', persona: 'anonymous' }),
      lambdaContext(),
    );
    const notMember = await handler(
      apiEvent({ resource: '/organisations/{orgCode}/audit', pathParameters: { orgCode: '0403019261' } }),
      lambdaContext(),
    );

    expect(ok.statusCode).toBe(200);
    expect(anonymous.statusCode).toBe(401);
    expect(notMember.statusCode).toBe(404);
  });

  it('runs a call of the daily expiry run on the table named in TABLE_NAME, and refuses a malformed one', async () => {
    stub();
    const { handler } = await import('../../../lambdas/rights/grant-expiry-task.ts');

    const swept = (await handler({
      action: 'sweep',
      state: { shard: '00', at: new Date().toISOString() },
    })) as { shard?: string; counts?: Record<string, number> };
    expect(swept.shard).toBe('00');
    expect(Object.values(swept.counts ?? {}).every((count) => count === 0)).toBe(true);
    await expect(handler({ action: 'sweep' })).rejects.toMatchObject({ name: 'ZodError' });
  });

  it('refuses a workflow task for a request that does not exist with a named error', async () => {
    stub();
    const { handler } = await import('../../../lambdas/rights/workflow-task.ts');

    await expect(
      handler({
        action: 'notify-approvers',
        requestId: '01JZ0000000000000000000009',
        state: { requestId: 'x' },
      }),
    ).rejects.toMatchObject({ name: 'RightRequestStateError' });
  });
});
