/**
 * Persistence of BIS registrations (docs/data-model.md, "BIS access patterns" B1–B14): the port the
 * use cases depend on and its DynamoDB implementation. Only this module knows the table; SDK
 * exceptions stop here (failed conditions become `ConflictError` or an outcome the use case acts on,
 * throttling becomes `TransientError`). Task tokens enter and leave only through the methods that
 * need them, never through {@link BisRegistration}.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
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
import { isConditionalCheckFailed, transact, transactNamed, translateDynamoError } from '#shared/dynamo';
import { ConflictError, TransientError } from '#shared/errors';
import type { PersonData } from '#shared/http/schemas';
import {
  bisHistoryItem,
  bisRegistrationItem,
  readBisHistoryEntry,
  readBisRegistration,
} from '#shared/items/bis-registration';
import { readPersonProfile } from '#shared/items/person';
import { bisKeys, identityKeys, keys } from '#shared/keys';
import { activityPut } from '#shared/person-activity';
import {
  type BisRegistration,
  type BisStatus,
  type EidasIdentity,
  type HistoryEntry,
  OPEN_STATUSES,
  type PendingDecision,
  tidyName,
} from './registration.ts';

/** What the BIS use cases read from the person profile (written by the identity context). */
export interface ApplicantProfile extends EidasIdentity {
  insz?: string;
  locale?: string;
}

/** Outcome of the approval transaction. */
export type ApproveOutcome =
  /** Approved: number registered, linked and set on the profile. */
  | 'done'
  /** The BIS number exists already (register entry or INSZ link): take the next sequence. */
  | 'number-taken'
  /** The registration is no longer pending with this decision (e.g. a retry after success). */
  | 'state-changed'
  /** The person has an INSZ now, or no profile. */
  | 'person-has-insz'
  /** A concurrent transaction touched the same items: try again. */
  | 'contention';

/** A page of the review queue. */
export interface QueuePage {
  items: BisRegistration[];
  lastEvaluatedKey?: Record<string, unknown>;
}

/** What the BIS use cases need from storage. */
export interface BisRepository {
  /** The person profile (I3 item), or `undefined`. */
  getProfile(personId: string): Promise<ApplicantProfile | undefined>;
  /** B1: registration + first history entry + open-request marker, all or nothing. Throws `ConflictError` when the person has an open request. */
  createRegistration(registration: BisRegistration, entry: HistoryEntry): Promise<void>;
  /** B2 (consistent). */
  getRegistration(registrationId: string): Promise<BisRegistration | undefined>;
  /** B3: history, oldest first (consistent). */
  getHistory(registrationId: string): Promise<HistoryEntry[]>;
  /** B4: the queue of one status, oldest first. */
  listByStatus(status: BisStatus, limit: number, startKey?: Record<string, unknown>): Promise<QueuePage>;
  /** B5: the owner's registrations, oldest first. */
  listByOwner(personId: string): Promise<BisRegistration[]>;
  /**
   * B6: the one-winner claim of a decision: sets it and takes the task token, if the registration is
   * pending review, waits for a decision and has none yet. Throws `ConflictError` otherwise.
   * @returns the task token to answer.
   */
  claimDecision(registrationId: string, decision: PendingDecision, now: string): Promise<string>;
  /** Undoes {@link BisRepository.claimDecision} after the workflow could not be told (no-op if it moved on). */
  releaseDecision(registrationId: string, decisionId: string, taskToken: string): Promise<void>;
  /**
   * B7: replaces the data by the correction and puts the registration back in review, if it waits
   * for a correction from `personId`. Throws `ConflictError` otherwise.
   * @returns the task token to answer.
   */
  applyCorrection(
    registrationId: string,
    personId: string,
    data: PersonData,
    entry: HistoryEntry,
  ): Promise<string>;
  /** B8: stores the `await-decision` token (pending review, no decision). Returns false otherwise. */
  storeDecisionToken(registrationId: string, taskToken: string, now: string): Promise<boolean>;
  /**
   * B9: NEEDS_CORRECTION with the `await-correction` token, history entry; on a retry of the same
   * decision only the token is replaced. Returns false when the registration is in another state.
   */
  requestCorrection(
    registration: BisRegistration,
    decision: PendingDecision,
    taskToken: string,
    entry: HistoryEntry,
  ): Promise<boolean>;
  /** B10: REJECTED + history + open marker removed. Returns false when the state changed. */
  reject(registration: BisRegistration, decision: PendingDecision, entry: HistoryEntry): Promise<boolean>;
  /**
   * B11: closes an open registration (EXPIRED) with a history entry and removes the open marker.
   * Returns false when it was no longer open (then nothing is written).
   */
  close(registration: BisRegistration, entry: HistoryEntry): Promise<boolean>;
  /** B12: appends a history entry only. */
  appendHistory(registrationId: string, entry: HistoryEntry): Promise<void>;
  /** B13: the next sequence for a birth date and sex (atomic counter, starts at 1). */
  nextSequence(birthDate: string, sex: 'M' | 'F' | null): Promise<number>;
  /**
   * B13a: how many sequences of a birth date and sex have been taken so far (the counter, 0 when
   * none), read consistently; nothing is written.
   */
  sequencesTaken(birthDate: string, sex: 'M' | 'F' | null): Promise<number>;
  /**
   * B14: the approval, in ONE transaction: status APPROVED with the number, history entry, open
   * marker removed, person-register entry (GSI2 `BORN#<birthDate>`) and INSZ link (both unique; the
   * link with evidence `bis-issued`), `insz` and `inszEvidence` on the profile, an `insz-linked`
   * entry in the person's activity log.
   */
  approve(
    registration: BisRegistration,
    decision: PendingDecision,
    bisNumber: string,
    entry: HistoryEntry,
  ): Promise<ApproveOutcome>;
}

