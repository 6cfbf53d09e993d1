import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIVE_CLIENT_NAME } from '#lib/constructs/identity';
import {
  FUNCTION_ENTRIES,
  localBucketName,
  localStateMachineArn,
  mergeEnvironments,
  resolveEnvironmentValue,
  SANDBOX_POOL_ID,
} from '#local/server/functions';
import { planFromTemplates } from '#local/server/plan';
import { functionPolicies } from '#local/server/runtime';
import { type CfnTemplate, PROJECT_ROOT, synthesizeStage } from '#local/server/template';

const dev = synthesizeStage('dev');
const plan = planFromTemplates(dev.accessTemplate, dev.dataTemplate, 'local-table');

describe('planFromTemplates (dev stage)', () => {
  it('resolves the template environment to local values when references point at the table, the state machine and SES', () => {
    expect(plan.environment).toMatchObject({
      TABLE_NAME: 'local-table',
      BIS_STATE_MACHINE_ARN: localStateMachineArn(
        plan.stateMachines.find((machine) => machine.logicalId.startsWith('BisWorkflow'))?.logicalId ?? '',
      ),
      BIS_AGENTS_EMAIL: 'bis-agents@dev.eid-access.example',
      MAIL_TEMPLATE_PREFIX: 'eidaccess-dev',
      REFUSED_NATIONALITIES: 'FR,GB',
      MINIMUM_EIDAS_LOA: 'substantial',
      ALLOWED_ORIGINS: 'http://localhost:3000',
    });
    expect(plan.environment.MAIL_CONFIGURATION_SET).toMatch(/^NotificationsConfigurationSet/);
    expect(plan.environment).not.toHaveProperty('NODE_OPTIONS');
    expect(plan.environment).not.toHaveProperty('POWERTOOLS_SERVICE_NAME');
  });

  it('keeps each function its own service name when the contexts differ', () => {
    const names = Object.fromEntries(
      plan.functions.map((fn) => [fn.constructPath, fn.perFunction.POWERTOOLS_SERVICE_NAME]),
    );

    expect(names).toMatchObject({ 'Bis/Api/Function': 'bis', 'IdentityApi/Function/Function': 'identity' });
  });

  it('wires the triggers, the workflow tasks and the app client from the template when it is synthesized', () => {
    const byId = new Map(plan.functions.map((fn) => [fn.logicalId, fn.constructPath]));

    expect(byId.get(plan.triggers.preSignUp ?? '')).toBe('Identity/PreSignUp/Function');
    expect(byId.get(plan.triggers.preTokenGeneration ?? '')).toBe('Identity/PreTokenGeneration/Function');
    const bis = plan.stateMachines.find((machine) => machine.logicalId.startsWith('BisWorkflow'));
    expect(bis?.taskFunctions.map((id) => byId.get(id))).toEqual(['Bis/WorkflowTask/Function']);
    expect(byId.get(plan.triggers.defineAuthChallenge ?? '')).toBe('Identity/DefineAuthChallenge/Function');
    expect(byId.get(plan.triggers.createAuthChallenge ?? '')).toBe('Identity/CreateAuthChallenge/Function');
    expect(byId.get(plan.triggers.verifyAuthChallengeResponse ?? '')).toBe(
      'Identity/VerifyAuthChallenge/Function',
    );
    expect(plan.clients[0]).toMatchObject({
      name: 'portal',
      idTokenValiditySeconds: 900,
      explicitAuthFlows: [],
      allowedScopes: expect.arrayContaining(['openid', 'eid-access/api']),
      refreshTokenRotation: { retryGracePeriodSeconds: 10 },
      preventUserExistenceErrors: true,
    });
    expect(plan.clients[0]?.writeAttributes).toBeUndefined();
    expect(plan.clients.find((client) => client.name === NATIVE_CLIENT_NAME)).toMatchObject({
      clientId: `sandbox-${NATIVE_CLIENT_NAME}`,
      explicitAuthFlows: ['ALLOW_CUSTOM_AUTH'],
      refreshTokenRotation: { retryGracePeriodSeconds: 10 },
      writeAttributes: ['locale'],
      supportedIdentityProviders: ['COGNITO'],
      preventUserExistenceErrors: true,
    });
    expect(plan.groups.sort()).toEqual(['bis-agents', 'registration-officers', 'security-officers']);
  });

  it('runs the native-user settings and the registration office on the local pool when the template has them', () => {
    const byId = new Map(plan.functions.map((fn) => [fn.logicalId, fn.constructPath]));

    expect(plan.pool).toEqual({
      mfaConfiguration: 'OPTIONAL',
      passwordPolicy: expect.objectContaining({ temporaryPasswordValidityDays: 7 }),
    });
    expect([...byId.values()]).toContain('NativeAccounts/Function/Function');
    expect(plan.environment.USER_POOL_ID).toBe(SANDBOX_POOL_ID);
    expect(plan.environment.TEMP_PASSWORD_VALIDITY_DAYS).toBe('7');
  });

  it('resolves the upload bucket and its key to local names when the organisations functions reference the data stack', () => {
    const bucket = plan.buckets.find((candidate) => candidate.logicalId.startsWith('UploadBucket'));

    expect(bucket?.name).toBe(localBucketName(bucket?.logicalId ?? ''));
    expect(bucket?.name).toMatch(/^[a-z0-9][a-z0-9-]{2,62}$/);
    expect(plan.environment.UPLOAD_BUCKET_NAME).toBe(bucket?.name);
    expect(plan.environment.UPLOAD_KEY_ARN).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\/TableKey/);
    expect(bucket?.cors[0]).toMatchObject({
      allowedOrigins: ['http://localhost:3000'],
      allowedMethods: ['PUT', 'GET'],
    });
  });

  it('runs the daily grant expiry from the template when the rights construct schedules it', () => {
    const byId = new Map(plan.functions.map((fn) => [fn.logicalId, fn.constructPath]));

    const grantExpiry = plan.schedules.find((schedule) => schedule.name === 'grant-expiry');
    expect(grantExpiry).toEqual(
      expect.objectContaining({
        name: 'grant-expiry',
        expression: 'cron(0 3 * * ? *)',
        timezone: 'Etc/UTC',
        state: 'ENABLED',
        input: { at: '<aws.scheduler.scheduled-time>' },
        targetFunction: undefined,
      }),
    );
    const machine = plan.stateMachines.find((m) => m.logicalId === grantExpiry?.targetStateMachine);
    expect(machine?.taskFunctions.map((id) => byId.get(id))).toEqual(['Rights/GrantExpiry/Function']);
  });

  it('runs the daily legal-representative check from the template (job representative-check)', () => {
    const byId = new Map(plan.functions.map((fn) => [fn.logicalId, fn.constructPath]));

    const check = plan.schedules.find((schedule) => schedule.name === 'representative-check');
    expect(check).toMatchObject({ expression: 'cron(30 4 * * ? *)', state: 'ENABLED', input: {} });
    expect(byId.get(check?.targetFunction ?? '')).toBe('Organisations/RepresentativeCheck/Function');
  });

  it('runs the identity notices every minute from the template (job identity-notices)', () => {
    const byId = new Map(plan.functions.map((fn) => [fn.logicalId, fn.constructPath]));

    expect(plan.schedules.map((schedule) => schedule.name).sort()).toEqual([
      'grant-expiry',
      'identity-notices',
      'representative-check',
    ]);
    const notices = plan.schedules.find((schedule) => schedule.name === 'identity-notices');
    expect(notices).toMatchObject({ expression: 'rate(1 minute)', state: 'ENABLED' });
    expect(byId.get(notices?.targetFunction ?? '')).toBe('IdentityApi/Notices/Function');
  });

  it('loads every function of the organisations and rights contexts when the template wires them', () => {
    const paths = plan.functions.map((fn) => fn.constructPath);

    expect(paths).toEqual(
      expect.arrayContaining([
        'Organisations/Api/Function',
        'Organisations/Registrations/Function',
        'Organisations/WorkflowTask/Function',
        'Rights/Api/Function',
        'Rights/WorkflowTask/Function',
        'Rights/GrantExpiry/Function',
      ]),
    );
  });

  it('lists entry modules that exist when FUNCTION_ENTRIES names them', () => {
    for (const entry of Object.values(FUNCTION_ENTRIES))
      expect(existsSync(`${PROJECT_ROOT}/${entry}`)).toBe(true);
  });

  it('refuses to start when a function it must run has no entry module', () => {
    const template = structuredClone(dev.accessTemplate) as CfnTemplate;
    const bisApi = Object.values(template.Resources ?? {}).find(
      (resource) => resource.Metadata?.['aws:cdk:path'] === 'eid-access-dev-access/Bis/Api/Function/Resource',
    );
    (bisApi?.Metadata as Record<string, unknown>)['aws:cdk:path'] =
      'eid-access-dev-access/Bis/Renamed/Resource';

    expect(() => planFromTemplates(template, dev.dataTemplate, 't')).toThrow(
      /entry module of Bis\/Renamed.*FUNCTION_ENTRIES/,
    );
  });
});

