/**
 * IAM, as DynamoDB applies it, for the sandbox: whether a function's own synthesized policy allows
 * one DynamoDB call. The sandbox's DynamoDB endpoint asks this for every call a function makes and
 * answers `AccessDeniedException` when the answer is no, so the integration and e2e suites prove
 * that each function's `dynamodb:LeadingKeys` grant (lib/table-access.ts) is enough for what it does.
 *
 * What is modelled (DynamoDB developer guide, "Using IAM policy conditions for fine-grained access
 * control", "Using IAM with DynamoDB transactions"; IAM user guide, "Policy evaluation logic"):
 * - the action of each call: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
 *   BatchWriteItem as themselves; each element of TransactWriteItems as PutItem, UpdateItem,
 *   DeleteItem or ConditionCheckItem and of TransactGetItems as GetItem, each with its own table and
 *   key; anything else (DescribeTable, PartiQL…) as itself without leading keys;
 * - the resource: the table's ARN, `<table ARN>/index/<name>` for a Query on an index;
 * - `dynamodb:LeadingKeys`: the partition-key values the call touches (the index's partition key for
 *   a Query on an index, taken from KeyConditionExpression or KeyConditions), absent for a Scan;
 * - statements: Allow and Deny, `*`/`?` wildcards in actions and resources, conditions
 *   `ForAllValues:`/`ForAnyValue:` `StringLike`/`StringEquals` and `Null` on `dynamodb:LeadingKeys`
 *   (`ForAllValues` is true when the key is absent, as in IAM). An explicit Deny wins; no Allow is an
 *   implicit deny. A condition the model does not know never allows (and always denies).
 */

