/**
 * Storage of code cards and their login state, item `NATIVE#<username>` / `CODE_CARD`
 * (docs/data-model.md, N3–N6). Used by the card issuance use case and by the create and verify
 * auth-challenge triggers; only this module knows how the item is spelled.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, translateDynamoError } from '#shared/dynamo';
import { readCodeCard, type StoredCard } from '#shared/items/code-card';
import { nativeKeys } from '#shared/keys';
import { type KdfParams, LOCK_MINUTES, MAX_CONSECUTIVE_FAILURES } from './code-card.ts';

/** A stored card with its login state (its item's reader: `#shared/items/code-card`). */
export type { StoredCard };

/** A new card to store (the codes are not part of it). */
export interface NewCard {
  username: string;
  personId: string;
  cardId: string;
  salt: string;
  hashes: string[];
  kdf: KdfParams;
  createdAt: string;
}

/** Outcome of recording a wrong answer. */
export interface FailureOutcome {
  failures: number;
  locked: boolean;
}

/** What the triggers and the issuance need. */
export interface CodeCardStore {
  /** N3: the card of a username (consistent), or `undefined`. */
  getCard(username: string): Promise<StoredCard | undefined>;
  /** N4: replaces the card in one write: version + 1, failures 0, lock and last position cleared. */
  replaceCard(card: NewCard): Promise<{ version: number }>;
  /** N5: remembers the position just asked, if the card is still `version`. */
  recordAsked(username: string, version: number, position: number): Promise<void>;
  /** N6: right answer: failures back to 0, if the card is still `version`. */
  recordSuccess(username: string, version: number): Promise<void>;
  /** N6: wrong answer: failures + 1; locks the card at {@link MAX_CONSECUTIVE_FAILURES}. */
  recordFailure(username: string, version: number, now: Date): Promise<FailureOutcome>;
}

/** Options of {@link createDynamoCodeCardStore}. */
export interface DynamoCodeCardStoreOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The DynamoDB implementation of {@link CodeCardStore}. */
export function createDynamoCodeCardStore(options: DynamoCodeCardStoreOptions): CodeCardStore {
  const { tableName: TableName, documentClient } = options;
  const send = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateDynamoError(error);
    }
  };
  /** Updates that only apply to the card version the login is about; a newer card wins silently. */
  const updateIfVersion = async (
    username: string,
    version: number,
    update: { expression: string; values: Record<string, unknown> },
  ): Promise<Record<string, unknown> | undefined> => {
    try {
      const out = await documentClient.send(
        new UpdateCommand({
          TableName,
          Key: nativeKeys.codeCard(username),
          UpdateExpression: update.expression,
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': version, ...update.values },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw translateDynamoError(error);
    }
  };

  return {
    async getCard(username) {
      const out = await send(() =>
        documentClient.send(
          new GetCommand({ TableName, Key: nativeKeys.codeCard(username), ConsistentRead: true }),
        ),
      );
      return out.Item ? readCodeCard(out.Item) : undefined;
    },

    async replaceCard(card) {
      const out = await send(() =>
        documentClient.send(
          new UpdateCommand({
            TableName,
            Key: nativeKeys.codeCard(card.username),
            UpdateExpression:
              'SET #type = :type, username = :username, personId = :personId, cardId = :cardId, ' +
              'salt = :salt, hashes = :hashes, kdf = :kdf, createdAt = :createdAt, failures = :zero, ' +
              'version = if_not_exists(version, :zero) + :one REMOVE lockedUntil, lastPosition',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':type': 'codeCard',
              ':username': card.username,
              ':personId': card.personId,
              ':cardId': card.cardId,
              ':salt': card.salt,
              ':hashes': card.hashes,
              ':kdf': card.kdf,
              ':createdAt': card.createdAt,
              ':zero': 0,
              ':one': 1,
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return { version: Number(out.Attributes?.version) };
    },

    async recordAsked(username, version, position) {
      await updateIfVersion(username, version, {
        expression: 'SET lastPosition = :position',
        values: { ':position': position },
      });
    },

    async recordSuccess(username, version) {
      await updateIfVersion(username, version, {
        expression: 'SET failures = :zero REMOVE lockedUntil',
        values: { ':zero': 0 },
      });
    },

    async recordFailure(username, version, now) {
      const after = await updateIfVersion(username, version, {
        expression: 'SET failures = if_not_exists(failures, :zero) + :one, lastFailureAt = :now',
        values: { ':zero': 0, ':one': 1, ':now': now.toISOString() },
      });
      if (!after) return { failures: 0, locked: false };
      const failures = Number(after.failures);
      if (failures < MAX_CONSECUTIVE_FAILURES) return { failures, locked: false };
      const lockedUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
      await updateIfVersion(username, version, {
        expression: 'SET lockedUntil = :until',
        values: { ':until': lockedUntil },
      });
      return { failures, locked: true };
    },
  };
}
