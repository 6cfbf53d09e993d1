/**
 * The portal in the sandbox: the production build of `portal/` served over node:http with the same
 * security headers as CloudFront, SPA fallback, and a `/config.json` generated for the sandbox (its
 * API, its local user pool, its app client).
 *
 * Why a build and not Vite's dev middleware: the build takes well under a second (measured ~0.3 s
 * warm, ~1 s with Vite's import), is cached by a hash of the sources, and serves exactly what is
 * deployed (same CSP: no inline HMR client, no on-the-fly transforms on every page of a browser test).
 * Builds go to `.cache/portal/<hash>/`, written to a temporary folder and renamed, so sandboxes
 * started in parallel (e2e test files) never see a half-written build.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portalContentSecurityPolicy } from '#lib/constructs/portal';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The portal's sources. */
export const PORTAL_ROOT = join(PROJECT_ROOT, 'portal');
const BUILD_CACHE = join(PROJECT_ROOT, '.cache', 'portal');

/** Options of {@link createPortalHandler}. */
export interface PortalHandlerOptions {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:3000`: the portal's origin and callback. */
  baseUrl: string;
  /** The local app client the portal logs in with (managed login: eIDAS, itsme, EUDI Wallet). */
  clientId: string;
  /**
   * The local native app client (`sandbox-portal-native`) of the "username and code" login.
   * @default none: the portal offers no native login
   */
  nativeClientId?: string;
  /** @default baseUrl (the sandbox serves the API at its root) */
  apiBaseUrl?: string;
  /** @default baseUrl (the sandbox serves the local user pool's `/oauth2/*` at its root) */
  authBaseUrl?: string;
  /** The local pool's id, for the native login's SRP. @default {@link SANDBOX_USER_POOL_ID} */
  userPoolId?: string;
  /** Further origins the browser may call (e.g. the sandbox's S3 emulator for extract uploads). */
  connectSources?: readonly string[];
  /** Serve this folder instead of building (tests). @default the cached build of `portal/` */
  distDir?: string;
  /**
   * The callback URLs the stage's relying applications registered (not the portal's own): where
   * `/capacity?return_to=` may send a person back to. @default []
   */
  returnUrls?: readonly string[];
  /**
   * The identity providers the portal's app client offers in the synthesized stage: the portal
   * shows a button for each (the wallet only where the stage has a bridge). @default not named: the
   * portal offers eIDAS and itsme
   */
  identityProviders?: readonly string[];
}

/** A node:http handler; resolves `false` for requests it does not serve (other methods). */
export type PortalHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & {
  /** The folder served. */
  readonly distDir: string;
  /** The generated `/config.json`. */
  readonly config: Readonly<Record<string, unknown>>;
};

/** The callback path registered on the app client. */
export const PORTAL_CALLBACK_PATH = '/auth/callback';

/** The local user pool's id. */
export const SANDBOX_USER_POOL_ID = 'eu-west-1_sandbox';

/**
 * The `/config.json` the portal reads at start-up, for a sandbox at `baseUrl`; the native login
 * talks to the local pool's Identity Provider API (`/local/aws/cognito-idp` on the auth origin).
 */
export function sandboxPortalConfig(options: PortalHandlerOptions): Record<string, unknown> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const authBaseUrl = (options.authBaseUrl ?? base).replace(/\/+$/, '');
  return {
    apiBaseUrl: (options.apiBaseUrl ?? base).replace(/\/+$/, ''),
    authBaseUrl,
    cognitoIdpEndpoint: `${authBaseUrl}/local/aws/cognito-idp`,
    userPoolId: options.userPoolId ?? SANDBOX_USER_POOL_ID,
    clientId: options.clientId,
    ...(options.nativeClientId ? { nativeClientId: options.nativeClientId } : {}),
    redirectUri: `${base}${PORTAL_CALLBACK_PATH}`,
    logoutUri: `${base}/`,
    languages: ['nl', 'fr', 'en', 'de'],
    authority: SANDBOX_AUTHORITY,
    returnUrls: [...(options.returnUrls ?? [])],
    ...(options.identityProviders ? { identityProviders: [...options.identityProviders] } : {}),
  };
}