describe('mergeEnvironments', () => {
  it('fails naming the variable and both functions when two functions need different values', () => {
    expect(() =>
      mergeEnvironments([
        { logicalId: 'ApiA', variables: { STATE_MACHINE_ARN: 'arn:a', TABLE_NAME: 't' } },
        { logicalId: 'ApiB', variables: { STATE_MACHINE_ARN: 'arn:b', TABLE_NAME: 't' } },
      ]),
    ).toThrow(/STATE_MACHINE_ARN differs between ApiA \("arn:a"\) and ApiB \("arn:b"\)/);
  });

  it('merges equal values and skips the service name when functions agree otherwise', () => {
    expect(
      mergeEnvironments([
        { logicalId: 'A', variables: { TABLE_NAME: 't', POWERTOOLS_SERVICE_NAME: 'identity' } },
        { logicalId: 'B', variables: { TABLE_NAME: 't', POWERTOOLS_SERVICE_NAME: 'bis', X: '1' } },
      ]),
    ).toEqual({ TABLE_NAME: 't', X: '1' });
  });
});

describe('resolveEnvironmentValue', () => {
  it('fails loudly when the value is an intrinsic the sandbox does not know', () => {
    expect(() =>
      resolveEnvironmentValue({ 'Fn::Select': [0, ['a']] }, { Resources: {} }, { tableName: 't' }),
    ).toThrow(/cannot resolve/);
  });

  it('joins resolved parts when the value is an Fn::Join', () => {
    expect(
      resolveEnvironmentValue(
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x:', { Ref: 'T' }]] },
        { Resources: { T: { Type: 'AWS::DynamoDB::Table' } } },
        { tableName: 'local' },
      ),
    ).toBe('arn:aws:x:local');
  });
});

