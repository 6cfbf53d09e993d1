/**
 * `/local/faults` over HTTP (ARCHITECTURE.md section 6, contract): what an operator's script sees —
 * status codes, problem documents, the listed fields and hit counts — on a real server around the
 * sandbox's own handler.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultSwitchboard } from '#local/aws/faults';
import { FAULTS_PATH, handleFaults } from '#local/server/fault-endpoints';

const faults = new FaultSwitchboard();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    void handleFaults(faults, req, res, new URL(req.url ?? '/', 'http://x').pathname).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${FAULTS_PATH}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => faults.clear());

const post = (body: unknown) =>
  fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('/local/faults over HTTP', () => {
  it('creates a rule (201 with its id), lists it with its hits and removes every rule (204)', async () => {
    const created = await post({
      target: 'dynamodb',
      operation: 'TransactWriteItems',
      error: 'ProvisionedThroughputExceededException',
      count: 2,
    });
    expect(created.status).toBe(201);
    const { faultId } = (await created.json()) as { faultId: string };
    expect(faultId).toMatch(/^[0-9a-f-]{36}$/);

    faults.check({ target: 'dynamodb', operation: 'TransactWriteItems' });
    const listed = await fetch(base);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({
      items: [
        {
          faultId,
          target: 'dynamodb',
          operation: 'TransactWriteItems',
          error: 'ProvisionedThroughputExceededException',
          count: 2,
          hits: 1,
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ],
    });

    const removed = await fetch(base, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await (await fetch(base)).json()).toEqual({ items: [] });
  });

  it.each([
    ['an unknown target', { target: 's3', error: 'SlowDown' }],
    ['crash-after on a service', { target: 'ses', error: 'crash-after' }],
    ['a probability above 1', { target: 'sfn', error: 'ThrottlingException', probability: 2 }],
    ['a count of 0', { target: 'dynamodb', error: 'InternalServerError', count: 0 }],
    ['an unknown field', { target: 'dynamodb', error: 'InternalServerError', delayMs: 10 }],
    ['no error', { target: 'dynamodb' }],
    ['a body that is not JSON', '{"target":'],
  ])('refuses %s with a 400 problem and adds nothing', async (_name, body) => {
    const answer = await post(body);

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await answer.json()) as { status: number }).status).toBe(400);
    expect(faults.list()).toEqual([]);
  });

  it('answers 405 with Allow to another method', async () => {
    const answer = await fetch(base, { method: 'PUT', body: '{}' });

    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, POST, DELETE');
  });
});
