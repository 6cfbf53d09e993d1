import { describe, expect, it, vi } from 'vitest';
import {
  type ApprovalAdapter,
  type ApprovalRequest,
  decidableRequest,
  decide,
  type PendingApproval,
  runWorkflowTask,
} from '#shared/approval/runtime';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors';
import type { MailMessage } from '#shared/mailer';
import { TaskTokenExpiredError, type WorkflowPort } from '#shared/workflow';

interface Item extends ApprovalRequest {
  id: string;
  status: string;
  personId: string;
  decision?: PendingApproval;
}

class ItemStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemStateError';
  }
}

const NOW = new Date('2026-05-01T08:00:00.000Z');
const pending = (decision = 'approve'): PendingApproval => ({
  decisionId: 'd1',
  decision,
  decidedBy: 'p2',
  decidedAt: NOW.toISOString(),
});

function adapter(item: Item | undefined, sent: MailMessage[] = []) {
  const close = vi.fn(async () => true);
  const approve = vi.fn(async () => true);
  const a: ApprovalAdapter<Item> = {
    label: 'item',
    idKey: 'requestId',
    pendingStatus: 'PENDING',
    idOf: (request) => request.id,
    load: vi.fn(async () => item),
    tokens: {
      storeDecisionToken: vi.fn(async () => item?.status === 'PENDING'),
      claimDecision: vi.fn(async () => 'token-1'),
      releaseDecision: vi.fn(async () => undefined),
    },
    close,
    stateError: (message) => new ItemStateError(message),
    mailer: { send: vi.fn(async (message: MailMessage) => void sent.push(message)) },
    now: () => NOW,
    settledStatuses: ['APPROVED', 'DENIED'],
    outcomes: { approve: { status: 'APPROVED', apply: approve } },
    approverMails: async (request) => [
      { to: 'a@example.be', template: 'bis-review-requested', data: { registrationId: request.id }, key: 3 },
    ],
    requester: async () => ({ to: 'r@example.be', locale: 'nl' }),
    outcomeNotices: {
      EXPIRED: (request) => ({ template: 'bis-expired', data: { registrationId: request.id } }),
    },
    failureNotice: (request) => ({ template: 'bis-failed', data: { registrationId: request.id } }),
  };
  return { a, close, approve };
}

const item = (overrides: Partial<Item> = {}): Item => ({
  id: 'r1',
  status: 'PENDING',
  personId: 'p1',
  ...overrides,
});
const task = (action: string, state: Record<string, unknown> = {}, taskToken?: string) => ({
  action,
  requestId: 'r1',
  state: { requestId: 'r1', ...state },
  ...(taskToken ? { taskToken } : {}),
});

