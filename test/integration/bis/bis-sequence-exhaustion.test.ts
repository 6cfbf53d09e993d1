import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { parseInsz } from '#shared/belgian-ids';
import { bisKeys } from '#shared/keys';
import { harnessSuite } from '#test/helpers/context-harness';
import {
  type BisHarness,
  bisDefinition,
  createBisHarness,
  eidasPerson,
  expectProblem,
  personData,
} from './harness.ts';

const SLOW = timeScaleForDay(2_000);

const suite = harnessSuite(bisDefinition, createBisHarness);

/** A birth date no other test of this table uses, so its counter is this test's own. */
let nextDay = 0;
function uniqueBirthDate(): string {
  nextDay++;
  const date = new Date(Date.UTC(1931, 0, 1 + nextDay * 37));
  return date.toISOString().slice(0, 10);
}

function harness(): { h: BisHarness; signals: number[] } {
  const h = suite.harness({ timeScale: SLOW });
  const signals: number[] = [];
  h.apiDeps.signals = { sequenceExhausted: () => signals.push(Date.now()) };
  return { h, signals };
}

async function setCounter(birthDate: string, sex: 'M' | 'F', next: number): Promise<void> {
  await suite.table.documentClient.send(
    new PutCommand({
      TableName: suite.table.tableName,
      Item: { ...bisKeys.sequence(birthDate, sex), type: 'bisSequence', next },
    }),
  );
}

async function counter(birthDate: string, sex: 'M' | 'F'): Promise<unknown> {
  const out = await suite.table.documentClient.send(
    new GetCommand({
      TableName: suite.table.tableName,
      Key: bisKeys.sequence(birthDate, sex),
      ConsistentRead: true,
    }),
  );
  return out.Item?.next;
}

async function pendingRegistration(h: BisHarness, birthDate: string): Promise<string> {
  const person = eidasPerson({ birthDate });
  await h.seedPerson(person);
  const answer = await h.submit(person, personData({ birthDate }));
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const registrationId = String(answer.body.registrationId);
  await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
  return registrationId;
}

describe('BIS sequence exhaustion (DynamoDB Local, synthesized state machine)', () => {
  it('issues the last number (SSS 997) when 498 are taken, then refuses the next approval with 422 and writes nothing', async () => {
    const { h, signals } = harness();
    const birthDate = uniqueBirthDate();
    await setCounter(birthDate, 'M', 498);
    const last = await pendingRegistration(h, birthDate);
    const refused = await pendingRegistration(h, birthDate);

    const approved = await h.decide(last, { decision: 'approve' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await expect
      .poll(async () => (await h.apiDeps.repository.getRegistration(last))?.status)
      .toBe('APPROVED');
    const issued = (await h.apiDeps.repository.getRegistration(last))?.bisNumber as string;
    expect(parseInsz(issued)).toMatchObject({ kind: 'BIS', birthDate, sex: 'M' });
    expect(issued.slice(6, 9)).toBe('997');
    const before = await h.apiDeps.repository.getRegistration(refused);

    const answer = await h.decide(refused, { decision: 'approve' });

    expectProblem(answer, 422);
    expect(answer.body).toMatchObject({ code: 'bis-sequence-exhausted' });
    expect(await h.apiDeps.repository.getRegistration(refused)).toEqual(before);
    expect(before).toMatchObject({ status: 'PENDING_REVIEW', waiting: true });
    expect(await counter(birthDate, 'M')).toBe(499);
    expect(signals).toHaveLength(1);
  });

  it('explains the refusal in the agent’s language and keeps the request decidable by a rejection', async () => {
    const { h } = harness();
    const birthDate = uniqueBirthDate();
    await setCounter(birthDate, 'M', 499);
    const registrationId = await pendingRegistration(h, birthDate);

    const dutch = await h.call({
      persona: 'bisAgent',
      method: 'POST',
      resource: '/agent/bis-registrations/{id}/decision',
      pathParameters: { id: registrationId },
      headers: { 'Accept-Language': 'nl-BE' },
      body: { decision: 'approve' },
    });
    const rejected = await h.decide(registrationId, {
      decision: 'reject',
      reason: 'No BIS number is left for this birth date: referred to the register.',
    });

    expectProblem(dutch, 422);
    expect(dutch.body.detail).toMatch(/geen BIS-nummer meer vrij/);
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    await expect
      .poll(async () => (await h.apiDeps.repository.getRegistration(registrationId))?.status)
      .toBe('REJECTED');
  });
});
