import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DIMENSIONS, Metrics, MetricUnit } from '#shared/metrics';
import { captureProcessOutput } from './process-output.ts';

const output = captureProcessOutput();

beforeEach(() => {
  for (const name of [
    'POWERTOOLS_METRICS_DISABLED',
    'POWERTOOLS_METRICS_FUNCTION_NAME',
    'POWERTOOLS_DEV',
    'AWS_LAMBDA_INITIALIZATION_TYPE',
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'rights');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-rights-api');
});

interface EmfRecord extends Record<string, unknown> {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
}

/** The EMF records written so far, one JSON line each. */
const records = (): EmfRecord[] =>
  output.stdout.mock.calls.map(([chunk]) => {
    const text = String(chunk);
    expect(text.endsWith('\n')).toBe(true);
    return JSON.parse(text) as EmfRecord;
  });
const warnings = (): string[] => output.stderr.mock.calls.map(([chunk]) => String(chunk).trim());
const metricNames = (record: EmfRecord | undefined) =>
  record?._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name);

const metrics = () => new Metrics({ namespace: 'eid-access' });

describe('Metrics records (EMF)', () => {
  it('writes one record per flush: namespace, dimensions with service, metric definitions, values', () => {
    const before = Date.now();
    const m = metrics();
    m.addDimension('route', 'GET /me');
    m.addMetric('Requests', MetricUnit.Count, 1);
    m.addMetric('Latency', MetricUnit.Milliseconds, 12.5);

    m.publishStoredMetrics();

    const [record] = records();
    expect(records()).toHaveLength(1);
    expect(record).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'eid-access',
            Dimensions: [['service', 'route']],
            Metrics: [
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'rights',
      route: 'GET /me',
      Requests: 1,
      Latency: 12.5,
    });
    expect(record?._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(record?._aws.Timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('aggregates by service alone without dimensions, and forgets dimensions and metrics after a flush', () => {
    const m = metrics();
    m.addDimension('action', 'expire');
    m.addMetric('Tasks', MetricUnit.Count, 1);
    m.publishStoredMetrics();
    m.addMetric('Other', MetricUnit.Count, 3);
    m.publishStoredMetrics();

    const [, second] = records();
    expect(second).toEqual({
      _aws: expect.objectContaining({
        CloudWatchMetrics: [
          { Namespace: 'eid-access', Dimensions: [['service']], Metrics: [{ Name: 'Other', Unit: 'Count' }] },
        ],
      }),
      service: 'rights',
      Other: 3,
    });
  });

  it('writes every value of a metric added more than once as an array', () => {
    const m = metrics();
    m.addMetric('Latency', MetricUnit.Milliseconds, 3);
    m.addMetric('Latency', MetricUnit.Milliseconds, 4);
    m.publishStoredMetrics();

    expect(records()[0]?.Latency).toEqual([3, 4]);
  });

  it('aggregates a dimension set as a whole, next to the service', () => {
    const m = metrics();
    m.addDimensions({ provider: 'itsme', source: 'login', outcome: 'returning' });
    m.addMetric('Logins', MetricUnit.Count, 1);
    m.publishStoredMetrics();

    expect(records()[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'provider', 'source', 'outcome']] }] },
      provider: 'itsme',
      source: 'login',
      outcome: 'returning',
      Logins: 1,
    });
  });

  it('drops an empty dimension and warns about one given twice', () => {
    const m = metrics();
    m.addDimension('route', '');
    m.addDimension('action', 'a');
    m.addDimension('action', 'b');
    m.addMetric('Tasks', MetricUnit.Count, 1);
    m.publishStoredMetrics();

    expect(records()[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'action']] }] },
      action: 'b',
    });
    expect(warnings()).toEqual([
      "The dimension route doesn't meet the requirements and won't be added. Ensure the dimension name and value are non empty strings",
      'Dimension "action" has already been added. The previous value will be overwritten.',
    ]);
  });

  it('refuses a unit change, a metric named like a dimension and a value that is no number', () => {
    const m = metrics();
    m.addMetric('Requests', MetricUnit.Count, 1);
    expect(() => m.addMetric('Requests', MetricUnit.Milliseconds, 1)).toThrow(
      /already been added with unit "Count"/,
    );
    expect(() => m.addMetric('Requests', MetricUnit.Count, '1' as unknown as number)).toThrow(RangeError);
    m.addDimension('Requests', 'x');
    expect(() => m.publishStoredMetrics()).toThrow('EMF key collision on "Requests"');
    m.addMetric('Requests', MetricUnit.Count, 1);
    m.publishStoredMetrics();
    expect(records()).toHaveLength(1);
  });

  it('warns and writes nothing when a flush finds no metric', () => {
    metrics().publishStoredMetrics();

    expect(records()).toEqual([]);
    expect(warnings()[0]).toMatch(/^No application metrics to publish\./);
  });
});

