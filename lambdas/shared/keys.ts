/**
 * The one module that builds table keys. Every access pattern in docs/data-model.md names the
 * function here that builds its key. Repositories use these; nothing else spells a key.
 *
 * Partition `PERSON#<personId>` holds exactly what a token needs (profile, memberships, grants), so a
 * login reads one partition with one Query. Everything else a person owns lives elsewhere and is
 * reached through GSI2 (`OWNER#<personId>`).
 */

/** Login providers as stored in identity links and the `idp` claim. */
import { createHash } from 'node:crypto';
import { StoredItemError } from './items/stored-item-error.ts';

export type IdentityProvider = 'eidas' | 'itsme' | 'eudi' | 'native';

export interface TableKey {
  PK: string;
  SK: string;
}

/** The key attributes of the table and its indexes. */
export type KeyAttribute = 'PK' | 'SK' | 'GSI1PK' | 'GSI1SK' | 'GSI2PK' | 'GSI2SK';

/**
 * A key attribute of an item read back from the table or an index (projected when the read names it):
 * the one way to read a key back, as the item schemas (`items/`) are the one way to read its fields.
 * @throws StoredItemError when the item does not carry it as a string.
 */
export function keyOf(item: Record<string, unknown>, attribute: KeyAttribute): string {
  const value = item[attribute];
  if (typeof value !== 'string') throw new StoredItemError('keys', attribute, 'expected string');
  return value;
}

export const PERSON_PREFIX = 'PERSON#';
export const PROFILE_SK = 'PROFILE';
export const MEMBERSHIP_SK_PREFIX = 'MEMBERSHIP#';
export const GRANT_SK_PREFIX = 'GRANT#';

/** GSI1 sort-key prefix of every member of an organisation (administrators included). */
export const MEMBER_SORT_PREFIX = 'MEMBER#';
/** GSI1 sort-key prefix of an organisation's local administrators: a Query reads only them. */
export const ADMINISTRATOR_SORT_PREFIX = 'MEMBER#A#';

/**
 * A membership's GSI1 sort key: `MEMBER#A#<personId>` for a local administrator, `MEMBER#M#<personId>`
 * for any other member. (Items written before issue 20 carry `MEMBER#<personId>`: still members;
 * `npm run migrate:administrators` moves them.)
 */
export function memberSortKey(personId: string, localAdministrator: boolean): string {
  return localAdministrator
    ? `${ADMINISTRATOR_SORT_PREFIX}${personId}`
    : `${MEMBER_SORT_PREFIX}M#${personId}`;
}

