import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPIRY_SHARD_IDS, EXPIRY_SHARDS, expiryShard, rightsKeys } from '#shared/keys';
import { Outbox, OutboxMailer } from '#shared/mailer';
import {
  expireGrant,
  expiryPartition,
  runGrantExpiryTask,
  sendNoticesPage,
  sweepSteps,
  UNSHARDED,
} from '../../../lambdas/rights/grant-expiry.ts';
import { createDynamoGrantExpiryStore } from '../../../lambdas/rights/grant-expiry-store.ts';
import type { Grant } from '../../../lambdas/rights/right-request.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const ddb = mockClient(documentClient);

afterEach(() => {
  ddb.reset();
});

const grant = (): Grant => ({
  grantId: '01JGRANT000000000000000001',
  personId: '01JPERSON00000000000000001',
  orgCode: '0403019261',
  application: 'KLIP',
  role: 'raadpleger',
  validFrom: '2030-01-01T00:00:00.000Z',
  validUntil: '2031-03-10T00:00:00.000Z',
  grantedBy: '01JADMIN000000000000000001',
  requestId: '01JREQUEST0000000000000001',
});

const deps = (outbox = new Outbox()) => ({
  store: createDynamoGrantExpiryStore({ tableName: 't', documentClient }),
  mailer: new OutboxMailer(outbox),
  now: () => new Date('2031-03-10T03:00:05.000Z'),
  newId: (() => {
    let n = 0;
    return () => {
      n += 1;
      return `01JID${String(n).padStart(21, '0')}`;
    };
  })(),
});

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('expiry shard keys', () => {
  it('gives every grant id the same two-digit shard from 00 to 15', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (id) => {
        const shard = expiryShard(id);
        expect(shard).toMatch(/^(0\d|1[0-5])$/);
        expect(expiryShard(id)).toBe(shard);
        expect(EXPIRY_SHARD_IDS).toContain(shard);
      }),
    );
  });

  it('spreads 20,000 grant ids of one import evenly over the shards', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const shard = expiryShard(`01JBULK${String(i).padStart(19, '0')}`);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }

    expect(counts.size).toBe(EXPIRY_SHARDS);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan((20_000 / EXPIRY_SHARDS) * 0.9);
      expect(count).toBeLessThan((20_000 / EXPIRY_SHARDS) * 1.1);
    }
  });

  it('keys the expiry index, the notice and its queue by the shard of the grant id', () => {
    const id = '01JGRANT000000000000000001';
    const shard = expiryShard(id);

    expect(rightsKeys.grantExpiryShard('2031-03-10', '0403019261', id)).toEqual({
      GSI2PK: `GRANT_EXPIRY#2031-03-10#${shard}`,
      GSI2SK: `0403019261#${id}`,
    });
    expect(rightsKeys.grantNotice(id, 'expired')).toEqual({ PK: `GRANT_NOTICE#${id}#expired`, SK: 'NOTICE' });
    expect(rightsKeys.pendingGrantNotice(id, 'expiring', '2031-02-24T03:00:00.000Z')).toEqual({
      GSI1PK: `GRANT_NOTICES#${shard}`,
      GSI1SK: `2031-02-24T03:00:00.000Z#${id}#expiring`,
    });
    expect(expiryPartition(UNSHARDED, '2031-03-10')).toBe('GRANT_EXPIRY#2031-03-10');
    expect(expiryPartition('07', '2031-03-10')).toBe('GRANT_EXPIRY#2031-03-10#07');
  });

  it('plans the warning date 14 days ahead, then the 7-day look-back up to today', () => {
    expect(sweepSteps('2031-03-10T03:00:00Z')).toEqual([
      { action: 'warn', date: '2031-03-24' },
      ...['03', '04', '05', '06', '07', '08', '09', '10'].map((day) => ({
        action: 'expire',
        date: `2031-03-${day}`,
      })),
    ]);
  });
});

