/**
 * Appointments on a national number that wait for its holder (issue 14, seed 001): the marker
 * `PENDING_MEMBER#<hash>` holds, per organisation, what a local administrator decided; it becomes
 * memberships only when the number is linked to a person on STRONG evidence — a first verified login
 * (itsme, PID: `lambdas/identity/resolve-person.ts`), or a registration officer who checked the
 * person's documents (`lambdas/native/`). A bare `register-match` (names and birth date, public
 * knowledge) never claims anything.
 *
 * One claim is one transaction: per organisation the membership (created, or an existing plain
 * membership made administrator), the organisation's administrator count, an audit entry with the
 * appointing administrator as actor, the person's activity entry and its notice (mailed by the
 * notices job), and per role granted on the number its grant and `right-granted` audit entry; the
 * marker deleted on the version it was read with. At most {@link MAX_PENDING_ORGANISATIONS}
 * organisations and {@link MAX_PENDING_GRANTS} roles wait on one number, so a claim stays inside
 * DynamoDB's 100 items per transaction (5 per organisation + 2 per role + 1 = 91).
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type TransactItem, transactNamed } from './dynamo.ts';
import { grantItem } from './grant-item.ts';
import { inszKeyHash, keys, memberSortKey, organisationKeys, pendingMembershipKeys } from './keys.ts';
import { recordActivity } from './person-activity.ts';

/** Organisations that may wait on one national number (the appointment past it is refused, 409). */
export const MAX_PENDING_ORGANISATIONS = 10;

/** Days a waiting appointment lives (TTL) after the latest one on the number: a stale one lapses. */
export const PENDING_MEMBERSHIP_TTL_DAYS = 90;

/** Roles that may wait on one national number, all organisations together (see the item count above). */
export const MAX_PENDING_GRANTS = 20;

/** A role a local administrator granted to the number (issue 14): a grant once the number is claimed. */
export interface PendingGrant {
  grantId: string;
  /** The id the grant records as its origin (no request item exists: the administrator decided). */
  requestId: string;
  application: string;
  role: string;
  validUntil: string;
  grantedBy: string;
  at: string;
}

/** One organisation's waiting appointment or registration. */
export interface PendingMembershipEntry {
  name: string;
  /** Appointed local administrator; `false`: registered as a member (with `grants`). */
  localAdministrator: boolean;
  appointedBy: string;
  at: string;
  grants?: PendingGrant[];
}

/** The pending-membership marker of a national number (`pendingMembershipKeys.marker`). */
export interface PendingMemberships {
  inszHash: string;
  version: number;
  organisations: Record<string, PendingMembershipEntry>;
}

const NOT_EXISTS = 'attribute_not_exists(PK)';