export const keys = {
  /** The person's profile item. */
  person: (personId: string): TableKey => ({ PK: `${PERSON_PREFIX}${personId}`, SK: PROFILE_SK }),

  /** The partition key of everything token generation reads for a person. */
  personPartition: (personId: string): string => `${PERSON_PREFIX}${personId}`,

  /** Uniqueness marker and resolver: (provider, subject) → personId. */
  identityLink: (provider: IdentityProvider, subject: string): TableKey => ({
    PK: `IDENTITY#${provider}#${subject}`,
    SK: 'IDENTITY',
  }),

  /** Uniqueness marker: an INSZ (national or BIS number) belongs to at most one person. */
  inszLink: (insz: string): TableKey => ({ PK: `INSZ#${insz}`, SK: 'INSZ' }),

  /**
   * A membership of a person in an organisation (token partition); GSI1 lists an organisation's
   * members, its local administrators first under their own prefix (`MEMBER#A#`, see
   * `organisationKeys.administratorsPrefix`), so finding the approvers reads as many items as there
   * are administrators, whatever the number of members. Every write that changes
   * `localAdministrator` writes `GSI1SK` from {@link memberSortKey} in the same update.
   */
  membership: (
    personId: string,
    orgCode: string,
    localAdministrator = false,
  ): TableKey & { GSI1PK: string; GSI1SK: string } => ({
    PK: `${PERSON_PREFIX}${personId}`,
    SK: `${MEMBERSHIP_SK_PREFIX}${orgCode}`,
    GSI1PK: `ORG#${orgCode}`,
    GSI1SK: memberSortKey(personId, localAdministrator),
  }),

  /** A grant of an application role in an organisation (token partition). */
  grant: (personId: string, orgCode: string, application: string, role: string): TableKey => ({
    PK: `${PERSON_PREFIX}${personId}`,
    SK: `${GRANT_SK_PREFIX}${orgCode}#${application}#${role}`,
  }),

  /**
   * The sort-key prefix of a person's grants in ONE organisation: a login reads only its capacity's
   * grants (`begins_with(SK, GRANT#<orgCode>#)`), so what it reads does not grow with the number of
   * organisations. The trailing `#` keeps `FOREIGN-DE-12` from matching `FOREIGN-DE-123`.
   */
  grantsOf: (orgCode: string): string => `${GRANT_SK_PREFIX}${orgCode}#`,

  /** Person register (stand-in for the national register): one entry per INSZ. */
  registeredPerson: (insz: string): TableKey => ({ PK: `REGISTER#PERSON#${insz}`, SK: 'REGISTER' }),

  /** Company register (stand-in for KBO): one entry per enterprise number. */
  registeredCompany: (enterpriseNumber: string): TableKey => ({
    PK: `REGISTER#COMPANY#${enterpriseNumber}`,
    SK: 'REGISTER',
  }),

  /** A person's national-number check attempts in the current 24 h window (expires via TTL). */
  inszCheckAttempts: (personId: string): TableKey => ({ PK: `INSZ_CHECK#${personId}`, SK: 'ATTEMPTS' }),

  /** Marker of a sent e-mail: makes sending idempotent under task retries (expires via TTL). */
  mailSent: (idempotencyKey: string): TableKey => ({ PK: `MAIL#${idempotencyKey}`, SK: 'SENT' }),
} as const;

/** GSI1 partition of the identity notices waiting to be sent. */
const PENDING_NOTICES = 'NOTICES#PENDING';

/**
 * Keys of the identity-integrity items (docs/data-model.md, "Identity integrity"): a person's
 * append-only activity log, the mail outbox of identity notices, "connect another login" intents,
 * the security officers' queue of identity cases, the registration office's accounts waiting for a
 * second officer, and the birth-date index used to find likely duplicates. Queue keys hold statuses,
 * ISO timestamps and ULIDs only, so they are safe inside pagination cursors.
 */
export const identityKeys = {
  /** One entry of a person's activity log; sorts by time, the entry id (ULID) breaks ties. */
  activity: (personId: string, at: string, entryId: string): TableKey => ({
    PK: `ACTIVITY#${personId}`,
    SK: `${at}#${entryId}`,
  }),

  /** The partition of a person's activity log (kept out of `PERSON#`: a login never reads it). */
  activityPartition: (personId: string): string => `ACTIVITY#${personId}`,

  /** A mail to a person's known addresses, written in the transaction of the change it tells. */
  notice: (noticeId: string): TableKey => ({ PK: `NOTICE#${noticeId}`, SK: 'NOTICE' }),

  /** GSI1 of a notice while it waits to be sent (removed once sent: a sparse queue). */
  pendingNotice: (createdAt: string, noticeId: string): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: PENDING_NOTICES,
    GSI1SK: `${createdAt}#${noticeId}`,
  }),

  /** GSI1 partition of {@link identityKeys.pendingNotice}. */
  pendingNoticesPartition: (): string => PENDING_NOTICES,

  /** A "connect another login" intent (expires via TTL). */
  connection: (connectionId: string): TableKey => ({ PK: `CONNECTION#${connectionId}`, SK: 'CONNECTION' }),

  /** A case for the security officers (a verified login displaced a weak national-number link). */
  supportCase: (caseId: string): TableKey => ({ PK: `IDENTITY_CASE#${caseId}`, SK: 'CASE' }),

  /** GSI1: the identity cases of one status, oldest first. */
  supportCaseQueue: (
    status: string,
    createdAt: string,
    caseId: string,
  ): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: `IDENTITY_CASES#${status}`,
    GSI1SK: `${createdAt}#${caseId}`,
  }),

  /** GSI1 partition of {@link identityKeys.supportCaseQueue}. */
  supportCaseQueuePartition: (status: string): string => `IDENTITY_CASES#${status}`,

  /** A registration-office account for an existing person, waiting for a second officer. */
  officePending: (pendingId: string): TableKey => ({ PK: `OFFICE_PENDING#${pendingId}`, SK: 'PENDING' }),

  /** GSI1: pending office accounts of one status, oldest first. */
  officePendingQueue: (
    status: string,
    createdAt: string,
    pendingId: string,
  ): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: `OFFICE_PENDING#${status}`,
    GSI1SK: `${createdAt}#${pendingId}`,
  }),

  /** GSI1 partition of {@link identityKeys.officePendingQueue}. */
  officePendingQueuePartition: (status: string): string => `OFFICE_PENDING#${status}`,

  /**
   * GSI2 of person profiles and person-register entries: everyone born on a date, so the registration
   * office can find a likely duplicate before it issues a BIS number on the spot.
   */
  bornOn: (
    birthDate: string,
    kind: 'PERSON' | 'REGISTER',
    id: string,
  ): { GSI2PK: string; GSI2SK: string } => ({
    GSI2PK: `BORN#${birthDate}`,
    GSI2SK: `${kind}#${id}`,
  }),

  /** GSI2 partition of {@link identityKeys.bornOn}. */
  bornOnPartition: (birthDate: string): string => `BORN#${birthDate}`,
} as const;

