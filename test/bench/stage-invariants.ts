/**
 * The invariants of a load run that any stage can be asked about through its public API — the
 * sandbox after `npm run load`, a deployed stage after the Artillery run (docs/operations.md, "Load
 * test of a deployed stage"): no outcome lost, none doubled, nothing listed twice.
 *
 *   ADMIN_TOKEN=… AGENT_TOKEN=… npm run load:check -- --api <base URL> --org <orgCode> [--since <ISO>]
 *     [--users users.csv]   (with USER_POOL_ID, NATIVE_CLIENT_ID and LOAD_RUN of load.env)
 *
 * `ADMIN_TOKEN` is an access token of the organisation's local administrator, `AGENT_TOKEN` (optional)
 * one of a BIS agent; `--since` limits the checks to requests created from then on (the run's start).
 * Reads every page of the organisation's right requests (per status), grants and audit trail, and of
 * the agents' queues: an operator's check after a run, not a request path. With `--users`, each
 * account with an `insz` logs in (native-login.cjs) and its company of the run (load-companies.cjs)
 * is checked: claimed once or not at all. Exit code 1 on a problem.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseRecords } from '../../bin/seed-registers.ts';
import { loadCompanyOf } from './artillery/load-companies.cjs';
import { accountOf, nativeLogin } from './artillery/native-login.cjs';

/** The right request statuses (`GET /organisations/{orgCode}/right-requests?status=`). */
const RIGHT_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED'] as const;
/** The BIS registration statuses (`GET /agent/bis-registrations?status=`). */
const BIS_STATUSES = ['PENDING_REVIEW', 'NEEDS_CORRECTION', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;

/** What to check, and where. */
export interface StageInvariantOptions {
  /** The API's base URL (the sandbox's, or a stage's `…/v1`). */
  api: string;
  orgCode: string;
  /** Access token of a local administrator of `orgCode`. */
  adminToken: string;
  /** Access token of a BIS agent; without it the BIS queues are not checked. */
  agentToken?: string | undefined;
  /** Only requests created at or after this ISO instant. */
  since?: string | undefined;
  /**
   * The company claims of the run: each claimant's company and a way to get the claimant's access
   * token (a login). Without it, claims are not checked.
   */
  claims?: readonly CompanyClaim[] | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A company a load-test account claims, and how to act as that account. */
export interface CompanyClaim {
  enterpriseNumber: string;
  /** The claimant's access token (called once, when the claim is checked). */
  token: () => Promise<string>;
}

/** What was found. */
export interface StageInvariantReport {
  /** One sentence per broken invariant; empty when all hold. */
  problems: string[];
  /** What was looked at: requests per status, grants, registrations per status. */
  counts: Record<string, number>;
}

type Item = Record<string, unknown>;

/**
 * Every item of a paged listing (`limit=100`, following `nextCursor`) as `token` reads it.
 * @throws Error when a page does not answer 200: a refused listing is no clean bill of health.
 */
export async function listAllPages(
  base: string,
  path: string,
  token: string,
  call: typeof fetch = fetch,
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url = `${base}${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await call(url, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
    const page = (await answer.json()) as { items?: Item[]; nextCursor?: string };
    items.push(...(page.items ?? []));
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Checks the invariants; never throws for a broken invariant (it is a problem in the report). */
export async function checkStageInvariants(options: StageInvariantOptions): Promise<StageInvariantReport> {
  const call = options.fetch ?? fetch;
  const base = options.api.replace(/\/$/, '');
  const since = options.since ?? '';
  const listAll = (path: string, token: string) => listAllPages(base, path, token, call);
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  const org = encodeURIComponent(options.orgCode);

  // Right requests: each in exactly one status.
  const statusOf = new Map<string, string[]>();
  const requestOf = new Map<string, Item>();
  for (const status of RIGHT_REQUEST_STATUSES) {
    const items = (
      await listAll(`/organisations/${org}/right-requests?status=${status}`, options.adminToken)
    ).filter((item) => String(item.createdAt ?? '') >= since);
    counts[`right requests ${status}`] = items.length;
    for (const item of items) {
      const id = String(item.requestId);
      statusOf.set(id, [...(statusOf.get(id) ?? []), status]);
      requestOf.set(id, item);
    }
  }
  for (const [id, statuses] of statusOf) {
    if (statuses.length !== 1) problems.push(`right request ${id} is listed as ${statuses.join(' and ')}`);
  }

  // Grants: an approved request grants its requester the role; a request that was not approved grants
  // nothing. A grant is one item per person, application and role, so approving the same person's
  // next request for the role renews that grant (the listing shows the latest request's).
  const grants = await listAll(`/organisations/${org}/grants`, options.adminToken);
  const holderOf = (personId: unknown, application: unknown, role: unknown) =>
    `${String(personId)}\u0000${String(application)}\u0000${String(role)}`;
  const grantsOfHolder = new Map<string, Item[]>();
  for (const grant of grants) {
    const holder = holderOf(grant.personId, grant.application, grant.role);
    grantsOfHolder.set(holder, [...(grantsOfHolder.get(holder) ?? []), grant]);
  }
  counts['grants of these requests'] = grants.filter((grant) => statusOf.has(String(grant.requestId))).length;
  const audit = await listAll(`/organisations/${org}/audit`, options.adminToken);
  const entries = (action: string, match: (details: Record<string, string>) => boolean) =>
    audit.filter((entry) => entry.action === action && match((entry.details ?? {}) as Record<string, string>))
      .length;
  for (const [id, statuses] of statusOf) {
    const fromRequest = grants.filter((grant) => String(grant.requestId) === id);
    if (statuses[0] !== 'APPROVED') {
      if (fromRequest.length > 0)
        problems.push(`right request ${id} is ${statuses[0]} but has ${fromRequest.length} grant(s)`);
      continue;
    }
    const request = requestOf.get(id) ?? {};
    const requester = (request.requester ?? {}) as Item;
    const held = grantsOfHolder.get(holderOf(requester.personId, request.application, request.role)) ?? [];
    if (held.length === 0) problems.push(`approved right request ${id} has 0 grants`);
    if (held.length > 1)
      problems.push(
        `approved right request ${id}: its requester holds ${held.length} grants of ${String(request.application)}:${String(request.role)}`,
      );
    const approvals = entries('right-request-approved', (details) => details.requestId === id);
    if (approvals !== 1)
      problems.push(`approved right request ${id} has ${approvals} approval audit entries`);
    const grantIds = new Set(fromRequest.map((grant) => String(grant.grantId)));
    const grantEntries = entries(
      'right-granted',
      (details) => details.requestId === id || grantIds.has(details.grantId ?? ''),
    );
    if (grantEntries !== 1)
      problems.push(`approved right request ${id} has ${grantEntries} right-granted entries`);
  }

  // BIS registrations: each in exactly one queue.
  if (options.agentToken) {
    const queueOf = new Map<string, string[]>();
    for (const status of BIS_STATUSES) {
      const items = (await listAll(`/agent/bis-registrations?status=${status}`, options.agentToken)).filter(
        (item) => String(item.createdAt ?? '') >= since,
      );
      counts[`BIS registrations ${status}`] = items.length;
      for (const item of items) {
        const id = String(item.registrationId);
        queueOf.set(id, [...(queueOf.get(id) ?? []), status]);
      }
    }
    for (const [id, statuses] of queueOf) {
      if (statuses.length !== 1)
        problems.push(`BIS registration ${id} is listed as ${statuses.join(' and ')}`);
    }
  }

  if (options.claims) {
    Object.assign(counts, { 'companies claimed': 0, 'companies not claimed': 0 });
    for (const claim of options.claims) {
      const problem = await checkClaim(base, claim, call, counts);
      if (problem) problems.push(problem);
    }
  }
  return { problems, counts };
}

/**
 * One company of the run: not claimed (its account did not run the scenario), or claimed once — one
 * membership of the claimant, legal representative and local administrator, and one
 * `organisation-claimed` audit entry. A problem sentence, or `undefined`.
 */
async function checkClaim(
  base: string,
  claim: CompanyClaim,
  call: typeof fetch,
  counts: Record<string, number>,
): Promise<string | undefined> {
  const code = claim.enterpriseNumber;
  let token: string;
  try {
    token = await claim.token();
  } catch (error) {
    return `company ${code}: the claimant could not log in (${error instanceof Error ? error.message : 'unknown error'})`;
  }
  const me = await call(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
  if (me.status !== 200) return `company ${code}: GET /me of the claimant answered ${me.status}`;
  const memberships = (((await me.json()) as { memberships?: Item[] }).memberships ?? []).filter(
    (membership) => membership.orgCode === code,
  );
  if (memberships.length === 0) {
    counts['companies not claimed'] = (counts['companies not claimed'] ?? 0) + 1;
    return undefined;
  }
  counts['companies claimed'] = (counts['companies claimed'] ?? 0) + 1;
  if (memberships.length > 1) return `company ${code}: the claimant has ${memberships.length} memberships`;
  const [membership] = memberships as [Item];
  if (membership.legalRepresentative !== true || membership.localAdministrator !== true)
    return `company ${code}: the claimant is not both legal representative and local administrator`;
  const audit = await listAllPages(base, `/organisations/${encodeURIComponent(code)}/audit`, token, call);
  const claimed = audit.filter((entry) => entry.action === 'organisation-claimed').length;
  return claimed === 1 ? undefined : `company ${code} has ${claimed} organisation-claimed audit entries`;
}

/**
 * The claims of `usersCsv` (lines with an `insz`): the company of run `run`, the token of a native
 * login of the line's account.
 */
export function claimsOf(
  usersCsv: string,
  run: string | undefined,
  pool: { userPoolId: string; clientId: string; endpoint?: string | undefined },
): CompanyClaim[] {
  return parseRecords(usersCsv, 'csv').flatMap(({ record }) => {
    const vars = record as Record<string, unknown>;
    const insz = String(vars.insz ?? '').trim();
    if (insz === '') return [];
    const account = accountOf(vars);
    return [
      {
        enterpriseNumber: loadCompanyOf(insz, run).enterpriseNumber,
        token: async () =>
          (
            await nativeLogin({
              userPoolId: pool.userPoolId,
              clientId: pool.clientId,
              ...(pool.endpoint ? { endpoint: pool.endpoint } : {}),
              account,
            })
          ).accessToken,
      },
    ];
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      org: { type: 'string' },
      since: { type: 'string' },
      users: { type: 'string' },
    },
  });
  const adminToken = process.env.ADMIN_TOKEN;
  if (!values.api || !values.org || !adminToken) {
    console.error(
      'usage: ADMIN_TOKEN=… [AGENT_TOKEN=…] npm run load:check -- --api <base URL> --org <orgCode> [--since <ISO instant>] [--users users.csv]',
    );
    process.exit(2);
  }
  const { USER_POOL_ID, NATIVE_CLIENT_ID, COGNITO_ENDPOINT, LOAD_RUN } = process.env;
  if (values.users && (!USER_POOL_ID || !NATIVE_CLIENT_ID)) {
    console.error('--users needs USER_POOL_ID and NATIVE_CLIENT_ID (load.env) to log the claimants in');
    process.exit(2);
  }
  if (values.since && Number.isNaN(Date.parse(values.since))) {
    console.error('--since must be an ISO instant, e.g. 2026-12-07T09:00:00Z');
    process.exit(2);
  }
  const report = await checkStageInvariants({
    api: values.api,
    orgCode: values.org,
    adminToken,
    agentToken: process.env.AGENT_TOKEN,
    since: values.since ? new Date(values.since).toISOString() : undefined,
    claims:
      values.users && USER_POOL_ID && NATIVE_CLIENT_ID
        ? claimsOf(await readFile(values.users, 'utf8'), LOAD_RUN, {
            userPoolId: USER_POOL_ID,
            clientId: NATIVE_CLIENT_ID,
            endpoint: COGNITO_ENDPOINT,
          })
        : undefined,
  });
  for (const [what, count] of Object.entries(report.counts)) console.log(`${what}: ${count}`);
  if (report.problems.length === 0) {
    console.log('Invariants hold: no outcome lost, none doubled, nothing listed twice.');
    return;
  }
  for (const problem of report.problems) console.error(`✗ ${problem}`);
  process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
