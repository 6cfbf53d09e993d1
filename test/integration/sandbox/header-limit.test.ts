import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEADERS_TOO_LARGE,
  MAX_REQUEST_LINE_AND_HEADER_BYTES,
  type ProxyHandler,
  RestApiEmulator,
  readRestApi,
} from '#local/server/api-gateway';
import { listen } from '#local/server/start';
import { synthesizeStage } from '#local/server/template';

/** One HTTP/1.1 exchange with exactly these bytes on the wire; answers the status line and body. */
function rawRequest(port: number, head: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [headers = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body });
    });
    socket.end(head);
  });
}

/**
 * A GET /me whose request line plus header values come to exactly `bytes`: the padding goes into an
 * `X-Padding` header so the token stays the one the authorizer knows.
 */
function requestOf(bytes: number, path = '/me'): string {
  const line = `GET ${path} HTTP/1.1`;
  const fixed = { Host: '127.0.0.1', Authorization: 'Bearer access-token', Connection: 'close' };
  const used =
    Buffer.byteLength(line) + Object.values(fixed).reduce((sum, v) => sum + Buffer.byteLength(v), 0);
  const padding = 'p'.repeat(bytes - used);
  const headers = { ...fixed, 'X-Padding': padding };
  return `${line}\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n')}\r\n\r\n`;
}

describe('the sandbox API gateway: request line plus header values', () => {
  const api = readRestApi(synthesizeStage('dev').accessTemplate);
  let calls = 0;
  const handler: ProxyHandler = async () => {
    calls++;
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' };
  };
  const emulator = new RestApiEmulator({
    api,
    verifyToken: async (token): Promise<JWTPayload> => {
      if (token !== 'access-token') throw new Error('invalid');
      return { sub: 's', token_use: 'access', scope: 'eid-access/api', person_id: 'P1' };
    },
    handlerOf: () => handler,
    log: () => {},
  });
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // The sandbox's own server (start.ts), so its Node header limit is the one under test too.
    const http = await listen(0, (req, res) => emulator.handle(req, res));
    server = http.server;
    port = http.port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes the request to the function when it is exactly 10,240 bytes', async () => {
    calls = 0;

    const { status, body } = await rawRequest(port, requestOf(MAX_REQUEST_LINE_AND_HEADER_BYTES));

    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ ok: true });
    expect(calls).toBe(1);
  });

  it('refuses before the authorizer and the function, without CORS headers, when it is one byte more', async () => {
    calls = 0;

    const { status, headers, body } = await rawRequest(
      port,
      requestOf(MAX_REQUEST_LINE_AND_HEADER_BYTES + 1),
    );

    expect(status).toBe(HEADERS_TOO_LARGE.status);
    expect(body).toBe('HTTP header is larger than 10240 bytes.');
    expect(headers.toLowerCase()).not.toContain('access-control-allow-origin');
    expect(calls).toBe(0);
  });

  it('counts the request line: a long query string crosses the limit as a long header does', async () => {
    calls = 0;
    const path = `/me?q=${'x'.repeat(200)}`;

    const within = await rawRequest(port, requestOf(MAX_REQUEST_LINE_AND_HEADER_BYTES, path));
    const over = await rawRequest(port, requestOf(MAX_REQUEST_LINE_AND_HEADER_BYTES + 1, path));

    expect(within.status).toBe(200);
    expect(over.status).toBe(400);
    expect(calls).toBe(1);
  });

  it('answers the same refusal rather than Node’s empty 431 when the headers exceed 16 KiB', async () => {
    calls = 0;

    const { status, body } = await rawRequest(port, requestOf(40_000));

    expect(status).toBe(400);
    expect(body).toBe(HEADERS_TOO_LARGE.body);
    expect(calls).toBe(0);
  });
});
