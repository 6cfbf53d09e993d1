import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extend } from 'zod/mini';
import { Api, GATEWAY_PROBLEMS, requiredParameters } from '#lib/constructs/api';
import {
  IDENTITY_API_TABLE_ACCESS,
  IDENTITY_API_TABLE_ACTIONS,
  IdentityApi,
} from '#lib/constructs/identity-api';
import { API_SCOPE } from '#shared/http/api-scope';
import { paginationQuerySchema } from '#shared/http/pagination';
import {
  actionsOf,
  cdkJsonContext,
  leadingKeysOf,
  logicalIdOf,
  statementsOfRole,
  type TemplateStatement,
  tableStatementsOf,
} from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

const ORIGINS = ['https://portal.example.be', 'http://127.0.0.1:3000'];

/** A small stack with the API and the identity API function, built without bundling. */
function build(options: { origins?: string[] } = {}) {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    outdir: testAppOutdir(),
  });
  const stack = new Stack(app, 'ApiTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tableKey = new Key(stack, 'Key', { enableKeyRotation: true });
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: tableKey,
  });
  const userPool = new UserPool(stack, 'UserPool');
  const api = new Api(stack, 'Api', {
    userPool,
    authorizationScopes: [API_SCOPE],
    allowedOrigins: options.origins ?? ORIGINS,
    throttling: { rateLimit: 50, burstLimit: 100 },
    logRetention: RetentionDays.THREE_MONTHS,
  });
  const identityApi = new IdentityApi(stack, 'IdentityApi', {
    table,
    tableKey,
    logRetention: RetentionDays.THREE_MONTHS,
    api,
  });
  return { app, stack, api, identityApi, table, userPool, template: Template.fromStack(stack) };
}

const built = build();
const { template } = built;
const methods = () => Object.values(template.findResources('AWS::ApiGateway::Method'));
const routeMethods = () => methods().filter((method) => method.Properties.HttpMethod !== 'OPTIONS');

