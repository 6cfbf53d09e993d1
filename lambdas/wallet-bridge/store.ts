/**
 * The wallet bridge's state in the single table (docs/data-model.md, "Wallet bridge access
 * patterns"): transactions, authorization codes and access tokens, all GetItem/PutItem/UpdateItem/
 * DeleteItem by key with conditions, all expiring via the table's TTL attribute `expiresAt`.
 *
 * Every state change is conditional, which is what makes replays fail: a transaction accepts one
 * wallet answer (`pending` → `verified`|`failed`), is completed once (`verified` → `completed`), a
 * code is redeemed once (conditional delete).
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '#shared/dynamo';
import { walletBridgeKeys } from '#shared/keys';
import type { PresentationRefusalReason } from './errors.ts';
import {
  type CodeGrant,
  readAccessToken,
  readCodeGrant,
  readTransaction,
  type Transaction,
} from './items.ts';

export type { CodeGrant, RelyingPartyRequest, Transaction } from './items.ts';

/** The bridge's persistence port. */
export interface BridgeStore {
  createTransaction(transaction: Transaction): Promise<void>;
  getTransaction(transactionId: string): Promise<Transaction | undefined>;
  /** `pending` → `verified`|`failed`; `false` when the transaction already had an answer. */
  recordOutcome(
    transactionId: string,
    outcome:
      | { status: 'verified'; claims: Record<string, unknown>; responseCodeHash: string }
      | { status: 'failed'; refusal: PresentationRefusalReason },
  ): Promise<boolean>;
  /** `verified` → `completed`; `false` when it was not `verified` (already completed, failed, pending). */
  markCompleted(transactionId: string): Promise<boolean>;
  putCode(codeHash: string, grant: CodeGrant): Promise<void>;
  /** Deletes and returns the grant; `undefined` when unknown or already redeemed. */
  redeemCode(codeHash: string): Promise<CodeGrant | undefined>;
  putAccessToken(tokenHash: string, claims: Record<string, unknown>, expiresAt: number): Promise<void>;
  getAccessToken(tokenHash: string): Promise<Record<string, unknown> | undefined>;
}

/** {@link BridgeStore} on the single table. */
export class DynamoBridgeStore implements BridgeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createTransaction(transaction: Transaction): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...walletBridgeKeys.transaction(transaction.transactionId), ...transaction },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getTransaction(transactionId: string): Promise<Transaction | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: walletBridgeKeys.transaction(transactionId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const transaction = readTransaction(Item);
    return transaction.expiresAt < this.#nowSeconds() ? undefined : transaction;
  }

  async recordOutcome(
    transactionId: string,
    outcome:
      | { status: 'verified'; claims: Record<string, unknown>; responseCodeHash: string }
      | { status: 'failed'; refusal: PresentationRefusalReason },
  ): Promise<boolean> {
    const values =
      outcome.status === 'verified'
        ? { ':claims': outcome.claims, ':code': outcome.responseCodeHash }
        : { ':refusal': outcome.refusal };
    return this.#conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: walletBridgeKeys.transaction(transactionId),
        UpdateExpression:
          outcome.status === 'verified'
            ? 'SET #status = :next, claims = :claims, responseCodeHash = :code'
            : 'SET #status = :next, refusal = :refusal',
        ConditionExpression: '#status = :pending AND expiresAt >= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':next': outcome.status,
          ':pending': 'pending',
          ':now': this.#nowSeconds(),
          ...values,
        },
      }),
    );
  }

  async markCompleted(transactionId: string): Promise<boolean> {
    return this.#conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: walletBridgeKeys.transaction(transactionId),
        // The claims move to the code item: the transaction keeps no personal data once completed.
        UpdateExpression: 'SET #status = :completed REMOVE claims',
        ConditionExpression: '#status = :verified AND expiresAt >= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':verified': 'verified',
          ':now': this.#nowSeconds(),
        },
      }),
    );
  }

  async putCode(codeHash: string, grant: CodeGrant): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...walletBridgeKeys.authorizationCode(codeHash), ...grant },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async redeemCode(codeHash: string): Promise<CodeGrant | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: walletBridgeKeys.authorizationCode(codeHash),
          ConditionExpression: 'attribute_exists(PK) AND expiresAt >= :now',
          ExpressionAttributeValues: { ':now': this.#nowSeconds() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? readCodeGrant(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async putAccessToken(tokenHash: string, claims: Record<string, unknown>, expiresAt: number): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...walletBridgeKeys.accessToken(tokenHash), claims, expiresAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async getAccessToken(tokenHash: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: walletBridgeKeys.accessToken(tokenHash),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const token = readAccessToken(Item);
    return token.expiresAt < this.#nowSeconds() ? undefined : token.claims;
  }

  async #conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.client.send(command);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  #nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
