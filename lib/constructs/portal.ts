/**
 * The portal: a private S3 bucket behind CloudFront (origin access control), HTTPS only, strict
 * security headers, SPA routing by a CloudFront Function, and the Vite build of `portal/` deployed
 * with a `config.json` written at deploy time (API URL, Cognito domain, app client id).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { CfnUserPoolClient, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Policy } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeControl, acknowledgeHealthcarePacks } from '../compliance.ts';

/** The portal's sources, relative to this file. */
const PORTAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'portal');
/** Where the managed login sends the browser back (`portal/src/router.ts`). */
export const PORTAL_CALLBACK_PATH = '/auth/callback';
/** Languages offered by the portal, default first. */
export const PORTAL_LANGUAGES = ['nl', 'fr', 'en', 'de'] as const;

/**
 * The portal's Content-Security-Policy: everything from the portal's own origin, scripts and styles
 * as files only (no inline code, no eval), XHR/fetch only to `connectSources` (API, Cognito domain,
 * upload bucket), never framed.
 */
export function portalContentSecurityPolicy(options: {
  connectSources: readonly string[];
  /** Off for the plain-HTTP sandbox. @default true */
  upgradeInsecureRequests?: boolean;
}): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${options.connectSources.join(' ')}`.trim(),
    "manifest-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    ...(options.upgradeInsecureRequests === false ? [] : ['upgrade-insecure-requests']),
  ];
  return directives.join('; ');
}

/**
 * The viewer-request function of SPA routing: a path without a file extension is a page of the
 * app and gets `/index.html`; files (`/assets/…`, `/config.json`) pass through, so a missing asset
 * is an honest 403/404 instead of HTML.
 */
export const SPA_REWRITE_FUNCTION = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

/** Properties of {@link Portal}. */
/** The operating authority named in the portal's header and footer (trust signals). */
export interface PortalAuthority {
  readonly name: string;
  readonly email: string;
  readonly phone?: string;
  /** A `data:image/…` URL or a path on the portal's origin. */
  readonly logoUrl?: string;
}

export interface PortalProps {
  /**
   * Who operates the portal, for its header, footer and help pages.
   * @default none: the portal shows its own name and no helpdesk
   */
  readonly authority?: PortalAuthority;
  /** Base URL of the REST API for `config.json` (e.g. `api.restApi.url`). */
  readonly apiUrl: string;
  /**
   * Origin of the REST API for the CSP `connect-src`, e.g.
   * `https://${restApi.restApiId}.execute-api.${region}.${urlSuffix}`. Separate from `apiUrl` on
   * purpose: the URL names the deployment stage, and a header policy that referenced the stage
   * would close a dependency cycle as soon as the API's CORS origins name this distribution.
   */
  readonly apiOrigin: string;
  /** Base URL of the Cognito domain (`userPoolDomain.baseUrl()`): login, token and logout. */
  readonly authBaseUrl: string;
  /** The portal's app client: its id goes into `config.json`; this construct registers its URLs on it. */
  readonly userPoolClient: UserPoolClient;
  /**
   * The native app client (`portal-native`): the native login ("username and code"), its refresh and
   * the authenticator enrolment call Cognito's API with this client, never with `userPoolClient`.
   * @default - none: `config.json` names no native client and the portal offers no native login
   */
  readonly nativeClient?: UserPoolClient;
  /**
   * The pool's id for `config.json` (the native login's SRP hashes its name).
   * @default - the pool of `userPoolClient`
   */
  readonly userPoolId?: string;
  /**
   * Further `connect-src` origins, e.g. the extract bucket's for presigned uploads.
   * @default - `https://*.s3.<region>.amazonaws.com` (virtual-hosted presigned S3 URLs of this region)
   */
  readonly extraConnectSources?: readonly string[];
  /**
   * Custom domain names (with `certificate`, in us-east-1). Without them the portal is served on the
   * distribution's `*.cloudfront.net` name.
   * @default - none
   */
  readonly domainNames?: readonly string[];
  /** @default - the CloudFront default certificate */
  readonly certificate?: ICertificate;
  /**
   * The built site. Tests pass a small `Source.data`.
   * @default - `portal/` built with Vite at synthesis (skipped where bundling is skipped)
   */
  readonly siteSource?: ISource;
  /**
   * The callback URLs the relying applications registered (`relyingApplications[].callbackUrls`,
   * the portal's own excepted), for `config.json`: the only places `<portal>/capacity?return_to=`
   * sends a person back to.
   * @default []
   */
  readonly returnUrls?: readonly string[];
  /**
   * The identity providers the portal's app client offers (`eIDAS`, `itsme`, `EUDIWallet` where the
   * stage has a wallet bridge), for `config.json`: the portal shows a login button for each.
   * @default ['eIDAS', 'itsme']
   */
  readonly identityProviders?: readonly string[];
  /** Days access logs are kept. @default 90 */
  readonly logRetentionDays?: number;
  /** What happens to the buckets when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The portal's hosting. */
