/**
 * Granting a right: the grant item, the membership of a newcomer, the audit entries, and the retry
 * when the person became a member in the meantime. Shared by the auto-grant at request time and the
 * approval in the workflow.
 */
import { newId as defaultNewId } from '#shared/ids';
import { type AuditDraft, auditEntries } from './audit-entries.ts';
import type { Grant, RightRequest } from './right-request.ts';
import type {
  GrantOutcome,
  NewMembership,
  OrganisationProfile,
  RightsRepository,
} from './rights-repository.ts';

/** What a grant transaction needs besides the grant. */
export interface GrantPlan {
  request: RightRequest;
  grant: Grant;
  organisation: OrganisationProfile;
  /** Entries describing the change itself (request, decision), before `member-added` and `right-granted`. */
  leading: readonly AuditDraft[];
  /** Who grants: the deciding administrator, or the system for roles without approval. */
  grantedBy: string;
  /** Why it was granted (audit reason of `right-granted`). */
  reason?: string;
  at: string;
}

/**
 * Runs `write` with a membership to create when the person is not a member, again without one when
 * they became a member meanwhile (at most 3 rounds).
 */
export async function withMembership(
  repository: Pick<RightsRepository, 'getMembership'>,
  plan: GrantPlan,
  newId: () => string = defaultNewId,
  write: (
    membership: NewMembership | undefined,
    audit: ReturnType<typeof auditEntries>,
  ) => Promise<GrantOutcome>,
): Promise<GrantOutcome> {
  const { request, grant } = plan;
  let outcome: GrantOutcome = 'contention';
  for (let round = 0; round < 3; round++) {
    const member = await repository.getMembership(request.personId, request.orgCode);
    const membership: NewMembership | undefined = member
      ? undefined
      : {
          personId: request.personId,
          orgCode: request.orgCode,
          name: plan.organisation.name,
          createdAt: plan.at,
        };
    const drafts: AuditDraft[] = [
      ...plan.leading,
      ...(membership
        ? [
            {
              action: 'member-added' as const,
              actor: plan.grantedBy,
              subject: request.personId,
              reason: 'Joined the organisation with a granted right.',
              details: { requestId: request.requestId },
            },
          ]
        : []),
      {
        action: 'right-granted',
        actor: plan.grantedBy,
        subject: request.personId,
        ...(plan.reason !== undefined ? { reason: plan.reason } : {}),
        details: {
          requestId: request.requestId,
          grantId: grant.grantId,
          application: grant.application,
          role: grant.role,
          validUntil: grant.validUntil,
        },
      },
    ];
    outcome = await write(membership, auditEntries(request.orgCode, plan.at, drafts, newId));
    if (outcome !== 'membership-exists' && outcome !== 'contention') return outcome;
  }
  return outcome;
}
