/**
 * The one write that closes a waiting request (lambdas/shared/approval/outcome.ts), against DynamoDB
 * Local: it closes only a request that still waits with the claim of the decision it applies, records
 * the outcome, takes claim and task token off, and a retried close changes nothing.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closingUpdate } from '#shared/approval/outcome';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

const KEY = { PK: 'REQUEST#r1', SK: 'REQUEST' };
const NOW = '2026-12-07T10:00:00.000Z';

describe('closingUpdate', () => {
  let table: TestTable;
  const request = () => ({ tableName: table.tableName, key: KEY, pendingStatus: 'PENDING' });
  const read = async () =>
    (
      await table.documentClient.send(
        new GetCommand({ TableName: table.tableName, Key: KEY, ConsistentRead: true }),
      )
    ).Item;
  const close = (update: ReturnType<typeof closingUpdate>) =>
    table.documentClient.send(new TransactWriteCommand({ TransactItems: [update] }));

  beforeAll(async () => {
    table = await createTestTable();
  });

  afterAll(async () => {
    await table.dispose();
  });

  beforeEach(async () => {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...KEY,
          status: 'PENDING',
          GSI1PK: 'INBOX#PENDING',
          taskToken: 'token-1',
          decision: { decisionId: 'd1', decision: 'approve' },
          reason: 'stale',
        },
      }),
    );
  });

  it("closes a request that carries the decision's claim: outcome recorded, claim and token off", async () => {
    // Act
    await close(
      closingUpdate(request(), {
        status: 'APPROVED',
        queue: 'INBOX#APPROVED',
        decisionId: 'd1',
        record: { decidedBy: 'p2', decidedAt: NOW, name: 'reserved word', validUntil: undefined },
        remove: ['reason'],
        now: NOW,
      }),
    );

    // Assess
    expect(await read()).toStrictEqual({
      ...KEY,
      status: 'APPROVED',
      GSI1PK: 'INBOX#APPROVED',
      decidedBy: 'p2',
      decidedAt: NOW,
      name: 'reserved word',
      updatedAt: NOW,
    });
  });

  it('changes nothing for another decision, and nothing when retried after it closed', async () => {
    // Prepare
    const approve = (decisionId: string) =>
      closingUpdate(request(), {
        status: 'APPROVED',
        queue: 'INBOX#APPROVED',
        decisionId,
        record: {},
        now: NOW,
      });
    const before = await read();

    // Act
    const foreign = await close(approve('d2')).catch((error: unknown) => error);
    const unchanged = await read();
    await close(approve('d1'));
    const closed = await read();
    const retried = await close(approve('d1')).catch((error: unknown) => error);

    // Assess
    expect(foreign).toBeInstanceOf(TransactionCanceledException);
    expect(unchanged).toStrictEqual(before);
    expect(retried).toBeInstanceOf(TransactionCanceledException);
    expect(await read()).toStrictEqual(closed);
  });

  it('closes without a decision while the request waits in any of its waiting statuses, never after', async () => {
    // Prepare
    await table.documentClient.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: KEY,
        UpdateExpression: 'SET #status = :correction REMOVE #decision',
        ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
        ExpressionAttributeValues: { ':correction': 'NEEDS_CORRECTION' },
      }),
    );
    const expire = (waitingStatuses?: string[]) =>
      closingUpdate(request(), {
        status: 'EXPIRED',
        queue: 'INBOX#EXPIRED',
        ...(waitingStatuses ? { waitingStatuses } : {}),
        record: { reason: 'no decision in time' },
        now: NOW,
      });

    // Act
    const onlyPending = await close(expire()).catch((error: unknown) => error);
    await close(expire(['PENDING', 'NEEDS_CORRECTION']));
    const again = await close(expire(['PENDING', 'NEEDS_CORRECTION'])).catch((error: unknown) => error);

    // Assess
    expect(onlyPending).toBeInstanceOf(TransactionCanceledException);
    expect(again).toBeInstanceOf(TransactionCanceledException);
    expect(await read()).toMatchObject({
      status: 'EXPIRED',
      GSI1PK: 'INBOX#EXPIRED',
      reason: 'no decision in time',
    });
    expect(await read()).not.toHaveProperty('taskToken');
  });
});
