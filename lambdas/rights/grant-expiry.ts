/**
 * The daily grant expiry, fanned out (docs/operations.md, "Grant expiry"). A Step Functions state
 * machine runs it at 03:00 UTC: a Map over the expiry shards calls {@link sweepShardPage} until the
 * shard is done, then a Map over the notice queues calls {@link sendNoticesPage} until each queue is
 * drained, then {@link summarise} adds up the counts. Every call handles one bounded page, so no
 * invocation runs long whatever the size of a date, and the shards run in parallel.
 *
 * Exactly once, per grant, under Step Functions retries and duplicate runs:
 * - a grant past `validUntil` is removed in ONE transaction with its `grant-expired` audit entry and its
 *   `expired` notice; the delete's condition (same grant id) makes a second attempt change nothing;
 * - the warning {@link EXPIRY_NOTICE_DAYS} days ahead is a notice keyed by grant and kind, put only if
 *   absent and only while the grant exists;
 * - a notice is sent by the worker that claims it (conditional update) and leaves the queue as sent: the
 *   notice item is the sent marker, like the idempotent mailer's (same window: a worker that dies
 *   between the send and the mark leaves a claim that lapses, and the next run sends again). Its
 *   `idempotencyKey` `<grantId>:grant-<kind>` is the one earlier runs used.
 *
 * Tokens never carry an expired grant (claims check `validUntil`); the sweep keeps the trail complete
 * and tells the person. TTL (`expiresAt` = `validUntil` + {@link GRANT_TTL_GRACE_DAYS} days) is only the
 * backstop for a sweep that failed for that whole look-back window.
 */
import * as z from 'zod/mini';
import { SYSTEM_ACTOR } from '#shared/audit';
import { TransientError } from '#shared/errors';
import { newId as defaultNewId } from '#shared/ids';
import { EXPIRY_SHARD_IDS, type GrantNoticeKind, rightsKeys } from '#shared/keys';
import { resolveLocale } from '#shared/locale';
import type { Mailer } from '#shared/mailer';
import { parseTaskEvent } from '#shared/workflow';
import { auditEntries } from './audit-entries.ts';
import { displayNameIn, findApplication, findRole, lastValidDay } from './catalogue.ts';
import type { GrantExpiryStore, GrantNotice, GrantStep } from './grant-expiry-store.ts';
import type { RightsLogger } from './ports.ts';
import type { Grant } from './right-request.ts';
import { GRANT_TTL_GRACE_DAYS, utcDate } from './rights-repository.ts';

/** Days before `validUntil` a holder is told. */
export const EXPIRY_NOTICE_DAYS = 14;
/** Days the sweep looks back: as long as TTL waits, so TTL never takes a grant the sweep has not seen. */
export const SWEEP_LOOKBACK_DAYS = GRANT_TTL_GRACE_DAYS;
/** Grants read per sweep call (one Query page). */
export const GRANT_PAGE_SIZE = 250;
/** Notices read per send call (one Query page). */
export const NOTICE_PAGE_SIZE = 250;
/**
 * A call stops taking grants or notices after this long and returns where it stopped (Lambda's
 * timeout is 60 s): whatever the store's latency, no call times out half-way.
 */
export const CALL_BUDGET_MS = 30_000;
/** Writes or mails one call has in flight at once. */
export const WORKER_PARALLELISM = 8;
/** How long a claim keeps other workers off a notice: beyond one call (timeout 60 s). */
export const NOTICE_CLAIM_MS = 90_000;
/** Failed sends of a notice (over daily runs) before it is given up and kept for the operators. */
export const MAX_NOTICE_ATTEMPTS = 5;
/** The shard name of the unsharded expiry partitions that items written before issue 20 carry. */
export const UNSHARDED = 'unsharded';
/** What the sweep Map iterates over: every shard, and the unsharded partition until the migration ran. */
export const SWEEP_SHARDS: readonly string[] = [...EXPIRY_SHARD_IDS, UNSHARDED];
/** What the notice Map iterates over: the notice queues (one per shard). */
export const NOTICE_SHARDS: readonly string[] = EXPIRY_SHARD_IDS;

const DAY_MS = 86_400_000;
/** Attempts of one per-grant transaction that a concurrent transaction cancelled. */
const CONFLICT_ATTEMPTS = 5;

/** Counts of a run (or of one shard so far). */
export interface ExpiryCounts {
  /** Warnings queued. */
  warned: number;
  /** Grants removed with their audit entry and notice. */
  expired: number;
  /** Grants or warnings another attempt had already done. */
  alreadyDone: number;
  /** Notices mailed. */
  sent: number;
  /** Notices recorded without a mail: the person has no e-mail address. */
  withoutEmail: number;
  /** Notices whose mail failed (retried by the next run, given up after {@link MAX_NOTICE_ATTEMPTS}). */
  failed: number;
  /** Notices another worker held. */
  skipped: number;
}

