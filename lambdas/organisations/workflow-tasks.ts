/**
 * The steps of the foreign-company review (`ApprovalWorkflow` without the correction loop): one use
 * case per `WorkflowAction`. Every step is idempotent under Step Functions retries (conditional
 * writes, mails keyed `${registrationId}:<event>`), fails by throwing named errors, and puts no
 * company or personal data into the workflow state.
 */
import { TransientError } from '#shared/errors';
import { type WorkflowTaskEvent, workflowTaskEventSchema } from '#shared/workflow';
import type { ForeignRegistration, ForeignRegistrationStatus, PendingDecision } from './organisation.ts';
import type { OrganisationsTaskDeps } from './ports.ts';

/** The registration is not in the state the workflow step expects (or does not exist). */
export class ForeignRegistrationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForeignRegistrationStateError';
  }
}

/** What `apply-outcome` returns into the workflow state (`$.outcome.result`). */
export interface ForeignOutcome {
  status: ForeignRegistrationStatus;
}

const MAX_ATTEMPTS = 5;

/** Runs one workflow step; the result is what the Lambda returns to Step Functions. */
export async function handleForeignRegistrationTask(
  deps: OrganisationsTaskDeps,
  payload: unknown,
): Promise<unknown> {
  const event = workflowTaskEventSchema.parse(payload);
  const registration = await deps.repository.getForeignRegistration(event.requestId);
  if (!registration) throw new ForeignRegistrationStateError('The registration does not exist');
  switch (event.action) {
    case 'notify-approvers':
      return notifyApprovers(deps, registration);
    case 'await-decision':
      return awaitDecision(deps, registration, event);
    case 'apply-outcome':
      return applyOutcome(deps, registration, event);
    case 'expire':
      return expire(deps, registration, 'No decision was made in time.');
    case 'notify-requester':
      return notifyRequester(deps, registration);
    case 'record-failure':
      return recordFailure(deps, registration, event);
    case 'await-correction':
      throw new ForeignRegistrationStateError('Foreign registrations have no correction loop');
  }
}

async function notifyApprovers(deps: OrganisationsTaskDeps, registration: ForeignRegistration) {
  if (registration.status !== 'PENDING_REVIEW') return { notified: false };
  await deps.mailer.send({
    to: deps.securityOfficersEmail,
    template: 'foreign-registration-review-requested',
    data: { registrationId: registration.registrationId },
    idempotencyKey: `${registration.registrationId}:foreign-registration-review-requested`,
  });
  return { notified: true };
}

async function awaitDecision(
  deps: OrganisationsTaskDeps,
  registration: ForeignRegistration,
  event: WorkflowTaskEvent,
) {
  if (!event.taskToken) throw new ForeignRegistrationStateError('await-decision needs a task token');
  const stored = await deps.repository.storeDecisionToken(
    registration.registrationId,
    event.taskToken,
    deps.now().toISOString(),
  );
  if (!stored) {
    throw new ForeignRegistrationStateError(`Cannot wait for a decision in status ${registration.status}`);
  }
  return { waiting: true };
}

function pendingDecision(
  registration: ForeignRegistration,
  event: WorkflowTaskEvent,
): PendingDecision | undefined {
  const decisionId = (event.state.decision as { decisionId?: unknown } | undefined)?.decisionId;
  const decision = registration.decision;
  return decision && decision.decisionId === decisionId ? decision : undefined;
}

/** Approves (organisation, membership, audit in one transaction) or rejects, as decided. */
async function applyOutcome(
  deps: OrganisationsTaskDeps,
  registration: ForeignRegistration,
  event: WorkflowTaskEvent,
): Promise<ForeignOutcome> {
  if (registration.status === 'APPROVED' || registration.status === 'REJECTED') {
    return { status: registration.status };
  }
  const decision = pendingDecision(registration, event);
  if (!decision) {
    throw new ForeignRegistrationStateError(`No pending decision to apply in status ${registration.status}`);
  }
  if (decision.decision === 'reject') {
    const done = await deps.repository.rejectForeign(registration, decision, deps.now().toISOString());
    const current = done
      ? undefined
      : await deps.repository.getForeignRegistration(registration.registrationId);
    if (!done && current?.status !== 'REJECTED') {
      throw new ForeignRegistrationStateError(`Cannot reject in status ${current?.status ?? 'none'}`);
    }
    return { status: 'REJECTED' };
  }
  return approve(deps, registration, decision);
}

