/**
 * A minimal browser for automated logins: follows the provider's redirects with a cookie jar (the
 * interaction and resume cookies oidc-provider sets) until the redirect to the relying party's
 * redirect URI, which it does not fetch.
 */

const MAX_REDIRECTS = 10;

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * Follows redirects from `start` and returns the URL of the redirect to `redirectUri` (the
 * authorization response).
 *
 * @throws Error when a response is not a redirect (e.g. the provider shows a page or an error) or
 *   there are too many redirects.
 */
export async function followToRedirectUri(
  start: URL,
  redirectUri: string,
  fetchImpl: typeof fetch = fetch,
): Promise<URL> {
  const target = new URL(redirectUri);
  const jar = new Map<string, StoredCookie>();
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const cookie = cookieHeader(jar, url);
    const response = await fetchImpl(url, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    await response.arrayBuffer();
    storeCookies(jar, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`local itsme did not redirect (HTTP ${response.status} at ${url.pathname})`);
    }
    const next = new URL(location, url);
    if (next.origin === target.origin && next.pathname === target.pathname) return next;
    url = next;
  }
  throw new Error(`local itsme redirected more than ${MAX_REDIRECTS} times`);
}

function cookieHeader(jar: Map<string, StoredCookie>, url: URL): string {
  return [...jar]
    .filter(([, cookie]) => pathMatches(url.pathname, cookie.path))
    .map(([name, cookie]) => `${name}=${cookie.value}`)
    .join('; ');
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  const prefix = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(prefix);
}

function storeCookies(jar: Map<string, StoredCookie>, setCookies: string[]): void {
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    let path = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', attributeValue = ''] = attribute.split('=', 2);
      const lower = key.toLowerCase();
      if (lower === 'path' && attributeValue) path = attributeValue;
      if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
    }
    if (expired) jar.delete(name);
    else jar.set(name, { value, path });
  }
}