/**
 * The GSI keys every registration kind shares: its review queue on GSI1, one partition per status
 * (`<queue>#<status>`), oldest request first; and the registrations a person owns on GSI2
 * (`OWNER#<personId>`, one partition for every kind, sorted `<kind>#<createdAt>#<id>`).
 */
function registrationIndexes(queue: string, kind: string) {
  return {
    /** GSI1: the review queue of one status, oldest first. */
    queue: (
      status: string,
      createdAt: string,
      registrationId: string,
    ): { GSI1PK: string; GSI1SK: string } => ({
      GSI1PK: `${queue}#${status}`,
      GSI1SK: `${createdAt}#${registrationId}`,
    }),
    /** GSI1 partition of `queue`. */
    queuePartition: (status: string): string => `${queue}#${status}`,
    /** GSI2: the registrations a person owns, oldest first. */
    owner: (
      personId: string,
      createdAt: string,
      registrationId: string,
    ): { GSI2PK: string; GSI2SK: string } => ({
      GSI2PK: `OWNER#${personId}`,
      GSI2SK: `${kind}#${createdAt}#${registrationId}`,
    }),
  };
}

/** Partition prefix of a BIS registration (the registration item and its history). */
export const BIS_REGISTRATION_PREFIX = 'BIS#';
/** Sort key of the BIS registration item itself. */
export const BIS_REGISTRATION_SK = 'REGISTRATION';
/** Sort-key prefix of the append-only history entries of a BIS registration. */
export const BIS_HISTORY_SK_PREFIX = 'HISTORY#';

/**
 * Keys of the BIS context (docs/data-model.md, "BIS access patterns"). GSI keys hold no personal
 * data (statuses, ISO dates, ULIDs), so they are safe inside pagination cursors.
 */
