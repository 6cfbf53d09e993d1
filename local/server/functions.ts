/**
 * The Lambda functions of the synthesized template, run unchanged in the sandbox's process: which
 * module each one is, and the environment it gets — the template's `Environment.Variables` with
 * references resolved to the local stand-ins (the local table, a local state machine ARN...).
 *
 * All handlers share one `process.env` and one module graph, so a variable two functions set to
 * different values cannot be honoured: {@link mergeEnvironments} refuses it, except for the few
 * {@link PER_FUNCTION_VARIABLES} that only label logs.
 */
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { declaredFunctions } from '#lib/functions';
import type { PolicyStatementJson } from '#local/aws/dynamodb-authorization';
import { LOCAL_AWS } from '#local/step-functions';
import {
  type CfnTemplate,
  constructPathOf,
  PROJECT_ROOT,
  referencedLogicalId,
  resourcesOfType,
  type TemplateResource,
} from './template.ts';

/**
 * The entry module of each function, by construct path below the stack (`<Construct>/.../Function`),
 * from the function catalogue (lib/functions.ts): bundled functions keep no trace of their entry in a
 * template whose bundling was skipped, so the catalogue is the link; startup fails when a function
 * the sandbox must run is missing from it.
 */
export const FUNCTION_ENTRIES: Readonly<Record<string, string>> = Object.fromEntries(
  declaredFunctions().map(([path, { entry }]) => [`${path}/Function`, entry]),
);

/** The user pool id of the sandbox (its region prefix is the local region); every pool resolves to it. */
export const SANDBOX_POOL_ID = 'eu-west-1_sandbox';

/**
 * Variables that may differ between functions: they only name the service in log lines. Module-scope
 * readers shared by several functions (e.g. the HTTP layer's logger) see the first function's value.
 */
export const PER_FUNCTION_VARIABLES: readonly string[] = ['POWERTOOLS_SERVICE_NAME'];

/** Variables of the template that mean nothing in this process. */
const IGNORED_VARIABLES = new Set(['NODE_OPTIONS']);

/** A function of the template. */
export interface TemplateFunction {
  logicalId: string;
  /** Construct path below the stack, e.g. `Bis/Api/Function`. */
  constructPath: string;
  /** Absolute path of the entry module, or `undefined` when {@link FUNCTION_ENTRIES} lacks it. */
  entry: string | undefined;
  /** The exported handler name (`index.handler` → `handler`). */
  handlerExport: string;
  /** The template's raw `Environment.Variables`. */
  variables: Record<string, unknown>;
}

/** The functions of a template. */
export function templateFunctions(template: CfnTemplate): TemplateFunction[] {
  return resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, resource]) => {
    const fullPath = constructPathOf(resource) ?? logicalId;
    const constructPath = fullPath
      .split('/')
      .slice(1)
      .filter((part, index, parts) => !(index === parts.length - 1 && part === 'Resource'))
      .join('/');
    const relative = FUNCTION_ENTRIES[constructPath];
    const handler = String(resource.Properties?.Handler ?? 'index.handler');
    const environment = resource.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    return {
      logicalId,
      constructPath,
      entry: relative === undefined ? undefined : resolve(PROJECT_ROOT, relative),
      handlerExport: handler.slice(handler.lastIndexOf('.') + 1),
      variables: environment?.Variables ?? {},
    };
  });
}

/** What references in the environment resolve to locally. */
export interface LocalResources {
  /** The one local table: every `AWS::DynamoDB::Table` resolves to it. */
  tableName: string;
  /** The data stack's template, to follow cross-stack references (`Fn::GetStackOutput`, `Fn::ImportValue`). */
  dataTemplate?: CfnTemplate & { Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }> };
}

/** The local ARN of a state machine of the template: the runner is named after its logical id. */
export function localStateMachineArn(logicalId: string): string {
  const { partition, region, accountId } = LOCAL_AWS;
  return `arn:${partition}:states:${region}:${accountId}:stateMachine:${logicalId}`;
}

