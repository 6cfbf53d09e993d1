/**
 * Persistence of organisations, memberships and foreign-company registrations (docs/data-model.md,
 * "Organisations access patterns" O1–O16): the port the use cases depend on and its DynamoDB
 * implementation. Only this module knows the table. Failed conditions become outcomes the use case
 * acts on or `ConflictError`; throttling becomes `TransientError`. Task tokens enter and leave only
 * through the methods that need them.
 *
 * Every change of an organisation's roles is one transaction with its audit entry, and keeps the
 * organisation's `administratorCount` exact: a membership update is conditioned on the roles it was
 * read with, so the counter moves only when a role really changes.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { closingUpdate } from '#shared/approval/outcome';
import {
  claimDecision,
  releaseDecision,
  storeDecisionToken,
  type WaitingRequest,
} from '#shared/approval/task-token';
import { type AuditEntry, auditPut } from '#shared/audit';
import {
  isConditionalCheckFailed,
  type TransactItem,
  transact,
  transactNamed,
  translateDynamoError,
} from '#shared/dynamo';
import { ConflictError, TransientError } from '#shared/errors';
import { newId } from '#shared/ids';
import { foreignRegistrationItem, readForeignRegistration } from '#shared/items/foreign-registration';
import { readInszLink, verifiedHolderOf } from '#shared/items/insz-link';
import { readMembership, readMembershipOrigin } from '#shared/items/membership';
import {
  ORGANISATION_CASE_RESOLUTIONS,
  type OrganisationCaseResolution,
  organisationCaseItem,
  readOrganisation,
  readOrganisationCase,
} from '#shared/items/organisation';
import { readPersonId, readPersonProfile, readStringSet } from '#shared/items/person';
import {
  foreignRegistrationKeys,
  keyOf,
  keys,
  memberSortKey,
  organisationKeys,
  type TableKey,
} from '#shared/keys';
import { listAdministratorIds, type Membership, readActiveMembership } from '#shared/organisation-access';
import { changePendingMarker, MAX_PENDING_ORGANISATIONS } from '#shared/pending-memberships';
import { recordActivity } from '#shared/person-activity';
import {
  type FirstApproval,
  type ForeignRegistration,
  type ForeignRegistrationStatus,
  type LookalikeField,
  type LookalikeProbe,
  lookalikeSkeletons,
  type Organisation,
  type PendingDecision,
} from './organisation.ts';

/** What the organisations use cases read from a person profile (written by the identity context). */
export interface PersonSummary {
  personId: string;
  insz?: string;
  /** Why the INSZ is this person's (`INSZ_EVIDENCE`); absent on profiles not migrated yet. */
  inszEvidence?: string;
  givenNames?: string;
  familyName?: string;
  email?: string;
  locale?: string;
}

/** A stored membership with its creation date. */
export interface StoredMembership extends Membership {
  createdAt: string;
  /**
   * True when a local administrator appointed this person (O9): their administrator role does not
   * come from being a legal representative alone, and survives losing that.
   */
  appointedAdministrator?: boolean;
  /** True when the roles come from the company register (a claim, O8): the daily check covers it. */
  registerDerived?: boolean;
}

/** One organisation a pending membership waits in (the map entry of the O22 marker). */
export interface PendingAppointment {
  orgCode: string;
  name: string;
  localAdministrator: boolean;
  appointedBy: string;
  at: string;
}

/** A membership in the register-representatives index (O19). */
export interface RegisterRepresentative {
  orgCode: string;
  personId: string;
}

/** How a security officer closes an organisation case. */
export { ORGANISATION_CASE_RESOLUTIONS, type OrganisationCaseResolution };

/** A security officers' case about an organisation (O21), as stored. */
export interface OrganisationCase {
  orgCode: string;
  personId: string;
  kind: string;
  status: 'OPEN' | 'RESOLVED';
  openedAt: string;
  resolution?: OrganisationCaseResolution;
  note?: string;
  resolvedBy?: string;
  resolvedAt?: string;
}

/** An organisation a registration looks like, and through which of its fields. */
export interface LookalikeMatch {
  orgCode: string;
  matched: LookalikeField[];
}

/** Outcome of {@link OrganisationsRepository.lapseRepresentative}. */
export type LapseOutcome = 'done' | 'last-administrator' | 'stale';