/** The operating authority the sandbox's portal names (a stage configures its own). */
export const SANDBOX_AUTHORITY = {
  name: 'eID Access sandbox authority',
  email: 'helpdesk@sandbox.example',
  phone: '+32 2 000 00 00',
  // A plain shield, inline: the portal's CSP allows data: images only besides its own origin.
  logoUrl: `data:image/svg+xml;base64,${Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 6v9c0 7 5 12 12 15 7-3 12-8 12-15V6z" fill="#1d4ed8"/><path d="m10 16 4 4 8-8" stroke="#fff" stroke-width="3" fill="none"/></svg>',
  ).toString('base64')}`,
} as const;

/** Builds the portal if needed and returns the handler that serves it. */
export async function createPortalHandler(options: PortalHandlerOptions): Promise<PortalHandler> {
  const distDir = options.distDir ?? (await ensurePortalBuild());
  const config = sandboxPortalConfig(options);
  const origin = (url: string) => new URL(url).origin;
  const csp = portalContentSecurityPolicy({
    connectSources: [
      ...new Set([
        origin(String(config.apiBaseUrl)),
        origin(String(config.authBaseUrl)),
        ...(options.connectSources ?? []),
      ]),
    ],
    upgradeInsecureRequests: false,
  });
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
  const configBody = JSON.stringify(config);
  const indexHtml = await readFile(join(distDir, 'index.html'));

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://portal.invalid').pathname;
    const send = (status: number, type: string, cache: string, body?: Buffer | string) => {
      res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': cache });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (path === '/config.json') {
      send(200, 'application/json; charset=utf-8', 'no-store', configBody);
      return true;
    }
    const file = await staticFile(distDir, path);
    if (file) {
      const immutable = path.startsWith('/assets/');
      res.writeHead(200, {
        ...headers,
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
      return true;
    }
    // A missing asset is a 404; any other path is a page of the single-page app.
    if (extname(path) !== '' || path.startsWith('/assets/')) {
      send(404, 'text/plain; charset=utf-8', 'no-store', 'Not found');
      return true;
    }
    send(200, 'text/html; charset=utf-8', 'no-cache', indexHtml);
    return true;
  };
  return Object.assign(handler, { distDir, config });
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file for a URL path inside `root`, or `undefined` (never outside `root`, never a folder). */
async function staticFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}

/** Every file the build depends on, sorted (sources, entry HTML, Vite and TypeScript config). */
async function sourceFiles(): Promise<string[]> {
  const files = [join(PORTAL_ROOT, 'index.html'), join(PORTAL_ROOT, 'vite.config.ts')];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk(join(PORTAL_ROOT, 'src'));
  return files.sort();
}

/** A hash of the portal's sources: the build cache key. */
export async function portalSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles()) {
    hash
      .update(relative(PORTAL_ROOT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The folder of a production build of the current sources, building it (Vite's JS API) when the
 * cache has none. @returns the folder to serve
 */
export async function ensurePortalBuild(): Promise<string> {
  const target = join(BUILD_CACHE, await portalSourceHash());
  if (await stat(join(target, 'index.html')).catch(() => undefined)) return target;
  await mkdir(BUILD_CACHE, { recursive: true });
  const temporary = `${target}.tmp-${process.pid}-${Date.now()}`;
  // Imported only when a build is needed: Vite's import alone costs a few hundred milliseconds.
  const { build } = await import('vite');
  await build({
    configFile: join(PORTAL_ROOT, 'vite.config.ts'),
    root: PORTAL_ROOT,
    logLevel: 'warn',
    build: { outDir: temporary, emptyOutDir: true },
  });
  try {
    await rename(temporary, target);
  } catch (error) {
    // Another sandbox finished the same build first: use theirs.
    await rm(temporary, { recursive: true, force: true });
    if (!(await stat(join(target, 'index.html')).catch(() => undefined))) throw error;
  }
  await pruneOldBuilds(target);
  return target;
}

/** Keeps the cache small: removes other completed builds older than a day. */
async function pruneOldBuilds(keep: string): Promise<void> {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of await readdir(BUILD_CACHE).catch(() => [])) {
    const path = join(BUILD_CACHE, entry);
    if (path === keep) continue;
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < dayAgo) await rm(path, { recursive: true, force: true });
  }
}
