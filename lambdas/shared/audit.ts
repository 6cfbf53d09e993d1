/**
 * The audit trail of an organisation: who did what, when and why — requests, decisions, grants,
 * revocations, administrator changes. Entries are append-only: written with `attribute_not_exists`
 * inside the same transaction as the change they describe (so there is never a change without its
 * entry, nor an entry without its change), and never updated or deleted.
 */
import { organisationKeys } from './keys.ts';

/** What happened. New kinds are added here, never renamed (they are stored). */
export const AUDIT_ACTIONS = [
  'organisation-claimed',
  'foreign-registration-approved',
  'administrator-appointed',
  'administrator-removed',
  'member-added',
  'right-requested',
  'right-request-approved',
  'right-request-denied',
  'right-request-expired',
  'right-granted',
  'grant-revoked',
  'grant-expired',
  'representative-lapsed',
  'representative-lapse-flagged',
  'administrator-appointed-pending',
  'pending-membership-claimed',
  'organisation-case-resolved',
  'right-granted-pending',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry as the API shows it. Person ids only: never names or national numbers. */
export interface AuditEntry {
  entryId: string;
  orgCode: string;
  at: string;
  action: AuditAction;
  /** The person who acted; `system` for the platform itself (expiry, workflow timeouts). */
  actor: string;
  /** The person the action concerns, when there is one. */
  subject?: string;
  /** Why (a decision's reason, a revocation's justification). */
  reason?: string;
  /** Small structured facts: application, role, validUntil, requestId, grantId. */
  details?: Record<string, string>;
}

/** The actor recorded for what the platform does by itself. */
export const SYSTEM_ACTOR = 'system';

/**
 * The TransactWriteItems element that appends `entry`. Include it in the transaction of the change.
 * @param entry `entryId` must be a fresh ULID (`newId()`), so entries sort by time.
 */
export function auditPut(tableName: string, entry: AuditEntry) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...organisationKeys.auditEntry(entry.orgCode, entry.entryId), type: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Maps a stored audit item back to the API shape (drops keys and storage fields). */
export function toAuditEntry(item: Record<string, unknown>): AuditEntry {
  const { PK: _pk, SK: _sk, type: _type, ...entry } = item;
  return entry as unknown as AuditEntry;
}
