/**
 * What the sandbox must run, read from the synthesized stage: the functions (entry, environment),
 * the user pool's triggers and app clients, the REST API, the state machines and the SES templates.
 * Pure data, so it can be built in a worker thread: synthesizing imports the infrastructure code,
 * which imports the handlers' shared modules — and those read their environment at module scope,
 * which the main thread must set before it loads them.
 */

import { PROVIDER_NAMES } from '#identity/attribute-mapping';
import type { PolicyStatementJson } from '#local/aws/dynamodb-authorization';
import {
  type ClientNativeSettings,
  clientNativeSettings,
  type PoolNativeSettings,
  poolNativeSettings,
  type SamlProviderSettings,
  samlProviderSettings,
} from '#local/cognito/template-settings';
import { loadStateMachineDefinition } from '#local/step-functions';
import type { Locale } from '#shared/locale';
import type { TemplateId } from '#shared/mail/templates';
import { type RestApiDefinition, readRestApi } from './api-gateway.ts';
import {
  dynamoDbStatementsOf,
  type FunctionEnvironment,
  localStateMachineArn,
  mergeEnvironments,
  resolveEnvironments,
  type TemplateFunction,
  templateFunctions,
} from './functions.ts';
import { bucketsOf, type PlannedBucket } from './s3.ts';
import { type PlannedSchedule, schedulesOf } from './schedules.ts';
import { sesTemplatesOf } from './ses-endpoint.ts';
import { type CfnTemplate, referencedLogicalId, resourcesOfType, synthesizeStage } from './template.ts';

/** A function the sandbox loads. */
export interface PlannedFunction {
  logicalId: string;
  constructPath: string;
  entry: string;
  handlerExport: string;
  /** Its own values of the per-function variables (set while its module is imported). */
  perFunction: Record<string, string>;
  /** The DynamoDB statements of its execution role, resolved: what its table calls are checked against. */
  dynamoDbStatements: PolicyStatementJson[];
}

/** A state machine the sandbox runs. */
export interface PlannedStateMachine {
  logicalId: string;
  arn: string;
  definition: object;
  /** Logical ids of the functions its Lambda tasks call. */
  taskFunctions: string[];
}

/** An app client of the user pool, with its native-user settings (auth flows, session validity). */
export interface PlannedClient extends ClientNativeSettings {
  clientId: string;
  name: string;
  callbackUrls: string[];
  logoutUrls: string[];
  allowedScopes: string[];
  idTokenValiditySeconds: number;
  accessTokenValiditySeconds: number;
  refreshTokenValiditySeconds: number;
}

/** Everything the sandbox reads from the synthesized stage. */
export interface SandboxPlan {
  stage: string;
  /** The environment shared by every function (references resolved). */
  environment: Record<string, string>;
  functions: PlannedFunction[];
  /** Logical ids of the functions the user pool's LambdaConfig names. */
  triggers: {
    preSignUp?: string;
    postConfirmation?: string;
    preTokenGeneration?: string;
    defineAuthChallenge?: string;
    createAuthChallenge?: string;
    verifyAuthChallengeResponse?: string;
  };
  /** The pool's MFA configuration and password policy, for native users. */
  pool: PoolNativeSettings;
  clients: PlannedClient[];
  /** What the SAML provider "eIDAS" asks of the pool: signed AuthnRequests, encrypted assertions. */
  eidas: SamlProviderSettings;
  groups: string[];
  restApi: RestApiDefinition;
  stateMachines: PlannedStateMachine[];
  sesTemplates: Map<string, { id: TemplateId; locale: Locale }>;
  /** EventBridge Scheduler schedules (run on in-process timers and by `POST /local/jobs/<name>`). */
  schedules: PlannedSchedule[];
  /** The S3 buckets of both stacks, by local name, with their CORS rules. */
  buckets: PlannedBucket[];
  itsme: { clientId: string; serviceCode: string };
}

