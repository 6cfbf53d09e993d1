import { z } from 'zod';

/**
 * Per-stage configuration of the platform. Operators write it in `cdk.json` under
 * `context.stages.<stage>` (see docs/operations.md); `bin/app.ts` reads it, resolves the eIDAS
 * metadata file and validates it here once. Constructs only ever see the validated {@link StageConfig}.
 */

/** Retention periods CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code in upper case');

const httpsUrl = z.url({ protocol: /^https$/, error: 'expected an https:// URL' });

/** Cognito accepts http only for localhost callbacks, which the sandbox and local portals use. */
const callbackUrl = z.url({ error: 'expected a URL' }).refine(
  (value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
  },
  { error: 'expected an https:// URL (http:// only for localhost)' },
);

/** eIDAS levels of assurance, lowest first. */
export const EIDAS_LOAS = ['low', 'substantial', 'high'] as const;
export type EidasLoa = (typeof EIDAS_LOAS)[number];

/** Where the eIDAS gateway's SAML metadata comes from, as written in cdk.json. */
const metadataSourceSchema = z.union(
  [
    z.strictObject({ url: httpsUrl }),
    z.strictObject({
      /** Path of an XML file, relative to the project root. */
      file: z.string().min(1),
    }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: give { "url": "https://…" } (Cognito fetches it) or { "file": "<path>" } (the XML)'
        : 'expected { "url": "https://…" } or { "file": "<path>" }, not both and nothing else',
  },
);

/** An AWS region name, e.g. `eu-west-1`. */
/** A Secrets Manager secret name. */
const secretName = z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'expected a Secrets Manager secret name');

const awsRegion = z.string().regex(/^[a-z]{2}(?:-gov)?-[a-z]+-\d$/, 'expected an AWS region, e.g. eu-west-1');

/**
 * The name of the native app client (lib/constructs/identity.ts): the portal's sign-in of
 * registration-office accounts. Reserved: no relying application may take it.
 */
export const NATIVE_CLIENT_NAME = 'portal-native';

const relyingApplicationSchema = z.strictObject({
  /** Becomes the app client's name; letters, digits and dashes; never {@link NATIVE_CLIENT_NAME}. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, 'expected lower-case letters, digits and dashes')
    .refine((name) => name !== NATIVE_CLIENT_NAME, {
      error: `"${NATIVE_CLIENT_NAME}" is the native sign-in client of the portal: choose another name`,
    }),
  callbackUrls: z.array(callbackUrl).min(1),
  logoutUrls: z.array(callbackUrl).min(1),
  /**
   * May the application's access tokens carry the API scope `eid-access/api`, i.e. act on the
   * platform's API as the person who logged in (their organisations, administrators, rights and
   * requests)? Only for applications the operator runs or trusts as much as the portal; the
   * `portal` entry always may. Other applications get OpenID Connect's scopes only: what they need
   * of the person (roles, capacity) is in the tokens. @default false
   */
  apiAccess: z.boolean().default(false),
});

const logLevelSchema = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']);

