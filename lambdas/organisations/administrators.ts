import { ConflictError, ForbiddenError, NotFoundError, TransientError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { gsi1List, type Page, type PageQuery } from '#shared/http/pagination';
import { newId as defaultNewId } from '#shared/ids';
import { inszKeyHash, organisationKeys } from '#shared/keys';
import {
  type MembershipReader,
  organisationNotFound,
  requireLocalAdministrator,
  requireMember,
} from '#shared/organisation-access';
import { MAX_PENDING_ORGANISATIONS } from '#shared/pending-memberships';
import type { MembershipView, MemberView, OrganisationView } from './organisation.ts';
import type { StoredMembership } from './organisations-repository.ts';
import type { OrganisationsApiDeps } from './ports.ts';
import { recheckActingRepresentative } from './representative-check.ts';

const MAX_ATTEMPTS = 5;

const reader = (deps: Pick<OrganisationsApiDeps, 'repository'>): MembershipReader => ({
  getMembership: (personId, orgCode) => deps.repository.getActiveMembership(personId, orgCode),
});

/**
 * The caller as a local administrator of the organisation, re-checked against the company register
 * when the role comes from the register alone (`recheckActingRepresentative`).
 * @throws NotFoundError not a member; ForbiddenError not an administrator, or no longer in the register
 */
async function actingAdministrator(
  deps: OrganisationsApiDeps,
  personId: string,
  orgCode: string,
): Promise<StoredMembership> {
  const membership = (await requireLocalAdministrator(reader(deps), personId, orgCode)) as StoredMembership;
  await recheckActingRepresentative(deps, membership);
  return membership;
}

/**
 * The organisation profile, for its members; anyone else gets 404 whether it exists or not.
 * @throws NotFoundError not a member
 */
export async function getOrganisation(
  deps: Pick<OrganisationsApiDeps, 'repository'>,
  caller: Caller,
  orgCode: string,
): Promise<OrganisationView> {
  const membership = await requireMember(reader(deps), caller.personId, orgCode);
  const organisation = await deps.repository.getOrganisation(orgCode);
  if (!organisation) throw organisationNotFound();
  return {
    ...organisation,
    membership: {
      localAdministrator: membership.localAdministrator,
      legalRepresentative: membership.legalRepresentative,
    },
  };
}

/** Query of the members list. */
export type ListMembersQuery = PageQuery;

/**
 * The members of an organisation with their roles and names, by person id, a page at a time
 * (local administrators). The cursor is bound to the organisation.
 * @throws NotFoundError not a member; ForbiddenError a member but not an administrator
 */
export async function listMembers(
  deps: OrganisationsApiDeps,
  caller: Caller,
  orgCode: string,
  query: ListMembersQuery,
): Promise<Page<MemberView>> {
  await actingAdministrator(deps, caller.personId, orgCode);
  const partition = organisationKeys.membersPartition(orgCode);
  const list = gsi1List(partition, `GSI1#${partition}#MEMBERS`);
  const page = await deps.repository.listMembers(orgCode, query.limit, list.startKey(query.cursor));
  const persons = await deps.repository.getPersons(page.items.map((member) => member.personId));
  const items = page.items.map((member): MemberView => {
    const person = persons.get(member.personId);
    return {
      personId: member.personId,
      ...(person?.givenNames ? { givenNames: person.givenNames } : {}),
      ...(person?.familyName ? { familyName: person.familyName } : {}),
      localAdministrator: member.localAdministrator,
      legalRepresentative: member.legalRepresentative,
      since: member.createdAt,
    };
  });
  return list.page(items, page.lastEvaluatedKey);
}

/** What `POST /organisations/{orgCode}/administrators` answers. */
export type AppointResult =
  | { created: boolean; pending?: false; administrator: MembershipView & { personId: string } }
  | { created: boolean; pending: true; administrator: PendingAdministratorView };

/** `POST /organisations/{orgCode}/administrators` for a number nobody has logged in with yet. */
export interface PendingAdministratorView {
  orgCode: string;
  name: string;
  localAdministrator: true;
  /** The appointment waits for the person's first login with verified evidence of this number. */
  pending: true;
}

/**
 * A local administrator appoints a person, known by a linked INSZ, as local administrator: the
 * person becomes a member when they were not. Idempotent (already an administrator: nothing written).
 * @throws NotFoundError not a member; ForbiddenError not an administrator (or no longer one)
 * @throws RuleViolationError nobody with this INSZ has signed in (and linked it) yet
 */
export async function appointAdministrator(
  deps: OrganisationsApiDeps,
  caller: Caller,
  orgCode: string,
  insz: string,
): Promise<AppointResult> {
  const actor = await actingAdministrator(deps, caller.personId, orgCode);
  const personId = await deps.repository.findVerifiedHolder(insz);
  const id = deps.newId ?? defaultNewId;
  if (!personId) return appointPending(deps, caller, actor, insz, id);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const previous = await deps.repository.getMembership(personId, orgCode);
    const view = (legalRepresentative: boolean) => ({
      personId,
      orgCode,
      name: actor.name,
      localAdministrator: true,
      legalRepresentative,
    });
    if (previous?.localAdministrator) {
      return { created: false, administrator: view(previous.legalRepresentative) };
    }
    const now = deps.now().toISOString();
    const outcome = await deps.repository.appointAdministrator(
      {
        personId,
        orgCode,
        orgName: actor.name,
        legalRepresentative: false,
        previous,
        now,
        source: 'appointment',
      },
      caller.personId,
      {
        entryId: id(),
        orgCode,
        at: now,
        action: 'administrator-appointed',
        actor: caller.personId,
        subject: personId,
        details: { newMember: previous ? 'false' : 'true' },
      },
    );
    if (outcome === 'done') {
      deps.logger?.info('administrator appointed', { orgCode, personId, by: caller.personId });
      return { created: true, administrator: view(previous?.legalRepresentative === true) };
    }
    if (outcome === 'forbidden') {
      throw new ForbiddenError('Only the local administrators of this organisation may do this.', {
        code: 'not-local-administrator',
      });
    }
    if (outcome === 'missing') throw organisationNotFound();
  }
  throw new TransientError('The appointment kept conflicting with concurrent changes.');
}