/** Options of {@link planSandbox}. */
export interface PlanOptions {
  /** @default 'dev' */
  stage?: string;
  /** The local table every `AWS::DynamoDB::Table` reference resolves to. */
  tableName: string;
}

/** Synthesizes the stage and reads the plan from it. */
export function planSandbox(options: PlanOptions): SandboxPlan {
  const stage = options.stage ?? 'dev';
  const { config, accessTemplate, dataTemplate } = synthesizeStage(stage);
  return {
    ...planFromTemplates(accessTemplate, dataTemplate, options.tableName),
    stage,
    itsme: { clientId: config.itsme.clientId, serviceCode: config.itsme.serviceCode },
  };
}

/** The plan of an access stack template (and the data stack it references). */
export function planFromTemplates(
  template: CfnTemplate,
  dataTemplate: CfnTemplate,
  tableName: string,
): Omit<SandboxPlan, 'stage' | 'itsme'> {
  const functions = templateFunctions(template);
  const triggers = userPoolTriggers(template);
  const restApi = readRestApi(template);
  const stateMachines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(
    ([logicalId]): PlannedStateMachine => {
      const definition = loadStateMachineDefinition(template, (id) => id === logicalId);
      const taskFunctions = [...JSON.stringify(definition).matchAll(/:function:([A-Za-z0-9]+)/g)].map(
        (match) => match[1] as string,
      );
      return {
        logicalId,
        arn: localStateMachineArn(logicalId),
        definition,
        taskFunctions: [...new Set(taskFunctions)],
      };
    },
  );
  const schedules = schedulesOf(template);
  const needed = new Set<string>([
    ...Object.values(triggers).filter((id): id is string => id !== undefined),
    ...restApi.methods.flatMap((method) => (method.functionLogicalId ? [method.functionLogicalId] : [])),
    ...stateMachines.flatMap((machine) => machine.taskFunctions),
    ...schedules.flatMap((schedule) => (schedule.targetFunction ? [schedule.targetFunction] : [])),
  ]);
  const planned = functions.filter((fn) => needed.has(fn.logicalId));
  const unknown = planned.filter((fn) => fn.entry === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `The sandbox does not know the entry module of ${unknown.map((fn) => fn.constructPath).join(', ')}: ` +
        'declare it in lib/functions.ts (the catalogue FUNCTION_ENTRIES derives from)',
    );
  }
  const environments = resolveEnvironments(planned, template, { tableName, dataTemplate });
  return {
    environment: mergeEnvironments(environments),
    functions: planned.map((fn) => ({
      ...plannedFunction(fn, environments),
      dynamoDbStatements: dynamoDbStatementsOf(fn.logicalId, template, { tableName, dataTemplate }),
    })),
    triggers,
    pool: userPoolSettings(template),
    clients: appClients(template),
    eidas: eidasProviderSettings(template),
    groups: resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(([, group]) =>
      String(group.Properties?.GroupName),
    ),
    restApi,
    stateMachines,
    sesTemplates: sesTemplatesOf(template),
    schedules,
    buckets: bucketsOf(dataTemplate, template),
  };
}

function plannedFunction(
  fn: TemplateFunction,
  environments: readonly FunctionEnvironment[],
): Omit<PlannedFunction, 'dynamoDbStatements'> {
  const variables =
    environments.find((environment) => environment.logicalId === fn.logicalId)?.variables ?? {};
  return {
    logicalId: fn.logicalId,
    constructPath: fn.constructPath,
    entry: fn.entry as string,
    handlerExport: fn.handlerExport,
    perFunction: variables.POWERTOOLS_SERVICE_NAME
      ? { POWERTOOLS_SERVICE_NAME: variables.POWERTOOLS_SERVICE_NAME }
      : {},
  };
}

