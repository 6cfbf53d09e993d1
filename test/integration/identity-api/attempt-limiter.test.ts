import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoAttemptLimiter } from '#identity/api/attempt-limiter';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

const limiter = () =>
  createDynamoAttemptLimiter({
    tableName: table.tableName,
    documentClient: table.documentClient,
    maxAttempts: 5,
  });

describe('attempt limiter (DynamoDB Local)', () => {
  it('opens the window with the first attempt in one write, with a TTL', async () => {
    const personId = newId();
    const now = new Date('2026-03-01T10:00:00.000Z');

    expect(await limiter().take(personId, now)).toEqual({ allowed: true });

    const [counter] = (await table.snapshot()).filter(
      (item) => item.PK === keys.inszCheckAttempts(personId).PK,
    );
    expect(counter).toMatchObject({
      attempts: 1,
      windowStart: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
      type: 'inszCheckAttempts',
    });
  });

  it('never lets concurrent attempts take more than the limit', async () => {
    const personId = newId();
    const now = new Date();

    const results = await Promise.all(Array.from({ length: 12 }, () => limiter().take(personId, now)));

    expect(results.filter((result) => result.allowed)).toHaveLength(5);
    expect(results.filter((result) => !result.allowed)).toHaveLength(7);
  });

  it('refuses until the window ends, then opens a new one', async () => {
    const personId = newId();
    const start = new Date('2026-03-01T10:00:00.000Z');
    for (let i = 0; i < 5; i++) expect((await limiter().take(personId, start)).allowed).toBe(true);

    const refused = await limiter().take(personId, new Date(start.getTime() + 3_600_000));
    const later = await limiter().take(personId, new Date(start.getTime() + 86_400_000 + 1000));

    expect(refused).toEqual({ allowed: false, retryAt: new Date(start.getTime() + 86_400_000) });
    expect(later).toEqual({ allowed: true });
  });
});
