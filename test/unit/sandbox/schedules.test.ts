import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LocalScheduler,
  nextRunAfter,
  type PlannedSchedule,
  schedulesOf,
  UnsupportedScheduleError,
} from '#local/server/schedules';
import type { CfnTemplate } from '#local/server/template';

const at = (iso: string) => new Date(iso);

describe('nextRunAfter', () => {
  it.each([
    ['cron(0 3 * * ? *)', 'Etc/UTC', '2026-11-21T06:54:00Z', '2026-11-22T03:00:00.000Z'],
    ['cron(0 3 * * ? *)', 'Etc/UTC', '2026-11-21T02:59:59Z', '2026-11-21T03:00:00.000Z'],
    ['cron(0 3 * * ? *)', 'UTC', '2026-11-21T03:00:00Z', '2026-11-22T03:00:00.000Z'],
    ['cron(*/15 * * * ? *)', 'UTC', '2026-11-21T06:54:10Z', '2026-11-21T07:00:00.000Z'],
    ['cron(0 12 1 JAN ? *)', 'UTC', '2026-06-01T00:00:00Z', '2027-01-01T12:00:00.000Z'],
    ['cron(30 8 ? * WED *)', 'UTC', '2026-11-19T00:00:00Z', '2026-11-25T08:30:00.000Z'],
    ['cron(0 0 1 1 ? 2030)', 'UTC', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00.000Z'],
    // Brussels switches to summer time on 29 March 2026: 09:00 local is 08:00 UTC before, 07:00 after.
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Brussels', '2026-03-27T08:30:00Z', '2026-03-30T07:00:00.000Z'],
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Brussels', '2026-03-26T07:30:00Z', '2026-03-26T08:00:00.000Z'],
    ['rate(5 minutes)', 'UTC', '2026-11-21T06:54:00Z', '2026-11-21T06:59:00.000Z'],
    ['rate(1 day)', 'UTC', '2026-11-21T06:54:00Z', '2026-11-22T06:54:00.000Z'],
    ['at(2027-01-01T00:00:00)', 'Europe/Brussels', '2026-11-21T06:54:00Z', '2026-12-31T23:00:00.000Z'],
  ])(
    'fires %s (%s) after %s at %s when the expression is supported',
    (expression, timezone, after, expected) => {
      expect(nextRunAfter(expression, timezone, at(after))?.toISOString()).toBe(expected);
    },
  );

  it('never fires again when a one-time schedule is past', () => {
    expect(nextRunAfter('at(2020-01-01T00:00:00)', 'UTC', at('2026-11-21T00:00:00Z'))).toBeUndefined();
  });

  it.each([
    'cron(0 0 L * ? *)',
    'cron(0 0 ? * 6#3 *)',
    'cron(0 0 15W * ? *)',
    'cron(0 3 * *)',
    'cron(61 3 * * ? *)',
    'rate(5 fortnights)',
    'every day',
  ])('throws UnsupportedScheduleError when the expression is %s', (expression) => {
    expect(() => nextRunAfter(expression, 'UTC', at('2026-11-21T00:00:00Z'))).toThrow(
      UnsupportedScheduleError,
    );
  });
});

function templateWith(schedule: Record<string, unknown>, path = 'stack/Rights/GrantExpirySchedule/Resource') {
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function' },
      Machine: { Type: 'AWS::StepFunctions::StateMachine' },
      Queue: { Type: 'AWS::SQS::Queue' },
      Schedule: {
        Type: 'AWS::Scheduler::Schedule',
        Properties: schedule,
        Metadata: { 'aws:cdk:path': path },
      },
    },
  } satisfies CfnTemplate;
}