/** Options of {@link createDynamoBisRepository}. */
export interface DynamoBisRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/**
 * LoA recorded on an issued BIS number's link: the applicant's documents were checked by an agent
 * (or an officer in person) after an eIDAS login of at least substantial.
 */
const BIS_ISSUED_LOA = 'substantial';

/** The DynamoDB implementation of {@link BisRepository}. */
export function createDynamoBisRepository(options: DynamoBisRepositoryOptions): BisRepository {
  const { tableName: TableName, documentClient } = options;
  /** The request item as the shared decision mechanism sees it. */
  const waiting = (registrationId: string): WaitingRequest => ({
    documentClient,
    tableName: TableName,
    key: bisKeys.registration(registrationId),
    pendingStatus: 'PENDING_REVIEW',
    conflictMessage: 'This request is not waiting for a decision.',
  });
  const send = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw translateDynamoError(error);
    });

  const historyPut = (registrationId: string, entry: HistoryEntry) => ({
    Put: {
      TableName,
      Item: bisHistoryItem(registrationId, entry),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
  const openMarkerDelete = (registration: BisRegistration) => ({
    Delete: {
      TableName,
      Key: bisKeys.openRequest(registration.personId),
      ConditionExpression: 'attribute_not_exists(PK) OR registrationId = :id',
      ExpressionAttributeValues: { ':id': registration.registrationId },
    },
  });
  const queueKeys = (registration: BisRegistration, status: BisStatus) =>
    bisKeys.queue(status, registration.createdAt, registration.registrationId);

  return {
    async getProfile(personId) {
      const out = await send(() =>
        documentClient.send(new GetCommand({ TableName, Key: keys.person(personId), ConsistentRead: true })),
      );
      const item = out.Item;
      if (!item) return undefined;
      const { givenNames = '', familyName = '', birthDate = '', insz, locale } = readPersonProfile(item);
      return { givenNames, familyName, birthDate, ...(insz ? { insz } : {}), ...(locale ? { locale } : {}) };
    },

    async createRegistration(registration, entry) {
      const { registrationId, personId, createdAt } = registration;
      const reasons = await transact(documentClient, [
        {
          Put: {
            TableName,
            Item: bisRegistrationItem(registration),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        historyPut(registrationId, entry),
        {
          Put: {
            TableName,
            Item: { ...bisKeys.openRequest(personId), type: 'bisOpenRequest', registrationId, createdAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
      if (reasons) {
        throw new ConflictError('You already have an open BIS number request.', {
          code: 'open-request-exists',
        });
      }
    },

    async getRegistration(registrationId) {
      const out = await send(() =>
        documentClient.send(
          new GetCommand({ TableName, Key: bisKeys.registration(registrationId), ConsistentRead: true }),
        ),
      );
      return out.Item ? readBisRegistration(out.Item) : undefined;
    },

    async getHistory(registrationId) {
      const entries: HistoryEntry[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await send(() =>
          documentClient.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :history)',
              ExpressionAttributeValues: {
                ':pk': bisKeys.registrationPartition(registrationId),
                ':history': 'HISTORY#',
              },
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          ),
        );
        entries.push(...(out.Items ?? []).map(readBisHistoryEntry));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return entries;
    },

    async listByStatus(status, limit, startKey) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': bisKeys.queuePartition(status) },
            Limit: limit,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map(readBisRegistration),
        ...(out.LastEvaluatedKey ? { lastEvaluatedKey: out.LastEvaluatedKey } : {}),
      };
    },

    async listByOwner(personId) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :bis)',
            ExpressionAttributeValues: { ':pk': `OWNER#${personId}`, ':bis': 'BIS#' },
          }),
        ),
      );
      return (out.Items ?? []).map(readBisRegistration);
    },

    async claimDecision(registrationId, decision, now) {
      return claimDecision(waiting(registrationId), decision, now);
    },

    async releaseDecision(registrationId, decisionId, taskToken) {
      return releaseDecision(waiting(registrationId), decisionId, taskToken);
    },

    async applyCorrection(registrationId, personId, data, entry) {
      const out = await send(() =>
        documentClient.send(
          new GetCommand({
            TableName,
            Key: bisKeys.registration(registrationId),
            ConsistentRead: true,
            ProjectionExpression: 'taskToken, #status, personId',
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        ),
      );
      const token = out.Item?.taskToken;
      if (out.Item?.status !== 'NEEDS_CORRECTION' || typeof token !== 'string') {
        throw new ConflictError('This request is not waiting for a correction.');
      }
      const reasons = await transact(documentClient, [
        {
          Update: {
            TableName,
            Key: bisKeys.registration(registrationId),
            UpdateExpression:
              'SET #status = :pending, #data = :data, GSI1PK = :queue, updatedAt = :now, #round = #round + :one ' +
              'REMOVE taskToken, #reason',
            ConditionExpression: '#status = :correction AND taskToken = :token AND personId = :person',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#data': 'data',
              '#round': 'round',
              '#reason': 'reason',
            },
            ExpressionAttributeValues: {
              ':pending': 'PENDING_REVIEW',
              ':correction': 'NEEDS_CORRECTION',
              ':data': data,
              ':queue': bisKeys.queuePartition('PENDING_REVIEW'),
              ':now': entry.at,
              ':one': 1,
              ':token': token,
              ':person': personId,
            },
          },
        },
        historyPut(registrationId, entry),
      ]);
      if (reasons) throw new ConflictError('This request is not waiting for a correction.');
      return token;
    },

    async storeDecisionToken(registrationId, taskToken, now) {
      return storeDecisionToken(waiting(registrationId), taskToken, now);
    },

    async requestCorrection(registration, decision, taskToken, entry) {
      const { registrationId } = registration;
      const reasons = await transact(documentClient, [
        {
          Update: {
            TableName,
            Key: bisKeys.registration(registrationId),
            UpdateExpression:
              'SET #status = :correction, GSI1PK = :queue, taskToken = :token, #reason = :reason, ' +
              'correctionOf = :decisionId, updatedAt = :now REMOVE #decision',
            ConditionExpression: '#status = :pending AND #decision.decisionId = :decisionId',
            ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision', '#reason': 'reason' },
            ExpressionAttributeValues: {
              ':correction': 'NEEDS_CORRECTION',
              ':pending': 'PENDING_REVIEW',
              ':queue': queueKeys(registration, 'NEEDS_CORRECTION').GSI1PK,
              ':token': taskToken,
              ':reason': decision.reason ?? '',
              ':decisionId': decision.decisionId,
              ':now': entry.at,
            },
          },
        },
        historyPut(registrationId, entry),
      ]);
      if (!reasons) return true;
      // A retry of the same step: the state changed already, only the token is new.
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: bisKeys.registration(registrationId),
            UpdateExpression: 'SET taskToken = :token, updatedAt = :now',
            ConditionExpression: '#status = :correction AND correctionOf = :decisionId',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':token': taskToken,
              ':now': entry.at,
              ':correction': 'NEEDS_CORRECTION',
              ':decisionId': decision.decisionId,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw translateDynamoError(error);
      }
    },

    async reject(registration, decision, entry) {
      const failed = await transactNamed(documentClient, {
        registration: closingUpdate(waiting(registration.registrationId), {
          status: 'REJECTED',
          queue: queueKeys(registration, 'REJECTED').GSI1PK,
          decisionId: decision.decisionId,
          record: {
            reason: decision.reason ?? '',
            decidedBy: decision.decidedBy,
            decidedAt: decision.decidedAt,
          },
          now: entry.at,
        }),
        history: historyPut(registration.registrationId, entry),
        openMarker: openMarkerDelete(registration),
      });
      if (!failed) return true;
      if (failed.has('registration')) return false;
      throw new TransientError('the rejection conflicted with a concurrent write');
    },

    async close(registration, entry) {
      const failed = await transactNamed(documentClient, {
        registration: closingUpdate(waiting(registration.registrationId), {
          status: 'EXPIRED',
          queue: queueKeys(registration, 'EXPIRED').GSI1PK,
          waitingStatuses: OPEN_STATUSES,
          record: {},
          now: entry.at,
        }),
        history: historyPut(registration.registrationId, entry),
        openMarker: openMarkerDelete(registration),
      });
      if (!failed) return true;
      if (failed.has('registration')) return false;
      throw new TransientError('closing the request conflicted with a concurrent write');
    },

    async appendHistory(registrationId, entry) {
      await send(() => documentClient.send(new PutCommand(historyPut(registrationId, entry).Put)));
    },

    async nextSequence(birthDate, sex) {
      const out = await send(() =>
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: bisKeys.sequence(birthDate, sex),
            UpdateExpression: 'ADD #next :one SET #type = :type',
            ExpressionAttributeNames: { '#next': 'next', '#type': 'type' },
            ExpressionAttributeValues: { ':one': 1, ':type': 'bisSequence' },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return Number(out.Attributes?.next);
    },

    async sequencesTaken(birthDate, sex) {
      const out = await send(() =>
        documentClient.send(
          new GetCommand({
            TableName,
            Key: bisKeys.sequence(birthDate, sex),
            ProjectionExpression: '#next',
            ExpressionAttributeNames: { '#next': 'next' },
            ConsistentRead: true,
          }),
        ),
      );
      return Number(out.Item?.next ?? 0);
    },

    async approve(registration, decision, bisNumber, entry) {
      const { registrationId, personId, data } = registration;
      const now = entry.at;
      const failed = await transactNamed(documentClient, {
        registration: closingUpdate(waiting(registrationId), {
          status: 'APPROVED',
          queue: queueKeys(registration, 'APPROVED').GSI1PK,
          decisionId: decision.decisionId,
          record: { bisNumber, decidedBy: decision.decidedBy, decidedAt: decision.decidedAt },
          remove: ['reason'],
          now,
        }),
        history: historyPut(registrationId, entry),
        openMarker: openMarkerDelete(registration),
        registerEntry: {
          Put: {
            TableName,
            Item: {
              ...keys.registeredPerson(bisNumber),
              ...identityKeys.bornOn(data.birthDate, 'REGISTER', bisNumber),
              type: 'registeredPerson',
              insz: bisNumber,
              kind: 'BIS',
              givenNames: tidyName(data.givenNames),
              familyName: tidyName(data.familyName),
              birthDate: data.birthDate,
              ...(data.sex ? { sex: data.sex } : {}),
              registrationId,
              createdAt: now,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        inszLink: {
          Put: {
            TableName,
            Item: {
              ...keys.inszLink(bisNumber),
              type: 'inszLink',
              personId,
              evidence: 'bis-issued',
              linkedAt: now,
              loa: BIS_ISSUED_LOA,
              createdAt: now,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        person: {
          Update: {
            TableName,
            Key: keys.person(personId),
            UpdateExpression:
              'SET insz = :bis, inszEvidence = :evidence, inszLinkedAt = :now, updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(insz)',
            ExpressionAttributeValues: { ':bis': bisNumber, ':evidence': 'bis-issued', ':now': now },
          },
        },
        // The person's activity log records the link; the approval mail of the workflow tells them.
        activity: activityPut(TableName, {
          entryId: entry.entryId,
          personId,
          at: now,
          event: 'insz-linked',
          actor: 'system',
          evidence: 'bis-issued',
          reference: registrationId,
        }),
      });
      if (!failed) return 'done';
      if (failed.has('registration')) return 'state-changed';
      if (failed.has('registerEntry') || failed.has('inszLink')) return 'number-taken';
      if (failed.has('person')) return 'person-has-insz';
      return 'contention';
    },
  };
}
