/**
 * Child process of the bench: imports one bundle with every AWS client mocked (aws-sdk-client-mock
 * on the SDK classes the bundle imports from node_modules, as on Lambda) and times `invocations`
 * calls of its handler with a representative event after a warm-up.
 *
 * Usage: `node --import tsx test/bench/warm-worker.ts <request.json> <result.json>`; stdout is the
 * functions' log output and is discarded by the parent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { apiEvent, lambdaContext, type Persona } from '#test/helpers/api-events';
import { preSignUpEvent, preTokenGenerationEvent } from '#test/helpers/cognito-events';
import type { FunctionRole } from './entries.ts';
import { percentile } from './report.ts';

/** What the parent asks for. */
export interface WarmRequest {
  file: string;
  handlerExport: string;
  role: FunctionRole;
  invocations: number;
  warmup: number;
}

/** What the worker answers. */
export interface WarmResult {
  /** The event, in words (`GET /me as userWithInsz`). */
  event: string;
  /** What the last invocation answered (HTTP status, or `ok` / the error name). */
  outcome: string;
  p50Ms: number;
  p99Ms: number;
  /** DynamoDB commands per invocation (a check that the mocks, not the network, answered). */
  dynamoCommandsPerInvocation: number;
}

type Invoke = (handler: (event: unknown, context: Context) => Promise<unknown>) => Promise<string>;

function personaFor(resource: string): Persona {
  if (resource.startsWith('/agent/')) return 'bisAgent';
  if (resource.startsWith('/security/')) return 'securityOfficer';
  return 'userWithInsz';
}

/** A representative event for the function's role, or `undefined` when there is none. */
function eventFor(role: FunctionRole): { describe: string; invoke: Invoke } | undefined {
  switch (role.kind) {
    case 'trigger': {
      const factories: Record<string, () => unknown> = {
        preSignUp: () => preSignUpEvent({ provider: 'eidas' }),
        preTokenGeneration: () => preTokenGenerationEvent({ provider: 'eidas' }),
      };
      const make = factories[role.trigger];
      if (!make) return undefined;
      return {
        describe: `${role.trigger} (eIDAS, person not yet known)`,
        invoke: async (handler) => {
          await handler(make(), lambdaContext());
          return 'ok';
        },
      };
    }
    case 'api': {
      const route =
        role.routes.find(
          (candidate) => candidate.httpMethod === 'GET' && !candidate.resource.includes('{'),
        ) ??
        role.routes.find((candidate) => candidate.httpMethod === 'GET') ??
        role.routes[0];
      if (!route) return undefined;
      const persona = personaFor(route.resource);
      const pathParameters = Object.fromEntries(
        [...route.resource.matchAll(/\{(\w+)\}/g)].map(([, name]) => [
          name as string,
          name === 'orgCode' ? '0712459852' : '01JZ0000000000000000000009',
        ]),
      );
      const query = Object.fromEntries(
        route.requiredQuery.map((name) => [name, name === 'status' ? 'PENDING_REVIEW' : 'x']),
      );
      return {
        describe: `${route.httpMethod} ${route.resource} as ${persona}`,
        invoke: async (handler) => {
          const event = apiEvent({
            persona,
            method: route.httpMethod,
            resource: route.resource,
            pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
            query: Object.keys(query).length > 0 ? query : undefined,
          });
          const result = (await handler(event, lambdaContext())) as { statusCode?: number };
          return String(result.statusCode);
        },
      };
    }
    case 'schedule':
      return {
        describe: 'scheduled run (empty event)',
        invoke: async (handler) => {
          await handler({}, lambdaContext());
          return 'ok';
        },
      };
    case 'other':
      return undefined;
  }
}

async function main(): Promise<void> {
  const [requestPath, resultPath] = process.argv.slice(2) as [string, string];
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as WarmRequest;
  const event = eventFor(request.role);
  if (!event) {
    writeFileSync(resultPath, JSON.stringify(null));
    return;
  }

  const documentClient = mockClient(DynamoDBDocumentClient);
  documentClient.onAnyCommand().resolves({});
  documentClient.on(QueryCommand).resolves({ Items: [], Count: 0 });
  documentClient.on(TransactGetCommand).resolves({ Responses: [] });
  mockClient(DynamoDBClient).onAnyCommand().resolves({});
  mockClient(SFNClient).onAnyCommand().resolves({
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:bench:1',
    startDate: new Date(),
  });
  mockClient(SESv2Client).onAnyCommand().resolves({ MessageId: 'bench' });
  mockClient(S3Client).onAnyCommand().resolves({});

  const module = (await import(pathToFileURL(request.file).href)) as Record<string, unknown>;
  const handler = module[request.handlerExport] as (event: unknown, context: Context) => Promise<unknown>;

  const invoke = async (): Promise<string> => {
    try {
      return await event.invoke(handler);
    } catch (error) {
      return error instanceof Error ? error.name : 'thrown';
    }
  };
  for (let i = 0; i < request.warmup; i++) await invoke();
  const before = documentClient.calls().length;
  const samples: number[] = [];
  let outcome = '';
  for (let i = 0; i < request.invocations; i++) {
    const started = performance.now();
    outcome = await invoke();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const result: WarmResult = {
    event: event.describe,
    outcome,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    dynamoCommandsPerInvocation: (documentClient.calls().length - before) / request.invocations,
  };
  writeFileSync(resultPath, JSON.stringify(result));
}

await main();
