/**
 * The steps of the right-request approval workflow (`ApprovalWorkflow` without the correction loop):
 * one use case per `WorkflowAction`. Every step is idempotent under Step Functions retries (conditional
 * writes, mails keyed `${requestId}:<template>[:<recipient person id>]`), fails by throwing named errors,
 * and puts no personal data into the workflow state.
 */
import { TransientError } from '#shared/errors';
import { newId as defaultNewId } from '#shared/ids';
import { resolveLocale } from '#shared/mail-templates';
import { type WorkflowTaskEvent, workflowTaskEventSchema } from '#shared/workflow';
import { auditEntries } from './audit-entries.ts';
import { displayNameIn, findApplication, findRole, lastValidDay } from './catalogue.ts';
import { expireRequest } from './decide-request.ts';
import { RightRequestStateError } from './errors.ts';
import { withMembership } from './grant-right.ts';
import type { RightsTaskDeps } from './ports.ts';
import type { Grant, PendingRightDecision, RightRequest, RightRequestStatus } from './right-request.ts';

/** What `apply-outcome` returns into the workflow state. */
export interface RightOutcome {
  status: RightRequestStatus;
}

/** Runs one workflow step; the result is what the Lambda returns to Step Functions. */
export async function handleRightsTask(deps: RightsTaskDeps, payload: unknown): Promise<unknown> {
  const event = workflowTaskEventSchema.parse(payload);
  const request = await deps.repository.getRequest(event.requestId);
  if (!request) throw new RightRequestStateError('The request does not exist');
  switch (event.action) {
    case 'notify-approvers':
      return notifyApprovers(deps, request);
    case 'await-decision': {
      if (!event.taskToken) throw new RightRequestStateError('await-decision needs a task token');
      const stored = await deps.repository.storeDecisionToken(
        request.requestId,
        event.taskToken,
        deps.now().toISOString(),
      );
      if (!stored) throw new RightRequestStateError(`Cannot wait for a decision in status ${request.status}`);
      return { waiting: true };
    }
    case 'apply-outcome':
      return applyOutcome(deps, request, event);
    case 'expire':
      await expireRequest(deps, request, 'No decision was made in time.');
      return { expired: true };
    case 'notify-requester':
      return notifyRequester(deps, request);
    case 'record-failure': {
      const error = event.state.failure?.Error ?? 'UnknownError';
      await expireRequest(deps, request, `Processing failed (${error}).`);
      deps.logger?.error('right request workflow failed', { requestId: request.requestId, error });
      return { recorded: true };
    }
    case 'await-correction':
      throw new RightRequestStateError('Right requests have no correction loop');
  }
}

/** The catalogue names and organisation name a mail about `request` shows, in `locale`. */
async function mailNames(deps: RightsTaskDeps, request: RightRequest, locale: string | undefined) {
  const organisation = await deps.repository.getOrganisation(request.orgCode);
  const application = findApplication(request.application);
  const role = findRole(request.application, request.role);
  return {
    organisationName: organisation?.name ?? request.orgCode,
    application: application ? displayNameIn(application.displayName, locale) : request.application,
    role: role ? displayNameIn(role.displayName, locale) : request.role,
  };
}

/**
 * Mails every local administrator of the organisation except the requester (who may not decide).
 * Administrators without an e-mail address are skipped: the request waits in their inbox anyway.
 */
async function notifyApprovers(deps: RightsTaskDeps, request: RightRequest): Promise<object> {
  if (request.status !== 'PENDING') return { notified: 0 };
  const administrators = (await deps.repository.listAdministrators(request.orgCode)).filter(
    (personId) => personId !== request.personId,
  );
  let notified = 0;
  let withoutEmail = 0;
  for (const personId of administrators) {
    const profile = await deps.repository.getProfile(personId);
    if (!profile?.email) {
      withoutEmail += 1;
      continue;
    }
    const locale = resolveLocale(profile.locale);
    await deps.mailer.send({
      to: profile.email,
      locale,
      template: 'right-request-review-requested',
      data: { requestId: request.requestId, ...(await mailNames(deps, request, locale)) },
      idempotencyKey: `${request.requestId}:right-request-review-requested:${personId}`,
    });
    notified += 1;
  }
  if (notified === 0) {
    deps.logger?.warn('no local administrator could be mailed', {
      requestId: request.requestId,
      administrators: administrators.length,
      withoutEmail,
    });
  }
  return { notified };
}

function pendingDecision(request: RightRequest, event: WorkflowTaskEvent): PendingRightDecision | undefined {
  const decisionId = (event.state.decision as { decisionId?: unknown } | undefined)?.decisionId;
  return request.decision && request.decision.decisionId === decisionId ? request.decision : undefined;
}