/** The state a sweep call receives and returns; the state machine loops until `done`. */
export interface SweepState {
  shard: string;
  /** The run's time (ISO): the scheduled time of the run. */
  at: string;
  /** Index into {@link sweepSteps}. @default 0 */
  step?: number;
  cursor?: Record<string, unknown>;
  counts?: ExpiryCounts;
  done?: boolean;
}

/** The state a send call receives and returns. */
export interface NoticeState {
  shard: string;
  at: string;
  cursor?: Record<string, unknown>;
  counts?: ExpiryCounts;
  done?: boolean;
}

/** Collaborators of the expiry calls. */
export interface GrantExpiryDeps {
  store: GrantExpiryStore;
  /** The transport (`createTransportMailer`): the notice item is the sent marker. */
  mailer: Mailer;
  now: () => Date;
  /** @default `newId` */
  newId?: () => string;
  /** @default no logging */
  logger?: RightsLogger;
  /** Milliseconds a call may take items for. @default {@link CALL_BUDGET_MS} */
  budgetMs?: number;
}

/** No counts yet. */
export const emptyCounts = (): ExpiryCounts => ({
  warned: 0,
  expired: 0,
  alreadyDone: 0,
  sent: 0,
  withoutEmail: 0,
  failed: 0,
  skipped: 0,
});

/** One step of a shard's sweep: a date partition and what to do with its grants. */
export interface SweepStep {
  action: 'warn' | 'expire';
  date: string;
}

/** The steps of a shard's sweep for a run at `at`: the warning date, then today and the look-back. */
export function sweepSteps(at: string): SweepStep[] {
  const time = Date.parse(at);
  const day = (offset: number) => utcDate(new Date(time + offset * DAY_MS).toISOString());
  const steps: SweepStep[] = [{ action: 'warn', date: day(EXPIRY_NOTICE_DAYS) }];
  for (let back = SWEEP_LOOKBACK_DAYS; back >= 0; back--) steps.push({ action: 'expire', date: day(-back) });
  return steps;
}

/** The GSI2 partition of a shard (or of {@link UNSHARDED}) on a date. */
export function expiryPartition(shard: string, date: string): string {
  return shard === UNSHARDED
    ? rightsKeys.grantExpiryPartition(date)
    : rightsKeys.grantExpiryShardPartition(date, shard);
}

/**
 * Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. Stops
 * taking items once `hasTime` says no. @returns whether every item was taken
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  hasTime: () => boolean = () => true,
): Promise<boolean> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && hasTime()) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
  return next >= items.length;
}

/** A clock that says whether a call may still take items. */
function budget(deps: GrantExpiryDeps): () => boolean {
  const until = performance.now() + (deps.budgetMs ?? CALL_BUDGET_MS);
  return () => performance.now() < until;
}

/** Repeats a per-grant transaction that a concurrent one cancelled; the next attempt sees its result. */
async function untilSettled(run: () => Promise<GrantStep>): Promise<'done' | 'already'> {
  for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
    const outcome = await run();
    if (outcome !== 'conflict') return outcome;
    await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 20));
  }
  throw new TransientError('a grant kept conflicting with concurrent transactions');
}

const noticeOf = (grant: Grant, kind: GrantNoticeKind, createdAt: string): GrantNotice => ({
  grantId: grant.grantId,
  kind,
  personId: grant.personId,
  orgCode: grant.orgCode,
  application: grant.application,
  role: grant.role,
  validUntil: grant.validUntil,
  createdAt,
  attempts: 0,
});

/** Expires one grant: removal + `grant-expired` audit entry + `expired` notice, in one transaction. */
export async function expireGrant(deps: GrantExpiryDeps, grant: Grant): Promise<'done' | 'already'> {
  return untilSettled(() => {
    const at = deps.now().toISOString();
    const [audit] = auditEntries(
      grant.orgCode,
      at,
      [
        {
          action: 'grant-expired',
          actor: SYSTEM_ACTOR,
          subject: grant.personId,
          details: {
            grantId: grant.grantId,
            requestId: grant.requestId,
            application: grant.application,
            role: grant.role,
            validUntil: grant.validUntil,
          },
        },
      ],
      deps.newId ?? defaultNewId,
    );
    if (!audit) throw new Error('no audit entry');
    return deps.store.expireGrant(grant, audit, noticeOf(grant, 'expired', at));
  });
}

