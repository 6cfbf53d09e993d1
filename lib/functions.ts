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
import { identityRoutes } from '#identity/api/identity-routes';
import type { RouteHandler } from '#shared/http/handler';
import { BIS_ROUTES } from '../lambdas/bis/routes.ts';
import { NATIVE_ROUTES } from '../lambdas/native/native-routes.ts';
import { FOREIGN_REGISTRATION_ROUTES } from '../lambdas/organisations/registration-routes.ts';
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

/** One function of a context construct, as {@link context} takes it. */
interface ContextFunction {
  /** Handler module, relative to the context's folder. */
  readonly entry: string;
  /** Shown in the Lambda console. */
  readonly description: string;
  /**
   * Timeout in seconds.
   * @default - the `ServiceFunction` default (10 seconds)
   */
  readonly timeoutSeconds?: number;
  readonly role: FunctionRole;
  /**
   * Packages the bundle resolves to a module of this project instead (esbuild `--alias`), by package
   * name; the module path is relative to the project root. For a dependency of a dependency that
   * Node's own modules replace (the sandbox, which runs the sources, keeps the package).
   * @default - none
   */
  readonly bundleAliases?: Readonly<Record<string, string>>;
}

/** One function of the catalogue. */
export interface FunctionDeclaration extends ContextFunction {
  /** Handler module, relative to the project root. */
  readonly entry: string;
  /** Service name (`POWERTOOLS_SERVICE_NAME`, the `service` of logs and metrics): the bounded context. */
  readonly serviceName: string;
}

/**
 * The functions of the context construct `id`, by construct path below the stack
 * (`<id>/<function id>`), each with the context's service name and its entry below `folder`.
 */
function context<const Id extends string, const Functions extends Readonly<Record<string, ContextFunction>>>(
  id: Id,
  { serviceName, folder }: { serviceName: string; folder: string },
  functions: Functions,
): {
  readonly [K in keyof Functions & string as `${Id}/${K}`]: Omit<Functions[K], 'entry'> & FunctionDeclaration;
} {
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [
      `${id}/${name}`,
      { ...fn, entry: `${folder}/${fn.entry}`, serviceName },
    ]),
  ) as never;
}

/** A user pool trigger: Cognito waits about 5 seconds for one before failing the login. */
function trigger<const T extends CognitoTrigger>(
  name: T,
  entry: string,
  { description }: { description: string },
) {
  return { entry, description, timeoutSeconds: 5, role: { kind: 'trigger', trigger: name } } as const;
}

/** The API function of the context `name` in the route table, serving `routes`. */
function api<const C extends string>(name: C, routes: readonly RouteHandler[]) {
  return { kind: 'api', context: name, routes } as const;
}

const WORKFLOW_TASK = { kind: 'workflow-task' } as const;
const SCHEDULE = { kind: 'schedule' } as const;

/**
 * The functions by construct path below the access stack: `<context construct>/<function>` (the
 * function's own `AWS::Lambda::Function` is `<path>/Function`), context by context in the order the
 * stack creates them.
 */
