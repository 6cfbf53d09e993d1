/**
 * The identity notices sender on DynamoDB Local with the outbox mailer behind the idempotent
 * mailer, as the sandbox runs it: each notice is mailed once to each known address, also when the
 * job runs twice or two runs overlap, and leaves the pending index.
 */
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoNoticeStore } from '#identity/notices/notice-store';
import { sendPendingNotices } from '#identity/notices/send-notices';
import { newId } from '#shared/ids';
import { identityKeys, keys, nativeKeys } from '#shared/keys';
import { IdempotentMailer, Outbox, OutboxMailer } from '#shared/mailer';
import { type ActivityEvent, MAILED_ACTIVITY_EVENTS, recordActivity } from '#shared/person-activity';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

let table: TestTable;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const INSZ = '64081212345';

function sender(outbox: Outbox) {
  const options = { tableName: table.tableName, documentClient: table.documentClient };
  return () =>
    sendPendingNotices({
      store: createDynamoNoticeStore(options),
      mailer: new IdempotentMailer(new OutboxMailer(outbox), { ...options, logger: silent }),
      now: () => new Date(),
      logger: silent,
    });
}

async function person(profile: Record<string, unknown>, nativeEmail?: string): Promise<string> {
  const personId = newId();
  const put = (Item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
  await put({ ...keys.person(personId), type: 'person', personId, insz: INSZ, ...profile });
  if (nativeEmail) {
    await put({
      ...nativeKeys.account(personId),
      type: 'nativeAccount',
      personId,
      username: 'ea-abcdefghjk',
      email: nativeEmail,
      locale: 'fr',
    });
  }
  return personId;
}

async function queue(personId: string, event: ActivityEvent, extra: Record<string, string> = {}) {
  await table.documentClient.send(
    new TransactWriteCommand({
      TransactItems: recordActivity(
        table.tableName,
        { personId, at: new Date().toISOString(), event, actor: 'self', provider: 'itsme', ...extra },
        () => newId(),
      ),
    }),
  );
}

async function pending() {
  const output = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': identityKeys.pendingNoticesPartition() },
    }),
  );
  return output.Items ?? [];
}

describe('identity notices sender (DynamoDB Local)', () => {
  it("mails every notice once to each of the person's known addresses, also when the job runs twice", async () => {
    const outbox = new Outbox();
    const run = sender(outbox);
    const personId = await person(
      { email: 'jan.peeters@example.be', locale: 'nl' },
      'Jan.Peeters@example.be',
    );
    const other = await person({ email: 'not-an-address', locale: 'de' }, 'lotte@example.be');
    await queue(personId, 'insz-linked');
    await queue(personId, 'join-refused');
    await queue(other, 'identities-joined', { reference: 'REF-1' });

    const first = await run();
    const second = await run();

    expect(first).toMatchObject({ sent: 3, mails: 3, failed: 0 });
    expect(second).toMatchObject({ sent: 0, mails: 0 });
    const mails = outbox.listWithIds();
    expect(mails.map((mail) => `${mail.to} ${mail.template} ${mail.locale}`).sort()).toEqual([
      'jan.peeters@example.be identity-insz-linked nl',
      'jan.peeters@example.be identity-join-refused nl',
      'lotte@example.be identity-identities-joined fr',
    ]);
    for (const mail of mails) {
      expect(mail.text).not.toContain(INSZ);
      expect(mail.text).not.toMatch(/\{\{/);
    }
    expect(mails.find((mail) => mail.template === 'identity-join-refused')?.text).toContain('itsme');
    expect(await pending()).toEqual([]);
    const notices = (await table.snapshot()).filter((item) => String(item.PK).startsWith('NOTICE#'));
    expect(notices.every((notice) => typeof notice.sentAt === 'string' && notice.GSI1PK === undefined)).toBe(
      true,
    );
  });

  it('sends each notice once when two runs overlap', async () => {
    const outbox = new Outbox();
    const run = sender(outbox);
    const personId = await person({ email: 'overlap@example.be' });
    for (let i = 0; i < 5; i++) await queue(personId, 'identity-linked');

    const reports = await Promise.all([run(), run()]);

    expect(reports.reduce((sum, report) => sum + report.mails, 0)).toBe(5);
    expect(outbox.list().filter((mail) => mail.to === 'overlap@example.be')).toHaveLength(5);
    expect(await pending()).toEqual([]);
  });

  it('takes a notice off the queue without mail when the person has no known address', async () => {
    const outbox = new Outbox();
    const personId = await person({});
    await queue(personId, 'insz-suspended', { reference: 'CASE-1' });

    const report = await sender(outbox)();

    expect(report).toMatchObject({ withoutAddress: 1, mails: 0 });
    expect(outbox.list()).toEqual([]);
    expect(await pending()).toEqual([]);
  });

  it('has a template for every activity event, in every locale', async () => {
    const outbox = new Outbox();
    const personId = await person({ email: 'all-events@example.be', locale: 'de' });
    for (const event of MAILED_ACTIVITY_EVENTS) await queue(personId, event, { reference: 'REF-2' });

    const report = await sender(outbox)();

    expect(report.failed).toBe(0);
    expect(new Set(outbox.list().map((mail) => mail.template)).size).toBe(MAILED_ACTIVITY_EVENTS.length);
  });
});