/** Queues the warning of one grant (once per grant, only while it exists). */
export async function warnGrant(deps: GrantExpiryDeps, grant: Grant): Promise<'done' | 'already'> {
  return untilSettled(() =>
    deps.store.queueWarning(grant, noticeOf(grant, 'expiring', deps.now().toISOString())),
  );
}

/** One page of one shard's sweep; `done` once every step of the shard is read to its end. */
export async function sweepShardPage(deps: GrantExpiryDeps, state: SweepState): Promise<SweepState> {
  const steps = sweepSteps(state.at);
  const index = state.step ?? 0;
  const counts = { ...emptyCounts(), ...state.counts };
  const step = steps[index];
  if (!step) return { shard: state.shard, at: state.at, step: index, counts, done: true };
  const hasTime = budget(deps);
  const page = await deps.store.grantsInPartition(
    expiryPartition(state.shard, step.date),
    GRANT_PAGE_SIZE,
    state.cursor,
  );
  const whole = await eachLimited(
    page.items,
    WORKER_PARALLELISM,
    async (grant) => {
      if (step.action === 'warn') {
        if (grant.validUntil <= state.at) return;
        const outcome = await warnGrant(deps, grant);
        if (outcome === 'done') counts.warned += 1;
        else counts.alreadyDone += 1;
      } else {
        if (grant.validUntil > state.at) return;
        const outcome = await expireGrant(deps, grant);
        if (outcome === 'done') counts.expired += 1;
        else counts.alreadyDone += 1;
      }
    },
    hasTime,
  );
  // Out of time half-way: the same page again (what was done reads as done, or is gone from the index).
  if (!whole) {
    return {
      shard: state.shard,
      at: state.at,
      step: index,
      ...(state.cursor ? { cursor: state.cursor } : {}),
      counts,
      done: false,
    };
  }
  if (page.cursor)
    return { shard: state.shard, at: state.at, step: index, cursor: page.cursor, counts, done: false };
  const nextStep = index + 1;
  return { shard: state.shard, at: state.at, step: nextStep, counts, done: nextStep >= steps.length };
}

/** The mail of a notice, in the person's locale. */
async function mailNotice(
  deps: GrantExpiryDeps,
  notice: GrantNotice,
  contact: { email?: string; locale?: string },
  organisationName: string,
): Promise<void> {
  const locale = resolveLocale(contact.locale);
  const application = findApplication(notice.application);
  const role = findRole(notice.application, notice.role);
  await deps.mailer.send({
    to: contact.email ?? '',
    locale,
    template: notice.kind === 'expired' ? 'grant-expired' : 'grant-expiring',
    data: {
      organisationName,
      application: application ? displayNameIn(application.displayName, locale) : notice.application,
      role: role ? displayNameIn(role.displayName, locale) : notice.role,
      validUntil: lastValidDay(notice.validUntil),
    },
    idempotencyKey: `${notice.grantId}:grant-${notice.kind}`,
  });
}

/** One page of one shard's notice queue; `done` once the queue is read to its end. */
export async function sendNoticesPage(deps: GrantExpiryDeps, state: NoticeState): Promise<NoticeState> {
  const counts = { ...emptyCounts(), ...state.counts };
  const hasTime = budget(deps);
  const page = await deps.store.pendingNotices(state.shard, NOTICE_PAGE_SIZE, state.cursor);
  const claimId = (deps.newId ?? defaultNewId)();
  const claimed: GrantNotice[] = [];
  let throttled = false;
  const whole = await eachLimited(
    page.items,
    WORKER_PARALLELISM,
    async (notice) => {
      const now = deps.now();
      if (await deps.store.claimNotice(notice, claimId, now, new Date(now.getTime() + NOTICE_CLAIM_MS))) {
        claimed.push(notice);
      } else {
        counts.skipped += 1;
      }
    },
    hasTime,
  );
  const contacts = await deps.store.contacts(claimed.map((notice) => notice.personId));
  const names = new Map<string, Promise<string>>();
  const nameOf = (orgCode: string) => {
    let name = names.get(orgCode);
    if (!name) {
      name = deps.store.organisationName(orgCode);
      names.set(orgCode, name);
    }
    return name;
  };
  await eachLimited(claimed, WORKER_PARALLELISM, async (notice) => {
    const contact = contacts.get(notice.personId) ?? {};
    if (!contact.email) {
      await deps.store.markNoticeSent(notice, claimId, deps.now(), 0);
      counts.withoutEmail += 1;
      return;
    }
    try {
      await mailNotice(deps, notice, contact, await nameOf(notice.orgCode));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      if (name === 'TransientError') {
        // Throttled (SES sending rate, DynamoDB): give it back untouched and let Step Functions retry the page.
        await deps.store.releaseNotice(notice, claimId, deps.now(), name, 'throttled');
        throttled = true;
        return;
      }
      const giveUp = name === 'MailRejectedError' || notice.attempts + 1 >= MAX_NOTICE_ATTEMPTS;
      deps.logger?.warn(giveUp ? 'grant notice given up' : 'grant notice not sent, retried by the next run', {
        grantId: notice.grantId,
        kind: notice.kind,
        error: name,
      });
      await deps.store.releaseNotice(notice, claimId, deps.now(), name, giveUp ? 'give-up' : 'failed');
      counts.failed += 1;
      return;
    }
    await deps.store.markNoticeSent(notice, claimId, deps.now(), 1);
    counts.sent += 1;
  });
  if (throttled) throw new TransientError('grant notices were throttled; the page is retried');
  // Out of time while claiming: the same page again (sent notices have left the queue).
  if (!whole) {
    return {
      shard: state.shard,
      at: state.at,
      ...(state.cursor ? { cursor: state.cursor } : {}),
      counts,
      done: false,
    };
  }
  if (page.cursor) return { shard: state.shard, at: state.at, cursor: page.cursor, counts, done: false };
  return { shard: state.shard, at: state.at, counts, done: true };
}

