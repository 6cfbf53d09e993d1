/**
 * Every route of the HTTP API, by bounded context, as the API functions of the function catalogue
 * (lib/functions.ts) declare them: what the OpenAPI document is generated from (`npm run openapi` →
 * docs/openapi.json). Each context construct adds the same routes to the API with
 * `api.addRoutes(fn, routes)`.
 *
 * The route arrays carry definitions (method, resource, access, zod schemas); importing them reads
 * no environment and creates no AWS client.
 */
import type { RouteHandler } from '#shared/http/handler';
import { buildOpenApiDocument } from '#shared/http/openapi';
import { declaredFunctions } from './functions.ts';

/** The routes one bounded context's Lambda serves. */
export interface ContextRoutes {
  readonly context: string;
  readonly routes: readonly RouteHandler[];
}

/** The API's routes, by context, in catalogue order. */
export const API_ROUTES: readonly ContextRoutes[] = declaredFunctions().flatMap(([, { role }]) =>
  role.kind === 'api' ? [{ context: role.context, routes: role.routes }] : [],
);

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
