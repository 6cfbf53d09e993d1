import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { formatInsz, parseInsz } from '#shared/belgian-ids';
import { TransientError } from '#shared/errors';
import { newId } from '#shared/ids';
import { bisKeys, keys } from '#shared/keys';
import { harnessSuite } from '#test/helpers/context-harness';
import { AGENTS_EMAIL } from './bis-stack.ts';
import {
  type BisHarness,
  type BisHarnessOptions,
  bisDefinition,
  createBisHarness,
  type EidasPerson,
  eidasPerson,
  expectProblem,
  failingOnce,
  personData,
} from './harness.ts';

/** One day of workflow time: long enough that no 30-day wait fires during a test (60 s). */
const SLOW = timeScaleForDay(2_000);

const suite = harnessSuite(bisDefinition, createBisHarness);

const harness = (options: BisHarnessOptions = { timeScale: SLOW }): BisHarness => suite.harness(options);

async function getItem(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
  const out = await suite.table.documentClient.send(
    new GetCommand({ TableName: suite.table.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

async function submitted(h: BisHarness, person: EidasPerson = eidasPerson()): Promise<[string, EidasPerson]> {
  await h.seedPerson(person);
  const answer = await h.submit(person);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const registrationId = String(answer.body.registrationId);
  await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
  return [registrationId, person];
}

describe('BIS registration workflow (local, from the synthesized state machine)', () => {
  it('issues, registers, links and mails a valid BIS number when an agent approves', async () => {
    const h = harness();
    const person = eidasPerson({ locale: 'fr-BE' });
    await h.seedPerson(person);

    const accepted = await h.submit(person);
    const registrationId = String(accepted.body.registrationId);
    await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
    const decided = await h.decide(registrationId, { decision: 'approve' });
    const done = await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);

    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ registrationId, status: 'PENDING_REVIEW' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ registrationId, decision: 'approve' });
    expect(done.status).toBe('SUCCEEDED');
    expect(view.body).toMatchObject({ status: 'APPROVED' });
    const bisNumber = String(view.body.bisNumber);
    expect(parseInsz(bisNumber)).toMatchObject({ kind: 'BIS', birthDate: '1990-05-17', sex: 'M' });
    expect((view.body.history as { event: string }[]).map((e) => e.event)).toEqual(['submitted', 'approved']);
    expect(await getItem(keys.person(person.personId))).toMatchObject({
      insz: bisNumber,
      inszEvidence: 'bis-issued',
    });
    expect(await getItem(keys.inszLink(bisNumber))).toMatchObject({
      personId: person.personId,
      evidence: 'bis-issued',
      loa: 'substantial',
      linkedAt: expect.any(String),
    });
    expect(await getItem(keys.registeredPerson(bisNumber))).toMatchObject({
      GSI2PK: 'BORN#1990-05-17',
      GSI2SK: `REGISTER#${bisNumber}`,
      insz: bisNumber,
      givenNames: 'José María',
      familyName: 'García López',
      birthDate: '1990-05-17',
    });
    expect(await getItem(bisKeys.openRequest(person.personId))).toBeUndefined();
    const mails = h.mails();
    expect(mails.map((m) => [m.template, m.to, m.locale])).toEqual([
      ['bis-submitted', 'jose.garcia@example.es', 'fr'],
      ['bis-review-requested', AGENTS_EMAIL, 'en'],
      ['bis-approved', 'jose.garcia@example.es', 'fr'],
    ]);
    expect(mails.at(-1)?.text).toContain(formatInsz(bisNumber));
  });

  it('never lets a task token reach a response, a mail or the execution output when the flow runs', async () => {
    const h = harness();
    const [registrationId, person] = await submitted(h);
    const token = (await getItem(bisKeys.registration(registrationId)))?.taskToken;

    const agentView = await h.call({
      persona: 'bisAgent',
      resource: '/bis-registrations/{id}',
      pathParameters: { id: registrationId },
    });
    const queue = await h.call({ persona: 'bisAgent', resource: '/agent/bis-registrations' });
    await h.decide(registrationId, { decision: 'approve' });
    const done = await h.runner.waitForCompletion(registrationId);
    const ownerView = await h.get(registrationId, person.personId);

    expect(typeof token).toBe('string');
    for (const text of [
      agentView.raw.body,
      queue.raw.body,
      ownerView.raw.body,
      JSON.stringify(h.mails()),
      JSON.stringify(done.output),
    ]) {
      expect(text).not.toContain(String(token));
      expect(text).not.toContain('AQLocal');
    }
    expect(JSON.stringify(done.output)).not.toContain(String(ownerView.body.bisNumber));
  });

  it('closes the request as REJECTED with the reason, mails it and allows a new request when an agent rejects', async () => {
    const h = harness();
    const [registrationId, person] = await submitted(h);

    const decided = await h.decide(registrationId, {
      decision: 'reject',
      reason: 'Passport copy unreadable',
    });
    await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);
    const again = await h.submit(person);

    expect(decided.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'REJECTED', reason: 'Passport copy unreadable' });
    expect(view.body).not.toHaveProperty('bisNumber');
    expect(view.body.history).toEqual([
      expect.objectContaining({ event: 'submitted', actor: 'applicant' }),
      expect.objectContaining({ event: 'rejected', actor: 'agent', reason: 'Passport copy unreadable' }),
    ]);
    const rejected = h.mails().find((m) => m.template === 'bis-rejected');
    expect(rejected?.text).toContain('Passport copy unreadable');
    expect(await getItem(keys.person(person.personId))).not.toHaveProperty('insz');
    expect(again.status).toBe(202);
  });

  it('goes back to review and then approves when the agent requests a correction and the applicant corrects', async () => {
    const h = harness();
    const [registrationId, person] = await submitted(h);

    const sendBack = await h.decide(registrationId, {
      decision: 'request-correction',
      reason: 'Street missing',
    });
    await h.waitUntilWaiting(registrationId, 'NEEDS_CORRECTION');
    const inCorrection = await h.get(registrationId, person.personId);
    const tooEarly = await h.decide(registrationId, { decision: 'approve' });
    const corrected = await h.call({
      persona: 'user',
      claims: { person_id: person.personId },
      method: 'POST',
      resource: '/bis-registrations/{id}/corrections',
      pathParameters: { id: registrationId },
      body: personData({
        address: {
          street: 'Wetstraat',
          houseNumber: '16',
          postalCode: '1040',
          city: 'Etterbeek',
          country: 'BE',
        },
      }),
    });
    await h.waitUntilWaiting(registrationId, 'PENDING_REVIEW');
    const correctedAgain = await h.call({
      persona: 'user',
      claims: { person_id: person.personId },
      method: 'POST',
      resource: '/bis-registrations/{id}/corrections',
      pathParameters: { id: registrationId },
      body: personData(),
    });
    await h.decide(registrationId, { decision: 'approve' });
    await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);

    expect(sendBack.status).toBe(200);
    expect(inCorrection.body).toMatchObject({ status: 'NEEDS_CORRECTION', reason: 'Street missing' });
    expectProblem(tooEarly, 409);
    expect(corrected.status).toBe(200);
    expect(corrected.body).toEqual({ registrationId, status: 'PENDING_REVIEW' });
    expectProblem(correctedAgain, 409);
    expect(view.body).toMatchObject({ status: 'APPROVED', data: { address: { street: 'Wetstraat' } } });
    expect((view.body.history as { event: string }[]).map((e) => e.event)).toEqual([
      'submitted',
      'correction-requested',
      'corrected',
      'approved',
    ]);
    expect(h.mails().map((m) => m.template)).toEqual([
      'bis-submitted',
      'bis-review-requested',
      'bis-correction-requested',
      'bis-review-requested',
      'bis-approved',
    ]);
    expect(h.mails()[2]?.text).toContain('Street missing');
  });

  it('expires the request with a notice when no agent decides within 30 days (scaled)', async () => {
    const h = harness({ timeScale: timeScaleForDay(10) });
    const [registrationId, person] = await submitted(h);

    const done = await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);
    const late = await h.decide(registrationId, { decision: 'approve' });

    expect(done.status).toBe('SUCCEEDED');
    expect(view.body).toMatchObject({ status: 'EXPIRED' });
    expect(view.body.history).toContainEqual(
      expect.objectContaining({ event: 'expired', actor: 'system', reason: 'No decision was made in time.' }),
    );
    expect(h.mails().map((m) => m.template)).toContain('bis-expired');
    expectProblem(late, 409);
    expect(await getItem(bisKeys.openRequest(person.personId))).toBeUndefined();
  });

  it('expires the request with a notice when the applicant does not correct within 30 days (scaled)', async () => {
    const h = harness({ timeScale: timeScaleForDay(20) });
    const [registrationId, person] = await submitted(h);

    await h.decide(registrationId, { decision: 'request-correction', reason: 'Photo missing' });
    const done = await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);

    expect(done.status).toBe('SUCCEEDED');
    expect(view.body).toMatchObject({ status: 'EXPIRED' });
    expect((view.body.history as { event: string; reason?: string }[]).slice(-2)).toEqual([
      expect.objectContaining({ event: 'correction-requested', reason: 'Photo missing' }),
      expect.objectContaining({ event: 'expired', reason: 'No correction was received in time.' }),
    ]);
    expect(
      h
        .mails()
        .map((m) => m.template)
        .slice(-2),
    ).toEqual(['bis-correction-requested', 'bis-expired']);
  });

  it('answers 409 and marks the request EXPIRED when the stored token is no longer valid', async () => {
    const h = harness();
    const [registrationId, person] = await submitted(h);
    await h.runner.stop(registrationId);

    const decided = await h.decide(registrationId, { decision: 'approve' });
    const view = await h.get(registrationId, person.personId);

    expectProblem(decided, 409);
    expect(view.body).toMatchObject({ status: 'EXPIRED' });
    expect(await getItem(keys.person(person.personId))).not.toHaveProperty('insz');
  });

  it('retries the mail step and mails each message once when SES fails transiently once', async () => {
    const h = harness({
      timeScale: SLOW,
      wrapMailer: failingOnce('bis-review-requested', () => new TransientError('SES throttled')),
    });
    const [registrationId] = await submitted(h);

    await h.decide(registrationId, { decision: 'approve' });
    const done = await h.runner.waitForCompletion(registrationId);

    expect(done.status).toBe('SUCCEEDED');
    expect(h.runner.history(registrationId)).toContainEqual(
      expect.objectContaining({
        type: 'StateRetried',
        state: expect.objectContaining({ name: 'NotifyApprovers' }),
      }),
    );
    expect(h.mails().map((m) => m.template)).toEqual([
      'bis-submitted',
      'bis-review-requested',
      'bis-approved',
    ]);
  });

  it('lets exactly one of two concurrent approvals win (200) and refuses the other (409)', async () => {
    const h = harness();
    const [registrationId, person] = await submitted(h);

    const answers = await Promise.all([
      h.decide(registrationId, { decision: 'approve' }, newId()),
      h.decide(registrationId, { decision: 'approve' }, newId()),
    ]);
    await h.runner.waitForCompletion(registrationId);
    const view = await h.get(registrationId, person.personId);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409);
    expect(loser).toBeDefined();
    if (loser) expectProblem(loser, 409);
    expect(view.body).toMatchObject({ status: 'APPROVED' });
    expect(h.mails().filter((m) => m.template === 'bis-approved')).toHaveLength(1);
  });

  it('issues 50 distinct valid BIS numbers when 50 people with the same birth date are approved in parallel', async () => {
    const h = harness();
    const people = Array.from({ length: 50 }, () =>
      eidasPerson({ givenNames: 'Anna', familyName: `Nowak ${newId().slice(-6)}`, birthDate: '1985-09-30' }),
    );
    await Promise.all(people.map((p) => h.seedPerson(p)));

    const submissions = await Promise.all(
      people.map((p) =>
        h.submit(
          p,
          personData({ givenNames: 'Anna', familyName: p.familyName, birthDate: '1985-09-30', sex: 'F' }),
        ),
      ),
    );
    const ids = submissions.map((s) => String(s.body.registrationId));
    await Promise.all(ids.map((id) => h.waitUntilWaiting(id, 'PENDING_REVIEW')));
    const decisions = await Promise.all(ids.map((id) => h.decide(id, { decision: 'approve' })));
    await Promise.all(ids.map((id) => h.runner.waitForCompletion(id, 30_000)));
    const views = await Promise.all(ids.map((id, i) => h.get(id, people[i]?.personId ?? '')));

    expect(submissions.every((s) => s.status === 202)).toBe(true);
    expect(decisions.every((d) => d.status === 200)).toBe(true);
    const numbers = views.map((v) => String(v.body.bisNumber));
    expect(new Set(numbers).size).toBe(50);
    for (const number of numbers) {
      expect(parseInsz(number)).toMatchObject({ kind: 'BIS', birthDate: '1985-09-30', sex: 'F' });
    }
  }, 60_000);
});