export class Portal extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** `https://<domain>`, the portal's origin (the first custom domain, else the CloudFront name). */
  readonly url: string;
  /** The callback registered on the app client. */
  readonly callbackUrl: string;
  /** What `config.json` holds (tokens resolved at deploy time). */
  readonly runtimeConfig: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const autoDeleteObjects = removalPolicy === RemovalPolicy.DESTROY;

    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are written with an ACL: the bucket must accept it.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays ?? 90) }],
      removalPolicy,
      autoDeleteObjects,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the portal bucket and distribution; logging it into itself ' +
        'would recurse, and a second log bucket would only move the finding.',
    });

    // SSE-S3, not KMS: the portal's files are public by design (served to every visitor), so a
    // customer key adds no confidentiality, while OAC over SSE-KMS needs a key policy naming this
    // distribution (a key-distribution cycle) and a KMS call per cache miss.
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy,
      autoDeleteObjects,
    });

    this.acknowledgeBucketControls();

    // The native login ("username and code") calls Cognito's Identity Provider API from the browser
    // (user pools are not offered in the partitions with another URL suffix).
    const cognitoIdpEndpoint = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com`;
    const connectSources = [
      props.apiOrigin,
      props.authBaseUrl,
      cognitoIdpEndpoint,
      ...(props.extraConnectSources ?? [`https://*.s3.${Stack.of(this).region}.amazonaws.com`]),
    ];
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'eid-access portal: CSP, HSTS, no framing, no sniffing, strict referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: portalContentSecurityPolicy({ connectSources }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const spaRewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'SPA routing: extensionless paths serve /index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_REWRITE_FUNCTION),
    });

    const custom = props.domainNames && props.domainNames.length > 0 && props.certificate;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'eid-access portal',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(custom
        ? {
            domainNames: [...(props.domainNames ?? [])],
            certificate: props.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: spaRewrite }],
      },
    });
    this.acknowledgeDistributionFindings(Boolean(custom));

    const domain = custom ? (props.domainNames?.[0] ?? '') : this.distribution.distributionDomainName;
    this.url = `https://${domain}`;
    this.callbackUrl = `${this.url}${PORTAL_CALLBACK_PATH}`;
    this.registerOnClient(props.userPoolClient);

    this.runtimeConfig = {
      apiBaseUrl: props.apiUrl,
      authBaseUrl: props.authBaseUrl,
      cognitoIdpEndpoint,
      userPoolId:
        props.userPoolId ?? (props.userPoolClient.node.defaultChild as CfnUserPoolClient).userPoolId,
      clientId: props.userPoolClient.userPoolClientId,
      ...(props.nativeClient ? { nativeClientId: props.nativeClient.userPoolClientId } : {}),
      redirectUri: this.callbackUrl,
      logoutUri: `${this.url}/`,
      languages: [...PORTAL_LANGUAGES],
      ...(props.authority ? { authority: props.authority } : {}),
      returnUrls: [...(props.returnUrls ?? [])],
      identityProviders: [...(props.identityProviders ?? ['eIDAS', 'itsme'])],
    };
    const config = Source.jsonData('config.json', this.runtimeConfig);
    const site = props.siteSource ?? portalBuildSource();
    // Hashed assets are immutable; index.html and config.json are revalidated on every load so a
    // deployment is visible at once. Two deployments, each pruning only its own files.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [site],
      exclude: ['index.html', 'config.json'],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      memoryLimit: 512,
    });
    const entry = new BucketDeployment(this, 'DeployEntry', {
      destinationBucket: this.bucket,
      sources: [site, config],
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    entry.node.addDependency(assets);
    this.acknowledgeDeploymentFindings([assets, entry]);
  }

  /**
   * Adds the portal's callback and logout URLs to the app client's registered ones (once: a stage with
   * a custom domain usually lists them in its config already, and Cognito refuses duplicates).
   */
  private registerOnClient(client: UserPoolClient): void {
    const cfn = client.node.defaultChild as CfnUserPoolClient;
    const withUrl = (urls: string[] | undefined, url: string) => [...new Set([...(urls ?? []), url])];
    cfn.callbackUrLs = withUrl(cfn.callbackUrLs, this.callbackUrl);
    cfn.logoutUrLs = withUrl(cfn.logoutUrLs, `${this.url}/`);
  }

  /**
   * The Control Tower, HIPAA and NIST findings on the two portal buckets that are accepted by design:
   * public static files rebuilt at every deploy, and the log bucket CloudFront and S3 write into.
   */
  private acknowledgeBucketControls(): void {
    const rebuilt =
      'The portal files are public static assets rebuilt from the repository and replaced by every ' +
      'deploy (BucketDeployment with prune)';
    acknowledgeControl(this.bucket, 'CT.S3.PR.9', `${rebuilt}: object lock would refuse that replacement.`);
    acknowledgeHealthcarePacks(
      this.bucket,
      'S3BucketReplicationEnabled',
      `${rebuilt}: the repository is the copy to restore from, in any region.`,
    );
    acknowledgeControl(
      this.bucket,
      'CT.S3.PR.10',
      `${rebuilt}; they hold no personal data, so a customer key adds no confidentiality while OAC over ` +
        'SSE-KMS needs a key policy naming this distribution and a KMS call per cache miss (SSE-S3 encrypts them).',
    );
    acknowledgeHealthcarePacks(
      this.bucket,
      'S3DefaultEncryptionKMS',
      `${rebuilt}; they hold no personal data, so SSE-S3 is used instead of a customer-managed key.`,
    );
    const events =
      'Nothing reacts to object events in this bucket: its writers are CDK deployments and log delivery, ' +
      'and nothing downstream consumes them.';
    acknowledgeControl(this.bucket, 'CT.S3.PR.4', events);
    acknowledgeControl(this.logBucket, 'CT.S3.PR.4', events);
    const logs =
      'The access-log bucket of the portal bucket and distribution; S3 server access logging supports ' +
      'only SSE-S3 default encryption on its destination bucket, so no customer-managed key';
    acknowledgeControl(this.logBucket, 'CT.S3.PR.10', `${logs}.`);
    acknowledgeHealthcarePacks(this.logBucket, 'S3DefaultEncryptionKMS', `${logs}.`);
    acknowledgeControl(
      this.logBucket,
      'CT.S3.PR.2',
      `${logs}; logging it into itself would recurse and a second log bucket would only move the finding.`,
    );
    const writeOnce =
      'Log objects are written once by the log delivery services and expire with the stage log retention; ' +
      'versions, replication or object lock would keep access logs (IP addresses, personal data) beyond it.';
    acknowledgeControl(this.logBucket, 'CT.S3.PR.11', writeOnce);
    acknowledgeControl(this.logBucket, 'CT.S3.PR.9', writeOnce);
    acknowledgeHealthcarePacks(this.logBucket, 'S3BucketVersioningEnabled', writeOnce);
    acknowledgeHealthcarePacks(this.logBucket, 'S3BucketReplicationEnabled', writeOnce);
  }

  private acknowledgeDistributionFindings(customDomain: boolean): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: the portal serves EU citizens and foreign professionals wherever they are ' +
        '(eIDAS logins come from every member state and beyond); the API behind it enforces access.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, no server logic behind this distribution: the regional WAF with rate limits ' +
        'protects the REST API, where the requests that matter go.',
    });
    acknowledgeControl(
      this.distribution,
      'CT.CLOUDFRONT.PR.4',
      'One origin, the portal bucket in the stage region behind OAC: S3 is the regional failover itself, and a ' +
        'second origin would be a replicated copy of files the repository rebuilds at every deploy.',
    );
    if (!customDomain) {
      const defaultDomain =
        'Without a custom domain (dev) CloudFront serves *.cloudfront.net with its default certificate, which ' +
        'needs no SNI and whose minimum protocol cannot be raised; stages with domainNames and certificate pass.';
      acknowledgeControl(this.distribution, 'CT.CLOUDFRONT.PR.6', defaultDomain);
      acknowledgeControl(this.distribution, 'CT.CLOUDFRONT.PR.7', defaultDomain);
      acknowledgeControl(this.distribution, 'CT.CLOUDFRONT.PR.9', defaultDomain);
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves *.cloudfront.net with its default certificate, whose ' +
          'minimum protocol cannot be raised; pass domainNames and certificate to enforce TLS 1.2 (2021).',
      });
    }
  }

  /**
   * BucketDeployment's provider (a CDK singleton Lambda) comes with the AWS managed basic execution
   * policy, grants with action and resource wildcards, and a runtime CDK pins. Its policy is read
   * after both deployments added their grants, and each wildcard is acknowledged by its exact id.
   */
  private acknowledgeDeploymentFindings(deployments: readonly BucketDeployment[]): void {
    const role = deployments[0]?.handlerRole;
    if (!role) return;
    const handler = role.node.scope;
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of CDK's BucketDeployment provider function is chosen by aws-cdk-lib (it bundles " +
          'the AWS CLI); it runs only while CloudFormation deploys the portal.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's BucketDeployment provider function writes its logs with the AWS managed basic execution " +
        'policy; it runs only during deployments.',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (!(policy instanceof Policy)) return;
    const document = Stack.of(this).resolve(policy.document) as {
      Statement?: { Effect?: string; Action?: unknown; Resource?: unknown }[];
    };
    const wildcards = new Set<string>();
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asArray(statement.Action).map(flattenCfnReference)) {
        if (action.includes('*')) wildcards.add(`Action::${action}`);
      }
      for (const resource of asArray(statement.Resource).map(flattenCfnReference)) {
        if (resource.includes('*')) wildcards.add(`Resource::${resource}`);
      }
    }
    for (const finding of wildcards) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "CDK's BucketDeployment grants: read of the CDK asset bucket's objects, read/write/delete of the " +
          "portal bucket's objects (sync with prune), and CloudFront invalidations, which it requests on '*'.",
      });
    }
  }
}

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** A CloudFormation value as cdk-nag spells it in finding ids (`<Logical.Arn>/*`, `<AWS::Region>`). */
export function flattenCfnReference(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node !== 'object' || node === null) return node === undefined ? '' : JSON.stringify(node);
  const value = node as Record<string, unknown>;
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [delimiter, items] = join as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flattenCfnReference(value['Fn::Sub']);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${flattenCfnReference(getAtt[0])}.${flattenCfnReference(getAtt[1])}>`;
  if (value['Fn::ImportValue'] !== undefined) return flattenCfnReference(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flattenCfnReference(value.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * `portal/` built by Vite at synthesis (local bundling, no Docker). The asset hash is the sources'
 * (not the output's) so an unchanged portal is not uploaded again.
 */
export function portalBuildSource(): ISource {
  const vite = join(PORTAL_DIR, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  return Source.asset(PORTAL_DIR, {
    assetHashType: AssetHashType.SOURCE,
    exclude: ['dist', 'node_modules', '*.md'],
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          const result = spawnSync(
            process.execPath,
            [
              vite,
              'build',
              '--config',
              join(PORTAL_DIR, 'vite.config.ts'),
              '--outDir',
              outputDir,
              '--emptyOutDir',
            ],
            { cwd: PORTAL_DIR, stdio: 'inherit' },
          );
          if (result.status !== 0)
            throw new Error(`The portal build failed (exit ${result.status ?? result.signal})`);
          return true;
        },
      },
    },
  });
}
