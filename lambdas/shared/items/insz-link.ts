/**
 * The national-number link item (`keys.inszLink`): which person holds an INSZ, owned by the identity
 * context and read by the BIS, native accounts, organisations and rights contexts to find a person by
 * national number. Hand-written on purpose, without zod: the login triggers read the same item and
 * carry no schema library (bundle size and cold start on every login). Optional text absent or `''`
 * reads as absent.
 */
import { isStrongInszEvidence } from '../person-activity.ts';

/** A national-number link as read from its item. */
export interface InszLink {
  personId: string;
  /** Why the INSZ is this person's (`INSZ_EVIDENCE`). */
  evidence?: string;
  linkedAt?: string;
  loa?: string;
}

/**
 * The link of a stored item; `undefined` when there is no item or it names no person (no one holds
 * the number).
 */
export function readInszLink(item: Record<string, unknown> | undefined): InszLink | undefined {
  if (typeof item?.personId !== 'string' || item.personId === '') return undefined;
  const link: InszLink = { personId: item.personId };
  for (const field of ['evidence', 'linkedAt', 'loa'] as const) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') link[field] = value;
  }
  return link;
}

/**
 * The holder of `link` when its evidence is strong (`STRONG_INSZ_EVIDENCE`), else `undefined`: what an
 * appointment or a grant by national number may be given to at once. A holder by `register-match`
 * alone (names and birth date, public knowledge) or without recorded evidence gets nothing by number:
 * the appointment or grant waits on the number until it is linked on verified evidence.
 */
export function verifiedHolderOf(link: InszLink | undefined): string | undefined {
  return link && isStrongInszEvidence(link.evidence) ? link.personId : undefined;
}