describe('Metrics EMF limits', () => {
  it('flushes the first 100 metrics when a 101st is added', () => {
    const m = metrics();
    m.addDimension('route', 'GET /me');
    for (let index = 0; index < 101; index += 1) m.addMetric(`M${index}`, MetricUnit.Count, index);
    m.publishStoredMetrics();

    const [full, rest] = records();
    expect(metricNames(full)).toHaveLength(100);
    expect(full?.M99).toBe(99);
    expect(full?.route).toBe('GET /me');
    // The flush took the dimensions with it.
    expect(rest).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['service']] }] }, M100: 100 });
    expect(metricNames(rest)).toEqual(['M100']);
  });

  it('flushes a metric when it reaches 100 values', () => {
    const m = metrics();
    for (let index = 0; index < 105; index += 1) m.addMetric('Latency', MetricUnit.Milliseconds, index);
    m.publishStoredMetrics();

    const [full, rest] = records();
    expect(full?.Latency).toHaveLength(100);
    expect(rest?.Latency).toEqual([100, 101, 102, 103, 104]);
  });

  it(`throws past ${MAX_DIMENSIONS} dimensions, service included`, () => {
    const m = metrics();
    for (let index = 1; index < MAX_DIMENSIONS; index += 1) m.addDimension(`d${index}`, 'v');

    expect(() => m.addDimension('one-too-many', 'v')).toThrow(RangeError);
    m.addMetric('Requests', MetricUnit.Count, 1);
    m.publishStoredMetrics();
    expect(records()[0]?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toHaveLength(MAX_DIMENSIONS);
  });
});

describe('Metrics cold start', () => {
  it('writes a ColdStart record with the function name once, on the first invocation of an on-demand environment', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const m = metrics();

    m.captureColdStartMetric('eid-access-test-rights-api');
    m.captureColdStartMetric('eid-access-test-rights-api');

    expect(records()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'eid-access',
              Dimensions: [['service', 'function_name']],
              Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
            },
          ],
        },
        service: 'rights',
        function_name: 'eid-access-test-rights-api',
        ColdStart: 1,
      },
    ]);
  });

  it('names the function after POWERTOOLS_METRICS_FUNCTION_NAME, and by service only without a name', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('POWERTOOLS_METRICS_FUNCTION_NAME', 'rights-api');
    metrics().captureColdStartMetric('ignored');
    vi.stubEnv('POWERTOOLS_METRICS_FUNCTION_NAME', undefined);
    metrics().captureColdStartMetric();

    const [named, unnamed] = records();
    expect(named?.function_name).toBe('rights-api');
    expect(unnamed).not.toHaveProperty('function_name');
    expect(unnamed?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
  });

  it('writes none under provisioned concurrency', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');

    metrics().captureColdStartMetric('eid-access-test-rights-api');

    expect(records()).toEqual([]);
  });
});

describe('Metrics off Lambda and disabled', () => {
  it('writes no EMF off Lambda and drops what was stored, cold start included', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const m = metrics();
    m.captureColdStartMetric('local');
    m.addMetric('Requests', MetricUnit.Count, 1);
    m.publishStoredMetrics();

    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-rights-api');
    m.addMetric('Later', MetricUnit.Count, 1);
    m.publishStoredMetrics();

    expect(records()).toHaveLength(1);
    expect(records()[0]).not.toHaveProperty('Requests');
    expect(warnings()).toEqual([]);
  });

  it('writes nothing with POWERTOOLS_METRICS_DISABLED=true, nor in dev mode unless it says false', () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const disabled = metrics();
    disabled.addMetric('Requests', MetricUnit.Count, 1);
    disabled.publishStoredMetrics();
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    const dev = metrics();
    dev.addMetric('Requests', MetricUnit.Count, 1);
    dev.publishStoredMetrics();
    expect(records()).toEqual([]);

    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const enabled = metrics();
    enabled.addMetric('Requests', MetricUnit.Count, 1);
    enabled.publishStoredMetrics();
    expect(log).toHaveBeenCalledTimes(1);
  });
});
