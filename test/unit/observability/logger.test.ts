import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createLogger, formatTimestamp } from '#shared/logger';
import { PERSONA_INSZ } from '#test/helpers/api-events';
import { captureProcessOutput } from './process-output.ts';

const output = captureProcessOutput();

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAf-secret-task-token';
const TRACE_ROOT = '1-5759e988-bd862e3fe1be46a994272793';

beforeEach(() => {
  // Whatever the developer's shell says: these tests set what they read.
  for (const name of [
    'POWERTOOLS_LOG_LEVEL',
    'LOG_LEVEL',
    'AWS_LAMBDA_LOG_LEVEL',
    'POWERTOOLS_DEV',
    'POWERTOOLS_LOGGER_LOG_EVENT',
    'AWS_LAMBDA_INITIALIZATION_TYPE',
    '_X_AMZN_TRACE_ID',
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'rights');
  vi.stubEnv('TZ', 'UTC');
});

const linesOf = (spy: MockInstance<typeof process.stdout.write>): Record<string, unknown>[] =>
  spy.mock.calls.map(([chunk]) => {
    const text = String(chunk);
    expect(text.endsWith('\n')).toBe(true);
    return JSON.parse(text) as Record<string, unknown>;
  });
const out = () => linesOf(output.stdout);
const err = () => linesOf(output.stderr);
const all = () => [...out(), ...err()];

const context = (awsRequestId: string): Context =>
  ({ functionName: 'eid-access-test-rights-api', awsRequestId }) as Context;

describe('createLogger layout', () => {
  it('writes one JSON line per entry with the layout keys first, then appended keys, then the entry keys', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const logger = createLogger();
    logger.addContext(context('req-1'));
    logger.appendKeys({ correlation_id: 'corr-1' });

    logger.info('grant created', { grantId: 'g-1' });

    const [line] = out();
    expect(Object.keys(line ?? {})).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_name',
      'function_request_id',
      'xray_trace_id',
      'correlation_id',
      'grantId',
    ]);
    expect(line).toEqual({
      level: 'INFO',
      message: 'grant created',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      service: 'rights',
      cold_start: true,
      function_name: 'eid-access-test-rights-api',
      function_request_id: 'req-1',
      xray_trace_id: TRACE_ROOT,
      correlation_id: 'corr-1',
      grantId: 'g-1',
    });
  });

  it('leaves out undefined, null and empty values, and the Lambda fields before any context', () => {
    createLogger().info('bare', { gone: undefined, none: null, empty: '', zero: 0, no: false });

    expect(out()).toEqual([
      {
        level: 'INFO',
        message: 'bare',
        timestamp: expect.any(String),
        service: 'rights',
        zero: 0,
        no: false,
      },
    ]);
  });

  it('names the service from the argument, else POWERTOOLS_SERVICE_NAME, else service_undefined', () => {
    createLogger('bis').info('a');
    createLogger().info('b');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', undefined);
    createLogger().info('c');

    expect(out().map((line) => line.service)).toEqual(['bis', 'rights', 'service_undefined']);
  });

  it('writes TRACE to INFO to stdout, WARN, ERROR and CRITICAL to stderr', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'TRACE');
    const logger = createLogger();

    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.critical('c');

    expect(out().map((line) => line.level)).toEqual(['TRACE', 'DEBUG', 'INFO']);
    expect(err().map((line) => line.level)).toEqual(['WARN', 'ERROR', 'CRITICAL']);
  });

  it('takes a message with attributes as one object, and a string or an Error as further arguments', () => {
    createLogger().info(
      { message: 'object form', count: 2 },
      'a note',
      null,
      undefined,
      new TypeError('bad'),
    );

    expect(out()[0]).toMatchObject({
      message: 'object form',
      count: 2,
      extra: 'a note',
      error: { name: 'TypeError', message: 'bad' },
    });
  });

  it('writes local time with its offset when TZ names a zone', () => {
    vi.stubEnv('TZ', 'Europe/Brussels');

    expect(formatTimestamp(new Date(Date.UTC(2026, 0, 1, 12, 30, 0, 45)))).toBe(
      '2026-01-01T13:30:00.045+01:00',
    );
    expect(formatTimestamp(new Date(Date.UTC(2026, 6, 1, 12, 30, 0, 45)))).toBe(
      '2026-07-01T14:30:00.045+02:00',
    );
    vi.stubEnv('TZ', ':UTC');
    expect(formatTimestamp(new Date(Date.UTC(2026, 0, 1, 12, 30, 0, 45)))).toBe('2026-01-01T12:30:00.045Z');
  });

  it('takes the X-Ray trace id from a bare header too, and none from an empty one', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', TRACE_ROOT);
    createLogger().info('bare header');
    vi.stubEnv('_X_AMZN_TRACE_ID', '');
    createLogger().info('no header');

    expect(out().map((line) => line.xray_trace_id)).toEqual([TRACE_ROOT, undefined]);
  });

  it('indents the JSON in dev mode (POWERTOOLS_DEV)', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);

    createLogger().info('pretty');

    expect(String(info.mock.calls[0]?.[0])).toContain('\n    "level": "INFO",\n');
  });
});

