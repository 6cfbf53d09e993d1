/**
 * `npm run load`: concurrent users on the sandbox (loopback only). Starts `npm start`'s entry as a
 * child process on a free port, then N virtual users run journeys until a journey count or a hard
 * time limit is reached, whichever comes first:
 * - BIS: a new eIDAS user logs in and submits a BIS registration; the agent (one shared agent
 *   session) approves it; the user sees it APPROVED;
 * - rights: a new itsme user (a national number of their own) logs in and requests a role on a
 *   seeded company; its local administrator (one shared session) approves; the grant shows on `/me`.
 * Afterwards it checks that every submitted record exists exactly once with its final status, and
 * counts the outbox mails per recipient; then reports throughput and p50/p99 latency per endpoint
 * and stops the sandbox. Exits non-zero on a lost or duplicated record or a failed journey.
 *
 * Environment: `LOAD_USERS` (default 20, at most 50), `LOAD_JOURNEYS` (default 100, at most 1000),
 * `LOAD_SECONDS` (hard stop, default 120, at most 600); `--write-doc` rewrites the load section of
 * docs/performance.md.
 */
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { eidasPerson, itsmePerson, startSandboxProcess } from '#test/helpers/sandbox';
import { PROJECT_ROOT } from './entries.ts';
import { syntheticPerson } from './identities.ts';
import { percentile, replaceSection } from './report.ts';

function bounded(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return Math.min(value, max);
}

const USERS = bounded('LOAD_USERS', 20, 50);
const JOURNEYS = bounded('LOAD_JOURNEYS', 100, 1000);
const SECONDS = bounded('LOAD_SECONDS', 120, 600);
/** After the hard stop: time for workflows already decided to finish before the checks. */
const SETTLE_MS = 10_000;

/** Seeded legal representatives of Peeters & Van den Broeck BV (local/seed). */
const JAN = itsmePerson({
  insz: '79110222494',
  givenName: 'Jan',
  familyName: 'Peeters',
  birthDate: '1979-11-02',
});
const ZOE = itsmePerson({
  insz: '92063004163',
  givenName: 'Zoë',
  familyName: 'Van den Broeck',
  birthDate: '1992-06-30',
});
const ORG = '0712459852';

interface Sample {
  endpoint: string;
  status: number;
  ms: number;
}

type Kind = 'bis' | 'rights';

interface Journey {
  index: number;
  kind: Kind;
  email: string;
  /** registrationId or requestId once accepted (202). */
  recordId?: string;
  completed: boolean;
  error?: string;
  ms?: number;
}