/** The shape operators write in cdk.json (`context.stages.<stage>`). */
export const stageInputSchema = z.strictObject({
  /** CloudWatch Logs retention of every function's log group, in days. */
  logRetentionDays: z.number().refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
    error: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
  }),
  /** Log level of every function (`POWERTOOLS_LOG_LEVEL`). @default 'INFO' */
  logLevel: logLevelSchema.default('INFO'),
  /** What happens to the table, key, user pool and logs when the stack is deleted. @default 'retain' outside dev */
  removalPolicy: z.enum(['retain', 'destroy']).optional(),
  /** Deletion protection of the table and the user pool. @default true outside dev */
  deletionProtection: z.boolean().optional(),
  /**
   * Where the stage may be deployed. Synthesis refuses any other account or region (the one the
   * credentials point at, `CDK_DEFAULT_ACCOUNT`, and `AWS_REGION`/`CDK_DEFAULT_REGION`), so a stage
   * never lands in the wrong account. Required outside dev.
   */
  aws: z
    .strictObject({
      /** The 12-digit AWS account id. @default - any account (dev only) */
      account: z
        .string()
        .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
        .optional(),
      /** The regions the stage may be deployed to; the first is used when none is given. */
      regions: z.array(awsRegion).min(1),
    })
    .optional(),
  cognito: z.strictObject({
    /**
     * Prefix of the Cognito domain `<prefix>.auth.<region>.amazoncognito.com`: global per region, so
     * it must name the stage (e.g. `<org>-eid-access-<stage>`); a generic prefix is likely taken.
     */
    domainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected lower-case letters, digits and dashes')
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), {
        error: 'Cognito refuses domain prefixes containing aws, amazon or cognito',
      }),
    /** Cognito feature plan; pre token generation V2 needs at least essentials. @default 'essentials' */
    featurePlan: z.enum(['essentials', 'plus']).default('essentials'),
    /**
     * Threat protection (plus plan only): `audit` records risk scores and blocks nothing, `enforce`
     * blocks risky sign-ins. Start with audit on a new stage, review the risk events, then switch, as
     * AWS advises. @default 'audit'
     */
    threatProtection: z.enum(['audit', 'enforce']).default('audit'),
    /**
     * Offer SMS codes as a second factor to native (registration-office) accounts besides TOTP; needs
     * an SNS SMS role and SMS sandbox exit, which the stage arranges. @default false
     */
    smsMfa: z.boolean().default(false),
  }),
  eidas: z.strictObject({
    metadata: metadataSourceSchema,
    /** Sign authentication requests (rsa-sha256) with the Cognito-generated key. @default true */
    signRequests: z.boolean().default(true),
    /** Require assertions encrypted to the Cognito-generated key. @default true */
    encryptedResponses: z.boolean().default(true),
    /** Nationalities refused at an eIDAS login (they register at a local office). @default ['FR', 'GB'] */
    refusedNationalities: z.array(countryCode).default(['FR', 'GB']),
    /** Lowest eIDAS level of assurance accepted when the gateway forwards one. @default 'substantial' */
    minimumLoa: z.enum(EIDAS_LOAS).default('substantial'),
  }),
  itsme: z.strictObject({
    /** OIDC issuer, e.g. `https://idp.e2e.itsme.services/v2`; Cognito discovers the endpoints from it. */
    issuer: httpsUrl,
    clientId: z.string().min(1),
    /** itsme service code; requested as the `service:<code>` scope. */
    serviceCode: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, _ and -'),
    /** Name of the Secrets Manager secret whose SecretString is the itsme client secret. */
    clientSecretName: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'expected a Secrets Manager secret name'),
  }),
  /**
   * The EU Digital Identity Wallet bridge (ARCHITECTURE.md section 2a): an OIDC provider of our own
   * that the user pool federates to as `EUDIWallet`. Absent: no wallet login on this stage.
   */
  walletBridge: z
    .strictObject({
      /**
       * The OpenID4VP client id: `x509_san_dns:<dns name in the access certificate>` or
       * `x509_hash:<base64url SHA-256 of the access certificate>`.
       */
      verifierClientId: z.string().regex(/^(x509_san_dns|x509_hash):[A-Za-z0-9._~-]+$/, {
        error: 'expected x509_san_dns:<dns name> or x509_hash:<hash>',
      }),
      /** The relying party's name wallets show. */
      verifierName: z.string().min(1).max(100),
      /**
       * Name of the Secrets Manager secret with the bridge's keys (JSON: clientSecret,
       * idTokenSigningKey, accessCertificateKey, accessCertificateChain; see docs/operations.md).
       * Only the provider function reads it.
       */
      secretName: secretName,
      /**
       * Name of the Secrets Manager secret with the trusted PID providers' certificates (PEM text).
       * Only the verifier function reads it, and it reads nothing else: the function that handles
       * what any wallet posts holds no private key of the bridge.
       */
      trustAnchorsSecretName: secretName,
      /**
       * The bridge's public base URL when a custom domain serves it (needed with `x509_san_dns:`);
       * @default the HTTP API's own endpoint
       */
      issuer: httpsUrl.optional(),
      /**
       * Throttling of the bridge's HTTP API (requests per second, and burst). A wallet login makes
       * about 8 requests to the bridge (authorize, page, status, request object, response,
       * completion, Cognito's token and userinfo): the default carries about 2.5 logins/s.
       * @default { rateLimit: 20, burstLimit: 40 }
       */
      throttling: z
        .strictObject({ rateLimit: z.number().int().positive(), burstLimit: z.number().int().positive() })
        .optional(),
    })
    .refine((bridge) => bridge.trustAnchorsSecretName !== bridge.secretName, {
      path: ['trustAnchorsSecretName'],
      error: 'trustAnchorsSecretName must name its own secret, not the one with the keys',
    })
    .optional(),
  /** Applications that log users in through the user pool (one app client each). */
  relyingApplications: z
    .array(relyingApplicationSchema)
    .min(1)
    .refine((apps) => new Set(apps.map((app) => app.name)).size === apps.length, {
      error: 'relying application names must be unique',
    }),
  ses: z.strictObject({
    /** Verified SES identity the platform's e-mails are sent from. */
    sender: z.email(),
    /**
     * More SES identities the functions may send to while the account is in the SES sandbox, where
     * SES authorises every verified recipient as an identity too (dev: the testers' addresses).
     * @default []
     */
    additionalIdentities: z.array(z.string().min(3)).default([]),
  }),
  api: z.strictObject({
    /** Browser origins of the portals allowed to call the API (CORS); empty for none. */
    allowedOrigins: z.array(
      callbackUrl
        .refine((value) => new URL(value).pathname === '/', {
          error: 'expected an origin without a path, e.g. https://portal.example.be',
        })
        .transform((value) => new URL(value).origin),
    ),
    /** Stage-wide throttling of the REST API (requests per second, and burst). */
    throttling: z.strictObject({
      rateLimit: z.number().int().positive(),
      burstLimit: z.number().int().positive(),
    }),
    /**
     * Requests without an `Authorization` header per IP address and 5 minutes above which the web ACL
     * blocks the address. @default 1000
     */
    wafRateLimitPerIp: z.number().int().min(10).max(2_000_000_000).default(1000),
    /**
     * Requests per bearer token (the `Authorization` header) and 5 minutes above which the web ACL
     * blocks that token: one person, whatever address they share. @default 1000
     */
    wafRateLimitPerToken: z.number().int().min(10).max(2_000_000_000).default(1000),
    /**
     * Requests per IP address and 5 minutes, all requests counted, above which the web ACL blocks the
     * address: a backstop sized for an organisation of thousands behind one NAT address
     * (docs/operations.md, capacity plan). @default 50000
     */
    wafRateLimitPerAddress: z.number().int().min(10).max(2_000_000_000).default(50_000),
    /**
     * Let this stage own the account-wide API Gateway logging setting (`AWS::ApiGateway::Account`
     * and its role, which covers the log groups of every stage of the app in the account, retained
     * on delete). One setting per account and region: turn it on in exactly one stage, or leave it
     * off where the landing zone (or `aws apigateway update-account`) sets it. See docs/operations.md.
     * @default false
     */
    manageAccountLogging: z.boolean().default(false),
  }),
  bis: z.strictObject({
    /** Mailbox of the federal BIS agents: told when a request awaits review (no personal data in it). */
    agentsEmail: z.email(),
    /** Days an agent has to review before the request expires. @default 30 */
    reviewTimeoutDays: z.number().int().min(1).max(365).default(30),
    /** Days an applicant has to correct a request sent back to them. @default 30 */
    correctionTimeoutDays: z.number().int().min(1).max(365).default(30),
  }),
  organisations: z.strictObject({
    /** Mailbox of the security team that checks foreign-company registrations (no personal data in mails). */
    securityOfficersEmail: z.email(),
    /** Days the security team has to decide a foreign registration before it expires. @default 30 */
    reviewTimeoutDays: z.number().int().min(1).max(365).default(30),
  }),
  portal: z
    .strictObject({
      /**
       * Custom domain names of the portal (CloudFront). Without them the portal is served on its
       * `*.cloudfront.net` name, which exists only after the first deployment: add that origin to
       * `api.allowedOrigins` then and deploy again. @default []
       */
      domainNames: z
        .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'expected a domain name'))
        .default([]),
      /** ARN of the ACM certificate (in us-east-1) for `domainNames`. */
      certificateArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/,
          'expected an ACM certificate ARN in us-east-1',
        )
        .optional(),
      /**
       * The operating authority the portal names in its header and footer, with the helpdesk that its
       * help, privacy and accessibility pages point to. `logoUrl`: a `data:image/svg+xml` or PNG URL,
       * or a path on the portal's own origin (the CSP allows no other images).
       */
      authority: z
        .strictObject({
          name: z.string().min(1).max(120),
          email: z.email(),
          phone: z.string().max(40).optional(),
          logoUrl: z
            .string()
            .regex(
              /^(data:image\/(svg\+xml|png);|\/[^/\\])/,
              'expected a data:image URL or a path on the portal',
            )
            .optional(),
        })
        .optional(),
    })
    .default({ domainNames: [] }),
  rights: z
    .strictObject({
      /** Days local administrators have to decide a right request before it expires. @default 30 */
      decisionTimeoutDays: z.number().int().min(1).max(365).default(30),
      /** Hour (UTC) of the daily run that warns of grants expiring in 14 days and retires expired ones. @default 3 */
      expiryRunHourUtc: z.number().int().min(0).max(23).default(3),
    })
    .default({ decisionTimeoutDays: 30, expiryRunHourUtc: 3 }),
  /**
   * AWS Backup of the table (daily, kept `retentionDays`; monthly, kept a year): point-in-time
   * recovery alone keeps 35 days. Required in prod. @default true outside dev
   */
  backup: z
    .strictObject({
      enabled: z.boolean(),
      /** Days the daily recovery points are kept. @default 35 */
      retentionDays: z.number().int().min(7).max(36_500).default(35),
    })
    .optional(),
  observability: z
    .strictObject({
      /** Mailbox subscribed to the alarm topic (the subscription must be confirmed from the mail). */
      alarmEmail: z.email().optional(),
      /**
       * An existing SNS topic for the alarms (e.g. the organisation's on-call topic); without it the
       * stack creates an encrypted topic of its own. Its key policy must let CloudWatch publish.
       */
      alarmTopicArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'expected an SNS topic ARN')
        .optional(),
      /** p99 of API Gateway latency (ms, per 5 minutes) above which the API alarm fires. @default 2000 */
      apiP99LatencyMs: z.number().int().min(100).max(29_000).default(2000),
    })
    .default({ apiP99LatencyMs: 2000 }),
  /** AWS FIS experiment templates on the API and workflow functions; never in prod. @default disabled */
  faultExperiments: z
    .strictObject({
      /** Creates the templates and wires the FIS Lambda extension into the target functions. */
      enabled: z.boolean().default(false),
      /** Share of invocations an experiment fails (delays: twice as many). @default 10 */
      invocationPercentage: z.number().int().min(1).max(100).default(10),
      /** How long an experiment injects. @default 10 */
      durationMinutes: z.number().int().min(1).max(60).default(10),
    })
    .default({ enabled: false, invocationPercentage: 10, durationMinutes: 10 }),
});

