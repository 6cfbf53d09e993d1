/**
 * Every Lambda function of the platform, declared once: where it sits in the access stack, which
 * module it runs, what invokes it and — for an API function — the routes it serves. Everything else
 * derives from this catalogue:
 *
 * - the context constructs create their functions from it (`ServiceFunction.declared`), so service
 *   name, description, timeout and entry module are written nowhere else;
 * - the API's routes and `docs/openapi.json` (lib/api-routes.ts);
 * - the sandbox's map from a synthesized function to its entry module (local/server/functions.ts);
 * - test/infra/functions.test.ts, which fails when the synthesized template and this catalogue
 *   disagree (a function missing on either side, another invoker, other routes).
 *
 * The module declares data only: no CDK, no environment, no AWS client (the route arrays it imports
 * carry definitions). The Lambda bundles never import it.
 */
import { identityRoutes } from '#identity/api/routes';
import type { RouteHandler } from '#shared/http/handler';
import { BIS_ROUTES } from '../lambdas/bis/routes.ts';
import { NATIVE_ROUTES } from '../lambdas/native/native-routes.ts';
import { ORGANISATIONS_ROUTES } from '../lambdas/organisations/routes.ts';
import { RIGHTS_ROUTES } from '../lambdas/rights/routes.ts';

/** A user pool trigger, named as the user pool's `LambdaConfig` key with a lower-case first letter. */
export type CognitoTrigger =
  | 'preSignUp'
  | 'preTokenGeneration'
  | 'defineAuthChallenge'
  | 'createAuthChallenge'
  | 'verifyAuthChallengeResponse';

/** What invokes a function. */
export type FunctionRole =
  /** A user pool trigger. */
  | { readonly kind: 'trigger'; readonly trigger: CognitoTrigger }
  /** The REST API: every route of one bounded context (`context` names it in the route table). */
  | { readonly kind: 'api'; readonly context: string; readonly routes: readonly RouteHandler[] }
  /** The tasks of a state machine. */
  | { readonly kind: 'workflow-task' }
  /** An EventBridge Scheduler schedule. */
  | { readonly kind: 'schedule' }
  /** An HTTP API of its own (`/{proxy+}`), outside the platform's REST API. */
  | { readonly kind: 'http-api' };

