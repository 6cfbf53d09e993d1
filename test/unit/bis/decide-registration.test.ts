import { describe, expect, it, vi } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors';
import { TaskTokenExpiredError } from '#shared/workflow';
import { decideRegistration } from '../../../lambdas/bis/decide-registration.ts';
import { AGENT_ID, agent, apiDeps, fakeRepository, fakeWorkflow, registration } from './fakes.ts';

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
});
