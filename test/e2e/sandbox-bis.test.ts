/**
 * The sandbox as a newcomer meets it: `npm start`'s entry started as a child process, driven over
 * HTTP only. The BIS journey of ARCHITECTURE.md section 6 end to end, the login refusals as
 * `/local/login` reports them, and a clean stop (no Java process left behind).
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInsz } from '#shared/belgian-ids';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EIDAS = 'http://eidas.europa.eu/attributes/naturalperson/';
const EIDAS_LOA = 'http://eidas.europa.eu/LoA';
const ITSME_NATIONAL_NUMBER = 'http://itsme.services/v2/claim/BENationalNumber';
const LOGIN_REFUSED = 'urn:eid-access:problem:login-refused:';

let child: ChildProcessWithoutNullStreams;
let base: string;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let watchdogPid: number;

/** Resolves with the first stdout line matching `pattern`. */
function waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolveLine, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`No line matching ${pattern} after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolveLine(match);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited before ${pattern} appeared:\n${output}`));
    });
    check();
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'local/sandbox.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', NODE_NO_WARNINGS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: string) => {
    output += chunk;
  });
  const ready = await waitForLine(/^eid-access sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m, 170_000);
  base = ready[1] as string;
  watchdogPid = Number((/DynamoDB Local pid (\d+)/.exec(output) as RegExpExecArray)[1]);
});

afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> & { items?: Record<string, unknown>[] } }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(provider: 'eidas' | 'itsme', attributes: Record<string, unknown>) {
  return call('POST', '/local/login', { body: { provider, attributes } });
}

async function idTokenOf(provider: 'eidas' | 'itsme', attributes: Record<string, unknown>): Promise<string> {
  const answer = await login(provider, attributes);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return String(answer.body.idToken);
}