describe('Api', () => {
  it('creates a regional REST API named after its stack when synthesized', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      // Metrics and alarms are keyed by API name: two stages in one account must not share one.
      Name: 'ApiTest',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('creates GET /me, POST /me/insz and the other identity routes from the route definitions', () => {
    expect(
      routeMethods()
        .map((method) => method.Properties.HttpMethod)
        .sort(),
    ).toEqual(['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'PUT']);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'insz' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      OperationName: 'linkNationalNumber',
    });
  });

  it('puts every route method behind the Cognito authorizer with the API scope and the request validator', () => {
    const authorizerId = logicalIdOf(built.api.authorizer);
    const validatorId = logicalIdOf(built.api.requestValidator);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf(built.userPool), 'Arn'] }],
    });
    expect(routeMethods()).toHaveLength(built.identityApi.routes.length);
    for (const method of routeMethods()) {
      expect(method.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(method.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      // With a scope, API Gateway takes access tokens carrying it and answers ID tokens with 401.
      expect(method.Properties.AuthorizationScopes).toEqual(['eid-access/api']);
      expect(method.Properties.RequestValidatorId).toEqual({ Ref: validatorId });
      expect(method.Properties.RequestParameters).toMatchObject({
        'method.request.header.Authorization': true,
      });
    }
  });

  it('refuses to be built without authorization scopes (ID tokens would then be accepted)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: testAppOutdir() });
    const stack = new Stack(app, 'NoScopes');
    expect(
      () =>
        new Api(stack, 'Api', {
          userPool: new UserPool(stack, 'UserPool'),
          authorizationScopes: [],
          allowedOrigins: ORIGINS,
          throttling: { rateLimit: 50, burstLimit: 100 },
          logRetention: RetentionDays.THREE_MONTHS,
        }),
    ).toThrow(/authorizationScopes/);
  });

  it('validates request parameters but attaches no body models when synthesized', () => {
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestParameters: true,
    });
    for (const method of routeMethods()) expect(method.Properties.RequestModels).toBeUndefined();
  });

  it('logs access as JSON without tokens to an explicit log group with retention', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const setting = stage?.Properties.AccessLogSetting as { DestinationArn: unknown; Format: string };
    expect(JSON.stringify(setting.DestinationArn)).toContain(
      `{"Ref":"${logicalIdOf(built.api.accessLogGroup)}"}`,
    );
    const format = JSON.parse(setting.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      sub: '$context.authorizer.claims.sub',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(setting.Format).not.toMatch(/header|Authorization|insz|\$context\.path/i);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('enables tracing, execution metrics, ERROR execution logs and stage throttling', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          MetricsEnabled: true,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ]),
    });
  });

  it('pre-creates the execution log group with retention and leaves the account logging setting alone by default', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: logicalIdOf(built.api.restApi) }, '/v1']],
      },
      RetentionInDays: 90,
    });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('answers CORS preflight for the configured origins only', () => {
    const options = methods().filter((method) => method.Properties.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThan(0);
    for (const method of options) {
      const templates = JSON.stringify(method.Properties.Integration.RequestTemplates ?? {});
      const responses = JSON.stringify(method.Properties.Integration.IntegrationResponses);
      for (const origin of ORIGINS) expect(`${templates}${responses}`).toContain(origin);
      expect(responses).not.toContain("'*'");
      // The portal sends its token, JSON, retry keys and correlation ids.
      expect(responses).toContain("'Authorization,Content-Type,Idempotency-Key,X-Correlation-Id'");
    }
  });

  it('answers preflight exactly on the resources that carry a route, not on intermediate paths', () => {
    const resourceOf = (method: Record<string, { ResourceId?: unknown }>) =>
      JSON.stringify(method.Properties?.ResourceId);
    const withRoute = new Set(routeMethods().map(resourceOf));
    const withPreflight = new Set(
      methods()
        .filter((method) => method.Properties.HttpMethod === 'OPTIONS')
        .map(resourceOf),
    );

    expect([...withPreflight].sort()).toEqual([...withRoute].sort());
  });

  it('renders every gateway response as problem+json with CORS and security headers', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((response) => response.Properties.ResponseType).sort();
    expect(types).toEqual(
      expect.arrayContaining([
        'ACCESS_DENIED',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'REQUEST_TOO_LARGE',
        'THROTTLED',
        'UNAUTHORIZED',
      ]),
    );
    expect(types).toHaveLength(GATEWAY_PROBLEMS.length);
    for (const response of responses) {
      const { ResponseParameters, ResponseTemplates, StatusCode } = response.Properties;
      expect(ResponseParameters).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
      const problem = JSON.parse(ResponseTemplates['application/json']) as Record<string, unknown>;
      expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
      expect(String(problem.status)).toBe(StatusCode);
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: {
        'application/json': Match.stringLikeRegexp('urn:eid-access:problem:unauthenticated'),
      },
    });
  });

  it('sets the single allowed origin on gateway responses when only one portal is configured', () => {
    const single = build({ origins: ['https://portal.example.be'] });

    single.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://portal.example.be'",
      }),
    });
  });

  it('grants API Gateway one invoke permission per function, scoped to the API', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalIdOf(built.identityApi.apiFunction.function), 'Arn'] },
    });
    expect(JSON.stringify(permissions[0]?.Properties.SourceArn)).toContain(logicalIdOf(built.api.restApi));
  });

  it('associates a WAF web ACL with the stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('limits authenticated traffic per bearer token, so colleagues behind one NAT address do not share a budget', () => {
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]?.Properties as {
      Rules: {
        Name: string;
        Action?: unknown;
        Statement: { RateBasedStatement?: Record<string, unknown> };
      }[];
    };
    const rule = (name: string) => acl.Rules.find((r) => r.Name === name)?.Statement.RateBasedStatement;
    // The capacity plan's office: 500 people behind one address, 2 API requests a minute each.
    const officePerFiveMinutes = 500 * 2 * 5;

    expect(rule('RateLimitPerToken')).toEqual({
      Limit: 1000,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [
        { Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } },
      ],
    });
    expect(rule('RateLimitPerIp')).toMatchObject({
      Limit: 1000,
      AggregateKeyType: 'IP',
      ScopeDownStatement: {
        NotStatement: {
          Statement: {
            SizeConstraintStatement: {
              FieldToMatch: { SingleHeader: { Name: 'authorization' } },
              ComparisonOperator: 'GT',
              Size: 0,
            },
          },
        },
      },
    });
    expect(rule('RateLimitPerAddress')).toEqual({ Limit: 50_000, AggregateKeyType: 'IP' });
    expect(officePerFiveMinutes).toBeGreaterThan(1000);
    expect(rule('RateLimitPerAddress')?.Limit as number).toBeGreaterThan(officePerFiveMinutes);
    for (const name of ['RateLimitPerToken', 'RateLimitPerIp', 'RateLimitPerAddress']) {
      expect(acl.Rules.find((r) => r.Name === name)?.Action).toEqual({ Block: {} });
    }
  });

  it('gives the API functions the allowed origins', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALLOWED_ORIGINS: ORIGINS.join(',') }) },
    });
  });

  it('refuses a wildcard origin', () => {
    expect(() => build({ origins: ['*'] })).toThrow(/allowedOrigins/);
  });
});