describe('runWorkflowTask', () => {
  it('keys every mail by request id, template and key', async () => {
    const sent: MailMessage[] = [];
    await runWorkflowTask(adapter(item(), sent).a, task('notify-approvers'));
    expect(sent.map((m) => m.idempotencyKey)).toEqual(['r1:bis-review-requested:3']);
  });

  it('asks nobody once the request no longer waits for a decision', async () => {
    const sent: MailMessage[] = [];
    expect(
      await runWorkflowTask(adapter(item({ status: 'DENIED' }), sent).a, task('notify-approvers')),
    ).toEqual({
      notified: 0,
    });
    expect(sent).toEqual([]);
  });

  it('throws the context state error when the request does not exist', async () => {
    await expect(runWorkflowTask(adapter(undefined).a, task('expire'))).rejects.toBeInstanceOf(
      ItemStateError,
    );
  });

  it('throws the context state error when a context without correction loop is asked to wait for one', async () => {
    await expect(
      runWorkflowTask(adapter(item()).a, task('await-correction', {}, 'tok')),
    ).rejects.toBeInstanceOf(ItemStateError);
  });

  it('applies the decision whose id the workflow carries, and reports a settled status without writing', async () => {
    const fresh = adapter(item({ decision: pending() }));
    expect(
      await runWorkflowTask(
        fresh.a,
        task('apply-outcome', { decision: { decision: 'approve', decisionId: 'd1' } }),
      ),
    ).toEqual({ status: 'APPROVED' });
    expect(fresh.approve).toHaveBeenCalledOnce();

    const retried = adapter(item({ status: 'APPROVED' }));
    expect(
      await runWorkflowTask(
        retried.a,
        task('apply-outcome', { decision: { decision: 'approve', decisionId: 'd1' } }),
      ),
    ).toEqual({ status: 'APPROVED' });
    expect(retried.approve).not.toHaveBeenCalled();
  });

  it('refuses a decision with another id, and a decision value without outcome', async () => {
    await expect(
      runWorkflowTask(
        adapter(item({ decision: pending() })).a,
        task('apply-outcome', { decision: { decision: 'approve', decisionId: 'other' } }),
      ),
    ).rejects.toBeInstanceOf(ItemStateError);
    await expect(
      runWorkflowTask(
        adapter(item({ decision: pending('shrug') })).a,
        task('apply-outcome', { decision: { decision: 'shrug', decisionId: 'd1' } }),
      ),
    ).rejects.toThrow('Decision shrug has no outcome');
  });

  it('fails when a write that did not apply left the request in another status', async () => {
    const { a, approve } = adapter(item({ decision: pending() }));
    approve.mockResolvedValueOnce(false);
    await expect(
      runWorkflowTask(a, task('apply-outcome', { decision: { decision: 'approve', decisionId: 'd1' } })),
    ).rejects.toThrow('Cannot apply APPROVED in status PENDING');
  });

  it('expires with the wait that timed out, and records a failure by error name only', async () => {
    const { a, close } = adapter(item());
    await runWorkflowTask(a, task('expire', { expiredWhile: 'correction' }));
    await runWorkflowTask(a, task('record-failure', { failure: { Error: 'Boom', Cause: 'secret data' } }));
    expect(close.mock.calls.map((call) => (call as unknown[])[1])).toEqual([
      { reason: 'No correction was received in time.' },
      { reason: 'Processing failed (Boom).', failed: true },
    ]);
  });

  it('closes a request whose processing failed, then tells the requester, keyed once per request', async () => {
    // Prepare
    const sent: MailMessage[] = [];
    const { a, close } = adapter(item(), sent);
    const order: string[] = [];
    close.mockImplementation(async () => {
      order.push(`close after ${sent.length} mail(s)`);
      return true;
    });

    // Act
    const result = await runWorkflowTask(a, task('record-failure', { failure: { Error: 'Boom' } }));

    // Assess
    expect(result).toEqual({ recorded: true, notified: true });
    expect(sent).toEqual([
      expect.objectContaining({
        to: 'r@example.be',
        locale: 'nl',
        template: 'bis-failed',
        data: { registrationId: 'r1' },
        idempotencyKey: 'r1:bis-failed',
      }),
    ]);
    expect(order).toEqual(['close after 0 mail(s)']);
  });

  it('closes the request even when the mail fails, and a retry that finds it EXPIRED still tells them', async () => {
    // Prepare: the first attempt closes, then the mail fails; the retry loads the closed request.
    const sent: MailMessage[] = [];
    const first = adapter(item(), sent);
    vi.mocked(first.a.mailer.send).mockRejectedValueOnce(new Error('SES throttled'));
    const retry = adapter(item({ status: 'EXPIRED' }), sent);
    retry.close.mockResolvedValue(false);

    // Act
    const failed = await runWorkflowTask(
      first.a,
      task('record-failure', { failure: { Error: 'Boom' } }),
    ).catch((error: unknown) => error);
    const retried = await runWorkflowTask(retry.a, task('record-failure', { failure: { Error: 'Boom' } }));

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(first.close).toHaveBeenCalledTimes(1);
    expect(retried).toEqual({ recorded: true, notified: true });
    expect(sent.map((mail) => mail.idempotencyKey)).toEqual(['r1:bis-failed']);
  });

  it('does not tell a requester whose request reached its outcome that it failed', async () => {
    // Prepare
    const sent: MailMessage[] = [];
    const { a, close } = adapter(item({ status: 'APPROVED' }), sent);
    // As every store: a request that is not open is not closed.
    close.mockResolvedValue(false);

    // Act
    const result = await runWorkflowTask(a, task('record-failure', { failure: { Error: 'SES.Throttling' } }));

    // Assess
    expect(result).toEqual({ recorded: true, notified: false });
    expect(sent).toEqual([]);
  });

  it('tells the requester by status, and fails for a status without a notice', async () => {
    const sent: MailMessage[] = [];
    await runWorkflowTask(adapter(item({ status: 'EXPIRED' }), sent).a, task('notify-requester'));
    expect(sent).toEqual([
      expect.objectContaining({
        to: 'r@example.be',
        locale: 'nl',
        template: 'bis-expired',
        idempotencyKey: 'r1:bis-expired',
      }),
    ]);
    await expect(
      runWorkflowTask(adapter(item({ status: 'PENDING' })).a, task('notify-requester')),
    ).rejects.toBeInstanceOf(ItemStateError);
  });
});