export const bisKeys = {
  /** The registration item: status, person data, the stored task token while a wait is open. */
  registration: (registrationId: string): TableKey => ({
    PK: `${BIS_REGISTRATION_PREFIX}${registrationId}`,
    SK: BIS_REGISTRATION_SK,
  }),

  /** The partition of a registration: the item plus its history entries. */
  registrationPartition: (registrationId: string): string => `${BIS_REGISTRATION_PREFIX}${registrationId}`,

  /** One append-only history entry; sorts by time, `entryId` (ULID) breaks ties. */
  history: (registrationId: string, at: string, entryId: string): TableKey => ({
    PK: `${BIS_REGISTRATION_PREFIX}${registrationId}`,
    SK: `${BIS_HISTORY_SK_PREFIX}${at}#${entryId}`,
  }),

  /** GSI1 `BIS_QUEUE#<status>`: the agents' review queues; GSI2 `OWNER#<personId>`, `BIS#…`. */
  ...registrationIndexes('BIS_QUEUE', 'BIS'),

  /** Marker: the one open (pending or in correction) BIS registration of a person. */
  openRequest: (personId: string): TableKey => ({ PK: `BIS_OPEN#${personId}`, SK: 'OPEN' }),

  /** Atomic counter of issued BIS sequences per birth date and sex (`U` when unknown). */
  sequence: (birthDate: string, sex: 'M' | 'F' | null): TableKey => ({
    PK: `BIS_SEQUENCE#${birthDate}#${sex ?? 'U'}`,
    SK: 'COUNTER',
  }),
} as const;

/** Partition of an organisation's append-only audit trail. */
const AUDIT_PREFIX = 'AUDIT#ORG#';
/** Partition prefix of the look-alike markers of organisations. */
const LOOKALIKE_PREFIX = 'ORG_LOOKALIKE#';

/** What a look-alike marker is the skeleton of: the organisation's name or its registry number. */
export type LookalikeKind = 'NAME' | 'NUMBER';

/**
 * Keys of the organisations and rights contexts. Organisation codes are URL-safe by construction: the
 * 10-digit enterprise number for Belgian companies, `FOREIGN-<CC>-<registry id>` for foreign ones.
 */
export const organisationKeys = {
  /** The organisation's profile. */
  organisation: (orgCode: string): TableKey => ({ PK: `ORG#${orgCode}`, SK: 'PROFILE' }),

  /** GSI1 partition listing an organisation's members (see `keys.membership`). */
  membersPartition: (orgCode: string): string => `ORG#${orgCode}`,

  /** Uniqueness marker: one organisation per (country, registration number) of a foreign register. */
  foreignRegistration: (country: string, registrationNumber: string): TableKey => ({
    PK: `FOREIGN_REGISTRATION#${country}#${registrationNumber}`,
    SK: 'MARKER',
  }),

  /**
   * Look-alike marker of foreign organisations: every organisation whose name (`NAME`) or registry
   * number (`NUMBER`) has this confusable skeleton in this country (`orgCodes`, a string set),
   * written with the organisation in its approval transaction. A registration looks its own
   * skeletons up by key (docs/data-model.md, "Look-alike organisations"), so the check reads two
   * items whatever the number of organisations. The skeleton enters the key as a SHA-256
   * (base64url): fixed length, and no company text in a key.
   */
  lookalike: (country: string, kind: LookalikeKind, skeleton: string): TableKey => ({
    PK: `${LOOKALIKE_PREFIX}${country}#${kind}#${createHash('sha256').update(`eid-access:lookalike:${skeleton}`).digest('base64url')}`,
    SK: 'MARKER',
  }),

  /** One audit entry; entry ids are ULIDs, so the partition sorts by time. */
  auditEntry: (orgCode: string, entryId: string): TableKey => ({
    PK: `${AUDIT_PREFIX}${orgCode}`,
    SK: entryId,
  }),

  /** The partition of an organisation's audit trail. */
  auditPartition: (orgCode: string): string => `${AUDIT_PREFIX}${orgCode}`,

  /**
   * Sparse GSI2 keys on a membership whose roles come from the company register (a claim by a
   * legal representative of a Belgian company): the daily register check enumerates them without a
   * Scan, one Query per shard. Sharded by organisation, so a company's representatives are checked
   * with one register lookup.
   */
  registerRepresentative: (orgCode: string, personId: string): { GSI2PK: string; GSI2SK: string } => ({
    GSI2PK: organisationKeys.registerRepresentativesPartition(representativeShard(orgCode)),
    GSI2SK: `${orgCode}#${personId}`,
  }),

  /** GSI2 partition of one shard of {@link organisationKeys.registerRepresentative}. */
  registerRepresentativesPartition: (shard: number): string => `REGISTER_REPRESENTATIVES#${shard}`,

  /**
   * A security officers' case: an organisation whose last administrator lost the representative
   * role in the company register (kept, not removed, until an officer acts). GSI1 lists open cases.
   */
  organisationCase: (orgCode: string, personId: string): TableKey & { GSI1PK: string; GSI1SK: string } => ({
    PK: `ORG_CASE#${orgCode}`,
    SK: `REPRESENTATIVE_LAPSED#${personId}`,
    GSI1PK: organisationKeys.organisationCaseQueue('OPEN'),
    GSI1SK: `${orgCode}#${personId}`,
  }),

  /** GSI1 partition of the organisation cases of one status (the officers' queue is `OPEN`). */
  organisationCaseQueue: (status: 'OPEN' | 'RESOLVED'): string => `ORG_CASES#${status}`,

  /**
   * The public reference of an organisation case: `<orgCode>~<personId>` (`~` is in neither
   * alphabet, and the key holds no personal data beyond the person id).
   */
  organisationCaseId: (orgCode: string, personId: string): string => `${orgCode}~${personId}`,

  /** The inverse of {@link organisationKeys.organisationCaseId}; `undefined` for any other shape. */
  parseOrganisationCaseId: (caseId: string): { orgCode: string; personId: string } | undefined => {
    const [orgCode, personId, ...rest] = caseId.split('~');
    if (!orgCode || !personId || rest.length > 0) return undefined;
    return { orgCode, personId };
  },
} as const;

