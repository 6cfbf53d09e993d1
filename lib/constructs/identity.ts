import { CfnOutput, Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type AuthFlow,
  ClientAttributes,
  CustomThreatProtectionMode,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  ResourceServerScope,
  SigningAlgorithm,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
  UserPoolOperation,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type CustomAttributeName,
  customAttributes,
  eidasAttributeMapping,
  eudiAttributeMapping,
  ITSME_SCOPES,
  itsmeAttributeMapping,
  PROVIDER_NAMES,
} from '#identity/attribute-mapping';
import { API_RESOURCE_SERVER, API_SCOPE, API_SCOPE_NAME } from '#shared/http/api-scope';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '#shared/native-user';
import { NATIVE_CLIENT_NAME, type StageConfig } from '../config.ts';
import {
  type FunctionContext,
  ServiceFunction,
  type TableAccess,
  type TableAction,
  tablePartitions,
} from './service-function.ts';

/** Groups whose membership is an operator action (contract). */
export const GROUP_NAMES = {
  bisAgents: 'bis-agents',
  securityOfficers: 'security-officers',
  registrationOfficers: 'registration-officers',
} as const;

/**
 * What the create and verify auth-challenge triggers do on the table: read the code card of a
 * username (GetItem) and record the asked position, a success or a failure (UpdateItem).
 */
export const AUTH_CHALLENGE_TABLE_ACTIONS: readonly TableAction[] = ['GetItem', 'UpdateItem'];

export { NATIVE_CLIENT_NAME };

/** The auth-challenge triggers touch code cards (`NATIVE#<username>`) only. */
export const AUTH_CHALLENGE_TABLE_ACCESS: TableAccess = {
  actions: AUTH_CHALLENGE_TABLE_ACTIONS,
  partitions: tablePartitions('codeCard'),
};

/**
 * Auth flows of the native app client ({@link NATIVE_CLIENT_NAME}). Native users sign in with
 * CUSTOM_AUTH (SRP first, then the define trigger's steps; Cognito itself asks TOTP after the
 * password for users who enrolled an authenticator app). USER_SRP_AUTH stays off on purpose: with MFA
 * optional it would let a native user without TOTP in with the password alone. Tokens are refreshed
 * with GetTokensFromRefreshToken: refresh-token rotation leaves `ALLOW_REFRESH_TOKEN_AUTH` out.
 */
export const NATIVE_AUTH_FLOWS: AuthFlow = {
  userSrp: false,
  userPassword: false,
  adminUserPassword: false,
  custom: true,
  user: false,
};

/**
 * Auth flows of every client that offers a federated IdP (eIDAS, itsme, EUDIWallet): the managed
 * login only, its tokens refreshed at the token endpoint (rotating). No API sign-in flow: an API sign-in's access token
 * carries `aws.cognito.signin.user.admin`, and such a client must be able to write every attribute
 * its IdPs map (Cognito's rule), the identity attributes included.
 */
export const FEDERATED_AUTH_FLOWS: AuthFlow = {
  userSrp: false,
  userPassword: false,
  adminUserPassword: false,
  custom: false,
  user: false,
};

export { API_RESOURCE_SERVER, API_SCOPE };

/**
 * OAuth scopes of every federated client: OpenID Connect's. Never `aws.cognito.signin.user.admin`
 * (`OAuthScope.COGNITO_ADMIN`): with it a token holder could call UpdateUserAttributes on the
 * identity attributes the IdPs map.
 */
export const FEDERATED_OAUTH_SCOPES: readonly OAuthScope[] = [
  OAuthScope.OPENID,
  OAuthScope.PROFILE,
  OAuthScope.EMAIL,
  OAuthScope.PHONE,
];

/**
 * The scopes of a client that may call the API: OpenID Connect's and `eid-access/api` (the scope
 * every API method requires) — the portal, and relying applications whose config says `apiAccess`.
 * Any other application's tokens are refused by the API (401), so a relying application cannot act
 * on a person's organisations and rights with the tokens it was given to log them in.
 *
 * The API scope is named as a literal (not `OAuthScope.resourceServer`) so the template carries the
 * string the sandbox and relying applications read; each client depends on the resource server
 * explicitly instead.
 */
export const API_CLIENT_OAUTH_SCOPES: readonly OAuthScope[] = [
  ...FEDERATED_OAUTH_SCOPES,
  OAuthScope.custom(API_SCOPE),
];