/** A statement of a synthesized policy, references resolved to local strings. */
export interface PolicyStatementJson {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The table's key attributes, for finding the partition key of a call. */
export interface TableKeySchema {
  /** Partition-key attribute of the base table, e.g. `PK`. */
  partitionKey: string;
  /** Partition-key attribute of each index, e.g. `{ GSI1: 'GSI1PK' }`. */
  indexes: Readonly<Record<string, string>>;
}

/** Where the table ARNs of the calls live. */
export interface AuthorizationScope {
  /** `arn:<partition>:dynamodb:<region>:<account>` */
  arnPrefix: string;
  schema: TableKeySchema;
}

/** One authorisation IAM makes for a call: a call makes one, a transaction one per element. */
export interface AccessRequest {
  action: string;
  resource: string;
  /** `undefined` when the call carries no partition key (Scan, DescribeTable, PartiQL). */
  leadingKeys: string[] | undefined;
}

/** The outcome for a whole call. */
export type Decision = { allowed: true } | { allowed: false; request: AccessRequest; reason: string };

/** The condition key this module evaluates. */
const LEADING_KEYS = 'dynamodb:LeadingKeys';

/** IAM's `StringLike`: `*` any run of characters, `?` one character, case-sensitive. */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

type AttributeMap = Record<string, Record<string, unknown> | undefined>;

function scalar(value: Record<string, unknown> | undefined): string | undefined {
  if (!value) return undefined;
  const [first] = Object.values(value);
  return first === undefined ? undefined : String(first);
}

/** The partition-key values of item keys. */
function partitionValues(items: readonly (AttributeMap | undefined)[], attribute: string): string[] {
  return items.map((item) => scalar(item?.[attribute]) ?? '');
}

/** The partition-key value a Query names, from KeyConditionExpression or legacy KeyConditions. */
function queryPartition(body: Record<string, unknown>, attribute: string): string[] {
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as AttributeMap;
  const expression =
    typeof body.KeyConditionExpression === 'string' ? body.KeyConditionExpression : undefined;
  if (expression) {
    const nameOf = (token: string) => (token.startsWith('#') ? names[token] : token);
    for (const match of expression.matchAll(/(#?[A-Za-z0-9_.-]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
      if (nameOf(match[1] as string) === attribute) return [scalar(values[match[2] as string]) ?? ''];
    }
    for (const match of expression.matchAll(/(:[A-Za-z0-9_]+)\s*=\s*(#?[A-Za-z0-9_.-]+)/g)) {
      if (nameOf(match[2] as string) === attribute) return [scalar(values[match[1] as string]) ?? ''];
    }
    return [];
  }
  const legacy = (body.KeyConditions ?? {}) as Record<
    string,
    { ComparisonOperator?: string; AttributeValueList?: Record<string, unknown>[] }
  >;
  const condition = legacy[attribute];
  if (condition?.ComparisonOperator === 'EQ') return [scalar(condition.AttributeValueList?.[0]) ?? ''];
  return [];
}

/**
 * The authorisations IAM makes for one call of the DynamoDB API (`operation`, e.g. `GetItem`, with
 * its JSON body).
 */
export function accessRequests(
  operation: string,
  body: Record<string, unknown>,
  scope: AuthorizationScope,
): AccessRequest[] {
  const tableArn = (name: unknown) =>
    typeof name === 'string' && name.startsWith('arn:') ? name : `${scope.arnPrefix}:table/${String(name)}`;
  const pk = scope.schema.partitionKey;
  const action = (name: string) => `dynamodb:${name}`;
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [
        {
          action: action(operation),
          resource: tableArn(body.TableName),
          leadingKeys: partitionValues([body.Key as AttributeMap], pk),
        },
      ];
    case 'PutItem':
      return [
        {
          action: action(operation),
          resource: tableArn(body.TableName),
          leadingKeys: partitionValues([body.Item as AttributeMap], pk),
        },
      ];
    case 'Query': {
      const index = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const attribute = index ? scope.schema.indexes[index] : pk;
      return [
        {
          action: action(operation),
          resource: index ? `${tableArn(body.TableName)}/index/${index}` : tableArn(body.TableName),
          leadingKeys: attribute ? queryPartition(body, attribute) : [],
        },
      ];
    }
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, { Keys?: AttributeMap[] }>).map(
        ([table, request]) => ({
          action: action(operation),
          resource: tableArn(table),
          leadingKeys: partitionValues(request.Keys ?? [], pk),
        }),
      );
    case 'BatchWriteItem':
      return Object.entries(
        (body.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item?: AttributeMap }; DeleteRequest?: { Key?: AttributeMap } }[]
        >,
      ).map(([table, requests]) => ({
        action: action(operation),
        resource: tableArn(table),
        leadingKeys: partitionValues(
          requests.map((request) => request.PutRequest?.Item ?? request.DeleteRequest?.Key),
          pk,
        ),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const kinds: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
        Get: 'GetItem',
      };
      return (
        (body.TransactItems ?? []) as Record<
          string,
          { TableName?: string; Key?: AttributeMap; Item?: AttributeMap }
        >[]
      )
        .flatMap((element) => Object.entries(element))
        .map(([kind, item]) => ({
          action: action(kinds[kind] ?? kind),
          resource: tableArn(item.TableName),
          leadingKeys: partitionValues([item.Item ?? item.Key], pk),
        }));
    }
    default:
      return [
        {
          action: action(operation),
          resource: body.TableName === undefined ? '*' : tableArn(body.TableName),
          leadingKeys: undefined,
        },
      ];
  }
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** `true`/`false`, or a string saying why the condition cannot be evaluated. */
function conditionHolds(
  condition: NonNullable<PolicyStatementJson['Condition']>,
  request: AccessRequest,
): boolean | string {
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      if (key !== LEADING_KEYS) return `condition key ${key} is not modelled by the sandbox`;
      const values = request.leadingKeys;
      const present = values !== undefined && values.length > 0;
      const [qualifier, test] = operator.includes(':') ? operator.split(':') : [undefined, operator];
      if (test === 'Null' && qualifier === undefined) {
        if (list(expected).some((wanted) => String(wanted) !== String(!present))) return false;
        continue;
      }
      const match =
        test === 'StringLike'
          ? (value: string) => list(expected).some((pattern) => stringLike(pattern, value))
          : test === 'StringEquals'
            ? (value: string) => list(expected).includes(value)
            : undefined;
      if (!match) return `condition operator ${operator} is not modelled by the sandbox`;
      if (qualifier === 'ForAllValues') {
        if (present && !values.every(match)) return false;
      } else if (qualifier === 'ForAnyValue') {
        if (!present || !values.some(match)) return false;
      } else {
        return `condition operator ${operator} on a multivalued key is not modelled by the sandbox`;
      }
    }
  }
  return true;
}

/** Whether `statement` applies to `request`: true, false, or why it cannot be told. */
function statementApplies(statement: PolicyStatementJson, request: AccessRequest): boolean | string {
  const actionMatches = list(statement.Action).some((pattern) =>
    stringLike(pattern.toLowerCase(), request.action.toLowerCase()),
  );
  if (!actionMatches) return false;
  if (!list(statement.Resource).some((pattern) => stringLike(pattern, request.resource))) return false;
  return statement.Condition ? conditionHolds(statement.Condition, request) : true;
}

/** A leading key for a message: its first segment only (keys may hold national numbers). */
export function redactedKey(value: string): string {
  const hash = value.indexOf('#');
  return hash < 0 ? '…' : `${value.slice(0, hash + 1)}…`;
}

/** IAM's answer for one authorisation. */
export function authorize(statements: readonly PolicyStatementJson[], request: AccessRequest): Decision {
  let allowed = false;
  const notes: string[] = [];
  for (const statement of statements) {
    const applies = statementApplies(statement, request);
    if (statement.Effect === 'Deny' && applies !== false) {
      return { allowed: false, request, reason: 'an explicit deny in an identity-based policy' };
    }
    if (statement.Effect === 'Allow') {
      if (applies === true) allowed = true;
      else if (typeof applies === 'string') notes.push(applies);
    }
  }
  if (allowed) return { allowed: true };
  const keys = request.leadingKeys?.map(redactedKey).join(', ');
  const detail = notes.length > 0 ? `; ${notes.join('; ')}` : keys ? `; leading keys ${keys}` : '';
  return {
    allowed: false,
    request,
    reason: `no identity-based policy allows the ${request.action} action${detail}`,
  };
}

/** IAM's answer for a whole call: denied when any of its authorisations is. */
export function authorizeCall(
  statements: readonly PolicyStatementJson[],
  operation: string,
  body: Record<string, unknown>,
  scope: AuthorizationScope,
): Decision {
  for (const request of accessRequests(operation, body, scope)) {
    const decision = authorize(statements, request);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}

/** The message DynamoDB gives with AccessDeniedException. */
export function accessDeniedMessage(
  principal: string,
  decision: Extract<Decision, { allowed: false }>,
): string {
  return `User: ${principal} is not authorized to perform: ${decision.request.action} on resource: ${decision.request.resource} because ${decision.reason}`;
}
