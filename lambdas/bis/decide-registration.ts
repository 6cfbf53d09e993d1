import { decidableRequest, decide } from '#shared/approval/runtime';
import { RuleViolationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { bisRegistrationStore } from './approval.ts';
import { bisSequenceExhausted } from './issue-bis-number.ts';
import type { BisApiDeps } from './ports.ts';
import type { BisDecision, BisStatus, PendingDecision } from './registration.ts';

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
 * @throws RuleViolationError `bis-sequence-exhausted`: an approval when every BIS number of the
 *   applicant's birth date and sex is taken (nothing is written; the request keeps waiting, see
 *   docs/bis-sequence-exhaustion.md)
 */
export async function decideRegistration(
  deps: BisApiDeps,
  caller: Caller,
  registrationId: string,
  input: DecisionInput,
): Promise<DecisionAccepted> {
  const registration = decidableRequest(
    await deps.repository.getRegistration(registrationId),
    caller.personId,
    'PENDING_REVIEW',
    {
      missing: 'There is no such BIS number request.',
      own: 'You cannot decide on your own request.',
      notWaiting: 'This request is not waiting for a decision.',
    },
  );
  if (input.decision === 'approve') {
    const sex = registration.data.sex ?? null;
    const taken = await deps.repository.sequencesTaken(registration.data.birthDate, sex);
    if (bisSequenceExhausted(taken, sex)) {
      deps.signals?.sequenceExhausted();
      deps.logger?.warn('bis approval refused: sequence exhausted', { registrationId, sex });
      throw new RuleViolationError(
        'No BIS number is left for this birth date and sex. The request keeps waiting: follow the ' +
          'exhaustion procedure (ask the applicant to check the birth date, or refer the case to the register).',
        { code: 'bis-sequence-exhausted' },
      );
    }
  }
  const id = deps.newId ?? defaultNewId;
  const decision: PendingDecision = {
    decisionId: id(),
    decision: input.decision,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    decidedBy: caller.personId,
    decidedAt: deps.now().toISOString(),
  };
  await decide(bisRegistrationStore(deps), deps.workflow, registration, decision);
  return { registrationId, status: registration.status, decision: decision.decision };
}
