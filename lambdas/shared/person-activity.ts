/**
 * Identity integrity (ARCHITECTURE.md section 2, "Linking is proof, not knowledge"): the evidence
 * every national-number link and identity link records, a person's append-only activity log, and the
 * notices (mails to the person's known addresses) that tell them about every change to who they are.
 *
 * Activity entries and notices are written INSIDE the transaction of the change they describe (the
 * login triggers, the identity API, the registration office), so there is never a change without its
 * entry and its notice, nor the other way round. Notices are an outbox: a scheduled function sends
 * them (idempotently) and takes them off the pending index, so no login trigger ever sends mail.
 *
 * Nothing here holds a national number: entries and notices name providers, evidence and references.
 */
import { text } from './item-fields.ts';
import { StoredItemError } from './items/stored-item-error.ts';
import { identityKeys } from './keys.ts';

/**
 * Why a national number (INSZ) belongs to a person. Stored on the INSZ link item and mirrored on the
 * profile (`inszEvidence`), so other contexts can ask "is this number proven?" with the read they
 * already do. New values are added here, never renamed (they are stored).
 */
export const INSZ_EVIDENCE = [
  /** itsme asserted the number (`eid` scope), verified by itsme against the eID. */
  'itsme-eid',
  /** A PID of the EU Digital Identity Wallet carried it. */
  'eudi-pid',
  /** The register entry equals the names and birth date the IdP asserted in the person's login. */
  'register-match',
  /** The platform issued this BIS number to this person. */
  'bis-issued',
  /** A registration officer checked the person's documents in person. */
  'registration-office',
] as const;

export type InszEvidence = (typeof INSZ_EVIDENCE)[number];

/**
 * Evidence strong enough to act on: a verified identity, an issued number or an office check.
 * `register-match` is weaker (it proves the IdP-asserted data equal a register entry, not that the
 * eID or the person was seen) and is outranked by any of these.
 */
export const STRONG_INSZ_EVIDENCE: readonly InszEvidence[] = [
  'itsme-eid',
  'eudi-pid',
  'bis-issued',
  'registration-office',
];

/** True for stored evidence that is strong; unknown or missing evidence is weak. */
export function isStrongInszEvidence(evidence: unknown): boolean {
  return STRONG_INSZ_EVIDENCE.includes(evidence as InszEvidence);
}

/** True for a stored value that is one of {@link INSZ_EVIDENCE}. */
export function isInszEvidence(value: unknown): value is InszEvidence {
  return INSZ_EVIDENCE.includes(value as InszEvidence);
}

/**
 * Why a login identity (provider, subject) belongs to its person. Stored on the identity link item.
 */
export const IDENTITY_EVIDENCE = [
  /** This login created the person (its first login). */
  'first-login',
  /** Linked to the person holding the national number itsme verified in this login. */
  'itsme-eid',
  /** Linked to the person holding the national number of the PID presented in this login. */
  'eudi-pid',
  /** The person proved control of this identity and of one already linked, in one flow. */
  'connected',
  /** A registration officer created this (native) account after checking documents in person. */
  'registration-office',
] as const;

export type IdentityEvidence = (typeof IDENTITY_EVIDENCE)[number];

/** True for a stored value that is one of {@link IDENTITY_EVIDENCE}. */
export function isIdentityEvidence(value: unknown): value is IdentityEvidence {
  return IDENTITY_EVIDENCE.includes(value as IdentityEvidence);
}

/** What every link records beside its evidence: when, and at what level of assurance. */
export interface LinkProvenance<E extends string> {
  evidence: E;
  /** ISO timestamp. */
  linkedAt: string;
  /** The level of assurance of the login (or office check) that made the link. */
  loa: 'low' | 'substantial' | 'high';
}

/** What happened to a person's identity. New values are added here, never renamed (they are stored). */
export const ACTIVITY_EVENTS = [
  /** A national number was linked (`evidence` says how). */
  'insz-linked',
  /** A new login identity was linked (`provider`, `evidence`). */
  'identity-linked',
  /** Two persons were joined into one after the person proved control of both logins. */
  'identities-joined',
  /** Someone proved the data of this person's number but could not link it: it is in use here. */
  'join-refused',
  /** A verified login took the national number this person held by weaker evidence; rights suspended. */
  'insz-suspended',
  /** A security officer closed the case of a suspension (`reason`; lifted or kept). */
  'suspension-resolved',
  /** A registration officer asked to create an account for this existing person (waits for a second officer). */
  'office-account-requested',
  /** A registration office account was created for this person. */
  'office-account-created',
  /** The person chose the capacity their next tokens carry (`reference`: the organisation, or `private`). */
  'capacity-chosen',
  /**
   * A local administrator's appointment of this person's national number (made before the number
   * was linked) took effect: a membership of `reference` (the organisation code).
   */
  'administrator-appointment',
  /**
   * A local administrator registered this person's national number as a member of `reference` (the
   * organisation code), with the roles granted, before the number was linked; it took effect now.
   */
  'membership-registration',
  /**
   * A local administrator granted this person a role by national number (`reference`: the
   * organisation code); the grant is active at once.
   */
  'role-granted',
  /** A local administrator revoked a role of this person (`reference`: the organisation code). */
  'role-revoked',
  /**
   * Another local administrator removed this person as local administrator of `reference` (the
   * organisation code); the membership stays.
   */
  'administrator-removal',
] as const;

