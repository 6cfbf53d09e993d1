/**
 * The BIS number request as an approval request (`#shared/approval/runtime`), with the correction
 * loop: the agents' mailbox is asked every round (the applicant hears of the submission once);
 * approve issues a BIS number, reject closes, request-correction sends the request back to the
 * applicant and waits. History ids are deterministic where a retry could repeat a step; no personal
 * data or BIS number goes into the workflow state.
 */
import type { ApprovalAdapter, ApprovalStore } from '#shared/approval/runtime';
import { formatInsz } from '#shared/belgian-ids';
import { newId as defaultNewId } from '#shared/ids';
import { RegistrationStateError } from './errors.ts';
import { approveWithBisNumber } from './issue-bis-number.ts';
import type { BisApiDeps, BisTaskDeps } from './ports.ts';
import type { BisRegistration, PendingDecision } from './registration.ts';

type StoreDeps = Pick<BisApiDeps, 'repository' | 'now' | 'newId' | 'logger'>;

/** What the API needs of a BIS registration to decide and expire it. */
export function bisRegistrationStore(deps: StoreDeps): ApprovalStore<BisRegistration, PendingDecision> {
  const { repository } = deps;
  const id = deps.newId ?? defaultNewId;
  return {
    label: 'bis registration',
    idKey: 'registrationId',
    pendingStatus: 'PENDING_REVIEW',
    idOf: (registration) => registration.registrationId,
    load: (registrationId) => repository.getRegistration(registrationId),
    tokens: repository,
    stateError: (message) => new RegistrationStateError(message),
    logger: deps.logger,
    async close(registration, { reason, failed = false }) {
      const entry = {
        entryId: id(),
        at: deps.now().toISOString(),
        event: failed ? ('failed' as const) : ('expired' as const),
        status: 'EXPIRED' as const,
        actor: 'system' as const,
        reason,
      };
      const closed = await repository.close(registration, entry);
      // A failure on a closed request still belongs in its history (its error name only).
      if (!closed && failed) {
        await repository.appendHistory(registration.registrationId, {
          ...entry,
          status: registration.status,
        });
      }
      return closed;
    },
  };
}

/** The BIS registration's approval workflow steps. */
export function bisRegistrationApproval(
  deps: BisTaskDeps,
): ApprovalAdapter<BisRegistration, PendingDecision> {
  const { repository } = deps;
  const id = deps.newId ?? defaultNewId;
  return {
    ...bisRegistrationStore(deps),
    mailer: deps.mailer,
    now: deps.now,
    settledStatuses: ['APPROVED', 'REJECTED'],
    outcomes: {
      approve: {
        status: 'APPROVED',
        apply: async (registration, decision) => {
          await approveWithBisNumber(deps, registration, decision);
          return true;
        },
      },
      reject: {
        status: 'REJECTED',
        apply: (registration, decision) =>
          repository.reject(registration, decision, {
            entryId: decision.decisionId,
            at: deps.now().toISOString(),
            event: 'rejected',
            status: 'REJECTED',
            actor: 'agent',
            actorId: decision.decidedBy,
            ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
          }),
      },
    },

    /** The agents' mailbox every round; on submission (round 1) also the applicant. */
    approverMails: async ({ registrationId, round, data, locale }) => [
      ...(round === 1
        ? [{ to: data.email, locale, template: 'bis-submitted' as const, data: { registrationId } }]
        : []),
      { to: deps.agentsEmail, template: 'bis-review-requested', data: { registrationId }, key: round },
    ],

    requester: async (registration) => ({ to: registration.data.email, locale: registration.locale }),
    outcomeNotices: {
      APPROVED: ({ registrationId, bisNumber }) => {
        if (!bisNumber) throw new RegistrationStateError('Approved without a BIS number');
        return { template: 'bis-approved', data: { registrationId, bisNumber: formatInsz(bisNumber) } };
      },
      REJECTED: ({ registrationId, reason }) => ({
        template: 'bis-rejected',
        data: { registrationId, reason: reason ?? '' },
      }),
      EXPIRED: ({ registrationId }) => ({ template: 'bis-expired', data: { registrationId } }),
    },
    failureNotice: ({ registrationId }) => ({ template: 'bis-failed', data: { registrationId } }),

    /** Mails the applicant what to correct, then waits (NEEDS_CORRECTION with the token). */
    async awaitCorrection(registration, decision, taskToken) {
      const { registrationId } = registration;
      const decisionId = decision?.decisionId ?? registration.correctionOf;
      if (!decisionId) throw new RegistrationStateError('No correction request to wait for');
      // Mail first: a failed mail is retried before any token is stored that could go stale.
      await deps.mailer.send({
        to: registration.data.email,
        locale: registration.locale,
        template: 'bis-correction-requested',
        data: { registrationId, reason: decision?.reason ?? registration.reason ?? '' },
        idempotencyKey: `${registrationId}:bis-correction-requested:${decisionId}`,
      });
      const effective = decision ?? {
        decisionId,
        decision: 'request-correction' as const,
        decidedBy: '',
        decidedAt: registration.updatedAt,
      };
      const stored = await repository.requestCorrection(registration, effective, taskToken, {
        entryId: id(),
        at: deps.now().toISOString(),
        event: 'correction-requested',
        status: 'NEEDS_CORRECTION',
        actor: 'agent',
        actorId: effective.decidedBy,
        ...(effective.reason !== undefined ? { reason: effective.reason } : {}),
      });
      if (!stored) {
        throw new RegistrationStateError(`Cannot wait for a correction in status ${registration.status}`);
      }
    },
  };
}