/**
 * A national number as it may appear in a key: a SHA-256 of a domain-separated value, base64url. The
 * bare number never enters a key, a log or a mail idempotency key through this path (the pending
 * memberships of issue 14).
 */
export function inszKeyHash(insz: string): string {
  return createHash('sha256').update(`eid-access:insz:${insz}`).digest('base64url');
}

/**
 * Memberships that wait for a person nobody knows yet: a local administrator appointed the national
 * number before its holder ever logged in. One item per number (the organisations in a map), read in
 * the login's first BatchGetItem, so a login without a pending membership pays nothing.
 */
export const pendingMembershipKeys = {
  marker: (inszHash: string): TableKey => ({ PK: `PENDING_MEMBER#${inszHash}`, SK: 'MARKER' }),
} as const;

/** Shards of the register-representatives index (each a GSI2 partition the daily check queries). */
export const REPRESENTATIVE_SHARDS = 8;

/** The shard of an organisation in the register-representatives index (stable: a string hash). */
export function representativeShard(orgCode: string): number {
  let hash = 0;
  for (const char of orgCode) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % REPRESENTATIVE_SHARDS;
}

/** Partition prefix of a foreign-company registration. */
export const FOREIGN_REGISTRATION_PREFIX = 'FOREIGN_REG#';

/**
 * Keys of foreign-company registrations and extract uploads (docs/data-model.md, "Organisations
 * access patterns"). Queue and owner keys hold statuses, ISO dates and ULIDs only, never company or
 * person data, so they are safe inside pagination cursors.
 */
export const foreignRegistrationKeys = {
  /** The registration item: status, company data, the stored task token while the review waits. */
  registration: (registrationId: string): TableKey => ({
    PK: `${FOREIGN_REGISTRATION_PREFIX}${registrationId}`,
    SK: 'REGISTRATION',
  }),

  /** GSI1 `FOREIGN_QUEUE#<status>`: the security officers' queues; GSI2 `OWNER#<personId>`, `FOREIGN#…`. */
  ...registrationIndexes('FOREIGN_QUEUE', 'FOREIGN'),

  /** Marker: an uploaded extract is attached to at most one registration. */
  attachedUpload: (uploadId: string): TableKey => ({ PK: `UPLOAD#${uploadId}`, SK: 'ATTACHED' }),
} as const;

/** Partition prefix of a right request. */
export const RIGHT_REQUEST_PREFIX = 'RIGHT_REQUEST#';

/**
 * Keys of the rights context (docs/data-model.md, "Rights access patterns"). Grants themselves live
 * in the token partition (`keys.grant`); these keys add the request items, the one-open-request
 * marker and the two indexes over grants (an organisation's grants, grants by expiry date). GSI keys
 * hold organisation codes, statuses, ISO dates and ULIDs only, so they are safe inside cursors.
 */
