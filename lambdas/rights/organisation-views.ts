/**
 * The local administrators' views of their organisation: the request inbox, current grants, the audit
 * trail, and revoking a grant. Every one starts with `requireLocalAdministrator` (non-members 404,
 * members 403); cursors are bound to the organisation and list they were issued for.
 */
import { type AuditEntry, SYSTEM_ACTOR } from '#shared/audit';
import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { decodeCursor, gsi1List, type Page, type PageQuery, toPage } from '#shared/http/pagination';
import { organisationKeys, rightsKeys } from '#shared/keys';
import { requireActingAdministrator } from './acting-administrator.ts';
import { auditEntries } from './audit-entries.ts';
import { displayNameIn, findRole } from './catalogue.ts';
import type { RightsApiDeps } from './ports.ts';
import {
  type GrantView,
  type RightRequestStatus,
  type RightRequestView,
  toGrantView,
  toRightRequestView,
} from './right-request.ts';

/** The inbox of one status, oldest first. */
export async function listRightRequests(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  query: PageQuery & { status: RightRequestStatus },
): Promise<Page<RightRequestView>> {
  await requireActingAdministrator(deps, caller.personId, orgCode);
  const list = gsi1List(rightsKeys.inboxPartition(orgCode, query.status));
  const page = await deps.repository.listInbox(
    orgCode,
    query.status,
    query.limit,
    list.startKey(query.cursor),
  );
  return list.page(page.items.map(toRightRequestView), page.lastEvaluatedKey);
}

/** Grants valid now, by grant time (expired ones wait for the sweep and TTL, and are not shown). */
export async function listGrants(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  query: PageQuery,
): Promise<Page<GrantView>> {
  await requireActingAdministrator(deps, caller.personId, orgCode);
  const list = gsi1List(rightsKeys.organisationGrantsPartition(orgCode));
  const page = await deps.repository.listGrants(
    orgCode,
    deps.now().toISOString(),
    query.limit,
    list.startKey(query.cursor),
  );
  return list.page(page.items.map(toGrantView), page.lastEvaluatedKey);
}

/**
 * Revokes a grant: the grant item is deleted with its `grant-revoked` audit entry and the person's
 * `role-revoked` activity entry and notice (mailed by the identity notices job) in one transaction.
 * Tokens already issued keep the role until they expire; the next token (a refresh included) drops it.
 * @throws NotFoundError no such grant in this organisation (or revoked already)
 */
export async function revokeGrant(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  grantId: string,
): Promise<void> {
  await requireActingAdministrator(deps, caller.personId, orgCode);
  const grant = await deps.repository.findGrant(orgCode, grantId);
  if (!grant) throw new NotFoundError('There is no such grant.');
  const at = deps.now().toISOString();
  const [organisation, profile] = await Promise.all([
    deps.repository.getOrganisation(orgCode),
    deps.repository.getProfile(grant.personId),
  ]);
  const role = findRole(grant.application, grant.role);
  const removed = await deps.repository.removeGrant(
    grant,
    auditEntries(
      orgCode,
      at,
      [
        {
          action: 'grant-revoked',
          actor: caller.personId,
          subject: grant.personId,
          details: {
            grantId,
            requestId: grant.requestId,
            application: grant.application,
            role: grant.role,
            validUntil: grant.validUntil,
          },
        },
      ],
      deps.newId,
    ),
    // The person is told what they may no longer do, in their own language where the role has it.
    {
      at,
      organisationName: organisation?.name ?? orgCode,
      roleName: role ? displayNameIn(role.displayName, profile?.locale) : grant.role,
    },
  );
  if (!removed) throw new NotFoundError('There is no such grant.');
  deps.logger?.info('grant revoked', { grantId, orgCode });
}

/** An audit entry as a local administrator reads it: with the names of the people involved. */
export type AuditEntryView = AuditEntry & { actorName?: string; subjectName?: string };

/**
 * The audit trail, newest first, with people's names resolved at read time (entries store person
 * ids only, so a corrected name shows everywhere): one parallel wave of profile reads per page.
 */
export async function listAudit(
  deps: RightsApiDeps,
  caller: Caller,
  orgCode: string,
  query: PageQuery,
): Promise<Page<AuditEntryView>> {
  await requireActingAdministrator(deps, caller.personId, orgCode);
  const partition = organisationKeys.auditPartition(orgCode);
  const startKey = decodeCursor(query.cursor, partition, { bind: { PK: partition } });
  const page = await deps.repository.listAudit(orgCode, query.limit, startKey);
  const ids = [...new Set(page.items.flatMap((entry) => [entry.actor, entry.subject ?? '']))].filter(
    (id) => id !== '' && id !== SYSTEM_ACTOR,
  );
  const names = new Map<string, string>();
  await Promise.all(
    ids.map(async (personId) => {
      const profile = await deps.repository.getProfile(personId);
      const name = profile ? `${profile.givenNames} ${profile.familyName}`.trim() : '';
      if (name) names.set(personId, name);
    }),
  );
  const items: AuditEntryView[] = page.items.map((entry) => {
    const actorName = names.get(entry.actor);
    const subjectName = entry.subject ? names.get(entry.subject) : undefined;
    return { ...entry, ...(actorName ? { actorName } : {}), ...(subjectName ? { subjectName } : {}) };
  });
  return toPage(items, page.lastEvaluatedKey, partition);
}
