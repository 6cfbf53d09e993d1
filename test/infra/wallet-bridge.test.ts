import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { eudiAttributeMapping } from '#identity/attribute-mapping';
import { NATIVE_CLIENT_NAME } from '#lib/constructs/identity';
import {
  actionsOf,
  buildInfra,
  COMMITTED_STAGES,
  logicalIdOf,
  stageConfig,
  statementsOfRole,
} from '#test/helpers/infra';

describe.each(COMMITTED_STAGES)('Wallet bridge (%s)', (stage) => {
  const infra = buildInfra(stage);
  const template = infra.accessTemplate;
  const bridge = infra.access.walletBridge;
  const bridgeConfig = infra.config.walletBridge;
  const { config } = infra;

  it('is built when the stage configures a wallet bridge', () => {
    expect(bridgeConfig).toBeDefined();
    expect(bridge).toBeDefined();
  });

  it('federates the user pool to the bridge as OIDC provider EUDIWallet with the PID mapping', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'EUDIWallet',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        client_id: 'eid-access-cognito',
        authorize_scopes: 'openid',
        client_secret: Match.stringLikeRegexp(
          `resolve:secretsmanager:${bridgeConfig?.secretName}:SecretString:clientSecret`,
        ),
      }),
      AttributeMapping: Object.fromEntries(
        Object.entries(eudiAttributeMapping).map(([name, claim]) => [`custom:${name}`, claim]),
      ),
    });
  });

  it('offers EUDIWallet on every app client of a relying application', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const federated = clients.filter((client) => client.Properties.ClientName !== NATIVE_CLIENT_NAME);
    expect(federated.length).toBe(config.relyingApplications.length);
    for (const client of federated) {
      expect(client.Properties.SupportedIdentityProviders).toContain('EUDIWallet');
    }
  });

  it('tells the portal to show the wallet button (config.json names EUDIWallet)', () => {
    expect(infra.access.resolve(infra.access.portal.runtimeConfig.identityProviders)).toEqual([
      'eIDAS',
      'itsme',
      'EUDIWallet',
    ]);
  });

  it('offers no IdP on the native client, only the users of the pool itself', () => {
    const native = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).filter(
      (client) => client.Properties.ClientName === NATIVE_CLIENT_NAME,
    );
    expect(native.map((client) => client.Properties.SupportedIdentityProviders)).toEqual([['COGNITO']]);
  });

  it("grants the function only key-based item access, the table key via DynamoDB and the keys' secret", () => {
    const role = logicalIdOf(bridge?.function.role as never);
    const statements = statementsOfRole(template, role);
    const actions = actionsOf(statements);
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:Query');
    const secretStatements = statements.filter((statement) =>
      actionsOf([statement]).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatements).toHaveLength(1);
    const readable = JSON.stringify(secretStatements[0]?.Resource);
    expect(readable).toContain(`secret:${bridgeConfig?.secretName}-??????`);
    expect(readable).not.toContain(`secret:${bridgeConfig?.trustAnchorsSecretName}-`);
    const kms = statements.find((statement) => actionsOf([statement]).includes('kms:Decrypt'));
    expect(JSON.stringify(kms?.Condition)).toContain('kms:ViaService');
  });

  it('grants the verifier only Get and Update of transactions, no codes or tokens, and only the trust anchors secret', () => {
    const statements = statementsOfRole(template, logicalIdOf(bridge?.verifierFunction.role as never));
    const actions = actionsOf(statements);

    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    const dynamo = statements.filter((statement) =>
      actionsOf([statement]).some((action) => action.startsWith('dynamodb:')),
    );
    expect(JSON.stringify(dynamo)).toContain('WALLET_TX#');
    expect(JSON.stringify(dynamo)).not.toMatch(/WALLET_CODE#|WALLET_TOKEN#/);
    const secretStatements = statements.filter((statement) =>
      actionsOf([statement]).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatements).toHaveLength(1);
    const readable = JSON.stringify(secretStatements[0]?.Resource);
    expect(readable).toContain(`secret:${bridgeConfig?.trustAnchorsSecretName}-??????`);
    // The function that parses whatever any wallet posts holds no private key of the bridge.
    expect(readable).not.toContain(`secret:${bridgeConfig?.secretName}-`);
  });

  it("routes the wallet's response to the verifier and every other path to the provider", () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const targetOf = (routeKey: string) => {
      const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find(
        (candidate) => candidate.Properties.RouteKey === routeKey,
      );
      const integrationId = JSON.stringify(route?.Properties.Target)
        .match(/"(\w+)"/g)?.[1]
        ?.replaceAll('"', '');
      return JSON.stringify(integrations[integrationId ?? '']?.Properties.IntegrationUri);
    };

    expect(targetOf('POST /response/{tx}')).toContain(
      logicalIdOf(bridge?.verifierFunction.function as never),
    );
    for (const routeKey of ['GET /{proxy+}', 'POST /{proxy+}']) {
      expect(targetOf(routeKey)).toContain(logicalIdOf(bridge?.function.function as never));
    }
  });

  it('passes the verifier identity and the Cognito domain to the function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          VERIFIER_CLIENT_ID: bridgeConfig?.verifierClientId,
          WALLET_BRIDGE_SECRET_NAME: bridgeConfig?.secretName,
          COGNITO_DOMAIN_PREFIX: infra.config.cognito.domainPrefix,
        }),
      },
    });
  });

  it("names only the trust anchors secret in the verifier's environment", () => {
    const variables = (fn: unknown) =>
      template.toJSON().Resources[logicalIdOf(fn as never)]?.Properties.Environment.Variables;
    const verifier = variables(bridge?.verifierFunction.function);
    expect(verifier.WALLET_TRUST_ANCHORS_SECRET_NAME).toBe(bridgeConfig?.trustAnchorsSecretName);
    expect(verifier).not.toHaveProperty('WALLET_BRIDGE_SECRET_NAME');
    expect(variables(bridge?.function.function)).not.toHaveProperty('WALLET_TRUST_ANCHORS_SECRET_NAME');
    // Production refuses a load test's PID provider among the trust anchors; other stages may trust one.
    if (stage === 'prod') expect(verifier.REFUSE_TEST_PID_PROVIDERS).toBe('true');
    else expect(verifier).not.toHaveProperty('REFUSE_TEST_PID_PROVIDERS');
  });

  it('logs access without query strings and throttles the HTTP API', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.not(Match.stringLikeRegexp('querystring|\\$context\\.path')),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });
});