/** The relying application that is the portal: it always calls the API. */
const PORTAL_APPLICATION = 'portal';

/**
 * How long a refresh token stays usable after it was exchanged (refresh-token rotation): long enough
 * for a client to retry a refresh whose answer was lost, short enough that a stolen refresh token dies
 * at its next use. Cognito allows 0 to 60 seconds.
 */
export const REFRESH_TOKEN_GRACE_PERIOD = Duration.seconds(10);

/**
 * The only attributes a native user may change with their own access token (UpdateUserAttributes):
 * the standard `locale`. Never a `custom:*` identity attribute, and never `email`: the registration
 * office verified it and the activation mail went there.
 */
export const NATIVE_WRITE_ATTRIBUTES = { locale: true } as const;

/** What the native client may read of its user: the verified e-mail address and the locale. */
export const NATIVE_READ_ATTRIBUTES = { email: true, emailVerified: true, locale: true } as const;

/**
 * What the pre token generation trigger does on the table: one BatchGetItem (identity + INSZ
 * links), one Query (the person partition), and the first-login/link transactions (PutItem,
 * UpdateItem, ConditionCheckItem authorise TransactWriteItems per item).
 */
export const PRE_TOKEN_TABLE_ACTIONS: readonly TableAction[] = [
  'BatchGetItem',
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'ConditionCheckItem',
  // Claiming an appointment by national number deletes its marker (same transaction).
  'DeleteItem',
];

/**
 * The partitions of a login: the person partition (profile, memberships, grants), identity and INSZ
 * links, and what a first login or a link writes with it (activity entry, notice, identity case when a
 * verified login displaces a weak link), and what a first verified login writes when it claims the
 * appointments made by national number (issue 14): the marker, the organisation's counts and its audit
 * entry. Nothing of requests or registers.
 */
export const PRE_TOKEN_TABLE_ACCESS: TableAccess = {
  actions: PRE_TOKEN_TABLE_ACTIONS,
  partitions: tablePartitions(
    'person',
    'identityLink',
    'inszLink',
    'activity',
    'notice',
    'supportCase',
    'pendingMember',
    'organisation',
    'audit',
  ),
};

/** Properties of the {@link Identity} construct. */
export interface IdentityProps {
  /** The validated stage configuration (Cognito, eIDAS, itsme, relying applications, logging). */
  readonly config: StageConfig;
  /** The single table the pre token generation trigger reads persons from. */
  readonly table: ITable;
  /** The table's customer-managed key. */
  readonly tableKey: IKey;
  /**
   * Offer SMS codes as a second factor to native users (needs an SNS SMS role and sandbox exit,
   * which the stage must arrange). TOTP is always offered.
   * @default false
   */
  readonly smsMfa?: boolean;
  /**
   * The EU Digital Identity Wallet bridge the pool federates to as OIDC provider `EUDIWallet`
   * (lib/constructs/wallet-bridge.ts). @default - no wallet login
   */
  readonly walletBridge?: {
    /** The bridge's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
    readonly issuerUrl: string;
    readonly clientId: string;
    /** Secrets Manager secret whose JSON field `clientSecret` is the client secret. */
    readonly secretName: string;
  };
}