describe('the sandbox IAM check on the planned functions (dev stage)', () => {
  const authorize = functionPolicies(plan);
  const idOf = (path: string) => {
    const fn = plan.functions.find((candidate) => candidate.constructPath === `${path}/Function`);
    if (!fn) throw new Error(`no planned function ${path}`);
    return fn.logicalId;
  };
  const get = (pk: string) => ({ TableName: 'local-table', Key: { PK: { S: pk }, SK: { S: 'X' } } });

  it('plans every table function with its resolved DynamoDB statements, each limited by LeadingKeys', () => {
    const withTable = plan.functions.filter((fn) => fn.dynamoDbStatements.length > 0);

    expect(withTable.length).toBeGreaterThanOrEqual(13);
    for (const fn of withTable) {
      for (const statement of fn.dynamoDbStatements) {
        expect(JSON.stringify(statement.Resource), fn.constructPath).toContain(
          'arn:aws:dynamodb:eu-west-1:123456789012:table/local-table',
        );
        expect(
          statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
          fn.constructPath,
        ).toBeDefined();
      }
    }
  });

  it('lets the pre token generation trigger read a person but not a right request, against its own policy', () => {
    const trigger = idOf('Identity/PreTokenGeneration');

    expect(authorize(trigger, 'GetItem', get('PERSON#p1'))).toBeUndefined();
    expect(authorize(trigger, 'GetItem', get('RIGHT_REQUEST#r1'))).toMatch(
      /not authorized to perform: dynamodb:GetItem/,
    );
    // The rights API holds that partition: the check is per function, not per table.
    expect(authorize(idOf('Rights/Api'), 'GetItem', get('RIGHT_REQUEST#r1'))).toBeUndefined();
  });

  it('refuses a call made in the sandbox outside any invocation', () => {
    expect(authorize(undefined, 'GetItem', get('PERSON#p1'))).toMatch(/cannot tell which function/);
  });
});
