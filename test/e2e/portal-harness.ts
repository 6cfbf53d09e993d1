/**
 * Browser tests of the portal against the sandbox: `npm start`'s entry as a child process (as
 * sandbox-bis.test.ts starts it), Debian's Chromium driven by playwright-core, screenshots kept in
 * `test-results/portal/`.
 *
 * Where the portal is served: by the sandbox itself at `/` when it mounts local/portal.ts (it then
 * answers `GET /config.json`); otherwise by a server of this harness at `http://localhost:3000` —
 * the origin the dev stage registers as the portal's callback and CORS origin (cdk.json), talking to
 * the sandbox's API and user pool on their own origin. In that mode page CSPs are bypassed (see
 * `newPerson`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { NATIVE_CLIENT_NAME } from '#lib/config';
import { createPortalHandler } from '#local/portal';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where screenshots go (gitignored). */
export const SCREENSHOTS = join(ROOT, 'test-results', 'portal');
/** Debian's Chromium (TOOLING.md); `test/helpers/install-chromium.sh` installs it where missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
/** The portal origin the dev stage registers (callback, logout, CORS). */
const DEV_PORTAL_ORIGIN = 'http://localhost:3000';

export const ITSME_NATIONAL_NUMBER = 'http://itsme.services/v2/claim/BENationalNumber';

/** The sandbox's native app client: the only client the portal's native login may name. */
export const SANDBOX_NATIVE_CLIENT_ID = `sandbox-${NATIVE_CLIENT_NAME}`;

/** A running sandbox, the portal and a browser. */
export interface PortalSandbox {
  /** The sandbox's base URL (API, user pool, `/local/*`). */
  readonly sandboxUrl: string;
  /** The portal's origin. */
  readonly portalUrl: string;
  /** Whether the sandbox serves the portal itself (else this harness does). */
  readonly servedBySandbox: boolean;
  readonly browser: Browser;
  /** A fresh browser context (one person), phone-sized when asked. */
  newPerson(options?: { phone?: boolean; locale?: string }): Promise<{ context: BrowserContext; page: Page }>;
  /** A JSON call to the sandbox. */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }>;
  /** Keeps a full-page screenshot as a test artefact. */
  screenshot(page: Page, name: string): Promise<void>;
  /** Everything the sandbox printed (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/** Starts the sandbox, the portal (if the sandbox does not serve it) and Chromium. */
export async function startPortalSandbox(): Promise<PortalSandbox> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run test/helpers/install-chromium.sh (apt-get install chromium)`,
    );
  }
  const sandbox = await startSandboxProcess();
  let portalServer: Server | undefined;
  let browser: Browser | undefined;
  try {
    const probe = await fetch(`${sandbox.url}/config.json`).catch(() => undefined);
    const servedBySandbox = probe?.ok === true && (probe.headers.get('content-type') ?? '').includes('json');
    let portalUrl = sandbox.url;
    if (!servedBySandbox) {
      portalServer = await servePortalForSandbox(sandbox.url);
      portalUrl = DEV_PORTAL_ORIGIN;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOTS, { recursive: true });
    const launched = browser;
    const contexts: BrowserContext[] = [];
    return {
      sandboxUrl: sandbox.url,
      portalUrl,
      servedBySandbox,
      browser: launched,
      async newPerson(options = {}) {
        const context = await launched.newContext({
          locale: options.locale ?? 'en-GB',
          // Only when this harness serves the portal on another origin than the sandbox: the local
          // itsme's page sends `form-action 'self'`, and Chromium applies it to the redirect chain
          // that ends on the portal's callback. Served by the sandbox, every CSP is enforced.
          bypassCSP: !servedBySandbox,
          ...(options.phone
            ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
            : { viewport: { width: 1280, height: 900 } }),
        });
        context.setDefaultTimeout(20_000);
        contexts.push(context);
        return { context, page: await context.newPage() };
      },
      async call(method, path, body, token) {
        const response = await fetch(`${sandbox.url}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      },
      async screenshot(page, name) {
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      },
      output: () => sandbox.output(),
      async close() {
        for (const context of contexts) await context.close().catch(() => {});
        await launched.close().catch(() => {});
        await closeServer(portalServer);
        await sandbox.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await closeServer(portalServer);
    await sandbox.stop();
    throw error;
  }
}

async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

