import { describe, expect, it } from 'vitest';
import {
  type AuthorizationScope,
  accessDeniedMessage,
  accessRequests,
  authorizeCall,
  type PolicyStatementJson,
  redactedKey,
  stringLike,
} from '#local/aws/dynamodb-authorization';

const PREFIX = 'arn:aws:dynamodb:eu-west-1:123456789012';
const TABLE = `${PREFIX}:table/data`;
const scope = (): AuthorizationScope => ({
  arnPrefix: PREFIX,
  schema: { partitionKey: 'PK', indexes: { GSI1: 'GSI1PK', GSI2: 'GSI2PK' } },
});
const leadingKeys = (patterns: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
  Null: { 'dynamodb:LeadingKeys': 'false' },
});
/** What lib/table-access.ts synthesizes: the base table and one index. */
const policy = (): PolicyStatementJson[] => [
  {
    Effect: 'Allow',
    Action: [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
      'dynamodb:BatchGetItem',
    ],
    Resource: [TABLE],
    Condition: leadingKeys(['PERSON#*', 'INSZ#*']),
  },
  {
    Effect: 'Allow',
    Action: ['dynamodb:Query'],
    Resource: [`${TABLE}/index/GSI1`],
    Condition: leadingKeys(['BIS_QUEUE#*']),
  },
];
const s = (value: string) => ({ S: value });

