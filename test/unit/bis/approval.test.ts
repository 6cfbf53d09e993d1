import { describe, expect, it, vi } from 'vitest';
import { runWorkflowTask } from '#shared/approval/runtime';
import type { MailMessage } from '#shared/mailer';
import { bisRegistrationApproval } from '../../../lambdas/bis/approval.ts';
import { RegistrationStateError } from '../../../lambdas/bis/errors.ts';
import type { BisTaskDeps } from '../../../lambdas/bis/ports.ts';
import { decision, fakeRepository, registration, taskDeps } from './fakes.ts';

const handleBisTask = (deps: BisTaskDeps, payload: unknown) =>
  runWorkflowTask(bisRegistrationApproval(deps), payload);

const task = (action: string, state: Record<string, unknown> = {}, taskToken?: string) => ({
  action,
  requestId: '01JZREG0000000000000000001',
  state: { requestId: '01JZREG0000000000000000001', ...state },
  ...(taskToken ? { taskToken } : {}),
});

describe('runWorkflowTask with the BIS adapter', () => {
  it('mails the applicant and the agents when a request is submitted (round 1)', async () => {
    const sent: MailMessage[] = [];
    const repository = fakeRepository({ getRegistration: vi.fn(async () => registration()) });

    await handleBisTask(taskDeps(repository, sent), task('notify-approvers'));

    expect(sent.map((m) => [m.template, m.to, m.idempotencyKey])).toEqual([
      ['bis-submitted', 'jl@example.fr', '01JZREG0000000000000000001:bis-submitted'],
      ['bis-review-requested', 'agents@example.be', '01JZREG0000000000000000001:bis-review-requested:1'],
    ]);
  });

  it('mails only the agents, with a new key, when a corrected request is back in review', async () => {
    const sent: MailMessage[] = [];
    const repository = fakeRepository({ getRegistration: vi.fn(async () => registration({ round: 2 })) });

    await handleBisTask(taskDeps(repository, sent), task('notify-approvers'));

    expect(sent.map((m) => m.idempotencyKey)).toEqual(['01JZREG0000000000000000001:bis-review-requested:2']);
  });

  it('keeps personal data out of every idempotency key when it mails the outcome', async () => {
    const sent: MailMessage[] = [];
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ status: 'APPROVED', bisNumber: '85493001153' })),
    });

    await handleBisTask(taskDeps(repository, sent), task('notify-requester'));

    expect(sent[0]).toMatchObject({
      template: 'bis-approved',
      locale: 'fr',
      data: { bisNumber: '85.49.30-011.53' },
    });
    expect(sent[0]?.idempotencyKey).toBe('01JZREG0000000000000000001:bis-approved');
  });

  it('throws RegistrationStateError when asked to wait for a decision of a closed request', async () => {
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ status: 'EXPIRED' })),
      storeDecisionToken: vi.fn(async () => false),
    });

    await expect(
      handleBisTask(taskDeps(repository), task('await-decision', {}, 'tok')),
    ).rejects.toBeInstanceOf(RegistrationStateError);
  });

  it('mails the correction request before it stores the token', async () => {
    const order: string[] = [];
    const pending = decision({ decision: 'request-correction', reason: 'Street missing' });
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ decision: pending })),
      requestCorrection: vi.fn(async () => {
        order.push('store');
        return true;
      }),
    });
    const deps = taskDeps(repository);
    deps.mailer = { send: vi.fn(async () => void order.push('mail')) };

    await handleBisTask(
      deps,
      task(
        'await-correction',
        { decision: { decision: 'request-correction', decisionId: pending.decisionId } },
        'tok',
      ),
    );

    expect(order).toEqual(['mail', 'store']);
  });

  it('reports the outcome again without writing when apply-outcome is retried after success', async () => {
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ status: 'REJECTED' })),
    });

    expect(
      await handleBisTask(taskDeps(repository), task('apply-outcome', { decision: { decision: 'reject' } })),
    ).toEqual({
      status: 'REJECTED',
    });
  });

  it('closes an open request and records only the error name when a step failed for good', async () => {
    const close = vi.fn(async () => true);
    const repository = fakeRepository({ getRegistration: vi.fn(async () => registration()), close });

    await handleBisTask(
      taskDeps(repository),
      task('record-failure', {
        failure: { Error: 'BisSequenceExhaustedError', Cause: '{"errorMessage":"secret"}' },
      }),
    );

    expect(close).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ event: 'failed', reason: 'Processing failed (BisSequenceExhaustedError).' }),
    );
    expect(JSON.stringify(close.mock.calls)).not.toContain('secret');
  });

  it('refuses a payload that is not a workflow task event', async () => {
    await expect(handleBisTask(taskDeps(fakeRepository()), { action: 'dance' })).rejects.toThrow();
  });
});
