/**
 * Persistence of right requests, grants and the audit trail (docs/data-model.md, "Rights access
 * patterns" R1–R17): the port the use cases depend on and its DynamoDB implementation. Only this
 * module knows the table; SDK exceptions stop here. Every state change writes its audit entries in the
 * same transaction (`auditPut`). Task tokens enter and leave only through the methods that need them.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { closingUpdate } from '#shared/approval/outcome';
import {
  claimDecision,
  releaseDecision,
  storeDecisionToken,
  type WaitingRequest,
} from '#shared/approval/task-token';
import { type AuditEntry, auditPut, toAuditEntry } from '#shared/audit';
import { transactNamed, translateDynamoError } from '#shared/dynamo';
import { ConflictError, TransientError } from '#shared/errors';
import { grantItem, readGrantItem } from '#shared/grant-item';
import { newId } from '#shared/ids';
import { readInszLink, verifiedHolderOf } from '#shared/items/insz-link';
import { organisationNameOf } from '#shared/items/organisation';
import { readPersonProfile } from '#shared/items/person';
import { readRightRequest, rightRequestItem } from '#shared/items/right-request';
import { keys, organisationKeys, rightsKeys } from '#shared/keys';
import { createMembershipReader, listAdministratorIds, type Membership } from '#shared/organisation-access';
import {
  changePendingMarker,
  MAX_PENDING_GRANTS,
  MAX_PENDING_ORGANISATIONS,
  type PendingGrant,
  pendingGrantCount,
} from '#shared/pending-memberships';
import { recordActivity } from '#shared/person-activity';
import type { Grant, PendingRightDecision, RightRequest, RightRequestStatus } from './right-request.ts';

/** What the rights use cases read from a person profile (written by the identity context). */
export interface PersonProfile {
  givenNames: string;
  familyName: string;
  insz?: string;
  email?: string;
  locale?: string;
}

/** What the rights use cases read from an organisation profile (written by the organisations context). */
export interface OrganisationProfile {
  orgCode: string;
  name: string;
}

/** A membership to create with a grant, when the person is not a member yet. */
export interface NewMembership {
  personId: string;
  orgCode: string;
  name: string;
  createdAt: string;
}

/** One page of a query. */
export interface ItemPage<T> {
  items: T[];
  lastEvaluatedKey?: Record<string, unknown>;
}

/**
 * Outcome of a transaction that grants: done, the state moved on (`state-changed`), the person
 * became a member meanwhile (`membership-exists`: retry without creating it), an open request exists
 * (`open-request`), the person is no longer a member (`not-member`: a grant at once needs one), the
 * deciding administrator is no longer one (`decider-removed`), or contention.
 */
export type GrantOutcome =
  | 'done'
  | 'state-changed'
  | 'membership-exists'
  | 'open-request'
  | 'not-member'
  | 'decider-removed'
  | 'contention';

