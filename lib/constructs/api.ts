import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CfnAccount,
  CognitoUserPoolsAuthorizer,
  type CorsOptions,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ALLOWED_REQUEST_HEADERS } from '#shared/http/cors';
import { type RouteHandler, requestJsonSchema } from '#shared/http/handler';
import { BASE_RESPONSE_HEADERS, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '#shared/http/problem';
import { acknowledgeHealthcarePacks } from '../compliance.ts';

/** Stage-wide request throttling (token bucket), applied to every method. */
export interface ApiThrottling {
  /** Steady-state requests per second across all callers. */
  readonly rateLimit: number;
  /** Requests that may arrive at once above the steady rate. */
  readonly burstLimit: number;
}

/** Properties of the {@link Api} construct. */
export interface ApiProps {
  /** The user pool whose access tokens the API accepts. */
  readonly userPool: IUserPool;
  /**
   * OAuth scopes every method's Cognito authorizer requires (`eid-access/api`). With scopes, API
   * Gateway takes access tokens that carry one of them and answers ID tokens with 401.
   */
  readonly authorizationScopes: readonly string[];
  /**
   * Browser origins of the portals (`https://portal.example.be`); preflight and CORS headers are
   * answered for these only. Empty: no CORS at all (server-to-server use).
   */
  readonly allowedOrigins: readonly string[];
  readonly throttling: ApiThrottling;
  /** Retention of the access and execution log groups. */
  readonly logRetention: RetentionDays;
  /**
   * Removal policy of the log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Name of the deployment stage, the first path segment of every URL.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Requests **without** an `Authorization` header per IP address and 5 minutes above which the web
   * ACL blocks that address (unauthenticated traffic has nothing better to key on).
   * @default 1000
   */
  readonly wafRateLimitPerIp?: number;
  /**
   * Requests per bearer token (`Authorization` header) and 5 minutes above which the web ACL blocks
   * that token. Authenticated traffic is limited per person, so colleagues behind one NAT address do
   * not share a budget.
   * @default 1000
   */
  readonly wafRateLimitPerToken?: number;
  /**
   * Requests per IP address and 5 minutes, every request counted, above which the web ACL blocks
   * the address: a backstop against a client that rotates tokens, sized so that an organisation of
   * thousands of people behind one NAT address stays under it (docs/operations.md, capacity plan).
   * @default 50000
   */
  readonly wafRateLimitPerAddress?: number;
  /**
   * Own the region's API Gateway account logging setting (`AWS::ApiGateway::Account`, one per
   * account and region) with a role that may write to the log groups of every stage of the app in
   * the account (`API-Gateway-Execution-Logs_*` and `/aws/apigateway/eid-access/*`). Both are
   * retained when the stack is deleted, so deleting one stage never breaks another's logging. Turn
   * on in one stage per account and region at most; leave off where a landing zone sets it.
   * @default false
   */
  readonly manageAccountLoggingRole?: boolean;
}

/** Name prefix of the access log groups, covered by the account logging role of any stage. */
export const ACCESS_LOG_GROUP_PREFIX = '/aws/apigateway/eid-access/';

/**
 * What the problem+json of a gateway response says: API Gateway itself answers these (no token,
 * throttled, body too large, unknown route…) before any Lambda runs, and they must look like the
 * problems our functions render (`lambdas/shared/http/problem.ts`).
 */
interface GatewayProblem {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  /** The stable machine code, as our functions' problems carry (ARCHITECTURE.md section 3). */
  readonly code: string;
  readonly detail: string;
}

const INTERNAL_DETAIL = 'Something went wrong on our side. Please try again later.';

/** The gateway responses the API renders as problems, by response type. */
export const GATEWAY_PROBLEMS: readonly (readonly [ResponseType, GatewayProblem])[] = [
  [
    ResponseType.UNAUTHORIZED,
    {
      status: 401,
      type: PROBLEM_TYPES.unauthenticated,
      title: 'Not authenticated',
      code: 'unauthenticated',
      detail: 'Sign in to use this service.',
    },
  ],
  [
    ResponseType.EXPIRED_TOKEN,
    {
      status: 401,
      type: PROBLEM_TYPES.unauthenticated,
      title: 'Not authenticated',
      code: 'session-expired',
      detail: 'Your session has expired. Please sign in again.',
    },
  ],
  [
    ResponseType.INVALID_SIGNATURE,
    {
      status: 401,
      type: PROBLEM_TYPES.unauthenticated,
      title: 'Not authenticated',
      code: 'unauthenticated',
      detail: 'Your session is not valid. Please sign in again.',
    },
  ],
  [
    ResponseType.ACCESS_DENIED,
    {
      status: 403,
      type: PROBLEM_TYPES.forbidden,
      title: 'Not allowed',
      code: 'forbidden',
      detail: 'You are not allowed to do this.',
    },
  ],
  [
    ResponseType.WAF_FILTERED,
    {
      status: 403,
      type: PROBLEM_TYPES.forbidden,
      title: 'Not allowed',
      code: 'request-blocked',
      detail: 'This request was blocked. If you think this is a mistake, please contact the helpdesk.',
    },
  ],
  // API Gateway answers an unknown method or path with "missing authentication token".
  [
    ResponseType.MISSING_AUTHENTICATION_TOKEN,
    {
      status: 404,
      type: PROBLEM_TYPES.notFound,
      title: 'Not found',
      code: 'not-found',
      detail: 'There is no such resource.',
    },
  ],
  [
    ResponseType.RESOURCE_NOT_FOUND,
    {
      status: 404,
      type: PROBLEM_TYPES.notFound,
      title: 'Not found',
      code: 'not-found',
      detail: 'There is no such resource.',
    },
  ],
  [
    ResponseType.BAD_REQUEST_PARAMETERS,
    {
      status: 400,
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      code: 'invalid-request',
      detail: 'A required parameter is missing.',
    },
  ],
  [
    ResponseType.BAD_REQUEST_BODY,
    {
      status: 400,
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      code: 'invalid-request',
      detail: 'The request body is not valid.',
    },
  ],
  [
    ResponseType.REQUEST_TOO_LARGE,
    {
      status: 413,
      type: PROBLEM_TYPES.payloadTooLarge,
      title: 'Payload too large',
      code: 'payload-too-large',
      detail: 'The request is too large.',
    },
  ],
  [
    ResponseType.UNSUPPORTED_MEDIA_TYPE,
    {
      status: 415,
      type: PROBLEM_TYPES.unsupportedMediaType,
      title: 'Unsupported media type',
      code: 'unsupported-media-type',
      detail: 'Send the request body as application/json (UTF-8).',
    },
  ],
  [
    ResponseType.THROTTLED,
    {
      status: 429,
      type: PROBLEM_TYPES.tooManyRequests,
      title: 'Too many requests',
      code: 'too-many-requests',
      detail: 'The service is busy. Please wait a moment and try again.',
    },
  ],
  [
    ResponseType.QUOTA_EXCEEDED,
    {
      status: 429,
      type: PROBLEM_TYPES.tooManyRequests,
      title: 'Too many requests',
      code: 'too-many-requests',
      detail: 'Too many requests. Please try again later.',
    },
  ],
  [
    ResponseType.DEFAULT_4XX,
    {
      status: 400,
      type: 'about:blank',
      title: 'Bad request',
      code: 'bad-request',
      detail: 'The request was refused.',
    },
  ],
  [
    ResponseType.INTEGRATION_TIMEOUT,
    {
      status: 504,
      type: PROBLEM_TYPES.internal,
      title: 'Internal error',
      code: 'internal',
      detail: INTERNAL_DETAIL,
    },
  ],
  [
    ResponseType.DEFAULT_5XX,
    {
      status: 500,
      type: PROBLEM_TYPES.internal,
      title: 'Internal error',
      code: 'internal',
      detail: INTERNAL_DETAIL,
    },
  ],
];

/**
 * The access log line (JSON, one per request): who (source IP, Cognito `sub`, our `person_id`), what
 * (method, resource template — never the concrete path or query, which can carry identifiers), the
 * outcome and the timings. No header is logged, so no token ever is.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  sub: '$context.authorizer.claims.sub',
  personId: '$context.authorizer.claims.person_id',
  httpMethod: '$context.httpMethod',
  resource: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
};

/**
 * The platform's REST API (ARCHITECTURE.md section 3): regional, every method behind the Cognito
 * user pool authorizer, a WAF web ACL, access logs to an explicit log group, execution logs at
 * ERROR, X-Ray, stage throttling, CORS for the portals only, and problem+json gateway responses.
 *
 * Bounded contexts add their routes with {@link Api.addRoutes}: one Lambda per context, methods
 * created from the same route definitions the Lambda dispatches on and the OpenAPI document lists.
 *
 * Tokens: every method requires the authorization scopes (`eid-access/api`), so API Gateway accepts
 * **access tokens** that carry the scope and refuses ID tokens (401). The pre-token-generation
 * trigger puts `person_id`, `loa`, `idp`, `roles` and `admin_of` in the access token (and adds the
 * scope to native sign-ins, which have no OAuth scopes); `insz` is in the ID token only, so routes
 * read the INSZ from the profile, never from a claim.
 *
 * Validation: the request validator checks required path and query parameters (from the routes'
 * zod schemas). Bodies are validated in the Lambda with zod and no request models are attached, so
 * the body flag of the validator has nothing to check: errors then carry field paths
 * (`errors[].path`), the schemas exist once, and the local sandbox (which has no API Gateway)
 * behaves exactly as deployed.
 */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  /** The scopes every method requires. */
  readonly authorizationScopes: readonly string[];
  readonly requestValidator: RequestValidator;
  readonly accessLogGroup: LogGroup;
  /** The stage's execution log group, created before API Gateway would create it without retention. */
  readonly executionLogGroup: LogGroup;
  readonly webAcl: CfnWebACL;
  /** The web ACL's request log (`aws-waf-logs-*`, Authorization and Cookie headers redacted). */
  readonly wafLogGroup: LogGroup;
  /** The allowed origins, as every API function receives them (`ALLOWED_ORIGINS`). */
  readonly allowedOrigins: readonly string[];

  private readonly integrations = new Map<IFunction, LambdaIntegration>();
  /**
   * Preflight of the resources that carry a route, none elsewhere: a browser only preflights a URL
   * it calls, and an OPTIONS method on every intermediate path (`/security`, `/{caseId}`) would
   * spend the access stack's 500-resource CloudFormation limit for nothing.
   */
  private readonly corsPreflight: CorsOptions | undefined;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'v1';
    if (props.authorizationScopes.length === 0) {
      // Without scopes the Cognito authorizer takes ID tokens: the contract says access tokens.
      throw new Error(`${this.node.path}: authorizationScopes must name the API's scope`);
    }
    this.authorizationScopes = [...props.authorizationScopes];
    const removalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.allowedOrigins = props.allowedOrigins.map((origin) => origin.replace(/\/+$/, ''));
    if (this.allowedOrigins.some((origin) => origin === '*' || !/^https?:\/\/[^/]+$/.test(origin))) {
      throw new Error(`${this.node.path}: allowedOrigins must be origins like https://portal.example.be`);
    }

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      // Under the prefix the account logging role of any stage covers (see manageAccountLoggingRole).
      logGroupName: `${ACCESS_LOG_GROUP_PREFIX}${Stack.of(this).stackName}`,
      retention: props.logRetention,
      removalPolicy,
    });

    this.restApi = new RestApi(this, 'RestApi', {
      // API Gateway's metrics and alarms are keyed by name: one per stack, so stages never mix.
      restApiName: Stack.of(this).stackName,
      description: 'eid-access HTTP API',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The account-level logging role is set below, scoped to this API's log groups.
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
    });
    this.corsPreflight =
      this.allowedOrigins.length > 0
        ? {
            allowOrigins: [...this.allowedOrigins],
            allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
            allowHeaders: [...ALLOWED_REQUEST_HEADERS],
            allowCredentials: false,
            maxAge: Duration.hours(1),
          }
        : undefined;
    const stage = this.restApi.deploymentStage;
    acknowledgeHealthcarePacks(
      stage,
      'APIGWCacheEnabledAndEncrypted',
      'No API cache: every response is personal to its caller (their person, organisations and requests); ' +
        "a cache could serve one person's data to another, and without one nothing is cached at rest.",
    );
    acknowledgeHealthcarePacks(
      stage,
      'APIGWSSLEnabled',
      'Client certificates authenticate API Gateway to HTTP backends; every integration here is a Lambda ' +
        'proxy invoked through IAM, so there is no HTTP backend to present one to.',
    );

    this.executionLogGroup = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stageName}`,
      retention: props.logRetention,
      removalPolicy,
    });
    stage.node.addDependency(this.executionLogGroup);

    if (props.manageAccountLoggingRole ?? false) {
      const stack = Stack.of(this);
      const logGroupArn = (name: string) =>
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${name}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      const role = new Role(this, 'LoggingRole', {
        assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
        description: 'API Gateway logging of every eid-access stage in this account and region',
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [
            logGroupArn('API-Gateway-Execution-Logs_*'),
            logGroupArn(`${ACCESS_LOG_GROUP_PREFIX}*`),
          ],
        }),
      );
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*:*]',
        reason:
          'The account-wide logging setting serves every stage of the app in this account: execution log groups are named by API Gateway after each API id, unknown here.',
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${ACCESS_LOG_GROUP_PREFIX}*:*]`,
        reason:
          'The account-wide logging setting serves every stage of the app in this account: access log groups share this prefix.',
      });
      const account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
      account.node.addDependency(role);
      // Other stages rely on the setting: deleting this stack must not take it away.
      role.applyRemovalPolicy(RemovalPolicy.RETAIN);
      account.applyRemovalPolicy(RemovalPolicy.RETAIN);
      stage.node.addDependency(account);
    }

    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });

    this.requestValidator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.restApi,
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    this.addProblemResponses();

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('eid-access-api'),
      rules: [
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 0),
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 1),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'RateLimitPerToken',
          priority: 3,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.wafRateLimitPerToken ?? 1000,
              aggregateKeyType: 'CUSTOM_KEYS',
              // Requests without the header are not counted here (WAF skips a request missing a key).
              customKeys: [
                { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
              ],
            },
          },
          visibilityConfig: visibility('rate-limit-per-token'),
        },
        {
          name: 'RateLimitPerIp',
          priority: 4,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.wafRateLimitPerIp ?? 1000,
              aggregateKeyType: 'IP',
              scopeDownStatement: { notStatement: { statement: hasAuthorizationHeader() } },
            },
          },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
        {
          name: 'RateLimitPerAddress',
          priority: 5,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.wafRateLimitPerAddress ?? 50_000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility('rate-limit-per-address'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF delivers only to log groups named aws-waf-logs-*; the bearer token is redacted before
    // delivery, so no token ever reaches the logs.
    const wafLogGroupName = `aws-waf-logs-${Stack.of(this).stackName}`;
    this.wafLogGroup = new LogGroup(this, 'WafLogs', {
      logGroupName: wafLogGroupName,
      retention: props.logRetention,
      removalPolicy,
    });
    const wafLogging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: wafLogGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    wafLogging.node.addDependency(this.wafLogGroup);
  }

  /**
   * Creates the methods of `routes` (method + resource template of each definition) on `fn`, every
   * one behind the Cognito authorizer with the authorization scopes and the request validator, with its required path and query
   * parameters. Gives `fn` the allowed origins (`ALLOWED_ORIGINS`) and one invoke permission scoped
   * to this API — not one per method, which would grow the function's resource policy past its size
   * limit as routes are added.
   * @throws Error when `fn` is not a Lambda function defined in this app (its environment is needed).
   */
  addRoutes(fn: IFunction, routes: readonly RouteHandler[]): void {
    if (!(fn instanceof LambdaFunction)) {
      throw new Error(`${this.node.path}: addRoutes needs a Lambda function defined in this app`);
    }
    fn.addEnvironment('ALLOWED_ORIGINS', this.allowedOrigins.join(','));
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new LambdaIntegration(fn, { proxy: true, scopePermissionToMethod: false });
      this.integrations.set(fn, integration);
    }
    for (const { definition } of routes) {
      const resource = this.restApi.root.resourceForPath(definition.resource);
      resource.addMethod(definition.method, integration, {
        authorizer: this.authorizer,
        authorizationType: AuthorizationType.COGNITO,
        authorizationScopes: [...this.authorizationScopes],
        requestValidator: this.requestValidator,
        requestParameters: {
          'method.request.header.Authorization': true,
          ...requiredParameters(definition.resource, definition.query),
        },
        ...(definition.operationId ? { operationName: definition.operationId } : {}),
      });
      if (this.corsPreflight && !resource.node.tryFindChild('OPTIONS')) {
        resource.addCorsPreflight(this.corsPreflight);
      }
    }
  }

  private addProblemResponses(): void {
    const corsOrigin =
      this.allowedOrigins.length === 1
        ? `'${this.allowedOrigins[0]}'`
        : // With several portals the gateway cannot pick one: it echoes the request's origin. These
          // answers are generic problems read without credentials (bearer tokens, no cookies), so
          // letting any origin read them discloses nothing a non-browser client could not see.
          'method.request.header.Origin';
    const headers: Record<string, string> = {
      'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
      Vary: "'Origin'",
      ...Object.fromEntries(
        Object.entries(BASE_RESPONSE_HEADERS).map(([name, value]) => [name, `'${value}'`]),
      ),
      ...(this.allowedOrigins.length > 0 ? { 'Access-Control-Allow-Origin': corsOrigin } : {}),
    };
    for (const [type, problem] of GATEWAY_PROBLEMS) {
      this.restApi.addGatewayResponse(`Problem${type.responseType}`, {
        type,
        statusCode: String(problem.status),
        responseHeaders: headers,
        templates: { 'application/json': JSON.stringify(problem) },
      });
    }
  }
}

/**
 * The parameters API Gateway must see before calling the function: every path parameter of the
 * resource template and the query parameters the route's schema requires.
 */
export function requiredParameters(
  resource: string,
  query: Parameters<typeof requestJsonSchema>[0] | undefined,
): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const [, name] of resource.matchAll(/\{([^}+]+)\+?\}/g)) {
    if (name) parameters[`method.request.path.${name}`] = true;
  }
  if (query) {
    const required = (requestJsonSchema(query) as { required?: unknown }).required;
    for (const name of Array.isArray(required) ? required : []) {
      if (typeof name === 'string') parameters[`method.request.querystring.${name}`] = true;
    }
  }
  return parameters;
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function managedRuleGroup(name: string, priority: number): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  };
}

/** A WAF statement true when the request carries a non-empty `Authorization` header. */
function hasAuthorizationHeader(): CfnWebACL.StatementProperty {
  return {
    sizeConstraintStatement: {
      fieldToMatch: { singleHeader: { Name: 'authorization' } },
      comparisonOperator: 'GT',
      size: 0,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}