describe('authorizeCall', () => {
  it('allows an item call on a granted partition', () => {
    const decision = authorizeCall(
      policy(),
      'GetItem',
      { TableName: 'data', Key: { PK: s('PERSON#p1'), SK: s('PROFILE') } },
      scope(),
    );

    expect(decision).toEqual({ allowed: true });
  });

  it('denies an action the policy does not grant, even on a granted partition', () => {
    const decision = authorizeCall(
      policy(),
      'DeleteItem',
      { TableName: 'data', Key: { PK: s('PERSON#p1'), SK: s('PROFILE') } },
      scope(),
    );

    expect(decision).toMatchObject({
      allowed: false,
      request: { action: 'dynamodb:DeleteItem', resource: TABLE },
    });
  });

  it('denies a granted action on a partition outside the leading keys, naming only its prefix', () => {
    const decision = authorizeCall(
      policy(),
      'PutItem',
      { TableName: 'data', Item: { PK: s('REGISTER#PERSON#85073003328'), SK: s('REGISTER') } },
      scope(),
    );

    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    const message = accessDeniedMessage('arn:aws:sts::123456789012:assumed-role/FnRole/Fn', decision);
    expect(message).toContain(`is not authorized to perform: dynamodb:PutItem on resource: ${TABLE}`);
    expect(message).toContain('REGISTER#…');
    expect(message).not.toContain('85073003328');
  });

  it('denies a whole transaction when one element touches a partition outside the grant', () => {
    const body = {
      TransactItems: [
        { Put: { TableName: 'data', Item: { PK: s('PERSON#p1'), SK: s('PROFILE') } } },
        { ConditionCheck: { TableName: 'data', Key: { PK: s('INSZ#x'), SK: s('INSZ') } } },
        { Put: { TableName: 'data', Item: { PK: s('ORG#0123456789'), SK: s('PROFILE') } } },
      ],
    };

    const decision = authorizeCall(policy(), 'TransactWriteItems', body, scope());

    expect(decision).toMatchObject({
      allowed: false,
      request: { action: 'dynamodb:PutItem', leadingKeys: ['ORG#0123456789'] },
    });
  });

  it('allows a transaction whose every element is granted, authorised per element action', () => {
    const body = {
      TransactItems: [
        { Put: { TableName: 'data', Item: { PK: s('PERSON#p1'), SK: s('PROFILE') } } },
        { ConditionCheck: { TableName: 'data', Key: { PK: s('INSZ#x'), SK: s('INSZ') } } },
      ],
    };

    expect(accessRequests('TransactWriteItems', body, scope()).map((r) => r.action)).toEqual([
      'dynamodb:PutItem',
      'dynamodb:ConditionCheckItem',
    ]);
    expect(authorizeCall(policy(), 'TransactWriteItems', body, scope())).toEqual({ allowed: true });
  });

  it('denies an UpdateItem inside a transaction when only PutItem is granted', () => {
    const body = {
      TransactItems: [{ Update: { TableName: 'data', Key: { PK: s('PERSON#p1'), SK: s('PROFILE') } } }],
    };

    expect(authorizeCall(policy(), 'TransactWriteItems', body, scope())).toMatchObject({ allowed: false });
  });

  it('checks every key of a BatchGetItem under the BatchGetItem action', () => {
    const batch = (pk: string) => ({
      RequestItems: {
        data: {
          Keys: [
            { PK: s('PERSON#p1'), SK: s('PROFILE') },
            { PK: s(pk), SK: s('X') },
          ],
        },
      },
    });

    expect(authorizeCall(policy(), 'BatchGetItem', batch('INSZ#1'), scope())).toEqual({ allowed: true });
    expect(authorizeCall(policy(), 'BatchGetItem', batch('NATIVE#u'), scope())).toMatchObject({
      allowed: false,
      request: { action: 'dynamodb:BatchGetItem' },
    });
  });

  it('takes the index partition key of a Query on an index from the key condition', () => {
    const query = (pk: string, index = 'GSI1') => ({
      TableName: 'data',
      IndexName: index,
      KeyConditionExpression: '#pk = :pk AND begins_with(GSI1SK, :from)',
      ExpressionAttributeNames: { '#pk': 'GSI1PK' },
      ExpressionAttributeValues: { ':pk': s(pk), ':from': s('2026') },
    });

    expect(authorizeCall(policy(), 'Query', query('BIS_QUEUE#PENDING_REVIEW'), scope())).toEqual({
      allowed: true,
    });
    expect(authorizeCall(policy(), 'Query', query('ORG#0123456789'), scope())).toMatchObject({
      allowed: false,
    });
    // The index is a resource of its own: GSI2 is not granted at all.
    expect(
      authorizeCall(policy(), 'Query', query('BIS_QUEUE#PENDING_REVIEW', 'GSI2'), scope()),
    ).toMatchObject({
      allowed: false,
    });
  });

  it('takes the partition of a base-table Query, also from legacy KeyConditions', () => {
    const modern = {
      TableName: 'data',
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': s('PERSON#p1') },
    };
    const legacy = {
      TableName: 'data',
      KeyConditions: { PK: { ComparisonOperator: 'EQ', AttributeValueList: [s('MAIL#k')] } },
    };

    expect(authorizeCall(policy(), 'Query', modern, scope())).toEqual({ allowed: true });
    expect(authorizeCall(policy(), 'Query', legacy, scope())).toMatchObject({ allowed: false });
  });

  it('denies a Scan even where its action is granted: it carries no leading keys', () => {
    const withScan: PolicyStatementJson[] = [
      { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: TABLE, Condition: leadingKeys(['PERSON#*']) },
    ];
    const forAllOnly: PolicyStatementJson[] = [
      {
        Effect: 'Allow',
        Action: 'dynamodb:Scan',
        Resource: TABLE,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PERSON#*'] } },
      },
    ];

    expect(authorizeCall(withScan, 'Scan', { TableName: 'data' }, scope())).toMatchObject({ allowed: false });
    // As in IAM, ForAllValues alone is true without keys: that is why every statement has the Null guard.
    expect(authorizeCall(forAllOnly, 'Scan', { TableName: 'data' }, scope())).toEqual({ allowed: true });
  });

  it('lets an explicit Deny win over an Allow', () => {
    const statements: PolicyStatementJson[] = [
      ...policy(),
      { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*', Condition: leadingKeys(['INSZ#*']) },
    ];

    expect(
      authorizeCall(
        statements,
        'GetItem',
        { TableName: 'data', Key: { PK: s('INSZ#1'), SK: s('INSZ') } },
        scope(),
      ),
    ).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('explicit deny'),
    });
  });

  it('never allows under a condition it does not model', () => {
    const statements: PolicyStatementJson[] = [
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: TABLE,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PK'] } },
      },
    ];

    expect(
      authorizeCall(statements, 'GetItem', { TableName: 'data', Key: { PK: s('PERSON#p') } }, scope()),
    ).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('dynamodb:Attributes is not modelled'),
    });
  });
});

describe('stringLike', () => {
  it('matches * and ? like IAM, case-sensitively and literally otherwise', () => {
    expect(stringLike('ORG#*#RIGHT_REQUESTS#*', 'ORG#0123456789#RIGHT_REQUESTS#PENDING')).toBe(true);
    expect(stringLike('ORG#*#RIGHT_REQUESTS#*', 'ORG#0123456789')).toBe(false);
    expect(stringLike('INSZ#*', 'INSZ_CHECK#p')).toBe(false);
    expect(stringLike('person#*', 'PERSON#p')).toBe(false);
    expect(stringLike('A?C', 'ABC')).toBe(true);
    expect(stringLike('A.C', 'ABC')).toBe(false);
  });

  it('cuts a key to its first segment for messages', () => {
    expect(redactedKey('INSZ#85073003328')).toBe('INSZ#…');
    expect(redactedKey('plain')).toBe('…');
  });
});
