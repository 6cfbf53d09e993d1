import { describe, expect, it, vi } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '#shared/errors';
import { TaskTokenExpiredError } from '#shared/workflow';
import { decideRegistration } from '../../../lambdas/bis/decide-registration.ts';
import { AGENT_ID, agent, apiDeps, data, fakeRepository, fakeWorkflow, registration } from './fakes.ts';

const TOKEN = 'AQLocal-stored-token';

describe('decideRegistration', () => {
  it('claims the decision, then answers the stored token with the decision and its id only', async () => {
    const claimDecision = vi.fn(async () => TOKEN);
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ registrationId: 'r1' })),
      claimDecision,
    });
    const workflow = fakeWorkflow();

    const answer = await decideRegistration(apiDeps(repository, workflow), agent(), 'r1', {
      decision: 'reject',
      reason: 'Forged document',
    });

    expect(answer).toEqual({ registrationId: 'r1', status: 'PENDING_REVIEW', decision: 'reject' });
    expect(claimDecision).toHaveBeenCalledWith(
      'r1',
      expect.objectContaining({ decision: 'reject', reason: 'Forged document', decidedBy: AGENT_ID }),
      expect.any(String),
    );
    const [[token, output]] = vi.mocked(workflow.sendTaskSuccess).mock.calls as [
      [string, Record<string, unknown>],
    ];
    expect(token).toBe(TOKEN);
    expect(Object.keys(output).sort()).toEqual(['decision', 'decisionId']);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });

  it('closes the request as EXPIRED and answers 409 when the token is no longer valid', async () => {
    const close = vi.fn(async () => true);
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ registrationId: 'r1' })),
      claimDecision: vi.fn(async () => TOKEN),
      close,
    });
    const workflow = fakeWorkflow({
      sendTaskSuccess: vi.fn(async () => {
        throw new TaskTokenExpiredError();
      }),
    });

    const error = await decideRegistration(apiDeps(repository, workflow), agent(), 'r1', {
      decision: 'approve',
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskTokenExpiredError);
    expect((error as ConflictError).status).toBe(409);
    expect(close).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ event: 'expired', status: 'EXPIRED' }),
    );
  });

  it('puts the token back and fails when Step Functions fails otherwise', async () => {
    const releaseDecision = vi.fn(async () => undefined);
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ registrationId: 'r1' })),
      claimDecision: vi.fn(async () => TOKEN),
      releaseDecision,
    });
    const workflow = fakeWorkflow({
      sendTaskSuccess: vi.fn(async () => {
        throw new Error('ServiceUnavailable');
      }),
    });

    await expect(
      decideRegistration(apiDeps(repository, workflow), agent(), 'r1', { decision: 'approve' }),
    ).rejects.toThrow('ServiceUnavailable');
    expect(releaseDecision).toHaveBeenCalledWith('r1', expect.any(String), TOKEN);
  });

  it('answers 409 without claiming when the registration is not pending review', async () => {
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ status: 'NEEDS_CORRECTION' })),
    });

    await expect(
      decideRegistration(apiDeps(repository), agent(), 'r1', { decision: 'approve' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(repository.claimDecision).not.toHaveBeenCalled();
  });

  it('answers 404 when the registration does not exist', async () => {
    const repository = fakeRepository({ getRegistration: vi.fn(async () => undefined) });

    await expect(
      decideRegistration(apiDeps(repository), agent(), 'r1', { decision: 'approve' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 403 when the agent decides on their own request', async () => {
    const repository = fakeRepository({
      getRegistration: vi.fn(async () => registration({ personId: AGENT_ID })),
    });

    await expect(
      decideRegistration(apiDeps(repository), agent(), 'r1', { decision: 'approve' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  describe('when every BIS number of the birth date and sex may be taken', () => {
    function exhaustion(taken: number, sex: 'M' | 'F' | null = 'M') {
      const claimDecision = vi.fn(async () => TOKEN);
      const sequencesTaken = vi.fn(async () => taken);
      const repository = fakeRepository({
        getRegistration: vi.fn(async () =>
          registration({ registrationId: 'r1', data: data({ sex: sex ?? undefined }) }),
        ),
        claimDecision,
        sequencesTaken,
      });
      const workflow = fakeWorkflow();
      const sequenceExhausted = vi.fn();
      const deps = { ...apiDeps(repository, workflow), signals: { sequenceExhausted } };
      return { deps, claimDecision, sequencesTaken, workflow, sequenceExhausted };
    }

    it('refuses an approval with 422 bis-sequence-exhausted, claims nothing and signals when 499 are taken (sex known)', async () => {
      const { deps, claimDecision, sequencesTaken, workflow, sequenceExhausted } = exhaustion(499);

      const refusal = decideRegistration(deps, agent(), 'r1', { decision: 'approve' });

      await expect(refusal).rejects.toBeInstanceOf(RuleViolationError);
      await expect(refusal).rejects.toMatchObject({ status: 422, code: 'bis-sequence-exhausted' });
      expect(sequencesTaken).toHaveBeenCalledWith('1985-09-30', 'M');
      expect(claimDecision).not.toHaveBeenCalled();
      expect(workflow.sendTaskSuccess).not.toHaveBeenCalled();
      expect(sequenceExhausted).toHaveBeenCalledTimes(1);
    });

    it('accepts the approval when one number is left (498 taken, sex known)', async () => {
      const { deps, claimDecision, sequenceExhausted } = exhaustion(498);

      await decideRegistration(deps, agent(), 'r1', { decision: 'approve' });

      expect(claimDecision).toHaveBeenCalledTimes(1);
      expect(sequenceExhausted).not.toHaveBeenCalled();
    });

    it('counts 998 numbers when the sex is unknown', async () => {
      const left = exhaustion(997, null);
      const none = exhaustion(998, null);

      await decideRegistration(left.deps, agent(), 'r1', { decision: 'approve' });
      await expect(
        decideRegistration(none.deps, agent(), 'r1', { decision: 'approve' }),
      ).rejects.toMatchObject({
        code: 'bis-sequence-exhausted',
      });

      expect(left.sequencesTaken).toHaveBeenCalledWith('1985-09-30', null);
      expect(left.claimDecision).toHaveBeenCalledTimes(1);
      expect(none.claimDecision).not.toHaveBeenCalled();
    });

    it('lets a rejection or a correction request through without reading the counter', async () => {
      const { deps, claimDecision, sequencesTaken } = exhaustion(499);

      await decideRegistration(deps, agent(), 'r1', { decision: 'reject', reason: 'No number left' });

      expect(sequencesTaken).not.toHaveBeenCalled();
      expect(claimDecision).toHaveBeenCalledTimes(1);
    });
  });
});
