import { createSocket, type Socket } from 'node:dgram';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type * as HandlerModule from '#shared/http/handler';
import type * as LoggerModule from '#shared/logger';
import type * as TableModule from '#shared/table';
import type * as TelemetryModule from '#shared/telemetry';
import type * as TracingModule from '#shared/tracing';
import { apiEvent, lambdaContext, PERSONA_INSZ } from '#test/helpers/api-events';
import { captureProcessOutput } from './process-output.ts';

let tracing: typeof TracingModule;
let http: typeof HandlerModule;
let telemetry: typeof TelemetryModule;
let table: typeof TableModule;
let logging: typeof LoggerModule;

beforeAll(async () => {
  // Fresh modules: the cold-start flag belongs to the module instance.
  vi.resetModules();
  tracing = await import('#shared/tracing');
  http = await import('#shared/http/handler');
  telemetry = await import('#shared/telemetry');
  table = await import('#shared/table');
  logging = await import('#shared/logger');
});

/** Fresh module-scope logger and metrics, as a task entry creates them. */
const taskTelemetry = () => ({ logger: logging.createLogger(), metrics: telemetry.createMetrics() });

const TRACE_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const FUNCTION_SEGMENT = '53995c3f42cd8ad8';
const LINEAGE = 'Lineage=a87bd80c:0';
const sampledHeader = (sampled = '1') =>
  `Root=${TRACE_ROOT};Parent=${FUNCTION_SEGMENT};Sampled=${sampled};${LINEAGE}`;
const REQUEST_ID = '01JZ0000000000000000000042';
const TABLE_NAME = 'eid-access-test-table';

