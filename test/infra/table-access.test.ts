import { describe, expect, it } from 'vitest';
import { ServiceFunction } from '#lib/constructs/service-function';
import { tablePartitions } from '#lib/table-access';
import { PARTITION_PATTERNS } from '#shared/keys';
import {
  actionsOf,
  buildInfra,
  COMMITTED_STAGES,
  leadingKeysOf,
  logicalIdOf,
  statementsOfRole,
  type TemplateStatement,
  tableStatementsOf,
} from '#test/helpers/infra';

type Resource = { Type: string; Properties?: Record<string, unknown> };

/**
 * Every function of the access stack with its role's statements, named by the construct path (below
 * the stack) of its ServiceFunction, or by its logical id for any other function.
 */
function functionsOf(built: ReturnType<typeof buildInfra>) {
  const template = built.accessTemplate;
  const names = new Map(
    built.access.node
      .findAll()
      .filter((construct): construct is ServiceFunction => construct instanceof ServiceFunction)
      .map((fn) => [logicalIdOf(fn.role), fn.node.path.split('/').slice(1).join('/')]),
  );
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const role = (resource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
        'Fn::GetAtt'
      ]?.[0];
      return {
        logicalId,
        path: (role && names.get(role)) ?? logicalId,
        statements: role ? statementsOfRole(template, role) : [],
      };
    });
}

const dynamoStatements = (statements: readonly TemplateStatement[]) =>
  statements.filter((statement) =>
    [statement.Action]
      .flat()
      .some((action) => action === '*' || action.toLowerCase().startsWith('dynamodb:')),
  );

