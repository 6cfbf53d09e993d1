/**
 * Lambda entry point of the identity API: one function for every identity route. The
 * collaborators are built at cold start, so a missing `TABLE_NAME` fails the first invocation
 * loudly instead of every request.
 */
import { createRouter } from '#shared/http/router';
import { productionDeps } from './deps.ts';
import { identityRoutes } from './identity-routes.ts';

productionDeps();

/** The router over {@link identityRoutes}. */
export const handler = createRouter(identityRoutes);
