/**
 * CORS for the portal's browser calls. Only listed origins are echoed; there is no wildcard, and no
 * `Access-Control-Allow-Credentials` because the API authenticates with a bearer token, not cookies.
 * Preflight (`OPTIONS`) is answered by API Gateway, not by the functions.
 */

/** Request headers a portal may send (the API Gateway preflight allows exactly these). */
export const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Correlation-Id',
] as const;

/** Response headers a portal may read: the correlation id for support, and whether a POST was replayed. */
export const EXPOSED_HEADERS = ['X-Correlation-Id', 'Idempotent-Replayed'] as const;

/**
 * The allow-list from a comma-separated setting (env `ALLOWED_ORIGINS`), e.g.
 * `https://portal.example.be,http://127.0.0.1:3000`. Entries are trimmed; a trailing `/` is ignored
 * because an `Origin` header never has one; `*` is ignored on purpose.
 */
export function parseAllowedOrigins(setting: string | undefined): ReadonlySet<string> {
  const origins = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim().replace(/\/+$/, ''))
    .filter((entry) => entry.length > 0 && entry !== '*');
  return new Set(origins);
}

/**
 * The CORS headers of a response to a request from `origin`. `Vary: Origin` is always set: the
 * response differs by origin, and a shared cache must not hand one origin's answer to another.
 */
export function corsHeaders(
  origin: string | undefined,
  allowed: ReadonlySet<string>,
): Record<string, string> {
  if (origin !== undefined && allowed.has(origin)) {
    return {
      'Access-Control-Allow-Origin': origin,
      // Browsers hide other response headers from scripts unless they are listed.
      'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(', '),
      Vary: 'Origin',
    };
  }
  return { Vary: 'Origin' };
}