/** What the rights use cases need from storage. */
export interface RightsRepository {
  /** R1: a person profile (consistent). */
  getProfile(personId: string): Promise<PersonProfile | undefined>;
  /** R2: an organisation profile (consistent). */
  getOrganisation(orgCode: string): Promise<OrganisationProfile | undefined>;
  /** R3: a membership (consistent). */
  getMembership(personId: string, orgCode: string): Promise<Membership | undefined>;
  /** R4: request PENDING + open marker + audit. Throws `ConflictError` when a request is open. */
  createPendingRequest(request: RightRequest, audit: readonly AuditEntry[]): Promise<void>;
  /**
   * R5: request APPROVED + grant + audit, when the person is a member (ConditionCheck on the
   * membership: a removal racing the request wins) and no request of the same kind is open.
   */
  grantAtOnce(request: RightRequest, grant: Grant, audit: readonly AuditEntry[]): Promise<GrantOutcome>;
  /**
   * R15: a local administrator grants a role to a person known by national number: the request
   * stored APPROVED (decided by the administrator), the grant, the membership of a newcomer and the
   * audit entries — conditioned on no open request for the role (`open-request`: decide that one) and
   * on the administrator still being one (`decider-removed`).
   */
  grantByAdministrator(
    request: RightRequest,
    grant: Grant,
    membership: NewMembership | undefined,
    audit: readonly AuditEntry[],
    tell: { organisationName: string; roleName: string },
  ): Promise<GrantOutcome>;
  /**
   * The person holding a national number on STRONG evidence (itsme, a PID, an issued BIS number, a
   * registration office), or `undefined` — also for a holder by `register-match` alone: names and
   * birth date are public knowledge, so a grant by number waits for verified evidence instead.
   */
  findVerifiedHolder(insz: string): Promise<string | undefined>;
  /**
   * R16: a role granted to a national number nobody holds yet waits on the number's marker
   * (lambdas/shared/pending-memberships.ts) with the audit entry, conditioned on the administrator.
   */
  addPendingGrant(
    inszHash: string,
    orgCode: string,
    organisationName: string,
    grant: PendingGrant,
    audit: AuditEntry,
  ): Promise<'done' | 'exists' | 'full' | 'stale' | 'forbidden'>;
  /** R6 (consistent). */
  getRequest(requestId: string): Promise<RightRequest | undefined>;
  /** R7: an organisation's requests of one status, oldest first. */
  listInbox(
    orgCode: string,
    status: RightRequestStatus,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<ItemPage<RightRequest>>;
  /** R8: the one-winner claim of a decision. Throws `ConflictError`. @returns the task token. */
  claimDecision(requestId: string, decision: PendingRightDecision): Promise<string>;
  /** Undoes {@link RightsRepository.claimDecision} when the workflow could not be told. */
  releaseDecision(requestId: string, decisionId: string, taskToken: string): Promise<void>;
  /** R9: stores the `await-decision` token. False when the request is not pending undecided. */
  storeDecisionToken(requestId: string, taskToken: string, now: string): Promise<boolean>;
  /**
   * R10: APPROVED + grant (+ membership) + marker removed + audit, while the deciding administrator
   * still is one (ConditionCheck on their membership: a removal racing the approval wins).
   */
  approve(
    request: RightRequest,
    decision: PendingRightDecision,
    grant: Grant,
    membership: NewMembership | undefined,
    audit: readonly AuditEntry[],
  ): Promise<GrantOutcome>;
  /** R11: DENIED + marker removed + audit. False when the state moved on. */
  deny(request: RightRequest, decision: PendingRightDecision, audit: readonly AuditEntry[]): Promise<boolean>;
  /** R12: a pending request EXPIRED + marker removed + audit. False when it was no longer pending. */
  expire(request: RightRequest, reason: string, at: string, audit: readonly AuditEntry[]): Promise<boolean>;
  /** R13: the person ids of the organisation's local administrators. */
  listAdministrators(orgCode: string): Promise<string[]>;
  /** R14: an organisation's grants valid at `now`, by grant time. */
  listGrants(
    orgCode: string,
    now: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<ItemPage<Grant>>;
  /** R15: one grant of an organisation by id. */
  findGrant(orgCode: string, grantId: string): Promise<Grant | undefined>;
  /** R16: deletes a grant (revoked or expired) + audit. False when it is gone or was replaced. */
  removeGrant(
    grant: Grant,
    audit: readonly AuditEntry[],
    /** When given, the person is told (activity entry and notice) in the same transaction. */
    tell?: { at: string; organisationName: string; roleName: string },
  ): Promise<boolean>;
  /** R18: an organisation's audit trail, newest first. */
  listAudit(
    orgCode: string,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<ItemPage<AuditEntry>>;
}

/** Options of {@link createDynamoRightsRepository}. */
export interface DynamoRightsRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

export { GRANT_TTL_GRACE_DAYS, utcDate } from '#shared/grant-item';

/** The DynamoDB implementation of {@link RightsRepository}. */
export function createDynamoRightsRepository(options: DynamoRightsRepositoryOptions): RightsRepository {
  const { tableName: TableName, documentClient } = options;
  /** The request item as the shared decision mechanism sees it. */
  const waiting = (requestId: string): WaitingRequest => ({
    documentClient,
    tableName: TableName,
    key: rightsKeys.request(requestId),
    pendingStatus: 'PENDING',
    conflictMessage: 'This request is not waiting for a decision.',
  });
  const memberships = createMembershipReader(documentClient, TableName);
  const send = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw translateDynamoError(error);
    });
  const audits = (entries: readonly AuditEntry[]) => entries.map((entry) => auditPut(TableName, entry));

  const grantPut = (grant: Grant) => ({ Put: { TableName, Item: grantItem(grant) } });
  /**
   * A request decided as it is made (a grant without approval, a grant by an administrator): its
   * item, and the check that no request for the same role is open.
   */
  const decidedRequestItems = (request: RightRequest) => ({
    request: {
      Put: { TableName, Item: rightRequestItem(request), ConditionExpression: 'attribute_not_exists(PK)' },
    },
    openRequest: {
      ConditionCheck: { TableName, Key: markerKey(request), ConditionExpression: 'attribute_not_exists(PK)' },
    },
  });
  const membershipPut = (membership: NewMembership) => ({
    Put: {
      TableName,
      Item: {
        ...keys.membership(membership.personId, membership.orgCode),
        type: 'membership',
        ...membership,
        localAdministrator: false,
        legalRepresentative: false,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  const markerKey = (request: RightRequest) =>
    rightsKeys.openRequest(request.personId, request.orgCode, request.application, request.role);
  const markerDelete = (request: RightRequest) => ({
    Delete: {
      TableName,
      Key: markerKey(request),
      ConditionExpression: 'attribute_not_exists(PK) OR requestId = :id',
      ExpressionAttributeValues: { ':id': request.requestId },
    },
  });
  const inbox = (request: RightRequest, status: RightRequestStatus) =>
    rightsKeys.inbox(request.orgCode, status, request.createdAt, request.requestId).GSI1PK;

  /** The grant transaction's items after the first: optional membership, then the audit entries. */
  const grantItems = (grant: Grant, membership: NewMembership | undefined, audit: readonly AuditEntry[]) => ({
    grant: grantPut(grant),
    membership: membership ? membershipPut(membership) : undefined,
    audit: audits(audit),
  });
  const grantOutcome = (failed: ReadonlySet<string> | undefined): GrantOutcome => {
    if (!failed) return 'done';
    if (failed.has('request')) return 'state-changed';
    if (failed.has('openRequest')) return 'open-request';
    if (failed.has('member')) return 'not-member';
    if (failed.has('decider')) return 'decider-removed';
    if (failed.has('membership')) return 'membership-exists';
    return 'contention';
  };

  return {
    async getProfile(personId) {
      const { Item } = await send(() =>
        documentClient.send(new GetCommand({ TableName, Key: keys.person(personId), ConsistentRead: true })),
      );
      if (!Item) return undefined;
      const { givenNames = '', familyName = '', insz, email, locale } = readPersonProfile(Item);
      return {
        givenNames,
        familyName,
        ...(insz ? { insz } : {}),
        ...(email ? { email } : {}),
        ...(locale ? { locale } : {}),
      };
    },

    async getOrganisation(orgCode) {
      const { Item } = await send(() =>
        documentClient.send(
          new GetCommand({ TableName, Key: organisationKeys.organisation(orgCode), ConsistentRead: true }),
        ),
      );
      if (!Item) return undefined;
      return { orgCode, name: organisationNameOf(Item, orgCode) };
    },

    getMembership: (personId, orgCode) => send(() => memberships.getMembership(personId, orgCode)),

    async createPendingRequest(request, audit) {
      const failed = await transactNamed(documentClient, {
        request: {
          Put: {
            TableName,
            Item: rightRequestItem(request),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        openRequest: {
          Put: {
            TableName,
            Item: {
              ...markerKey(request),
              type: 'rightRequestOpen',
              requestId: request.requestId,
              createdAt: request.createdAt,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        audit: audits(audit),
      });
      if (!failed) return;
      if (failed.has('openRequest')) {
        throw new ConflictError('You already have an open request for this role in this organisation.', {
          code: 'open-request-exists',
        });
      }
      throw new TransientError('the request conflicted with a concurrent write');
    },

    async grantAtOnce(request, grant, audit) {
      const failed = await transactNamed(documentClient, {
        member: {
          ConditionCheck: {
            TableName,
            Key: membershipKey(request.personId, request.orgCode),
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
        ...decidedRequestItems(request),
        ...grantItems(grant, undefined, audit),
      });
      return grantOutcome(failed);
    },

    async grantByAdministrator(request, grant, membership, audit, tell) {
      const failed = await transactNamed(documentClient, {
        // The person is told (activity entry and notice, mailed by the identity notices job).
        notice: recordActivity(
          TableName,
          {
            personId: grant.personId,
            at: grant.validFrom,
            event: 'role-granted',
            actor: 'system',
            reference: grant.orgCode,
          },
          newId,
          { ...tell, validUntil: grant.validUntil.slice(0, 10) },
        ),
        ...decidedRequestItems(request),
        decider: {
          ConditionCheck: {
            TableName,
            Key: membershipKey(grant.grantedBy, request.orgCode),
            ConditionExpression: 'localAdministrator = :yes',
            ExpressionAttributeValues: { ':yes': true },
          },
        },
        ...grantItems(grant, membership, audit),
      });
      return grantOutcome(failed);
    },

    async findVerifiedHolder(insz) {
      const { Item } = await send(() =>
        documentClient.send(new GetCommand({ TableName, Key: keys.inszLink(insz), ConsistentRead: true })),
      );
      return verifiedHolderOf(readInszLink(Item));
    },

    async addPendingGrant(inszHash, orgCode, organisationName, grant, audit) {
      return send(() =>
        changePendingMarker(
          documentClient,
          TableName,
          inszHash,
          grant.at,
          (organisations) => {
            const waiting = organisations[orgCode];
            const same = (other: PendingGrant) =>
              other.application === grant.application && other.role === grant.role;
            if (waiting?.grants?.some(same)) return 'exists';
            if (!waiting && Object.keys(organisations).length >= MAX_PENDING_ORGANISATIONS) return 'full';
            if (pendingGrantCount(organisations) >= MAX_PENDING_GRANTS) return 'full';
            const entry = waiting ?? {
              name: organisationName,
              localAdministrator: false,
              appointedBy: grant.grantedBy,
              at: grant.at,
            };
            return {
              organisations: {
                ...organisations,
                [orgCode]: { ...entry, grants: [...(entry.grants ?? []), grant] },
              },
            };
          },
          {
            actor: {
              ConditionCheck: {
                TableName,
                Key: membershipKey(grant.grantedBy, orgCode),
                ConditionExpression: 'localAdministrator = :yes',
                ExpressionAttributeValues: { ':yes': true },
              },
            },
            audit: auditPut(TableName, audit),
          },
        ),
      );
    },

    async getRequest(requestId) {
      const { Item } = await send(() =>
        documentClient.send(
          new GetCommand({ TableName, Key: rightsKeys.request(requestId), ConsistentRead: true }),
        ),
      );
      return Item ? readRightRequest(Item) : undefined;
    },

    async listInbox(orgCode, status, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': rightsKeys.inboxPartition(orgCode, status) },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return page((out.Items ?? []).map(readRightRequest), out.LastEvaluatedKey);
    },

    async claimDecision(requestId, decision) {
      return claimDecision(waiting(requestId), decision, decision.decidedAt);
    },

    async releaseDecision(requestId, decisionId, taskToken) {
      return releaseDecision(waiting(requestId), decisionId, taskToken);
    },

    async storeDecisionToken(requestId, taskToken, now) {
      return storeDecisionToken(waiting(requestId), taskToken, now);
    },

    async approve(request, decision, grant, membership, audit) {
      const failed = await transactNamed(documentClient, {
        request: closingUpdate(waiting(request.requestId), {
          status: 'APPROVED',
          queue: inbox(request, 'APPROVED'),
          decisionId: decision.decisionId,
          record: {
            grantId: grant.grantId,
            validUntil: grant.validUntil,
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
          },
          now: grant.validFrom,
        }),
        openRequest: markerDelete(request),
        decider: {
          ConditionCheck: {
            TableName,
            Key: membershipKey(decision.decidedBy, request.orgCode),
            ConditionExpression: 'localAdministrator = :yes',
            ExpressionAttributeValues: { ':yes': true },
          },
        },
        ...grantItems(grant, membership, audit),
      });
      return grantOutcome(failed);
    },

    async deny(request, decision, audit) {
      const failed = await transactNamed(documentClient, {
        request: closingUpdate(waiting(request.requestId), {
          status: 'DENIED',
          queue: inbox(request, 'DENIED'),
          decisionId: decision.decisionId,
          record: {
            reason: decision.reason ?? '',
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
          },
          now: decision.decidedAt,
        }),
        openRequest: markerDelete(request),
        audit: audits(audit),
      });
      if (!failed) return true;
      if (failed.has('request')) return false;
      throw new TransientError('the denial conflicted with a concurrent write');
    },

    async expire(request, reason, at, audit) {
      const failed = await transactNamed(documentClient, {
        request: closingUpdate(waiting(request.requestId), {
          status: 'EXPIRED',
          queue: inbox(request, 'EXPIRED'),
          record: { reason },
          now: at,
        }),
        openRequest: markerDelete(request),
        audit: audits(audit),
      });
      if (!failed) return true;
      if (failed.has('request')) return false;
      throw new TransientError('closing the request conflicted with a concurrent write');
    },

    async listAdministrators(orgCode) {
      return send(() => listAdministratorIds(documentClient, TableName, orgCode));
    },

    async listGrants(orgCode, now, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            FilterExpression: 'validUntil > :now',
            ExpressionAttributeValues: {
              ':pk': rightsKeys.organisationGrantsPartition(orgCode),
              ':now': now,
            },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return page((out.Items ?? []).map(toGrant), out.LastEvaluatedKey);
    },

    async findGrant(orgCode, grantId) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :grantId',
            ExpressionAttributeValues: {
              ':pk': rightsKeys.organisationGrantsPartition(orgCode),
              ':grantId': grantId,
            },
          }),
        ),
      );
      const item = out.Items?.[0];
      return item ? toGrant(item) : undefined;
    },

    async removeGrant(grant, audit, tell) {
      const failed = await transactNamed(documentClient, {
        grant: {
          Delete: {
            TableName,
            Key: keys.grant(grant.personId, grant.orgCode, grant.application, grant.role),
            ConditionExpression: 'grantId = :grantId',
            ExpressionAttributeValues: { ':grantId': grant.grantId },
          },
        },
        audit: audits(audit),
        notice: tell
          ? recordActivity(
              TableName,
              {
                personId: grant.personId,
                at: tell.at,
                event: 'role-revoked',
                actor: 'system',
                reference: grant.orgCode,
              },
              newId,
              { organisationName: tell.organisationName, roleName: tell.roleName },
            )
          : undefined,
      });
      if (!failed) return true;
      if (failed.has('grant')) return false;
      throw new TransientError('removing the grant conflicted with a concurrent write');
    },

    async listAudit(orgCode, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': organisationKeys.auditPartition(orgCode) },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return page((out.Items ?? []).map(toAuditEntry), out.LastEvaluatedKey);
    },
  };
}

function membershipKey(personId: string, orgCode: string): { PK: string; SK: string } {
  const { PK, SK } = keys.membership(personId, orgCode);
  return { PK, SK };
}

function page<T>(items: T[], lastEvaluatedKey: Record<string, unknown> | undefined): ItemPage<T> {
  return lastEvaluatedKey ? { items, lastEvaluatedKey } : { items };
}

/**
 * Maps a stored grant item to the domain shape (drops keys and storage fields), through the one reader
 * of grant items (`readGrantItem`).
 * @throws Error for an item that is not a complete grant (the platform writes every field).
 */
export function toGrant(item: Record<string, unknown>): Grant {
  const grant = readGrantItem(item);
  const { grantId, personId, validFrom, validUntil, grantedBy, requestId } = grant ?? {};
  if (!grant || !grantId || !personId || !validFrom || !validUntil || !grantedBy || !requestId) {
    throw new Error('Not a complete grant item');
  }
  const { orgCode, application, role } = grant;
  return { grantId, personId, orgCode, application, role, validFrom, validUntil, grantedBy, requestId };
}