/** The portal at {@link DEV_PORTAL_ORIGIN}, configured for the sandbox's API and user pool. */
async function servePortalForSandbox(sandboxUrl: string): Promise<Server> {
  // The portal's app client id is the one the sandbox's landing page links its hosted login with.
  const landing = await (await fetch(`${sandboxUrl}/`)).text();
  const clientId = /client_id=([^&"]+)/.exec(landing)?.[1] ?? 'sandbox-portal';
  const handler = await createPortalHandler({
    baseUrl: DEV_PORTAL_ORIGIN,
    clientId: decodeURIComponent(clientId),
    // The sandbox names its clients `sandbox-<ClientName>` (local/server/plan.ts).
    nativeClientId: SANDBOX_NATIVE_CLIENT_ID,
    apiBaseUrl: sandboxUrl,
    authBaseUrl: sandboxUrl,
  });
  const server = createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(405);
          res.end();
        }
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `${DEV_PORTAL_ORIGIN} is in use: the portal tests serve the portal there (dev callback)`,
            )
          : error,
      ),
    );
    server.listen(3000, '127.0.0.1', () => resolveListen());
  });
  return server;
}

interface SandboxProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `local/sandbox.ts` on a free port, stopped with SIGTERM (it stops DynamoDB Local itself). */
async function startSandboxProcess(): Promise<SandboxProcess> {
  let output = '';
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/sandbox.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', NODE_NO_WARNINGS: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      // Generous: on a shared two-core machine the stage synth and DynamoDB Local can take minutes.
      const timer = setTimeout(() => reject(new Error(`The sandbox did not start:\n${output}`)), 420_000);
      const check = () => {
        const match = /^eid-access sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolveUrl(match[1]);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`The sandbox exited while starting:\n${output}`));
      });
      check();
    });
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The file's sandbox: started before all its tests (within `startTimeoutMs`: the stage synth and
 * DynamoDB Local start can take minutes on a shared machine), closed after them. The object
 * forwards to the running sandbox, so it can be held at module scope.
 */
export function portalSandboxPerFile(startTimeoutMs?: number): PortalSandbox {
  let running: PortalSandbox | undefined;
  beforeAll(async () => {
    running = await startPortalSandbox();
  }, startTimeoutMs);
  afterAll(async () => {
    await running?.close();
  });
  const current = (): PortalSandbox => {
    if (!running) throw new Error('the portal sandbox runs only while the tests run');
    return running;
  };
  return {
    get sandboxUrl() {
      return current().sandboxUrl;
    },
    get portalUrl() {
      return current().portalUrl;
    },
    get servedBySandbox() {
      return current().servedBySandbox;
    },
    get browser() {
      return current().browser;
    },
    newPerson: (options) => current().newPerson(options),
    call: (method, path, body, token) => current().call(method, path, body, token),
    screenshot: (page, name) => current().screenshot(page, name),
    output: () => current().output(),
    close: () => current().close(),
  };
}

/** A person for the local itsme's new-identity form (claim names as the form's field names). */
export interface ItsmePerson {
  nationalNumber: string;
  givenName: string;
  familyName: string;
  birthdate: string;
}

/** A new itsme person: a national number of `birthdate`, and a family name unique to this run. */
export const itsmePerson = (givenName: string, familyName: string, birthdate: string): ItsmePerson => ({
  nationalNumber: nationalNumber(birthdate),
  givenName,
  familyName: uniqueName(familyName),
  birthdate,
});

/** The tokens the portal holds in this tab's sessionStorage. */
async function portalTokens(page: Page): Promise<{ idToken?: string; accessToken?: string }> {
  const raw = await page.evaluate(() => sessionStorage.getItem('eid-access.tokens'));
  return JSON.parse(raw ?? '{}') as { idToken?: string; accessToken?: string };
}

