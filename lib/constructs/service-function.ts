import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arn, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDeclaration, type FunctionPath } from '../functions.ts';
import { type TableAccess, tableAccessStatements } from '../table-access.ts';

/** The project root: bundling resolves `#shared/*` imports and the lock file from here. */
const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Lets CommonJS dependencies bundled into an ESM output still call `require` for Node built-ins
 * (esbuild's ESM shim throws "Dynamic require of … is not supported" otherwise).
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __eidCreateRequire } from 'node:module'; const require = __eidCreateRequire(import.meta.url);";

export type { TableAccess, TableAction } from '../table-access.ts';
export { tablePartitions } from '../table-access.ts';

/** KMS actions DynamoDB performs with the caller's permissions on a table encrypted with a CMK. */
const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** Properties of a {@link ServiceFunction}. */
export interface ServiceFunctionProps {
  /** Absolute path of the handler module (a `lambdas/<context>/<name>.ts` file). */
  readonly entry: string;
  /**
   * Service name (`POWERTOOLS_SERVICE_NAME`, the `service` of logs and metrics), the bounded context the
   * function belongs to.
   */
  readonly serviceName: string;
  /** Retention of the function's log group. */
  readonly logRetention: RetentionDays;
  /**
   * Removal policy of the function's log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Log level (`POWERTOOLS_LOG_LEVEL`, read by `lambdas/shared/logger.ts`).
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Exported handler name in the entry module.
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Memory in MB; on Lambda, CPU scales with it, and 1024 keeps cold starts short for small bundles.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Timeout; Cognito gives triggers about 5 seconds, API Gateway 29.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Additional environment variables; prefer a `bind…` method, which grants access at the same time.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Short description shown in the Lambda console.
   * @default - none
   */
  readonly description?: string;
  /**
   * Packages the bundle resolves to a project module instead (esbuild `--alias`), by package name;
   * paths are relative to the project root.
   * @default - none
   */
  readonly bundleAliases?: Readonly<Record<string, string>>;
}

/** How a context construct's functions log: the stage's settings, passed on to each of its functions. */
export interface FunctionLogging {
  /** Retention of the functions' log groups (and of the construct's other log groups). */
  readonly logRetention: RetentionDays;
  /**
   * Removal policy of the functions' log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Log level of the functions (`POWERTOOLS_LOG_LEVEL`, read by `lambdas/shared/logger.ts`).
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** What a context construct passes on to each of its functions: its log settings and the table. */
export interface FunctionContext extends FunctionLogging {
  /**
   * The single table, for functions created with a `tableAccess`.
   * @default - none
   */
  readonly table?: ITable;
  /**
   * The table's customer-managed key.
   * @default - an AWS-owned key
   */
  readonly tableKey?: IKey;
}

/** Options of {@link ServiceFunction.declared}. */
export interface DeclaredFunctionOptions {
  /**
   * What the function does on the context's table: binds it (see {@link ServiceFunction.bindTable}).
   * @default - no table access
   */
  readonly tableAccess?: TableAccess;
  /**
   * Environment variables only the construct knows (stage values, resource names).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Options of {@link ServiceFunction.bindTable}. */
export interface BindTableOptions {
  /**
   * Environment variable that receives the table name.
   * @default 'TABLE_NAME'
   */
  readonly environmentVariable?: string;
}

/**
 * The house Lambda function: Node.js 24 on ARM64, an ESM bundle (minified, with source maps) built
 * locally by esbuild, active X-Ray tracing, an explicit log group with the stage's retention, the
 * logger and metrics environment (`POWERTOOLS_*`), and a role that starts with nothing but writing to its own log group.
 *
 * Access to other resources is added only through `bind…` methods, each of which sets the
 * environment variable the handler reads and grants exactly the actions it needs, so the two can
 * never drift apart. Later contexts add their own `bind…` methods here in the same style.
 */
export class ServiceFunction extends Construct {
  /**
   * The function the catalogue (lib/functions.ts) declares at `path`, created in `scope` under the
   * path's last segment: entry module, service name, description and timeout come from the catalogue;
   * log settings, the table and any other environment from the context construct.
   *
   * @param scope the context construct (the path's first segment)
   * @param path the function's construct path below the stack, e.g. `Bis/Api`
   * @param context the context's log settings, and its table when `options.tableAccess` is given
   * @throws Error when `options.tableAccess` is given without `context.table`
   */
  static declared(
    scope: Construct,
    path: FunctionPath,
    context: FunctionContext,
    options: DeclaredFunctionOptions = {},
  ): ServiceFunction {
    const declaration: FunctionDeclaration | undefined = FUNCTIONS[path];
    if (!declaration) throw new Error(`${scope.node.path}: lib/functions.ts declares no function ${path}`);
    const fn = new ServiceFunction(scope, path.slice(path.lastIndexOf('/') + 1), {
      entry: join(PROJECT_ROOT, declaration.entry),
      serviceName: declaration.serviceName,
      description: declaration.description,
      ...(declaration.timeoutSeconds ? { timeout: Duration.seconds(declaration.timeoutSeconds) } : {}),
      logRetention: context.logRetention,
      ...(context.logRemovalPolicy ? { logRemovalPolicy: context.logRemovalPolicy } : {}),
      ...(context.logLevel ? { logLevel: context.logLevel } : {}),
      ...(options.environment ? { environment: options.environment } : {}),
      ...(declaration.bundleAliases ? { bundleAliases: declaration.bundleAliases } : {}),
    });
    if (options.tableAccess) {
      if (!context.table) throw new Error(`${fn.node.path}: a table access needs the context's table`);
      fn.bindTable(context.table, context.tableKey, options.tableAccess);
    }
    return fn;
  }

