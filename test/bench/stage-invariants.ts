/**
 * The invariants of a load run that any stage can be asked about through its public API — the
 * sandbox after `npm run load`, a deployed stage after the Artillery run (docs/operations.md, "Load
 * test of a deployed stage"): no outcome lost, none doubled, nothing listed twice.
 *
 *   ADMIN_TOKEN=… AGENT_TOKEN=… npm run load:check -- --api <base URL> --org <orgCode> [--since <ISO>]
 *
 * `ADMIN_TOKEN` is an access token of the organisation's local administrator, `AGENT_TOKEN` (optional)
 * one of a BIS agent; `--since` limits the checks to requests created from then on (the run's start).
 * Reads every page of the organisation's right requests (per status), grants and audit trail, and of
 * the agents' queues: an operator's check after a run, not a request path. Exit code 1 on a problem.
 */
import { parseArgs } from 'node:util';

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
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
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
  for (const status of RIGHT_REQUEST_STATUSES) {
    const items = (
      await listAll(`/organisations/${org}/right-requests?status=${status}`, options.adminToken)
    ).filter((item) => String(item.createdAt ?? '') >= since);
    counts[`right requests ${status}`] = items.length;
    for (const item of items) {
      const id = String(item.requestId);
      statusOf.set(id, [...(statusOf.get(id) ?? []), status]);
    }
  }
  for (const [id, statuses] of statusOf) {
    if (statuses.length !== 1) problems.push(`right request ${id} is listed as ${statuses.join(' and ')}`);
  }

  // Grants: one per approved request, none for a request that was not approved.
  const grants = await listAll(`/organisations/${org}/grants`, options.adminToken);
  const grantsOf = new Map<string, Item[]>();
  for (const grant of grants) {
    const requestId = String(grant.requestId);
    if (!statusOf.has(requestId)) continue;
    grantsOf.set(requestId, [...(grantsOf.get(requestId) ?? []), grant]);
  }
  counts['grants of these requests'] = [...grantsOf.values()].reduce((sum, list) => sum + list.length, 0);
  const audit = await listAll(`/organisations/${org}/audit`, options.adminToken);
  const entries = (action: string, match: (details: Record<string, string>) => boolean) =>
    audit.filter((entry) => entry.action === action && match((entry.details ?? {}) as Record<string, string>))
      .length;
  for (const [id, statuses] of statusOf) {
    const granted = grantsOf.get(id) ?? [];
    if (statuses[0] !== 'APPROVED') {
      if (granted.length > 0)
        problems.push(`right request ${id} is ${statuses[0]} but has ${granted.length} grant(s)`);
      continue;
    }
    if (granted.length !== 1) problems.push(`approved right request ${id} has ${granted.length} grants`);
    const approvals = entries('right-request-approved', (details) => details.requestId === id);
    if (approvals !== 1)
      problems.push(`approved right request ${id} has ${approvals} approval audit entries`);
    const grantIds = new Set(granted.map((grant) => String(grant.grantId)));
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
  return { problems, counts };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { api: { type: 'string' }, org: { type: 'string' }, since: { type: 'string' } },
  });
  const adminToken = process.env.ADMIN_TOKEN;
  if (!values.api || !values.org || !adminToken) {
    console.error(
      'usage: ADMIN_TOKEN=… [AGENT_TOKEN=…] npm run load:check -- --api <base URL> --org <orgCode> [--since <ISO instant>]',
    );
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