export const rightsKeys = {
  /** The right request: status, application, role, the stored task token while a wait is open. */
  request: (requestId: string): TableKey => ({ PK: `${RIGHT_REQUEST_PREFIX}${requestId}`, SK: 'REQUEST' }),

  /** GSI1: the local administrators' inbox of one organisation and status, oldest first. */
  inbox: (
    orgCode: string,
    status: string,
    createdAt: string,
    requestId: string,
  ): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: `ORG#${orgCode}#RIGHT_REQUESTS#${status}`,
    GSI1SK: `${createdAt}#${requestId}`,
  }),

  /** GSI1 partition of {@link rightsKeys.inbox}. */
  inboxPartition: (orgCode: string, status: string): string => `ORG#${orgCode}#RIGHT_REQUESTS#${status}`,

  /** GSI2: the right requests a person owns, oldest first. */
  owner: (personId: string, createdAt: string, requestId: string): { GSI2PK: string; GSI2SK: string } => ({
    GSI2PK: `OWNER#${personId}`,
    GSI2SK: `RIGHT_REQUEST#${createdAt}#${requestId}`,
  }),

  /** Marker: at most one open request per person, organisation, application and role. */
  openRequest: (personId: string, orgCode: string, application: string, role: string): TableKey => ({
    PK: `RIGHT_REQUEST_OPEN#${personId}#${orgCode}#${application}#${role}`,
    SK: 'OPEN',
  }),

  /** GSI1 of a grant item: an organisation's grants by grant id (ULID, so by grant time). */
  organisationGrant: (orgCode: string, grantId: string): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: `ORG_GRANTS#${orgCode}`,
    GSI1SK: grantId,
  }),

  /** GSI1 partition of {@link rightsKeys.organisationGrant}. */
  organisationGrantsPartition: (orgCode: string): string => `ORG_GRANTS#${orgCode}`,

  /** GSI2 of a grant item: grants by the UTC date of `validUntil` (expiry notices, expiry sweep). */
  grantExpiry: (
    validUntilDate: string,
    orgCode: string,
    grantId: string,
  ): { GSI2PK: string; GSI2SK: string } => ({
    GSI2PK: `GRANT_EXPIRY#${validUntilDate}`,
    GSI2SK: `${orgCode}#${grantId}`,
  }),

  /**
   * GSI2 partition of {@link rightsKeys.grantExpiry}: `YYYY-MM-DD`. Unsharded: what grants written
   * before issue 20 carry until `npm run migrate:grant-expiry` moves them (the sweep still reads it).
   */
  grantExpiryPartition: (validUntilDate: string): string => `GRANT_EXPIRY#${validUntilDate}`,

  /**
   * GSI2 of a grant item, sharded: `GRANT_EXPIRY#<date>#<shard 00-15>` with the shard from
   * {@link expiryShard}, so the grants of one date spread over {@link EXPIRY_SHARDS} partitions and the
   * daily sweep reads them in parallel, one worker per shard.
   */
  grantExpiryShard: (
    validUntilDate: string,
    orgCode: string,
    grantId: string,
  ): { GSI2PK: string; GSI2SK: string } => ({
    GSI2PK: `GRANT_EXPIRY#${validUntilDate}#${expiryShard(grantId)}`,
    GSI2SK: `${orgCode}#${grantId}`,
  }),

  /** GSI2 partition of {@link rightsKeys.grantExpiryShard}: `YYYY-MM-DD` and a shard `00`-`15`. */
  grantExpiryShardPartition: (validUntilDate: string, shard: string): string =>
    `GRANT_EXPIRY#${validUntilDate}#${shard}`,

  /**
   * A notice about one grant (`kind` `expiring`: the warning ahead of `validUntil`; `expired`: the
   * sweep removed it). Its key makes it unique per grant and kind, so a retried worker cannot queue it
   * twice; it stays as the record that the notice was sent.
   */
  grantNotice: (grantId: string, kind: GrantNoticeKind): TableKey => ({
    PK: `GRANT_NOTICE#${grantId}#${kind}`,
    SK: 'NOTICE',
  }),

  /**
   * GSI1 of a grant notice while it waits to be sent (removed once sent: a sparse queue), in the
   * grant's shard, so the worker of a shard drains its own queue and no queue partition is hot.
   */
  pendingGrantNotice: (
    grantId: string,
    kind: GrantNoticeKind,
    createdAt: string,
  ): { GSI1PK: string; GSI1SK: string } => ({
    GSI1PK: `GRANT_NOTICES#${expiryShard(grantId)}`,
    GSI1SK: `${createdAt}#${grantId}#${kind}`,
  }),

  /** GSI1 partition of {@link rightsKeys.pendingGrantNotice}. */
  pendingGrantNoticesPartition: (shard: string): string => `GRANT_NOTICES#${shard}`,
} as const;