export const FUNCTIONS = {
  ...context(
    'WalletBridge',
    { serviceName: 'wallet-bridge', folder: 'lambdas/wallet-bridge' },
    {
      Function: {
        entry: 'handler.ts',
        description: 'EU Digital Identity Wallet bridge: OIDC provider for Cognito, authorization page',
        // Cognito's token call waits on this function.
        timeoutSeconds: 10,
        role: { kind: 'http-api' },
      },
      Verifier: {
        entry: 'verifier-handler.ts',
        description: "EU Digital Identity Wallet bridge: OpenID4VP verifier of the wallet's response",
        // The wallet waits on this function (with the status list fetch, at most 3 s).
        timeoutSeconds: 10,
        role: { kind: 'http-api' },
        // @sd-jwt/jwt-status-list inflates status lists with pako; node:zlib does the same.
        bundleAliases: { pako: 'lambdas/wallet-bridge/pako-zlib.ts' },
      },
    },
  ),
  ...context(
    'Identity',
    { serviceName: 'identity', folder: 'lambdas/identity' },
    {
      PreSignUp: trigger('preSignUp', 'pre-sign-up.ts', {
        description: 'Cognito pre sign-up: refuses logins the platform cannot accept',
      }),
      PreTokenGeneration: trigger('preTokenGeneration', 'pre-token-generation.ts', {
        description: 'Cognito pre token generation V2: resolves the person and puts roles in the tokens',
      }),
      DefineAuthChallenge: trigger('defineAuthChallenge', 'define-auth-challenge.ts', {
        description: 'Cognito define auth challenge: SRP, then the code card for native users',
      }),
      CreateAuthChallenge: trigger('createAuthChallenge', 'create-auth-challenge.ts', {
        description: 'Cognito create auth challenge: asks one position of the code card',
      }),
      VerifyAuthChallenge: trigger('verifyAuthChallengeResponse', 'verify-auth-challenge.ts', {
        description: 'Cognito verify auth challenge: checks the code card answer, counts failures',
      }),
    },
  ),
  ...context(
    'IdentityApi',
    { serviceName: 'identity', folder: 'lambdas/identity' },
    {
      Function: {
        entry: 'api/handler.ts',
        description: 'Identity API: person, national number, connections, activity, identity cases',
        role: api('identity', identityRoutes),
      },
      Notices: {
        entry: 'notices/handler.ts',
        description: "Identity notices: mails each pending activity notice to the person's known addresses",
        timeoutSeconds: 60,
        role: SCHEDULE,
      },
    },
  ),
  ...context(
    'Bis',
    { serviceName: 'bis', folder: 'lambdas/bis' },
    {
      Api: { entry: 'api.ts', description: 'BIS number registration API', role: api('bis', BIS_ROUTES) },
      WorkflowTask: {
        entry: 'workflow-task.ts',
        description: 'BIS number registration workflow tasks',
        timeoutSeconds: 30,
        role: WORKFLOW_TASK,
      },
    },
  ),
  ...context(
    'Organisations',
    { serviceName: 'organisations', folder: 'lambdas/organisations' },
    {
      Api: {
        entry: 'api.ts',
        description:
          'Organisations API: claims, profiles and members, local administrators, organisation cases',
        role: api('organisations', ORGANISATIONS_ROUTES),
      },
      Registrations: {
        entry: 'registrations-api.ts',
        description:
          "Foreign-company registrations: extract uploads, applications, the security officers' review",
        role: api('organisations', FOREIGN_REGISTRATION_ROUTES),
      },
      WorkflowTask: {
        entry: 'workflow-task.ts',
        description: 'Foreign-company registration workflow tasks',
        timeoutSeconds: 30,
        role: WORKFLOW_TASK,
      },
      RepresentativeCheck: {
        entry: 'representative-check-task.ts',
        description: 'Daily check of legal representatives against the company register',
        timeoutSeconds: 300,
        role: SCHEDULE,
      },
    },
  ),
  ...context(
    'Rights',
    { serviceName: 'rights', folder: 'lambdas/rights' },
    {
      Api: {
        entry: 'api.ts',
        description: 'Rights API: catalogue, right requests, decisions, grants, audit',
        role: api('rights', RIGHTS_ROUTES),
      },
      WorkflowTask: {
        entry: 'workflow-task.ts',
        description: 'Right request workflow tasks',
        timeoutSeconds: 30,
        role: WORKFLOW_TASK,
      },
      // The tasks of the daily expiry run's state machine (the schedule starts the state machine).
      GrantExpiry: {
        entry: 'grant-expiry-task.ts',
        description: 'Daily grant expiry calls: sweep a page of a shard, send a page of notices, summarise',
        timeoutSeconds: 60,
        role: WORKFLOW_TASK,
      },
    },
  ),
  ...context(
    'NativeAccounts',
    { serviceName: 'native-accounts', folder: 'lambdas/native' },
    {
      Function: {
        entry: 'api.ts',
        description: 'Registration office: native accounts and code cards',
        role: api('native', NATIVE_ROUTES),
      },
    },
  ),
};

/** The construct path of a catalogued function below the access stack, e.g. `Bis/Api`. */
export type FunctionPath = keyof typeof FUNCTIONS;

/** The paths of the catalogue's API functions. */
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
