/**
 * Seed 001, "they will require the Belgian national identification number you obtained, and will
 * register you": a local administrator grants a colleague a role by national number
 * (`POST /organisations/{orgCode}/grants`). The administrator's decision is the approval — the same
 * authority that decides right requests — so nothing here lets a link, a request or the number
 * itself carry authority:
 *
 * - A person holds the number (INSZ link): the request is stored APPROVED, decided by the
 *   administrator, with the grant, the membership when the person is new to the organisation and the
 *   audit entries, in one transaction that also checks the administrator still is one and that no
 *   request of the person for this role is open (409: decide that one instead). 201.
 * - Nobody holds it yet: the role waits on the number's marker (hashed, never the number) with an
 *   audit entry `right-granted-pending`, and becomes a membership and a grant when the number is
 *   linked on verified evidence (lambdas/shared/pending-memberships.ts). 202; the same role again 200.
 *
 * An administrator never grants themselves a role (403 `own-request`), as they never decide their
 * own request.
 */
import { ConflictError, ForbiddenError, TransientError } from '#shared/errors';
import type { Grant } from '#shared/grant-item';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { inszKeyHash } from '#shared/keys';
import { resolveLocale } from '#shared/locale';
import { MAX_PENDING_GRANTS, MAX_PENDING_ORGANISATIONS } from '#shared/pending-memberships';
import { requireActingAdministrator } from './acting-administrator.ts';
import { chosenValidUntil, displayNameIn, findRole } from './catalogue.ts';
import { withMembership } from './grant-right.ts';
import type { RightsApiDeps } from './ports.ts';
import type { RightRequest } from './right-request.ts';

/** What `POST /organisations/{orgCode}/grants` receives after validation. */
export interface GrantByNumberInput {
  insz: string;
  application: string;
  role: string;
  validUntil?: string | undefined;
}

/** The role as granted (201) or as it waits on the number (202/200). */
export type GrantByNumberResult =
  | { pending: false; grant: Grant }
  | {
      pending: true;
      created: boolean;
      waiting: { orgCode: string; application: string; role: string; validUntil: string; pending: true };
    };

const MAX_ATTEMPTS = 4;

const notAdministrator = () =>
  new ForbiddenError('Only the local administrators of this organisation may do this.', {
    code: 'not-local-administrator',
  });

/**
 * Grants `input.role` of `input.application` in `orgCode` to the holder of `input.insz`, or lets it
 * wait on the number (see the module comment).
 * @throws NotFoundError not a member; ForbiddenError not an administrator, or the caller's own number
 * @throws ValidationError unknown role, `validUntil` out of range
 * @throws ConflictError an open request of the person for this role; too much waiting on the number
 */
export async function grantByNationalNumber(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  input: GrantByNumberInput,
): Promise<GrantByNumberResult> {
  const administrator = await requireActingAdministrator(deps, caller.personId, orgCode);
  const role = findRole(input.application, input.role);
  if (!role) throw new ConflictError('This role is no longer offered.', { code: 'role-withdrawn' });
  const now = deps.now();
  const at = now.toISOString();
  const validUntil = chosenValidUntil(role, input.validUntil, now);
  const id = deps.newId ?? defaultNewId;
  const [personId, self] = await Promise.all([
    deps.repository.findVerifiedHolder(input.insz),
    deps.repository.getProfile(caller.personId),
  ]);
  // Also the caller's own number while it waits for a link: the grant would be theirs at their next login.
  if (personId === caller.personId || self?.insz === input.insz) {
    throw new ForbiddenError('You cannot grant yourself a role; another local administrator must.', {
      code: 'own-request',
    });
  }

  if (!personId) {
    const waiting = {
      orgCode,
      application: input.application,
      role: input.role,
      validUntil,
      pending: true as const,
    };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const grantId = id();
      const outcome = await deps.repository.addPendingGrant(
        inszKeyHash(input.insz),
        orgCode,
        administrator.name,
        {
          grantId,
          requestId: id(),
          application: input.application,
          role: input.role,
          validUntil,
          grantedBy: caller.personId,
          at,
        },
        {
          entryId: id(),
          orgCode,
          at,
          action: 'right-granted-pending',
          actor: caller.personId,
          subject: 'pending',
          reason: 'Granted by national number; takes effect when the number is linked on verified evidence.',
          details: { grantId, application: input.application, role: input.role, validUntil },
        },
      );
      if (outcome === 'done') {
        deps.logger?.info('role granted by national number waits for its holder', { orgCode });
        return { pending: true, created: true, waiting };
      }
      if (outcome === 'exists') return { pending: true, created: false, waiting };
      if (outcome === 'full') {
        throw new ConflictError(
          `This national number already waits for ${MAX_PENDING_ORGANISATIONS} organisations or ` +
            `${MAX_PENDING_GRANTS} roles. The person must log in once (with itsme or at a registration ` +
            'office) before more.',
          { code: 'pending-limit' },
        );
      }
      if (outcome === 'forbidden') throw notAdministrator();
    }
    throw new TransientError('The grant kept conflicting with concurrent changes.');
  }

  const [profile, organisation] = await Promise.all([
    deps.repository.getProfile(personId),
    deps.repository.getOrganisation(orgCode),
  ]);
  if (!profile || !organisation)
    throw new TransientError('The person or the organisation is not readable now.');
  const requestId = id();
  const grant: Grant = {
    grantId: id(),
    personId,
    orgCode,
    application: input.application,
    role: input.role,
    validFrom: at,
    validUntil,
    grantedBy: caller.personId,
    requestId,
  };
  const request: RightRequest = {
    requestId,
    personId,
    orgCode,
    application: input.application,
    role: input.role,
    justification: 'Granted by a local administrator by national number.',
    requester: { givenNames: profile.givenNames, familyName: profile.familyName },
    status: 'APPROVED',
    locale: resolveLocale(profile.locale),
    createdAt: at,
    updatedAt: at,
    waiting: false,
    decidedBy: caller.personId,
    decidedAt: at,
    grantId: grant.grantId,
    validUntil,
  };
  const outcome = await withMembership(
    deps.repository,
    {
      request,
      grant,
      organisation,
      leading: [],
      grantedBy: caller.personId,
      reason: 'Granted by a local administrator by national number.',
      at,
    },
    id,
    (membership, audit) =>
      deps.repository.grantByAdministrator(request, grant, membership, audit, {
        organisationName: organisation.name,
        roleName: displayNameIn(role.displayName, profile.locale),
      }),
  );
  if (outcome === 'done') {
    deps.logger?.info('role granted by a local administrator', { orgCode, personId, requestId });
    return { pending: false, grant };
  }
  if (outcome === 'open-request') {
    throw new ConflictError('This person has an open request for this role: decide that request instead.', {
      code: 'open-request-exists',
    });
  }
  if (outcome === 'decider-removed') throw notAdministrator();
  throw new TransientError('The grant kept conflicting with concurrent changes.');
}
