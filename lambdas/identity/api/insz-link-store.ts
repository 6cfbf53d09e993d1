/**
 * DynamoDB implementation of {@link InszLinkStore}: the profile's INSZ (GetItem) and the linking
 * transaction (INSZ link marker + profile update, pattern I7 of docs/data-model.md).
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { InszLinkStore, LinkOutcome } from './link-insz.ts';

/** Options of {@link createDynamoInszLinkStore}. */
export interface DynamoInszLinkStoreOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The table-backed {@link InszLinkStore}. */
export function createDynamoInszLinkStore(options: DynamoInszLinkStoreOptions): InszLinkStore {
  const { tableName: TableName, documentClient } = options;
  return {
    async currentInsz(personId) {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName,
          Key: keys.person(personId),
          ProjectionExpression: 'PK, insz',
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      return typeof Item.insz === 'string' && Item.insz !== '' ? Item.insz : null;
    },

    async link(personId, insz, now) {
      const timestamp = now.toISOString();
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: { ...keys.inszLink(insz), type: 'inszLink', personId, createdAt: timestamp },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Update: {
                  TableName,
                  Key: keys.person(personId),
                  UpdateExpression: 'SET insz = :insz, updatedAt = :now',
                  ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(insz)',
                  ExpressionAttributeValues: { ':insz': insz, ':now': timestamp },
                },
              },
            ],
          }),
        );
        return 'linked';
      } catch (error) {
        return outcomeOfCancellation(error);
      }
    },
  };
}

function outcomeOfCancellation(error: unknown): LinkOutcome {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
  const reasons = (
    (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []
  ).map((reason) => reason.Code);
  if (reasons[0] === 'ConditionalCheckFailed') return 'insz-taken';
  if (reasons[1] === 'ConditionalCheckFailed') return 'profile-conflict';
  if (reasons.includes('TransactionConflict')) return 'contention';
  throw error;
}