/** `arn:<partition>:dynamodb:<region>:<account>`, the prefix of the local table's ARN. */
export function localDynamoDbArnPrefix(): string {
  const { partition, region, accountId } = LOCAL_AWS;
  return `arn:${partition}:dynamodb:${region}:${accountId}`;
}

/** The local ARN of the one local table (what a template's table `Arn` resolves to). */
export function localTableArn(tableName: string): string {
  return `${localDynamoDbArnPrefix()}:table/${tableName}`;
}

/**
 * The DynamoDB statements of a function's execution role in `template` (every `AWS::IAM::Policy`
 * attached to the role the function's `Role` names), references resolved to local ARNs: what the
 * sandbox's DynamoDB endpoint authorises the function's calls against.
 */
export function dynamoDbStatementsOf(
  functionLogicalId: string,
  template: CfnTemplate,
  local: LocalResources,
): PolicyStatementJson[] {
  const fn = template.Resources?.[functionLogicalId];
  const role = referencedLogicalId(fn?.Properties?.Role);
  if (!role) return [];
  const statements: PolicyStatementJson[] = [];
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    const roles = (policy.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((entry) => referencedLogicalId(entry) === role)) continue;
    const document = policy.Properties?.PolicyDocument as
      | { Statement?: Record<string, unknown>[] }
      | undefined;
    for (const statement of document?.Statement ?? []) {
      const actions = [statement.Action].flat().map(String);
      if (!actions.some((action) => action === '*' || action.toLowerCase().startsWith('dynamodb:'))) continue;
      const resolve = (value: unknown) => resolveEnvironmentValue(value, template, local);
      statements.push({
        Effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
        Action: actions,
        Resource: [statement.Resource].flat().map(resolve),
        ...(statement.Condition
          ? { Condition: statement.Condition as NonNullable<PolicyStatementJson['Condition']> }
          : {}),
      });
    }
  }
  return statements;
}

/**
 * The local name of a bucket of the template, in the sandbox's S3 emulator: a valid S3 bucket name
 * (lower case) that stays the same across restarts.
 */
export function localBucketName(logicalId: string): string {
  return `sandbox-${logicalId.toLowerCase()}`.slice(0, 63);
}

/** The local ARN of a KMS key of the template (nothing checks or uses keys locally). */
export function localKmsKeyArn(logicalId: string): string {
  const { partition, region, accountId } = LOCAL_AWS;
  return `arn:${partition}:kms:${region}:${accountId}:key/${logicalId}`;
}

/**
 * The local value of a `Ref`/`Fn::GetAtt` target: the table name, a state machine's local ARN, a
 * bucket's local name (its ARN for `Arn`), a KMS key's local ARN (its id for `Ref`), the user pool's
 * local id ({@link SANDBOX_POOL_ID}, its ARN for `Arn`), and the logical id for anything else (what a `Ref` to a named resource, e.g. a configuration set, is).
 */
function localValueOf(
  logicalId: string,
  resource: TemplateResource | undefined,
  local: LocalResources,
  attribute?: string,
): string {
  switch (resource?.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return attribute === 'Arn' ? localTableArn(local.tableName) : local.tableName;
    case 'AWS::StepFunctions::StateMachine':
      return localStateMachineArn(logicalId);
    case 'AWS::S3::Bucket':
      return attribute === 'Arn'
        ? `arn:${LOCAL_AWS.partition}:s3:::${localBucketName(logicalId)}`
        : localBucketName(logicalId);
    case 'AWS::KMS::Key':
      return attribute === 'Arn' ? localKmsKeyArn(logicalId) : logicalId;
    case 'AWS::Cognito::UserPool':
      return attribute === 'Arn'
        ? `arn:${LOCAL_AWS.partition}:cognito-idp:${LOCAL_AWS.region}:${LOCAL_AWS.accountId}:userpool/${SANDBOX_POOL_ID}`
        : SANDBOX_POOL_ID;
    default:
      return logicalId;
  }
}

