import type { APIGatewayProxyEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type * as ErrorsModule from '#shared/errors';
import type * as HandlerModule from '#shared/http/handler';
import { apiEvent, lambdaContext, PERSON_IDS, PERSONA_INSZ } from '#test/helpers/api-events';
import { captureProcessOutput } from './process-output.ts';

let http: typeof HandlerModule;
let errors: typeof ErrorsModule;

beforeAll(async () => {
  // Fresh singletons (the metrics keep their cold-start flag per instance); the service name is read then.
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'rights');
  // Lambda sets this; without it the logger and metrics never report a cold start.
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.resetModules();
  http = await import('#shared/http/handler');
  errors = await import('#shared/errors');
});

const output = captureProcessOutput();

interface EmfRecord extends Record<string, unknown> {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
}

const emfRecords = (): EmfRecord[] => output.jsonLines().filter((line): line is EmfRecord => '_aws' in line);
const logLines = () => output.jsonLines().filter((line) => 'level' in line);

const grantsRoute = () =>
  http.defineRoute(
    {
      method: 'GET',
      resource: '/organisations/{orgCode}/grants',
      access: { kind: 'authenticated' },
      path: z.strictObject({ orgCode: z.string() }),
    },
    async ({ path }) => {
      if (path.orgCode === 'MISSING') throw new errors.NotFoundError('No such organisation.');
      if (path.orgCode === 'BROKEN') throw new Error(`database said no for ${PERSONA_INSZ}`);
      return { status: 200, body: { items: [], insz: PERSONA_INSZ } };
    },
  );

const grantsEvent = (orgCode: string, headers?: Record<string, string>): APIGatewayProxyEvent =>
  apiEvent({
    persona: 'userWithInsz',
    resource: '/organisations/{orgCode}/grants',
    pathParameters: { orgCode },
    ...(headers ? { headers } : {}),
  });

const API_REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

describe('correlationIdOf', () => {
  it.each([
    ['a UUID', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['a ULID', '01JZ0000000000000000000009'],
    ['an X-Ray style id', 'Root=1-5759e988-bd862e3fe1be46a994272793'.replace('=', ':')],
  ])('takes the caller id when it is %s', (_, id) => {
    expect(http.correlationIdOf(grantsEvent('ORG1', { 'x-correlation-id': id }))).toBe(id);
  });

  it('reads the header whatever its case, trimmed', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

    expect(http.correlationIdOf(grantsEvent('ORG1', { 'X-Correlation-ID': ` ${id} ` }))).toBe(id);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'hello world 12345'],
    ['with a line break', 'abcdefgh\n{"level":"ERROR"}'],
    ['a national number', PERSONA_INSZ],
    ['a formatted national number', '85.07.30-033.28'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl'],
  ])('falls back to the API Gateway request id when the caller id is %s', (_, id) => {
    expect(http.correlationIdOf(grantsEvent('ORG1', { 'X-Correlation-Id': id }))).toBe(API_REQUEST_ID);
  });

  it('uses the API Gateway request id when no header is sent', () => {
    expect(http.correlationIdOf(grantsEvent('ORG1'))).toBe(API_REQUEST_ID);
  });

  it('uses the Lambda request id when there is no API Gateway request id either', () => {
    const event = grantsEvent('ORG1');
    event.requestContext.requestId = '';

    expect(http.correlationIdOf(event, { awsRequestId: 'lambda-request-1' })).toBe('lambda-request-1');
  });
});

describe('defineRoute telemetry', () => {
  it('echoes the correlation id in the response and puts it on every log line when a route refuses', async () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

    const response = await grantsRoute()(grantsEvent('MISSING', { 'X-Correlation-Id': id }), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(response.headers?.['X-Correlation-Id']).toBe(id);
    const refused = logLines().find((line) => line.message === 'request refused');
    expect(refused).toMatchObject({
      correlation_id: id,
      api_request_id: API_REQUEST_ID,
      route: 'GET /organisations/{orgCode}/grants',
    });
  });

  it('answers with the API Gateway request id as correlation id when the caller sends none', async () => {
    const response = await grantsRoute()(grantsEvent('ORG1'), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['X-Correlation-Id']).toBe(API_REQUEST_ID);
  });

  it('does not carry the correlation id of one request over to the next', async () => {
    const route = grantsRoute();
    await route(grantsEvent('ORG1', { 'X-Correlation-Id': 'first-request-0001' }), lambdaContext());
    output.stdout.mockClear();
    output.stderr.mockClear();

    await route(grantsEvent('BROKEN'), lambdaContext());

    const error = logLines().find((line) => line.level === 'ERROR');
    expect(error?.correlation_id).toBe(API_REQUEST_ID);
  });

  it('emits EMF metrics by route template on Lambda, with the cold start once', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-api');
    const route = grantsRoute();

    await route(grantsEvent('ORG1'), lambdaContext());
    await route(grantsEvent('ORG2'), lambdaContext());

    const records = emfRecords();
    const requests = records.filter((record) => 'Requests' in record);
    expect(requests).toHaveLength(2);
    const [first] = requests as [EmfRecord];
    expect(first._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'eid-access',
      Dimensions: [['service', 'route']],
    });
    expect(first._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name).sort()).toEqual([
      'ClientErrors',
      'Latency',
      'Requests',
      'ServerErrors',
    ]);
    expect(first).toMatchObject({
      service: 'rights',
      route: 'GET /organisations/{orgCode}/grants',
      Requests: 1,
      ClientErrors: 0,
      ServerErrors: 0,
    });
    expect(first.Latency).toEqual(expect.any(Number));
    expect(records.filter((record) => 'ColdStart' in record)).toHaveLength(1);
  });

  it('counts a refusal as a client error and a crash as a server error', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-api');
    const route = grantsRoute();

    await route(grantsEvent('MISSING'), lambdaContext());
    await route(grantsEvent('BROKEN'), lambdaContext());

    const [refused, crashed] = emfRecords().filter((record) => 'Requests' in record);
    expect(refused).toMatchObject({ ClientErrors: 1, ServerErrors: 0 });
    expect(crashed).toMatchObject({ ClientErrors: 0, ServerErrors: 1 });
  });

  it('keeps personal data and concrete paths out of the metrics', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-api');

    await grantsRoute()(grantsEvent('ORG-SECRET-CODE'), lambdaContext());
    await grantsRoute()(grantsEvent('BROKEN'), lambdaContext());

    const emf = JSON.stringify(emfRecords());
    expect(emf).toContain('Requests');
    for (const personal of [PERSONA_INSZ, PERSON_IDS.userWithInsz, 'ORG-SECRET-CODE', '/organisations/ORG']) {
      expect(emf).not.toContain(personal);
    }
    expect(JSON.stringify(logLines())).not.toContain(PERSONA_INSZ);
  });

  it('emits no EMF off Lambda (sandbox, tests) while still answering', async () => {
    const response = await grantsRoute()(grantsEvent('ORG1'), lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(emfRecords()).toEqual([]);
  });
});
