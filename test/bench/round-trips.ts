/**
 * Child process of the bench: DynamoDB round trips per operation, through the real handlers. Starts
 * the sandbox in this process (DynamoDB Local, the synthesized stage, the local IdPs and the real
 * triggers) and counts every request the process sends to DynamoDB — on the wire, retries included —
 * through Node's `http.client.request.start` diagnostics channel. Each request is attributed to the
 * inbound HTTP request it serves (`http.server.request.start` + AsyncLocalStorage), so a decision
 * counts the API handler's requests, not those of the workflow it resumes.
 *
 * Usage: `node --import tsx test/bench/round-trips.ts <result.json>`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import { eidasPerson, itsmePerson, poll } from '#test/helpers/sandbox';
import { syntheticPerson } from './identities.ts';

/** One measured operation. */
export interface RoundTripOperation {
  name: string;
  /** DynamoDB requests attributed to the operation. */
  roundTrips: number;
  /** Their operations in order (`GetItem`, `TransactWriteItems`…). */
  commands: string[];
  /** What the operation answered (HTTP status). */
  status: number;
}

/** What the worker writes. */
export interface RoundTripResult {
  operations: RoundTripOperation[];
  /** Every DynamoDB operation seen during the run, with its count (Scan must be absent). */
  seen: Record<string, number>;
}

interface Sent {
  command: string;
  /** `METHOD /path` of the inbound request being served, or `undefined` (timers, workflows). */
  serving: string | undefined;
}

const serving = new AsyncLocalStorage<string>();
const sent: Sent[] = [];

diagnostics.subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  serving.enterWith(`${request.method} ${(request.url ?? '').split('?')[0]}`);
});
diagnostics.subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: ClientRequest };
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string' && target.startsWith('DynamoDB_')) {
    sent.push({ command: target.slice(target.indexOf('.') + 1), serving: serving.getStore() });
  }
});

const BIS_BODY = {
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
};

