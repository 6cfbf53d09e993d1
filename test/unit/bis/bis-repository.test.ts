import 'aws-sdk-client-mock-vitest/extend';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, TransientError } from '#shared/errors';
import { bisKeys } from '#shared/keys';
import { createDynamoBisRepository } from '../../../lambdas/bis/bis-repository.ts';
import { decision, NOW, registration } from './fakes.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(documentClient);
const repository = createDynamoBisRepository({ tableName: 'bis-table', documentClient });

afterEach(() => {
  ddb.reset();
});

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const entry = {
  entryId: '01JZENTRY00000000000000001',
  at: NOW.toISOString(),
  event: 'approved' as const,
  status: 'APPROVED' as const,
  actor: 'agent' as const,
};

describe('createDynamoBisRepository', () => {
  it('claims a decision with one conditional update and returns the stored token', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { taskToken: 'token-1' } });

    const token = await repository.claimDecision('r1', decision(), NOW.toISOString());

    expect(token).toBe('token-1');
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: bisKeys.registration('r1'),
      ConditionExpression:
        '#status = :pending AND attribute_exists(taskToken) AND attribute_not_exists(#decision)',
      ReturnValues: 'ALL_OLD',
    });
  });

  it('answers ConflictError when the claim condition fails (another decision won)', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    await expect(repository.claimDecision('r1', decision(), NOW.toISOString())).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('translates throttling into TransientError', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    await expect(repository.nextSequence('1985-09-30', 'F')).rejects.toBeInstanceOf(TransientError);
  });

  it('answers ConflictError when the open-request marker exists at submission', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'None', 'ConditionalCheckFailed'));

    await expect(
      repository.createRegistration(registration(), { ...entry, event: 'submitted' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it.each([
    [['None', 'None', 'None', 'None', 'None', 'None'], undefined, 'done'],
    [['ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None'], 'x', 'state-changed'],
    [['None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None'], 'x', 'number-taken'],
    [['None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None'], 'x', 'number-taken'],
    [['None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed'], 'x', 'person-has-insz'],
    [['None', 'TransactionConflict', 'None', 'None', 'None', 'None'], 'x', 'contention'],
  ])('maps the cancellation reasons %j of the approval to its outcome', async (codes, fails, outcome) => {
    if (fails) ddb.on(TransactWriteCommand).rejects(canceled(...codes));
    else ddb.on(TransactWriteCommand).resolves({});

    expect(await repository.approve(registration(), decision(), '85493001153', entry)).toBe(outcome);
  });

  it('writes the status change, history, marker removal, register entry, INSZ link, profile and activity entry in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository.approve(registration(), decision(), '85493001153', entry);

    const input = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    const keysWritten = (input?.TransactItems ?? []).map(
      (item) => (item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key) as { PK: string },
    );
    expect(keysWritten.map((k) => k.PK)).toEqual([
      'BIS#01JZREG0000000000000000001',
      'BIS#01JZREG0000000000000000001',
      'BIS_OPEN#01JZ0000000000000000000001',
      'REGISTER#PERSON#85493001153',
      'INSZ#85493001153',
      'PERSON#01JZ0000000000000000000001',
      'ACTIVITY#01JZ0000000000000000000001',
    ]);
    const items = input?.TransactItems ?? [];
    expect(items[3]?.Put?.Item).toMatchObject({ GSI2PK: 'BORN#1985-09-30', GSI2SK: 'REGISTER#85493001153' });
    expect(items[4]?.Put?.Item).toMatchObject({ evidence: 'bis-issued', loa: 'substantial' });
    expect(items[5]?.Update?.ExpressionAttributeValues).toMatchObject({ ':evidence': 'bis-issued' });
    expect(items[6]?.Put?.Item).toMatchObject({ event: 'insz-linked', evidence: 'bis-issued' });
  });
});
