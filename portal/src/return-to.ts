/**
 * Where `<portal>/capacity?return_to=…` may send a person back to: only a callback URL a relying
 * application registered (config.json `returnUrls`, the stage's `relyingApplications[].callbackUrls`).
 * Anything else — a relative or protocol-relative URL, `javascript:`, another origin, a lookalike host,
 * credentials in the URL — is refused: the page must never become an open redirect.
 */

/** A parsed registered callback: its origin and path. */
interface Registered {
  origin: string;
  path: string;
}

function parseRegistered(url: string): Registered | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return { origin: parsed.origin, path: parsed.pathname };
}

/**
 * Whether `path` is `prefix` or lies under it: `/cb` admits `/cb`, `/cb/`, `/cb/x`, never `/cbx`.
 */
function underPath(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path.startsWith(base);
}

/**
 * The URL to send the person to, or `undefined` when `returnTo` is not one of the `registered`
 * callbacks: same origin (scheme, host and port, compared after parsing) and a path equal to the
 * registered one or under it. Only absolute http(s) URLs without credentials qualify; a query and
 * a fragment are kept (a relying application puts its own `state` there).
 */
export function allowedReturnTo(
  returnTo: string | null | undefined,
  registered: readonly string[],
): string | undefined {
  if (!returnTo || returnTo.length > 2048) return undefined;
  // Absolute URLs only: a relative or protocol-relative one would be resolved against the portal.
  if (!/^https?:\/\/[^/\\]/i.test(returnTo) || /[\\\s]/.test(returnTo)) return undefined;
  if (!URL.canParse(returnTo)) return undefined;
  const target = new URL(returnTo);
  if (target.username !== '' || target.password !== '') return undefined;
  for (const url of registered) {
    const callback = parseRegistered(url);
    if (callback && callback.origin === target.origin && underPath(target.pathname, callback.path)) {
      return target.href;
    }
  }
  return undefined;
}