describe('decide', () => {
  const workflow = (sendTaskSuccess: WorkflowPort['sendTaskSuccess']): WorkflowPort => ({
    startExecution: vi.fn(),
    sendTaskSuccess,
    sendTaskFailure: vi.fn(),
  });

  it('answers the claimed token with the decision and its id only', async () => {
    const { a } = adapter(item());
    const sendTaskSuccess = vi.fn(async () => undefined);
    await decide(a, workflow(sendTaskSuccess), item(), { ...pending(), reason: 'private' });
    expect(sendTaskSuccess).toHaveBeenCalledWith('token-1', { decision: 'approve', decisionId: 'd1' });
  });

  it('expires the request and rethrows when the token is no longer valid', async () => {
    const { a, close } = adapter(item());
    const failing = workflow(async () => {
      throw new TaskTokenExpiredError();
    });
    await expect(decide(a, failing, item(), pending())).rejects.toBeInstanceOf(TaskTokenExpiredError);
    expect(close).toHaveBeenCalledWith(item(), { reason: 'The request could no longer be decided.' });
    expect(a.tokens.releaseDecision).not.toHaveBeenCalled();
  });

  it('puts the token back when Step Functions fails otherwise', async () => {
    const { a, close } = adapter(item());
    const failing = workflow(async () => {
      throw new Error('ServiceUnavailable');
    });
    await expect(decide(a, failing, item(), pending())).rejects.toThrow('ServiceUnavailable');
    expect(a.tokens.releaseDecision).toHaveBeenCalledWith('r1', 'd1', 'token-1');
    expect(close).not.toHaveBeenCalled();
  });
});

describe('decidableRequest', () => {
  const texts = { missing: 'No such request.', own: 'Not your own.', notWaiting: 'Closed already.' };
  const request = { requestId: 'r1', personId: 'p1', status: 'PENDING' };

  it('hands back a waiting request of someone else', () => {
    // Assess
    expect(decidableRequest(request, 'p2', 'PENDING', texts)).toBe(request);
  });

  it("refuses a missing request (404), one's own (403 own-request) and a closed one (409 already-decided)", () => {
    // Act
    const attempts = [
      () => decidableRequest(undefined, 'p2', 'PENDING', texts),
      () => decidableRequest(request, 'p1', 'PENDING', texts),
      () => decidableRequest({ ...request, status: 'APPROVED' }, 'p2', 'PENDING', texts),
    ].map((attempt) => {
      try {
        attempt();
        return undefined;
      } catch (error) {
        return error as Error & { code?: string };
      }
    });

    // Assess
    expect(attempts[0]).toBeInstanceOf(NotFoundError);
    expect(attempts[0]?.message).toBe('No such request.');
    expect(attempts[1]).toBeInstanceOf(ForbiddenError);
    expect(attempts[1]?.code).toBe('own-request');
    expect(attempts[2]).toBeInstanceOf(ConflictError);
    expect(attempts[2]?.code).toBe('already-decided');
  });
});
