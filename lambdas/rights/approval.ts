/**
 * The right request as an approval request (`#shared/approval/runtime`): approvers are the local
 * administrators of the organisation except the requester; approve grants (with the membership of a
 * newcomer), deny closes, both audited in the same transaction. No correction loop.
 */
import type { ApprovalAdapter, ApprovalMail, ApprovalStore } from '#shared/approval/runtime';
import { TransientError } from '#shared/errors';
import { newId as defaultNewId } from '#shared/ids';
import { resolveLocale } from '#shared/locale';
import { auditEntries, SYSTEM_ACTOR } from './audit-entries.ts';
import { displayNameIn, findApplication, findRole, lastValidDay } from './catalogue.ts';
import { RightRequestStateError } from './errors.ts';
import { withMembership } from './grant-right.ts';
import type { RightsApiDeps, RightsTaskDeps } from './ports.ts';
import type { Grant, PendingRightDecision, RightRequest } from './right-request.ts';

type StoreDeps = Pick<RightsApiDeps, 'repository' | 'now' | 'newId' | 'logger'>;

/** What the API needs of a right request to decide and expire it. */
export function rightRequestStore(deps: StoreDeps): ApprovalStore<RightRequest, PendingRightDecision> {
  const { repository } = deps;
  return {
    label: 'right request',
    idKey: 'requestId',
    pendingStatus: 'PENDING',
    idOf: (request) => request.requestId,
    load: (requestId) => repository.getRequest(requestId),
    tokens: repository,
    stateError: (message) => new RightRequestStateError(message),
    logger: deps.logger,
    close(request, { reason }) {
      const at = deps.now().toISOString();
      return repository.expire(
        request,
        reason,
        at,
        auditEntries(
          request.orgCode,
          at,
          [
            {
              action: 'right-request-expired',
              actor: SYSTEM_ACTOR,
              subject: request.personId,
              reason,
              details: { requestId: request.requestId, application: request.application, role: request.role },
            },
          ],
          deps.newId,
        ),
      );
    },
  };
}

/** The right request's approval workflow steps. */
export function rightRequestApproval(
  deps: RightsTaskDeps,
): ApprovalAdapter<RightRequest, PendingRightDecision> {
  const { repository } = deps;
  const id = deps.newId ?? defaultNewId;

  /** The catalogue names and organisation name a mail about `request` shows, in `locale`. */
  const mailNames = async (request: RightRequest, locale: string | undefined) => {
    const organisation = await repository.getOrganisation(request.orgCode);
    const application = findApplication(request.application);
    const role = findRole(request.application, request.role);
    return {
      requestId: request.requestId,
      organisationName: organisation?.name ?? request.orgCode,
      application: application ? displayNameIn(application.displayName, locale) : request.application,
      role: role ? displayNameIn(role.displayName, locale) : request.role,
    };
  };

  const approve = async (request: RightRequest, decision: PendingRightDecision): Promise<boolean> => {
    if (!decision.validUntil) throw new RightRequestStateError('An approval without validity');
    const at = deps.now().toISOString();
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
    const organisation = (await repository.getOrganisation(request.orgCode)) ?? {
      orgCode: request.orgCode,
      name: request.orgCode,
    };
    const outcome = await withMembership(
      repository,
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
            details: {
              requestId: request.requestId,
              application: request.application,
              role: request.role,
              validUntil: decision.validUntil,
            },
          },
        ],
        grantedBy: decision.decidedBy,
        at,
      },
      id,
      (membership, audit) => repository.approve(request, decision, grant, membership, audit),
    );
    if (outcome === 'decider-removed') {
      // The administrator lost their rights between deciding and the grant: their word no longer
      // counts. The request closes (the requester is told) rather than granting on a removed authority.
      await rightRequestStore(deps).close(request, {
        reason: 'The administrator who approved is no longer a local administrator.',
      });
      deps.logger?.warn('right request approval refused: the decider was removed', {
        requestId: request.requestId,
      });
      return false;
    }
    if (outcome === 'contention' || outcome === 'membership-exists') {
      throw new TransientError('the approval conflicted with concurrent writes');
    }
    return outcome === 'done';
  };

  const deny = (request: RightRequest, decision: PendingRightDecision): Promise<boolean> => {
    const at = deps.now().toISOString();
    return repository.deny(
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
            details: { requestId: request.requestId, application: request.application, role: request.role },
          },
        ],
        id,
      ),
    );
  };

  return {
    ...rightRequestStore(deps),
    mailer: deps.mailer,
    now: deps.now,
    settledStatuses: ['APPROVED', 'DENIED', 'EXPIRED'],
    outcomes: { approve: { status: 'APPROVED', apply: approve }, deny: { status: 'DENIED', apply: deny } },

    /**
     * Every local administrator except the requester (who may not decide). Administrators without an
     * e-mail address are skipped: the request waits in their inbox anyway.
     */
    async approverMails(request) {
      const administrators = (await repository.listAdministrators(request.orgCode)).filter(
        (personId) => personId !== request.personId,
      );
      const mails: ApprovalMail[] = [];
      for (const personId of administrators) {
        const profile = await repository.getProfile(personId);
        if (!profile?.email) continue;
        const locale = resolveLocale(profile.locale);
        mails.push({
          to: profile.email,
          locale,
          template: 'right-request-review-requested',
          data: await mailNames(request, locale),
          key: personId,
        });
      }
      if (mails.length === 0) {
        deps.logger?.warn('no local administrator could be mailed', {
          requestId: request.requestId,
          administrators: administrators.length,
          withoutEmail: administrators.length,
        });
      }
      return mails;
    },

    async requester(request) {
      const profile = await repository.getProfile(request.personId);
      if (!profile?.email) return undefined;
      return {
        to: profile.email,
        locale: profile.locale !== undefined ? resolveLocale(profile.locale) : request.locale,
      };
    },

    outcomeNotices: {
      APPROVED: async (request, locale) => ({
        template: 'right-request-approved',
        data: {
          ...(await mailNames(request, locale)),
          validUntil: request.validUntil ? lastValidDay(request.validUntil) : '',
        },
      }),
      DENIED: async (request, locale) => ({
        template: 'right-request-denied',
        data: { ...(await mailNames(request, locale)), reason: request.reason ?? '' },
      }),
      EXPIRED: async (request, locale) => ({
        template: 'right-request-expired',
        data: await mailNames(request, locale),
      }),
    },
    failureNotice: async (request, locale) => ({
      template: 'right-request-failed',
      data: await mailNames(request, locale),
    }),
  };
}