interface SubsegmentDocument {
  type: string;
  id: string;
  trace_id: string;
  parent_id: string;
  name: string;
  start_time: number;
  end_time: number;
  namespace?: string;
  annotations?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  http?: { response: { status: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { exceptions: { id: string; type: string; message?: string; remote?: boolean }[] };
}

/** A stand-in X-Ray daemon on a free loopback port: the raw datagrams it received. */
let daemon: Socket;
let datagrams: string[];

// What the logger and metrics write does not concern these tests: silenced.
captureProcessOutput();

beforeEach(async () => {
  datagrams = [];
  daemon = createSocket('udp4');
  daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${daemon.address().port}`);
  vi.stubEnv('_X_AMZN_TRACE_ID', sampledHeader());
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'rights');
  vi.stubEnv('_HANDLER', 'index.handler');
});

afterEach(async () => {
  await new Promise<void>((resolve) => daemon.close(() => resolve()));
});

/** Each datagram must be the documented header line followed by one subsegment document. */
function documents(): SubsegmentDocument[] {
  return datagrams.map((datagram) => {
    const newline = datagram.indexOf('\n');
    expect(JSON.parse(datagram.slice(0, newline))).toEqual({ format: 'json', version: 1 });
    return JSON.parse(datagram.slice(newline + 1)) as SubsegmentDocument;
  });
}

async function received(count: number): Promise<SubsegmentDocument[]> {
  await vi.waitFor(() => expect(datagrams.length).toBeGreaterThanOrEqual(count), { timeout: 2000 });
  return documents();
}

const byName = (docs: SubsegmentDocument[], name: string): SubsegmentDocument => {
  const found = docs.find((doc) => doc.name === name);
  if (!found) throw new Error(`no subsegment ${name} in ${docs.map((doc) => doc.name).join(', ')}`);
  return found;
};

/** What DynamoDB answers, and the trace headers it was sent. */
interface StubAnswer {
  status: number;
  body: string;
}
function dynamoStub(answer: StubAnswer = { status: 200, body: '{"Item":{"PK":{"S":"x"}}}' }) {
  const traceHeaders: (string | undefined)[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        traceHeaders.push(request.headers['X-Amzn-Trace-Id']);
        return {
          response: {
            statusCode: answer.status,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'DDB-REQUEST-1' },
            body: new TextEncoder().encode(answer.body),
          },
        };
      },
    },
  });
  return { documentClient: table.createDocumentClient(tracing.traceAwsClient(client)), traceHeaders };
}

const getPerson = (documentClient: ReturnType<typeof dynamoStub>['documentClient']) =>
  documentClient.send(
    new GetCommand({ TableName: TABLE_NAME, Key: { PK: `INSZ#${PERSONA_INSZ}`, SK: 'A' } }),
  );

describe('traceAwsClient and defineRoute', () => {
  it('sends the request subsegment and a DynamoDB subsegment below it, with the header naming it', async () => {
    const { documentClient, traceHeaders } = dynamoStub();
    const route = http.defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}/grants',
        access: { kind: 'authenticated' },
        path: z.strictObject({ orgCode: z.string() }),
      },
      async () => {
        await getPerson(documentClient);
        return { status: 200, body: { insz: PERSONA_INSZ } };
      },
    );

    const response = await route(
      apiEvent({
        persona: 'userWithInsz',
        resource: '/organisations/{orgCode}/grants',
        pathParameters: { orgCode: 'ORG1' },
        headers: { 'X-Correlation-Id': REQUEST_ID },
      }),
      lambdaContext(),
    );

    expect(response.statusCode).toBe(200);
    const docs = await received(2);
    const request = byName(docs, '## index.handler');
    const call = byName(docs, 'DynamoDB');
    expect(request).toMatchObject({
      type: 'subsegment',
      trace_id: TRACE_ROOT,
      parent_id: FUNCTION_SEGMENT,
      annotations: {
        route: 'GET /organisations/{orgCode}/grants',
        correlation_id: REQUEST_ID,
        ColdStart: true,
        Service: 'rights',
      },
      http: { response: { status: 200 } },
    });
    expect(request.id).toMatch(/^[0-9a-f]{16}$/);
    expect(request).not.toHaveProperty('error');
    expect(request).not.toHaveProperty('fault');
    expect(request.end_time).toBeGreaterThanOrEqual(request.start_time);
    expect(call).toMatchObject({
      type: 'subsegment',
      trace_id: TRACE_ROOT,
      parent_id: request.id,
      namespace: 'aws',
      aws: { operation: 'GetItem', region: 'eu-west-1', request_id: 'DDB-REQUEST-1', table_name: TABLE_NAME },
      http: { response: { status: 200 } },
    });
    expect(call.id).toMatch(/^[0-9a-f]{16}$/);
    expect(call.start_time).toBeGreaterThanOrEqual(request.start_time);
    expect(traceHeaders).toEqual([`Root=${TRACE_ROOT};Parent=${call.id};Sampled=1;${LINEAGE}`]);
  });

  it('flags a refusal as error and a crash as fault, and reports the cold start once', async () => {
    const route = http.defineRoute(
      { method: 'GET', resource: '/me', access: { kind: 'authenticated' } },
      async ({ caller }) => {
        if (caller.personId) throw new Error(`database said no for ${PERSONA_INSZ}`);
        return { status: 204 };
      },
    );

    await route(apiEvent({ persona: 'anonymous' }), lambdaContext());
    await route(apiEvent({ persona: 'userWithInsz' }), lambdaContext());

    const [refused, crashed] = await received(2);
    expect(refused).toMatchObject({ http: { response: { status: 401 } }, error: true });
    expect(refused).not.toHaveProperty('fault');
    expect(refused?.annotations).toMatchObject({ route: 'GET /me', ColdStart: false });
    expect(crashed).toMatchObject({ http: { response: { status: 500 } }, fault: true });
    expect(crashed).not.toHaveProperty('error');
    expect(datagrams.join('\n')).not.toContain(PERSONA_INSZ);
  });

  it.each([
    [
      'a failed condition as a client error',
      400,
      'ConditionalCheckFailedException',
      { error: true },
      ['fault', 'throttle'],
    ],
    ['throttling as throttle', 400, 'ThrottlingException', { error: true, throttle: true }, ['fault']],
    ['a server error as fault', 500, 'InternalServerError', { fault: true }, ['error', 'throttle']],
  ])('records %s, with the error name only', async (_, status, type, flags, absent) => {
    const { documentClient } = dynamoStub({
      status,
      body: JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message: `no for ${PERSONA_INSZ}`,
      }),
    });

    await expect(
      tracing.traceInvocation('## test', () =>
        documentClient.send(new PutCommand({ TableName: TABLE_NAME, Item: { PK: PERSONA_INSZ } })),
      ),
    ).rejects.toMatchObject({ name: type });

    const docs = await received(2);
    const call = byName(docs, 'DynamoDB');
    expect(call).toMatchObject({
      ...flags,
      parent_id: byName(docs, '## test').id,
      http: { response: { status } },
      aws: { operation: 'PutItem', table_name: TABLE_NAME },
      cause: { exceptions: [{ type, remote: true }] },
    });
    for (const flag of absent) expect(call).not.toHaveProperty(flag);
    expect(call.cause?.exceptions[0]).not.toHaveProperty('message');
    expect(datagrams.join('\n')).not.toContain(PERSONA_INSZ);
  });

  it('hangs a call made outside any invocation subsegment below the function segment', async () => {
    const { documentClient, traceHeaders } = dynamoStub();

    await getPerson(documentClient);

    const [call] = await received(1);
    expect(call).toMatchObject({ name: 'DynamoDB', parent_id: FUNCTION_SEGMENT, trace_id: TRACE_ROOT });
    expect(traceHeaders[0]).toBe(`Root=${TRACE_ROOT};Parent=${call?.id};Sampled=1;${LINEAGE}`);
  });
});

