/**
 * The one write that closes a waiting request (ARCHITECTURE.md section 4): its final status, its
 * queue or inbox for that status, what the outcome records, and the claim and task token taken off —
 * conditional on the request still waiting and, for a decision, still carrying that decision's claim.
 * Every context's repository puts it in the transaction that applies the outcome (the grant, the
 * number, the organisation), so a retried task that meets a closed request changes nothing.
 */
import type { TransactItems } from '../dynamo.ts';
import type { WaitingRequest } from './task-token.ts';

/** How a waiting request closes. */
export interface RequestClosing {
  /** The final status (`APPROVED`, `REJECTED`, `EXPIRED`…). */
  status: string;
  /** The request's GSI1 partition in its final status (its queue or inbox). */
  queue: string;
  /**
   * The decision the outcome applies: the request must still carry its claim. Absent when the
   * request closes without a decision (its wait ended): it must only still wait.
   */
  decisionId?: string;
  /**
   * The statuses in which the request still counts as waiting, when there are more than its
   * `pendingStatus` (a BIS request in correction closes too). @default [request.pendingStatus]
   */
  waitingStatuses?: readonly string[];
  /** What the outcome records (`decidedBy`, `reason`, `grantId`…); `undefined` values are not written. */
  record: Readonly<Record<string, unknown>>;
  /** Attributes the outcome removes besides the claim and the task token (a stale `reason`). */
  remove?: readonly string[];
  /** `updatedAt`. */
  now: string;
}

/** The TransactWriteItems element that closes `request` as `closing` says. */
export function closingUpdate(
  request: Pick<WaitingRequest, 'tableName' | 'key' | 'pendingStatus'>,
  closing: RequestClosing,
): { Update: NonNullable<TransactItems[number]['Update']> } {
  const names: Record<string, string> = { '#status': 'status', '#decision': 'decision' };
  const values: Record<string, unknown> = {
    ':status': closing.status,
    ':queue': closing.queue,
    ':now': closing.now,
  };
  const sets = ['#status = :status', 'GSI1PK = :queue'];
  Object.entries(closing.record)
    .filter(([, value]) => value !== undefined)
    .forEach(([field, value], index) => {
      names[`#r${index}`] = field;
      values[`:r${index}`] = value;
      sets.push(`#r${index} = :r${index}`);
    });
  sets.push('updatedAt = :now');
  const removes = ['#decision', 'taskToken'];
  (closing.remove ?? []).forEach((field, index) => {
    names[`#x${index}`] = field;
    removes.push(`#x${index}`);
  });
  const waiting = (closing.waitingStatuses ?? [request.pendingStatus]).map((status, index) => {
    values[`:w${index}`] = status;
    return `:w${index}`;
  });
  const conditions = [
    waiting.length === 1 ? `#status = ${waiting[0]}` : `#status IN (${waiting.join(', ')})`,
  ];
  if (closing.decisionId !== undefined) {
    conditions.push('#decision.decisionId = :decisionId');
    values[':decisionId'] = closing.decisionId;
  }
  return {
    Update: {
      TableName: request.tableName,
      Key: request.key,
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