/** Maps a marker item read for `inszHash`; `undefined` for anything else. */
export function toPendingMemberships(
  item: Record<string, unknown> | undefined,
  inszHash: string,
): PendingMemberships | undefined {
  if (!item?.organisations || typeof item.organisations !== 'object') return undefined;
  const organisations: Record<string, PendingMembershipEntry> = {};
  for (const [orgCode, raw] of Object.entries(item.organisations as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const entry = raw as Record<string, unknown>;
    if (
      typeof entry.name !== 'string' ||
      typeof entry.appointedBy !== 'string' ||
      typeof entry.at !== 'string'
    ) {
      continue;
    }
    const grants = Array.isArray(entry.grants) ? entry.grants.filter(isPendingGrant) : [];
    organisations[orgCode] = {
      name: entry.name,
      localAdministrator: entry.localAdministrator === true,
      appointedBy: entry.appointedBy,
      at: entry.at,
      ...(grants.length > 0 ? { grants } : {}),
    };
  }
  return { inszHash, version: typeof item.version === 'number' ? item.version : 0, organisations };
}

function isPendingGrant(value: unknown): value is PendingGrant {
  if (!value || typeof value !== 'object') return false;
  const grant = value as Record<string, unknown>;
  return ['grantId', 'requestId', 'application', 'role', 'validUntil', 'grantedBy', 'at'].every(
    (field) => typeof grant[field] === 'string',
  );
}

/** Roles waiting on a marker, all organisations together. */
export function pendingGrantCount(organisations: Record<string, PendingMembershipEntry>): number {
  return Object.values(organisations).reduce((sum, entry) => sum + (entry.grants?.length ?? 0), 0);
}

/** What a change of a marker decided: the new organisation map, or why nothing is written. */
export type PendingChange = { organisations: Record<string, PendingMembershipEntry> } | 'exists' | 'full';

/**
 * Read-modify-write of a number's marker: `change` gets the organisations waiting now and returns the
 * new map (or `exists`/`full`: nothing written); the Put is conditioned on the version read, with
 * `guard` (the acting administrator's ConditionCheck, the audit entry) in the same transaction. The
 * marker's TTL moves to {@link PENDING_MEMBERSHIP_TTL_DAYS} after `at`.
 * @returns `stale` when the marker changed meanwhile (read again); `forbidden` when the guard's
 *   `actor` condition failed
 */
export async function changePendingMarker(
  db: DynamoDBDocumentClient,
  tableName: string,
  inszHash: string,
  at: string,
  change: (organisations: Record<string, PendingMembershipEntry>) => PendingChange,
  guard: { actor: TransactItem; audit: TransactItem | readonly TransactItem[] },
): Promise<'done' | 'exists' | 'full' | 'stale' | 'forbidden'> {
  const key = pendingMembershipKeys.marker(inszHash);
  const read = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const current = toPendingMemberships(read.Item, inszHash);
  const decided = change(current?.organisations ?? {});
  if (decided === 'exists' || decided === 'full') return decided;
  const failed = await transactNamed(db, {
    marker: {
      Put: {
        TableName: tableName,
        Item: {
          ...key,
          type: 'pendingMembership',
          organisations: decided.organisations,
          version: (current?.version ?? 0) + 1,
          updatedAt: at,
          expiresAt: Math.floor(Date.parse(at) / 1000) + PENDING_MEMBERSHIP_TTL_DAYS * 86_400,
        },
        ConditionExpression: read.Item ? '#version = :version' : 'attribute_not_exists(PK)',
        ...(read.Item
          ? {
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': current?.version ?? 0 },
            }
          : {}),
      },
    },
    actor: guard.actor,
    audit: guard.audit,
  });
  if (!failed) return 'done';
  if (failed.has('actor')) return 'forbidden';
  return 'stale';
}

/** Reads the marker of `insz` (strongly consistent). */
export async function readPendingMemberships(
  db: DynamoDBDocumentClient,
  tableName: string,
  insz: string,
): Promise<PendingMemberships | undefined> {
  const inszHash = inszKeyHash(insz);
  const out = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: pendingMembershipKeys.marker(inszHash),
      ConsistentRead: true,
    }),
  );
  return toPendingMemberships(out.Item, inszHash);
}

/** What the person already is in an organisation of the marker (read before claiming). */
export type ExistingMemberships = ReadonlyMap<string, { localAdministrator: boolean }>;

/**
 * The person's memberships of the marker's organisations, one consistent BatchGetItem. Only a person
 * who existed before (a returning login, an account on a known person) can have any; a person created
 * in the same flow skips it.
 */
export async function readExistingMemberships(
  db: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  pending: PendingMemberships,
): Promise<ExistingMemberships> {
  const found = new Map<string, { localAdministrator: boolean }>();
  let requested: Record<string, unknown>[] = Object.keys(pending.organisations).map((orgCode) => {
    const { PK, SK } = keys.membership(personId, orgCode);
    return { PK, SK };
  });
  for (let attempt = 1; requested.length > 0; attempt++) {
    if (attempt > 4) throw new Error('membership reads stayed unprocessed (throttled)');
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const out = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: requested,
            ConsistentRead: true,
            ProjectionExpression: 'orgCode, localAdministrator',
          },
        },
      }),
    );
    for (const item of out.Responses?.[tableName] ?? []) {
      if (typeof item.orgCode === 'string') {
        found.set(item.orgCode, { localAdministrator: item.localAdministrator === true });
      }
    }
    requested = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return found;
}

/**
 * Claims the marker for `personId`: one transaction (see the module comment). An organisation where
 * the person is already what the appointment asks changes nothing but its audit entry.
 * @returns false when the transaction was cancelled (the marker changed or is gone — another attempt
 *   claimed it —, or a membership changed since `existing` was read: the caller reads again)
 */
