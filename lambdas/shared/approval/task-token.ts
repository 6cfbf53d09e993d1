/**
 * The one-winner decision on a request that waits in an approval workflow (ARCHITECTURE.md section
 * 4): a conditional update moves the request from "waiting, token stored" to "decided" and hands the
 * caller the task token — so of two concurrent deciders exactly one gets it. When answering the token
 * then fails for a reason other than expiry, the claim is released so the decision can be made again.
 * Used by every context's repository; only the item key and the pending status differ.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, translateDynamoError } from '../dynamo.ts';
import { ConflictError } from '../errors.ts';
import type { TableKey } from '../keys.ts';

/** The request item a decision is made on. */
export interface WaitingRequest {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  key: TableKey;
  /** The status in which the request waits for a decision (`PENDING_REVIEW`, `PENDING`). */
  pendingStatus: string;
  /** What a loser of the race, or a too-late decider, is told (409). */
  conflictMessage: string;
}

/**
 * Stores the task token of the workflow's wait on the request, while it still waits for a decision.
 * @returns false when the request no longer waits (decided or closed): the workflow moves on
 */
export async function storeDecisionToken(
  request: WaitingRequest,
  taskToken: string,
  now: string,
): Promise<boolean> {
  try {
    await request.documentClient.send(
      new UpdateCommand({
        TableName: request.tableName,
        Key: request.key,
        UpdateExpression: 'SET taskToken = :token, updatedAt = :now',
        ConditionExpression: '#status = :pending AND attribute_not_exists(#decision)',
        ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
        ExpressionAttributeValues: { ':token': taskToken, ':now': now, ':pending': request.pendingStatus },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateDynamoError(error);
  }
}

/**
 * Records `decision` on the waiting request and takes its task token off the item.
 * @returns the task token to answer
 * @throws ConflictError when the request is not waiting for a decision (decided, expired, or not ready)
 */
export async function claimDecision(
  request: WaitingRequest,
  decision: { readonly decisionId: string },
  now: string,
): Promise<string> {
  try {
    const out = await request.documentClient.send(
      new UpdateCommand({
        TableName: request.tableName,
        Key: request.key,
        UpdateExpression: 'SET #decision = :decision, updatedAt = :now REMOVE taskToken',
        ConditionExpression:
          '#status = :pending AND attribute_exists(taskToken) AND attribute_not_exists(#decision)',
        ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
        ExpressionAttributeValues: { ':decision': decision, ':now': now, ':pending': request.pendingStatus },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return String(out.Attributes?.taskToken);
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      throw new ConflictError(request.conflictMessage, { cause: error, code: 'already-decided' });
    }
    throw translateDynamoError(error);
  }
}

/**
 * Undoes the claim `decisionId` made, putting the token back. A no-op when the request has moved on
 * since (another claim, or the workflow already stored a new token).
 */
export async function releaseDecision(
  request: WaitingRequest,
  decisionId: string,
  taskToken: string,
): Promise<void> {
  try {
    await request.documentClient.send(
      new UpdateCommand({
        TableName: request.tableName,
        Key: request.key,
        UpdateExpression: 'SET taskToken = :token REMOVE #decision',
        ConditionExpression: '#decision.decisionId = :decisionId AND attribute_not_exists(taskToken)',
        ExpressionAttributeNames: { '#decision': 'decision' },
        ExpressionAttributeValues: { ':token': taskToken, ':decisionId': decisionId },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw translateDynamoError(error);
  }
}