/** The functions the user pool's LambdaConfig names, by trigger. */
export function userPoolTriggers(template: CfnTemplate): SandboxPlan['triggers'] {
  const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');
  if (pools.length !== 1) throw new Error(`Expected one user pool in the template, found ${pools.length}`);
  const config = (pools[0]?.[1].Properties?.LambdaConfig ?? {}) as Record<string, unknown>;
  const tokenConfig = config.PreTokenGenerationConfig as
    | { LambdaArn?: unknown; LambdaVersion?: unknown }
    | undefined;
  if (tokenConfig && tokenConfig.LambdaVersion !== 'V2_0') {
    throw new Error('The sandbox runs pre token generation as V2_0 events only');
  }
  const triggers: SandboxPlan['triggers'] = {};
  const preSignUp = referencedLogicalId(config.PreSignUp);
  const postConfirmation = referencedLogicalId(config.PostConfirmation);
  const preTokenGeneration = referencedLogicalId(tokenConfig?.LambdaArn ?? config.PreTokenGeneration);
  if (preSignUp) triggers.preSignUp = preSignUp;
  if (postConfirmation) triggers.postConfirmation = postConfirmation;
  if (preTokenGeneration) triggers.preTokenGeneration = preTokenGeneration;
  const defineAuthChallenge = referencedLogicalId(config.DefineAuthChallenge);
  const createAuthChallenge = referencedLogicalId(config.CreateAuthChallenge);
  const verifyAuthChallengeResponse = referencedLogicalId(config.VerifyAuthChallengeResponse);
  if (defineAuthChallenge) triggers.defineAuthChallenge = defineAuthChallenge;
  if (createAuthChallenge) triggers.createAuthChallenge = createAuthChallenge;
  if (verifyAuthChallengeResponse) triggers.verifyAuthChallengeResponse = verifyAuthChallengeResponse;
  return triggers;
}

/** The one user pool's native-user settings (MFA, password policy). */
export function userPoolSettings(template: CfnTemplate): PoolNativeSettings {
  const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');
  if (pools.length !== 1) throw new Error(`Expected one user pool in the template, found ${pools.length}`);
  return poolNativeSettings(pools[0]?.[1].Properties ?? {});
}

/** The SAML provider "eIDAS"'s request signing and response encryption; Cognito's defaults without one. */
export function eidasProviderSettings(template: CfnTemplate): SamlProviderSettings {
  const provider = resourcesOfType(template, 'AWS::Cognito::UserPoolIdentityProvider').find(
    ([, resource]) =>
      resource.Properties?.ProviderType === 'SAML' &&
      resource.Properties?.ProviderName === PROVIDER_NAMES.eidas,
  );
  return samlProviderSettings(provider?.[1].Properties ?? {});
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

const literalStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The pool's app clients (client id: the client name, stable across restarts). */
export function appClients(template: CfnTemplate): PlannedClient[] {
  return resourcesOfType(template, 'AWS::Cognito::UserPoolClient').map(([logicalId, client]) => {
    const props = client.Properties ?? {};
    const units = (props.TokenValidityUnits ?? {}) as Record<string, string>;
    const seconds = (value: unknown, unit: string | undefined, fallbackUnit: string, fallback: number) =>
      typeof value === 'number' ? value * (UNIT_SECONDS[unit ?? fallbackUnit] ?? 1) : fallback;
    const name = typeof props.ClientName === 'string' ? props.ClientName : logicalId;
    return {
      clientId: `sandbox-${name}`,
      name,
      // Deployed-only URLs (the portal's CloudFront name) are tokens, not strings: not for the sandbox.
      callbackUrls: literalStrings(props.CallbackURLs),
      logoutUrls: literalStrings(props.LogoutURLs),
      allowedScopes: (props.AllowedOAuthScopes as string[] | undefined) ?? [
        'openid',
        'profile',
        'email',
        'phone',
      ],
      idTokenValiditySeconds: seconds(props.IdTokenValidity, units.IdToken, 'hours', 3600),
      accessTokenValiditySeconds: seconds(props.AccessTokenValidity, units.AccessToken, 'hours', 3600),
      refreshTokenValiditySeconds: seconds(props.RefreshTokenValidity, units.RefreshToken, 'days', 2_592_000),
      ...clientNativeSettings(props),
    };
  });
}
