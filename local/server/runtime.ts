/**
 * The running sandbox behind the HTTP server, built from a {@link SandboxPlan} once `process.env`
 * holds the functions' environment (start.ts): the handler modules (imported here, unchanged), the
 * state machines on {@link LocalWorkflowRunner}s behind a local Step Functions endpoint, the SES
 * endpoint into the outbox, the local IdPs, the user pool with the real triggers, the REST API
 * emulation and the `/local/*` endpoints.
 *
 * Routing, first match wins: `/local/aws/sfn`, `/local/aws/ses/*`, `/local/aws/s3/*`, `/local/jobs*`,
 * `/local/itsme/*`, `/local/eidas/*`, `/local/eudi/*` (bridge, PID provider, test wallet page), `/local/*`, the user pool's hosted login and well-known documents, `GET /`, `GET /openapi.json`,
 * `GET /auth/callback`, then the REST API (whose gateway responses answer everything else).
 */
import type { X509Certificate } from 'node:crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { NATIVE_CLIENT_NAME } from '#lib/config';
import { tableSchema } from '#lib/data/table-schema';
import { accessDeniedMessage, authorizeCall } from '#local/aws/dynamodb-authorization';
import { DYNAMODB_PROXY_PATH, type DynamoDbAuthorizer, DynamoDbProxy } from '#local/aws/dynamodb-proxy';
import { FaultSwitchboard, withLambdaFaults } from '#local/aws/faults';
import { runAsFunction, tagFunctionRequests } from '#local/aws/function-principal';
import {
  type CreateAuthChallengeTrigger,
  type DefineAuthChallengeTrigger,
  hostedLoginUrls,
  LocalCognito,
  type LocalCognitoTriggers,
  type PostConfirmationTrigger,
  type PreSignUpTrigger,
  type PreTokenGenerationTrigger,
  type VerifyAuthChallengeResponseTrigger,
} from '#local/cognito/index';
import { localClientConfig } from '#local/dynamodb-local';
import { LocalEudi } from '#local/eudi/index';
import { LocalEidasFederation } from '#local/identity-providers/eidas/index';
import { LocalItsme } from '#local/identity-providers/itsme';
import { createPortalHandler, PORTAL_CALLBACK_PATH } from '#local/portal';
import { LOCAL_AWS, LocalWorkflowRunner } from '#local/step-functions';
import { API_SCOPE } from '#shared/http/api-scope';
import { outbox } from '#shared/mailer';
import { createDocumentClient } from '#shared/table';
import { type ProxyHandler, RestApiEmulator } from './api-gateway.ts';
import { handleFaults } from './fault-endpoints.ts';
import { lambdaContext, localDynamoDbArnPrefix, localStateMachineArn, SANDBOX_POOL_ID } from './functions.ts';
import { sendHtml, sendJson } from './http.ts';
import { LocalEndpoints } from './local-endpoints.ts';
import { renderCallbackPage, renderLandingPage } from './pages.ts';
import type { SandboxPlan } from './plan.ts';
import { loadSeedData, type SeedSummary } from './registers.ts';
import { createSandboxS3 } from './s3.ts';
import { LocalScheduler } from './schedules.ts';
import { LocalSesEndpoint } from './ses-endpoint.ts';
import { LocalSfnEndpoint } from './sfn-endpoint.ts';
import { PROJECT_ROOT } from './template.ts';

export { SANDBOX_POOL_ID } from './functions.ts';

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  plan: SandboxPlan;
  baseUrl: string;
  tableName: string;
  timeScale: number;
  /**
   * DynamoDB Local itself. The functions reach it through the sandbox's proxy
   * (`AWS_ENDPOINT_URL_DYNAMODB=<base>/local/aws/dynamodb`, where faults are injected); the sandbox's
   * own seeding and operator endpoints talk to it directly.
   */
  dynamoDbEndpoint: string;
  /** PID providers the wallet bridge trusts besides the sandbox's own. */
  pidTrustAnchors: readonly X509Certificate[];
}

