/**
 * The portal's routes and a tiny path matcher (history API URLs, no hash). Pure: the browser
 * binding (links, back/forward) is in navigation.ts.
 *
 * Page paths never collide with API paths, because the sandbox serves both from one origin: the API
 * owns `/me`, `/bis-registrations`, `/agent/bis-registrations`, `/organisations`, `/uploads`,
 * `/security/foreign-registrations`, `/security/organisation-cases`, `/applications`, `/local`, `/oauth2`, `/saml2`, `/logout`.
 */

/** Every page, by name, with its path pattern (`:param` matches one segment). */
export const ROUTES = {
  home: '/',
  callback: '/auth/callback',
  profile: '/profile',
  insz: '/insz',
  bis: '/bis',
  bisStatus: '/bis/:registrationId',
  claim: '/companies/claim',
  foreign: '/companies/foreign',
  foreignStatus: '/companies/foreign/:registrationId',
  request: '/request',
  organisation: '/org/:orgCode',
  inbox: '/org/:orgCode/inbox',
  members: '/org/:orgCode/members',
  grants: '/org/:orgCode/grants',
  audit: '/org/:orgCode/audit',
  agent: '/agent',
  agentReview: '/agent/review/:registrationId',
  security: '/security',
  securityCases: '/security/cases',
  nativeLogin: '/login/username',
  authenticator: '/account/authenticator',
  codeCard: '/account/code-card',
  connect: '/profile/connect',
  connectConfirm: '/profile/connect/confirm',
  activity: '/profile/activity',
  capacity: '/capacity',
  help: '/help',
  privacy: '/privacy',
  accessibility: '/accessibility',
} as const;

export type RouteName = keyof typeof ROUTES;

/** A matched route: its name, path parameters and query. */
export interface RouteMatch {
  name: RouteName | 'notFound';
  params: Record<string, string>;
  query: URLSearchParams;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
      if (decoded === '') return undefined;
      params[part.slice(1)] = decoded;
    } else if (part !== actual) {
      return undefined;
    }
  }
  return params;
}

/** The route of a URL (path and query; a trailing slash is ignored). */
export function matchRoute(url: string): RouteMatch {
  const parsed = new URL(url, 'http://portal.invalid');
  const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/+$/, '') : parsed.pathname;
  for (const [name, pattern] of Object.entries(ROUTES) as [RouteName, string][]) {
    const params = matchPattern(pattern, path);
    if (params) return { name, params, query: parsed.searchParams };
  }
  return { name: 'notFound', params: {}, query: parsed.searchParams };
}

/** The path of a route with its parameters filled (encoded), plus an optional query. */
export function pathFor(
  name: RouteName,
  params: Readonly<Record<string, string>> = {},
  query?: Readonly<Record<string, string | undefined>>,
): string {
  const path = ROUTES[name].replace(/:(\w+)/g, (_placeholder, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Route ${name} needs ${key}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Whether a navigation target stays inside the portal (a same-origin, relative path). */
export function isInternalPath(target: string): boolean {
  return target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\');
}
