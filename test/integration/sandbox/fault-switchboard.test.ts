/**
 * The fault switchboard at its injection points, seen by the real AWS SDK clients with their default
 * retry strategies: the DynamoDB proxy in front of DynamoDB Local, the local SES endpoint, and the
 * Lambda wrapper (failure before the handler, and crash-after the handler's work).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbProxy } from '#local/aws/dynamodb-proxy';
import { FaultSwitchboard, faultRuleBody, withLambdaFaults } from '#local/aws/faults';
import { localClientConfig, localCredentials, localRegion } from '#local/dynamodb-local';
import { LocalSesEndpoint, sesTemplatesOf } from '#local/server/ses-endpoint';
import { synthesizeStage } from '#local/server/template';
import { translateDynamoError } from '#shared/dynamo';
import { TransientError } from '#shared/errors';
import { Outbox, SesMailer } from '#shared/mailer';
import { createDocumentClient } from '#shared/table';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

const faults = new FaultSwitchboard();
const outbox = new Outbox();
let table: TestTable;
let proxy: DynamoDbProxy;
let server: Server;
let viaProxy: ReturnType<typeof createDocumentClient>;
let ses: SESv2Client;

beforeAll(async () => {
  table = await createTestTable();
  proxy = new DynamoDbProxy(table.endpoint, faults);
  const sesEndpoint = new LocalSesEndpoint(
    sesTemplatesOf(synthesizeStage('dev').accessTemplate),
    outbox,
    undefined,
    faults,
  );
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/ses/')) void sesEndpoint.handle(req, res, path.slice('/ses'.length));
    else void proxy.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Default SDK configuration (standard retry mode, 3 attempts): what the handlers run with.
  viaProxy = createDocumentClient(
    new DynamoDBClient({ ...localClientConfig(table.endpoint), endpoint: base }),
  );
  ses = new SESv2Client({ endpoint: `${base}/ses`, region: localRegion, credentials: localCredentials });
});

afterAll(async () => {
  viaProxy?.destroy();
  ses?.destroy();
  proxy?.close();
  await new Promise((resolve) => server?.close(resolve));
  await table?.dispose();
});

beforeEach(() => {
  faults.clear();
  outbox.clear();
});

const key = () => ({ PK: `FAULT#${randomUUID()}`, SK: 'ITEM' });

describe('fault switchboard rules', () => {
  it('refuses crash-after on other targets and phase on lambda when a rule is posted', () => {
    expect(faultRuleBody.safeParse({ target: 'ses', error: 'crash-after' }).success).toBe(false);
    expect(faultRuleBody.safeParse({ target: 'lambda', error: 'crash-after', phase: 'after' }).success).toBe(
      false,
    );
    expect(faultRuleBody.safeParse({ target: 'sfn', error: 'x y' }).success).toBe(false);
    expect(
      faultRuleBody.safeParse({
        target: 'dynamodb',
        operation: 'PutItem',
        error: 'InternalServerError',
        count: 2,
      }).success,
    ).toBe(true);
  });

  it('fires a rule count times and then lets calls through when the rule is spent', () => {
    const board = new FaultSwitchboard();
    board.add({ target: 'sfn', operation: 'SendTaskSuccess', error: 'ThrottlingException', count: 2 });
    const call = { target: 'sfn' as const, operation: 'SendTaskSuccess' };
    expect(board.check({ target: 'sfn', operation: 'StartExecution' })).toBeUndefined();
    expect(board.check(call)?.error).toBe('ThrottlingException');
    expect(board.check(call)?.error).toBe('ThrottlingException');
    expect(board.check(call)).toBeUndefined();
    expect(board.list()[0]?.hits).toBe(2);
    expect(board.idle).toBe(true);
  });

  it('fails about the given share of calls when the rule has a probability', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const board = new FaultSwitchboard(random);
    board.add({ target: 'ses', error: 'TooManyRequestsException', probability: 0.25 });
    let failed = 0;
    for (let i = 0; i < 2000; i++) if (board.check({ target: 'ses', operation: 'SendEmail' })) failed++;
    expect(failed).toBeGreaterThan(400);
    expect(failed).toBeLessThan(600);
    expect(board.list()[0]?.hits).toBe(failed);
  });

  it('matches a lambda rule by construct path prefix and by action when the rule names them', () => {
    const board = new FaultSwitchboard();
    board.add({ target: 'lambda', operation: 'Rights', error: 'crash-after', action: 'apply-outcome' });
    const names = ['Rights/WorkflowTask', 'RightsWorkflowTaskFunctionABC'];
    expect(board.check({ target: 'lambda', operation: names, action: 'notify-requester' })).toBeUndefined();
    expect(
      board.check({ target: 'lambda', operation: ['RightsX/Api'], action: 'apply-outcome' }),
    ).toBeUndefined();
    expect(board.check({ target: 'lambda', operation: names, action: 'apply-outcome' })?.error).toBe(
      'crash-after',
    );
  });
});

describe('DynamoDB proxy with the SDK', () => {
  it('lets the SDK retry a throttled write to success when the throttling lasts two attempts', async () => {
    faults.add({
      target: 'dynamodb',
      operation: 'PutItem',
      error: 'ProvisionedThroughputExceededException',
      count: 2,
    });
    const item = key();
    const out = await viaProxy.send(new PutCommand({ TableName: table.tableName, Item: { ...item, v: 1 } }));
    expect(out.$metadata.attempts).toBe(3);
    expect(faults.list()[0]?.hits).toBe(2);
    const stored = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: item }));
    expect(stored.Item?.v).toBe(1);
  });

  it('surfaces the error after the SDK gives up and it becomes a TransientError when it lasts', async () => {
    faults.add({ target: 'dynamodb', operation: 'GetItem', error: 'InternalServerError' });
    const failure = await viaProxy
      .send(new GetCommand({ TableName: table.tableName, Key: key() }))
      .catch((error: unknown) => error);
    expect((failure as Error).name).toBe('InternalServerError');
    // Every attempt of the client's default retry strategy met the fault.
    const attempts = (failure as { $metadata: { attempts: number } }).$metadata.attempts;
    expect(attempts).toBeGreaterThan(1);
    expect(faults.list()[0]?.hits).toBe(attempts);
    expect(translateDynamoError(failure)).toBeInstanceOf(TransientError);
  });

  it('applies a write once and fails its retry on the condition when the first response is lost', async () => {
    const item = key();
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { ...item, n: 0 } }));
    faults.add({
      target: 'dynamodb',
      operation: 'UpdateItem',
      error: 'InternalServerError',
      phase: 'after',
      count: 1,
    });
    const failure = await viaProxy
      .send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: item,
          UpdateExpression: 'SET n = n + :one, decided = :yes',
          ConditionExpression: 'attribute_not_exists(decided)',
          ExpressionAttributeValues: { ':one': 1, ':yes': true },
        }),
      )
      .catch((error: unknown) => error);
    // The first attempt wrote; the SDK's retry met the condition: the caller must read to know.
    expect((failure as Error).name).toBe('ConditionalCheckFailedException');
    const stored = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: item }));
    expect(stored.Item?.n).toBe(1);
  });
});

describe('SES endpoint with the SES mailer', () => {
  const config = {
    from: 'no-reply@dev.eid-access.example',
    templatePrefix: 'eidaccess-dev',
    configurationSetName: 'cs',
  };
  const message = {
    to: 'erika@example.de',
    template: 'bis-approved' as const,
    data: { registrationId: 'R1', bisNumber: '64.08.12-401.52' },
    idempotencyKey: 'R1:bis-approved',
  };

  it('sends once after the SDK retried a throttled SendEmail', async () => {
    faults.add({ target: 'ses', error: 'TooManyRequestsException', count: 1 });
    await new SesMailer(config, ses).send(message);
    expect(outbox.list()).toHaveLength(1);
    expect(faults.list()[0]?.hits).toBe(1);
  });

  it('throws a TransientError and sends nothing when SES keeps failing', async () => {
    faults.add({ target: 'ses', operation: 'SendEmail', error: 'InternalServerError' });
    await expect(new SesMailer(config, ses).send(message)).rejects.toBeInstanceOf(TransientError);
    expect(outbox.list()).toHaveLength(0);
    expect(faults.list()[0]?.hits).toBe(3);
  });
});

describe('lambda faults', () => {
  it('fails before the handler runs with the Lambda service error name', async () => {
    let runs = 0;
    const handler = withLambdaFaults(faults, ['Bis/WorkflowTask', 'BisFn'], async () => {
      runs++;
      return 'done';
    });
    faults.add({
      target: 'lambda',
      operation: 'Bis/WorkflowTask',
      error: 'TooManyRequestsException',
      count: 1,
    });
    await expect(handler({}, {})).rejects.toMatchObject({ name: 'Lambda.TooManyRequestsException' });
    expect(runs).toBe(0);
    await expect(handler({}, {})).resolves.toBe('done');
    expect(runs).toBe(1);
  });

  it('runs the handler to its end and then fails as a timeout when the rule is crash-after', async () => {
    const done: string[] = [];
    const handler = withLambdaFaults(faults, ['Rights/WorkflowTask'], async (event: { action: string }) => {
      done.push(event.action);
      return { ok: true };
    });
    faults.add({
      target: 'lambda',
      operation: 'Rights',
      error: 'crash-after',
      action: 'apply-outcome',
      count: 1,
    });
    await expect(handler({ action: 'notify-approvers' }, {})).resolves.toEqual({ ok: true });
    await expect(handler({ action: 'apply-outcome' }, {})).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
    });
    expect(done).toEqual(['notify-approvers', 'apply-outcome']);
  });
});
