import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { AUTH_CHALLENGE_TABLE_ACTIONS, NATIVE_CLIENT_NAME } from '#lib/constructs/identity';
import {
  NATIVE_API_COGNITO_ACTIONS,
  NATIVE_API_TABLE_ACTIONS,
  NativeAccounts,
} from '#lib/constructs/native-accounts';
import { Notifications } from '#lib/constructs/notifications';
import {
  actionsOf,
  buildInfra,
  leadingKeysOf,
  logicalIdOf,
  statementsOfRole,
  tableStatementsOf,
} from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

function synthNativeFixture() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: testAppOutdir() });
  const stack = new Stack(app, 'NativeFixture', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tableKey = new Key(stack, 'TableKey', {
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const table = new TableV2(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(tableKey),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const userPool = new UserPool(stack, 'UserPool', { removalPolicy: RemovalPolicy.DESTROY });
  const notifications = new Notifications(stack, 'Notifications', {
    senderAddress: 'no-reply@eid-access.example.be',
    templatePrefix: 'eid-access-test',
  });
  const native = new NativeAccounts(stack, 'NativeAccounts', {
    userPool,
    table,
    tableKey,
    notifications,
    logRetention: RetentionDays.ONE_YEAR,
  });
  return { template: Template.fromStack(stack), native, userPool, table };
}

describe('NativeAccounts', () => {
  const fixture = synthNativeFixture();
  const statements = statementsOfRole(fixture.template, logicalIdOf(fixture.native.apiFunction.role));

  it('grants AdminCreateUser and AdminDeleteUser on the one user pool only', () => {
    const cognito = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('cognito-idp:')));

    expect(cognito).toHaveLength(1);
    expect(actionsOf(cognito).sort()).toEqual([...NATIVE_API_COGNITO_ACTIONS].sort());
    expect(cognito[0]?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(fixture.userPool), 'Arn'] });
  });

  it('grants only the table actions the use cases need', () => {
    const dynamo = actionsOf(tableStatementsOf(statements).table);

    expect(dynamo.sort()).toEqual(NATIVE_API_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort());
  });

  it('queries only GSI1 (pending accounts) and GSI2 (birth dates) besides the table itself', () => {
    const { indexes } = tableStatementsOf(statements);

    expect(Object.keys(indexes).sort()).toEqual(['GSI1', 'GSI2']);
    expect(indexes.GSI1?.map(leadingKeysOf)).toEqual([['OFFICE_PENDING#*']]);
    expect(indexes.GSI2?.map(leadingKeysOf)).toEqual([['BORN#*']]);
  });

  it('passes the pool, the password validity and the mailer settings to the function', () => {
    fixture.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          USER_POOL_ID: { Ref: logicalIdOf(fixture.userPool) },
          TEMP_PASSWORD_VALIDITY_DAYS: '7',
          MAIL_TEMPLATE_PREFIX: 'eid-access-test',
        }),
      },
    });
  });

  it('serves the registration-office and own-card routes', () => {
    expect(fixture.native.routes.map((r) => `${r.definition.method} ${r.definition.resource}`)).toEqual([
      'POST /registration-office/accounts',
      'GET /registration-office/pending-accounts',
      'POST /registration-office/pending-accounts/{pendingId}/confirmation',
      'POST /registration-office/accounts/{personId}/code-card',
      'POST /me/code-card',
      'GET /me/second-factors',
    ]);
  });
});

describe('Identity for native accounts (dev)', () => {
  const infra = buildInfra('dev');
  const template = infra.accessTemplate;
  const { identity } = infra.access;

  it('offers optional TOTP MFA and no SMS by default', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, TemporaryPasswordValidityDays: 7 }) },
    });
  });

  it('creates the registration-officers group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'registration-officers' });
  });

  it('wires the three custom-auth triggers', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: Match.objectLike({
        DefineAuthChallenge: { 'Fn::GetAtt': [logicalIdOf(identity.defineAuthChallenge.function), 'Arn'] },
        CreateAuthChallenge: { 'Fn::GetAtt': [logicalIdOf(identity.createAuthChallenge.function), 'Arn'] },
        VerifyAuthChallengeResponse: {
          'Fn::GetAtt': [logicalIdOf(identity.verifyAuthChallenge.function), 'Arn'],
        },
      }),
    });
  });

  it('gives define no table access and create/verify only GetItem and UpdateItem', () => {
    const actionsOfFn = (fn: typeof identity.defineAuthChallenge) =>
      actionsOf(statementsOfRole(template, logicalIdOf(fn.role))).filter((a) => a.startsWith('dynamodb:'));

    expect(actionsOfFn(identity.defineAuthChallenge)).toEqual([]);
    for (const fn of [identity.createAuthChallenge, identity.verifyAuthChallenge]) {
      expect(actionsOfFn(fn).sort()).toEqual(AUTH_CHALLENGE_TABLE_ACTIONS.map((a) => `dynamodb:${a}`).sort());
    }
  });

  it('lets only the native client use CUSTOM_AUTH and no client use USER_SRP_AUTH', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients.map((client) => client.Properties.ClientName)).toContain(NATIVE_CLIENT_NAME);
    for (const client of clients) {
      const flows = client.Properties.ExplicitAuthFlows as string[];
      expect(flows).not.toContain('ALLOW_USER_SRP_AUTH');
      expect(flows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
      expect(flows.includes('ALLOW_CUSTOM_AUTH')).toBe(client.Properties.ClientName === NATIVE_CLIENT_NAME);
      expect(client.Properties.PreventUserExistenceErrors).toBe('ENABLED');
    }
  });
});
