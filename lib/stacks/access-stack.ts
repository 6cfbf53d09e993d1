import { Aspects, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { PROVIDER_NAMES } from '#identity/attribute-mapping';
import { DestroyEverything, EncryptLogGroups, LogEncryption } from '../aspects/stage-logs.ts';
import type { StageConfig } from '../config.ts';
import { Api } from '../constructs/api.ts';
import { BisRegistration } from '../constructs/bis-registration.ts';
import { FaultExperiments, steadyStateAlarms } from '../constructs/fault-experiments.ts';
import { API_SCOPE, Identity } from '../constructs/identity.ts';
import { IdentityApi } from '../constructs/identity-api.ts';
import { NativeAccounts } from '../constructs/native-accounts.ts';
import { Notifications } from '../constructs/notifications.ts';
import { Observability } from '../constructs/observability.ts';
import { Organisations } from '../constructs/organisations.ts';
import { Portal } from '../constructs/portal.ts';
import { Rights } from '../constructs/rights.ts';
import { WALLET_BRIDGE_CLIENT_ID, WalletBridgeService } from '../constructs/wallet-bridge.ts';
import { tableSchema } from '../data/table-schema.ts';

/** Properties of the {@link AccessStack}. */
export interface AccessStackProps extends StackProps {
  readonly config: StageConfig;
  /** The single table, from the data stack. */
  readonly table: ITable;
  /** The table's customer-managed key, from the data stack; it also encrypts the upload bucket. */
  readonly tableKey: IKey;
  /** The private bucket of trade-register extracts, from the data stack. */
  readonly uploadBucket: IBucket;
}

/**
 * The stateless side: Cognito and its triggers, the mail set-up, the REST API and one construct per
 * bounded context (its functions, its workflow, its routes on the API). The construct ids of the
 * contexts are the first segments of the function paths in lib/functions.ts.
 */
export class AccessStack extends Stack {
  readonly identity: Identity;
  /** The EU Digital Identity Wallet bridge, on stages that configure one. */
  readonly walletBridge: WalletBridgeService | undefined;
  readonly table: ITable;
  readonly tableKey: IKey;
  readonly notifications: Notifications;
  readonly api: Api;
  readonly identityApi: IdentityApi;
  readonly bis: BisRegistration;
  readonly organisations: Organisations;
  readonly rights: Rights;
  readonly nativeAccounts: NativeAccounts;
  readonly portal: Portal;
  readonly observability: Observability;
  /** The customer-managed key of every log group of the stack. */
  readonly logEncryption: LogEncryption;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.table = props.table;
    this.tableKey = props.tableKey;
    const logRetention = config.logRetentionDays;
    const logRemovalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logEncryption = new LogEncryption(this, 'LogEncryption', {
      stage: config.stage,
      removalPolicy: logRemovalPolicy,
    });
    Aspects.of(this).add(new EncryptLogGroups(this.logEncryption.key));
    if (config.removalPolicy === 'destroy') Aspects.of(this).add(new DestroyEverything());
    const bridgeConfig = config.walletBridge;
    this.walletBridge = bridgeConfig
      ? new WalletBridgeService(this, 'WalletBridge', {
          table: props.table,
          tableKey: props.tableKey,
          secretName: bridgeConfig.secretName,
          trustAnchorsSecretName: bridgeConfig.trustAnchorsSecretName,
          verifierClientId: bridgeConfig.verifierClientId,
          verifierName: bridgeConfig.verifierName,
          ...(bridgeConfig.issuer ? { issuer: bridgeConfig.issuer } : {}),
          cognitoDomainPrefix: config.cognito.domainPrefix,
          refuseTestPidProviders: config.stage === 'prod',
          ...(bridgeConfig.throttling ? { throttling: bridgeConfig.throttling } : {}),
          logRetention,
          logRemovalPolicy,
          logLevel: config.logLevel,
        })
      : undefined;

    this.identity = new Identity(this, 'Identity', {
      config,
      table: props.table,
      tableKey: props.tableKey,
      smsMfa: config.cognito.smsMfa,
      ...(this.walletBridge && bridgeConfig
        ? {
            walletBridge: {
              issuerUrl: this.walletBridge.issuerUrl,
              clientId: WALLET_BRIDGE_CLIENT_ID,
              secretName: bridgeConfig.secretName,
            },
          }
        : {}),
    });

    this.notifications = new Notifications(this, 'Notifications', {
      senderAddress: config.ses.sender,
      // SES template names are `<prefix>-<template>-<locale>` (<= 64 characters): keep the prefix short.
      templatePrefix: `eidaccess-${config.stage}`,
      additionalIdentities: config.ses.additionalIdentities,
    });

    this.api = new Api(this, 'Api', {
      userPool: this.identity.userPool,
      authorizationScopes: [API_SCOPE],
      allowedOrigins: config.api.allowedOrigins,
      throttling: config.api.throttling,
      wafRateLimitPerIp: config.api.wafRateLimitPerIp,
      wafRateLimitPerToken: config.api.wafRateLimitPerToken,
      wafRateLimitPerAddress: config.api.wafRateLimitPerAddress,
      manageAccountLoggingRole: config.api.manageAccountLogging,
      logRetention,
      logRemovalPolicy,
    });

    this.identityApi = new IdentityApi(this, 'IdentityApi', {
      table: props.table,
      tableKey: props.tableKey,
      logRetention,
      logRemovalPolicy,
      logLevel: config.logLevel,
      api: this.api,
      notifications: this.notifications,
    });

    this.bis = new BisRegistration(this, 'Bis', {
      table: props.table,
      tableKey: props.tableKey,
      notifications: this.notifications,
      agentsEmail: config.bis.agentsEmail,
      logRetention,
      logLevel: config.logLevel,
      reviewTimeout: Duration.days(config.bis.reviewTimeoutDays),
      correctionTimeout: Duration.days(config.bis.correctionTimeoutDays),
      api: this.api,
    });

    this.organisations = new Organisations(this, 'Organisations', {
      table: props.table,
      tableKey: props.tableKey,
      uploadBucket: props.uploadBucket,
      uploadKey: props.tableKey,
      notifications: this.notifications,
      securityOfficersEmail: config.organisations.securityOfficersEmail,
      logRetention,
      logLevel: config.logLevel,
      reviewTimeout: Duration.days(config.organisations.reviewTimeoutDays),
      api: this.api,
    });

    this.rights = new Rights(this, 'Rights', {
      table: props.table,
      tableKey: props.tableKey,
      notifications: this.notifications,
      logRetention,
      logRemovalPolicy,
      logLevel: config.logLevel,
      decisionTimeout: Duration.days(config.rights.decisionTimeoutDays),
      expiryRunHourUtc: config.rights.expiryRunHourUtc,
      api: this.api,
    });

    this.nativeAccounts = new NativeAccounts(this, 'NativeAccounts', {
      userPool: this.identity.userPool,
      table: props.table,
      tableKey: props.tableKey,
      notifications: this.notifications,
      logRetention,
      logRemovalPolicy,
      logLevel: config.logLevel,
      api: this.api,
    });

    const portalClient = this.identity.clients.get('portal');
    if (!portalClient) throw new Error('The stage config must name a relying application "portal"');
    this.portal = new Portal(this, 'Portal', {
      apiUrl: this.api.restApi.url,
      // The origin without the stage path: naming the deployment here would make a dependency loop.
      apiOrigin: `https://${this.api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
      authBaseUrl: this.identity.domain.baseUrl(),
      userPoolClient: portalClient,
      nativeClient: this.identity.nativeClient,
      returnUrls: config.relyingApplications
        .filter((app) => app.name !== 'portal')
        .flatMap((app) => app.callbackUrls),
      // The wallet button only where the stage configures a bridge (and so the client offers it).
      identityProviders: [
        PROVIDER_NAMES.eidas,
        PROVIDER_NAMES.itsme,
        ...(this.identity.eudiWalletProvider ? [PROVIDER_NAMES.eudi] : []),
      ],
      domainNames: config.portal.domainNames,
      ...(config.portal.authority ? { authority: config.portal.authority } : {}),
      ...(config.portal.certificateArn
        ? {
            certificate: Certificate.fromCertificateArn(
              this,
              'PortalCertificate',
              config.portal.certificateArn,
            ),
          }
        : {}),
      logRetentionDays: config.logRetentionDays,
      removalPolicy: logRemovalPolicy,
    });
    new CfnOutput(this, 'PortalUrl', { value: this.portal.url, description: 'The web portal' });
    new CfnOutput(this, 'PortalDistributionDomainName', {
      value: this.portal.distribution.distributionDomainName,
      description: 'Target of the DNS record (alias or CNAME) of portal.domainNames',
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Base URL of the REST API' });
    new CfnOutput(this, 'MailEventsTopicArn', {
      value: this.notifications.mailEventsTopic.topicArn,
      description: 'SES bounces and complaints: subscribe the operators here',
    });

    // Last: it alarms on every function and state machine created above.
    this.observability = new Observability(this, 'Observability', {
      restApi: this.api.restApi,
      table: props.table,
      tableIndexNames: tableSchema.globalSecondaryIndexes.map((index) => index.indexName),
      loginFunctions: [this.identity.preSignUp.function, this.identity.preTokenGeneration.function],
      mailEventsTopic: this.notifications.mailEventsTopic,
      alarmTopicArn: config.observability.alarmTopicArn,
      alarmEmail: config.observability.alarmEmail,
      apiP99Latency: Duration.millis(config.observability.apiP99LatencyMs),
      apiAccessLogGroup: this.api.accessLogGroup,
      keyRemovalPolicy: logRemovalPolicy,
    });

    if (config.faultExperiments.enabled) {
      new FaultExperiments(this, 'FaultExperiments', {
        targets: [
          { label: 'IdentityApi', function: this.identityApi.apiFunction.function },
          { label: 'Bis/Api', function: this.bis.apiFunction.function },
          { label: 'Bis/WorkflowTask', function: this.bis.workflowTaskFunction.function },
          { label: 'Organisations/Api', function: this.organisations.apiFunction.function },
          {
            label: 'Organisations/Registrations',
            function: this.organisations.registrationsFunction.function,
          },
          { label: 'Organisations/WorkflowTask', function: this.organisations.workflowTaskFunction.function },
          { label: 'Rights/Api', function: this.rights.apiFunction.function },
          { label: 'Rights/WorkflowTask', function: this.rights.workflowTaskFunction.function },
          { label: 'Rights/GrantExpiry', function: this.rights.grantExpiryFunction.function },
        ],
        stopConditionAlarms: steadyStateAlarms(this.observability.alarms),
        invocationPercentage: config.faultExperiments.invocationPercentage,
        duration: Duration.minutes(config.faultExperiments.durationMinutes),
      });
    }
  }
}