describe('observeTask tracing', () => {
  const taskEvent = (action: string) => ({
    action,
    requestId: REQUEST_ID,
    taskToken: `AQCEAAAAKgAAAAMAAAAAAAAAA${'x'.repeat(600)}`,
  });

  it('sends a ## <action> subsegment annotated with the action and request id, the calls below it', async () => {
    const { documentClient } = dynamoStub();
    const task = telemetry.observeTask(
      async () => {
        await getPerson(documentClient);
        return { done: true };
      },
      taskTelemetry(),
      telemetry.workflowTaskLabels,
    );

    expect(await task(taskEvent('apply-outcome'))).toEqual({ done: true });

    const docs = await received(2);
    const wrapper = byName(docs, '## apply-outcome');
    expect(wrapper).toMatchObject({
      trace_id: TRACE_ROOT,
      parent_id: FUNCTION_SEGMENT,
      annotations: { action: 'apply-outcome', correlation_id: REQUEST_ID, Service: 'rights' },
    });
    expect(wrapper).not.toHaveProperty('fault');
    expect(byName(docs, 'DynamoDB').parent_id).toBe(wrapper.id);
    expect(datagrams.join('\n')).not.toContain('AQCEAAAAKgAAAAMAAAAAAAAAA');
  });

  it('marks the subsegment as fault with the error name when the task throws, and rethrows', async () => {
    const failure = Object.assign(new Error(`table busy for ${PERSONA_INSZ}`), { name: 'TransientError' });
    const task = telemetry.observeTask(
      async () => {
        throw failure;
      },
      taskTelemetry(),
      telemetry.workflowTaskLabels,
    );

    await expect(task(taskEvent('notify-approvers'))).rejects.toBe(failure);

    const [wrapper] = await received(1);
    expect(wrapper).toMatchObject({
      name: '## notify-approvers',
      fault: true,
      cause: { exceptions: [{ type: 'TransientError' }] },
    });
    expect(datagrams.join('\n')).not.toContain(PERSONA_INSZ);
    expect(datagrams.join('\n')).not.toContain('table busy');
  });
});

