import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PARTITION_PATTERNS } from '#shared/keys';
import { acknowledgeControl } from '../compliance.ts';
import {
  type FunctionLogging,
  ServiceFunction,
  type TableAccess,
  type TableAction,
} from './service-function.ts';

/** What the bridge does on the table: transactions, codes and tokens by key, all conditional. */
export const WALLET_BRIDGE_TABLE_ACTIONS: readonly TableAction[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/** The bridge's partitions: its own short-lived transactions, codes and tokens, nothing of persons. */
export const WALLET_BRIDGE_TABLE_ACCESS: TableAccess = {
  actions: WALLET_BRIDGE_TABLE_ACTIONS,
  partitions: [
    PARTITION_PATTERNS.table.walletTransaction,
    PARTITION_PATTERNS.table.walletCode,
    PARTITION_PATTERNS.table.walletToken,
  ],
};

/** What the verifier does on the table: reads a transaction and records its outcome once. */
export const WALLET_VERIFIER_TABLE_ACTIONS: readonly TableAction[] = ['GetItem', 'UpdateItem'];

/** The verifier's partition: the bridge's transactions only (codes and tokens are the provider's). */
export const WALLET_VERIFIER_TABLE_ACCESS: TableAccess = {
  actions: WALLET_VERIFIER_TABLE_ACTIONS,
  partitions: [PARTITION_PATTERNS.table.walletTransaction],
};

/** The client id the user pool's `EUDIWallet` provider uses at the bridge. */
export const WALLET_BRIDGE_CLIENT_ID = 'eid-access-cognito';

/** Properties of {@link WalletBridgeService}. */
export interface WalletBridgeServiceProps extends FunctionLogging {
  readonly table: ITable;
  readonly tableKey: IKey;
  /** Secrets Manager secret with the bridge's keys (see docs/operations.md): the provider's only. */
  readonly secretName: string;
  /** Secrets Manager secret with the trusted PID providers (PEM): the verifier's only. */
  readonly trustAnchorsSecretName: string;
  /** `x509_san_dns:…` or `x509_hash:…`. */
  readonly verifierClientId: string;
  readonly verifierName: string;
  /** Public base URL when a custom domain serves the bridge. @default the HTTP API endpoint */
  readonly issuer?: string;
  /** The user pool's domain prefix: the bridge only redirects to its `/oauth2/idpresponse`. */
  readonly cognitoDomainPrefix: string;
  /**
   * Refuse trust anchors marked as a test PID provider (`NOT FOR PRODUCTION`, a load test's): the
   * production stage's. @default false
   */
  readonly refuseTestPidProviders?: boolean;
  /** Stage throttling of the bridge's API. @default 20 requests/s, burst 40 */
  readonly throttling?: { rateLimit: number; burstLimit: number };
}

/**
 * The EU Digital Identity Wallet bridge (ARCHITECTURE.md section 2a): one HTTP API that is both the
 * OIDC provider the user pool federates to as `EUDIWallet` and the OpenID4VP verifier wallets
 * answer, served by two functions: the provider (`/{proxy+}`: discovery, authorization page, request
 * object, status, completion, token, userinfo) and the verifier (`POST /response/{tx}`: decrypt and
 * verify the wallet's presentation). Only the verifier bundles the PID verification libraries, and
 * only it may record a transaction's outcome; it cannot touch codes or tokens. Public by design
 * (Cognito, browsers and wallets call it without AWS credentials); every endpoint authenticates what
 * it must itself (client secret at the token endpoint, bearer token at userinfo, encrypted and
 * key-bound responses from wallets).
 */
export class WalletBridgeService extends Construct {
  /** The OIDC provider and authorization page (every path but the wallet's response). */
  readonly function: ServiceFunction;
  /** The verifier of wallet responses (`POST /response/{tx}`). */
  readonly verifierFunction: ServiceFunction;
  readonly httpApi: HttpApi;
  readonly accessLogGroup: LogGroup;
  /** The issuer URL the user pool's provider discovers from. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: WalletBridgeServiceProps) {
    super(scope, id);

    this.function = ServiceFunction.declared(this, 'WalletBridge/Function', props, {
      tableAccess: WALLET_BRIDGE_TABLE_ACCESS,
      environment: {
        WALLET_BRIDGE_SECRET_NAME: props.secretName,
        WALLET_BRIDGE_CLIENT_ID: WALLET_BRIDGE_CLIENT_ID,
        VERIFIER_CLIENT_ID: props.verifierClientId,
        VERIFIER_NAME: props.verifierName,
        COGNITO_DOMAIN_PREFIX: props.cognitoDomainPrefix,
        ...(props.issuer ? { WALLET_BRIDGE_ISSUER: props.issuer } : {}),
      },
    });
    this.verifierFunction = ServiceFunction.declared(this, 'WalletBridge/Verifier', props, {
      tableAccess: WALLET_VERIFIER_TABLE_ACCESS,
      environment: {
        WALLET_TRUST_ANCHORS_SECRET_NAME: props.trustAnchorsSecretName,
        VERIFIER_CLIENT_ID: props.verifierClientId,
        ...(props.refuseTestPidProviders ? { REFUSE_TEST_PID_PROVIDERS: 'true' } : {}),
        ...(props.issuer ? { WALLET_BRIDGE_ISSUER: props.issuer } : {}),
      },
    });
    // Each function reads one secret: the provider the bridge's keys, the verifier — which handles
    // whatever any wallet posts — only the public trust anchors, so no flaw in the PID parsing
    // libraries can reach a private key of the bridge.
    const readable: [ServiceFunction, string, string][] = [
      [this.function, 'Keys', props.secretName],
      [this.verifierFunction, 'TrustAnchors', props.trustAnchorsSecretName],
    ];
    for (const [fn, id, secretName] of readable) {
      // Name-based reference: the secret's ARN ends with a random suffix, hence the `-??????`.
      const secret = Secret.fromSecretNameV2(this, id, secretName);
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['secretsmanager:GetSecretValue'],
          resources: [`${secret.secretArn}-??????`],
        }),
      );
    }

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-wallet-bridge`,
      description: 'EU Digital Identity Wallet bridge (OIDC towards Cognito, OpenID4VP towards wallets)',
      createDefaultStage: true,
    });
    const integration = new HttpLambdaIntegration('Bridge', this.function.function);
    const routes = this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration,
    });
    // The more specific route wins over `/{proxy+}` (API Gateway HTTP API route selection).
    routes.push(
      ...this.httpApi.addRoutes({
        path: '/response/{tx}',
        methods: [HttpMethod.POST],
        integration: new HttpLambdaIntegration('Verifier', this.verifierFunction.function),
      }),
    );
    for (const route of routes) {
      acknowledgeControl(
        route,
        'CT.APIGATEWAY.PR.5',
        'Public OpenID endpoints (authorization type NONE): Cognito, browsers and wallets call them without ' +
          'AWS credentials; the function authenticates the client secret at /token, the bearer token at ' +
          '/userinfo and encrypted, key-bound presentations at /response.',
      );
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Public OpenID endpoints: Cognito, browsers and wallets call them without AWS credentials or tokens. The function authenticates what needs it: the client secret at /token, the bearer access token at /userinfo, ECDH-ES encrypted and key-bound (KB-JWT) presentations at /response.',
      });
    }

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const stage = this.httpApi.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: this.accessLogGroup.logGroupArn,
      // No query strings: authorization codes and response codes travel there.
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        method: '$context.httpMethod',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.integrationLatency',
      }),
    };
    stage.defaultRouteSettings = {
      throttlingRateLimit: props.throttling?.rateLimit ?? 20,
      throttlingBurstLimit: props.throttling?.burstLimit ?? 40,
    };

    this.issuerUrl = props.issuer ?? this.httpApi.apiEndpoint;
  }
}
