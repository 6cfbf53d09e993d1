/**
 * Builds the audit entries of one change. Entry ids are ULIDs handed out in the order the entries are
 * listed, so entries of the same change (same millisecond) still read newest first in that order.
 */
import { type AuditAction, type AuditEntry, SYSTEM_ACTOR } from '#shared/audit';
import { newId as defaultNewId } from '#shared/ids';

/** One entry before it gets its id and time. */
export interface AuditDraft {
  action: AuditAction;
  /** A person id, or {@link SYSTEM_ACTOR}. */
  actor: string;
  subject?: string;
  reason?: string;
  details?: Record<string, string>;
}

/** The entries of one change in `orgCode` at `at`, with ascending ids. */
export function auditEntries(
  orgCode: string,
  at: string,
  drafts: readonly AuditDraft[],
  newId: () => string = defaultNewId,
): AuditEntry[] {
  const ids = drafts.map(() => newId()).sort();
  return drafts.map((draft, index) => ({
    entryId: ids[index] ?? newId(),
    orgCode,
    at,
    action: draft.action,
    actor: draft.actor,
    ...(draft.subject !== undefined ? { subject: draft.subject } : {}),
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
    ...(draft.details !== undefined ? { details: draft.details } : {}),
  }));
}

export { SYSTEM_ACTOR };