/**
 * Seed 001: the local administrator registers a colleague by national number before the colleague
 * ever logged in. The appointment waits on the number's hash (never the number itself, O22) and becomes a membership when the number
 * is linked on verified evidence: a login with itsme or a PID (`resolvePerson`), or a registration
 * officer who checked the person's documents (`lambdas/native/`) — never through a bare register
 * match. At most `MAX_PENDING_ORGANISATIONS` organisations wait on one number (409 `pending-limit`);
 * a waiting appointment lapses after `PENDING_MEMBERSHIP_TTL_DAYS` without a new one. Audited now;
 * repeated: 200.
 */
async function appointPending(
  deps: OrganisationsApiDeps,
  caller: Caller,
  actor: StoredMembership,
  insz: string,
  id: () => string,
): Promise<AppointResult> {
  const administrator: PendingAdministratorView = {
    orgCode: actor.orgCode,
    name: actor.name,
    localAdministrator: true,
    pending: true,
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const now = deps.now().toISOString();
    const outcome = await deps.repository.addPendingAppointment(
      inszKeyHash(insz),
      {
        orgCode: actor.orgCode,
        name: actor.name,
        localAdministrator: true,
        appointedBy: caller.personId,
        at: now,
      },
      caller.personId,
      {
        entryId: id(),
        orgCode: actor.orgCode,
        at: now,
        action: 'administrator-appointed-pending',
        actor: caller.personId,
        subject: 'pending',
        reason: 'Appointed by national number; takes effect at the person’s first login.',
      },
    );
    if (outcome === 'done') {
      deps.logger?.info('administrator appointment pending first login', { orgCode: actor.orgCode });
      return { created: true, pending: true, administrator };
    }
    if (outcome === 'exists') return { created: false, pending: true, administrator };
    if (outcome === 'full') {
      throw new ConflictError(
        `This national number already waits for ${MAX_PENDING_ORGANISATIONS} organisations. ` +
          'The person must log in once (with itsme or at a registration office) before more appointments.',
        { code: 'pending-limit' },
      );
    }
    if (outcome === 'forbidden') {
      throw new ForbiddenError('Only the local administrators of this organisation may do this.', {
        code: 'not-local-administrator',
      });
    }
  }
  throw new TransientError('The appointment kept conflicting with concurrent changes.');
}

/**
 * Takes the local-administrator role from a person (they stay a member). Never from the last
 * administrator (409); never from a legal representative by someone else (403) — a legal
 * representative may step down themselves.
 * @throws NotFoundError not a member, or the person is not an administrator of the organisation
 */
export async function removeAdministrator(
  deps: OrganisationsApiDeps,
  caller: Caller,
  orgCode: string,
  personId: string,
): Promise<void> {
  await actingAdministrator(deps, caller.personId, orgCode);
  const id = deps.newId ?? defaultNewId;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const target = await deps.repository.getMembership(personId, orgCode);
    if (!target?.localAdministrator) {
      throw new NotFoundError('This person is not a local administrator of the organisation.', {
        code: 'not-an-administrator',
      });
    }
    if (target.legalRepresentative && personId !== caller.personId) {
      throw new ForbiddenError('A legal representative can only be removed as administrator by themselves.', {
        code: 'legal-representative-self-only',
      });
    }
    const now = deps.now().toISOString();
    const outcome = await deps.repository.removeAdministrator(
      orgCode,
      personId,
      caller.personId,
      {
        entryId: id(),
        orgCode,
        at: now,
        action: 'administrator-removed',
        actor: caller.personId,
        subject: personId,
      },
      target.name,
    );
    if (outcome === 'done') {
      deps.logger?.info('administrator removed', { orgCode, personId, by: caller.personId });
      return;
    }
    if (outcome === 'last-administrator') {
      throw new ConflictError('The last local administrator of an organisation cannot be removed.', {
        code: 'last-administrator',
      });
    }
    if (outcome === 'forbidden') {
      throw new ForbiddenError('Only the local administrators of this organisation may do this.', {
        code: 'not-local-administrator',
      });
    }
  }
  throw new TransientError('The removal kept conflicting with concurrent changes.');
}