/** Grants (approve) or closes (deny) as decided, with the audit entries in the same transaction. */
async function applyOutcome(
  deps: RightsTaskDeps,
  request: RightRequest,
  event: WorkflowTaskEvent,
): Promise<RightOutcome> {
  if (request.status !== 'PENDING') return { status: request.status };
  const decision = pendingDecision(request, event);
  if (!decision) throw new RightRequestStateError('No pending decision to apply');
  const id = deps.newId ?? defaultNewId;
  const at = deps.now().toISOString();
  const details = { requestId: request.requestId, application: request.application, role: request.role };

  if (decision.decision === 'deny') {
    const done = await deps.repository.deny(
      request,
      decision,
      auditEntries(
        request.orgCode,
        at,
        [
          {
            action: 'right-request-denied',
            actor: decision.decidedBy,
            subject: request.personId,
            ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
            details,
          },
        ],
        id,
      ),
    );
    return settled(deps, request, done, 'DENIED');
  }

  if (!decision.validUntil) throw new RightRequestStateError('An approval without validity');
  const grant: Grant = {
    grantId: decision.decisionId,
    personId: request.personId,
    orgCode: request.orgCode,
    application: request.application,
    role: request.role,
    validFrom: at,
    validUntil: decision.validUntil,
    grantedBy: decision.decidedBy,
    requestId: request.requestId,
  };
  const organisation = (await deps.repository.getOrganisation(request.orgCode)) ?? {
    orgCode: request.orgCode,
    name: request.orgCode,
  };
  const outcome = await withMembership(
    deps.repository,
    {
      request,
      grant,
      organisation,
      leading: [
        {
          action: 'right-request-approved',
          actor: decision.decidedBy,
          subject: request.personId,
          ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
          details: { ...details, validUntil: decision.validUntil },
        },
      ],
      grantedBy: decision.decidedBy,
      at,
    },
    id,
    (membership, audit) => deps.repository.approve(request, decision, grant, membership, audit),
  );
  if (outcome === 'contention' || outcome === 'membership-exists') {
    throw new TransientError('the approval conflicted with concurrent writes');
  }
  return settled(deps, request, outcome === 'done', 'APPROVED');
}

/** After a write that did not apply: fine when a retry finds the outcome applied already. */
async function settled(
  deps: RightsTaskDeps,
  request: RightRequest,
  done: boolean,
  expected: RightRequestStatus,
): Promise<RightOutcome> {
  if (done) return { status: expected };
  const current = await deps.repository.getRequest(request.requestId);
  if (current?.status !== expected) {
    throw new RightRequestStateError(`Cannot apply ${expected} in status ${current?.status ?? 'none'}`);
  }
  return { status: expected };
}

/** Tells the requester the outcome; a requester without e-mail sees it in the portal only. */
async function notifyRequester(deps: RightsTaskDeps, request: RightRequest): Promise<object> {
  const { requestId } = request;
  const profile = await deps.repository.getProfile(request.personId);
  if (!profile?.email) {
    deps.logger?.info('requester has no e-mail address, not notified', { requestId });
    return { notified: false };
  }
  const locale = profile.locale !== undefined ? resolveLocale(profile.locale) : request.locale;
  const names = await mailNames(deps, request, locale);
  const base = { to: profile.email, locale };
  switch (request.status) {
    case 'APPROVED':
      await deps.mailer.send({
        ...base,
        template: 'right-request-approved',
        data: { requestId, ...names, validUntil: request.validUntil ? lastValidDay(request.validUntil) : '' },
        idempotencyKey: `${requestId}:right-request-approved`,
      });
      break;
    case 'DENIED':
      await deps.mailer.send({
        ...base,
        template: 'right-request-denied',
        data: { requestId, ...names, reason: request.reason ?? '' },
        idempotencyKey: `${requestId}:right-request-denied`,
      });
      break;
    case 'EXPIRED':
      await deps.mailer.send({
        ...base,
        template: 'right-request-expired',
        data: { requestId, ...names },
        idempotencyKey: `${requestId}:right-request-expired`,
      });
      break;
    default:
      throw new RightRequestStateError(`Nothing to tell the requester in status ${request.status}`);
  }
  return { notified: true };
}

/** A Lambda-shaped task handler over {@link handleRightsTask}. */
export function createRightsTaskHandler(deps: RightsTaskDeps): (payload: unknown) => Promise<unknown> {
  return (payload) => handleRightsTask(deps, payload);
}
