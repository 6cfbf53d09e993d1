/**
 * DynamoDB implementation of {@link InszLinkStore}: the profile's INSZ (GetItem), the linking
 * transaction (INSZ link marker + profile update, pattern I7 of docs/data-model.md) and, when the
 * number belongs to another person, the joining transaction (I9).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { GRANT_SK_PREFIX, keys, MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '#shared/keys';
import { parseIdentityLinkRef } from '../person-repository.ts';
import type { CallerState, InszLinkStore, LinkOutcome } from './link-insz.ts';

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
          ProjectionExpression: 'PK, insz, mergedInto',
          ConsistentRead: true,
        }),
      );
      // A person joined into another one is gone for its old tokens.
      if (!Item || Item.mergedInto !== undefined) return undefined;
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

    async callerState(personId) {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const output = await documentClient.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.personPartition(personId) },
            ProjectionExpression: 'SK, insz, identityLinks, mergedInto',
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...(output.Items ?? []));
        ExclusiveStartKey = output.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      const profile = items.find((item) => item.SK === PROFILE_SK);
      if (!profile || profile.mergedInto !== undefined) return undefined;
      const links = profile.identityLinks;
      const identityLinks = (links instanceof Set ? [...links] : Array.isArray(links) ? links : []).filter(
        (ref): ref is string => typeof ref === 'string' && parseIdentityLinkRef(ref) !== undefined,
      );
      return {
        insz: typeof profile.insz === 'string' && profile.insz !== '' ? profile.insz : null,
        identityLinks: identityLinks.sort(),
        // Expired or revoked grants count too: joining must never drop anything support may need.
        holdsRights: items.some((item) => {
          const sk = String(item.SK);
          return sk.startsWith(MEMBERSHIP_SK_PREFIX) || sk.startsWith(GRANT_SK_PREFIX);
        }),
      } satisfies CallerState;
    },

    async inszHolder(insz) {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName,
          Key: keys.inszLink(insz),
          ProjectionExpression: 'personId',
          ConsistentRead: true,
        }),
      );
      return typeof Item?.personId === 'string' ? Item.personId : undefined;
    },

    async merge({ from, into, insz, identityLinks }, now) {
      const timestamp = now.toISOString();
      const identities = identityLinks.flatMap((ref) => {
        const identity = parseIdentityLinkRef(ref);
        return identity ? [identity] : [];
      });
      if (identities.length === 0) throw new Error('joining needs at least one identity link');
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              ...identities.map((identity) => ({
                Update: {
                  TableName,
                  Key: keys.identityLink(identity.provider, identity.subject),
                  UpdateExpression: 'SET personId = :into, updatedAt = :now',
                  ConditionExpression: 'personId = :from',
                  ExpressionAttributeValues: { ':into': into, ':from': from, ':now': timestamp },
                },
              })),
              {
                ConditionCheck: {
                  TableName,
                  Key: keys.inszLink(insz),
                  ConditionExpression: 'personId = :into',
                  ExpressionAttributeValues: { ':into': into },
                },
              },
              {
                Update: {
                  TableName,
                  Key: keys.person(into),
                  UpdateExpression: 'ADD providers :providers, identityLinks :links SET updatedAt = :now',
                  ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mergedInto)',
                  ExpressionAttributeValues: {
                    ':providers': new Set(identities.map((identity) => identity.provider)),
                    ':links': new Set(identityLinks),
                    ':now': timestamp,
                  },
                },
              },
              {
                Update: {
                  TableName,
                  Key: keys.person(from),
                  UpdateExpression: 'SET mergedInto = :into, updatedAt = :now',
                  ConditionExpression:
                    'attribute_exists(PK) AND attribute_not_exists(insz) AND attribute_not_exists(mergedInto)',
                  ExpressionAttributeValues: { ':into': into, ':now': timestamp },
                },
              },
            ],
          }),
        );
        return 'merged';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons.includes('ConditionalCheckFailed')) return 'conflict';
        if (reasons.includes('TransactionConflict')) return 'contention';
        throw error;
      }
    },
  };
}

/** The codes of a cancelled transaction; any other error is rethrown. */
function cancellationReasons(error: unknown): (string | undefined)[] {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
  return ((error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
    (reason) => reason.Code,
  );
}

function outcomeOfCancellation(error: unknown): LinkOutcome {
  const reasons = cancellationReasons(error);
  if (reasons[0] === 'ConditionalCheckFailed') return 'insz-taken';
  if (reasons[1] === 'ConditionalCheckFailed') return 'profile-conflict';
  if (reasons.includes('TransactionConflict')) return 'contention';
  throw error;
}
