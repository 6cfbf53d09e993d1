import { runInNewContext } from 'node:vm';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  Portal,
  type PortalProps,
  portalContentSecurityPolicy,
  SPA_REWRITE_FUNCTION,
} from '#lib/constructs/portal';
import { cdkJsonContext, logicalIdOf } from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

const API_ORIGIN = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
const AUTH_BASE_URL = 'https://eid-access-test.auth.eu-west-1.amazoncognito.com';

/** A stack with a user pool, its portal client and the portal (a two-file site, no Vite build). */
function buildPortal(
  overrides: Partial<PortalProps> = {},
  options: { environmentAgnostic?: boolean; nativeClient?: boolean } = {},
) {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    outdir: testAppOutdir(),
  });
  const stack = new Stack(
    app,
    'PortalTest',
    options.environmentAgnostic ? {} : { env: { account: '123456789012', region: 'eu-west-1' } },
  );
  const userPool = new UserPool(stack, 'Pool');
  const client = userPool.addClient('PortalClient', {
    oAuth: {
      flows: { authorizationCodeGrant: true },
      callbackUrls: ['http://localhost:3000/auth/callback'],
      logoutUrls: ['http://localhost:3000/'],
    },
  });
  const nativeClient = options.nativeClient
    ? userPool.addClient('NativeClient', { disableOAuth: true })
    : undefined;
  const portal = new Portal(stack, 'Portal', {
    apiUrl: `${API_ORIGIN}/prod/`,
    apiOrigin: API_ORIGIN,
    authBaseUrl: AUTH_BASE_URL,
    userPoolClient: client,
    siteSource: Source.data('index.html', '<!doctype html><title>portal</title>'),
    removalPolicy: RemovalPolicy.DESTROY,
    ...(nativeClient ? { nativeClient } : {}),
    ...overrides,
  });
  return { app, stack, portal, client, nativeClient, userPool, template: Template.fromStack(stack) };
}

/** The rewrite function of the distribution, run as CloudFront would (cloudfront-js-2.0 is ES5+). */
function rewrite(uri: string): string {
  const handler = runInNewContext(`${SPA_REWRITE_FUNCTION}; handler`) as (event: {
    request: { uri: string };
  }) => { uri: string };
  return handler({ request: { uri } }).uri;
}