function eidasPerson(overrides: Record<string, string | undefined> = {}): Record<string, string> {
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

/** The seeded register person Jan Peeters, logging in with itsme. */
const agentAttributes = {
  given_name: 'Jan',
  family_name: 'Peeters',
  birthdate: '1979-11-02',
  [ITSME_NATIONAL_NUMBER]: '79110222494',
};

describe('npm start (local/sandbox.ts)', () => {
  it('runs the BIS journey over HTTP when an eIDAS user applies and an agent approves', async () => {
    // An eIDAS login.
    const applicant = eidasPerson();
    const applicantToken = await idTokenOf('eidas', applicant);
    const applicantId = String(decodeJwt(applicantToken).person_id);

    // Submit.
    const submitted = await call('POST', '/bis-registrations', {
      token: applicantToken,
      body: {
        givenNames: 'Erika',
        familyName: 'Mustermann',
        birthDate: '1964-08-12',
        sex: 'F',
        nationality: 'DE',
        placeOfBirth: 'Köln',
        address: {
          street: 'Rue de la Loi',
          houseNumber: '16',
          postalCode: '1000',
          city: 'Brussels',
          country: 'BE',
        },
        email: 'erika.mustermann@example.de',
        phone: '+32 470 12 34 56',
      },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const registrationId = String(submitted.body.registrationId);

    // An agent: logs in, is made a BIS agent, logs in again.
    const firstAgentToken = await idTokenOf('itsme', agentAttributes);
    const agentId = String(decodeJwt(firstAgentToken).person_id);
    const forbidden = await call('GET', '/agent/bis-registrations', { token: firstAgentToken });
    expect(forbidden.status).toBe(403);
    const grouped = await call('POST', '/local/groups', { body: { personId: agentId, group: 'bis-agents' } });
    expect(grouped.status).toBe(200);
    const agentToken = await idTokenOf('itsme', agentAttributes);
    expect(decodeJwt(agentToken)['cognito:groups']).toEqual(['bis-agents']);

    // The review queue shows the request (the workflow stores its task token first).
    let queued: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 50 && !queued; attempt++) {
      const queue = await call('GET', '/agent/bis-registrations?status=PENDING_REVIEW', {
        token: agentToken,
      });
      expect(queue.status).toBe(200);
      queued = queue.body.items?.find((item) => item.registrationId === registrationId);
      if (!queued) await new Promise((r) => setTimeout(r, 200));
    }
    expect(queued).toMatchObject({ familyName: 'Mustermann' });

    // Approve, then wait for the workflow to issue the number.
    let decided = await call('POST', `/agent/bis-registrations/${registrationId}/decision`, {
      token: agentToken,
      body: { decision: 'approve' },
    });
    for (let attempt = 0; attempt < 25 && decided.status === 409; attempt++) {
      // The decision waits for the workflow to reach the review step.
      await new Promise((r) => setTimeout(r, 200));
      decided = await call('POST', `/agent/bis-registrations/${registrationId}/decision`, {
        token: agentToken,
        body: { decision: 'approve' },
      });
    }
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    let view = await call('GET', `/bis-registrations/${registrationId}`, { token: applicantToken });
    for (let attempt = 0; attempt < 100 && view.body.status !== 'APPROVED'; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await call('GET', `/bis-registrations/${registrationId}`, { token: applicantToken });
    }
    expect(view.body.status).toBe('APPROVED');
    const bisNumber = String(view.body.bisNumber);
    expect(bisNumber).toMatch(/^\d{11}$/);

    // The BIS e-mail is in the outbox.
    const outbox = (await (await fetch(`${base}/local/outbox`)).json()) as Record<string, string>[];
    const approvalMail = outbox.find(
      (mail) => mail.to === 'erika.mustermann@example.de' && mail.template === 'bis-approved',
    );
    expect(approvalMail?.text).toContain(formatInsz(bisNumber));
    expect(Object.keys(approvalMail ?? {})).toEqual(
      expect.arrayContaining(['to', 'subject', 'text', 'sentAt']),
    );

    // GET /me shows the INSZ; a new login carries it in the ID token.
    const me = await call('GET', '/me', { token: applicantToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ personId: applicantId, insz: bisNumber });
    const nextToken = await idTokenOf('eidas', applicant);
    expect(decodeJwt(nextToken)).toMatchObject({ person_id: applicantId, insz: bisNumber });
  });

  it.each([
    {
      refusal: 'an FR national',
      provider: 'eidas' as const,
      attributes: eidasPerson({
        [`${EIDAS}PersonIdentifier`]: `FR/BE/${randomUUID().replaceAll('-', '')}`,
        [`${EIDAS}Nationality`]: 'FR',
      }),
      reason: 'refused-nationality',
      detail: /registration office/i,
    },
    {
      refusal: 'a missing PersonIdentifier',
      provider: 'eidas' as const,
      attributes: eidasPerson({ [`${EIDAS}PersonIdentifier`]: undefined }),
      reason: 'missing-attribute',
      detail: /did not share/i,
    },
    {
      refusal: 'an invalid BENationalNumber',
      provider: 'itsme' as const,
      attributes: {
        ...agentAttributes,
        sub: `itsme-${randomUUID()}`,
        [ITSME_NATIONAL_NUMBER]: '79110222495',
      },
      reason: 'invalid-national-number',
      detail: /not valid/i,
    },
    {
      refusal: 'LoA low',
      provider: 'eidas' as const,
      attributes: eidasPerson({ [EIDAS_LOA]: 'http://eidas.europa.eu/LoA/low' }),
      reason: 'insufficient-loa',
      detail: /level of assurance/i,
    },
  ])('answers the hosted login error as problem+json when the login has $refusal', async (refusal) => {
    const response = await fetch(`${base}/local/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: refusal.provider, attributes: refusal.attributes }),
    });
    const problem = (await response.json()) as Record<string, string>;

    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(problem).toMatchObject({
      type: `${LOGIN_REFUSED}${refusal.reason}`,
      title: 'Login refused',
      status: 403,
    });
    expect(problem.detail).toMatch(refusal.detail);
    // What the hosted login redirects the application to, word for word.
    expect(problem.error).toBe('invalid_request');
    expect(problem.error_description).toBe(`PreSignUp failed with error ${problem.detail}. `);
  });

  it('stops everything, DynamoDB Local included, and exits 0 on SIGINT', async () => {
    const javaPids = childrenOf(watchdogPid);
    expect(javaPids.length).toBeGreaterThan(0);

    child.kill('SIGINT');
    const { code } = await exited;

    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect([watchdogPid, ...javaPids].filter(isAlive)).toEqual([]);
  });
});
