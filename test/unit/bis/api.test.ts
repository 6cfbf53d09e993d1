import 'aws-sdk-client-mock-vitest/extend';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouterHandler } from '#shared/http/router';
import { bisKeys } from '#shared/keys';
import { apiEvent, lambdaContext } from '#test/helpers/api-events';
import { registration } from './fakes.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
let handler: RouterHandler;

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'bis-table');
  vi.stubEnv('BIS_STATE_MACHINE_ARN', 'arn:aws:states:eu-west-1:123456789012:stateMachine:Bis');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ({ handler } = await import('../../../lambdas/bis/api.ts'));
});

afterEach(() => {
  ddb.reset();
  sfn.reset();
});

const id = '01JZREG0000000000000000001';
const storedItem = () => ({ ...bisKeys.registration(id), ...registration(), taskToken: 'stored-token' });

const decide = () =>
  handler(
    apiEvent({
      persona: 'bisAgent',
      method: 'POST',
      resource: '/agent/bis-registrations/{id}/decision',
      pathParameters: { id },
      body: { decision: 'approve' },
    }),
    lambdaContext(),
  );

describe('BIS api handler', () => {
  it('answers the stored task token through Step Functions and 200 when the decision wins', async () => {
    ddb.on(GetCommand).resolves({ Item: storedItem() });
    ddb.on(UpdateCommand).resolves({ Attributes: storedItem() });
    sfn.on(SendTaskSuccessCommand).resolves({});

    const result = await decide();

    expect(result.statusCode).toBe(200);
    expect(result.body).not.toContain('stored-token');
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'stored-token' });
  });

  it('answers 409 and closes the request when Step Functions says the token timed out', async () => {
    ddb.on(GetCommand).resolves({ Item: storedItem() });
    ddb.on(UpdateCommand).resolves({ Attributes: storedItem() });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const result = await decide();

    expect(result.statusCode).toBe(409);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ExpressionAttributeValues?.[':status']).toBe('EXPIRED');
  });

  it('answers 404 problem+json for a route it does not serve', async () => {
    const result = await handler(apiEvent({ persona: 'user', resource: '/nowhere' }), lambdaContext());

    expect(result.statusCode).toBe(404);
  });
});
