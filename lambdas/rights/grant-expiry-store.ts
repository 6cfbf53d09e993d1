/**
 * DynamoDB side of the daily grant expiry (docs/data-model.md, "Rights access patterns" R17, R19–R22):
 * one page of a shard of the expiry index, the per-grant transactions (expire; queue a warning), the
 * sharded queue of grant notices with its claim, and the reads a notice needs. Only this module and the
 * rights repository know the table; SDK exceptions stop here.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, auditPut } from '#shared/audit';
import { isConditionalCheckFailed, transactNamed, translateDynamoError } from '#shared/dynamo';
import { organisationNameOf } from '#shared/items/organisation';
import { readPersonProfile } from '#shared/items/person';
import { grantNoticeItem, readGrantNotice } from '#shared/items/right-request';
import { keyOf, keys, organisationKeys, rightsKeys } from '#shared/keys';
import type { GrantNotice } from './grant-notice.ts';
import type { Grant } from './right-request.ts';
import { toGrant } from './rights-repository.ts';

export type { GrantNotice } from './grant-notice.ts';

/** One page of a query, with the key to continue from. */
export interface StorePage<T> {
  items: T[];
  cursor?: Record<string, unknown>;
}

/**
 * Outcome of a per-grant transaction: `done`, `already` (a previous or concurrent attempt did it: the
 * grant is gone or replaced, or the notice is queued), or `conflict` (a concurrent transaction on the
 * same items: try again).
 */
export type GrantStep = 'done' | 'already' | 'conflict';

/** What the expiry run needs from storage. */
export interface GrantExpiryStore {
  /** R17: one page of the grants in a GSI2 expiry partition (sharded or, before migration, not). */
  grantsInPartition(
    partition: string,
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<StorePage<Grant>>;
  /** R19: deletes the grant (same grant id) + the `grant-expired` audit entry + the `expired` notice. */
  expireGrant(grant: Grant, audit: AuditEntry, notice: GrantNotice): Promise<GrantStep>;
  /** R20: queues the `expiring` notice while the grant (same id) still exists. */
  queueWarning(grant: Grant, notice: GrantNotice): Promise<GrantStep>;
  /** R21: one page of a shard's pending notices, oldest first. */
  pendingNotices(
    shard: string,
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<StorePage<GrantNotice>>;
  /** Claims a pending notice for `claimId` until `until`; false when sent, failed or claimed by a live worker. */
  claimNotice(notice: GrantNotice, claimId: string, now: Date, until: Date): Promise<boolean>;
  /** Takes a claimed notice off the queue as sent (`recipients` 0: nobody to tell). */
  markNoticeSent(notice: GrantNotice, claimId: string, at: Date, recipients: number): Promise<void>;
  /**
   * Ends a claim after a failed send: `throttled` gives the notice back as it was (the page is retried),
   * `failed` gives it back with one more attempt, `give-up` takes it off the queue with `failedAt`.
   */
  releaseNotice(
    notice: GrantNotice,
    claimId: string,
    at: Date,
    error: string,
    outcome: 'throttled' | 'failed' | 'give-up',
  ): Promise<void>;
  /** R22: e-mail and locale of each person (one BatchGetItem per 100), by person id. */
  contacts(personIds: readonly string[]): Promise<Map<string, { email?: string; locale?: string }>>;
  /** R2: an organisation's name (its code when it has none). */
  organisationName(orgCode: string): Promise<string>;
}

/** Options of {@link createDynamoGrantExpiryStore}. */
export interface DynamoGrantExpiryStoreOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The table-backed {@link GrantExpiryStore}. */
export function createDynamoGrantExpiryStore(options: DynamoGrantExpiryStoreOptions): GrantExpiryStore {
  const { tableName: TableName, documentClient } = options;
  const send = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw translateDynamoError(error);
    });
  const noticePut = (notice: GrantNotice) => ({
    Put: { TableName, Item: grantNoticeItem(notice), ConditionExpression: 'attribute_not_exists(PK)' },
  });
  const grantKey = (grant: Grant) => keys.grant(grant.personId, grant.orgCode, grant.application, grant.role);
  const step = (failed: ReadonlySet<string> | undefined): GrantStep => {
    if (!failed) return 'done';
    return failed.size > 0 ? 'already' : 'conflict';
  };

