import { expire } from '#shared/approval/runtime';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import { newId as defaultNewId } from '#shared/ids';
import { TaskTokenExpiredError } from '#shared/workflow';
import { bisRegistrationStore } from './approval.ts';
import type { BisApiDeps } from './ports.ts';
import { isBisAgent, matchesEidasIdentity } from './registration.ts';
import type { RegistrationAccepted } from './submit-registration.ts';

/**
 * The applicant's correction of a request sent back by an agent: replaces the data, puts the request
 * back in review (registration + history in one transaction, conditioned on the stored task token),
 * then answers the workflow's `await-correction` task.
 *
 * @throws NotFoundError unknown, or not visible to the caller
 * @throws ForbiddenError an agent who is not the applicant
 * @throws ConflictError not waiting for a correction, or the correction period has ended
 * @throws RuleViolationError names or birth date differ from the eIDAS identity
 */
export async function submitCorrection(
  deps: BisApiDeps,
  caller: Caller,
  registrationId: string,
  data: PersonData,
): Promise<RegistrationAccepted> {
  const registration = await deps.repository.getRegistration(registrationId);
  if (!registration || (registration.personId !== caller.personId && !isBisAgent(caller))) {
    throw new NotFoundError('There is no such BIS number request.');
  }
  if (registration.personId !== caller.personId) {
    throw new ForbiddenError('Only the applicant can correct a request.');
  }
  if (registration.status !== 'NEEDS_CORRECTION') {
    throw new ConflictError('This request is not waiting for a correction.', {
      code: 'not-awaiting-correction',
    });
  }
  const profile = await deps.repository.getProfile(caller.personId);
  if (!profile || !matchesEidasIdentity(data, profile)) {
    throw new RuleViolationError(
      'Your names and date of birth must be exactly those of the European eID you signed in with.',
      { code: 'identity-mismatch' },
    );
  }

  const id = deps.newId ?? defaultNewId;
  const taskToken = await deps.repository.applyCorrection(registrationId, caller.personId, data, {
    entryId: id(),
    at: deps.now().toISOString(),
    event: 'corrected',
    status: 'PENDING_REVIEW',
    actor: 'applicant',
    actorId: caller.personId,
  });
  try {
    await deps.workflow.sendTaskSuccess(taskToken, { corrected: true });
  } catch (error) {
    if (error instanceof TaskTokenExpiredError) {
      await expire(bisRegistrationStore(deps), registration, {
        reason: 'The correction arrived after the request had been closed.',
      });
    } else {
      // In review without a token: the workflow's correction wait will expire it.
      deps.logger?.error('bis correction stored but the workflow could not be told', { registrationId });
    }
    throw error;
  }
  deps.logger?.info('bis registration corrected', { registrationId });
  return { registrationId, status: 'PENDING_REVIEW' };
}
