/**
 * The native routes wired to the production collaborators, built on the first request. The API
 * construct, the OpenAPI generator and the Lambda entry import this; importing it reads no
 * environment.
 */
import type { RouteHandler } from '#shared/http/handler';
import { productionDeps } from './deps.ts';
import { createNativeRoutes } from './routes.ts';

/** Every native-account route. */
export const NATIVE_ROUTES: readonly RouteHandler[] = createNativeRoutes(productionDeps);
