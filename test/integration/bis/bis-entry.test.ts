import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { parseInsz } from '#shared/belgian-ids';
import { outbox } from '#shared/mailer';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';
import { AGENTS_EMAIL } from './bis-stack.ts';
import { bisDefinition, createBisHarness, eidasPerson } from './harness.ts';

let table: TestTable;

beforeAll(async () => {
  bisDefinition();
  table = await createTestTable();
});

afterAll(async () => {
  await table?.dispose();
});

describe('lambdas/bis/workflow-task.ts (the Lambda entry)', () => {
  it('runs the whole approval from its environment when the state machine routes tasks to it', async () => {
    stubLocalEnv({
      TABLE_NAME: table.tableName,
      BIS_AGENTS_EMAIL: AGENTS_EMAIL,
      MAIL_TRANSPORT: 'outbox',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    const { handler } = await import('../../../lambdas/bis/workflow-task.ts');
    outbox.clear();
    const h = createBisHarness(table, { timeScale: timeScaleForDay(2_000), taskHandler: handler });
    try {
      const person = eidasPerson();
      await h.seedPerson(person);
      const submitted = await h.submit(person);
      const registrationId = String(submitted.body.registrationId);
      await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');

      await h.decide(registrationId, { decision: 'approve' });
      const done = await h.runner.waitForCompletion(registrationId);
      const view = await h.get(registrationId, person.personId);

      expect(done.status).toBe('SUCCEEDED');
      expect(parseInsz(String(view.body.bisNumber)).kind).toBe('BIS');
      expect(
        outbox
          .list()
          .map((m) => m.template)
          .toReversed(),
      ).toEqual(['bis-submitted', 'bis-review-requested', 'bis-approved']);
    } finally {
      await h.close();
      outbox.clear();
    }
  });
});
