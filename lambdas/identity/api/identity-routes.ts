/**
 * The identity routes wired to the production collaborators, built on the first request. The
 * Lambda entry point, the API construct (methods) and the OpenAPI generator import this; importing
 * it reads no environment. (Kept apart from routes.ts, which deps.ts imports for its types: no
 * import circle.)
 */
import type { RouteHandler } from '#shared/http/handler';
import { productionDeps } from './deps.ts';
import { createIdentityRoutes } from './routes.ts';

/** Every identity route. */
export const identityRoutes: readonly RouteHandler[] = createIdentityRoutes(productionDeps);