  /** The underlying function. */
  readonly function: NodejsFunction;
  /** The execution role (no managed policies). */
  readonly role: Role;
  /** The function's log group. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // An own role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole, which allows writing to every log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      description: props.description,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'eid-access',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        ...(props.bundleAliases ? { esbuildArgs: aliasArgs(props.bundleAliases) } : {}),
      },
    });

    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions; every other statement of this role names its resources.',
      });
    }
  }

  /**
   * Gives the function the table: sets the table-name variable and grants exactly `access` (actions
   * on the base table and queries on the named indexes, each limited by `dynamodb:LeadingKeys` to the
   * partitions the function uses; see lib/table-access.ts), plus the use of the table's
   * customer-managed key through DynamoDB only.
   *
   * @param table the table
   * @param key the table's customer-managed key, or `undefined` for a table with an AWS-owned key
   * @param access the actions and partitions the handler uses
   */
  bindTable(table: ITable, key: IKey | undefined, access: TableAccess, options: BindTableOptions = {}) {
    this.function.addEnvironment(options.environmentVariable ?? 'TABLE_NAME', table.tableName);
    for (const statement of tableAccessStatements(this.node.path, table, access)) {
      this.role.addToPrincipalPolicy(statement);
    }
    if (key) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: [...TABLE_KEY_ACTIONS],
          resources: [key.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
    return this;
  }

  /**
   * Lets the function send e-mail from one verified SES identity: sets `MAIL_FROM` and grants
   * `ses:SendEmail` on that identity only, and only with that From address.
   *
   * @param sender the verified sender address
   * @param identity the SES identity the address belongs to (the address or its domain)
   * @default identity - the sender address itself
   */
  bindMailSender(sender: string, identity: string = sender) {
    this.function.addEnvironment('MAIL_FROM', sender);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [
          Arn.format({ service: 'ses', resource: 'identity', resourceName: identity }, Stack.of(this)),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': sender } },
      }),
    );
    return this;
  }
}

/** esbuild's `--alias:<package>=<module>` arguments, with each module made absolute below the project. */
function aliasArgs(aliases: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(aliases).map(([name, module]) => [`--alias:${name}`, join(PROJECT_ROOT, module)]),
  );
}