/** The two notices a grant gets from the daily expiry run. */
export type GrantNoticeKind = 'expiring' | 'expired';

/** How many partitions the grants of one expiry date (and the grant notice queue) spread over. */
export const EXPIRY_SHARDS = 16;

/** Every shard, `00` to `15`. */
export const EXPIRY_SHARD_IDS: readonly string[] = Array.from({ length: EXPIRY_SHARDS }, (_, shard) =>
  String(shard).padStart(2, '0'),
);

/**
 * The expiry shard of a grant: FNV-1a (32 bit) of the grant id modulo {@link EXPIRY_SHARDS}, as two
 * digits. Stable for a grant id, so its expiry index entry and its notices share a shard.
 */
export function expiryShard(grantId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < grantId.length; index++) {
    hash ^= grantId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % EXPIRY_SHARDS).padStart(2, '0');
}

/**
 * Keys of native accounts (docs/data-model.md, "Native accounts"): people without eIDAS or itsme
 * who log in with a username, a password and a second factor. The identity link itself is
 * `keys.identityLink('native', <username>)`.
 */
export const nativeKeys = {
  /** Marker and record: the one native account of a person (username, e-mail, locale, name). */
  account: (personId: string): TableKey => ({ PK: `NATIVE_ACCOUNT#${personId}`, SK: 'ACCOUNT' }),

  /**
   * The code card of a native user and its login state (salted hashes, version, failures, lock,
   * last asked position), keyed by the Cognito username the auth-challenge triggers receive.
   */
  codeCard: (username: string): TableKey => ({ PK: `NATIVE#${username}`, SK: 'CODE_CARD' }),
} as const;

/** Prefix Powertools puts before the hashed idempotency scope (its `keyPrefix`). */
export const IDEMPOTENCY_KEY_PREFIX = 'IDEMPOTENCY';

/**
 * Keys of the stored POST responses (`Idempotency-Key`, docs/data-model.md "Idempotency records").
 * One partition per record, so no partition grows hot however many retries arrive; the partition
 * value is a SHA-256 of (person, method, resource, key), so it holds no personal data.
 */
export const idempotencyKeys = {
  /**
   * The record of one idempotent request. `idempotencyKey` is what Powertools composes:
   * `IDEMPOTENCY#<base64 SHA-256 of the scope>`.
   * @throws TypeError when the key lacks the {@link IDEMPOTENCY_KEY_PREFIX}.
   */
  record: (idempotencyKey: string): TableKey => {
    if (!idempotencyKey.startsWith(`${IDEMPOTENCY_KEY_PREFIX}#`)) {
      throw new TypeError(`idempotency key must start with ${IDEMPOTENCY_KEY_PREFIX}#`);
    }
    return { PK: idempotencyKey, SK: 'RESPONSE' };
  },
} as const;

/**
 * Keys of the wallet bridge (docs/data-model.md, "Wallet bridge access patterns"): short-lived items
 * that expire via TTL. Codes and access tokens are stored under their SHA-256, never in clear.
 */