/** The roles a membership change gives (never takes: see `removeAdministrator`). */
export interface RoleChange {
  personId: string;
  orgCode: string;
  /** Organisation name, denormalised on the membership for `GET /me`. */
  orgName: string;
  legalRepresentative: boolean;
  /** The membership as read before the change (`undefined`: none). */
  previous: Membership | undefined;
  now: string;
  /**
   * Where the roles come from: `register` (a claim: indexed for the daily register check, O19),
   * `appointment` (O9: marks the administrator role as appointed). @default neither
   */
  source?: 'register' | 'appointment';
}

/**
 * Outcome of a role change:
 * - `done` — written;
 * - `stale` — the membership (or organisation) changed since it was read: read again and retry;
 * - `forbidden` — the acting administrator is no longer one;
 * - `missing` — the organisation does not exist (appointments only);
 * - `state-changed` — the registration is no longer pending with this decision (foreign approval);
 * - `existing-organisation` — the organisation has administrators, and the approval had no second
 *   check (foreign approval: one officer alone never adds a representative to an existing organisation);
 * - `lookalike-organisation` — another organisation with the same name or number skeleton was approved
 *   since the decision, and the approval had no second check.
 */
export type ChangeOutcome =
  | 'done'
  | 'stale'
  | 'forbidden'
  | 'missing'
  | 'state-changed'
  | 'existing-organisation'
  | 'lookalike-organisation';

/** Outcome of removing an administrator. */
export type RemoveOutcome = 'done' | 'last-administrator' | 'stale' | 'forbidden';

/** A page of a Query. */
export interface RepositoryPage<T> {
  items: T[];
  lastEvaluatedKey?: Record<string, unknown>;
}