describe('schedulesOf', () => {
  it('names the job after the construct id and reads the target and input when the template has a schedule', () => {
    const schedules = schedulesOf(
      templateWith({
        ScheduleExpression: 'rate(1 hour)',
        Target: { Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Input: '{"dryRun":true}' },
      }),
    );

    expect(schedules).toEqual([
      {
        name: 'grant-expiry',
        logicalId: 'Schedule',
        expression: 'rate(1 hour)',
        timezone: 'UTC',
        state: 'ENABLED',
        targetFunction: 'Fn',
        input: { dryRun: true },
      },
    ]);
  });

  it('uses the physical name when the schedule has one', () => {
    const [schedule] = schedulesOf(
      templateWith({ Name: 'nightly', ScheduleExpression: 'rate(1 day)', Target: { Arn: { Ref: 'Fn' } } }),
    );

    expect(schedule?.name).toBe('nightly');
  });

  it('refuses a schedule when its target is neither a function nor a state machine of the template', () => {
    expect(() =>
      schedulesOf(templateWith({ ScheduleExpression: 'rate(1 day)', Target: { Arn: { Ref: 'Queue' } } })),
    ).toThrow(/target is a Lambda function or a state machine/);
    expect(
      schedulesOf(templateWith({ ScheduleExpression: 'rate(1 day)', Target: { Arn: { Ref: 'Machine' } } })),
    ).toEqual([expect.objectContaining({ targetFunction: undefined, targetStateMachine: 'Machine' })]);
  });
});

describe('LocalScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const schedule = (overrides: Partial<PlannedSchedule> = {}): PlannedSchedule => ({
    name: 'grant-expiry',
    logicalId: 'Schedule',
    expression: 'cron(0 3 * * ? *)',
    timezone: 'UTC',
    state: 'ENABLED',
    targetFunction: 'Fn',
    input: {},
    ...overrides,
  });

  it('invokes the target with the input at the scheduled time and again the next day when the timer runs', async () => {
    vi.useFakeTimers({ now: at('2026-11-21T02:00:00Z') });
    const invoke = vi.fn(async () => ({ noticed: 0 }));
    const scheduler = new LocalScheduler({ schedules: [schedule()], invoke, log: () => {} });
    scheduler.start();

    await vi.advanceTimersByTimeAsync(59 * 60_000);
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledExactlyOnceWith('Fn', {});
    expect(scheduler.list()[0]?.nextRunAt).toBe('2026-11-22T03:00:00.000Z');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(invoke).toHaveBeenCalledTimes(2);

    await scheduler.close();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('starts a state machine target with the scheduled time filled in and answers its output', async () => {
    vi.useFakeTimers({ now: at('2026-11-21T02:59:00Z') });
    const startExecution = vi.fn(async () => ({ expired: 3 }));
    const invoke = vi.fn(async () => ({}));
    const scheduler = new LocalScheduler({
      schedules: [
        schedule({
          targetFunction: undefined,
          targetStateMachine: 'Machine',
          input: { at: '<aws.scheduler.scheduled-time>' },
        }),
      ],
      invoke,
      startExecution,
      log: () => {},
    });
    scheduler.start();

    await vi.advanceTimersByTimeAsync(60_000);
    const manual = await scheduler.run('grant-expiry');

    expect(startExecution).toHaveBeenNthCalledWith(1, 'Machine', { at: '2026-11-21T03:00:00Z' });
    expect(startExecution).toHaveBeenCalledTimes(2);
    expect(manual.result).toEqual({ expired: 3 });
    expect(invoke).not.toHaveBeenCalled();
    await scheduler.close();
  });

  it('runs a job on demand with what the function returns when asked by name', async () => {
    const invoke = vi.fn(async () => ({ expired: 2 }));
    const scheduler = new LocalScheduler({
      schedules: [schedule({ state: 'DISABLED' })],
      invoke,
      log: () => {},
    });
    scheduler.start();

    const run = await scheduler.run('grant-expiry');

    expect(run).toMatchObject({ job: 'grant-expiry', result: { expired: 2 } });
    expect(scheduler.list()[0]?.nextRunAt).toBeNull();
    await expect(scheduler.run('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('keeps a job runnable on demand only when its expression cannot be computed', () => {
    const log = vi.fn();
    const scheduler = new LocalScheduler({
      schedules: [schedule({ expression: 'cron(0 0 L * ? *)' })],
      invoke: async () => ({}),
      log,
    });

    scheduler.start();

    expect(scheduler.list()[0]?.nextRunAt).toBeNull();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/grant-expiry runs on demand only/), undefined);
  });
});