export async function claimPendingMemberships(
  db: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  pending: PendingMemberships,
  existing: ExistingMemberships,
  at: string,
  newId: () => string,
): Promise<boolean> {
  const items: Record<string, unknown>[] = [];
  for (const [orgCode, entry] of Object.entries(pending.organisations)) {
    const current = existing.get(orgCode);
    const makesAdministrator = entry.localAdministrator && current?.localAdministrator !== true;
    const { PK, SK, GSI1PK } = keys.membership(personId, orgCode);
    if (!current) {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            PK,
            SK,
            GSI1PK,
            GSI1SK: memberSortKey(personId, entry.localAdministrator),
            type: 'membership',
            personId,
            orgCode,
            name: entry.name,
            localAdministrator: entry.localAdministrator,
            legalRepresentative: false,
            appointedAdministrator: entry.localAdministrator,
            createdAt: at,
            updatedAt: at,
          },
          ConditionExpression: NOT_EXISTS,
        },
      });
    } else if (makesAdministrator) {
      items.push({
        Update: {
          TableName: tableName,
          Key: { PK, SK },
          UpdateExpression:
            'SET localAdministrator = :true, appointedAdministrator = :true, GSI1SK = :sk, updatedAt = :at',
          ConditionExpression: 'localAdministrator = :false',
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':sk': memberSortKey(personId, true),
            ':at': at,
          },
        },
      });
    }
    if (makesAdministrator || !current) {
      items.push({
        Update: {
          TableName: tableName,
          Key: organisationKeys.organisation(orgCode),
          UpdateExpression: 'ADD administratorCount :n',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':n': makesAdministrator ? 1 : 0 },
        },
      });
    }
    for (const grant of entry.grants ?? []) {
      // A role whose validity ended while it waited is not granted (the marker lives 90 days).
      if (Date.parse(grant.validUntil) <= Date.parse(at)) continue;
      items.push(
        {
          Put: {
            TableName: tableName,
            Item: grantItem({
              grantId: grant.grantId,
              personId,
              orgCode,
              application: grant.application,
              role: grant.role,
              validFrom: at,
              validUntil: grant.validUntil,
              grantedBy: grant.grantedBy,
              requestId: grant.requestId,
            }),
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...organisationKeys.auditEntry(orgCode, newId()),
              type: 'audit',
              orgCode,
              at,
              action: 'right-granted',
              actor: grant.grantedBy,
              subject: personId,
              reason: 'Granted by a local administrator on the national number; effective now.',
              details: {
                requestId: grant.requestId,
                grantId: grant.grantId,
                application: grant.application,
                role: grant.role,
                validUntil: grant.validUntil,
              },
            },
            ConditionExpression: NOT_EXISTS,
          },
        },
      );
    }
    items.push(
      {
        Put: {
          TableName: tableName,
          Item: {
            ...organisationKeys.auditEntry(orgCode, newId()),
            type: 'audit',
            orgCode,
            at,
            action: 'pending-membership-claimed',
            actor: entry.appointedBy,
            subject: personId,
            reason: 'The appointed person’s national number was linked on verified evidence.',
          },
          ConditionExpression: NOT_EXISTS,
        },
      },
      // The person's mail rides the notices outbox (sent by the identity-notices job to every address
      // known then), so a login sends no mail and keeps its round trips.
      ...recordActivity(
        tableName,
        {
          personId,
          at,
          event: entry.localAdministrator ? 'administrator-appointment' : 'membership-registration',
          actor: 'system',
          reference: orgCode,
        },
        newId,
        { organisationName: entry.name },
      ),
    );
  }
  items.push({
    Delete: {
      TableName: tableName,
      Key: pendingMembershipKeys.marker(pending.inszHash),
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': pending.version },
    },
  });
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items as never }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/**
 * Claims what waits on `insz` for `personId` outside a login — a registration officer just linked
 * the number on checked documents: reads the marker (and, for a person who existed before, their
 * memberships), claims, and reads again when a concurrent change cancelled the claim.
 * @returns the number of organisations claimed (0 when nothing waited)
 */
export async function claimPendingMembershipsOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  insz: string,
  at: string,
  newId: () => string,
  existingPerson: boolean,
): Promise<number> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const pending = await readPendingMemberships(db, tableName, insz);
    if (!pending || Object.keys(pending.organisations).length === 0) return 0;
    const existing = existingPerson
      ? await readExistingMemberships(db, tableName, personId, pending)
      : new Map<string, { localAdministrator: boolean }>();
    if (await claimPendingMemberships(db, tableName, personId, pending, existing, at, newId)) {
      return Object.keys(pending.organisations).length;
    }
  }
  throw new Error('claiming the pending memberships kept conflicting with concurrent changes');
}