/** What the organisations use cases need from storage. */
export interface OrganisationsRepository {
  /** O2: a person's profile fields the context uses. */
  getPerson(personId: string): Promise<PersonSummary | undefined>;
  /** O3: profiles of several persons (names for the members list), in one BatchGetItem. */
  getPersons(personIds: readonly string[]): Promise<Map<string, PersonSummary>>;
  /**
   * O4: the person holding a national number on STRONG evidence (itsme, a PID, an issued BIS number,
   * a registration office), or `undefined` — also for a holder by `register-match` alone: names and
   * birth date are public knowledge, so an appointment by number waits for verified evidence instead.
   */
  findVerifiedHolder(insz: string): Promise<string | undefined>;
  /** O5: the organisation profile. */
  getOrganisation(orgCode: string): Promise<Organisation | undefined>;
  /** O6 (consistent). */
  getMembership(personId: string, orgCode: string): Promise<StoredMembership | undefined>;
  /** The membership of a person who acts (a suspended person has none, see `readActiveMembership`). */
  getActiveMembership(personId: string, orgCode: string): Promise<StoredMembership | undefined>;
  /** O7: an organisation's members, by person id. */
  listMembers(
    orgCode: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<RepositoryPage<StoredMembership>>;
  /**
   * O8: a claim by a legal representative of the company register: creates the organisation when it
   * is new, makes the membership legal representative + local administrator, audit entry.
   */
  claim(
    organisation: Omit<Organisation, 'administratorCount'>,
    change: RoleChange,
    audit: AuditEntry,
  ): Promise<ChangeOutcome>;
  /** O9: makes a person local administrator of an existing organisation, if `actorId` still is one. */
  appointAdministrator(change: RoleChange, actorId: string, audit: AuditEntry): Promise<ChangeOutcome>;
  /**
   * O10: takes the administrator role, never from the last administrator. Removed by someone else,
   * the person is told (activity entry and notice naming `organisationName`) in the same transaction.
   */
  removeAdministrator(
    orgCode: string,
    personId: string,
    actorId: string,
    audit: AuditEntry,
    organisationName: string,
  ): Promise<RemoveOutcome>;

  /** O11: registration + upload marker. Throws `ConflictError` when the upload is attached already. */
  createForeignRegistration(registration: ForeignRegistration): Promise<void>;
  /**
   * O11: frees an upload whose registration was closed before its review started, so the client's
   * retry can attach the same extract; only the marker that names `registrationId` is deleted.
   */
  releaseUpload(uploadId: string, registrationId: string): Promise<void>;
  /** O12 (consistent). */
  getForeignRegistration(registrationId: string): Promise<ForeignRegistration | undefined>;
  /** O13: the queue of one status, oldest first. */
  listForeignRegistrations(
    status: ForeignRegistrationStatus,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<RepositoryPage<ForeignRegistration>>;
  /** O14: stores the `await-decision` token (pending review, no decision). False otherwise. */
  storeDecisionToken(registrationId: string, taskToken: string, now: string): Promise<boolean>;
  /** O15: the one-winner decision claim; returns the task token. Throws `ConflictError` otherwise. */
  claimDecision(registrationId: string, decision: PendingDecision): Promise<string>;
  /** Undoes {@link OrganisationsRepository.claimDecision} when the workflow could not be told. */
  releaseDecision(registrationId: string, decisionId: string, taskToken: string): Promise<void>;
  /**
   * O16: the approval, in ONE transaction: APPROVED, organisation (created if new), membership as
   * legal representative + local administrator, audit entry, and the organisation's code added to its
   * two look-alike markers (L2). Without `secondCheck` the organisation must be new or without
   * administrators (condition on its item: of two registrations of one new organisation approved at
   * once, exactly one wins), and each marker must name no other organisation
   * (`lookalike-organisation`).
   */
  approveForeign(
    registration: ForeignRegistration,
    decision: PendingDecision,
    organisation: Omit<Organisation, 'administratorCount'>,
    change: RoleChange,
    audit: AuditEntry,
    secondCheck: boolean,
  ): Promise<ChangeOutcome>;
  /**
   * O17: records the first officer's approval of a registration of an existing organisation
   * (pending, no first approval yet). False when the state moved on.
   */
  recordFirstApproval(registrationId: string, approval: FirstApproval): Promise<boolean>;
  /** O18: the person ids of an organisation's local administrators (all pages). */
  listAdministratorIds(orgCode: string): Promise<string[]>;
  /**
   * L1: for each probe, the organisations whose name or registry-number skeleton it shares in its
   * country — one BatchGetItem of two marker keys per probe, whatever the number of organisations.
   * The probe's own organisation code is among them when it exists.
   */
  findLookalikes(probes: readonly LookalikeProbe[]): Promise<LookalikeMatch[][]>;
  /**
   * O22: a pending appointment on a national number nobody holds yet (by its hash): the marker's
   * organisation map gains `orgCode` (conditioned on the version read; `stale` to retry), with the
   * audit entry; the marker's TTL moves to `PENDING_MEMBERSHIP_TTL_DAYS` after now. `exists` when
   * the number already waits for this organisation; `full` when it waits for
   * `MAX_PENDING_ORGANISATIONS` organisations already (nothing written).
   */
  addPendingAppointment(
    inszHash: string,
    pending: PendingAppointment,
    actorId: string,
    audit: AuditEntry,
  ): Promise<'done' | 'exists' | 'full' | 'stale' | 'forbidden'>;
  /** O19: every register-derived representative membership of one shard (all pages). */
  listRegisterRepresentatives(shard: number): Promise<RegisterRepresentative[]>;
  /**
   * O20: the register no longer lists the person: legal representative off, the administrator role
   * off unless appointed, the index keys removed, the organisation's count down — never below 1
   * (`last-administrator`, nothing written) — and the audit entry, in one transaction conditioned
   * on the membership as read (`stale`).
   */
  lapseRepresentative(membership: StoredMembership, audit: AuditEntry, now: string): Promise<LapseOutcome>;
  /** O21: opens a security officers' case (idempotent) with its audit entry. @returns false when open already. */
  openOrganisationCase(orgCode: string, personId: string, audit: AuditEntry, now: string): Promise<boolean>;
  /** O23: the open organisation cases, oldest organisation code first (GSI1, one page). */
  listOpenOrganisationCases(
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<RepositoryPage<OrganisationCase>>;
  /** O23 (consistent): one organisation case. */
  getOrganisationCase(orgCode: string, personId: string): Promise<OrganisationCase | undefined>;
  /**
   * O24: closes an open case (conditioned `status = OPEN`: one winner; it leaves the open queue for
   * `ORG_CASES#RESOLVED`) with its audit entry, in one transaction. `already-resolved` otherwise.
   */
  resolveOrganisationCase(
    organisationCase: OrganisationCase,
    resolution: Required<Pick<OrganisationCase, 'resolution' | 'note' | 'resolvedBy' | 'resolvedAt'>>,
    audit: AuditEntry,
  ): Promise<'resolved' | 'already-resolved'>;
  /** REJECTED with the reason, if pending with this decision. False when the state changed. */
  rejectForeign(registration: ForeignRegistration, decision: PendingDecision, now: string): Promise<boolean>;
  /** EXPIRED (a wait timed out, a step failed, the review could not start). False when not pending. */
  expireForeign(registration: ForeignRegistration, reason: string, now: string): Promise<boolean>;
}

/** Options of {@link createDynamoOrganisationsRepository}. */
export interface DynamoOrganisationsRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The two look-alike marker keys of a name and registry number in a country. */
function lookalikeMarkers(probe: LookalikeProbe): { field: LookalikeField; key: TableKey }[] {
  const skeletons = lookalikeSkeletons(probe);
  return [
    { field: 'name', key: organisationKeys.lookalike(probe.country, 'NAME', skeletons.name) },
    {
      field: 'registrationNumber',
      key: organisationKeys.lookalike(probe.country, 'NUMBER', skeletons.registrationNumber),
    },
  ];
}

/** The DynamoDB implementation of {@link OrganisationsRepository}. */
export function createDynamoOrganisationsRepository(
  options: DynamoOrganisationsRepositoryOptions,
): OrganisationsRepository {
  const { tableName: TableName, documentClient } = options;
  /** The request item as the shared decision mechanism sees it. */
  const waiting = (registrationId: string): WaitingRequest => ({
    documentClient,
    tableName: TableName,
    key: foreignRegistrationKeys.registration(registrationId),
    pendingStatus: 'PENDING_REVIEW',
    conflictMessage: 'This registration is not waiting for a decision.',
  });
  const send = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw translateDynamoError(error);
    });
  const get = async (Key: TableKey) =>
    (await send(() => documentClient.send(new GetCommand({ TableName, Key, ConsistentRead: true })))).Item;

  /** The membership update of a role change, conditioned on the roles it was read with. */
  /** Holds only while `actor` is a local administrator of the organisation. */
  const actorIsAdministrator = (actor: TableKey): TransactItem => ({
    ConditionCheck: {
      TableName,
      Key: { PK: actor.PK, SK: actor.SK },
      ConditionExpression: 'localAdministrator = :true',
      ExpressionAttributeValues: { ':true': true },
    },
  });
  const membershipUpdate = (change: RoleChange): TransactItem => {
    const key = keys.membership(change.personId, change.orgCode, true);
    const previous = change.previous;
    return {
      Update: {
        TableName,
        Key: { PK: key.PK, SK: key.SK },
        UpdateExpression:
          'SET #type = :type, personId = :personId, orgCode = :orgCode, #name = :orgName, ' +
          'localAdministrator = :true, legalRepresentative = :lr, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk, ' +
          'createdAt = if_not_exists(createdAt, :now), updatedAt = :now' +
          (change.source === 'register'
            ? ', registerDerived = :true, GSI2PK = :gsi2pk, GSI2SK = :gsi2sk'
            : '') +
          (change.source === 'appointment' ? ', appointedAdministrator = :true' : ''),
        ConditionExpression: previous
          ? 'localAdministrator = :wasAdmin AND legalRepresentative = :wasLr'
          : 'attribute_not_exists(PK)',
        ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
        ExpressionAttributeValues: {
          ':type': 'membership',
          ':personId': change.personId,
          ':orgCode': change.orgCode,
          ':orgName': change.orgName,
          ':true': true,
          ':lr': change.legalRepresentative || previous?.legalRepresentative === true,
          ':gsi1pk': key.GSI1PK,
          ':gsi1sk': key.GSI1SK,
          ...(change.source === 'register'
            ? (() => {
                const index = organisationKeys.registerRepresentative(change.orgCode, change.personId);
                return { ':gsi2pk': index.GSI2PK, ':gsi2sk': index.GSI2SK };
              })()
            : {}),
          ':now': change.now,
          ...(previous
            ? { ':wasAdmin': previous.localAdministrator, ':wasLr': previous.legalRepresentative }
            : {}),
        },
      },
    };
  };

  /** Creates the organisation when new (first writer's data wins) and counts a new administrator. */
  const organisationUpsert = (
    organisation: Omit<Organisation, 'administratorCount'>,
    change: RoleChange,
    onlyWithoutAdministrators = false,
  ): TransactItem => {
    const fields: Record<string, unknown> = {
      orgCode: organisation.orgCode,
      name: organisation.name,
      country: organisation.country,
      kind: organisation.kind,
      createdAt: organisation.createdAt,
      type: 'organisation',
      ...(organisation.enterpriseNumber ? { enterpriseNumber: organisation.enterpriseNumber } : {}),
      ...(organisation.registrationNumber ? { registrationNumber: organisation.registrationNumber } : {}),
      ...(organisation.address ? { address: organisation.address } : {}),
    };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':inc': change.previous?.localAdministrator ? 0 : 1 };
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = if_not_exists(#f${index}, :f${index})`;
    });
    return {
      Update: {
        TableName,
        Key: organisationKeys.organisation(organisation.orgCode),
        UpdateExpression: `SET ${sets.join(', ')} ADD administratorCount :inc`,
        ...(onlyWithoutAdministrators
          ? {
              ConditionExpression:
                'attribute_not_exists(PK) OR attribute_not_exists(administratorCount) OR administratorCount < :one',
            }
          : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: onlyWithoutAdministrators ? { ...values, ':one': 1 } : values,
      },
    };
  };

