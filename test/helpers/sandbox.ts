/**
 * The sandbox as the e2e tests meet it: `npm start`'s entry (local/sandbox.ts) started as a child
 * process on a free port, driven over HTTP only — JSON calls, `/local/login` logins, the refresh
 * grant of the user pool's token endpoint, polling — and stopped with a signal.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** eIDAS natural-person attribute URI prefix. */
export const EIDAS = 'http://eidas.europa.eu/attributes/naturalperson/';
/** The eIDAS LoA attribute. */
export const EIDAS_LOA = 'http://eidas.europa.eu/LoA';
/** itsme's Belgian national number claim. */
export const ITSME_NATIONAL_NUMBER = 'http://itsme.services/v2/claim/BENationalNumber';

/** An HTTP answer, the body parsed when it is JSON. */
export interface CallResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

/**
 * Tokens of `POST /local/login` (and of the refresh grant, which answers a new refresh token: the
 * pool rotates them).
 */
export interface LoginTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A sandbox running as a child process. */
export interface SandboxProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Process id of DynamoDB Local's watchdog shell. */
  readonly dynamoDbPid: number;
  /** From spawn to the ready line. */
  readonly startupMs: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Settles when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** A JSON call (`token` as Bearer). */
  call(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<CallResult>;
  /** `POST /local/login`, answered as is. */
  login(provider: 'eidas' | 'itsme' | 'eudi', attributes: Record<string, unknown>): Promise<CallResult>;
  /** `POST /local/login` that must succeed. */
  tokensOf(provider: 'eidas' | 'itsme' | 'eudi', attributes: Record<string, unknown>): Promise<LoginTokens>;
  /** The ID token of a login that must succeed (for its claims: the API refuses it). */
  idTokenOf(provider: 'eidas' | 'itsme' | 'eudi', attributes: Record<string, unknown>): Promise<string>;
  /** The access token of a login that must succeed: what the API takes (scope `eid-access/api`). */
  accessTokenOf(provider: 'eidas' | 'itsme' | 'eudi', attributes: Record<string, unknown>): Promise<string>;
  /** `POST /oauth2/token` `grant_type=refresh_token` for the client the tokens were issued to. */
  refresh(tokens: LoginTokens): Promise<LoginTokens>;
  /** `GET /local/outbox`. */
  outbox(): Promise<Record<string, string>[]>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL when still running (afterAll's safety net). */
  kill(): void;
}

/** Options of {@link startSandboxProcess}. */
export interface StartSandboxProcessOptions {
  /** Extra environment (`SANDBOX_TIME_SCALE`…). */
  env?: Record<string, string>;
  /** @default 170 s */
  readyTimeoutMs?: number;
}

const READY = /^eid-access sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m;

/** Starts `npm start`'s entry on a free port and resolves once it prints its ready line. */
export async function startSandboxProcess(options: StartSandboxProcessOptions = {}): Promise<SandboxProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/sandbox.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      NODE_NO_WARNINGS: '1',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    output += chunk;
    // SANDBOX_ECHO=1 shows the sandbox's stderr (function logs, AccessDenied lines) while a test runs.
    if (process.env.SANDBOX_ECHO) process.stderr.write(chunk);
  });

  const timeoutMs = options.readyTimeoutMs ?? 170_000;
  let ready: RegExpExecArray;
  try {
    ready = await new Promise<RegExpExecArray>((resolveLine, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No ready line after ${timeoutMs} ms:\n${output}`)),
        timeoutMs,
      );
      const check = () => {
        const match = READY.exec(output);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolveLine(match);
      };
      child.stdout.on('data', check);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`The sandbox exited before it was ready:\n${output}`));
      });
      check();
    });
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  const url = ready[1] as string;
  const startupMs = Date.now() - started;
  const dynamoDbPid = Number((/DynamoDB Local pid (\d+)/.exec(output) as RegExpExecArray)[1]);

  const call: SandboxProcess['call'] = async (method, path, callOptions = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(callOptions.token ? { authorization: `Bearer ${callOptions.token}` } : {}),
        ...(callOptions.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(callOptions.body === undefined ? {} : { body: JSON.stringify(callOptions.body) }),
    });
    const text = await response.text();
    let body: CallResult['body'] = {};
    if (text) {
      try {
        body = JSON.parse(text) as CallResult['body'];
      } catch {
        body = { text };
      }
    }
    return { status: response.status, headers: response.headers, body };
  };
  const login: SandboxProcess['login'] = (provider, attributes) =>
    call('POST', '/local/login', { body: { provider, attributes } });
  const tokensOf: SandboxProcess['tokensOf'] = async (provider, attributes) => {
    const answer = await login(provider, attributes);
    if (answer.status !== 200) {
      throw new Error(`Login failed (${answer.status}): ${JSON.stringify(answer.body)}`);
    }
    return {
      idToken: String(answer.body.idToken),
      accessToken: String(answer.body.accessToken),
      refreshToken: String(answer.body.refreshToken),
    };
  };

  return {
    url,
    dynamoDbPid,
    startupMs,
    child,
    exited,
    output: () => output,
    call,
    login,
    tokensOf,
    idTokenOf: async (provider, attributes) => (await tokensOf(provider, attributes)).idToken,
    accessTokenOf: async (provider, attributes) => (await tokensOf(provider, attributes)).accessToken,
    async refresh(tokens) {
      const clientId = String(decodeJwt(tokens.idToken).aud);
      const response = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: tokens.refreshToken,
        }),
      });
      const body = (await response.json()) as Record<string, string>;
      if (response.status !== 200) {
        throw new Error(`Refresh failed (${response.status}): ${JSON.stringify(body)}`);
      }
      return {
        idToken: String(body.id_token),
        accessToken: String(body.access_token),
        refreshToken: body.refresh_token ?? tokens.refreshToken,
      };
    },
    outbox: async () => (await (await fetch(`${url}/local/outbox`)).json()) as Record<string, string>[],
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** True while `pid` runs. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The direct children of `pid`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Calls `attempt` until `done` accepts its result (the workflows run asynchronously), at most
 * `attempts` times `intervalMs` apart; resolves with the last result either way.
 */
export async function poll<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  { attempts = 50, intervalMs = 200 }: { attempts?: number; intervalMs?: number } = {},
): Promise<T> {
  let result = await attempt();
  for (let i = 1; i < attempts && !done(result); i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    result = await attempt();
  }
  return result;
}

/** eIDAS attributes of a new (unique) German person at LoA substantial; `undefined` drops one. */
export function eidasPerson(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const attributes: Record<string, string | undefined> = {
    [`${EIDAS}PersonIdentifier`]: `DE/BE/${randomUUID().replaceAll('-', '').toUpperCase()}`,
    [`${EIDAS}CurrentGivenName`]: 'Erika',
    [`${EIDAS}CurrentFamilyName`]: 'Mustermann',
    [`${EIDAS}DateOfBirth`]: '1964-08-12',
    [`${EIDAS}Nationality`]: 'DE',
    [EIDAS_LOA]: 'http://eidas.europa.eu/LoA/substantial',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** itsme claims of a person with a Belgian national number (the `eid` scope). */
export function itsmePerson(person: {
  insz: string;
  givenName: string;
  familyName: string;
  birthDate: string;
}): Record<string, string> {
  return {
    given_name: person.givenName,
    family_name: person.familyName,
    birthdate: person.birthDate,
    [ITSME_NATIONAL_NUMBER]: person.insz,
  };
}

/** Seeded in local/seed: Jan Peeters, legal representative of Peeters & Van den Broeck BV, with itsme. */
export const JAN = itsmePerson({
  insz: '79110222494',
  givenName: 'Jan',
  familyName: 'Peeters',
  birthDate: '1979-11-02',
});

/** Seeded in local/seed: Zoë Van den Broeck (made a security officer or BIS agent where a test needs one), with itsme. */
export const ZOE = itsmePerson({
  insz: '92063004163',
  givenName: 'Zoë',
  familyName: 'Van den Broeck',
  birthDate: '1992-06-30',
});

/**
 * Where the applicants of the test BIS applications live and how they are reached: a Brussels address
 * and a Belgian mobile number, new objects on every call.
 */
export function brusselsContact(): { address: Record<string, string>; phone: string } {
  return {
    address: {
      street: 'Rue de la Loi',
      houseNumber: '16',
      postalCode: '1000',
      city: 'Brussels',
      country: 'BE',
    },
    phone: '+32 470 12 34 56',
  };
}

/** A BIS application for Erika Mustermann (what {@link eidasPerson} asserts), with `extra` fields such as an e-mail. */
export function bisApplication(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    givenNames: 'Erika',
    familyName: 'Mustermann',
    birthDate: '1964-08-12',
    sex: 'F',
    nationality: 'DE',
    placeOfBirth: 'Köln',
    ...brusselsContact(),
    ...extra,
  };
}