describe.each(COMMITTED_STAGES)('table access of every function (%s)', (stage) => {
  const functions = functionsOf(buildInfra(stage));
  const withTable = functions.filter((fn) => dynamoStatements(fn.statements).length > 0);
  const byPath = (suffix: string) => {
    const found = withTable.find((fn) => fn.path.endsWith(suffix));
    if (!found) throw new Error(`no function with table access at ${suffix}`);
    return tableStatementsOf(found.statements);
  };

  it('finds the functions that use the table', () => {
    expect(withTable.map((fn) => fn.path).sort()).toEqual(
      expect.arrayContaining([
        'Identity/PreTokenGeneration',
        'IdentityApi/Function',
        'Bis/Api',
        'Rights/GrantExpiry',
        'NativeAccounts/Function',
      ]),
    );
    expect(withTable.length).toBeGreaterThanOrEqual(13);
  });

  it('limits every DynamoDB statement of every function to named partitions with dynamodb:LeadingKeys', () => {
    const unlimited = withTable.flatMap((fn) =>
      dynamoStatements(fn.statements)
        .filter((statement) => {
          const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
          const patterns = leadingKeysOf(statement);
          return (
            statement.Effect !== 'Allow' ||
            patterns === undefined ||
            patterns.length === 0 ||
            patterns.some((pattern) => pattern.startsWith('*')) ||
            condition?.Null?.['dynamodb:LeadingKeys'] !== 'false'
          );
        })
        .map((statement) => `${fn.path}: ${JSON.stringify(statement)}`),
    );

    expect(unlimited).toEqual([]);
  });

  it('grants only patterns of PARTITION_PATTERNS, each in its own place', () => {
    const places: Record<string, readonly string[]> = {
      table: Object.values(PARTITION_PATTERNS.table),
      GSI1: Object.values(PARTITION_PATTERNS.gsi1),
      GSI2: Object.values(PARTITION_PATTERNS.gsi2),
    };
    const misplaced = withTable.flatMap((fn) => {
      const { table, indexes } = tableStatementsOf(fn.statements);
      return [
        ...table.flatMap((s) => (leadingKeysOf(s) ?? []).filter((p) => !places.table?.includes(p))),
        ...Object.entries(indexes).flatMap(([index, statements]) =>
          statements.flatMap((s) => (leadingKeysOf(s) ?? []).filter((p) => !places[index]?.includes(p))),
        ),
      ].map((pattern) => `${fn.path}: ${pattern}`);
    });

    expect(misplaced).toEqual([]);
  });

  it('never grants Scan, every action, every index or every table', () => {
    const wide = withTable.flatMap((fn) =>
      dynamoStatements(fn.statements)
        .filter((statement) => {
          const actions = actionsOf([statement]);
          const resources = JSON.stringify(statement.Resource);
          return (
            actions.some((action) => action.includes('*') || action === 'dynamodb:Scan') ||
            resources.includes('*') ||
            resources === '"*"'
          );
        })
        .map((statement) => `${fn.path}: ${JSON.stringify(statement)}`),
    );

    expect(wide).toEqual([]);
  });

  it('lets index statements only Query', () => {
    for (const fn of withTable) {
      for (const statements of Object.values(tableStatementsOf(fn.statements).indexes)) {
        expect(actionsOf(statements), fn.path).toEqual(['dynamodb:Query']);
      }
    }
  });

  it('lets the pre token generation trigger touch only the login partitions, on no index', () => {
    const { table, indexes } = byPath('Identity/PreTokenGeneration');

    expect(table).toHaveLength(1);
    expect(leadingKeysOf(table[0] as TemplateStatement)).toEqual(
      [
        'ACTIVITY#*',
        'IDENTITY#*',
        'IDENTITY_CASE#*',
        'INSZ#*',
        'NOTICE#*',
        'PERSON#*',
        // Claiming an appointment by national number (issue 14): the marker, the organisation, its audit.
        'PENDING_MEMBER#*',
        'ORG#*',
        'AUDIT#ORG#*',
      ].sort(),
    );
    expect(indexes).toEqual({});
  });

  it('lets the auth-challenge triggers touch code cards only', () => {
    for (const path of ['Identity/CreateAuthChallenge', 'Identity/VerifyAuthChallenge']) {
      const { table, indexes } = byPath(path);
      expect(table.map(leadingKeysOf), path).toEqual([['NATIVE#*']]);
      expect(indexes, path).toEqual({});
    }
  });

  it('keeps the wallet bridge to its own short-lived items', () => {
    const { table, indexes } = byPath('WalletBridge/Function');

    expect(table.map(leadingKeysOf)).toEqual([['WALLET_CODE#*', 'WALLET_TOKEN#*', 'WALLET_TX#*']]);
    expect(indexes).toEqual({});
    const verifier = byPath('WalletBridge/Verifier');
    expect(verifier.table.map(leadingKeysOf)).toEqual([['WALLET_TX#*']]);
    expect(verifier.indexes).toEqual({});
  });

  it('lets the expiry run query grants by expiry shard on GSI2 and only its notice queues on GSI1', () => {
    const { table, indexes } = byPath('Rights/GrantExpiry');

    expect(Object.keys(indexes).sort()).toEqual(['GSI1', 'GSI2']);
    expect(leadingKeysOf(indexes.GSI2?.[0] as TemplateStatement)).toEqual(['GRANT_EXPIRY#*']);
    expect(leadingKeysOf(indexes.GSI1?.[0] as TemplateStatement)).toEqual(['GRANT_NOTICES#*']);
    expect(leadingKeysOf(table[0] as TemplateStatement)).not.toContain('RIGHT_REQUEST#*');
  });

  it('gives the rights API the inboxes and grants of GSI1 but not the member lists', () => {
    const { indexes } = byPath('Rights/Api');

    expect(leadingKeysOf(indexes.GSI1?.[0] as TemplateStatement)).toEqual([
      'ORG#*#RIGHT_REQUESTS#*',
      'ORG_GRANTS#*',
    ]);
  });

  it('keeps idempotency records to the API functions', () => {
    const holders = withTable
      .filter((fn) =>
        tableStatementsOf(fn.statements).table.some((s) =>
          leadingKeysOf(s)?.includes(PARTITION_PATTERNS.table.idempotency),
        ),
      )
      .map((fn) => fn.path)
      .sort();

    expect(holders).toEqual([
      'Bis/Api',
      'IdentityApi/Function',
      'NativeAccounts/Function',
      'Organisations/Api',
      'Organisations/Registrations',
      'Rights/Api',
    ]);
  });
});

describe('tablePartitions', () => {
  it('gives the base-table patterns of PARTITION_PATTERNS by name, in the order named', () => {
    expect(tablePartitions('person', 'audit', 'codeCard')).toEqual([
      PARTITION_PATTERNS.table.person,
      PARTITION_PATTERNS.table.audit,
      PARTITION_PATTERNS.table.codeCard,
    ]);
  });
});