/** One function of the catalogue. */
export interface FunctionDeclaration {
  /** Handler module, relative to the project root. */
  readonly entry: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`): the bounded context. */
  readonly serviceName: string;
  /** Shown in the Lambda console. */
  readonly description: string;
  /**
   * Timeout in seconds.
   * @default - the `ServiceFunction` default (10 seconds)
   */
  readonly timeoutSeconds?: number;
  readonly role: FunctionRole;
}

/** Cognito waits about 5 seconds for a trigger before failing the login. */
const TRIGGER_TIMEOUT_SECONDS = 5;

/**
 * The functions by construct path below the access stack (`<context construct>/<function>`; the
 * function's own `AWS::Lambda::Function` is `<path>/Function`).
 */
export const FUNCTIONS = {
  'WalletBridge/Function': {
    entry: 'lambdas/wallet-bridge/handler.ts',
    serviceName: 'wallet-bridge',
    description: 'EU Digital Identity Wallet bridge: OIDC provider for Cognito, OpenID4VP verifier',
    // Cognito's token call and the wallet's response both wait on this function.
    timeoutSeconds: 10,
    role: { kind: 'http-api' },
  },
  'Identity/PreSignUp': {
    entry: 'lambdas/identity/pre-sign-up.ts',
    serviceName: 'identity',
    description: 'Cognito pre sign-up: refuses logins the platform cannot accept',
    timeoutSeconds: TRIGGER_TIMEOUT_SECONDS,
    role: { kind: 'trigger', trigger: 'preSignUp' },
  },
  'Identity/PreTokenGeneration': {
    entry: 'lambdas/identity/pre-token-generation.ts',
    serviceName: 'identity',
    description: 'Cognito pre token generation V2: resolves the person and puts roles in the tokens',
    timeoutSeconds: TRIGGER_TIMEOUT_SECONDS,
    role: { kind: 'trigger', trigger: 'preTokenGeneration' },
  },
  'Identity/DefineAuthChallenge': {
    entry: 'lambdas/identity/define-auth-challenge.ts',
    serviceName: 'identity',
    description: 'Cognito define auth challenge: SRP, then the code card for native users',
    timeoutSeconds: TRIGGER_TIMEOUT_SECONDS,
    role: { kind: 'trigger', trigger: 'defineAuthChallenge' },
  },
  'Identity/CreateAuthChallenge': {
    entry: 'lambdas/identity/create-auth-challenge.ts',
    serviceName: 'identity',
    description: 'Cognito create auth challenge: asks one position of the code card',
    timeoutSeconds: TRIGGER_TIMEOUT_SECONDS,
    role: { kind: 'trigger', trigger: 'createAuthChallenge' },
  },
  'Identity/VerifyAuthChallenge': {
    entry: 'lambdas/identity/verify-auth-challenge.ts',
    serviceName: 'identity',
    description: 'Cognito verify auth challenge: checks the code card answer, counts failures',
    timeoutSeconds: TRIGGER_TIMEOUT_SECONDS,
    role: { kind: 'trigger', trigger: 'verifyAuthChallengeResponse' },
  },
  'IdentityApi/Function': {
    entry: 'lambdas/identity/api/handler.ts',
    serviceName: 'identity',
    description: 'Identity API: person, national number, connections, activity, identity cases',
    role: { kind: 'api', context: 'identity', routes: identityRoutes },
  },
  'IdentityApi/Notices': {
    entry: 'lambdas/identity/notices/handler.ts',
    serviceName: 'identity',
    description: "Identity notices: mails each pending activity notice to the person's known addresses",
    timeoutSeconds: 60,
    role: { kind: 'schedule' },
  },
  'Bis/Api': {
    entry: 'lambdas/bis/api.ts',
    serviceName: 'bis',
    description: 'BIS number registration API',
    role: { kind: 'api', context: 'bis', routes: BIS_ROUTES },
  },
  'Bis/WorkflowTask': {
    entry: 'lambdas/bis/workflow-task.ts',
    serviceName: 'bis',
    description: 'BIS number registration workflow tasks',
    timeoutSeconds: 30,
    role: { kind: 'workflow-task' },
  },
  'Organisations/Api': {
    entry: 'lambdas/organisations/api.ts',
    serviceName: 'organisations',
    description: 'Organisations API: claims, foreign registrations, uploads, local administrators',
    role: { kind: 'api', context: 'organisations', routes: ORGANISATIONS_ROUTES },
  },
  'Organisations/WorkflowTask': {
    entry: 'lambdas/organisations/workflow-task.ts',
    serviceName: 'organisations',
    description: 'Foreign-company registration workflow tasks',
    timeoutSeconds: 30,
    role: { kind: 'workflow-task' },
  },
  'Organisations/RepresentativeCheck': {
    entry: 'lambdas/organisations/representative-check-task.ts',
    serviceName: 'organisations',
    description: 'Daily check of legal representatives against the company register',
    timeoutSeconds: 300,
    role: { kind: 'schedule' },
  },
  'Rights/Api': {
    entry: 'lambdas/rights/api.ts',
    serviceName: 'rights',
    description: 'Rights API: catalogue, right requests, decisions, grants, audit',
    role: { kind: 'api', context: 'rights', routes: RIGHTS_ROUTES },
  },
  'Rights/WorkflowTask': {
    entry: 'lambdas/rights/workflow-task.ts',
    serviceName: 'rights',
    description: 'Right request workflow tasks',
    timeoutSeconds: 30,
    role: { kind: 'workflow-task' },
  },
  'Rights/GrantExpiry': {
    entry: 'lambdas/rights/grant-expiry-task.ts',
    serviceName: 'rights',
    description: 'Daily grant expiry calls: sweep a page of a shard, send a page of notices, summarise',
    timeoutSeconds: 60,
    // The tasks of the daily expiry run's state machine (the schedule starts the state machine).
    role: { kind: 'workflow-task' },
  },
  'NativeAccounts/Function': {
    entry: 'lambdas/native/api.ts',
    serviceName: 'native-accounts',
    description: 'Registration office: native accounts and code cards',
    role: { kind: 'api', context: 'native', routes: NATIVE_ROUTES },
  },
} as const satisfies Readonly<Record<string, FunctionDeclaration>>;

/** The construct path of a catalogued function below the access stack, e.g. `Bis/Api`. */
export type FunctionPath = keyof typeof FUNCTIONS;

/** The catalogue's API functions: their paths, in catalogue order. */
export type ApiFunctionPath = {
  [P in FunctionPath]: (typeof FUNCTIONS)[P]['role']['kind'] extends 'api' ? P : never;
}[FunctionPath];

/** Every declaration with its path, in catalogue order. */
export function declaredFunctions(): [FunctionPath, FunctionDeclaration][] {
  return Object.entries(FUNCTIONS) as [FunctionPath, FunctionDeclaration][];
}

/** The routes the API function at `path` serves. */
export function routesOf(path: ApiFunctionPath): readonly RouteHandler[] {
  return FUNCTIONS[path].role.routes;
}
