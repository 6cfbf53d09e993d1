/**
 * The security officers' queue of identity cases: a verified login (itsme, PID) took a national
 * number that another person held by weaker evidence, and that person was suspended (the login
 * trigger opens the case). Officers list the cases and close each one once: lift the suspension
 * (the person's rights come back, without the number) or keep it. Every decision is audited in the
 * suspended person's activity log, with the officer and the reason, and mailed to the person.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors';
import type { Page } from '#shared/http/pagination';
import type { LoggerPort } from '../resolve-person.ts';
import type { IdentityCase, IdentityStore } from './identity-store.ts';

/** Collaborators of the case use cases. */
export interface IdentityCaseDeps {
  store: Pick<IdentityStore, 'listCases' | 'getCase' | 'loadProfile' | 'resolveCase'>;
  now: () => Date;
  newId: () => string;
  logger: LoggerPort;
}

/** `GET /security/identity-cases`. */
export function listIdentityCases(
  deps: IdentityCaseDeps,
  query: { status: 'OPEN' | 'RESOLVED'; limit: number; cursor?: string | undefined },
): Promise<Page<IdentityCase>> {
  return deps.store.listCases(query.status, query.limit, query.cursor);
}

const NOT_FOUND = 'There is no identity case with this reference.';

/**
 * `POST /security/identity-cases/{caseId}/resolution`: OPEN → RESOLVED, one winner.
 * @throws NotFoundError unknown case.
 * @throws ForbiddenError the officer is one of the persons of the case.
 * @throws ConflictError the case was resolved already.
 */
export async function resolveIdentityCase(
  deps: IdentityCaseDeps,
  officerId: string,
  caseId: string,
  decision: { resolution: 'lift-suspension' | 'keep-suspended'; reason: string },
): Promise<IdentityCase> {
  const identityCase = await deps.store.getCase(caseId);
  if (!identityCase) throw new NotFoundError(NOT_FOUND);
  if (officerId === identityCase.suspendedPersonId || officerId === identityCase.verifiedPersonId) {
    throw new ForbiddenError('You cannot decide a case about your own account.');
  }
  if (identityCase.status !== 'OPEN') throw new ConflictError('This case has been resolved already.');
  for (let round = 0; round < 3; round++) {
    const person = await deps.store.loadProfile(identityCase.suspendedPersonId);
    const liftProfile =
      decision.resolution === 'lift-suspension' && person?.suspensionCaseId === identityCase.caseId;
    const at = deps.now().toISOString();
    const outcome = await deps.store.resolveCase(
      { identityCase, ...decision, officerId, liftProfile, at },
      deps.newId,
    );
    if (outcome === 'resolved') {
      deps.logger.info('identity case resolved', { caseId, resolution: decision.resolution, officerId });
      return {
        ...identityCase,
        status: 'RESOLVED',
        resolvedAt: at,
        resolvedBy: officerId,
        resolution: decision.resolution,
        reason: decision.reason,
      };
    }
    if (outcome === 'already-resolved') throw new ConflictError('This case has been resolved already.');
  }
  throw new Error(`resolving identity case ${caseId} did not settle`);
}