export type ActivityEvent = (typeof ACTIVITY_EVENTS)[number];

/**
 * The events a person is told about by mail (an `identity-<event>` template each): everything that
 * happened to them, not what they did themselves (a capacity choice shows in GET /me/activity only).
 */
export const MAILED_ACTIVITY_EVENTS = ACTIVITY_EVENTS.filter((event) => event !== 'capacity-chosen');

/** Who caused an activity entry. */
export const ACTIVITY_ACTORS = ['self', 'system', 'registration-officer', 'security-officer'] as const;
export type ActivityActor = (typeof ACTIVITY_ACTORS)[number];

/** One entry of a person's activity log, as stored and as `GET /me/activity` shows it. */
export interface ActivityEntry {
  /** ULID. */
  entryId: string;
  personId: string;
  /** ISO timestamp. */
  at: string;
  event: ActivityEvent;
  actor: ActivityActor;
  /** The officer's person id when an officer acted. */
  actorId?: string;
  /** The login provider concerned (`eidas`, `itsme`, `native`, `eudi`). */
  provider?: string;
  /** The evidence of the link concerned. */
  evidence?: InszEvidence | IdentityEvidence;
  /** A reference the person can quote to support: a case, connection or pending-account id. */
  reference?: string;
  /** An officer's reason. */
  reason?: string;
}

/** The TransactWriteItems element that appends `entry` (append-only: `attribute_not_exists`). */
export function activityPut(tableName: string, entry: ActivityEntry) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...identityKeys.activity(entry.personId, entry.at, entry.entryId),
        type: 'activity',
        ...entry,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * The entry of a stored activity item (`GET /me/activity`): keys and storage fields dropped, optional
 * text absent or `''` read as absent. The reader of the item's one writer, {@link activityPut}.
 * @throws StoredItemError when a required field is missing or the event or actor is not one we write.
 */
export function readActivityEntry(item: Record<string, unknown>): ActivityEntry {
  const required = (field: 'entryId' | 'personId' | 'at'): string => {
    const value = text(item[field]);
    if (value === undefined) throw new StoredItemError('activity', field, 'expected string');
    return value;
  };
  const oneOf = <T extends string>(field: 'event' | 'actor', values: readonly T[]): T => {
    const value = item[field];
    if (!values.includes(value as T)) throw new StoredItemError('activity', field, 'not a known value');
    return value as T;
  };
  const entry: ActivityEntry = {
    entryId: required('entryId'),
    personId: required('personId'),
    at: required('at'),
    event: oneOf('event', ACTIVITY_EVENTS),
    actor: oneOf('actor', ACTIVITY_ACTORS),
  };
  for (const field of ['actorId', 'provider', 'reference', 'reason'] as const) {
    const value = text(item[field]);
    if (value !== undefined) entry[field] = value;
  }
  const evidence = item.evidence;
  if (isInszEvidence(evidence) || isIdentityEvidence(evidence)) entry.evidence = evidence;
  return entry;
}

/**
 * A mail to tell a person about an activity entry, sent to every address the platform knows for the
 * person when it is sent (profile e-mail, native account e-mail). Never carries a national number.
 */
export interface Notice {
  /** ULID. */
  noticeId: string;
  personId: string;
  event: ActivityEvent;
  /** ISO timestamp. */
  createdAt: string;
  /** Template values (dates, provider names, references). */
  data: Record<string, string>;
}

/** The TransactWriteItems element that queues `notice` for sending (sparse GSI1 while pending). */
export function noticePut(tableName: string, notice: Notice) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...identityKeys.notice(notice.noticeId),
        ...identityKeys.pendingNotice(notice.createdAt, notice.noticeId),
        type: 'notice',
        ...notice,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * The activity entry and its notice, as two transaction elements: what every change to a person's
 * identity writes. `newId` makes the entry and notice ids.
 */
export function recordActivity(
  tableName: string,
  entry: Omit<ActivityEntry, 'entryId'>,
  newId: () => string,
  data: Record<string, string> = {},
) {
  const entryId = newId();
  return [
    activityPut(tableName, { ...entry, entryId }),
    noticePut(tableName, {
      noticeId: newId(),
      personId: entry.personId,
      event: entry.event,
      createdAt: entry.at,
      data: {
        ...(entry.provider ? { provider: entry.provider } : {}),
        ...(entry.reference ? { reference: entry.reference } : {}),
        ...data,
        date: entry.at.slice(0, 10),
      },
    }),
  ];
}
