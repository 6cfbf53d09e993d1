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
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { DYNAMODB_PROXY_PATH } from '#local/aws/dynamodb-proxy';
import { localClientConfig } from '#local/dynamodb-local';
import { keys } from '#shared/keys';
import { createDocumentClient } from '#shared/table';
import { bisApplication, eidasPerson, itsmePerson, JAN, poll } from '#test/helpers/sandbox';
import { syntheticPerson } from './identities.ts';

/** One measured operation. */
export interface RoundTripOperation {
  name: string;
  /**
   * Sequential DynamoDB round trips: requests in flight together (sent before the others of their
   * round answered, e.g. a `Promise.all`) count once. A login must stay within 2.
   */
  roundTrips: number;
  /** DynamoDB requests attributed to the operation (each parallel request counted). */
  requests: number;
  /** Their operations in order (`GetItem`, `TransactWriteItems`…). */
  commands: string[];
  /** What the operation answered (HTTP status). */
  status: number;
}

/** A login of a person with `organisations` organisations (4 roles each), acting for one of them. */
export interface CapacityLogin {
  organisations: number;
  requests: number;
  /** Sequential round trips (parallel requests count once). */
  roundTrips: number;
  /** Items DynamoDB returned to the login (Get, BatchGet, Query). */
  itemsRead: number;
  /** Their size as JSON. */
  bytesRead: number;
  idTokenBytes: number;
  accessTokenBytes: number;
  status: number;
}

/** What the worker writes. */
export interface RoundTripResult {
  operations: RoundTripOperation[];
  /** Logins at N = 1, 50 and 200 organisations. */
  capacityLogins: CapacityLogin[];
  /** Every DynamoDB operation seen during the run, with its count (Scan must be absent). */
  seen: Record<string, number>;
}

interface Sent {
  command: string;
  /** `METHOD /path` of the inbound request being served, or `undefined` (timers, workflows). */
  serving: string | undefined;
  request: ClientRequest;
  /** Sent by a function to the sandbox's DynamoDB endpoint (the proxy then forwards it once more). */
  viaProxy: boolean;
  startedAt: number;
  /** When the response arrived. */
  answeredAt?: number;
}

/** Items and bytes one document-client call returned. */
interface Read {
  serving: string | undefined;
  items: number;
  bytes: number;
}

/** The sandbox's own hop to DynamoDB Local: the same request again, never counted twice. */
const PROXY = `POST ${DYNAMODB_PROXY_PATH}`;

const serving = new AsyncLocalStorage<string>();
const sent: Sent[] = [];
const reads: Read[] = [];

diagnostics.subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  serving.enterWith(`${request.method} ${(request.url ?? '').split('?')[0]}`);
});
diagnostics.subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: ClientRequest };
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string' && target.startsWith('DynamoDB_')) {
    const store = serving.getStore();
    if (store === PROXY) return;
    sent.push({
      command: target.slice(target.indexOf('.') + 1),
      serving: store,
      request,
      viaProxy: request.path.startsWith(DYNAMODB_PROXY_PATH),
      startedAt: performance.now(),
    });
  }
});
diagnostics.subscribe('http.client.response.finish', (message) => {
  const { request } = message as { request: ClientRequest };
  const entry = sent.findLast((candidate) => candidate.request === request);
  if (entry) entry.answeredAt = performance.now();
});

