import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatusList } from '@sd-jwt/jwt-status-list';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceFunction } from '#lib/constructs/service-function';
import type { Gsi1Partition, TableAction, TablePartition } from '#lib/table-access';
import { PARTITION_PATTERNS } from '#shared/keys';
import { actionsOf, cdkJsonContext, logicalIdOf, statementsOfRole } from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

const entry = fileURLToPath(new URL('./fixtures/esm-handler.ts', import.meta.url));
const statusListEntry = fileURLToPath(new URL('./fixtures/status-list-handler.ts', import.meta.url));

function fixture(bundle = false, outdir?: string) {
  const context = { ...cdkJsonContext(), ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const app = new App({ context, outdir: outdir ?? testAppOutdir() });
  const stack = new Stack(app, 'Test');
  const key = new Key(stack, 'Key', { enableKeyRotation: true });
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const fn = new ServiceFunction(stack, 'Fn', {
    entry,
    serviceName: 'test',
    logRetention: RetentionDays.ONE_WEEK,
  });
  return { app, stack, key, table, fn };
}

describe('ServiceFunction', () => {
  it('applies the house defaults when only the required props are given', () => {
    const { stack, fn } = fixture();

    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 10,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'test',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_METRICS_NAMESPACE: 'eid-access',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 7 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('writes only to its own log group when nothing is bound', () => {
    const { stack, fn } = fixture();

    const statements = statementsOfRole(Template.fromStack(stack), logicalIdOf(fn.role));

    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logicalIdOf(fn.logGroup), 'Arn'] },
    });
    expect(actionsOf(statements).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('honours the optional props when they are given', () => {
    const app = new App({
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
      outdir: testAppOutdir(),
    });
    const stack = new Stack(app, 'Test');
    new ServiceFunction(stack, 'Fn', {
      entry,
      serviceName: 'bis',
      logRetention: RetentionDays.ONE_YEAR,
      logRemovalPolicy: RemovalPolicy.DESTROY,
      logLevel: 'WARN',
      memorySize: 512,
      environment: { EXTRA: 'x' },
    });

    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'WARN', EXTRA: 'x' }) },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Delete',
    });
  });

  it('sets the table variable and grants the bound actions on the bound partitions only when a table is bound', () => {
    const { stack, fn, table, key } = fixture();

    fn.bindTable(
      table,
      key,
      {
        actions: ['Query', 'GetItem', 'Query'],
        partitions: [PARTITION_PATTERNS.table.person, PARTITION_PATTERNS.table.inszLink],
        indexes: { GSI1: [PARTITION_PATTERNS.gsi1.bisQueue] },
      },
      { environmentVariable: 'DATA_TABLE' },
    );
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DATA_TABLE: { Ref: logicalIdOf(table) } }) },
    });
    const statements = statementsOfRole(template, logicalIdOf(fn.role));
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(table), 'Arn'] };
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: tableArn,
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INSZ#*', 'PERSON#*'] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: { 'Fn::Join': ['', [tableArn, '/index/GSI1']] },
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BIS_QUEUE#*'] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] },
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        },
      },
    });
  });

  it('grants no key usage when the table has no customer-managed key', () => {
    const { stack, fn, table } = fixture();

    fn.bindTable(table, undefined, { actions: ['GetItem'], partitions: [PARTITION_PATTERNS.table.person] });
    const actions = actionsOf(statementsOfRole(Template.fromStack(stack), logicalIdOf(fn.role)));

    expect(actions.filter((action) => action.startsWith('kms:'))).toEqual([]);
    expect(actions).toContain('dynamodb:GetItem');
  });

  it('refuses to bind a table when no action is given', () => {
    const { fn, table, key } = fixture();

    expect(() =>
      fn.bindTable(table, key, { actions: [], partitions: [PARTITION_PATTERNS.table.person] }),
    ).toThrow(/at least one action/);
  });

  it('refuses to bind a table when no partition is given', () => {
    const { fn, table, key } = fixture();

    expect(() => fn.bindTable(table, key, { actions: ['GetItem'], partitions: [] })).toThrow(
      /needs the partition patterns/,
    );
  });

  it('refuses a pattern that is not one of PARTITION_PATTERNS, such as everything', () => {
    const { fn, table, key } = fixture();
    const everything = '*' as unknown as TablePartition;

    expect(() => fn.bindTable(table, key, { actions: ['GetItem'], partitions: [everything] })).toThrow(
      /"\*" is not a table pattern/,
    );
  });

  it('refuses an index pattern on the base table and a base-table pattern on an index', () => {
    const { fn, table, key } = fixture();
    const queue = PARTITION_PATTERNS.gsi1.bisQueue as unknown as TablePartition;
    const person = PARTITION_PATTERNS.table.person as unknown as Gsi1Partition;

    expect(() => fn.bindTable(table, key, { actions: ['Query'], partitions: [queue] })).toThrow(
      /not a table pattern/,
    );
    expect(() =>
      fn.bindTable(table, key, {
        actions: ['Query'],
        partitions: [PARTITION_PATTERNS.table.person],
        indexes: { GSI1: [person] },
      }),
    ).toThrow(/not a GSI1 pattern/);
  });

  it('refuses Scan, which no partition condition can limit', () => {
    const { fn, table, key } = fixture();
    const scan = 'Scan' as unknown as TableAction;

    expect(() =>
      fn.bindTable(table, key, { actions: [scan], partitions: [PARTITION_PATTERNS.table.person] }),
    ).toThrow(/Scan cannot be limited/);
  });

  it('lets the function send only from the bound sender when a mail sender is bound', () => {
    const { stack, fn } = fixture();

    fn.bindMailSender('no-reply@eid-access.example.be', 'eid-access.example.be');
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'no-reply@eid-access.example.be' }) },
    });
    expect(statementsOfRole(template, logicalIdOf(fn.role))).toContainEqual({
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':identity/eid-access.example.be',
          ],
        ],
      },
      Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@eid-access.example.be' } },
    });
  });

  describe('bundling', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'service-function-'));
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('bundles an ESM module with source map and require shim locally when synthesized', () => {
      const { app } = fixture(true, outdir);

      app.synth();
      const assetDirs = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
      const bundles = assetDirs.filter((dir) => existsSync(join(outdir, dir, 'index.mjs')));

      expect(bundles).toHaveLength(1);
      const dir = join(outdir, bundles[0] ?? '');
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __eidCreateRequire } from 'node:module';")).toBe(
        true,
      );
      expect(code).toMatch(/export\s*\{/);
      expect(code).toContain('sourceMappingURL=index.mjs.map');
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
    });

    it('resolves a package to the project module of bundleAliases, and the bundle still works', async () => {
      const aliasOut = mkdtempSync(join(tmpdir(), 'service-function-alias-'));
      try {
        const app = new App({ context: cdkJsonContext(), outdir: aliasOut });
        const stack = new Stack(app, 'Alias');
        new ServiceFunction(stack, 'Fn', {
          entry: statusListEntry,
          serviceName: 'test',
          logRetention: RetentionDays.ONE_WEEK,
          bundleAliases: { pako: 'lambdas/wallet-bridge/pako-zlib.ts' },
        });

        app.synth();
        const dir = readdirSync(aliasOut).find((name) => existsSync(join(aliasOut, name, 'index.mjs')));
        const map = JSON.parse(readFileSync(join(aliasOut, dir ?? '', 'index.mjs.map'), 'utf8')) as {
          sources: string[];
        };
        expect(map.sources.some((source) => source.includes('lambdas/wallet-bridge/pako-zlib.ts'))).toBe(
          true,
        );
        expect(map.sources.some((source) => source.includes('node_modules/pako/'))).toBe(false);

        // A list compressed by the library with the real pako decodes in the bundle, and back.
        const statuses = Array.from({ length: 300 }, (_, index) => (index % 7 === 3 ? 1 : 0));
        const { handler } = (await import(join(aliasOut, dir ?? '', 'index.mjs'))) as {
          handler: (event: { lst: string; statuses: number[] }) => { decoded: number[]; encoded: string };
        };
        const answer = handler({ lst: new StatusList(statuses, 1).compressStatusList(), statuses });
        expect(answer.decoded).toEqual(statuses);
        const roundTrip = StatusList.decompressStatusList(answer.encoded, 1);
        expect(statuses.map((_, index) => roundTrip.getStatus(index))).toEqual(statuses);
      } finally {
        rmSync(aliasOut, { recursive: true, force: true });
      }
    });
  });
});