/** A stage config as written in cdk.json. */
export type StageInput = z.input<typeof stageInputSchema>;

/** The eIDAS gateway metadata, resolved: a URL Cognito fetches, or the XML itself. */
export type EidasMetadata = { readonly url: string } | { readonly xml: string };

type ParsedInput = z.output<typeof stageInputSchema>;

/** The validated, resolved configuration of one stage: the only config constructs receive. */
export interface StageConfig
  extends Omit<ParsedInput, 'eidas' | 'removalPolicy' | 'deletionProtection' | 'aws' | 'backup'> {
  /** Stage name, part of every stack id (`eid-access-<stage>-…`). */
  readonly stage: string;
  readonly removalPolicy: 'retain' | 'destroy';
  readonly deletionProtection: boolean;
  /** Where the stage may be deployed (dev: any account when none is pinned). */
  readonly aws: { readonly account?: string; readonly regions: readonly string[] };
  readonly backup: { readonly enabled: boolean; readonly retentionDays: number };
  readonly eidas: Omit<ParsedInput['eidas'], 'metadata'> & { readonly metadata: EidasMetadata };
}

/** A stage config that failed validation; `issues` carry the path of each problem. */
export class StageConfigError extends Error {
  constructor(
    readonly stage: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
    options?: ErrorOptions,
  ) {
    super(
      `Invalid configuration for stage "${stage}":\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
      options,
    );
    this.name = 'StageConfigError';
  }
}

const stageNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,11}$/, 'expected 2-12 lower-case letters or digits');

/** Regions the dev stage may use when its config pins none. */
const DEFAULT_DEV_REGIONS = ['eu-west-1', 'eu-central-1', 'eu-west-3'];

/**
 * Values an operator must replace before a stage outside dev can deploy: they synthesize cleanly
 * and fail late in CloudFormation (or worse, deploy against someone else's domain).
 */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /replace[-_ ]?(?:with|me)/i,
  /placeholder/i,
  /change[-_ ]?me/i,
  /\bTODO\b/,
  // RFC 2606 names and the account id of the AWS documentation.
  /(?:^|[.@/])example(?:\.(?:be|com|org|net))?(?:$|[./:])/i,
  /(?:^|\D)123456789012(?:\D|$)/,
];

/** The field paths of every string in `input` that looks like a placeholder. */
export function placeholderPaths(input: unknown, path: readonly string[] = []): string[] {
  if (typeof input === 'string') {
    return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(input)) ? [path.join('.')] : [];
  }
  if (Array.isArray(input))
    return input.flatMap((item, index) => placeholderPaths(item, [...path, String(index)]));
  if (typeof input === 'object' && input !== null) {
    return Object.entries(input).flatMap(([key, value]) => placeholderPaths(value, [...path, key]));
  }
  return [];
}

/** Rules that need the stage name or several fields at once. */
function stageIssues(stage: string, input: ParsedInput): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const isDev = stage === 'dev';
  if (!isDev && !input.aws?.account) {
    issues.push({
      path: 'aws.account',
      message: 'required outside dev: the 12-digit account this stage deploys to',
    });
  }
  if (!input.cognito.domainPrefix.split('-').includes(stage)) {
    issues.push({
      path: 'cognito.domainPrefix',
      message: `expected a stage-specific prefix with "-${stage}" as a part (e.g. "<organisation>-eid-access-${stage}"): prefixes are global per region and a generic one is likely taken`,
    });
  }
  if (input.cognito.threatProtection === 'enforce' && input.cognito.featurePlan !== 'plus') {
    issues.push({
      path: 'cognito.threatProtection',
      message: 'threat protection needs cognito.featurePlan "plus"',
    });
  }
  if (stage === 'prod') {
    if (!input.observability.alarmEmail && !input.observability.alarmTopicArn) {
      issues.push({
        path: 'observability',
        message:
          'prod alarms must reach someone: give observability.alarmEmail or observability.alarmTopicArn',
      });
    }
    if (input.backup && !input.backup.enabled) {
      issues.push({ path: 'backup.enabled', message: 'prod keeps a backup of its table: true' });
    }
    if (!input.portal.authority) {
      issues.push({
        path: 'portal.authority',
        message:
          'prod names its operating authority in the portal header and footer: give portal.authority (name, helpdesk e-mail)',
      });
    }
  }
  return issues;
}

/** The portal is an app client of its own (`relyingApplications` entry `portal`) and an API origin. */
function portalIssues(input: ParsedInput): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!input.relyingApplications.some((app) => app.name === 'portal')) {
    issues.push({
      path: 'relyingApplications',
      message: 'expected an application named "portal" (the web portal)',
    });
  }
  const { domainNames, certificateArn } = input.portal;
  if (domainNames.length > 0 && !certificateArn) {
    issues.push({ path: 'portal.certificateArn', message: 'required with portal.domainNames' });
  }
  for (const [index, domain] of domainNames.entries()) {
    if (!input.api.allowedOrigins.includes(`https://${domain}`)) {
      issues.push({
        path: `portal.domainNames.${index}`,
        message: `https://${domain} must also be in api.allowedOrigins, or the portal cannot call the API`,
      });
    }
  }
  return issues;
}

