/**
 * The steps of the BIS approval workflow (`ApprovalWorkflow` with the correction loop): one use case
 * per `WorkflowAction`. Every step is idempotent under Step Functions retries (conditional writes,
 * deterministic history ids, mails keyed `${registrationId}:<event>[:<round or decision>]`), fails
 * by throwing named errors, and never puts personal data or the BIS number into the workflow state.
 */
import { formatInsz } from '#shared/belgian-ids';
import { newId as defaultNewId } from '#shared/ids';
import { type WorkflowTaskEvent, workflowTaskEventSchema } from '#shared/workflow';
import { RegistrationStateError } from './errors.ts';
import { approveWithBisNumber } from './issue-bis-number.ts';
import type { BisTaskDeps } from './ports.ts';
import type { BisRegistration, BisStatus, PendingDecision } from './registration.ts';

/** What `apply-outcome` returns into the workflow state (`$.outcome.result`). */
export interface BisOutcome {
  status: BisStatus;
}

/**
 * Runs one workflow step. The payload is validated with the shared task-event schema; the result is
 * what the Lambda returns to Step Functions.
 */
export async function handleBisTask(deps: BisTaskDeps, payload: unknown): Promise<unknown> {
  const event = workflowTaskEventSchema.parse(payload);
  const registration = await load(deps, event.requestId);
  switch (event.action) {
    case 'notify-approvers':
      return notifyApprovers(deps, registration);
    case 'await-decision':
      return awaitDecision(deps, registration, requireToken(event));
    case 'await-correction':
      return awaitCorrection(deps, registration, event, requireToken(event));
    case 'apply-outcome':
      return applyOutcome(deps, registration, event);
    case 'expire':
      return expireRegistration(deps, registration, event);
    case 'notify-requester':
      return notifyRequester(deps, registration);
    case 'record-failure':
      return recordFailure(deps, registration, event);
  }
}

async function load(deps: BisTaskDeps, registrationId: string): Promise<BisRegistration> {
  const registration = await deps.repository.getRegistration(registrationId);
  if (!registration) throw new RegistrationStateError('The registration does not exist');
  return registration;
}

function requireToken(event: WorkflowTaskEvent): string {
  if (!event.taskToken) throw new RegistrationStateError(`${event.action} needs a task token`);
  return event.taskToken;
}

/** Tells the agents' mailbox (every round) and, on submission, the applicant. */
async function notifyApprovers(deps: BisTaskDeps, registration: BisRegistration): Promise<object> {
  const { registrationId } = registration;
  if (registration.status !== 'PENDING_REVIEW') return { notified: false };
  if (registration.round === 1) {
    await deps.mailer.send({
      to: registration.data.email,
      locale: registration.locale,
      template: 'bis-submitted',
      data: { registrationId },
      idempotencyKey: `${registrationId}:bis-submitted`,
    });
  }
  await deps.mailer.send({
    to: deps.agentsEmail,
    template: 'bis-review-requested',
    data: { registrationId },
    idempotencyKey: `${registrationId}:bis-review-requested:${registration.round}`,
  });
  return { notified: true };
}

/** Stores the token the API answers with the agent's decision. */
async function awaitDecision(
  deps: BisTaskDeps,
  registration: BisRegistration,
  taskToken: string,
): Promise<object> {
  const stored = await deps.repository.storeDecisionToken(
    registration.registrationId,
    taskToken,
    deps.now().toISOString(),
  );
  if (!stored)
    throw new RegistrationStateError(`Cannot wait for a decision in status ${registration.status}`);
  return { waiting: true };
}

/** The decision the workflow is acting on, as stored by the API (matched by id). */
function pendingDecision(
  registration: BisRegistration,
  event: WorkflowTaskEvent,
): PendingDecision | undefined {
  const decisionId = (event.state.decision as { decisionId?: unknown } | undefined)?.decisionId;
  const decision = registration.decision;
  return decision && decision.decisionId === decisionId ? decision : undefined;
}

/** Mails the applicant what to correct, then waits (NEEDS_CORRECTION with the token). */
async function awaitCorrection(
  deps: BisTaskDeps,
  registration: BisRegistration,
  event: WorkflowTaskEvent,
  taskToken: string,
): Promise<object> {
  const { registrationId } = registration;
  const decision = pendingDecision(registration, event);
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
  const id = deps.newId ?? defaultNewId;
  const stored = await deps.repository.requestCorrection(registration, effective, taskToken, {
    entryId: id(),
    at: deps.now().toISOString(),
    event: 'correction-requested',
    status: 'NEEDS_CORRECTION',
    actor: 'agent',
    actorId: effective.decidedBy,
    ...(effective.reason !== undefined ? { reason: effective.reason } : {}),
  });
  if (!stored)
    throw new RegistrationStateError(`Cannot wait for a correction in status ${registration.status}`);
  return { waiting: true };
}