// Items and bytes read, counted where the functions receive them (the document client, in process).
const originalSend = DynamoDBDocumentClient.prototype.send as (...args: unknown[]) => Promise<unknown>;
(DynamoDBDocumentClient.prototype as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send =
  async function send(this: DynamoDBDocumentClient, ...args: unknown[]) {
    const output = (await originalSend.apply(this, args)) as Record<string, unknown> | undefined;
    const items = [
      ...((output?.Items as unknown[] | undefined) ?? []),
      ...Object.values((output?.Responses as Record<string, unknown[]> | undefined) ?? {}).flat(),
      ...(output?.Item ? [output.Item] : []),
    ];
    reads.push({
      serving: serving.getStore(),
      items: items.length,
      bytes: items.reduce<number>((sum, item) => sum + Buffer.byteLength(JSON.stringify(item)), 0),
    });
    return output;
  };

/**
 * The requests the functions sent: behind the sandbox's DynamoDB proxy each one is seen twice (the
 * function's request to the proxy, the proxy's to DynamoDB Local); only the first hop counts.
 */
function firstHops<T extends { viaProxy: boolean }>(requests: readonly T[]): T[] {
  return requests.some((request) => request.viaProxy)
    ? requests.filter((request) => request.viaProxy)
    : [...requests];
}

/**
 * Sequential round trips of these requests: a request sent before every request of the current
 * round has been answered runs in parallel with them and joins that round.
 */
export function sequentialRoundTrips(
  requests: readonly { startedAt: number; answeredAt?: number }[],
): number {
  let rounds = 0;
  let roundEnd = Number.NEGATIVE_INFINITY;
  for (const request of [...requests].sort((a, b) => a.startedAt - b.startedAt)) {
    const end = request.answeredAt ?? request.startedAt;
    if (request.startedAt >= roundEnd) {
      rounds += 1;
      roundEnd = end;
    } else {
      roundEnd = Math.max(roundEnd, end);
    }
  }
  return rounds;
}

const tokenBytes = (token: unknown): number => Buffer.byteLength(String(token ?? ''));

const BIS_BODY = bisApplication({ email: 'erika.mustermann@example.de' });

const ORG = '0712459852';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

type Call = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;
type Login = (
  provider: 'eidas' | 'itsme',
  attributes: Record<string, unknown>,
) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Organisation counts of the capacity logins. */
const CAPACITY_SIZES = [1, 50, 200] as const;
const ROLES = ['raadpleger', 'planaanvrager', 'klb-beheerder', 'klb-operator'] as const;

/**
 * A consultant with 4 roles in each of N organisations (memberships and grants written as the
 * organisations and rights contexts write them), acting for the last one (`PUT /me/capacity`): what
 * one returning login reads and the size of the tokens it gets.
 */
async function measureCapacityLogins(
  login: Login,
  call: Call,
  dynamoDbEndpoint: string,
): Promise<CapacityLogin[]> {
  // DynamoDB Local itself, as an operator's seeding tool writes (not through the functions' endpoint).
  const documentClient = createDocumentClient(new DynamoDBClient(localClientConfig(dynamoDbEndpoint)));
  const tableName = 'eid-access-sandbox';
  const results: CapacityLogin[] = [];
  for (const [index, organisations] of CAPACITY_SIZES.entries()) {
    const person = itsmePerson(syntheticPerson(10 + index, 9));
    const first = await login('itsme', person);
    if (first.status !== 200) throw new Error(`capacity login: ${JSON.stringify(first.body)}`);
    const personId = String(decodeJwt(String(first.body.idToken)).person_id);
    const orgCodes = Array.from(
      { length: organisations },
      (_, i) => `0${String(500_000_000 + index * 1000 + i)}`,
    );
    const items = orgCodes.flatMap((orgCode, i) => [
      {
        ...keys.membership(personId, orgCode),
        type: 'membership',
        personId,
        orgCode,
        name: `Bench organisation ${i} BV`,
        localAdministrator: false,
        legalRepresentative: false,
        createdAt: '2026-01-05T09:00:00.000Z',
      },
      ...ROLES.map((role) => ({
        ...keys.grant(personId, orgCode, 'KLIP', role),
        type: 'grant',
        grantId: `01BENCH${String(i).padStart(6, '0')}${role.length}`,
        personId,
        orgCode,
        application: 'KLIP',
        role,
        validFrom: '2026-01-05T09:00:00.000Z',
        validUntil: '2099-01-01T00:00:00.000Z',
      })),
    ]);
    for (let start = 0; start < items.length; start += 25) {
      await documentClient.send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    const chosen = await call('PUT', '/me/capacity', String(first.body.accessToken), {
      orgCode: orgCodes.at(-1),
    });
    if (chosen.status !== 200) throw new Error(`capacity choice: ${JSON.stringify(chosen.body)}`);
    const sentBefore = sent.length;
    const readsBefore = reads.length;
    const answer = await login('itsme', person);
    // Nothing else runs meanwhile: everything sent during the login is the login's (the hosted login
    // calls back into the sandbox over HTTP, so the inbound request differs along the way).
    const mine = firstHops(sent.slice(sentBefore));
    const read = reads.slice(readsBefore);
    results.push({
      organisations,
      requests: mine.length,
      roundTrips: sequentialRoundTrips(mine),
      itemsRead: read.reduce((sum, entry) => sum + entry.items, 0),
      bytesRead: read.reduce((sum, entry) => sum + entry.bytes, 0),
      idTokenBytes: tokenBytes(answer.body.idToken),
      accessTokenBytes: tokenBytes(answer.body.accessToken),
      status: answer.status,
    });
  }
  return results;
}

async function main(): Promise<void> {
  const resultPath = process.argv[2] as string;
  const { startSandbox } = await import('#local/server/start');
  const sandbox = await startSandbox({ port: 0 });
  const operations: RoundTripOperation[] = [];
  const capacityLogins: CapacityLogin[] = [];
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
      const mine = firstHops(sent.slice(start)).filter(
        (entry) => only === undefined || entry.serving === only,
      );
      operations.push({
        name,
        roundTrips: sequentialRoundTrips(mine),
        requests: mine.length,
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
    // An access token names its app client in `client_id` (an ID token would in `aud`).
    const itsmeClient = String(decodeJwt(await tokenOf('itsme', itsmeUser)).client_id);
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

    capacityLogins.push(...(await measureCapacityLogins(login, call, sandbox.dynamoDbEndpoint)));

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
  for (const entry of firstHops(sent)) seen[entry.command] = (seen[entry.command] ?? 0) + 1;
  const result: RoundTripResult = { operations, capacityLogins, seen };
  writeFileSync(resultPath, JSON.stringify(result));
}

await main();