/** Seeded legal representative of Peeters & Van den Broeck BV (local/seed). */
const JAN = itsmePerson({
  insz: '79110222494',
  givenName: 'Jan',
  familyName: 'Peeters',
  birthDate: '1979-11-02',
});
const ORG = '0712459852';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function main(): Promise<void> {
  const resultPath = process.argv[2] as string;
  const { startSandbox } = await import('#local/server/start');
  const sandbox = await startSandbox({ port: 0 });
  const operations: RoundTripOperation[] = [];
  try {
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };

    /** Runs `act` and records the DynamoDB requests it caused (only those serving `only`, if given). */
    const measure = async <T extends { status: number }>(
      name: string,
      act: () => Promise<T>,
      only?: string,
    ): Promise<T> => {
      const start = sent.length;
      const answer = await act();
      const mine = sent.slice(start).filter((entry) => only === undefined || entry.serving === only);
      operations.push({
        name,
        roundTrips: mine.length,
        commands: mine.map((entry) => entry.command),
        status: answer.status,
      });
      return answer;
    };
    const login = (provider: 'eidas' | 'itsme', attributes: Record<string, unknown>) =>
      call('POST', '/local/login', undefined, { provider, attributes });
    const tokenOf = async (provider: 'eidas' | 'itsme', attributes: Record<string, unknown>) => {
      const answer = await login(provider, attributes);
      if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
      return String(answer.body.accessToken);
    };
    /** The decision once the workflow waits for it: the last (successful) attempt is the one recorded. */
    const decide = async (name: string, path: string, token: string, body: unknown) => {
      const answer = await poll(
        async () => {
          const before = operations.length;
          const result = await measure(name, () => call('POST', path, token, body), `POST ${path}`);
          if (result.status === 409) operations.splice(before, 1);
          return result;
        },
        (result) => result.status !== 409,
        { attempts: 50, intervalMs: 100 },
      );
      if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    };
    const quiet = () => new Promise((resolve) => setTimeout(resolve, 500));

    // Logins: the whole `/local/login` (hosted login, IdP, pre sign-up and pre token generation).
    const erika = eidasPerson();
    await measure('login eIDAS, first (pre sign-up + pre token generation)', () => login('eidas', erika));
    const erikaToken = await measure('login eIDAS, returning (pre token generation)', () =>
      login('eidas', erika),
    ).then((answer) => String(answer.body.accessToken));
    const itsmeUser = itsmePerson(syntheticPerson(1, 9));
    await measure('login itsme, first (pre sign-up + pre token generation)', () => login('itsme', itsmeUser));
    const refreshToken = await measure('login itsme, returning (pre token generation)', () =>
      login('itsme', itsmeUser),
    ).then((answer) => String(answer.body.refreshToken));
    const itsmeClient = String(decodeJwt(await tokenOf('itsme', itsmeUser)).aud);
    await measure('token refresh (pre token generation)', async () => {
      const response = await fetch(`${sandbox.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: itsmeClient,
          refresh_token: refreshToken,
        }),
      });
      await response.text();
      return { status: response.status };
    });

    await measure('GET /me', () => call('GET', '/me', erikaToken), 'GET /me');

    // BIS: an agent (operator action, then a new login).
    const agentFirst = await tokenOf('itsme', JAN);
    await call('POST', '/local/groups', undefined, {
      personId: decodeJwt(agentFirst).person_id,
      group: 'bis-agents',
    });
    await call('POST', '/local/groups', undefined, {
      personId: decodeJwt(agentFirst).person_id,
      group: 'security-officers',
    });
    const agent = await tokenOf('itsme', JAN);
    for (const decision of ['approve', 'reject'] as const) {
      const applicant = await tokenOf('eidas', eidasPerson());
      const submitted = await measure(
        `POST /bis-registrations (for ${decision})`,
        () => call('POST', '/bis-registrations', applicant, BIS_BODY),
        'POST /bis-registrations',
      );
      const id = String(submitted.body.registrationId);
      await decide(
        `BIS decision: ${decision}`,
        `/agent/bis-registrations/${id}/decision`,
        agent,
        decision === 'reject' ? { decision, reason: 'The documents do not match.' } : { decision },
      );
      await quiet();
    }

    // Foreign company registration, reviewed by the same person as security officer.
    const founder = await tokenOf('eidas', eidasPerson());
    const upload = await call('POST', '/uploads', founder, {
      contentType: 'application/pdf',
      size: PDF.length,
    });
    const { 'content-length': _length, ...headers } = upload.body.headers as Record<string, string>;
    const put = await fetch(String(upload.body.url), { method: 'PUT', headers, body: PDF });
    if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
    const foreign = await measure(
      'POST /organisations/foreign-registrations',
      () =>
        call('POST', '/organisations/foreign-registrations', founder, {
          name: 'Bench Tiefbau GmbH',
          country: 'DE',
          registrationNumber: `HRB ${Date.now() % 100_000}`,
          address: {
            street: 'Hohe Straße',
            houseNumber: '12',
            postalCode: '50667',
            city: 'Köln',
            country: 'DE',
          },
          uploadId: upload.body.uploadId,
          email: 'founder@example.de',
        }),
      'POST /organisations/foreign-registrations',
    );
    await decide(
      'foreign registration decision: approve',
      `/security/foreign-registrations/${String(foreign.body.registrationId)}/decision`,
      agent,
      { decision: 'approve' },
    );
    await quiet();

    // Right request on a claimed company, decided by its local administrator.
    const claimed = await call('POST', '/organisations/claims', agent, { enterpriseNumber: ORG });
    if (claimed.status !== 201) throw new Error(`claim failed: ${JSON.stringify(claimed.body)}`);
    const administrator = await tokenOf('itsme', JAN);
    const employee = await tokenOf('itsme', itsmePerson(syntheticPerson(2, 9)));
    const requested = await measure(
      `POST /organisations/{orgCode}/right-requests`,
      () =>
        call('POST', `/organisations/${ORG}/right-requests`, employee, {
          application: 'KLIP',
          role: 'klb-beheerder',
          justification: 'bench',
        }),
      `POST /organisations/${ORG}/right-requests`,
    );
    await decide(
      'right request decision: approve',
      `/organisations/${ORG}/right-requests/${String(requested.body.requestId)}/decision`,
      administrator,
      { decision: 'approve' },
    );
    await quiet();
  } finally {
    await sandbox.close();
  }
  const seen: Record<string, number> = {};
  for (const entry of sent) seen[entry.command] = (seen[entry.command] ?? 0) + 1;
  const result: RoundTripResult = { operations, seen };
  writeFileSync(resultPath, JSON.stringify(result));
}

await main();