/** Adds up the counts of the shards. */
export function summarise(states: readonly { counts?: ExpiryCounts }[]): ExpiryCounts {
  const total = emptyCounts();
  for (const state of states) {
    for (const key of Object.keys(total) as (keyof ExpiryCounts)[]) total[key] += state.counts?.[key] ?? 0;
  }
  return total;
}

/**
 * The whole run in one process, shard after shard: what the state machine does, without its
 * parallelism (tests of the use cases; never the scheduled path).
 */
export async function runGrantExpiry(
  deps: GrantExpiryDeps,
  at = deps.now().toISOString(),
): Promise<ExpiryCounts> {
  const results: { counts?: ExpiryCounts }[] = [];
  for (const shard of SWEEP_SHARDS) {
    let state: SweepState = { shard, at };
    do state = await sweepShardPage(deps, state);
    while (!state.done);
    results.push(state);
  }
  for (const shard of NOTICE_SHARDS) {
    let state: NoticeState = { shard, at };
    do state = await sendNoticesPage(deps, state);
    while (!state.done);
    results.push(state);
  }
  return summarise(results);
}

const countsSchema = z.object({
  warned: z.int().check(z.nonnegative()),
  expired: z.int().check(z.nonnegative()),
  alreadyDone: z.int().check(z.nonnegative()),
  sent: z.int().check(z.nonnegative()),
  withoutEmail: z.int().check(z.nonnegative()),
  failed: z.int().check(z.nonnegative()),
  skipped: z.int().check(z.nonnegative()),
});
const cursorSchema = z.optional(z.record(z.string(), z.unknown()));
const atSchema = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((value) => new Date(value).toISOString()),
);

const sweepStateSchema = z.object({
  shard: z.enum(SWEEP_SHARDS as [string, ...string[]]),
  at: atSchema,
  step: z.optional(z.int().check(z.nonnegative())),
  cursor: cursorSchema,
  counts: z.optional(countsSchema),
  done: z.optional(z.boolean()),
});
const noticeStateSchema = z.object({
  shard: z.enum(NOTICE_SHARDS as [string, ...string[]]),
  at: atSchema,
  cursor: cursorSchema,
  counts: z.optional(countsSchema),
  done: z.optional(z.boolean()),
});
const shardResultSchema = z.looseObject({ counts: z.optional(countsSchema) });

/** The events the state machine sends the task function (the action names the call). */
export const grantExpiryTaskSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('sweep'), state: sweepStateSchema }),
  z.object({ action: z.literal('send'), state: noticeStateSchema }),
  z.object({
    action: z.literal('summarise'),
    sweep: z.array(shardResultSchema),
    send: z.array(shardResultSchema),
  }),
]);

/**
 * One call of the state machine: validates the event and runs the call it names. Throws named errors
 * (`ZodError` for a malformed event, which no Retry matches; `TransientError` for throttling).
 */
export async function runGrantExpiryTask(deps: GrantExpiryDeps, event: unknown): Promise<object> {
  const task = parseTaskEvent(grantExpiryTaskSchema, event);
  switch (task.action) {
    case 'sweep':
      return sweepShardPage(deps, task.state);
    case 'send':
      return sendNoticesPage(deps, task.state);
    case 'summarise':
      return summarise([...task.sweep, ...task.send]);
  }
}
