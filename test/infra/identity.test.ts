import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  customAttributes,
  EIDAS_NATURAL_PERSON,
  eidasAttributeMapping,
  ITSME_CLAIM,
  itsmeAttributeMapping,
} from '#identity/attribute-mapping';
import { NATIVE_CLIENT_NAME } from '#lib/constructs/identity';
import { actionsOf, buildInfra, COMMITTED_STAGES, logicalIdOf, statementsOfRole } from '#test/helpers/infra';

const prefixed = (mapping: Partial<Record<string, string>>) =>
  Object.fromEntries(Object.entries(mapping).map(([name, source]) => [`custom:${name}`, source]));

describe.each(COMMITTED_STAGES)('Identity (%s)', (stage) => {
  const infra = buildInfra(stage);
  const template = infra.accessTemplate;
  const { identity } = infra.access;
  const { config } = infra;

  /** What a cross-stack reference of the access stack points at in the data stack. */
  const importedValue = (reference: unknown): unknown => {
    const { StackName, OutputName } = (
      reference as { 'Fn::GetStackOutput': { StackName: string; OutputName: string } }
    )['Fn::GetStackOutput'];
    expect(StackName).toBe(infra.data.stackName);
    return infra.dataTemplate.toJSON().Outputs[OutputName].Value;
  };

  it('names the stack eid-access-<stage>-access when built for the stage', () => {
    expect(infra.access.stackName).toBe(`eid-access-${stage}-access`);
  });

  it('creates a user pool without self sign-up or required attributes when synthesized', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: config.cognito.featurePlan === 'plus' ? 'PLUS' : 'ESSENTIALS',
      DeletionProtection: config.deletionProtection ? 'ACTIVE' : 'INACTIVE',
      AutoVerifiedAttributes: Match.absent(),
    });
    const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
    const schema = pool?.Properties.Schema as { Required?: boolean }[];
    expect(schema.some((attribute) => attribute.Required === true)).toBe(false);
  });

  it('runs threat protection in audit mode on Plus until the stage config enforces it', () => {
    const audit = {
      AdvancedSecurityMode: 'AUDIT',
      AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' },
    };
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolAddOns: config.cognito.featurePlan === 'plus' ? Match.objectLike(audit) : Match.absent(),
    });
  });

  it('enforces threat protection on standard and custom sign-ins when the config says enforce', () => {
    const enforcedConfig = {
      ...config,
      cognito: { ...config.cognito, featurePlan: 'plus', threatProtection: 'enforce' },
    } as const;
    const enforced = buildInfra(stage, { config: enforcedConfig }).accessTemplate;

    enforced.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolAddOns: {
        AdvancedSecurityMode: 'ENFORCED',
        AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'ENFORCED' },
      },
    });
  });

  it('defines every mapped attribute as a mutable custom string attribute when synthesized', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith(
        Object.entries(customAttributes).map(([name, maxLen]) => ({
          Name: name,
          AttributeDataType: 'String',
          Mutable: true,
          StringAttributeConstraints: { MaxLength: String(maxLen) },
        })),
      ),
    });
  });

  it('federates to a SAML provider named exactly eIDAS with the eIDAS attribute URIs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'eIDAS',
      ProviderType: 'SAML',
      AttributeMapping: prefixed(eidasAttributeMapping),
      ProviderDetails: Match.objectLike({
        IDPInit: false,
        RequestSigningAlgorithm: config.eidas.signRequests ? 'rsa-sha256' : Match.absent(),
        EncryptedResponses: config.eidas.encryptedResponses,
        ...('url' in config.eidas.metadata
          ? { MetadataURL: config.eidas.metadata.url }
          : { MetadataFile: config.eidas.metadata.xml }),
      }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'eIDAS',
      AttributeMapping: Match.objectLike({
        'custom:eidas_person_id': `${EIDAS_NATURAL_PERSON}PersonIdentifier`,
      }),
    });
  });

  it('federates to an OIDC provider named exactly itsme with the service scope and itsme claims', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'itsme',
      ProviderType: 'OIDC',
      AttributeMapping: prefixed(itsmeAttributeMapping),
      ProviderDetails: {
        client_id: config.itsme.clientId,
        oidc_issuer: config.itsme.issuer,
        authorize_scopes: `openid service:${config.itsme.serviceCode} profile email phone address eid`,
        attributes_request_method: 'GET',
        client_secret: `{{resolve:secretsmanager:${config.itsme.clientSecretName}:SecretString:::}}`,
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'itsme',
      AttributeMapping: Match.objectLike({ 'custom:national_number': `${ITSME_CLAIM}BENationalNumber` }),
    });
  });

  it('creates the Cognito domain from the configured prefix when synthesized', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: config.cognito.domainPrefix });
  });

  it('gives the API scope to the portal and to applications with apiAccess only', () => {
    const scopesOf = (name: string) =>
      Object.values(template.findResources('AWS::Cognito::UserPoolClient')).find(
        (client) => client.Properties.ClientName === name,
      )?.Properties.AllowedOAuthScopes;

    for (const app of config.relyingApplications) {
      const mayCallApi = app.name === 'portal' || app.apiAccess;
      expect(scopesOf(app.name), app.name).toEqual(
        mayCallApi
          ? ['openid', 'profile', 'email', 'phone', 'eid-access/api']
          : ['openid', 'profile', 'email', 'phone'],
      );
    }
    // Every stage's portal calls the API; dev's sample application only logs people in.
    expect(scopesOf('portal')).toContain('eid-access/api');
    if (stage === 'dev') expect(scopesOf('sample-app')).not.toContain('eid-access/api');
  });

  it('gives each relying application a public code-flow client on eIDAS, itsme and the wallet bridge only', () => {
    for (const app of config.relyingApplications) {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ClientName: app.name,
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        // The managed login only (refreshed at the token endpoint, rotating): registration-office
        // (native) users sign in through portal-native.
        ExplicitAuthFlows: [],
        AllowedOAuthScopes: Match.arrayWith(['openid', 'profile', 'email', 'phone']),
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
        SupportedIdentityProviders: ['eIDAS', 'itsme', 'EUDIWallet'],
        PreventUserExistenceErrors: 'ENABLED',
        // The portal construct adds its own CloudFront URLs to the `portal` client.
        CallbackURLs: Match.arrayWith(app.callbackUrls),
        LogoutURLs: Match.arrayWith(app.logoutUrls),
        IdTokenValidity: 15,
        AccessTokenValidity: 15,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      });
    }
  });

  it('gives no client that offers a federated IdP the admin scope or an API sign-in flow', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const federated = clients.filter((client) =>
      (client.Properties.SupportedIdentityProviders as string[]).some((idp) => idp !== 'COGNITO'),
    );
    expect(federated.map((client) => client.Properties.ClientName).sort()).toEqual(
      config.relyingApplications.map((app) => app.name).sort(),
    );
    for (const client of federated) {
      expect(client.Properties.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
      expect(client.Properties.ExplicitAuthFlows).toEqual([]);
    }
  });

  it('signs native users in through portal-native: Cognito users, CUSTOM_AUTH, no OAuth, locale the only write', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: NATIVE_CLIENT_NAME,
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      // REFRESH_TOKEN_AUTH does not rotate: the portal refreshes with GetTokensFromRefreshToken.
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      AllowedOAuthScopes: Match.absent(),
      CallbackURLs: Match.absent(),
      WriteAttributes: ['locale'],
      ReadAttributes: ['email', 'email_verified', 'locale'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
    });
    const native = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === NATIVE_CLIENT_NAME,
    );
    const writable = native?.Properties.WriteAttributes as string[];
    expect(writable.filter((name) => name.startsWith('custom:'))).toEqual([]);
    for (const name of Object.keys(customAttributes)) expect(writable).not.toContain(`custom:${name}`);
    expect(writable).not.toContain('email');
    template.hasOutput('*', {
      Value: { Ref: logicalIdOf(identity.nativeClient) },
      Description: Match.stringLikeRegexp('native'),
    });
  });

  it('defines the resource server eid-access with the one scope api', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'eid-access',
      UserPoolId: { Ref: logicalIdOf(identity.userPool) },
      Scopes: [{ ScopeName: 'api', ScopeDescription: Match.anyValue() }],
    });
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolResourceServer'))).toEqual([
      logicalIdOf(identity.apiResourceServer),
    ]);
  });

  it('allows the API scope only through OAuth, and rotates every refresh token', () => {
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
      const native = client.Properties.ClientName === NATIVE_CLIENT_NAME;
      // The native client has no OAuth: its pre token generation adds the scope to its access tokens.
      if (native) expect(client.Properties.AllowedOAuthScopes ?? []).toEqual([]);
      if (client.Properties.ClientName === 'portal') {
        expect(client.Properties.AllowedOAuthScopes).toContain('eid-access/api');
      }
      expect(client.Properties.RefreshTokenRotation).toEqual({
        Feature: 'ENABLED',
        RetryGracePeriodSeconds: 10,
      });
      expect(client.Properties.ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
    }
  });

  it('creates each client after both providers and the resource server when deployed', () => {
    const providers = [
      logicalIdOf(identity.eidasProvider),
      logicalIdOf(identity.itsmeProvider),
      logicalIdOf(identity.apiResourceServer),
    ];
    for (const client of identity.clients.values()) {
      template.hasResource('AWS::Cognito::UserPoolClient', {
        Properties: Match.objectLike({ ClientName: client.node.id.replace('Client-', '') }),
        DependsOn: Match.arrayWith(providers),
      });
    }
  });

  it('creates the operator groups bis-agents and security-officers when synthesized', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'bis-agents' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'security-officers' });
  });

  it('wires pre sign-up and pre token generation V2 to their functions when synthesized', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreSignUp: { 'Fn::GetAtt': [logicalIdOf(identity.preSignUp.function), 'Arn'] },
        PreTokenGenerationConfig: {
          LambdaArn: { 'Fn::GetAtt': [logicalIdOf(identity.preTokenGeneration.function), 'Arn'] },
          LambdaVersion: 'V2_0',
        },
      },
    });
  });

  it('runs both triggers on Node 24, ARM64, with active tracing and the login rules', () => {
    for (const trigger of [identity.preSignUp, identity.preTokenGeneration]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalIdOf(trigger.role), 'Arn'] },
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: 5,
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(trigger.logGroup) } },
        Environment: {
          Variables: Match.objectLike({
            REFUSED_NATIONALITIES: config.eidas.refusedNationalities.join(','),
            MINIMUM_EIDAS_LOA: config.eidas.minimumLoa,
            POWERTOOLS_SERVICE_NAME: 'identity',
            POWERTOOLS_LOG_LEVEL: config.logLevel,
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({ RetentionInDays: config.logRetentionDays }),
        DeletionPolicy: config.removalPolicy === 'retain' ? 'Retain' : 'Delete',
      });
    }
  });

  it('gives the table name to pre token generation only', () => {
    const tableName = Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalIdOf(identity.preTokenGeneration.role), 'Arn'] },
      Environment: { Variables: Match.objectLike({ TABLE_NAME: tableName }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalIdOf(identity.preSignUp.role), 'Arn'] },
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.absent() }) },
    });
  });

  it('grants pre sign-up no table or key access at all', () => {
    const actions = actionsOf(statementsOfRole(template, logicalIdOf(identity.preSignUp.role)));

    expect(actions.filter((action) => /^(dynamodb|kms):/.test(action))).toEqual([]);
    expect(actions.sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('grants pre token generation exactly its table actions on the table and the key through DynamoDB', () => {
    const statements = statementsOfRole(template, logicalIdOf(identity.preTokenGeneration.role));
    const tableStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    const keyStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));

    expect(actionsOf(tableStatements).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(tableStatements).toHaveLength(1);
    expect(importedValue(tableStatements[0]?.Resource)).toEqual({
      'Fn::GetAtt': [logicalIdOf(infra.data.table), 'Arn'],
    });
    expect(keyStatements).toHaveLength(1);
    expect(actionsOf(keyStatements).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(importedValue(keyStatements[0]?.Resource)).toEqual({
      'Fn::GetAtt': [logicalIdOf(infra.data.key), 'Arn'],
    });
    expect(keyStatements[0]?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
  });

  it('publishes what the eIDAS gateway and itsme need when deployed', () => {
    const outputs = template.findOutputs('*');
    const values = JSON.stringify(Object.values(outputs));

    expect(values).toContain('urn:amazon:cognito:sp:');
    expect(values).toContain('.amazoncognito.com/saml2/idpresponse');
    expect(values).toContain('.amazoncognito.com/oauth2/idpresponse');
  });
});

describe('Identity (prod)', () => {
  const infra = buildInfra('prod');

  it('protects and retains the user pool when the stage is prod', () => {
    infra.accessTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});

describe('Identity (variants)', () => {
  const dev = buildInfra('dev').config;

  it('reads metadata from a URL and sends unsigned, unencrypted requests when so configured', () => {
    const config = {
      ...dev,
      eidas: {
        ...dev.eidas,
        metadata: { url: 'https://gateway.example.be/metadata' },
        signRequests: false,
        encryptedResponses: false,
      },
    };

    const template = buildInfra('dev', { config }).accessTemplate;

    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'eIDAS',
      ProviderDetails: {
        MetadataURL: 'https://gateway.example.be/metadata',
        EncryptedResponses: false,
        RequestSigningAlgorithm: Match.absent(),
        IDPSignout: false,
        IDPInit: false,
      },
    });
  });

  it('passes an empty refusal list and a high minimum LoA to the triggers when so configured', () => {
    const config = { ...dev, eidas: { ...dev.eidas, refusedNationalities: [], minimumLoa: 'high' as const } };

    const template = buildInfra('dev', { config }).accessTemplate;

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REFUSED_NATIONALITIES: '', MINIMUM_EIDAS_LOA: 'high' }) },
    });
  });

  it('creates one client per relying application when several are configured', () => {
    const config = {
      ...dev,
      relyingApplications: [
        ...dev.relyingApplications,
        {
          name: 'klip',
          callbackUrls: ['https://klip.example.be/cb'],
          logoutUrls: ['https://klip.example.be/'],
          apiAccess: true,
        },
      ],
    };

    const infra = buildInfra('dev', { config });

    expect([...infra.access.identity.clients.keys()]).toEqual([
      ...dev.relyingApplications.map((app) => app.name),
      'klip',
    ]);
    expect([...infra.access.identity.clients.values()]).not.toContain(infra.access.identity.nativeClient);
    infra.accessTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'klip',
      ExplicitAuthFlows: [],
      AllowedOAuthScopes: ['openid', 'profile', 'email', 'phone', 'eid-access/api'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
    const klip = Object.values(infra.accessTemplate.findResources('AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'klip',
    );
    expect(klip?.Properties.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
    infra.accessTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'klip',
      CallbackURLs: ['https://klip.example.be/cb'],
    });
  });
});
