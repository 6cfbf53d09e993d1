import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, PortInUseError } from '#local/server/start';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => busy.close(r));
});

describe('listen (local/server/start.ts)', () => {
  it('throws PortInUseError with the way out when the port is taken', async () => {
    const attempt = listen(busyPort, async () => {});

    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(
      `Port ${busyPort} is in use: stop the other process or run PORT=${busyPort + 1} npm start`,
    );
  });

  it('binds 127.0.0.1 on a free port when asked for port 0', async () => {
    const http = await listen(0, async (_req, res) => {
      res.end('ok');
    });
    try {
      const address = http.server.address() as { address: string; port: number };
      expect(address.address).toBe('127.0.0.1');
      expect(await (await fetch(`http://127.0.0.1:${http.port}/`)).text()).toBe('ok');
    } finally {
      await new Promise((r) => http.server.close(r));
    }
  });
});

describe('npm start (local/sandbox.ts)', () => {
  it('prints the port message and exits 1 before starting anything when PORT is taken', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/sandbox.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(busyPort), NODE_NO_WARNINGS: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (exitCode) => r(exitCode)));

    expect(code).toBe(1);
    expect(output).toContain(
      `Port ${busyPort} is in use: stop the other process or run PORT=${busyPort + 1} npm start`,
    );
    expect(output).not.toContain('DynamoDB Local');
  });

  it('refuses a PORT that is not a port number', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/sandbox.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'http', NODE_NO_WARNINGS: '1' },
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', (exitCode) => r(exitCode)));

    expect(code).toBe(1);
    expect(output).toContain('PORT must be a port number');
  });
});
