/**
 * Every route of the HTTP API, by bounded context: the one list the OpenAPI document is generated
 * from (`npm run openapi` → docs/openapi.json). A context joins with one entry here, and its
 * construct adds the same routes to the API with `api.addRoutes(fn, routes)`.
 *
 * The route arrays carry definitions (method, resource, access, zod schemas); importing them reads
 * no environment and creates no AWS client.
 */
import { identityRoutes } from '#identity/api/routes';
import type { RouteHandler } from '#shared/http/handler';
import { buildOpenApiDocument } from '#shared/http/openapi';
import { BIS_ROUTES } from '../lambdas/bis/routes.ts';
import { NATIVE_ROUTES } from '../lambdas/native/native-routes.ts';
import { ORGANISATIONS_ROUTES } from '../lambdas/organisations/routes.ts';
import { RIGHTS_ROUTES } from '../lambdas/rights/routes.ts';

/** The routes one bounded context's Lambda serves. */
export interface ContextRoutes {
  readonly context: string;
  readonly routes: readonly RouteHandler[];
}

/** The API's routes, by context. */
export const API_ROUTES: readonly ContextRoutes[] = [
  { context: 'identity', routes: identityRoutes },
  { context: 'bis', routes: BIS_ROUTES },
  { context: 'organisations', routes: ORGANISATIONS_ROUTES },
  { context: 'rights', routes: RIGHTS_ROUTES },
  { context: 'native', routes: NATIVE_ROUTES },
];

/** Version of the HTTP contract in the OpenAPI document. */
export const API_VERSION = '1.0.0';

/** Where the generated document is committed, relative to the project root. */
export const OPENAPI_PATH = 'docs/openapi.json';

/** The OpenAPI 3.1 document of every route. */
export function buildApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    API_ROUTES.flatMap((context) => context.routes),
    {
      title: 'eid-access API',
      version: API_VERSION,
      description:
        'Identity and access platform for Belgian and EU government portals. Authenticate with the ' +
        'Cognito ID token (`Authorization: Bearer <token>`). Errors are application/problem+json (RFC 9457).',
    },
  );
}

/** The document exactly as committed: two-space JSON with a final newline. */
export function renderApiDocument(): string {
  return `${JSON.stringify(buildApiDocument(), null, 2)}\n`;
}