/** `/bis-registrations/01J…/decision` → `/bis-registrations/{id}/decision`. */
export function endpointOf(method: string, path: string): string {
  const template = path
    .split('?')[0]
    ?.split('/')
    .map((segment) =>
      /^[0-9A-HJKMNP-TV-Z]{26}$/.test(segment) || /^\d{10}$/.test(segment) ? '{id}' : segment,
    )
    .join('/');
  return `${method} ${template}`;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  console.log(`Starting the sandbox (PORT=0, loopback)…`);
  const sandbox = await startSandboxProcess({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  if (!sandbox.url.startsWith('http://127.0.0.1:')) throw new Error(`Not loopback: ${sandbox.url}`);
  const samples: Sample[] = [];
  const hardStop = new AbortController();

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      signal: hardStop.signal,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    samples.push({
      endpoint: endpointOf(method, path),
      status: response.status,
      ms: performance.now() - started,
    });
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & {
        items?: Record<string, unknown>[];
        nextCursor?: string;
      },
    };
  };
  const login = async (provider: 'eidas' | 'itsme', attributes: Record<string, unknown>) => {
    const answer = await call('POST', '/local/login', undefined, { provider, attributes });
    if (answer.status !== 200) throw new Error(`login ${answer.status}: ${JSON.stringify(answer.body)}`);
    return String(answer.body.idToken);
  };
  const until = async <T>(
    attempt: () => Promise<T>,
    done: (result: T) => boolean,
    what: string,
  ): Promise<T> => {
    for (;;) {
      const result = await attempt();
      if (done(result)) return result;
      if (hardStop.signal.aborted) throw new Error(`hard stop while waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const journeys: Journey[] = [];
  let failed = false;
  let runStarted = 0;
  let runEnded = 0;
  try {
    // The shared sessions: a BIS agent and the company's local administrator.
    const zoeFirst = await login('itsme', ZOE);
    await call('POST', '/local/groups', undefined, {
      personId: decodeJwt(zoeFirst).person_id,
      group: 'bis-agents',
    });
    const agent = await login('itsme', ZOE);
    const janFirst = await login('itsme', JAN);
    const claimed = await call('POST', '/organisations/claims', janFirst, { enterpriseNumber: ORG });
    if (claimed.status !== 201) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
    const administrator = await login('itsme', JAN);
    samples.length = 0;

    const salt = Math.floor(Math.random() * 10);
    const runId = randomUUID().slice(0, 8);
    const decide = (path: string, token: string, body: unknown) =>
      until(
        () => call('POST', path, token, body),
        (answer) => answer.status !== 409,
        `the workflow to wait for a decision (${path})`,
      );

    const bisJourney = async (journey: Journey) => {
      const token = await login('eidas', eidasPerson());
      const submitted = await call('POST', '/bis-registrations', token, {
        givenNames: 'Erika',
        // The names must be those of the eID the applicant signed in with (eidasPerson's).
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
        email: journey.email,
        phone: '+32 470 12 34 56',
      });
      if (submitted.status !== 202)
        throw new Error(`submit ${submitted.status}: ${JSON.stringify(submitted.body)}`);
      journey.recordId = String(submitted.body.registrationId);
      const decided = await decide(`/agent/bis-registrations/${journey.recordId}/decision`, agent, {
        decision: 'approve',
      });
      if (decided.status !== 200)
        throw new Error(`decision ${decided.status}: ${JSON.stringify(decided.body)}`);
      await until(
        () => call('GET', `/bis-registrations/${journey.recordId}`, token),
        (view) => view.body.status === 'APPROVED',
        'APPROVED',
      );
    };

    const rightsJourney = async (journey: Journey) => {
      const person = syntheticPerson(journey.index, salt);
      const token = await login('itsme', { ...itsmePerson(person), email: journey.email });
      const requested = await call('POST', `/organisations/${ORG}/right-requests`, token, {
        application: 'KLIP',
        role: 'klb-beheerder',
        justification: `load ${runId} ${journey.index}`,
      });
      if (requested.status !== 202)
        throw new Error(`request ${requested.status}: ${JSON.stringify(requested.body)}`);
      journey.recordId = String(requested.body.requestId);
      const decided = await decide(
        `/organisations/${ORG}/right-requests/${journey.recordId}/decision`,
        administrator,
        { decision: 'approve' },
      );
      if (decided.status !== 200)
        throw new Error(`decision ${decided.status}: ${JSON.stringify(decided.body)}`);
      await until(
        () => call('GET', '/me', token),
        (me) =>
          ((me.body.grants as { orgCode: string }[] | undefined) ?? []).some(
            (grant) => grant.orgCode === ORG,
          ),
        'the grant on /me',
      );
    };

    console.log(`Load: ${USERS} virtual users, at most ${JOURNEYS} journeys, hard stop after ${SECONDS} s…`);
    runStarted = performance.now();
    const timer = setTimeout(() => hardStop.abort(), SECONDS * 1000);
    let next = 0;
    const virtualUser = async () => {
      while (next < JOURNEYS && !hardStop.signal.aborted) {
        const index = next++;
        const kind: Kind = index % 2 === 0 ? 'bis' : 'rights';
        const journey: Journey = {
          index,
          kind,
          email: `load-${runId}-${index}@example.org`,
          completed: false,
        };
        journeys.push(journey);
        const started = performance.now();
        try {
          await (kind === 'bis' ? bisJourney(journey) : rightsJourney(journey));
          journey.completed = true;
          journey.ms = performance.now() - started;
        } catch (error) {
          journey.error = error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: USERS }, virtualUser));
    runEnded = performance.now();
    clearTimeout(timer);
    const stoppedByTime = hardStop.signal.aborted;

    // Checks, after the workflows of decided journeys have had time to finish.
    console.log('Checking records and outbox…');
    await new Promise((resolve) => setTimeout(resolve, hardStop.signal.aborted ? SETTLE_MS : 1000));
    const checkCall = async (path: string, token: string) => {
      const response = await fetch(`${sandbox.url}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await response.json()) as { items?: Record<string, unknown>[]; nextCursor?: string };
    };
    const listAll = async (path: string, token: string) => {
      const items: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page = await checkCall(
          `${path}${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          token,
        );
        items.push(...(page.items ?? []));
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const occurrences = (items: Record<string, unknown>[], key: string) => {
      const counts = new Map<string, number>();
      for (const item of items) counts.set(String(item[key]), (counts.get(String(item[key])) ?? 0) + 1);
      return counts;
    };
    const approvedBis = occurrences(
      await listAll('/agent/bis-registrations?status=APPROVED', agent),
      'registrationId',
    );
    const pendingBis = occurrences(
      await listAll('/agent/bis-registrations?status=PENDING_REVIEW', agent),
      'registrationId',
    );
    const grants = occurrences(await listAll(`/organisations/${ORG}/grants`, administrator), 'requestId');
    const pendingRights = occurrences(
      await listAll(`/organisations/${ORG}/right-requests?status=PENDING`, administrator),
      'requestId',
    );
    const outbox = (await (await fetch(`${sandbox.url}/local/outbox`)).json()) as Record<string, string>[];
    const mailsTo = new Map<string, string[]>();
    for (const mail of outbox)
      mailsTo.set(mail.to ?? '', [
        ...(mailsTo.get(mail.to ?? '') ?? []),
        mail.template ?? mail.subject ?? '',
      ]);

    const problems: string[] = [];
    const submitted = journeys.filter((journey) => journey.recordId !== undefined);
    for (const journey of submitted) {
      const id = journey.recordId as string;
      const final = journey.kind === 'bis' ? approvedBis : grants;
      const pending = journey.kind === 'bis' ? pendingBis : pendingRights;
      const seen = (final.get(id) ?? 0) + (pending.get(id) ?? 0);
      if (seen !== 1)
        problems.push(
          `${journey.kind} ${id}: listed ${seen} times (final ${final.get(id) ?? 0}, pending ${pending.get(id) ?? 0})`,
        );
      if (journey.completed && (final.get(id) ?? 0) !== 1)
        problems.push(`${journey.kind} ${id}: completed but not final`);
    }
    const ours = new Set(submitted.map((journey) => journey.recordId));
    const strangers = [...approvedBis.keys(), ...grants.keys()].filter((id) => !ours.has(id));
    if (strangers.length > 0) problems.push(`records nobody submitted: ${strangers.join(', ')}`);
    const templatesPerJourney = new Map<string, number>();
    for (const journey of journeys.filter((candidate) => candidate.completed)) {
      const mails = mailsTo.get(journey.email) ?? [];
      for (const template of mails)
        templatesPerJourney.set(
          `${journey.kind}: ${template}`,
          (templatesPerJourney.get(`${journey.kind}: ${template}`) ?? 0) + 1,
        );
      const finalMails = mails.filter((template) => /approved|granted/i.test(template));
      if (finalMails.length !== 1)
        problems.push(
          `${journey.kind} ${journey.recordId}: ${finalMails.length} approval mails to ${journey.email}`,
        );
    }
    const failures = journeys.filter((journey) => !journey.completed);
    failed =
      problems.length > 0 || failures.some((journey) => !/hard stop|aborted/i.test(journey.error ?? ''));

    // Report.
    const elapsed = (runEnded - runStarted) / 1000;
    const completed = journeys.filter((journey) => journey.completed);
    const byEndpoint = new Map<string, Sample[]>();
    for (const sample of samples)
      byEndpoint.set(sample.endpoint, [...(byEndpoint.get(sample.endpoint) ?? []), sample]);
    const rows = [...byEndpoint.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([endpoint, list]) => {
        const times = list.map((sample) => sample.ms).sort((a, b) => a - b);
        const statuses = new Map<number, number>();
        for (const sample of list) statuses.set(sample.status, (statuses.get(sample.status) ?? 0) + 1);
        return `| ${endpoint} | ${list.length} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms | ${[...statuses.entries()].map(([status, count]) => `${status}×${count}`).join(', ')} |`;
      });
    const journeyTimes = (kind: Kind) =>
      completed
        .filter((journey) => journey.kind === kind)
        .map((journey) => journey.ms as number)
        .sort((a, b) => a - b);
    const machine = `${cpus().length} CPUs (nproc ${cpus().length}), ${cpus()[0]?.model ?? 'unknown'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`;
    const report = [
      `Measured ${startedAt.toISOString()} on ${machine}; sandbox and load generator on the same machine (loopback).`,
      '',
      `${USERS} virtual users, limit ${JOURNEYS} journeys / ${SECONDS} s${stoppedByTime ? ' — **stopped by the time limit**' : ''}: ${journeys.length} started, ${completed.length} completed (${journeyTimes('bis').length} BIS, ${journeyTimes('rights').length} rights) in ${elapsed.toFixed(1)} s.`,
      '',
      `- Throughput: **${(completed.length / elapsed).toFixed(2)} journeys/s**, **${(samples.length / elapsed).toFixed(1)} requests/s** (${samples.length} requests, polls included).`,
      `- Journey time p50/p99: BIS ${percentile(journeyTimes('bis'), 50).toFixed(0)}/${percentile(journeyTimes('bis'), 99).toFixed(0)} ms, rights ${percentile(journeyTimes('rights'), 50).toFixed(0)}/${percentile(journeyTimes('rights'), 99).toFixed(0)} ms.`,
      `- Records: ${submitted.length} submitted; BIS approved ${[...approvedBis.values()].reduce((a, b) => a + b, 0)}, pending ${pendingBis.size}; grants ${[...grants.values()].reduce((a, b) => a + b, 0)}, pending requests ${pendingRights.size}. Lost or duplicated: **${problems.length === 0 ? 'none' : problems.length}**.`,
      `- Outbox: ${outbox.length} mails; per completed journey: ${[...templatesPerJourney.entries()].map(([template, count]) => `${template} ${count}`).join(', ')}.`,
      ...(failures.length > 0
        ? [
            `- Unfinished journeys: ${failures.length} (${[...new Set(failures.map((journey) => journey.error))].slice(0, 5).join('; ')})`,
          ]
        : []),
      ...(problems.length > 0
        ? ['', 'Problems:', ...problems.slice(0, 20).map((problem) => `- ${problem}`)]
        : []),
      '',
      '| endpoint | requests | p50 | p99 | statuses |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
    console.log(`\n${report}\n`);
    if (failures.length > 0) {
      // The sandbox's own account of the failures (its log level is ERROR during the run).
      const lines = sandbox
        .output()
        .split('\n')
        .filter((line) => /error|fail|invalid/i.test(line));
      console.log(`Sandbox error lines (last 20):\n${lines.slice(-20).join('\n')}`);
    }
    if (process.argv.includes('--write-doc')) {
      replaceSection(join(PROJECT_ROOT, 'docs', 'performance.md'), 'load', report);
      console.log('docs/performance.md updated (load section).');
    }
  } finally {
    await sandbox.stop('SIGINT');
  }
  console.log(
    failed ? 'FAIL: lost or duplicated records, or failed journeys.' : 'PASS: no lost or duplicated records.',
  );
  process.exitCode = failed ? 1 : 0;
}

await main();
