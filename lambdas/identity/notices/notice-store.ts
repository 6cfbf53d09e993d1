/**
 * DynamoDB side of the identity notices sender (docs/data-model.md, identity integrity): the pending
 * queue (GSI1 `NOTICES#PENDING`, oldest first), the claim, the person's known addresses (profile and
 * native account, one BatchGetItem) and taking a notice off the queue.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, translateDynamoError } from '#shared/dynamo';
import { text } from '#shared/item-fields';
import { readNotice } from '#shared/items/identity';
import { identityKeys, keys, nativeKeys } from '#shared/keys';
import type { KnownAddress, NoticeStore } from './send-notices.ts';

/** Options of {@link createDynamoNoticeStore}. */
export interface DynamoNoticeStoreOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The table-backed {@link NoticeStore}. */
export function createDynamoNoticeStore(options: DynamoNoticeStoreOptions): NoticeStore {
  const { tableName: TableName, documentClient } = options;
  const send = async <T>(promise: Promise<T>): Promise<T> => {
    try {
      return await promise;
    } catch (error) {
      throw translateDynamoError(error);
    }
  };

  return {
    async listPending(limit, cursor) {
      const output = await send(
        documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': identityKeys.pendingNoticesPartition() },
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        ),
      );
      return {
        notices: (output.Items ?? []).flatMap((item) => {
          const notice = readNotice(item);
          return notice ? [notice] : [];
        }),
        ...(output.LastEvaluatedKey ? { cursor: output.LastEvaluatedKey } : {}),
      };
    },

    async claim(noticeId, now, until) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: identityKeys.notice(noticeId),
            UpdateExpression: 'SET claimedUntil = :until ADD attempts :one',
            // The index is eventually consistent: only the item itself says whether it is still pending.
            ConditionExpression:
              'attribute_exists(GSI1PK) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
            ExpressionAttributeValues: {
              ':until': until.toISOString(),
              ':now': now.toISOString(),
              ':one': 1,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw translateDynamoError(error);
      }
    },

    async knownAddresses(personId) {
      const profileKey = keys.person(personId);
      const accountKey = nativeKeys.account(personId);
      let pending: Record<string, unknown>[] = [{ ...profileKey }, { ...accountKey }];
      const found: Record<string, unknown>[] = [];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 4) throw new Error('known addresses stayed unprocessed (throttled)');
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const output = await send(
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
        found.push(...(output.Responses?.[TableName] ?? []));
        pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      const addresses: KnownAddress[] = [];
      for (const key of [profileKey, accountKey]) {
        const item = found.find((candidate) => candidate.PK === key.PK);
        const email = text(item?.email);
        if (email) addresses.push({ email, locale: text(item?.locale) });
      }
      return addresses;
    },

    async markSent(noticeId, at, recipients) {
      await send(
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: identityKeys.notice(noticeId),
            UpdateExpression:
              'SET sentAt = :at, recipients = :recipients REMOVE GSI1PK, GSI1SK, claimedUntil',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':at': at.toISOString(), ':recipients': recipients },
          }),
        ),
      );
    },

    async markFailed(noticeId, at, error) {
      await send(
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: identityKeys.notice(noticeId),
            UpdateExpression: 'SET failedAt = :at, failure = :error REMOVE GSI1PK, GSI1SK, claimedUntil',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':at': at.toISOString(), ':error': error },
          }),
        ),
      );
    },
  };
}
