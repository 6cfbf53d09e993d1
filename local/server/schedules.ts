/**
 * EventBridge Scheduler in the sandbox: the template's `AWS::Scheduler::Schedule` resources run their
 * target function on an in-process timer (`cron(...)`, `rate(...)` and `at(...)` expressions, in the
 * schedule's time zone), and `POST /local/jobs/<name>` runs one now — an operator's convenience, e.g.
 * `POST /local/jobs/grant-expiry` instead of waiting for 03:00 UTC.
 *
 * | method and path | answer |
 * |---|---|
 * | GET /local/jobs | 200 `[{ name, schedule, timezone, state, target, nextRunAt }]` |
 * | POST /local/jobs/<name> | 200 `{ job, startedAt, finishedAt, result }` (what the function returned); 404 unknown job; 500 the function threw |
 *
 * Targets are Lambda functions (invoked with the target's `Input`) and Step Functions state machines
 * (an execution is started on the sandbox's runner and the job waits for it: its output is the
 * `result`). The context attribute `<aws.scheduler.scheduled-time>` in `Input` becomes the time the
 * run was due (now, for `POST /local/jobs/<name>`), `<aws.scheduler.execution-id>` a fresh id.
 *
 * What is not emulated: the flexible time window (runs are exact), the target's retry policy and
 * dead-letter queue (a failed run is logged and waits for the next one), start and end dates, and
 * other targets (the plan refuses them). Schedules keep real time: the
 * workflow time factor (`SANDBOX_TIME_SCALE`) does not speed them up.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '#shared/errors';
import { sendJson, sendProblem } from './http.ts';
import { type CfnTemplate, constructPathOf, referencedLogicalId, resourcesOfType } from './template.ts';

/** A schedule of the template, as the sandbox runs it. */
export interface PlannedSchedule {
  /** The job name of `/local/jobs/<name>`: the schedule's `Name`, else its construct id in kebab case without `-schedule`. */
  name: string;
  logicalId: string;
  /** `cron(...)`, `rate(...)` or `at(...)`. */
  expression: string;
  /** IANA time zone of the expression. @default 'UTC' */
  timezone: string;
  /** `ENABLED` or `DISABLED` (a disabled schedule only runs on demand). */
  state: string;
  /** Logical id of the target function, when the target is a function. */
  targetFunction: string | undefined;
  /** Logical id of the target state machine, when the target is one. */
  targetStateMachine?: string | undefined;
  /** The event the function receives (the target's `Input`, else `{}`). */
  input: unknown;
}

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * The template's schedules.
 * @throws Error for a schedule whose target is not a function of the template (the sandbox only
 *   invokes Lambda functions), or two schedules with the same job name.
 */
export function schedulesOf(template: CfnTemplate): PlannedSchedule[] {
  const functions = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id));
  const machines = new Set(resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(([id]) => id));
  const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule').map(
    ([logicalId, resource]): PlannedSchedule => {
      const props = resource.Properties ?? {};
      const target = (props.Target ?? {}) as { Arn?: unknown; Input?: unknown };
      const targetId = referencedLogicalId(target.Arn);
      if (targetId === undefined || !(functions.has(targetId) || machines.has(targetId))) {
        throw new Error(
          `Schedule ${logicalId}: the sandbox runs schedules whose target is a Lambda function or a state machine of the template`,
        );
      }
      const targetFunction = functions.has(targetId) ? targetId : undefined;
      const targetStateMachine = machines.has(targetId) ? targetId : undefined;
      const segments = (constructPathOf(resource) ?? logicalId).split('/').filter((s) => s !== 'Resource');
      const constructId = segments[segments.length - 1] ?? logicalId;
      const name = typeof props.Name === 'string' ? props.Name : kebab(constructId).replace(/-schedule$/, '');
      return {
        name,
        logicalId,
        expression: String(props.ScheduleExpression ?? ''),
        timezone:
          typeof props.ScheduleExpressionTimezone === 'string' ? props.ScheduleExpressionTimezone : 'UTC',
        state: typeof props.State === 'string' ? props.State : 'ENABLED',
        targetFunction,
        ...(targetStateMachine ? { targetStateMachine } : {}),
        input: typeof target.Input === 'string' ? (JSON.parse(target.Input) as unknown) : {},
      };
    },
  );
  const names = schedules.map((schedule) => schedule.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`Two schedules share the job name ${duplicate}`);
  return schedules;
}