describe('expireGrant', () => {
  it('removes the grant, appends the audit entry and queues the notice in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    const outcome = await expireGrant(deps(), grant());

    expect(outcome).toBe('done');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]?.Delete).toMatchObject({
      ConditionExpression: 'grantId = :grantId',
      ExpressionAttributeValues: { ':grantId': grant().grantId },
    });
    expect(items[1]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: {
        PK: 'AUDIT#ORG#0403019261',
        action: 'grant-expired',
        actor: 'system',
        subject: grant().personId,
        details: expect.objectContaining({ grantId: grant().grantId, validUntil: grant().validUntil }),
      },
    });
    expect(items[2]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: {
        PK: `GRANT_NOTICE#${grant().grantId}#expired`,
        GSI1PK: `GRANT_NOTICES#${expiryShard(grant().grantId)}`,
        kind: 'expired',
      },
    });
  });

  it('changes nothing and says so when an earlier attempt already removed the grant', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));

    expect(await expireGrant(deps(), grant())).toBe('already');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('tries again when a concurrent transaction cancelled it, and then sees the other attempt', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled('TransactionConflict', 'None', 'None'))
      .rejects(canceled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'));

    expect(await expireGrant(deps(), grant())).toBe('already');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });
});

describe('sendNoticesPage', () => {
  const pending = {
    grantId: grant().grantId,
    kind: 'expired',
    personId: grant().personId,
    orgCode: grant().orgCode,
    application: 'KLIP',
    role: 'raadpleger',
    validUntil: grant().validUntil,
    createdAt: '2031-03-10T03:00:01.000Z',
  };

  it('mails a notice it claimed and marks it sent', async () => {
    const outbox = new Outbox();
    ddb.on(QueryCommand).resolves({ Items: [pending] });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({
      Responses: { t: [{ PK: `PERSON#${grant().personId}`, email: 'ines@example.be', locale: 'nl' }] },
    });
    ddb.on(GetCommand).resolves({ Item: { name: 'Peeters BV' } });

    const state = await sendNoticesPage(deps(outbox), {
      shard: expiryShard(grant().grantId),
      at: '2031-03-10T03:00:00Z',
    });

    expect(state).toMatchObject({ done: true, counts: { sent: 1, skipped: 0, failed: 0 } });
    expect(outbox.list()).toEqual([
      expect.objectContaining({ to: 'ines@example.be', template: 'grant-expired', locale: 'nl' }),
    ]);
    expect(outbox.list()[0]?.text).toContain('Peeters BV');
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.UpdateExpression);
    expect(updates).toEqual([
      'SET claimedUntil = :until, claimedBy = :claim',
      expect.stringContaining('SET sentAt = :at'),
    ]);
  });

  it('sends nothing for a notice another worker holds', async () => {
    const outbox = new Outbox();
    ddb.on(QueryCommand).resolves({ Items: [pending] });
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('held'), { name: 'ConditionalCheckFailedException' }));
    ddb.on(BatchGetCommand).resolves({ Responses: { t: [] } });

    const state = await sendNoticesPage(deps(outbox), { shard: '00', at: '2031-03-10T03:00:00Z' });

    expect(state).toMatchObject({ done: true, counts: { sent: 0, skipped: 1 } });
    expect(outbox.list()).toEqual([]);
  });
});

describe('runGrantExpiryTask', () => {
  it('refuses an event of an unknown shard or without a time before touching the table', async () => {
    await expect(
      runGrantExpiryTask(deps(), { action: 'sweep', state: { shard: '16', at: '2031-03-10T03:00:00Z' } }),
    ).rejects.toThrow();
    await expect(runGrantExpiryTask(deps(), { action: 'send', state: { shard: '00' } })).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });

  it('adds up the counts of the shards', async () => {
    const counts = { warned: 1, expired: 2, alreadyDone: 0, sent: 3, withoutEmail: 0, failed: 0, skipped: 1 };

    const total = await runGrantExpiryTask(deps(), {
      action: 'summarise',
      sweep: [
        { shard: '00', counts },
        { shard: '01', counts },
      ],
      send: [{ shard: '00', counts }],
    });

    expect(total).toEqual({
      warned: 3,
      expired: 6,
      alreadyDone: 0,
      sent: 9,
      withoutEmail: 0,
      failed: 0,
      skipped: 3,
    });
  });
});
