/**
 * DynamoDB plumbing shared by the repositories: transactions whose cancellation is an outcome the
 * use case decides on, and the translation of SDK faults at the repository boundary (throttling and
 * server faults become {@link TransientError}, which Step Functions retries).
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from './errors.ts';

/** The items of one TransactWriteItems call. */
export type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

/** Error names of DynamoDB that a later attempt can overcome. */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

/**
 * Runs a transaction. Returns `undefined` when it committed, else the cancellation reason code of
 * each item (`ConditionalCheckFailed`, `TransactionConflict`, `None`…) in the order of `items`.
 * @throws the translated error for anything but a condition failure or a conflict
 */
export async function transact(
  documentClient: DynamoDBDocumentClient,
  items: TransactItems,
): Promise<string[] | undefined> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.includes('ConditionalCheckFailed') || reasons?.includes('TransactionConflict')) {
      return reasons;
    }
    throw translateDynamoError(error);
  }
}

/** One item of a TransactWriteItems call. */
export type TransactItem = TransactItems[number];

/**
 * The items of one transaction by name: each name stands for one item, several (audit entries), or
 * none (`undefined`: an optional part left out). Items are written in the order of the names.
 */
export type NamedTransactItems<K extends string> = Readonly<
  Record<K, TransactItem | readonly TransactItem[] | undefined>
>;

/**
 * Runs a transaction whose items have names, so that a cancellation is read by name, not by position.
 * @returns `undefined` when it committed, else the names whose condition failed — an empty set when
 *   it was cancelled by a concurrent transaction only (`TransactionConflict`)
 * @throws the translated error for anything but a condition failure or a conflict
 */
export async function transactNamed<K extends string>(
  documentClient: DynamoDBDocumentClient,
  named: NamedTransactItems<K>,
): Promise<ReadonlySet<K> | undefined> {
  const names: K[] = [];
  const items: TransactItem[] = [];
  for (const [name, value] of Object.entries(named) as [
    K,
    TransactItem | readonly TransactItem[] | undefined,
  ][]) {
    for (const item of value === undefined ? [] : Array.isArray(value) ? value : [value as TransactItem]) {
      names.push(name);
      items.push(item);
    }
  }
  const reasons = await transact(documentClient, items);
  if (!reasons) return undefined;
  return new Set(names.filter((_, index) => reasons[index] === 'ConditionalCheckFailed'));
}

/** The cancellation reason codes of a `TransactionCanceledException`; `undefined` for other errors. */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** True for the error of a single conditional write whose condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Throttling and server faults become {@link TransientError}; other errors are returned unchanged. */
export function translateDynamoError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fault = (error as Error & { $fault?: string }).$fault;
  if (TRANSIENT_NAMES.has(error.name) || fault === 'server') {
    return new TransientError(`DynamoDB is unavailable now (${error.name})`, { cause: error });
  }
  return error;
}
