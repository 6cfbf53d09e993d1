/**
 * The foreign-company registration as an approval request (`#shared/approval/runtime`): the security
 * officers' mailbox is asked; approve creates the organisation with the applicant as legal
 * representative and local administrator (one transaction, audited), reject closes. No correction
 * loop. A rejected or expired registration's extract is tagged for deletion.
 *
 * A registration of an organisation that already has administrators (another registration of the
 * same company won, or the codes normalise to an existing one), or of one that looks like another
 * organisation (same confusable skeleton of the name or number), is never completed by one officer:
 * the decision route records a first approval with its documented check, and only a second,
 * different officer's approval applies it (`secondCheck`). Without it the approval transaction is
 * conditioned on the organisation being new or without administrators; when that fails (two
 * registrations of one new company approved at once) the later one is closed, nothing granted.
 */
import type { ApprovalAdapter, ApprovalStore } from '#shared/approval/runtime';
import { TransientError } from '#shared/errors';
import { ForeignRegistrationStateError } from './errors.ts';
import type { ForeignRegistration, PendingDecision } from './organisation.ts';
import type { ForeignRegistrationsApiDeps, OrganisationsTaskDeps } from './ports.ts';
import { extractKeyOf } from './uploads.ts';

const MAX_ATTEMPTS = 5;

type StoreDeps = Pick<ForeignRegistrationsApiDeps, 'repository' | 'now' | 'logger'>;

/** What the API needs of a foreign registration to decide and expire it. */
export function foreignRegistrationStore(
  deps: StoreDeps,
): ApprovalStore<ForeignRegistration, PendingDecision> {
  const { repository } = deps;
  return {
    label: 'foreign registration',
    idKey: 'registrationId',
    pendingStatus: 'PENDING_REVIEW',
    idOf: (registration) => registration.registrationId,
    load: (registrationId) => repository.getForeignRegistration(registrationId),
    tokens: repository,
    stateError: (message) => new ForeignRegistrationStateError(message),
    logger: deps.logger,
    close: (registration, { reason }) =>
      repository.expireForeign(registration, reason, deps.now().toISOString()),
  };
}

/** The foreign registration's approval workflow steps. */
export function foreignRegistrationApproval(
  deps: OrganisationsTaskDeps,
): ApprovalAdapter<ForeignRegistration, PendingDecision> {
  const { repository } = deps;

  const approve = async (registration: ForeignRegistration, decision: PendingDecision): Promise<boolean> => {
    const { orgCode, personId } = registration;
    const secondCheck =
      registration.firstApproval !== undefined && registration.firstApproval.decidedBy !== decision.decidedBy;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [previous, organisation] = await Promise.all([
        repository.getMembership(personId, orgCode),
        repository.getOrganisation(orgCode),
      ]);
      const name = organisation?.name ?? registration.name;
      const now = deps.now().toISOString();
      const outcome = await repository.approveForeign(
        registration,
        decision,
        {
          orgCode,
          name,
          country: registration.country,
          kind: 'foreign',
          registrationNumber: registration.registrationNumber,
          address: registration.address,
          createdAt: now,
        },
        { personId, orgCode, orgName: name, legalRepresentative: true, previous, now },
        {
          // Deterministic: a retried step cannot append a second entry (the Put is conditional).
          entryId: decision.decisionId,
          orgCode,
          at: now,
          action: 'foreign-registration-approved',
          actor: decision.decidedBy,
          subject: personId,
          details: {
            registrationId: registration.registrationId,
            ...(secondCheck && registration.firstApproval
              ? { firstApprovedBy: registration.firstApproval.decidedBy }
              : {}),
          },
        },
        secondCheck,
      );
      if (outcome === 'done') {
        deps.logger?.info('foreign registration approved', {
          registrationId: registration.registrationId,
          orgCode,
        });
        return true;
      }
      if (outcome === 'state-changed') return false;
      if (outcome === 'lookalike-organisation') {
        await foreignRegistrationStore(deps).close(registration, {
          reason:
            'An organisation whose name or registration number looks the same was registered meanwhile: approving needs a second check by another security officer.',
        });
        deps.logger?.warn('foreign registration approval refused: it looks like another organisation', {
          registrationId: registration.registrationId,
        });
        return false;
      }
      if (outcome === 'existing-organisation') {
        await foreignRegistrationStore(deps).close(registration, {
          reason:
            'The organisation is registered already: adding a representative needs a second check by another security officer.',
        });
        deps.logger?.warn('foreign registration approval refused: the organisation exists', {
          registrationId: registration.registrationId,
        });
        return false;
      }
    }
    throw new TransientError('The approval kept conflicting with concurrent changes.');
  };

  return {
    ...foreignRegistrationStore(deps),
    mailer: deps.mailer,
    now: deps.now,
    settledStatuses: ['APPROVED', 'REJECTED', 'EXPIRED'],
    outcomes: {
      approve: { status: 'APPROVED', apply: approve },
      reject: {
        status: 'REJECTED',
        apply: (registration, decision) =>
          repository.rejectForeign(registration, decision, deps.now().toISOString()),
      },
    },
    approverMails: async (registration) => [
      {
        to: deps.securityOfficersEmail,
        template: 'foreign-registration-review-requested',
        data: { registrationId: registration.registrationId },
      },
    ],
    requester: async (registration) => ({ to: registration.email, locale: registration.locale }),
    async beforeRequesterNotice(registration) {
      if (registration.status === 'REJECTED' || registration.status === 'EXPIRED') {
        await deps.uploads.setState(extractKeyOf(registration), 'discarded');
      }
    },
    outcomeNotices: {
      APPROVED: ({ registrationId, name, orgCode }) => ({
        template: 'foreign-registration-approved',
        data: { registrationId, organisationName: name, orgCode },
      }),
      REJECTED: ({ registrationId, name, reason }) => ({
        template: 'foreign-registration-rejected',
        data: { registrationId, organisationName: name, reason: reason ?? '' },
      }),
      EXPIRED: ({ registrationId, name }) => ({
        template: 'foreign-registration-expired',
        data: { registrationId, organisationName: name },
      }),
    },
    failureNotice: ({ registrationId, name }) => ({
      template: 'foreign-registration-failed',
      data: { registrationId, organisationName: name },
    }),
  };
}