async function approve(
  deps: OrganisationsTaskDeps,
  registration: ForeignRegistration,
  decision: PendingDecision,
): Promise<ForeignOutcome> {
  const { orgCode, personId } = registration;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [previous, organisation] = await Promise.all([
      deps.repository.getMembership(personId, orgCode),
      deps.repository.getOrganisation(orgCode),
    ]);
    const name = organisation?.name ?? registration.name;
    const now = deps.now().toISOString();
    const outcome = await deps.repository.approveForeign(
      registration,
      decision,
      {
        orgCode,
        name,
        country: registration.country,
        kind: 'foreign',
        registrationNumber: registration.registrationNumber,
        address: registration.address,
        createdAt: now,
      },
      {
        personId,
        orgCode,
        orgName: name,
        legalRepresentative: true,
        previous,
        now,
      },
      {
        // Deterministic: a retried step cannot append a second entry (the Put is conditional).
        entryId: decision.decisionId,
        orgCode,
        at: now,
        action: 'foreign-registration-approved',
        actor: decision.decidedBy,
        subject: personId,
        details: { registrationId: registration.registrationId },
      },
    );
    if (outcome === 'done') {
      deps.logger?.info('foreign registration approved', {
        registrationId: registration.registrationId,
        orgCode,
      });
      return { status: 'APPROVED' };
    }
    if (outcome === 'state-changed') {
      const current = await deps.repository.getForeignRegistration(registration.registrationId);
      if (current?.status === 'APPROVED') return { status: 'APPROVED' };
      throw new ForeignRegistrationStateError(`Cannot approve in status ${current?.status ?? 'none'}`);
    }
  }
  throw new TransientError('The approval kept conflicting with concurrent changes.');
}

async function expire(deps: OrganisationsTaskDeps, registration: ForeignRegistration, reason: string) {
  const expired = await deps.repository.expireForeign(registration, reason, deps.now().toISOString());
  return { expired };
}

/** Mails the applicant the outcome. */
async function notifyRequester(deps: OrganisationsTaskDeps, registration: ForeignRegistration) {
  const { registrationId, name } = registration;
  const base = { to: registration.email, locale: registration.locale };
  if (registration.status === 'REJECTED' || registration.status === 'EXPIRED') {
    // Here rather than with the status change, so a retry of this step retags too (idempotent).
    await deps.uploads.setState(registration.personId, registration.uploadId, 'discarded');
  }
  switch (registration.status) {
    case 'APPROVED':
      await deps.mailer.send({
        ...base,
        template: 'foreign-registration-approved',
        data: { registrationId, organisationName: name, orgCode: registration.orgCode },
        idempotencyKey: `${registrationId}:foreign-registration-approved`,
      });
      break;
    case 'REJECTED':
      await deps.mailer.send({
        ...base,
        template: 'foreign-registration-rejected',
        data: { registrationId, organisationName: name, reason: registration.reason ?? '' },
        idempotencyKey: `${registrationId}:foreign-registration-rejected`,
      });
      break;
    case 'EXPIRED':
      await deps.mailer.send({
        ...base,
        template: 'foreign-registration-expired',
        data: { registrationId, organisationName: name },
        idempotencyKey: `${registrationId}:foreign-registration-expired`,
      });
      break;
    default:
      throw new ForeignRegistrationStateError(
        `Nothing to tell the applicant in status ${registration.status}`,
      );
  }
  return { notified: registration.status };
}

/** A step failed for good: a registration still pending is closed (its name only: causes quote data). */
async function recordFailure(
  deps: OrganisationsTaskDeps,
  registration: ForeignRegistration,
  event: WorkflowTaskEvent,
) {
  const error = event.state.failure?.Error ?? 'UnknownError';
  await deps.repository.expireForeign(
    registration,
    `Processing failed (${error}).`,
    deps.now().toISOString(),
  );
  deps.logger?.error('foreign registration workflow failed', {
    registrationId: registration.registrationId,
    error,
  });
  return { recorded: true };
}

/** A Lambda-shaped task handler over {@link handleForeignRegistrationTask}. */
export function createForeignRegistrationTaskHandler(
  deps: OrganisationsTaskDeps,
): (payload: unknown) => Promise<unknown> {
  return (payload) => handleForeignRegistrationTask(deps, payload);
}