/** What start.ts serves and stops. */
export interface Runtime {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  seeded: SeedSummary;
  close(): Promise<void>;
}

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The names a fault rule's `operation` may give a function: `Rights/WorkflowTask`, then its logical id. */
export function functionNames(fn: { logicalId: string; constructPath: string }): string[] {
  return [fn.constructPath.replace(/\/Function$/, ''), fn.logicalId];
}

/**
 * Imports each function's module with its own per-function variables set (see functions.ts); every
 * invocation passes the switchboard's `lambda` rules.
 */
async function loadHandlers(plan: SandboxPlan, faults: FaultSwitchboard): Promise<Map<string, AnyHandler>> {
  const handlers = new Map<string, AnyHandler>();
  for (const fn of plan.functions) {
    Object.assign(process.env, fn.perFunction);
    const module = (await import(pathToFileURL(fn.entry).href)) as Record<string, unknown>;
    const handler = module[fn.handlerExport];
    if (typeof handler !== 'function') {
      throw new Error(`${fn.entry} does not export a function named ${fn.handlerExport}`);
    }
    const asFunction: AnyHandler = (event, context) =>
      runAsFunction(fn.logicalId, () => (handler as AnyHandler)(event, context));
    handlers.set(fn.logicalId, withLambdaFaults(faults, functionNames(fn), asFunction));
  }
  return handlers;
}

/**
 * The sandbox's IAM for DynamoDB: each call is checked against the synthesized statements of the
 * role of the function that made it (local/aws/dynamodb-authorization.ts); a call no invoked
 * function made is refused too. Denials are printed (keys cut to their first segment).
 */
export function functionPolicies(plan: Pick<SandboxPlan, 'functions'>): DynamoDbAuthorizer {
  const statementsOf = new Map(plan.functions.map((fn) => [fn.logicalId, fn.dynamoDbStatements]));
  const scope = {
    arnPrefix: localDynamoDbArnPrefix(),
    schema: {
      partitionKey: tableSchema.partitionKey,
      indexes: Object.fromEntries(
        tableSchema.globalSecondaryIndexes.map((index) => [index.indexName, index.partitionKey]),
      ),
    },
  };
  return (principal, operation, body) => {
    const statements = principal === undefined ? undefined : statementsOf.get(principal);
    if (principal === undefined || statements === undefined) {
      const message = `User: anonymous is not authorized to perform: dynamodb:${operation} because the sandbox cannot tell which function made the call`;
      console.error(`[sandbox] ${message}`);
      return message;
    }
    const decision = authorizeCall(statements, operation, body, scope);
    if (decision.allowed) return undefined;
    const message = accessDeniedMessage(
      `arn:${LOCAL_AWS.partition}:sts::${LOCAL_AWS.accountId}:assumed-role/${principal}Role/${principal}`,
      decision,
    );
    console.error(`[sandbox] ${message}`);
    return message;
  };
}