/** The minimum an XML document needs to be SAML IdP metadata Cognito accepts. */
function looksLikeIdpMetadata(xml: string): boolean {
  return /<(?:\w+:)?EntityDescriptor[\s>]/.test(xml) && /<(?:\w+:)?IDPSSODescriptor[\s>]/.test(xml);
}

/**
 * Validates the cdk.json entry of a stage and resolves it into a {@link StageConfig}.
 *
 * @param stage the stage name (`-c stage=`)
 * @param input the raw `context.stages.<stage>` value
 * @param readText reads the eIDAS metadata file when the config names one (injected so this module
 *   never touches the file system or the CDK context itself)
 * @throws StageConfigError listing every invalid field with its path
 */
export function resolveStageConfig(
  stage: string,
  input: unknown,
  readText: (path: string) => string,
): StageConfig {
  const stageName = stageNameSchema.safeParse(stage);
  if (!stageName.success) {
    throw new StageConfigError(stage, [{ path: 'stage', message: stageName.error.issues[0]?.message ?? '' }]);
  }
  if (input === undefined) {
    throw new StageConfigError(stage, [
      { path: `stages.${stage}`, message: 'no configuration for this stage' },
    ]);
  }
  const isDev = stage === 'dev';
  const placeholders = isDev
    ? []
    : placeholderPaths(input).map((path) => ({
        path,
        message: 'placeholder value: replace it with the real one before deploying (docs/operations.md)',
      }));
  const parsed = stageInputSchema.safeParse(input);
  if (!parsed.success) {
    const schemaIssues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    const reported = new Set(schemaIssues.map((issue) => issue.path));
    throw new StageConfigError(stage, [
      ...schemaIssues,
      ...placeholders.filter((issue) => !reported.has(issue.path)),
    ]);
  }
  const crossFieldIssues = [
    ...portalIssues(parsed.data),
    ...stageIssues(stage, parsed.data),
    ...placeholders,
  ];
  if (crossFieldIssues.length > 0) throw new StageConfigError(stage, crossFieldIssues);
  const { eidas, removalPolicy, deletionProtection, aws, backup, ...rest } = parsed.data;
  const resolved: StageConfig = {
    ...rest,
    stage,
    removalPolicy: removalPolicy ?? (isDev ? 'destroy' : 'retain'),
    deletionProtection: deletionProtection ?? !isDev,
    aws: {
      ...(aws?.account ? { account: aws.account } : {}),
      regions: aws?.regions ?? DEFAULT_DEV_REGIONS,
    },
    backup: { enabled: backup?.enabled ?? !isDev, retentionDays: backup?.retentionDays ?? 35 },
    eidas: { ...eidas, metadata: resolveMetadata(stage, eidas.metadata, readText) },
  };
  if (stage === 'prod' && (resolved.removalPolicy !== 'retain' || !resolved.deletionProtection)) {
    throw new StageConfigError(stage, [
      {
        path: 'removalPolicy',
        message: 'prod keeps its data: removalPolicy retain and deletionProtection true',
      },
    ]);
  }
  if (stage === 'prod' && resolved.faultExperiments.enabled) {
    throw new StageConfigError(stage, [
      { path: 'faultExperiments.enabled', message: 'fault experiments run in non-production stages only' },
    ]);
  }
  return resolved;
}