describe('when nothing is sent', () => {
  /** Runs one sampled invocation: its datagram arrives after any earlier one from the same socket. */
  async function onlyTheSentinelArrives(): Promise<void> {
    vi.stubEnv('_X_AMZN_TRACE_ID', sampledHeader());
    vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', `127.0.0.1:${daemon.address().port}`);
    await tracing.traceInvocation('## sentinel', async () => undefined);
    const docs = await received(1);
    expect(docs.map((doc) => doc.name)).toEqual(['## sentinel']);
  }

  it.each([
    ['the invocation is not sampled', () => vi.stubEnv('_X_AMZN_TRACE_ID', sampledHeader('0'))],
    ['there is no trace header (the sandbox)', () => vi.stubEnv('_X_AMZN_TRACE_ID', undefined)],
    ['there is no daemon address', () => vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', undefined)],
  ])('sends nothing and adds no trace header when %s', async (_, setUp) => {
    setUp();
    const { documentClient, traceHeaders } = dynamoStub();
    const task = telemetry.observeTask(
      async () => getPerson(documentClient),
      taskTelemetry(),
      telemetry.workflowTaskLabels,
    );

    await task({ action: 'expire', requestId: REQUEST_ID });

    expect(traceHeaders).toEqual([undefined]);
    await onlyTheSentinelArrives();
  });

  it('answers unchanged when the daemon address is unusable', async () => {
    vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', 'not an address');

    expect(await tracing.traceInvocation('## test', async () => 'answer')).toBe('answer');
    await onlyTheSentinelArrives();
  });
});

describe('annotations', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';

  it('keep only whitelisted keys with plain values: no national number, token or long value', async () => {
    await tracing.traceInvocation('## test', async () => {
      tracing.annotateTrace('route', 'GET /me');
      tracing.annotateTrace('correlation_id', PERSONA_INSZ);
      tracing.annotateTrace('action', '85.07.30-033.28');
      tracing.annotateTrace('action', jwt);
      tracing.annotateTrace('action', `AQCEAAAAKgAAAAMAAAAAAAAAA${'x'.repeat(600)}`);
      tracing.annotateTrace('action', 'line\nbreak');
      tracing.annotateTrace('insz' as TracingModule.AnnotationKey, 'plain');
    });

    const [doc] = await received(1);
    expect(Object.keys(doc?.annotations ?? {}).sort()).toEqual(['ColdStart', 'Service', 'route']);
    expect(doc?.annotations?.route).toBe('GET /me');
    const raw = datagrams.join('\n');
    for (const secret of [PERSONA_INSZ, '85.07.30-033.28', jwt, 'AQCEAAAAKgAAAAMAAAAAAAAAA', 'insz']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('are dropped when no subsegment is open', () => {
    expect(() => tracing.annotateTrace('route', 'GET /me')).not.toThrow();
  });
});

describe('parseTraceHeader and parseDaemonAddress', () => {
  it('read a sampled header and keep its other fields for propagation', () => {
    expect(tracing.parseTraceHeader(sampledHeader())).toEqual({
      traceId: TRACE_ROOT,
      parentId: FUNCTION_SEGMENT,
      extra: `;${LINEAGE}`,
    });
  });

  it.each([
    ['unsampled', sampledHeader('0')],
    ['without parent', `Root=${TRACE_ROOT};Sampled=1`],
    ['with a malformed root', `Root=1-xyz;Parent=${FUNCTION_SEGMENT};Sampled=1`],
    ['empty', ''],
  ])('ignore a header that is %s', (_, header) => {
    expect(tracing.parseTraceHeader(header)).toBeUndefined();
  });

  it('read the UDP address of both daemon address forms', () => {
    expect(tracing.parseDaemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(tracing.parseDaemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({
      host: '127.0.0.2',
      port: 2001,
    });
    expect(tracing.parseDaemonAddress('localhost')).toBeUndefined();
  });
});