/**
 * Resolves one environment value of `template`.
 * @throws Error for an intrinsic the sandbox cannot resolve (so a new kind of wiring fails loudly).
 */
export function resolveEnvironmentValue(
  value: unknown,
  template: CfnTemplate,
  local: LocalResources,
): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const record = (value ?? {}) as Record<string, unknown>;
  const resources = template.Resources ?? {};
  if (typeof record.Ref === 'string') {
    const { partition, region, accountId } = LOCAL_AWS;
    const pseudo: Record<string, string> = {
      'AWS::Region': region,
      'AWS::AccountId': accountId,
      'AWS::Partition': partition,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[record.Ref] ?? localValueOf(record.Ref, resources[record.Ref], local);
  }
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return localValueOf(getAtt[0], resources[getAtt[0]], local, String(getAtt[1]));
  }
  const join = record['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part) => resolveEnvironmentValue(part, template, local)).join(join[0]);
  }
  const stackOutput = record['Fn::GetStackOutput'] as { OutputName?: unknown } | undefined;
  if (stackOutput && typeof stackOutput.OutputName === 'string') {
    return resolveDataOutput((outputs) => outputs[stackOutput.OutputName as string], local);
  }
  const importValue = record['Fn::ImportValue'];
  if (typeof importValue === 'string') {
    return resolveDataOutput(
      (outputs) => Object.values(outputs).find((output) => output.Export?.Name === importValue),
      local,
    );
  }
  throw new Error(`The sandbox cannot resolve the environment value ${JSON.stringify(value)}`);
}

function resolveDataOutput(
  pick: (
    outputs: NonNullable<NonNullable<LocalResources['dataTemplate']>['Outputs']>,
  ) => { Value?: unknown } | undefined,
  local: LocalResources,
): string {
  const data = local.dataTemplate;
  const output = data ? pick(data.Outputs ?? {}) : undefined;
  if (!data || !output)
    throw new Error('A cross-stack reference names an output the data stack does not have');
  return resolveEnvironmentValue(output.Value, data, local);
}

/** One function's resolved environment. */
export interface FunctionEnvironment {
  logicalId: string;
  variables: Record<string, string>;
}

/** The environments of `functions`, resolved. */
export function resolveEnvironments(
  functions: readonly TemplateFunction[],
  template: CfnTemplate,
  local: LocalResources,
): FunctionEnvironment[] {
  return functions.map((fn) => ({
    logicalId: fn.logicalId,
    variables: Object.fromEntries(
      Object.entries(fn.variables)
        .filter(([name]) => !IGNORED_VARIABLES.has(name))
        .map(([name, value]) => {
          try {
            return [name, resolveEnvironmentValue(value, template, local)];
          } catch (error) {
            throw new Error(`${fn.logicalId}: ${name}: ${(error as Error).message}`, { cause: error });
          }
        }),
    ),
  }));
}

/**
 * The one environment every function runs with.
 * @throws Error naming the variable and the functions when two functions need different values
 *   (other than {@link PER_FUNCTION_VARIABLES}): one process cannot give both.
 */
export function mergeEnvironments(environments: readonly FunctionEnvironment[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const { logicalId, variables } of environments) {
    for (const [name, value] of Object.entries(variables)) {
      if (PER_FUNCTION_VARIABLES.includes(name)) continue;
      if (name in merged && merged[name] !== value) {
        throw new Error(
          `Environment variable ${name} differs between ${owner[name]} ("${merged[name]}") and ${logicalId} ` +
            `("${value}"): the sandbox runs every function in one process, so give them distinct variable names`,
        );
      }
      merged[name] = value;
      owner[name] ??= logicalId;
    }
  }
  return merged;
}

/** A Lambda context for a local invocation of `functionName`. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs = 30_000): Context {
  const { region, accountId } = LOCAL_AWS;
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'sandbox',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
