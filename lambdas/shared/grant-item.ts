/**
 * The stored grant: one item in the person's partition (`keys.grant`, read by the login), listed per
 * organisation on GSI1 (`rightsKeys.organisationGrant`) and per expiry date and shard on GSI2
 * (`rightsKeys.grantExpiryShard`, the daily sweep), with a TTL backstop. Written by the rights
 * context (approvals, grants without approval) and by the claim of grants that waited on a national
 * number (lambdas/shared/pending-memberships.ts): one builder, so both write the same item. Read in
 * one place too: {@link readGrantItem} for the rights context, the login's claims and `GET /me`, and
 * {@link isGrantInForce}, the one rule of when a grant counts. A revoked grant has no item (revoking
 * deletes it), so no reader looks for a revocation mark.
 */
import { text } from './item-fields.ts';
import { keys, rightsKeys } from './keys.ts';

/**
 * Days a grant item outlives its `validUntil` before TTL may delete it. The daily sweep looks back as
 * many days, so a grant is removed with its `grant-expired` audit entry long before TTL could take it:
 * TTL is only the backstop for a sweep that failed for a whole week.
 */
export const GRANT_TTL_GRACE_DAYS = 7;

/** The UTC date of an ISO timestamp. */
export const utcDate = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** A grant of an application role in an organisation. */
export interface Grant {
  grantId: string;
  personId: string;
  orgCode: string;
  application: string;
  role: string;
  validFrom: string;
  validUntil: string;
  grantedBy: string;
  /** The request it came from (a grant that waited on a national number: the id given when it was made). */
  requestId: string;
}

/** The grant item, keys and TTL included. */
export function grantItem(grant: Grant): Record<string, unknown> {
  return {
    ...keys.grant(grant.personId, grant.orgCode, grant.application, grant.role),
    ...rightsKeys.organisationGrant(grant.orgCode, grant.grantId),
    ...rightsKeys.grantExpiryShard(utcDate(grant.validUntil), grant.orgCode, grant.grantId),
    type: 'grant',
    ...grant,
    expiresAt: Math.floor(Date.parse(grant.validUntil) / 1000) + GRANT_TTL_GRACE_DAYS * 86_400,
  };
}

/**
 * A grant as a reader gets it from its item: the organisation, application and role always; the rest
 * as stored (the platform writes every field; an item written by hand may lack some).
 */
export type StoredGrant = Pick<Grant, 'orgCode' | 'application' | 'role'> &
  Partial<Omit<Grant, 'orgCode' | 'application' | 'role'>>;

const OPTIONAL_FIELDS = ['grantId', 'personId', 'grantedBy', 'requestId'] as const;

/**
 * The grant of a stored grant item; `undefined` when its organisation, application or role is missing
 * (such an item never counts as a grant). A validity bound is kept whenever it is a string, even an
 * empty or unreadable one: {@link isGrantInForce} then keeps the grant out rather than read the bound
 * as open.
 */
export function readGrantItem(item: Record<string, unknown>): StoredGrant | undefined {
  const orgCode = text(item.orgCode);
  const application = text(item.application);
  const role = text(item.role);
  if (!orgCode || !application || !role) return undefined;
  const grant: StoredGrant = { orgCode, application, role };
  for (const field of OPTIONAL_FIELDS) {
    const value = text(item[field]);
    if (value !== undefined) grant[field] = value;
  }
  if (typeof item.validFrom === 'string') grant.validFrom = item.validFrom;
  if (typeof item.validUntil === 'string') grant.validUntil = item.validUntil;
  return grant;
}

/**
 * A grant counts — in a token's `roles`, in `GET /me` — while `validFrom <= now < validUntil` (an
 * absent bound is open). An unreadable bound keeps the grant out: a token must never carry a right by
 * mistake.
 */
export function isGrantInForce(grant: StoredGrant, now: Date): boolean {
  const at = now.getTime();
  if (grant.validUntil !== undefined) {
    const until = Date.parse(grant.validUntil);
    if (Number.isNaN(until) || until <= at) return false;
  }
  if (grant.validFrom !== undefined) {
    const from = Date.parse(grant.validFrom);
    if (Number.isNaN(from) || from > at) return false;
  }
  return true;
}
