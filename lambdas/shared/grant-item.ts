/**
 * The stored grant: one item in the person's partition (`keys.grant`, read by the login), listed per
 * organisation on GSI1 (`rightsKeys.organisationGrant`) and per expiry date and shard on GSI2
 * (`rightsKeys.grantExpiryShard`, the daily sweep), with a TTL backstop. Written by the rights
 * context (approvals, grants without approval) and by the claim of grants that waited on a national
 * number (lambdas/shared/pending-memberships.ts): one builder, so both write the same item.
 */
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