/**
 * The Cognito side of the platform: a user pool with no self sign-up that only federates to the
 * eIDAS gateway (SAML, provider `eIDAS`) and itsme (OIDC, provider `itsme`), one public app client
 * per relying application (authorization code + PKCE, no API sign-in, never the admin scope), the
 * native client `portal-native` (registration-office accounts: CUSTOM_AUTH, writes only the locale),
 * the operator groups, the pre sign-up and
 * pre token generation (V2) triggers, and for registration-office (native) accounts optional
 * TOTP/SMS MFA and the define/create/verify auth-challenge triggers of the code card.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly eidasProvider: UserPoolIdentityProviderSaml;
  readonly itsmeProvider: UserPoolIdentityProviderOidc;
  /** The wallet bridge provider `EUDIWallet`, when the stage has a bridge. */
  readonly eudiWalletProvider: UserPoolIdentityProviderOidc | undefined;
  /** The resource server `eid-access` whose scope `api` opens the platform's API. */
  readonly apiResourceServer: UserPoolResourceServer;
  /** App clients by relying-application name (federated logins through the managed login). */
  readonly clients: ReadonlyMap<string, UserPoolClient>;
  /**
   * The native app client ({@link NATIVE_CLIENT_NAME}): the portal's API sign-in of
   * registration-office accounts (CUSTOM_AUTH), Cognito users only, no OAuth, and write access to
   * {@link NATIVE_WRITE_ATTRIBUTES} alone.
   */
  readonly nativeClient: UserPoolClient;
  readonly preSignUp: ServiceFunction;
  readonly preTokenGeneration: ServiceFunction;
  readonly defineAuthChallenge: ServiceFunction;
  readonly createAuthChallenge: ServiceFunction;
  readonly verifyAuthChallenge: ServiceFunction;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      featurePlan: config.cognito.featurePlan === 'plus' ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      // Plus: block risky sign-ins of native accounts (password + code card or TOTP), in both the
      // standard flows and the custom-authentication flow the code card uses.
      // A new stage starts in audit mode (risk scores recorded, nothing blocked) and switches to
      // enforcement by config once the risk events were reviewed, as AWS advises.
      ...(config.cognito.featurePlan === 'plus'
        ? config.cognito.threatProtection === 'enforce'
          ? {
              standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
              customThreatProtectionMode: CustomThreatProtectionMode.FULL_FUNCTION,
            }
          : {
              standardThreatProtectionMode: StandardThreatProtectionMode.AUDIT_ONLY,
              customThreatProtectionMode: CustomThreatProtectionMode.AUDIT_ONLY,
            }
        : {}),
      customAttributes: Object.fromEntries(
        Object.entries(customAttributes).map(([name, maxLen]) => [
          name,
          // Mutable because Cognito re-applies the provider mappings at every login.
          new StringAttribute({ maxLen, mutable: true }),
        ]),
      ),
      // Federated users only: e-mail is not guaranteed by eIDAS, so no attribute can be required.
      standardAttributes: {},
      accountRecovery: AccountRecovery.NONE,
      signInCaseSensitive: false,
      // MFA applies to native users only (federated users authenticate at eIDAS/itsme). OPTIONAL, not
      // REQUIRED: with REQUIRED Cognito would demand MFA_SETUP after the password and never hand
      // over to the code card. The second factor is enforced by the native client's flows instead
      // (CUSTOM_AUTH only: TOTP by Cognito when enrolled, else the card by the define trigger).
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: props.smsMfa ?? false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        // Registration-office accounts: the person must find the activation mail and sign in.
        tempPasswordValidity: Duration.days(TEMPORARY_PASSWORD_VALIDITY_DAYS),
      },
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is OPTIONAL only because REQUIRED would make Cognito demand MFA_SETUP after the password and never hand native users over to the code-card challenge. Every native login still needs a second factor: the only client with a password flow (portal-native) allows CUSTOM_AUTH alone, where Cognito asks TOTP for enrolled users and the define-auth-challenge trigger asks the code card otherwise; federated users authenticate at eIDAS/itsme.',
    });
    if (config.cognito.featurePlan !== 'plus') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage ${config.stage} runs on the Essentials plan (config cognito.featurePlan), which has no threat protection: federated users authenticate at eIDAS/itsme, and native accounts rely on the strong password policy, a mandatory second factor and the code-card lockout. Choose plus where native accounts are used at scale.`,
      });
    }

    this.eidasProvider = new UserPoolIdentityProviderSaml(this, 'Eidas', {
      userPool: this.userPool,
      name: PROVIDER_NAMES.eidas,
      metadata:
        'url' in config.eidas.metadata
          ? UserPoolIdentityProviderSamlMetadata.url(config.eidas.metadata.url)
          : UserPoolIdentityProviderSamlMetadata.file(config.eidas.metadata.xml),
      attributeMapping: { custom: customMapping(eidasAttributeMapping) },
      requestSigningAlgorithm: config.eidas.signRequests ? SigningAlgorithm.RSA_SHA256 : undefined,
      encryptedResponses: config.eidas.encryptedResponses,
      idpInitiated: false,
      idpSignout: false,
    });

    this.itsmeProvider = new UserPoolIdentityProviderOidc(this, 'Itsme', {
      userPool: this.userPool,
      name: PROVIDER_NAMES.itsme,
      issuerUrl: config.itsme.issuer,
      clientId: config.itsme.clientId,
      // A dynamic reference resolved by CloudFormation at deploy time: the secret never enters
      // the template or the cloud assembly.
      clientSecret: SecretValue.secretsManager(config.itsme.clientSecretName).unsafeUnwrap(),
      scopes: itsmeScopes(config.itsme.serviceCode),
      attributeMapping: { custom: customMapping(itsmeAttributeMapping) },
    });

    const bridge = props.walletBridge;
    this.eudiWalletProvider = bridge
      ? new UserPoolIdentityProviderOidc(this, 'EudiWallet', {
          userPool: this.userPool,
          name: PROVIDER_NAMES.eudi,
          issuerUrl: bridge.issuerUrl,
          clientId: bridge.clientId,
          clientSecret: SecretValue.secretsManager(bridge.secretName, {
            jsonField: 'clientSecret',
          }).unsafeUnwrap(),
          scopes: ['openid'],
          attributeMapping: { custom: customMapping(eudiAttributeMapping) },
        })
      : undefined;

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.cognito.domainPrefix },
    });

    this.apiResourceServer = this.userPool.addResourceServer('ApiResourceServer', {
      identifier: API_RESOURCE_SERVER,
      userPoolResourceServerName: 'eid-access API',
      scopes: [
        new ResourceServerScope({ scopeName: API_SCOPE_NAME, scopeDescription: 'Call the eid-access API' }),
      ],
    });

    const clients = new Map<string, UserPoolClient>();
    for (const app of config.relyingApplications) {
      const client = this.userPool.addClient(`Client-${app.name}`, {
        userPoolClientName: app.name,
        generateSecret: false,
        // The managed login and its refresh only: native users sign in through the native client.
        authFlows: FEDERATED_AUTH_FLOWS,
        oAuth: {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
          scopes: [
            ...(app.name === PORTAL_APPLICATION || app.apiAccess
              ? API_CLIENT_OAUTH_SCOPES
              : FEDERATED_OAUTH_SCOPES),
          ],
          callbackUrls: [...app.callbackUrls],
          logoutUrls: [...app.logoutUrls],
        },
        supportedIdentityProviders: [
          UserPoolClientIdentityProvider.custom(PROVIDER_NAMES.eidas),
          UserPoolClientIdentityProvider.custom(PROVIDER_NAMES.itsme),
          ...(this.eudiWalletProvider ? [UserPoolClientIdentityProvider.custom(PROVIDER_NAMES.eudi)] : []),
        ],
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        idTokenValidity: Duration.minutes(15),
        accessTokenValidity: Duration.minutes(15),
        refreshTokenValidity: Duration.hours(8),
        // Every refresh answers a new refresh token and retires the one it was given.
        refreshTokenRotationGracePeriod: REFRESH_TOKEN_GRACE_PERIOD,
        authSessionValidity: Duration.minutes(3),
      });
      // The client names the providers and the API scope by string: CloudFormation must create them first.
      client.node.addDependency(this.eidasProvider, this.itsmeProvider, this.apiResourceServer);
      if (this.eudiWalletProvider) client.node.addDependency(this.eudiWalletProvider);
      clients.set(app.name, client);
    }
    this.clients = clients;

    // Its own client because a client that offers an IdP must be able to write every attribute the
    // IdP maps, and an API sign-in's access token (scope aws.cognito.signin.user.admin) may call
    // UpdateUserAttributes on whatever its client may write: here that is the locale alone.
    this.nativeClient = this.userPool.addClient('NativeClient', {
      userPoolClientName: NATIVE_CLIENT_NAME,
      generateSecret: false,
      authFlows: NATIVE_AUTH_FLOWS,
      disableOAuth: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      readAttributes: new ClientAttributes().withStandardAttributes(NATIVE_READ_ATTRIBUTES),
      writeAttributes: new ClientAttributes().withStandardAttributes(NATIVE_WRITE_ATTRIBUTES),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(15),
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
      // Refreshed with GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH does not rotate and is left out).
      refreshTokenRotationGracePeriod: REFRESH_TOKEN_GRACE_PERIOD,
      authSessionValidity: Duration.minutes(3),
    });

    this.userPool.addGroup('BisAgents', {
      groupName: GROUP_NAMES.bisAgents,
      description: 'Review BIS number registrations (operator-managed membership)',
    });
    this.userPool.addGroup('SecurityOfficers', {
      groupName: GROUP_NAMES.securityOfficers,
      description: 'Review foreign company registrations (operator-managed membership)',
    });
    this.userPool.addGroup('RegistrationOfficers', {
      groupName: GROUP_NAMES.registrationOfficers,
      description:
        'Create native accounts after checking identity documents in person (operator-managed membership)',
    });

    const functions: FunctionContext = {
      // The config schema only admits values CloudWatch Logs (and so RetentionDays) knows.
      logRetention: config.logRetentionDays as RetentionDays,
      logRemovalPolicy: removalPolicy,
      logLevel: config.logLevel,
      table: props.table,
      tableKey: props.tableKey,
    };
    const loginRules = {
      REFUSED_NATIONALITIES: config.eidas.refusedNationalities.join(','),
      MINIMUM_EIDAS_LOA: config.eidas.minimumLoa,
    };

    this.preSignUp = ServiceFunction.declared(this, 'Identity/PreSignUp', functions, {
      environment: loginRules,
    });
    this.userPool.addTrigger(UserPoolOperation.PRE_SIGN_UP, this.preSignUp.function);

    this.preTokenGeneration = ServiceFunction.declared(this, 'Identity/PreTokenGeneration', functions, {
      tableAccess: PRE_TOKEN_TABLE_ACCESS,
      environment: loginRules,
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preTokenGeneration.function,
      LambdaVersion.V2_0,
    );

    this.defineAuthChallenge = ServiceFunction.declared(this, 'Identity/DefineAuthChallenge', functions);
    this.userPool.addTrigger(UserPoolOperation.DEFINE_AUTH_CHALLENGE, this.defineAuthChallenge.function);

    this.createAuthChallenge = ServiceFunction.declared(this, 'Identity/CreateAuthChallenge', functions, {
      tableAccess: AUTH_CHALLENGE_TABLE_ACCESS,
    });
    this.userPool.addTrigger(UserPoolOperation.CREATE_AUTH_CHALLENGE, this.createAuthChallenge.function);

    this.verifyAuthChallenge = ServiceFunction.declared(this, 'Identity/VerifyAuthChallenge', functions, {
      tableAccess: AUTH_CHALLENGE_TABLE_ACCESS,
    });
    this.userPool.addTrigger(
      UserPoolOperation.VERIFY_AUTH_CHALLENGE_RESPONSE,
      this.verifyAuthChallenge.function,
    );

    const baseUrl = this.domain.baseUrl();
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'DomainBaseUrl', { value: baseUrl });
    new CfnOutput(this, 'SamlServiceProviderEntityId', {
      description: 'Give to the eIDAS gateway: SAML SP entity id',
      value: `urn:amazon:cognito:sp:${this.userPool.userPoolId}`,
    });
    new CfnOutput(this, 'SamlAssertionConsumerServiceUrl', {
      description: 'Give to the eIDAS gateway: SAML ACS URL (HTTP-POST binding)',
      value: `${baseUrl}/saml2/idpresponse`,
    });
    new CfnOutput(this, 'ItsmeRedirectUri', {
      description: 'Register at itsme as the redirect URI of the client',
      value: `${baseUrl}/oauth2/idpresponse`,
    });
    for (const [name, client] of clients) {
      new CfnOutput(this, `ClientId-${name}`, {
        description: `App client id of relying application ${name}`,
        value: client.userPoolClientId,
      });
    }
    new CfnOutput(this, 'NativeClientId', {
      description: 'App client id of the native (registration-office account) sign-in of the portal',
      value: this.nativeClient.userPoolClientId,
    });
  }
}

/** The itsme scopes: the fixed ones plus `service:<code>`, in the order itsme documents. */
export function itsmeScopes(serviceCode: string): string[] {
  const [openid, ...rest] = ITSME_SCOPES;
  return [openid, `service:${serviceCode}`, ...rest];
}

/**
 * CDK copies `attributeMapping.custom` keys verbatim into the template, so custom attributes need
 * their `custom:` prefix here.
 */
function customMapping(
  mapping: Partial<Record<CustomAttributeName, string>>,
): Record<string, ProviderAttribute> {
  return Object.fromEntries(
    Object.entries(mapping).map(([name, source]) => [`custom:${name}`, ProviderAttribute.other(source)]),
  );
}
