import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFoundError } from '../errors.ts';
import type { RouteHandler } from './handler.ts';
import { problemResponse } from './problem.ts';

/** The Lambda entry point of a bounded context's API: one function serving several routes. */
export type RouterHandler = ((
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>) & {
  /** The routes it serves, for the API construct (methods) and the OpenAPI document. */
  readonly routes: readonly RouteHandler[];
};

const routeKey = (method: string, resource: string): string => `${method.toUpperCase()} ${resource}`;

/**
 * Dispatches an API Gateway REST proxy event to the route registered for its method and resource
 * (`event.resource` is the template, e.g. `/bis-registrations/{id}`, as API Gateway and the sandbox
 * both send it). API Gateway only forwards configured routes, so a miss means a wiring fault: it is
 * answered 404 problem+json rather than an exception.
 * @throws TypeError when two routes share a method and resource.
 */
export function createRouter(routes: readonly RouteHandler[]): RouterHandler {
  const table = new Map<string, RouteHandler>();
  for (const route of routes) {
    const key = routeKey(route.definition.method, route.definition.resource);
    if (table.has(key)) throw new TypeError(`Duplicate route ${key}`);
    table.set(key, route);
  }
  const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const route = table.get(routeKey(event.httpMethod ?? '', event.resource ?? ''));
    if (!route) return problemResponse(new NotFoundError('There is no such resource.'));
    return route(event, context);
  };
  return Object.assign(handler, { routes });
}