describe('Portal', () => {
  it('keeps the site bucket private, encrypted and TLS-only when it is built', () => {
    const { template, portal } = buildPortal();

    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalIdOf(portal.logBucket) },
        LogFilePrefix: 's3/',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(portal.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('reads the bucket only through CloudFront origin access control when it is built', () => {
    const { template, portal } = buildPortal();

    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(portal.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
  });

  it('redirects HTTP to HTTPS and logs requests when the distribution is built', () => {
    const { template, portal } = buildPortal();

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: logicalIdOf(portal.responseHeadersPolicy) },
        }),
        Logging: Match.objectLike({ Bucket: Match.anyValue(), Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('sends CSP, HSTS, frame denial, nosniff and a strict referrer policy when the headers policy is built', () => {
    const { template } = buildPortal();

    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.anyValue(),
            Override: true,
          },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63072000,
            IncludeSubdomains: true,
            Preload: true,
            Override: true,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
        },
      }),
    });
  });

  it('allows connections only to itself, the API, the Cognito domain and API (and S3 uploads) when the CSP is rendered', () => {
    const { template, stack } = buildPortal({ extraConnectSources: ['https://uploads.example'] });

    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const csp = stack.resolve(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    ) as string;

    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['connect-src']).toEqual([
      "'self'",
      API_ORIGIN,
      AUTH_BASE_URL,
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://uploads.example',
    ]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('omits upgrade-insecure-requests only when asked to (the plain-HTTP sandbox)', () => {
    expect(portalContentSecurityPolicy({ connectSources: [] })).toContain('upgrade-insecure-requests');
    expect(portalContentSecurityPolicy({ connectSources: [], upgradeInsecureRequests: false })).not.toContain(
      'upgrade-insecure-requests',
    );
  });

  it('routes pages to index.html with a viewer-request function when the distribution is built', () => {
    const { template } = buildPortal();

    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: SPA_REWRITE_FUNCTION,
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
  });

  it.each([
    ['/', '/index.html'],
    ['/profile', '/index.html'],
    ['/org/0403019261/inbox', '/index.html'],
    ['/request', '/index.html'],
    ['/assets/index-abc.js', '/assets/index-abc.js'],
    ['/config.json', '/config.json'],
  ])('rewrites %s to %s when the SPA function runs', (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });

  it('writes config.json with the API URL, the Cognito domain, the pool id and the client id at deploy time', () => {
    const { template, client, userPool, portal, stack } = buildPortal();

    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const entry = deployments.find((d) => JSON.stringify(d.Properties.Include ?? []).includes('config.json'));
    expect(entry).toBeDefined();
    const markers = JSON.stringify(stack.resolve(entry?.Properties.SourceMarkers));
    expect(markers).toContain(JSON.stringify(stack.resolve(client.userPoolClientId)).slice(1, -1));
    expect(markers).toContain(JSON.stringify(stack.resolve(userPool.userPoolId)).slice(1, -1));
    expect(JSON.stringify(stack.resolve(entry?.Properties))).toContain('/index.html');
    expect(portal.callbackUrl).toMatch(/\/auth\/callback$/);
  });

  it('names the native client in config.json, apart from the federated portal client, when one is given', () => {
    const { portal, stack, client, nativeClient } = buildPortal({}, { nativeClient: true });

    expect(stack.resolve(portal.runtimeConfig.nativeClientId)).toEqual({
      Ref: logicalIdOf(nativeClient as never),
    });
    expect(stack.resolve(portal.runtimeConfig.clientId)).toEqual({ Ref: logicalIdOf(client) });
    expect(buildPortal().portal.runtimeConfig).not.toHaveProperty('nativeClientId');
  });

  it('writes the registered callback URLs of the relying applications into config.json', () => {
    const returnUrls = ['https://klip.example.be/auth/callback'];
    expect(buildPortal({ returnUrls }).portal.runtimeConfig.returnUrls).toEqual(returnUrls);
    expect(buildPortal().portal.runtimeConfig.returnUrls).toEqual([]);
  });

  it('writes the operating authority of the stage into config.json when one is configured', () => {
    const authority = { name: 'Digitaal Vlaanderen', email: 'helpdesk@vlaanderen.example' };
    expect(buildPortal({ authority }).portal.runtimeConfig.authority).toEqual(authority);
    expect(buildPortal().portal.runtimeConfig).not.toHaveProperty('authority');
  });

  it('registers the distribution URLs on the app client next to the configured ones', () => {
    const { template, client, portal, stack } = buildPortal();

    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['http://localhost:3000/auth/callback', stack.resolve(portal.callbackUrl)],
      LogoutURLs: ['http://localhost:3000/', stack.resolve(`${portal.url}/`)],
    });
    expect(logicalIdOf(client)).toBeDefined();
  });

  it('serves a custom domain with TLS 1.2 (2021) when a certificate is given', () => {
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    const { template, portal } = buildPortal({
      domainNames: ['portal.example.be'],
      certificate: Certificate.fromCertificateArn(
        new Stack(new App({ outdir: testAppOutdir() }), 'Certs'),
        'Cert',
        certificateArn,
      ),
    });

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['portal.example.be'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
    expect(portal.callbackUrl).toBe('https://portal.example.be/auth/callback');
  });

  it.each([
    ['in an account and region', false],
    ['environment-agnostic, as bin/app.ts builds it', true],
  ])(
    'reports no unacknowledged cdk-nag finding when the portal is checked %s',
    (_case, environmentAgnostic) => {
      const { app } = buildPortal({}, { environmentAgnostic });

      const report = new AwsSolutionsChecks().validateScope(app);

      const portalFindings = report.violations
        .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
        .filter((finding) => !finding.includes('/Pool'));
      expect(portalFindings).toEqual([]);
    },
  );
});
