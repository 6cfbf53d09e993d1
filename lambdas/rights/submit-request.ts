import { expire } from '#shared/approval/runtime';
import { ConflictError, ForbiddenError, TransientError, ValidationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { resolveLocale } from '#shared/locale';
import { organisationNotFound } from '#shared/organisation-access';
import { rightRequestStore } from './approval.ts';
import { auditEntries, SYSTEM_ACTOR } from './audit-entries.ts';
import { defaultValidUntil, findRole } from './catalogue.ts';
import type { RightsApiDeps } from './ports.ts';
import type { Grant, RightRequest, RightRequestAccepted } from './right-request.ts';

/** What `POST /organisations/{orgCode}/right-requests` receives after validation. */
export interface SubmitRightRequestInput {
  application: string;
  role: string;
  justification?: string | undefined;
}

/**
 * Requests a role in an application on behalf of an organisation (the self-registration link's
 * target). Only people with an INSZ may request — read from their profile, not from the token. Anyone
 * with an INSZ may request for any existing organisation, member or not: that is what self-registration
 * links are for, and it reveals no more than that the organisation code exists.
 *
 * A link carries no authority by itself (DOMAIN.md section 5): a role without approval is granted at
 * once only to a person who is already a member of the organisation (request APPROVED, grant, audit —
 * one transaction that also checks the membership still exists). Anyone else's request, and every
 * role that needs approval, is persisted PENDING with its open-request marker and audit entry, then
 * the approval workflow named after the request id starts and the local administrators decide.
 *
 * @throws ValidationError unknown application or role
 * @throws ForbiddenError no INSZ (or no profile)
 * @throws NotFoundError unknown organisation
 * @throws ConflictError a request for the same role in the same organisation is open
 */
export async function submitRightRequest(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  input: SubmitRightRequestInput,
): Promise<RightRequestAccepted> {
  const role = findRole(input.application, input.role);
  if (!role) {
    throw new ValidationError('There is no such role.', [
      { path: 'role', message: 'Unknown role', code: 'not-allowed', params: { field: 'role' } },
    ]);
  }
  const [profile, organisation, membership] = await Promise.all([
    deps.repository.getProfile(caller.personId),
    deps.repository.getOrganisation(orgCode),
    deps.repository.getMembership(caller.personId, orgCode),
  ]);
  if (!profile?.insz) {
    throw new ForbiddenError(
      'Rights can only be requested with a Belgian national or BIS number. Link yours first.',
      { code: 'insz-required' },
    );
  }
  if (!organisation) throw organisationNotFound();
  const atOnce = !role.requiresApproval && membership !== undefined;

  const id = deps.newId ?? defaultNewId;
  const now = deps.now();
  const at = now.toISOString();
  const requestId = id();
  const request: RightRequest = {
    requestId,
    personId: caller.personId,
    orgCode,
    application: input.application,
    role: input.role,
    ...(input.justification !== undefined ? { justification: input.justification } : {}),
    requester: { givenNames: profile.givenNames, familyName: profile.familyName },
    status: 'PENDING',
    locale: resolveLocale(profile.locale),
    createdAt: at,
    updatedAt: at,
    waiting: false,
  };
  const requested = {
    action: 'right-requested' as const,
    actor: caller.personId,
    subject: caller.personId,
    ...(input.justification !== undefined ? { reason: input.justification } : {}),
    details: { requestId, application: input.application, role: input.role },
  };

  if (atOnce) {
    const grant: Grant = {
      grantId: id(),
      personId: caller.personId,
      orgCode,
      application: input.application,
      role: input.role,
      validFrom: at,
      validUntil: defaultValidUntil(role, now),
      grantedBy: SYSTEM_ACTOR,
      requestId,
    };
    const approved: RightRequest = {
      ...request,
      status: 'APPROVED',
      decidedBy: SYSTEM_ACTOR,
      decidedAt: at,
      grantId: grant.grantId,
      validUntil: grant.validUntil,
    };
    const audit = auditEntries(
      orgCode,
      at,
      [
        requested,
        {
          action: 'right-granted',
          actor: SYSTEM_ACTOR,
          subject: caller.personId,
          reason: 'This role is granted without approval to members of the organisation.',
          details: {
            requestId,
            grantId: grant.grantId,
            application: grant.application,
            role: grant.role,
            validUntil: grant.validUntil,
          },
        },
      ],
      id,
    );
    const outcome = await deps.repository.grantAtOnce(approved, grant, audit);
    if (outcome === 'open-request') {
      throw new ConflictError('You already have an open request for this role in this organisation.', {
        code: 'open-request-exists',
      });
    }
    if (outcome === 'done') {
      deps.logger?.info('right granted without approval', { requestId, orgCode });
      return { requestId, status: 'APPROVED' };
    }
    // The membership was removed meanwhile: the request waits for an administrator like anyone else's.
    if (outcome !== 'not-member') throw new TransientError(`granting failed (${outcome})`);
  }

  await deps.repository.createPendingRequest(request, auditEntries(orgCode, at, [requested], id));
  try {
    // Only the id enters Step Functions: no personal data in execution history.
    await deps.workflow.startExecution(requestId, { requestId });
  } catch (error) {
    // The request would wait forever and block a new one: close it, then fail (5xx).
    await expire(rightRequestStore(deps), request, {
      reason: 'The approval could not be started.',
      failed: true,
    }).catch(() => undefined);
    throw error;
  }
  deps.logger?.info('right request submitted', { requestId, orgCode });
  return { requestId, status: 'PENDING' };
}
