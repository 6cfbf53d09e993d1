/**
 * DynamoDB implementation of {@link AttemptLimiter}: one counter item per person and fixed window,
 * `INSZ_CHECK#<personId>` / `ATTEMPTS` (pattern I8 of docs/data-model.md), with `expiresAt` (TTL, epoch
 * seconds) at the end of the window. It lives outside the person partition so logins never read it.
 *
 * An attempt is one conditional update that also opens the window when there is no counter yet
 * (`if_not_exists`), so concurrent requests cannot take more than the limit and the common path is
 * one round trip. Only a refused update reads the counter back: to tell a spent window (refusal)
 * from an expired one (replaced by a conditional Put). TTL deletion lags by up to days, so
 * `expiresAt` is always compared, never trusted to be gone.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { AttemptLimiter } from './link-insz.ts';

/** Options of {@link createDynamoAttemptLimiter}. */
export interface DynamoAttemptLimiterOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  /** Attempts per window. @default 5 */
  maxAttempts?: number;
  /** Window length in seconds. @default 86_400 (24 h) */
  windowSeconds?: number;
}

/** Default limit: 5 national-number checks per person per 24 hours. */
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_WINDOW_SECONDS = 24 * 60 * 60;

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** The table-backed {@link AttemptLimiter}. */
export function createDynamoAttemptLimiter(options: DynamoAttemptLimiterOptions): AttemptLimiter {
  const { tableName: TableName, documentClient } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;

  return {
    async take(personId, now) {
      const Key = keys.inszCheckAttempts(personId);
      const nowSeconds = Math.floor(now.getTime() / 1000);
      // Two rounds cover the only race: another request opening the window between our two writes.
      for (let round = 0; round < 3; round++) {
        try {
          await documentClient.send(
            new UpdateCommand({
              TableName,
              Key,
              UpdateExpression:
                'SET attempts = if_not_exists(attempts, :zero) + :one, expiresAt = if_not_exists(expiresAt, :expires), ' +
                'windowStart = if_not_exists(windowStart, :start), #type = :type',
              ConditionExpression: 'attribute_not_exists(PK) OR (expiresAt > :now AND attempts < :max)',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: {
                ':zero': 0,
                ':one': 1,
                ':now': nowSeconds,
                ':max': maxAttempts,
                ':expires': nowSeconds + windowSeconds,
                ':start': now.toISOString(),
                ':type': 'inszCheckAttempts',
              },
            }),
          );
          return { allowed: true };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        const { Item } = await documentClient.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
        const expiresAt = typeof Item?.expiresAt === 'number' ? Item.expiresAt : 0;
        if (Item && expiresAt > nowSeconds) {
          const attempts = typeof Item.attempts === 'number' ? Item.attempts : maxAttempts;
          if (attempts >= maxAttempts) return { allowed: false, retryAt: new Date(expiresAt * 1000) };
          continue;
        }
        try {
          await documentClient.send(
            new PutCommand({
              TableName,
              Item: {
                ...Key,
                type: 'inszCheckAttempts',
                attempts: 1,
                windowStart: now.toISOString(),
                expiresAt: nowSeconds + windowSeconds,
              },
              ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
            }),
          );
          return { allowed: true };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      throw new Error('national-number attempt counter did not settle');
    },
  };
}
