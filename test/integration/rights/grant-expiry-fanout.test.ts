import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { createExpiryRunner, seedExpiringGrants, tallyExpiry } from '#test/helpers/grant-expiry';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const mailsOf = (runner: ReturnType<typeof createExpiryRunner>, template: string) =>
  runner.outbox.list().filter((mail) => mail.template === template);

describe('grant expiry fan-out (synthesized state machine, DynamoDB Local)', () => {
  it('expires 20,000 grants of one date with one audit entry and one notice each, and a second run changes nothing', async () => {
    // Prepare: a bulk import's day, all on one date
    const date = '2031-03-10';
    const seeded = await seedExpiringGrants(table, { count: 20_000, validUntil: `${date}T00:00:00.000Z` });
    const runner = createExpiryRunner(table);
    const at = `${date}T03:00:00Z`;

    // Act
    const first = await runner.run(at);
    const mailsAfterFirst = runner.outbox.list().length;
    const second = await runner.run(at);

    // Assess
    expect(first.status, first.error).toBe('SUCCEEDED');
    expect(first.output).toMatchObject({ expired: 20_000, sent: 20_000, failed: 0, withoutEmail: 0 });
    const expired = mailsOf(runner, 'grant-expired');
    expect(expired).toHaveLength(20_000);
    expect(new Set(expired.map((mail) => mail.to)).size).toBe(20_000);
    expect(await tallyExpiry(table, seeded.orgCodes, date)).toEqual({
      auditEntries: 20_000,
      grantsLeft: 0,
      pendingNotices: 0,
    });
    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toMatchObject({ warned: 0, expired: 0, sent: 0, failed: 0 });
    expect(runner.outbox.list()).toHaveLength(mailsAfterFirst);
    await runner.close();
  }, 900_000);

  it('tells and audits each grant once when two runs sweep the same shards at the same time', async () => {
    // Prepare: grants ending today (expired) and in 14 days (warned), some still unsharded
    const at = '2032-05-20T03:00:00Z';
    const ending = await seedExpiringGrants(table, { count: 1_500, validUntil: '2032-05-20T00:00:00.000Z' });
    const legacy = await seedExpiringGrants(table, {
      count: 300,
      validUntil: '2032-05-19T12:00:00.000Z',
      unsharded: true,
    });
    const warned = await seedExpiringGrants(table, { count: 700, validUntil: '2032-06-03T12:00:00.000Z' });
    const runner = createExpiryRunner(table);

    // Act: two executions at once, then a third after both
    const [a, b] = await Promise.all([runner.run(at), runner.run(at)]);
    const c = await runner.run(at);

    // Assess
    expect([a.status, b.status, c.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const total = (key: 'expired' | 'warned' | 'sent') => (a.output?.[key] ?? 0) + (b.output?.[key] ?? 0);
    expect(total('expired')).toBe(1_800);
    expect(total('warned')).toBe(700);
    expect(total('sent')).toBe(2_500);
    expect(c.output).toMatchObject({ expired: 0, warned: 0, sent: 0 });
    const expiredMails = mailsOf(runner, 'grant-expired');
    const warnings = mailsOf(runner, 'grant-expiring');
    expect(expiredMails).toHaveLength(1_800);
    expect(new Set(expiredMails.map((mail) => mail.to)).size).toBe(1_800);
    expect(warnings).toHaveLength(700);
    expect(new Set(warnings.map((mail) => mail.to)).size).toBe(700);
    expect(await tallyExpiry(table, ending.orgCodes, '2032-05-20')).toMatchObject({
      auditEntries: 1_500,
      grantsLeft: 0,
      pendingNotices: 0,
    });
    expect((await tallyExpiry(table, legacy.orgCodes, '2032-05-19')).auditEntries).toBe(300);
    // Warned grants stay until their day, and nothing audits them yet.
    expect(await tallyExpiry(table, warned.orgCodes, '2032-06-03')).toMatchObject({
      auditEntries: 0,
      grantsLeft: 700,
    });
    await runner.close();
  }, 600_000);
});
