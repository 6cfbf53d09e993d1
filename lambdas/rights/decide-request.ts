import { decidableRequest, decide } from '#shared/approval/runtime';
import { ConflictError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { requireActingAdministrator } from './acting-administrator.ts';
import { rightRequestStore } from './approval.ts';
import { chosenValidUntil, findRole } from './catalogue.ts';
import type { RightsApiDeps } from './ports.ts';
import type { PendingRightDecision, RightDecision, RightRequestStatus } from './right-request.ts';

/** A local administrator's decision as the API receives it. */
export interface RightDecisionInput {
  decision: RightDecision;
  /** Required to deny (the schema enforces it). */
  reason?: string | undefined;
  /** For approvals; ISO timestamp. @default now + the role's default validity */
  validUntil?: string | undefined;
}

/** The answer of the decision route. */
export interface RightDecisionAccepted {
  requestId: string;
  /** The stored status; the workflow applies the decision right after. */
  status: RightRequestStatus;
  decision: RightDecision;
  /** For approvals: the end of the grant. */
  validUntil?: string;
}

const NO_SUCH_REQUEST = 'There is no such right request.';

/**
 * Records a local administrator's decision on a pending request of their organisation and hands it to
 * the waiting workflow: a conditional update makes exactly one decision win and takes the stored task
 * token, then SendTaskSuccess answers it. The workflow applies the outcome (grant or denial, audited).
 *
 * @throws NotFoundError not a member of the organisation, or no such request in it
 * @throws ForbiddenError a member but not a local administrator; or the caller's own request
 * @throws ConflictError not pending, already decided, or the wait has ended
 * @throws ValidationError `validUntil` not in the future or beyond the role's maximum
 */
export async function decideRightRequest(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  requestId: string,
  input: RightDecisionInput,
): Promise<RightDecisionAccepted> {
  await requireActingAdministrator(deps, caller.personId, orgCode);
  const stored = await deps.repository.getRequest(requestId);
  // Another organisation's request is as unknown as a missing one.
  const request = decidableRequest(
    stored?.orgCode === orgCode ? stored : undefined,
    caller.personId,
    'PENDING',
    {
      missing: NO_SUCH_REQUEST,
      own: 'You cannot decide on your own request; another local administrator must.',
      notWaiting: 'This request has been closed already.',
    },
  );

  const now = deps.now();
  let validUntil: string | undefined;
  if (input.decision === 'approve') {
    const role = findRole(request.application, request.role);
    if (!role) throw new ConflictError('This role is no longer offered.', { code: 'role-withdrawn' });
    validUntil = chosenValidUntil(role, input.validUntil, now);
  }

  const id = deps.newId ?? defaultNewId;
  const decision: PendingRightDecision = {
    decisionId: id(),
    decision: input.decision,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
    decidedBy: caller.personId,
    decidedAt: now.toISOString(),
  };
  await decide(rightRequestStore(deps), deps.workflow, request, decision);
  return {
    requestId,
    status: request.status,
    decision: decision.decision,
    ...(validUntil !== undefined ? { validUntil } : {}),
  };
}