  return {
    async grantsInPartition(partition, limit, cursor) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map(toGrant),
        ...(out.LastEvaluatedKey ? { cursor: out.LastEvaluatedKey } : {}),
      };
    },

    async expireGrant(grant, audit, notice) {
      const failed = await transactNamed(documentClient, {
        grant: {
          Delete: {
            TableName,
            Key: grantKey(grant),
            ConditionExpression: 'grantId = :grantId',
            ExpressionAttributeValues: { ':grantId': grant.grantId },
          },
        },
        audit: auditPut(TableName, audit),
        notice: noticePut(notice),
      });
      return step(failed);
    },

    async queueWarning(grant, notice) {
      const failed = await transactNamed(documentClient, {
        grant: {
          ConditionCheck: {
            TableName,
            Key: grantKey(grant),
            ConditionExpression: 'grantId = :grantId',
            ExpressionAttributeValues: { ':grantId': grant.grantId },
          },
        },
        notice: noticePut(notice),
      });
      return step(failed);
    },

    async pendingNotices(shard, limit, cursor) {
      const out = await send(() =>
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': rightsKeys.pendingGrantNoticesPartition(shard) },
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        ),
      );
      return {
        items: (out.Items ?? []).map(readGrantNotice),
        ...(out.LastEvaluatedKey ? { cursor: out.LastEvaluatedKey } : {}),
      };
    },

    async claimNotice(notice, claimId, now, until) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: rightsKeys.grantNotice(notice.grantId, notice.kind),
            UpdateExpression: 'SET claimedUntil = :until, claimedBy = :claim',
            // The index is eventually consistent: only the item says whether it is still pending.
            ConditionExpression:
              'attribute_exists(GSI1PK) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
            ExpressionAttributeValues: {
              ':until': until.toISOString(),
              ':now': now.toISOString(),
              ':claim': claimId,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw translateDynamoError(error);
      }
    },

    async markNoticeSent(notice, claimId, at, recipients) {
      await send(() =>
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: rightsKeys.grantNotice(notice.grantId, notice.kind),
            UpdateExpression:
              'SET sentAt = :at, recipients = :recipients REMOVE GSI1PK, GSI1SK, claimedUntil, claimedBy',
            ConditionExpression: 'claimedBy = :claim',
            ExpressionAttributeValues: {
              ':at': at.toISOString(),
              ':recipients': recipients,
              ':claim': claimId,
            },
          }),
        ),
      );
    },

    async releaseNotice(notice, claimId, at, error, outcome) {
      const updates = {
        throttled: 'REMOVE claimedUntil, claimedBy',
        failed: 'SET failure = :error ADD attempts :one REMOVE claimedUntil, claimedBy',
        'give-up':
          'SET failedAt = :at, failure = :error ADD attempts :one REMOVE GSI1PK, GSI1SK, claimedUntil, claimedBy',
      } as const;
      await send(() =>
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: rightsKeys.grantNotice(notice.grantId, notice.kind),
            UpdateExpression: updates[outcome],
            ConditionExpression: 'claimedBy = :claim',
            ExpressionAttributeValues: {
              ...(outcome === 'give-up' ? { ':at': at.toISOString() } : {}),
              ...(outcome === 'throttled' ? {} : { ':error': error, ':one': 1 }),
              ':claim': claimId,
            },
          }),
        ),
      ).catch((failure: unknown) => {
        // Another worker took it over after our claim lapsed: it is theirs now.
        if (!isConditionalCheckFailed(failure)) throw failure;
      });
    },

    async contacts(personIds) {
      const found = new Map<string, { email?: string; locale?: string }>();
      const unique = [...new Set(personIds)];
      for (let start = 0; start < unique.length; start += 100) {
        let pending: Record<string, unknown>[] = unique
          .slice(start, start + 100)
          .map((id) => ({ ...keys.person(id) }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          if (attempt > 5)
            throw translateDynamoError(
              Object.assign(new Error('throttled'), { name: 'ThrottlingException' }),
            );
          if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
          const out = await send(() =>
            documentClient.send(
              new BatchGetCommand({
                RequestItems: {
                  [TableName]: {
                    Keys: pending,
                    ConsistentRead: true,
                    ProjectionExpression: 'PK, email, locale',
                  },
                },
              }),
            ),
          );
          for (const item of out.Responses?.[TableName] ?? []) {
            const personId = keyOf(item, 'PK').slice(keys.personPartition('').length);
            const { email, locale } = readPersonProfile(item);
            found.set(personId, { ...(email ? { email } : {}), ...(locale ? { locale } : {}) });
          }
          pending = out.UnprocessedKeys?.[TableName]?.Keys ?? [];
        }
      }
      return found;
    },

    async organisationName(orgCode) {
      const { Item } = await send(() =>
        documentClient.send(new GetCommand({ TableName, Key: organisationKeys.organisation(orgCode) })),
      );
      return organisationNameOf(Item, orgCode);
    },
  };
}
