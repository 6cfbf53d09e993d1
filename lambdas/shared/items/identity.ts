/**
 * The identity context's items that its API and its notices job read (never a login trigger, so
 * zod/mini is fine here): a "connect another login" intent (`identityKeys.connection`), a security
 * officers' identity case (`identityKeys.identityCase`) and a pending notice (`keys.notice`). Their
 * readers are lenient where the hand-written mappers were: an intent or a notice that lacks its ids
 * is no intent or notice (`undefined`), and a text attribute that is not a non-empty string reads as
 * its default.
 */
import * as z from 'zod/mini';

/**
 * An attribute read leniently: absent reads as `fallback` (`_default`; a bare transform would make
 * the key required), anything present through `read`.
 */
const lenient = <T>(fallback: () => T, read: (value: unknown) => T) =>
  // The cast: zod's `_default` types its value against an unresolved generic it cannot narrow.
  z._default(z.pipe(z.unknown(), z.transform(read)), fallback as () => never);

/** A non-empty string attribute; anything else reads as `fallback`. */
const textOr = (fallback: string) =>
  lenient(
    () => fallback,
    (value) => (typeof value === 'string' && value !== '' ? value : fallback),
  );

/** A non-empty string attribute, required. */
const id = () => z.string().check(z.minLength(1));

/** A "connect another login" intent. */
export interface Connection {
  connectionId: string;
  /** The initiator's person. */
  personId: string;
  /** `<provider>#<subject>` of the initiator's login. */
  identity: string;
  provider: string;
  status: 'OPEN' | 'USED';
  /** ISO. */
  createdAt: string;
  /** ISO. */
  expiresAtIso: string;
  givenNames: string;
  familyName: string;
}

const connectionSchema = z.object({
  connectionId: id(),
  personId: id(),
  identity: id(),
  provider: textOr(''),
  status: z.enum(['OPEN', 'USED']),
  createdAt: textOr(''),
  expiresAtIso: textOr(''),
  givenNames: textOr(''),
  familyName: textOr(''),
});

/** The intent of a stored item; `undefined` for no item or one without its ids and status. */
export function readConnection(item: Record<string, unknown> | undefined): Connection | undefined {
  if (!item) return undefined;
  const parsed = z.safeParse(connectionSchema, item);
  return parsed.success ? parsed.data : undefined;
}

/** A security officers' case (no national number on it). */
export interface IdentityCase {
  caseId: string;
  kind: string;
  status: 'OPEN' | 'RESOLVED';
  suspendedPersonId: string;
  verifiedPersonId: string;
  provider: string;
  createdAt: string;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: string;
  reason?: string;
}

const OPTIONAL_CASE_FIELDS = ['resolvedAt', 'resolvedBy', 'resolution', 'reason'] as const;

const identityCaseSchema = z.object({
  caseId: textOr(''),
  kind: textOr('verified-identity-conflict'),
  status: lenient<IdentityCase['status']>(
    () => 'OPEN',
    (value) => (value === 'RESOLVED' ? 'RESOLVED' : 'OPEN'),
  ),
  suspendedPersonId: textOr(''),
  verifiedPersonId: textOr(''),
  provider: textOr(''),
  createdAt: textOr(''),
});

/** The case of a stored item (a case item always reads: missing texts read as empty). */
export function readIdentityCase(item: Record<string, unknown>): IdentityCase {
  const identityCase: IdentityCase = z.parse(identityCaseSchema, item);
  for (const field of OPTIONAL_CASE_FIELDS) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') identityCase[field] = value;
  }
  return identityCase;
}

/** A pending notice as the notices job reads it. */
export interface PendingNotice {
  noticeId: string;
  personId: string;
  event: string;
  createdAt: string;
  /** What the change that wrote it put there: only string values count. */
  data: Record<string, string>;
  attempts: number;
}

const noticeSchema = z.object({
  noticeId: id(),
  personId: id(),
  event: id(),
  createdAt: textOr(''),
  data: lenient<Record<string, string>>(
    () => ({}),
    (value) =>
      value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
          )
        : {},
  ),
  attempts: lenient(
    () => 0,
    (value) => (typeof value === 'number' ? value : 0),
  ),
});

/** The notice of a stored item; `undefined` for one without its ids and event. */
export function readNotice(item: Record<string, unknown>): PendingNotice | undefined {
  const parsed = z.safeParse(noticeSchema, item);
  return parsed.success ? parsed.data : undefined;
}