/** The expression uses something {@link nextRunAfter} does not compute (e.g. `L`, `W`, `#`). */
export class UnsupportedScheduleError extends Error {
  constructor(expression: string, why: string) {
    super(`The sandbox cannot compute when ${expression} runs: ${why}`);
    this.name = 'UnsupportedScheduleError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The values one cron field allows, or `undefined` for any value (`*`, `?`). */
function cronField(
  expression: string,
  field: string,
  min: number,
  max: number,
  names: readonly string[] = [],
  nameBase = 1,
): Set<number> | undefined {
  if (field === '*' || field === '?') return undefined;
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + nameBase : Number(text);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new UnsupportedScheduleError(expression, `"${text}" is not a value from ${min} to ${max}`);
    }
    return number;
  };
  const allowed = new Set<number>();
  for (const item of field.split(',')) {
    if (
      /[LW#]/i.test(item.replace(/[A-Z]{3}/gi, (name) => (names.includes(name.toUpperCase()) ? '' : name)))
    ) {
      throw new UnsupportedScheduleError(expression, `"${item}" (L, W and # are not emulated)`);
    }
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new UnsupportedScheduleError(expression, `bad step in "${item}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) allowed.add(n);
  }
  return allowed;
}

/** Wall-clock fields of `instant` in `timezone`. */
function zonedParts(instant: Date, timezone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return parts;
}

/** The instant a wall-clock time of `timezone` denotes (the earlier one across a DST change). */
function fromWallClock(
  timezone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let instant = wall;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(instant), timezone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    instant += wall - seen;
  }
  return new Date(instant);
}

const RATE_UNITS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * When a schedule expression next fires after `after` (strictly later), or `undefined` when it never
 * fires again (a past `at(...)`). `rate(...)` counts from `after`.
 * @throws UnsupportedScheduleError for an expression the sandbox cannot compute.
 */
export function nextRunAfter(expression: string, timezone: string, after: Date): Date | undefined {
  const rate = /^rate\((\d+)\s+([a-z]+)\)$/.exec(expression.trim());
  if (rate) {
    const unit = RATE_UNITS[rate[2] ?? ''];
    const amount = Number(rate[1]);
    if (unit === undefined || amount < 1) throw new UnsupportedScheduleError(expression, 'unknown rate');
    return new Date(after.getTime() + amount * unit);
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression.trim());
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number) as number[];
    const when = fromWallClock(timezone, y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
    return when.getTime() > after.getTime() ? when : undefined;
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) throw new UnsupportedScheduleError(expression, 'not cron(), rate() or at()');
  const [minuteF, hourF, domF, monthF, dowF, yearF] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const minutes = [...(cronField(expression, minuteF, 0, 59) ?? range(0, 59))].sort((a, b) => a - b);
  const hours = [...(cronField(expression, hourF, 0, 23) ?? range(0, 23))].sort((a, b) => a - b);
  const doms = cronField(expression, domF, 1, 31);
  const months = cronField(expression, monthF, 1, 12, MONTHS);
  const dows = cronField(expression, dowF, 1, 7, DAYS);
  const years = cronField(expression, yearF, 1970, 2199);

  const start = zonedParts(after, timezone);
  // Five years of days: far enough for any expression that fires at all.
  for (let offset = 0; offset < 5 * 366; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (years && !years.has(year)) continue;
    if (months && !months.has(month)) continue;
    if (doms && !doms.has(day)) continue;
    if (dows && !dows.has(date.getUTCDay() + 1)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const when = fromWallClock(timezone, year, month, day, hour, minute);
        if (when.getTime() > after.getTime()) return when;
      }
    }
  }
  return undefined;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The longest `setTimeout` Node accepts; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  schedules: readonly PlannedSchedule[];
  /** Runs the target function with the schedule's input. */
  invoke(functionLogicalId: string, input: unknown): Promise<unknown>;
  /**
   * Runs an execution of the target state machine with the schedule's input to its end; resolves its
   * output, rejects when it failed. @default state-machine targets fail
   */
  startExecution?(stateMachineLogicalId: string, input: unknown): Promise<unknown>;
  /** Progress and failure lines. @default console */
  log?: (line: string, error?: unknown) => void;
  /** @default the real clock */
  now?: () => Date;
}

interface Job {
  schedule: PlannedSchedule;
  nextRunAt: Date | undefined;
  timer: NodeJS.Timeout | undefined;
  unsupported?: string;
}

/** The schedules on timers, and the `/local/jobs` endpoints. */
export class LocalScheduler {
  readonly #options: LocalSchedulerOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: LocalSchedulerOptions) {
    this.#options = options;
    for (const schedule of options.schedules) {
      this.#jobs.set(schedule.name, { schedule, nextRunAt: undefined, timer: undefined });
    }
  }

  /** Arms the timers of the enabled schedules. */
  start(): void {
    for (const job of this.#jobs.values()) {
      if (job.schedule.state !== 'ENABLED') continue;
      try {
        this.#arm(job, this.#now());
      } catch (error) {
        if (!(error instanceof UnsupportedScheduleError)) throw error;
        job.unsupported = error.message;
        this.#log(`job ${job.schedule.name} runs on demand only: ${error.message}`);
      }
    }
  }

  /** The jobs and when each runs next. */
  list(): {
    name: string;
    schedule: string;
    timezone: string;
    state: string;
    target: string;
    nextRunAt: string | null;
  }[] {
    return [...this.#jobs.values()].map(({ schedule, nextRunAt }) => ({
      name: schedule.name,
      schedule: schedule.expression,
      timezone: schedule.timezone,
      state: schedule.state,
      target: schedule.targetFunction ?? schedule.targetStateMachine ?? '',
      nextRunAt: nextRunAt?.toISOString() ?? null,
    }));
  }

  /**
   * Runs a job now (its timer keeps its own next run).
   * @throws NotFoundError for an unknown job; whatever the function throws.
   */
  async run(
    name: string,
    due?: Date,
  ): Promise<{ job: string; startedAt: string; finishedAt: string; result: unknown }> {
    const job = this.#jobs.get(name);
    if (!job) throw new NotFoundError(`There is no scheduled job named ${name}.`);
    const startedAt = this.#now().toISOString();
    const input = withContextAttributes(job.schedule.input, due ?? this.#now());
    const { targetFunction, targetStateMachine } = job.schedule;
    const running = targetFunction
      ? this.#options.invoke(targetFunction, input)
      : this.#options.startExecution
        ? this.#options.startExecution(targetStateMachine ?? '', input)
        : Promise.reject(new Error(`The sandbox cannot start ${targetStateMachine} here`));
    this.#running.add(running);
    try {
      const result = await running;
      return { job: name, startedAt, finishedAt: this.#now().toISOString(), result: result ?? null };
    } finally {
      this.#running.delete(running);
    }
  }

  /** Answers `/local/jobs` and `/local/jobs/<name>`; resolves `false` for other paths. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === '/local/jobs' || path === '/local/jobs/') {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      sendJson(res, 200, this.list());
      return true;
    }
    if (!path.startsWith('/local/jobs/')) return false;
    const name = decodeURIComponent(path.slice('/local/jobs/'.length));
    if (!this.#jobs.has(name)) {
      sendProblem(res, {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        detail: `There is no scheduled job named ${name}. Jobs: ${[...this.#jobs.keys()].join(', ') || 'none'}.`,
      });
      return true;
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    req.resume();
    try {
      sendJson(res, 200, await this.run(name));
    } catch (error) {
      this.#log(`job ${name} failed`, error);
      sendProblem(res, {
        type: 'about:blank',
        title: 'Job failed',
        status: 500,
        detail: `The job ${name} failed: ${error instanceof Error ? error.name : 'error'}. See the sandbox's log.`,
      });
    }
    return true;
  }

  /** Stops the timers and waits for running jobs. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#jobs.values()) clearTimeout(job.timer);
    await Promise.allSettled([...this.#running]);
  }

  #arm(job: Job, after: Date): void {
    job.nextRunAt = nextRunAfter(job.schedule.expression, job.schedule.timezone, after);
    this.#wait(job);
  }

  #wait(job: Job): void {
    if (this.#closed || job.nextRunAt === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, job.nextRunAt.getTime() - this.#now().getTime()));
    job.timer = setTimeout(() => this.#fire(job), delay);
    job.timer.unref();
  }

  #fire(job: Job): void {
    const due = job.nextRunAt;
    if (this.#closed || due === undefined) return;
    const now = this.#now();
    if (now.getTime() < due.getTime()) {
      this.#wait(job);
      return;
    }
    // Runs missed while the machine slept are not caught up one by one.
    this.#arm(job, now);
    this.run(job.schedule.name, due).then(
      () => this.#log(`scheduled job ${job.schedule.name} ran`),
      (error: unknown) => this.#log(`scheduled job ${job.schedule.name} failed`, error),
    );
  }

  #now(): Date {
    return (this.#options.now ?? (() => new Date()))();
  }

  #log(line: string, error?: unknown): void {
    if (this.#options.log) this.#options.log(line, error);
    else if (error === undefined) console.log(`[sandbox] ${line}`);
    else console.error(`[sandbox] ${line}:`, error);
  }
}

/** The schedule's input with EventBridge Scheduler's context attributes filled in. */
function withContextAttributes(input: unknown, scheduledTime: Date): unknown {
  const text = JSON.stringify(input ?? {})
    .replaceAll('<aws.scheduler.scheduled-time>', scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', randomUUID());
  return JSON.parse(text) as unknown;
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('Allow', allow);
  sendProblem(res, {
    type: 'about:blank',
    title: 'Method not allowed',
    status: 405,
    detail: `Use ${allow} here.`,
  });
  return true;
}