describe('requiredParameters', () => {
  it('requires every path parameter and the query parameters the schema requires', () => {
    const query = extend(paginationQuerySchema, { status: z.enum(['PENDING', 'APPROVED']) });

    expect(requiredParameters('/organisations/{orgCode}/right-requests/{requestId}', query)).toEqual({
      'method.request.path.orgCode': true,
      'method.request.path.requestId': true,
      'method.request.querystring.status': true,
    });
    expect(requiredParameters('/me', undefined)).toEqual({});
  });
});

describe('IdentityApi', () => {
  it('grants exactly the table actions the identity routes use', () => {
    const statements = statementsOfRole(template, logicalIdOf(built.identityApi.apiFunction.role));
    const { table, indexes } = tableStatementsOf(statements);
    const dynamo = actionsOf(table);

    expect(dynamo.sort()).toEqual(IDENTITY_API_TABLE_ACTIONS.map((action) => `dynamodb:${action}`).sort());
    expect(dynamo).not.toContain('dynamodb:Scan');
    expect(leadingKeysOf(table[0] as TemplateStatement)).toEqual(
      [...IDENTITY_API_TABLE_ACCESS.partitions].sort(),
    );
    expect(Object.keys(indexes)).toEqual(['GSI1']);
    expect(actionsOf(indexes.GSI1 ?? [])).toEqual(['dynamodb:Query']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: logicalIdOf(built.table) } }) },
    });
  });

  it('exposes the identity routes for the API', () => {
    expect(
      built.identityApi.routes.map((route) => `${route.definition.method} ${route.definition.resource}`),
    ).toEqual([
      'GET /me',
      'PUT /me/capacity',
      'GET /me/activity',
      'POST /me/insz',
      'POST /me/connections',
      'GET /me/connections/{connectionId}',
      'POST /me/connections/{connectionId}',
      'GET /security/identity-cases',
      'POST /security/identity-cases/{caseId}/resolution',
    ]);
  });

  it('queries only GSI1, by name, besides the table', () => {
    const statements = statementsOfRole(template, logicalIdOf(built.identityApi.apiFunction.role));
    const resources = JSON.stringify(
      statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:'))),
    );

    expect(resources).toContain('/index/GSI1');
    expect(resources).not.toContain('/index/GSI2');
    expect(resources).not.toContain('index/*');
  });

  it('creates no notices sender without notifications', () => {
    expect(built.identityApi.noticesFunction).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('cdk-nag AwsSolutions on the API', () => {
  it('reports no finding on the API and identity API resources when the stack is checked', () => {
    const report = new AwsSolutionsChecks().validateScope(built.stack);
    const ours = report.violations.filter((violation) =>
      violation.violatingResources.some((resource) =>
        /^ApiTest\/(Api|IdentityApi)\//.test(resource.constructPath ?? ''),
      ),
    );

    expect(report.violations.length, 'the checks ran (the bare test table is not compliant)').toBeGreaterThan(
      0,
    );
    expect(ours.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`)).toEqual(
      [],
    );
  });
});