describe('a wallet bridge with its own throttling', () => {
  it('throttles its HTTP API as the stage config says (a load campaign raises it)', () => {
    const dev = stageConfig('dev');
    const bridge = dev.walletBridge;
    if (!bridge) throw new Error('the dev stage configures a wallet bridge');
    const config = { ...dev, walletBridge: { ...bridge, throttling: { rateLimit: 200, burstLimit: 400 } } };

    const template = buildInfra('dev', { config }).accessTemplate;

    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });
});

describe('a stage without a wallet bridge', () => {
  const { walletBridge: _omitted, ...withoutBridge } = stageConfig('dev');
  const infra = buildInfra('dev', { config: withoutBridge });
  const template = infra.accessTemplate;

  it('builds no bridge and no EUDIWallet provider', () => {
    expect(infra.access.walletBridge).toBeUndefined();
    template.resourcePropertiesCountIs(
      'AWS::Cognito::UserPoolIdentityProvider',
      { ProviderName: 'EUDIWallet' },
      0,
    );
  });

  it('offers no EUDIWallet on the app clients', () => {
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.SupportedIdentityProviders).not.toContain('EUDIWallet');
    }
  });

  it('tells the portal to show no wallet button', () => {
    expect(infra.access.resolve(infra.access.portal.runtimeConfig.identityProviders)).toEqual([
      'eIDAS',
      'itsme',
    ]);
  });
});
