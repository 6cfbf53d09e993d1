/**
 * Least privilege in the data layer: what one function may do on the single table, as IAM
 * statements whose `dynamodb:LeadingKeys` condition names the partitions it uses.
 *
 * A function declares its {@link TableAccess}: the data-plane actions on the base table, the
 * partition patterns of the base-table items it touches, and, per index it queries, the index
 * partition patterns. Patterns are the constants of `PARTITION_PATTERNS` in lambdas/shared/keys.ts
 * (the one module that builds keys), so the types admit nothing else and the grant cannot drift from
 * the keys the code builds.
 *
 * IAM facts this relies on (DynamoDB developer guide, "Using IAM policy conditions for fine-grained
 * access control", "Using IAM with DynamoDB transactions", and the service authorization reference):
 * - `dynamodb:LeadingKeys` holds the partition-key values a request touches: the table's partition
 *   key for item calls, the index's partition key for a Query on an index, every item's key for
 *   BatchGetItem/BatchWriteItem.
 * - TransactWriteItems is authorised per element by PutItem, UpdateItem, DeleteItem and
 *   ConditionCheckItem (TransactGetItems by GetItem), each with its own item's key; BatchGetItem and
 *   BatchWriteItem need their own actions.
 * - `ForAllValues:…` is true when the request carries no leading keys at all (a Scan, PartiQL): the
 *   `Null` condition makes each statement demand them, so no statement ever allows a key-less call.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { PARTITION_PATTERNS } from '#shared/keys';
import type { IndexName } from './data/table-schema.ts';

/** DynamoDB data-plane actions a function may be granted on the base table, spelled without `dynamodb:`. Never Scan. */
export type TableAction =
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem'
  | 'DeleteItem'
  | 'GetItem'
  | 'PutItem'
  | 'Query'
  | 'UpdateItem';

type PatternOf<T> = T[keyof T];
/** A partition pattern of the base table. */
export type TablePartition = PatternOf<typeof PARTITION_PATTERNS.table>;
/** A partition pattern of GSI1. */
export type Gsi1Partition = PatternOf<typeof PARTITION_PATTERNS.gsi1>;
/** A partition pattern of GSI2. */
export type Gsi2Partition = PatternOf<typeof PARTITION_PATTERNS.gsi2>;
/** The name of a base-table partition pattern: a key of `PARTITION_PATTERNS.table`, such as `person`. */
export type TablePartitionName = keyof typeof PARTITION_PATTERNS.table;

/**
 * The patterns of the base-table partitions `names` (keys of `PARTITION_PATTERNS.table`), in that
 * order: `tablePartitions('person', 'audit')` is `[PARTITION_PATTERNS.table.person,
 * PARTITION_PATTERNS.table.audit]`.
 */
export function tablePartitions(...names: readonly TablePartitionName[]): readonly TablePartition[] {
  return names.map((name) => PARTITION_PATTERNS.table[name]);
}

/** The partitions a function queries on each index. */
export interface IndexPartitions {
  readonly GSI1?: readonly Gsi1Partition[];
  readonly GSI2?: readonly Gsi2Partition[];
}

/** What one function does on the table. */
export interface TableAccess {
  /** Data-plane actions on the base table (transactions need none of their own). */
  readonly actions: readonly TableAction[];
  /** Patterns of the base-table partitions the function reads or writes (`PARTITION_PATTERNS.table`). */
  readonly partitions: readonly TablePartition[];
  /**
   * The indexes the function queries (Query only), each with the index partitions it queries; each
   * index is granted by name, never `index/*`.
   * @default - none
   */
  readonly indexes?: IndexPartitions;
}

/** The condition key that carries the partition-key values of a request. */
export const LEADING_KEYS = 'dynamodb:LeadingKeys';

/** The condition of every table statement: all leading keys match one of `patterns`, and there are some. */
export function leadingKeysCondition(patterns: readonly string[]): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringLike': { [LEADING_KEYS]: [...new Set(patterns)].sort() },
    Null: { [LEADING_KEYS]: 'false' },
  };
}

/**
 * The statements of `access` on `table`: one for the base table, one per queried index.
 * @throws Error (naming `owner`) for an access without actions or partitions, a Scan, a pattern
 *   outside `PARTITION_PATTERNS`, or an index without partitions.
 */
export function tableAccessStatements(owner: string, table: ITable, access: TableAccess): PolicyStatement[] {
  const known = {
    table: new Set<string>(Object.values(PARTITION_PATTERNS.table)),
    GSI1: new Set<string>(Object.values(PARTITION_PATTERNS.gsi1)),
    GSI2: new Set<string>(Object.values(PARTITION_PATTERNS.gsi2)),
  };
  const check = (place: 'table' | IndexName, patterns: readonly string[] | undefined) => {
    if (!patterns || patterns.length === 0) {
      throw new Error(`${owner}: table access on ${place} needs the partition patterns it uses`);
    }
    for (const pattern of patterns) {
      if (!known[place].has(pattern)) {
        throw new Error(
          `${owner}: "${pattern}" is not a ${place} pattern of PARTITION_PATTERNS (lambdas/shared/keys.ts)`,
        );
      }
    }
  };
  if (access.actions.length === 0) throw new Error(`${owner}: table access needs at least one action`);
  if ((access.actions as readonly string[]).includes('Scan')) {
    throw new Error(`${owner}: Scan cannot be limited to partitions; query a partition instead`);
  }
  check('table', access.partitions);
  const statements = [
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: [...new Set(access.actions)].sort().map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
      conditions: leadingKeysCondition(access.partitions),
    }),
  ];
  for (const [index, patterns] of Object.entries(access.indexes ?? {}) as [IndexName, readonly string[]][]) {
    check(index, patterns);
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${index}`],
        conditions: leadingKeysCondition(patterns),
      }),
    );
  }
  return statements;
}