/** Builds the runtime; see the module comment. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { plan, baseUrl } = options;
  const faults = new FaultSwitchboard();
  tagFunctionRequests(DYNAMODB_PROXY_PATH);
  const dynamoDbProxy = new DynamoDbProxy(options.dynamoDbEndpoint, faults, functionPolicies(plan));
  const handlers = await loadHandlers(plan, faults);
  const handlerOf = (logicalId: string): AnyHandler => {
    const handler = handlers.get(logicalId);
    if (!handler) throw new Error(`No local handler for function ${logicalId}`);
    return handler;
  };
  const invoke = (logicalId: string, event: unknown, timeoutMs?: number) =>
    handlerOf(logicalId)(event, lambdaContext(logicalId, randomUUID(), timeoutMs));

  const table = {
    tableName: options.tableName,
    documentClient: createDocumentClient(new DynamoDBClient(localClientConfig(options.dynamoDbEndpoint))),
  };
  const seeded = await loadSeedData(table);

  const runners = new Map(
    plan.stateMachines.map((machine) => [
      machine.arn,
      new LocalWorkflowRunner({
        definition: machine.definition,
        handlers: Object.fromEntries(
          machine.taskFunctions.map((id) => [id, (payload: unknown) => invoke(id, payload)]),
        ),
        stateMachineName: machine.logicalId,
        timeScale: options.timeScale,
      }),
    ]),
  );
  const sfn = new LocalSfnEndpoint(runners, faults);
  const s3 = createSandboxS3(plan.buckets);
  const scheduler = new LocalScheduler({
    schedules: plan.schedules,
    invoke: (id, input) => invoke(id, input, 15 * 60_000),
    startExecution: async (logicalId, input) => {
      const runner = runners.get(localStateMachineArn(logicalId));
      if (!runner) throw new Error(`No local runner for state machine ${logicalId}`);
      const name = `scheduled-${randomUUID()}`;
      await runner.start(name, input);
      const done = await runner.waitForCompletion(name, 6 * 3_600_000);
      if (done.status !== 'SUCCEEDED') {
        throw new Error(`Execution ${name} of ${logicalId} ended ${done.status}: ${done.error ?? ''}`);
      }
      return done.output;
    },
  });
  scheduler.start();
  const ses = new LocalSesEndpoint(plan.sesTemplates, outbox, undefined, faults);

  const urls = hostedLoginUrls(baseUrl);
  const [itsme, eidas] = await Promise.all([
    LocalItsme.create({
      issuer: `${baseUrl}/local/itsme`,
      clientId: plan.itsme.clientId,
      clientSecret: randomBytes(24).toString('base64url'),
      serviceCode: plan.itsme.serviceCode,
      redirectUris: [urls.oidcRedirectUri],
    }),
    LocalEidasFederation.create({
      idpBaseUrl: `${baseUrl}/local/eidas`,
      userPoolId: SANDBOX_POOL_ID,
      acsUrl: urls.samlAcsUrl,
      signRequests: plan.eidas.signRequests,
      encryptedResponses: plan.eidas.encryptedResponses,
    }),
  ]);
  const eudi = new LocalEudi({
    baseUrl,
    redirectUri: urls.oidcRedirectUri,
    tableName: options.tableName,
    documentClient: table.documentClient,
    extraTrustAnchors: options.pidTrustAnchors,
  });
  const triggers: LocalCognitoTriggers = {};
  // Cognito gives a trigger about 5 seconds.
  const trigger = <T>(id: string) => ((event: unknown) => invoke(id, event, 5_000)) as T;
  if (plan.triggers.preSignUp) triggers.preSignUp = trigger<PreSignUpTrigger>(plan.triggers.preSignUp);
  if (plan.triggers.postConfirmation) {
    triggers.postConfirmation = trigger<PostConfirmationTrigger>(plan.triggers.postConfirmation);
  }
  if (plan.triggers.preTokenGeneration) {
    triggers.preTokenGeneration = trigger<PreTokenGenerationTrigger>(plan.triggers.preTokenGeneration);
  }
  if (plan.triggers.defineAuthChallenge) {
    triggers.defineAuthChallenge = trigger<DefineAuthChallengeTrigger>(plan.triggers.defineAuthChallenge);
  }
  if (plan.triggers.createAuthChallenge) {
    triggers.createAuthChallenge = trigger<CreateAuthChallengeTrigger>(plan.triggers.createAuthChallenge);
  }
  if (plan.triggers.verifyAuthChallengeResponse) {
    triggers.verifyAuthChallengeResponse = trigger<VerifyAuthChallengeResponseTrigger>(
      plan.triggers.verifyAuthChallengeResponse,
    );
  }
  // The portal is served by the sandbox itself, so its client also accepts the sandbox's own origin.
  const clients = plan.clients.map((client) =>
    client.name === 'portal'
      ? {
          ...client,
          callbackUrls: [...client.callbackUrls, `${baseUrl}${PORTAL_CALLBACK_PATH}`],
          logoutUrls: [...client.logoutUrls, `${baseUrl}/`],
        }
      : client,
  );
  const cognito = await LocalCognito.create({
    issuerBaseUrl: baseUrl,
    poolId: SANDBOX_POOL_ID,
    clients,
    groups: plan.groups,
    triggers,
    mfaConfiguration: plan.pool.mfaConfiguration,
    passwordPolicy: plan.pool.passwordPolicy,
    identityProviders: { eIDAS: eidas.sp, itsme: itsme.client(), EUDIWallet: eudi.client() },
  });

  const api = new RestApiEmulator({
    api: plan.restApi,
    verifyToken: (token) => cognito.verifyToken(token),
    handlerOf: (id) => handlerOf(id) as ProxyHandler,
  });
  const local = new LocalEndpoints({ cognito, itsme, eidas, eudi, table, outbox });
  const openApi = await readFile(resolve(PROJECT_ROOT, 'docs', 'openapi.json'), 'utf8');
  const portalClient = clients.find((client) => client.name === 'portal');
  const nativeClient = clients.find((client) => client.name === NATIVE_CLIENT_NAME);
  const portal = portalClient
    ? await createPortalHandler({
        baseUrl,
        clientId: portalClient.clientId,
        ...(nativeClient ? { nativeClientId: nativeClient.clientId } : {}),
        ...(portalClient.supportedIdentityProviders
          ? { identityProviders: portalClient.supportedIdentityProviders }
          : {}),
        returnUrls: clients
          .filter((client) => client !== portalClient)
          .flatMap((client) => client.callbackUrls),
      })
    : undefined;
  const loginClient = portalClient ?? clients[0];
  const hostedLoginUrl = loginClient
    ? `${baseUrl}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: loginClient.clientId,
        redirect_uri: loginClient.callbackUrls.at(-1) ?? '',
        scope: `openid profile ${API_SCOPE}`,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`
    : `${baseUrl}/oauth2/authorize`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    if (path === DYNAMODB_PROXY_PATH || path === `${DYNAMODB_PROXY_PATH}/`)
      return dynamoDbProxy.handle(req, res);
    if (path === '/local/aws/sfn' || path === '/local/aws/sfn/') return sfn.handle(req, res);
    if (await handleFaults(faults, req, res, path)) return;
    if (path.startsWith('/local/aws/ses/')) return ses.handle(req, res, path.slice('/local/aws/ses'.length));
    if (await s3.handle(req, res)) return;
    if (path.startsWith('/local/jobs') && (await scheduler.handle(req, res, path))) return;
    if (await itsme.handler(req, res)) return;
    if (await eidas.idp.handler(req, res)) return;
    if (await eudi.handler(req, res)) return;
    if (path.startsWith('/local/') && (await local.handle(req, res, path))) return;
    if (await cognito.handler(req, res)) return;
    if (req.method === 'GET' && (path === '/local' || path === '/local/')) {
      return sendHtml(res, 200, renderLandingPage({ baseUrl, hostedLoginUrl }));
    }
    if (portal && servesPortal(req, path) && (await portal(req, res))) return;
    if (req.method === 'GET' && path === '/openapi.json') {
      return sendJson(res, 200, JSON.parse(openApi) as unknown);
    }
    if (!portal && req.method === 'GET' && path === PORTAL_CALLBACK_PATH) {
      return sendHtml(res, 200, renderCallbackPage(url.searchParams, baseUrl));
    }
    return api.handle(req, res);
  };

  return {
    handle,
    seeded,
    close: async () => {
      await scheduler.close();
      await Promise.all([...runners.values()].map((runner) => runner.close()));
      table.documentClient.destroy();
      dynamoDbProxy.close();
    },
  };
}

/**
 * The portal answers browser navigation (HTML), its assets and its runtime config; API clients
 * (JSON) reach the REST API on the same paths' neighbours. Portal pages never share a path with an
 * API route (the portal's router tests check it).
 */
function servesPortal(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/config.json' || path.startsWith('/assets/')) return true;
  return (req.headers.accept ?? '').includes('text/html');
}