describe('createLogger levels', () => {
  const levelsWritten = (): string[] => {
    const logger = createLogger();
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.critical('c');
    return all().map((line) => String(line.level));
  };

  it('logs from INFO up by default', () => {
    expect(levelsWritten().sort()).toEqual(['CRITICAL', 'ERROR', 'INFO', 'WARN']);
  });

  it('follows POWERTOOLS_LOG_LEVEL, read when the logger is created', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'ERROR');
    const logger = createLogger();
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');

    logger.warn('dropped');
    logger.error('kept');

    expect(all().map((line) => line.message)).toEqual(['kept']);
  });

  it('falls back to LOG_LEVEL, and ignores names that are not upper-case levels', () => {
    vi.stubEnv('LOG_LEVEL', 'WARN');
    expect(levelsWritten().sort()).toEqual(['CRITICAL', 'ERROR', 'WARN']);
    output.stdout.mockClear();
    output.stderr.mockClear();

    vi.stubEnv('LOG_LEVEL', undefined);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'debug');
    expect(levelsWritten()).not.toContain('DEBUG');
  });

  it("lets Lambda's log level control win over POWERTOOLS_LOG_LEVEL (FATAL meaning CRITICAL)", () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'FATAL');

    expect(levelsWritten()).toEqual(['CRITICAL']);
  });

  it('writes nothing at SILENT', () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');

    expect(levelsWritten()).toEqual([]);
  });
});

describe('createLogger keys and context', () => {
  it('keeps appended keys on every line until resetKeys, a later value replacing an earlier one', () => {
    const logger = createLogger();
    logger.appendKeys({ correlation_id: 'first', route: 'GET /me' });
    logger.appendKeys({ correlation_id: 'second' });
    logger.info('one');
    logger.removeKeys(['route']);
    logger.info('two');
    logger.resetKeys();
    logger.info('three');

    const [one, two, three] = out();
    expect(one).toMatchObject({ correlation_id: 'second', route: 'GET /me' });
    expect(two).toMatchObject({ correlation_id: 'second' });
    expect(two).not.toHaveProperty('route');
    expect(three).not.toHaveProperty('correlation_id');
  });

  it('drops the layout keys with a warning', () => {
    const logger = createLogger();
    logger.appendKeys({ service: 'spoofed' });
    logger.info('entry', { level: 'ERROR', kept: 1 });

    expect(err().map((line) => line.message)).toEqual([
      'The key "service" is a reserved key and will be dropped.',
      'The key "level" is a reserved key and will be dropped.',
    ]);
    expect(out()).toEqual([expect.objectContaining({ level: 'INFO', service: 'rights', kept: 1 })]);
  });

  it('reports a cold start on the first invocation of an on-demand environment only', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const logger = createLogger();

    logger.addContext(context('req-1'));
    logger.info('first');
    logger.info('first again');
    logger.addContext(context('req-2'));
    logger.info('second');

    expect(out().map((line) => [line.cold_start, line.function_request_id])).toEqual([
      [true, 'req-1'],
      [true, 'req-1'],
      [false, 'req-2'],
    ]);
  });

  it('never reports a cold start under provisioned concurrency', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    const logger = createLogger();

    logger.addContext(context('req-1'));
    logger.info('first');

    expect(out()[0]).toMatchObject({ cold_start: false, function_request_id: 'req-1' });
  });

  it('logs the invocation event only with POWERTOOLS_LOGGER_LOG_EVENT=true, redacted', () => {
    createLogger().logEventIfEnabled({ insz: PERSONA_INSZ });
    expect(out()).toEqual([]);

    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    createLogger().logEventIfEnabled({ insz: PERSONA_INSZ, path: '/me' });

    expect(out()).toEqual([
      expect.objectContaining({
        message: 'Lambda invocation event',
        event: { insz: '[redacted]', path: '/me' },
      }),
    ]);
  });
});

describe('createLogger redaction', () => {
  it('logs an Error as its name and redacted message, without stack or cause', () => {
    const error = new Error(`no person for ${PERSONA_INSZ}`, { cause: new Error(JWT) });

    createLogger().error('unexpected error', error);

    expect(err()[0]?.error).toEqual({ name: 'Error', message: 'no person for [redacted]' });
  });

  it('keeps national numbers, JWTs and task tokens out of the message, nested attributes and appended keys', () => {
    const logger = createLogger();
    logger.appendKeys({ caller: { authorization: `Bearer ${JWT}` } });

    logger.warn(`lookup of ${PERSONA_INSZ} with ${JWT}`, {
      request: { taskToken: TASK_TOKEN, notes: [`about ${PERSONA_INSZ}`, { detail: `token ${JWT}` }] },
      nationalNumber: '12345',
      failure: new Error(`for ${PERSONA_INSZ}`),
      amount: 10n,
    });

    const [line] = err();
    expect(line).toMatchObject({
      message: 'lookup of [redacted] with [redacted]',
      caller: { authorization: '[redacted]' },
      request: { taskToken: '[redacted]', notes: ['about [redacted]', { detail: 'token [redacted]' }] },
      nationalNumber: '[redacted]',
      failure: { name: 'Error', message: 'for [redacted]' },
      amount: '10',
    });
    const text = JSON.stringify(line);
    for (const secret of [PERSONA_INSZ, JWT, TASK_TOKEN, 'secret-task-token'])
      expect(text).not.toContain(secret);
  });
});
