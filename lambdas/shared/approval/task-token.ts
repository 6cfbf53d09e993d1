/**
 * The one-winner decision on a request that waits in an approval workflow (ARCHITECTURE.md section
 * 4): a conditional update moves the request from "waiting, token stored" to "decided" and hands the
 * caller the task token — so of two concurrent deciders exactly one gets it (and a claim retried after a
 * lost response still gets it). When answering the token
 * then fails for a reason other than expiry, the claim is released so the decision can be made again.
 * Used by every context's repository; only the item key and the pending status differ.
 */
import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
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
  return conditionalUpdate(request, {
    UpdateExpression: 'SET taskToken = :token, updatedAt = :now',
    ConditionExpression: '#status = :pending AND attribute_not_exists(#decision)',
    ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
    ExpressionAttributeValues: { ':token': taskToken, ':now': now, ':pending': request.pendingStatus },
  });
}

/**
 * Records `decision` on the waiting request and hands back its task token (the token stays on the item
 * until the outcome is applied, which removes both).
 *
 * A claim whose write committed but whose response was lost (the SDK then retries it and the retry
 * meets the condition) is recognised by its own `decisionId` on the item, so the caller still answers
 * the token: without that, the decision would be recorded but never reach the workflow.
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
        UpdateExpression: 'SET #decision = :decision, updatedAt = :now',
        ConditionExpression:
          '#status = :pending AND attribute_exists(taskToken) AND attribute_not_exists(#decision)',
        ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision' },
        ExpressionAttributeValues: { ':decision': decision, ':now': now, ':pending': request.pendingStatus },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return String(out.Attributes?.taskToken);
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      const own = ownClaimToken(error, request.pendingStatus, decision.decisionId);
      if (own !== undefined) return own;
      throw new ConflictError(request.conflictMessage, { cause: error, code: 'already-decided' });
    }
    throw translateDynamoError(error);
  }
}

/**
 * The task token of the item a failed claim condition saw, when that item carries this very claim
 * (`decisionId`) and still waits: the claim is ours, only its first response was lost. The item comes
 * in the wire format (`{ S: … }`): the document client does not convert error payloads.
 */
function ownClaimToken(error: unknown, pendingStatus: string, decisionId: string): string | undefined {
  const item = (error as { Item?: Record<string, { S?: string; M?: Record<string, { S?: string }> }> }).Item;
  if (item?.status?.S !== pendingStatus) return undefined;
  if (item.decision?.M?.decisionId?.S !== decisionId) return undefined;
  return item.taskToken?.S;
}

/**
 * Undoes the claim `decisionId` made, so the decision can be made again with the token. A no-op when
 * the request has moved on since (another claim, or the outcome applied).
 */
export async function releaseDecision(
  request: WaitingRequest,
  decisionId: string,
  taskToken: string,
): Promise<void> {
  await conditionalUpdate(request, {
    UpdateExpression: 'SET taskToken = :token REMOVE #decision',
    ConditionExpression:
      '#decision.decisionId = :decisionId AND (attribute_not_exists(taskToken) OR taskToken = :token)',
    ExpressionAttributeNames: { '#decision': 'decision' },
    ExpressionAttributeValues: { ':token': taskToken, ':decisionId': decisionId },
  });
}

/**
 * One conditional update of the request item.
 * @returns false when its condition did not hold (the request moved on), true when it was written
 */
async function conditionalUpdate(
  request: WaitingRequest,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<boolean> {
  try {
    await request.documentClient.send(
      new UpdateCommand({ ...update, TableName: request.tableName, Key: request.key }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw translateDynamoError(error);
  }
}