function resolveMetadata(
  stage: string,
  source: z.output<typeof metadataSourceSchema>,
  readText: (path: string) => string,
): EidasMetadata {
  if ('url' in source) return { url: source.url };
  let xml: string;
  try {
    xml = readText(source.file);
  } catch (error) {
    throw new StageConfigError(
      stage,
      [{ path: 'eidas.metadata.file', message: `cannot read ${source.file}` }],
      { cause: error },
    );
  }
  if (!looksLikeIdpMetadata(xml)) {
    throw new StageConfigError(stage, [
      {
        path: 'eidas.metadata.file',
        message: `${source.file} is not SAML IdP metadata (no IDPSSODescriptor)`,
      },
    ]);
  }
  return { xml };
}

/** The account and region the deploying environment points at (unset when unknown, e.g. offline). */
export interface DeployTarget {
  /** `CDK_DEFAULT_ACCOUNT`: the account of the credentials, set by the CDK CLI. */
  readonly account?: string;
  /** `AWS_REGION` or `AWS_DEFAULT_REGION`: a region the operator chose for this run. */
  readonly region?: string;
  /**
   * `CDK_DEFAULT_REGION`: the CLI's region — the profile's, or `us-east-1` when the machine has no
   * AWS configuration at all. Taken only when it is one of the stage's regions.
   */
  readonly defaultRegion?: string;
}

