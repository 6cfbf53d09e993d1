import { issueBisNumber, maxBisSequence } from '#shared/belgian-ids';
import {
  BisNumberCollisionError,
  BisSequenceExhaustedError,
  PersonAlreadyHasInszError,
  RegistrationStateError,
} from './errors.ts';
import type { BisTaskDeps } from './ports.ts';
import type { BisRegistration, PendingDecision } from './registration.ts';

/**
 * Whether every BIS number of this birth date and sex is taken: {@link maxBisSequence} is 499 with
 * the sex known, 998 with the sex unknown (DOMAIN.md section 2).
 */
export function bisSequenceExhausted(sequencesTaken: number, sex: 'M' | 'F' | null): boolean {
  return sequencesTaken >= maxBisSequence(sex);
}

/** Attempts before giving up on finding a free number (collisions only happen with seeded numbers). */
export const MAX_ISSUE_ATTEMPTS = 10;

/**
 * Approves a registration and issues its BIS number, idempotently: a registration that is approved
 * already (a Step Functions retry after a success) returns its number and never gets a second one.
 *
 * The sequence comes from an atomic counter per birth date and sex, so parallel approvals for the
 * same birth date get distinct numbers without colliding; the conditional writes on the register
 * entry and the INSZ link (in the approval transaction) stay the safety net: a taken number moves on
 * to the next sequence, at most {@link MAX_ISSUE_ATTEMPTS} times.
 *
 * @returns the BIS number (11 digits)
 * @throws BisSequenceExhaustedError every sequence of that birth date and sex is used
 * @throws BisNumberCollisionError every attempt collided
 * @throws PersonAlreadyHasInszError the applicant got an INSZ meanwhile
 * @throws RegistrationStateError the registration is neither pending with this decision nor approved
 */
export async function approveWithBisNumber(
  deps: Pick<BisTaskDeps, 'repository' | 'now' | 'logger' | 'signals'>,
  registration: BisRegistration,
  decision: PendingDecision,
): Promise<string> {
  if (registration.status === 'APPROVED' && registration.bisNumber) return registration.bisNumber;
  const { birthDate } = registration.data;
  const sex = registration.data.sex ?? null;
  for (let attempt = 1; attempt <= MAX_ISSUE_ATTEMPTS; attempt++) {
    const sequence = await deps.repository.nextSequence(birthDate, sex);
    if (sequence > maxBisSequence(sex)) {
      // Only reached when approvals raced past the API's check (decideRegistration) for the last numbers.
      deps.signals?.sequenceExhausted();
      deps.logger?.error('bis sequence exhausted', { registrationId: registration.registrationId, sex });
      throw new BisSequenceExhaustedError();
    }
    const bisNumber = issueBisNumber({ birthDate, sex, sequence });
    const outcome = await deps.repository.approve(registration, decision, bisNumber, {
      entryId: decision.decisionId,
      at: deps.now().toISOString(),
      event: 'approved',
      status: 'APPROVED',
      actor: 'agent',
      actorId: decision.decidedBy,
      ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    });
    switch (outcome) {
      case 'done':
        deps.logger?.info('bis number issued', { registrationId: registration.registrationId, attempt });
        return bisNumber;
      case 'number-taken':
      case 'contention':
        deps.logger?.warn('bis number attempt failed, trying the next sequence', {
          registrationId: registration.registrationId,
          outcome,
        });
        continue;
      case 'person-has-insz':
        throw new PersonAlreadyHasInszError();
      case 'state-changed': {
        const current = await deps.repository.getRegistration(registration.registrationId);
        if (current?.status === 'APPROVED' && current.bisNumber) return current.bisNumber;
        throw new RegistrationStateError(
          `Cannot approve a registration in status ${current?.status ?? 'none'}`,
        );
      }
    }
  }
  // Reaching here takes ten taken numbers in a row: the register was seeded around the counter.
  throw new BisNumberCollisionError(MAX_ISSUE_ATTEMPTS);
}