/** Approves (with a new BIS number) or rejects, as decided. */
async function applyOutcome(
  deps: BisTaskDeps,
  registration: BisRegistration,
  event: WorkflowTaskEvent,
): Promise<BisOutcome> {
  // A retry after the outcome was applied: report it again.
  if (registration.status === 'APPROVED' || registration.status === 'REJECTED') {
    return { status: registration.status };
  }
  const decision = pendingDecision(registration, event);
  if (!decision)
    throw new RegistrationStateError(`No pending decision to apply in status ${registration.status}`);
  if (decision.decision === 'approve') {
    await approveWithBisNumber(deps, registration, decision);
    return { status: 'APPROVED' };
  }
  if (decision.decision === 'reject') {
    const done = await deps.repository.reject(registration, decision, {
      entryId: decision.decisionId,
      at: deps.now().toISOString(),
      event: 'rejected',
      status: 'REJECTED',
      actor: 'agent',
      actorId: decision.decidedBy,
      ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    });
    if (!done) {
      const current = await deps.repository.getRegistration(registration.registrationId);
      if (current?.status !== 'REJECTED') {
        throw new RegistrationStateError(
          `Cannot reject a registration in status ${current?.status ?? 'none'}`,
        );
      }
    }
    return { status: 'REJECTED' };
  }
  throw new RegistrationStateError(`Decision ${decision.decision} has no outcome`);
}

/** A wait timed out: EXPIRED (no-op when closed already). */
async function expireRegistration(
  deps: BisTaskDeps,
  registration: BisRegistration,
  event: WorkflowTaskEvent,
): Promise<object> {
  const id = deps.newId ?? defaultNewId;
  await deps.repository.close(registration, {
    entryId: id(),
    at: deps.now().toISOString(),
    event: 'expired',
    status: 'EXPIRED',
    actor: 'system',
    reason:
      event.state.expiredWhile === 'correction'
        ? 'No correction was received in time.'
        : 'No decision was made in time.',
  });
  return { expired: true };
}

/** Mails the applicant the outcome: the BIS number, the refusal and its reason, or the closure. */
async function notifyRequester(deps: BisTaskDeps, registration: BisRegistration): Promise<object> {
  const { registrationId } = registration;
  const base = { to: registration.data.email, locale: registration.locale };
  switch (registration.status) {
    case 'APPROVED':
      if (!registration.bisNumber) throw new RegistrationStateError('Approved without a BIS number');
      await deps.mailer.send({
        ...base,
        template: 'bis-approved',
        data: { registrationId, bisNumber: formatInsz(registration.bisNumber) },
        idempotencyKey: `${registrationId}:bis-approved`,
      });
      break;
    case 'REJECTED':
      await deps.mailer.send({
        ...base,
        template: 'bis-rejected',
        data: { registrationId, reason: registration.reason ?? '' },
        idempotencyKey: `${registrationId}:bis-rejected`,
      });
      break;
    case 'EXPIRED':
      await deps.mailer.send({
        ...base,
        template: 'bis-expired',
        data: { registrationId },
        idempotencyKey: `${registrationId}:bis-expired`,
      });
      break;
    default:
      throw new RegistrationStateError(`Nothing to tell the applicant in status ${registration.status}`);
  }
  return { notified: registration.status };
}

/**
 * A step failed for good: the history records which error (its name only: causes can quote data),
 * and a registration still open is closed so the person can submit a new one.
 */
async function recordFailure(
  deps: BisTaskDeps,
  registration: BisRegistration,
  event: WorkflowTaskEvent,
): Promise<object> {
  const id = deps.newId ?? defaultNewId;
  const error = event.state.failure?.Error ?? 'UnknownError';
  const entry = {
    entryId: id(),
    at: deps.now().toISOString(),
    event: 'failed' as const,
    status: 'EXPIRED' as const,
    actor: 'system' as const,
    reason: `Processing failed (${error}).`,
  };
  const closed = await deps.repository.close(registration, entry);
  if (!closed)
    await deps.repository.appendHistory(registration.registrationId, {
      ...entry,
      status: registration.status,
    });
  deps.logger?.error('bis workflow failed', { registrationId: registration.registrationId, error });
  return { recorded: true };
}

/** A Lambda-shaped task handler over {@link handleBisTask}. */
export function createBisTaskHandler(deps: BisTaskDeps): (payload: unknown) => Promise<unknown> {
  return (payload) => handleBisTask(deps, payload);
}