/**
 * The environment the stage's stacks are pinned to: the configured account and the chosen region,
 * else the CLI's default region when it is one of the stage's regions, else the stage's first region.
 * The stacks always name their region, so the CLI deploys them there whatever its profile says; a
 * fresh machine without AWS configuration (the CLI then defaults to `us-east-1`) synthesizes too.
 *
 * @throws StageConfigError when the credentials point at another account than `aws.account`, or the
 *   chosen region (`AWS_REGION`) is not one of `aws.regions`.
 */
export function deployEnvironment(
  config: StageConfig,
  target: DeployTarget,
): { account?: string; region: string } {
  const issues: { path: string; message: string }[] = [];
  const pinned = config.aws.account;
  if (pinned && target.account && target.account !== pinned) {
    issues.push({
      path: 'aws.account',
      message: `stage ${config.stage} deploys to account ${pinned}, but the credentials are for account ${target.account}`,
    });
  }
  if (target.region && !config.aws.regions.includes(target.region)) {
    issues.push({
      path: 'aws.regions',
      message: `region ${target.region} (AWS_REGION) is not one of ${config.aws.regions.join(', ')}`,
    });
  }
  if (issues.length > 0) throw new StageConfigError(config.stage, issues);
  const account = pinned ?? target.account;
  const defaultRegion =
    target.defaultRegion && config.aws.regions.includes(target.defaultRegion)
      ? target.defaultRegion
      : undefined;
  const region = target.region ?? defaultRegion ?? (config.aws.regions[0] as string);
  return { ...(account ? { account } : {}), region };
}
