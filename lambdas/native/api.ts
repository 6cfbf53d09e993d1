/** Lambda entry point of the native-account API: one function for every route of routes.ts. */
import { createRouter } from '#shared/http/router';
import { productionDeps } from './deps.ts';
import { NATIVE_ROUTES } from './native-routes.ts';

productionDeps();

/** The router over {@link NATIVE_ROUTES}. */
export const handler = createRouter(NATIVE_ROUTES);