/** The claims of the ID token the portal holds in this tab. */
export async function tokenClaims(page: Page): Promise<Record<string, unknown>> {
  const { idToken } = await portalTokens(page);
  return JSON.parse(Buffer.from(String(idToken).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The access token the portal calls the API with (the API refuses ID tokens). */
export async function accessTokenOf(page: Page): Promise<string> {
  return (await portalTokens(page)).accessToken as string;
}

/**
 * Logs in through the portal with itsme, keyboard only: the portal's button, the local itsme's
 * form, back to the portal. Ends on the page the login started from.
 */
export async function loginWithItsme(page: Page, person: ItsmePerson): Promise<void> {
  await page.getByRole('button', { name: 'Log in with itsme' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'itsme (local test)' }).waitFor();
  const field = (label: string) => page.getByLabel(label, { exact: true });
  await field('National number (11 digits)').fill(person.nationalNumber);
  await field('Given names').fill(person.givenName);
  await field('Family name').fill(person.familyName);
  await field('Birth date (YYYY-MM-DD)').fill(person.birthdate);
  await field('Language (nl, fr, de, en)').fill('en');
  await field('E-mail').fill(`${person.givenName.toLowerCase()}@example.be`);
  await page.getByRole('button', { name: 'Approve', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/**
 * From the page after a claim: opens the organisation `organisationName`, its members page, and
 * appoints the person with `nationalNumber` local administrator, keyboard only; waits for the
 * confirmation.
 */
export async function appointLocalAdministrator(
  page: Page,
  organisationName: string,
  nationalNumber: string,
): Promise<void> {
  await activate(page.getByRole('link', { name: `Manage ${organisationName}` }));
  await page.getByRole('heading', { name: `Organisation ${organisationName}` }).waitFor();
  await activate(
    page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Members' }),
  );
  await page.getByRole('heading', { name: 'Members and local administrators' }).waitFor();
  await page.getByLabel('Belgian number (national register or BIS) of the person').fill(nationalNumber);
  await activate(page.getByRole('button', { name: 'Appoint' }));
  await page.getByRole('status').filter({ hasText: 'The person is now a local administrator.' }).waitFor();
}

/** A foreign professional for the local eIDAS node's identity form. */
export interface EidasPerson {
  countryName: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  nationality: string;
  /** The eIDAS `Gender` the node sends, when the test wants one. */
  gender?: 'Female' | 'Male';
  /** The eIDAS `CurrentAddress` the node sends, when the test wants one. */
  address?: { street: string; houseNumber: string; postalCode: string; city: string; country: string };
}

/** Logs in through the portal with eIDAS: country picker, identity form, back to the portal. */
export async function loginWithEidas(page: Page, person: EidasPerson): Promise<void> {
  await page.getByRole('button', { name: 'Log in with a European eID (eIDAS)' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Choose the country of your eID' }).waitFor();
  await page.getByRole('button', { name: person.countryName }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Given names (Latin script)').fill(person.givenNames);
  await page.getByLabel('Family name (Latin script)').fill(person.familyName);
  await page.getByLabel('Birth date').fill(person.birthDate);
  await page.getByLabel('Nationality').selectOption(person.nationality);
  if (person.gender) await page.getByLabel('Gender').selectOption(person.gender);
  if (person.address) {
    await page.getByLabel('Street (optional)', { exact: true }).fill(person.address.street);
    await page.getByLabel('House number (optional)', { exact: true }).fill(person.address.houseNumber);
    await page.getByLabel('Postal code (optional)', { exact: true }).fill(person.address.postalCode);
    await page.getByLabel('City (optional)', { exact: true }).fill(person.address.city);
    await page.getByLabel('Country code (optional)', { exact: true }).fill(person.address.country);
  }
  await page.getByLabel('Level of assurance').selectOption('high');
  await page.getByRole('button', { name: 'Log in' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

const mod97 = (value: bigint): number => 97 - Number(value % 97n);

/** A valid Belgian national number for a birth date (`YYYY-MM-DD`), random sequence. */
export function nationalNumber(birthDate: string): string {
  const [year = '', month = '', day = ''] = birthDate.split('-');
  const sequence = String(1 + Math.floor(Math.random() * 996)).padStart(3, '0');
  const base = `${year.slice(2)}${month}${day}${sequence}`;
  // Born in 2000 or later: the check is computed over "2" followed by the nine digits.
  const check = mod97(BigInt(Number(year) >= 2000 ? `2${base}` : base));
  return `${base}${String(check).padStart(2, '0')}`;
}

/** A valid, random KBO enterprise number (10 digits, starting with 0). */
export function enterpriseNumber(): string {
  const base = `0${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
  return `${base}${String(mod97(BigInt(base))).padStart(2, '0')}`;
}

/** Letters only (names must look like names), unique enough for one sandbox run. */
export function uniqueName(prefix: string): string {
  const letters = Array.from({ length: 5 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `${prefix}${letters.join('')}`;
}

/** Presses Enter on the element: keyboard activation, as a keyboard-only user does. */
export async function activate(locator: Locator): Promise<void> {
  await locator.focus();
  await locator.press('Enter');
}

/** Polls `check` until it returns true (workflows apply decisions asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  throw new Error(`Not true after ${timeoutMs} ms`);
}

/** Asserts that axe-core finds nothing on the page as it is now; `where` names the page on failure. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(`axe-core found violations on ${where}:\n${JSON.stringify(violations, null, 2)}`);
  }
}

/** One axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules plus best practices) on the page as it is now and
 * returns its violations. The engine is evaluated through the DevTools protocol, so it needs no
 * change to the page's CSP.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const engine = (window as unknown as { axe: typeof axe }).axe;
    const result = await engine.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => String(node.target)),
    }));
  });
}