  /**
   * Adds an organisation to a look-alike marker (a string set). `exclusive`: only while the marker
   * names no other organisation — one officer alone never approves a look-alike of another one.
   */
  const lookalikeMarkerUpdate = (key: TableKey, orgCode: string, exclusive: boolean): TransactItem => ({
    Update: {
      TableName,
      Key: key,
      UpdateExpression: 'SET #type = :type ADD orgCodes :codes',
      ...(exclusive
        ? {
            ConditionExpression:
              'attribute_not_exists(orgCodes) OR (size(orgCodes) = :one AND contains(orgCodes, :code))',
          }
        : {}),
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':type': 'organisationLookalike',
        ':codes': new Set([orgCode]),
        ...(exclusive ? { ':one': 1, ':code': orgCode } : {}),
      },
    },
  });

  const registrationDecided = (
    registration: ForeignRegistration,
    decision: PendingDecision,
    status: ForeignRegistrationStatus,
    now: string,
  ): TransactItem =>
    closingUpdate(waiting(registration.registrationId), {
      status,
      queue: foreignRegistrationKeys.queuePartition(status),
      decisionId: decision.decisionId,
      record: { decidedBy: decision.decidedBy, decidedAt: decision.decidedAt, reason: decision.reason },
      now,
    });

  return {
    async getPerson(personId) {
      const item = await get(keys.person(personId));
      return item ? toPersonSummary(item) : undefined;
    },

    async getPersons(personIds) {
      const found = new Map<string, PersonSummary>();
      let pending = [...new Set(personIds)].map((id) => keys.person(id));
      for (let attempt = 0; pending.length > 0 && attempt < 4; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const out = await send(() =>
          documentClient.send(
            new BatchGetCommand({
              RequestItems: {
                [TableName]: {
                  Keys: pending,
                  ProjectionExpression: 'personId, givenNames, familyName',
                },
              },
            }),
          ),
        );
        for (const item of out.Responses?.[TableName] ?? []) {
          const person = toPersonSummary(item);
          found.set(person.personId, person);
        }
        pending = (out.UnprocessedKeys?.[TableName]?.Keys ?? []) as typeof pending;
      }
      return found;
    },

    async findVerifiedHolder(insz) {
      return verifiedHolderOf(readInszLink(await get(keys.inszLink(insz))));
    },

    async getOrganisation(orgCode) {
      const item = await get(organisationKeys.organisation(orgCode));
      return item ? readOrganisation(item) : undefined;
    },

    async getMembership(personId, orgCode) {
      const { PK, SK } = keys.membership(personId, orgCode);
      const item = await get({ PK, SK });
      const membership = readMembership(item);
      return membership ? { ...membership, ...readMembershipOrigin(item) } : undefined;
    },

    async getActiveMembership(personId, orgCode) {
      const item = await send(() => readActiveMembership(documentClient, TableName, personId, orgCode));
      const membership = readMembership(item);
      return membership ? { ...membership, ...readMembershipOrigin(item) } : undefined;
    },

    async listMembers(orgCode, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :member)',
            ExpressionAttributeValues: {
              ':pk': organisationKeys.membersPartition(orgCode),
              ':member': 'MEMBER#',
            },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const items: StoredMembership[] = [];
      for (const item of out.Items ?? []) {
        const membership = readMembership(item);
        if (membership) items.push({ ...membership, createdAt: readMembershipOrigin(item).createdAt });
      }
      return { items, ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}) };
    },

    async claim(organisation, change, audit) {
      const reasons = await transact(documentClient, [
        organisationUpsert(organisation, change),
        membershipUpdate(change),
        auditPut(TableName, audit),
      ]);
      return reasons ? 'stale' : 'done';
    },

    async appointAdministrator(change, actorId, audit) {
      const actor = keys.membership(actorId, change.orgCode);
      const failed = await transactNamed(documentClient, {
        organisation: {
          Update: {
            TableName,
            Key: organisationKeys.organisation(change.orgCode),
            UpdateExpression: 'ADD administratorCount :one',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        membership: membershipUpdate({ ...change, legalRepresentative: false }),
        audit: auditPut(TableName, audit),
        actor: actorId !== change.personId ? actorIsAdministrator(actor) : undefined,
        // The appointed person is told (activity entry and notice, mailed by the identity notices
        // job), as when an appointment by national number takes effect at a first login.
        notice: recordActivity(
          TableName,
          {
            personId: change.personId,
            at: change.now,
            event: 'administrator-appointment',
            actor: 'system',
            reference: change.orgCode,
          },
          newId,
          { organisationName: change.orgName },
        ),
      });
      if (!failed) return 'done';
      if (failed.has('organisation')) return 'missing';
      if (failed.has('actor')) return 'forbidden';
      return 'stale';
    },

    async removeAdministrator(orgCode, personId, actorId, audit, organisationName) {
      const target = keys.membership(personId, orgCode);
      const actor = keys.membership(actorId, orgCode);
      const failed = await transactNamed(documentClient, {
        organisation: {
          Update: {
            TableName,
            Key: organisationKeys.organisation(orgCode),
            UpdateExpression: 'ADD administratorCount :minusOne',
            ConditionExpression: 'administratorCount > :one',
            ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
          },
        },
        target: {
          Update: {
            TableName,
            Key: { PK: target.PK, SK: target.SK },
            UpdateExpression: 'SET localAdministrator = :false, GSI1SK = :member, updatedAt = :now',
            // Another administrator may never take the role of a legal representative.
            ConditionExpression:
              actorId === personId
                ? 'localAdministrator = :true'
                : 'localAdministrator = :true AND legalRepresentative <> :true',
            ExpressionAttributeValues: {
              ':true': true,
              ':false': false,
              ':member': memberSortKey(personId, false),
              ':now': audit.at,
            },
          },
        },
        audit: auditPut(TableName, audit),
        actor: actorId !== personId ? actorIsAdministrator(actor) : undefined,
        notice:
          actorId !== personId
            ? recordActivity(
                TableName,
                {
                  personId,
                  at: audit.at,
                  event: 'administrator-removal',
                  actor: 'system',
                  reference: orgCode,
                },
                newId,
                { organisationName },
              )
            : undefined,
      });
      if (!failed) return 'done';
      if (failed.has('actor')) return 'forbidden';
      if (failed.has('target')) return 'stale';
      if (failed.has('organisation')) return 'last-administrator';
      return 'stale';
    },

    async createForeignRegistration(registration) {
      const { registrationId, personId, createdAt } = registration;
      const reasons = await transact(documentClient, [
        {
          Put: {
            TableName,
            Item: foreignRegistrationItem(registration),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName,
            Item: {
              ...foreignRegistrationKeys.attachedUpload(registration.uploadId),
              type: 'attachedUpload',
              registrationId,
              personId,
              createdAt,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
      if (reasons) throw new ConflictError('This extract is already attached to a registration.');
    },

    async releaseUpload(uploadId, registrationId) {
      try {
        await send(() =>
          documentClient.send(
            new DeleteCommand({
              TableName,
              Key: foreignRegistrationKeys.attachedUpload(uploadId),
              ConditionExpression: 'registrationId = :registrationId',
              ExpressionAttributeValues: { ':registrationId': registrationId },
            }),
          ),
        );
      } catch (error) {
        // Already gone, or attached to another registration: nothing of ours to free.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },

    async getForeignRegistration(registrationId) {
      const item = await get(foreignRegistrationKeys.registration(registrationId));
      return item ? readForeignRegistration(item) : undefined;
    },

    async listForeignRegistrations(status, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': foreignRegistrationKeys.queuePartition(status) },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map(readForeignRegistration),
        ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}),
      };
    },

    async storeDecisionToken(registrationId, taskToken, now) {
      return storeDecisionToken(waiting(registrationId), taskToken, now);
    },

    async claimDecision(registrationId, decision) {
      return claimDecision(waiting(registrationId), decision, decision.decidedAt);
    },

    async releaseDecision(registrationId, decisionId, taskToken) {
      return releaseDecision(waiting(registrationId), decisionId, taskToken);
    },

    async approveForeign(registration, decision, organisation, change, audit, secondCheck) {
      const markers = lookalikeMarkers({
        country: organisation.country,
        name: organisation.name,
        registrationNumber: organisation.registrationNumber ?? registration.registrationNumber,
      });
      const failed = await transactNamed(documentClient, {
        registration: registrationDecided(registration, decision, 'APPROVED', change.now),
        organisation: organisationUpsert(organisation, change, !secondCheck),
        membership: membershipUpdate(change),
        audit: auditPut(TableName, audit),
        lookalikes: markers.map(({ key }) => lookalikeMarkerUpdate(key, organisation.orgCode, !secondCheck)),
      });
      if (!failed) return 'done';
      if (failed.has('registration')) return 'state-changed';
      if (failed.has('organisation')) return 'existing-organisation';
      if (failed.has('lookalikes')) return 'lookalike-organisation';
      return 'stale';
    },

    async findLookalikes(probes) {
      const perProbe = probes.map(lookalikeMarkers);
      const codesByPk = new Map<string, string[]>();
      let pending = [
        ...new Map(perProbe.flat().map(({ key }) => [key.PK, key] as const)).values(),
      ] as TableKey[];
      // BatchGetItem takes 100 keys; UnprocessedKeys are retried with backoff.
      for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const unprocessed: TableKey[] = [];
        for (let start = 0; start < pending.length; start += 100) {
          const out = await send(() =>
            documentClient.send(
              new BatchGetCommand({
                RequestItems: {
                  [TableName]: {
                    Keys: pending.slice(start, start + 100),
                    ProjectionExpression: 'PK, orgCodes',
                  },
                },
              }),
            ),
          );
          for (const item of out.Responses?.[TableName] ?? []) {
            codesByPk.set(keyOf(item, 'PK'), readStringSet(item.orgCodes).sort());
          }
          unprocessed.push(...((out.UnprocessedKeys?.[TableName]?.Keys ?? []) as TableKey[]));
        }
        pending = unprocessed;
      }
      if (pending.length > 0) throw new TransientError('The look-alike markers could not be read.');
      return perProbe.map((markers) => {
        const matches = new Map<string, LookalikeField[]>();
        for (const { field, key } of markers) {
          for (const orgCode of codesByPk.get(key.PK) ?? []) {
            matches.set(orgCode, [...(matches.get(orgCode) ?? []), field]);
          }
        }
        return [...matches].map(([orgCode, matched]) => ({ orgCode, matched }));
      });
    },

    async recordFirstApproval(registrationId, approval) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: foreignRegistrationKeys.registration(registrationId),
            UpdateExpression: 'SET firstApproval = :approval, updatedAt = :now',
            ConditionExpression:
              '#status = :pending AND attribute_not_exists(firstApproval) AND attribute_not_exists(#decision)',
            ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
            ExpressionAttributeValues: {
              ':approval': approval,
              ':pending': 'PENDING_REVIEW',
              ':now': approval.decidedAt,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw translateDynamoError(error);
      }
    },

    async addPendingAppointment(inszHash, pending, actorId, audit) {
      const { orgCode, ...entry } = pending;
      return send(() =>
        changePendingMarker(
          documentClient,
          TableName,
          inszHash,
          pending.at,
          (organisations) => {
            const waiting = organisations[orgCode];
            if (waiting?.localAdministrator) return 'exists';
            if (!waiting && Object.keys(organisations).length >= MAX_PENDING_ORGANISATIONS) return 'full';
            // A registration as member (with roles) that waits already becomes an appointment, roles kept.
            return {
              organisations: {
                ...organisations,
                [orgCode]: { ...waiting, ...entry, localAdministrator: true },
              },
            };
          },
          {
            actor: actorIsAdministrator(keys.membership(actorId, orgCode)),
            audit: auditPut(TableName, audit),
          },
        ),
      );
    },

    async listRegisterRepresentatives(shard) {
      const found: RegisterRepresentative[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await send(() =>
          documentClient.send(
            new QueryCommand({
              TableName,
              IndexName: 'GSI2',
              KeyConditionExpression: 'GSI2PK = :pk',
              ExpressionAttributeValues: { ':pk': organisationKeys.registerRepresentativesPartition(shard) },
              ProjectionExpression: 'personId, orgCode',
              ExclusiveStartKey,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          const membership = readMembership(item);
          if (membership) found.push({ personId: membership.personId, orgCode: membership.orgCode });
        }
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return found;
    },

    async lapseRepresentative(membership, audit, now) {
      const { PK, SK } = keys.membership(membership.personId, membership.orgCode);
      const keepsAdministrator = membership.appointedAdministrator === true;
      const losesAdministrator = membership.localAdministrator && !keepsAdministrator;
      const failed = await transactNamed(documentClient, {
        membership: {
          Update: {
            TableName,
            Key: { PK, SK },
            UpdateExpression:
              'SET legalRepresentative = :false, localAdministrator = :admin, GSI1SK = :gsi1sk, updatedAt = :now ' +
              'REMOVE GSI2PK, GSI2SK, registerDerived',
            ConditionExpression: 'legalRepresentative = :true AND localAdministrator = :wasAdmin',
            ExpressionAttributeValues: {
              ':false': false,
              ':true': true,
              ':admin': !losesAdministrator && membership.localAdministrator,
              ':gsi1sk': memberSortKey(
                membership.personId,
                !losesAdministrator && membership.localAdministrator,
              ),
              ':wasAdmin': membership.localAdministrator,
              ':now': now,
            },
          },
        },
        organisation: losesAdministrator
          ? {
              Update: {
                TableName,
                Key: organisationKeys.organisation(membership.orgCode),
                UpdateExpression: 'ADD administratorCount :minusOne',
                ConditionExpression: 'administratorCount > :one',
                ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
              },
            }
          : undefined,
        audit: auditPut(TableName, audit),
      });
      if (!failed) return 'done';
      if (failed.has('organisation')) return 'last-administrator';
      if (failed.has('membership')) return 'stale';
      throw new TransientError('the register check conflicted with a concurrent write');
    },

    async openOrganisationCase(orgCode, personId, audit, now) {
      const failed = await transactNamed(documentClient, {
        case: {
          Put: {
            TableName,
            Item: organisationCaseItem({ orgCode, personId, kind: 'representative-lapsed', openedAt: now }),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        audit: auditPut(TableName, audit),
      });
      if (!failed) return true;
      if (failed.has('case')) return false;
      throw new TransientError('opening the case conflicted with a concurrent write');
    },

    async listOpenOrganisationCases(limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': organisationKeys.organisationCaseQueue('OPEN') },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map(readOrganisationCase),
        ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}),
      };
    },

    async getOrganisationCase(orgCode, personId) {
      const { PK, SK } = organisationKeys.organisationCase(orgCode, personId);
      const item = await get({ PK, SK });
      return item ? readOrganisationCase(item) : undefined;
    },

    async resolveOrganisationCase(organisationCase, resolution, audit) {
      const { PK, SK } = organisationKeys.organisationCase(
        organisationCase.orgCode,
        organisationCase.personId,
      );
      const failed = await transactNamed(documentClient, {
        case: {
          Update: {
            TableName,
            Key: { PK, SK },
            UpdateExpression:
              'SET #status = :resolved, resolution = :resolution, note = :note, resolvedBy = :by, ' +
              'resolvedAt = :at, GSI1PK = :queue',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':resolved': 'RESOLVED',
              ':open': 'OPEN',
              ':resolution': resolution.resolution,
              ':note': resolution.note,
              ':by': resolution.resolvedBy,
              ':at': resolution.resolvedAt,
              ':queue': organisationKeys.organisationCaseQueue('RESOLVED'),
            },
          },
        },
        audit: auditPut(TableName, audit),
      });
      if (!failed) return 'resolved';
      if (failed.has('case')) return 'already-resolved';
      throw new TransientError('closing the case conflicted with a concurrent write');
    },

    async listAdministratorIds(orgCode) {
      return send(() => listAdministratorIds(documentClient, TableName, orgCode));
    },

    async rejectForeign(registration, decision, now) {
      const failed = await transactNamed(documentClient, {
        registration: registrationDecided(registration, decision, 'REJECTED', now),
      });
      if (!failed) return true;
      if (failed.has('registration')) return false;
      throw new TransientError('the rejection conflicted with a concurrent write');
    },

    async expireForeign(registration, reason, now) {
      try {
        await documentClient.send(
          new UpdateCommand(
            closingUpdate(waiting(registration.registrationId), {
              status: 'EXPIRED',
              queue: foreignRegistrationKeys.queuePartition('EXPIRED'),
              record: { reason },
              now,
            }).Update,
          ),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw translateDynamoError(error);
      }
    },
  };
}

function toPersonSummary(item: Record<string, unknown>): PersonSummary {
  const { birthDate: _birthDate, ...profile } = readPersonProfile(item);
  return { personId: readPersonId(item), ...profile };
}