export const walletBridgeKeys = {
  /** One wallet login: Cognito's request, the OpenID4VP nonce and key, then the verified PID. */
  transaction: (transactionId: string): TableKey => ({ PK: `WALLET_TX#${transactionId}`, SK: 'TX' }),

  /** A single-use authorization code for Cognito. */
  authorizationCode: (codeHash: string): TableKey => ({ PK: `WALLET_CODE#${codeHash}`, SK: 'CODE' }),

  /** An access token for Cognito's userinfo call. */
  accessToken: (tokenHash: string): TableKey => ({ PK: `WALLET_TOKEN#${tokenHash}`, SK: 'TOKEN' }),
} as const;

/**
 * The partition-key patterns of the table and of its two indexes, in IAM `StringLike` syntax (`*`
 * stands for any characters): what `dynamodb:LeadingKeys` conditions grant (lib/table-access.ts).
 * Every key builder above yields partition values that match a pattern of their place, and every
 * pattern is matched by some builder (test/unit/shared/partition-patterns.test.ts): a new key
 * without a pattern, or a pattern nobody builds, fails there.
 *
 * `gsi1.members` (`ORG#*`) also matches the right-request inboxes (`ORG#<org>#RIGHT_REQUESTS#…`);
 * a function that only reads inboxes is granted `gsi1.rightRequestInbox`, never `members`.
 */
export const PARTITION_PATTERNS = {
  table: {
    person: `${PERSON_PREFIX}*`,
    identityLink: 'IDENTITY#*',
    inszLink: 'INSZ#*',
    registeredPerson: 'REGISTER#PERSON#*',
    registeredCompany: 'REGISTER#COMPANY#*',
    inszCheckAttempts: 'INSZ_CHECK#*',
    mailSent: 'MAIL#*',
    activity: 'ACTIVITY#*',
    notice: 'NOTICE#*',
    connection: 'CONNECTION#*',
    supportCase: 'IDENTITY_CASE#*',
    officePending: 'OFFICE_PENDING#*',
    bisRegistration: `${BIS_REGISTRATION_PREFIX}*`,
    bisOpenRequest: 'BIS_OPEN#*',
    bisSequence: 'BIS_SEQUENCE#*',
    organisation: 'ORG#*',
    foreignRegistrationMarker: 'FOREIGN_REGISTRATION#*',
    audit: `${AUDIT_PREFIX}*`,
    foreignRegistration: `${FOREIGN_REGISTRATION_PREFIX}*`,
    attachedUpload: 'UPLOAD#*',
    rightRequest: `${RIGHT_REQUEST_PREFIX}*`,
    rightRequestOpen: 'RIGHT_REQUEST_OPEN#*',
    nativeAccount: 'NATIVE_ACCOUNT#*',
    codeCard: 'NATIVE#*',
    idempotency: `${IDEMPOTENCY_KEY_PREFIX}#*`,
    walletTransaction: 'WALLET_TX#*',
    walletCode: 'WALLET_CODE#*',
    walletToken: 'WALLET_TOKEN#*',
    organisationCase: 'ORG_CASE#*',
    organisationLookalike: `${LOOKALIKE_PREFIX}*`,
    pendingMember: 'PENDING_MEMBER#*',
    grantNotice: 'GRANT_NOTICE#*',
  },
  gsi1: {
    members: 'ORG#*',
    rightRequestInbox: 'ORG#*#RIGHT_REQUESTS#*',
    organisationGrants: 'ORG_GRANTS#*',
    pendingNotices: PENDING_NOTICES,
    supportCaseQueue: 'IDENTITY_CASES#*',
    officePendingQueue: 'OFFICE_PENDING#*',
    bisQueue: 'BIS_QUEUE#*',
    foreignQueue: 'FOREIGN_QUEUE#*',
    organisationCaseQueue: 'ORG_CASES#*',
    grantNoticeQueue: 'GRANT_NOTICES#*',
  },
  gsi2: {
    bornOn: 'BORN#*',
    owner: 'OWNER#*',
    grantExpiry: 'GRANT_EXPIRY#*',
    registerRepresentatives: 'REGISTER_REPRESENTATIVES#*',
  },
} as const;
