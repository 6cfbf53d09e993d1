import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { TaskTokenExpiredError } from '#shared/workflow';
import type { BisApiDeps } from './ports.ts';
import type { BisDecision, BisRegistration, BisStatus, PendingDecision } from './registration.ts';

/** An agent's decision as the API receives it. */
export interface DecisionInput {
  decision: BisDecision;
  /** Required for `reject` and `request-correction` (the schema enforces it). */
  reason?: string | undefined;
}

/** The answer of `POST /agent/bis-registrations/{id}/decision`. */
export interface DecisionAccepted {
  registrationId: string;
  /** The stored status; the workflow applies the decision right after (approve → APPROVED…). */
  status: BisStatus;
  decision: BisDecision;
}

/**
 * Records a BIS agent's decision and hands it to the waiting workflow: a conditional update makes
 * exactly one decision win (pending review, task token present, no decision yet) and takes the
 * stored task token, then SendTaskSuccess answers it. A token that is no longer valid (the review
 * timed out, the execution ended) closes the request as EXPIRED and answers 409.
 *
 * @throws NotFoundError unknown registration
 * @throws ForbiddenError the agent is the applicant
 * @throws ConflictError not pending review, already decided, or the token expired
 */
export async function decideRegistration(
  deps: BisApiDeps,
  caller: Caller,
  registrationId: string,
  input: DecisionInput,
): Promise<DecisionAccepted> {
  const registration = await deps.repository.getRegistration(registrationId);
  if (!registration) throw new NotFoundError('There is no such BIS number request.');
  if (registration.personId === caller.personId) {
    throw new ForbiddenError('You cannot decide on your own request.', { code: 'own-request' });
  }
  if (registration.status !== 'PENDING_REVIEW') {
    throw new ConflictError('This request is not waiting for a decision.', { code: 'already-decided' });
  }
  const id = deps.newId ?? defaultNewId;
  const decision: PendingDecision = {
    decisionId: id(),
    decision: input.decision,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    decidedBy: caller.personId,
    decidedAt: deps.now().toISOString(),
  };
  const taskToken = await deps.repository.claimDecision(registrationId, decision, decision.decidedAt);

  try {
    // The reason stays on the item: Step Functions only learns what to do next.
    await deps.workflow.sendTaskSuccess(taskToken, {
      decision: decision.decision,
      decisionId: decision.decisionId,
    });
  } catch (error) {
    if (error instanceof TaskTokenExpiredError) {
      await expire(deps, registration, 'The request could no longer be decided.');
      deps.logger?.info('bis decision refused: the review had ended', { registrationId });
      throw error;
    }
    await deps.repository.releaseDecision(registrationId, decision.decisionId, taskToken);
    throw error;
  }
  deps.logger?.info('bis registration decided', { registrationId, decision: decision.decision });
  return { registrationId, status: registration.status, decision: decision.decision };
}

/** Closes an open registration as EXPIRED (no-op when it is closed already). */
export async function expire(
  deps: Pick<BisApiDeps, 'repository' | 'now' | 'newId'>,
  registration: BisRegistration,
  reason: string,
): Promise<void> {
  const id = deps.newId ?? defaultNewId;
  await deps.repository.close(registration, {
    entryId: id(),
    at: deps.now().toISOString(),
    event: 'expired',
    status: 'EXPIRED',
    actor: 'system',
    reason,
  });
}
