import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPortalHandler,
  type PortalHandler,
  SANDBOX_AUTHORITY,
  sandboxPortalConfig,
} from '#local/portal';

let dist: string;
let server: Server;
let base: string;
let handler: PortalHandler;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'portal-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(
    join(dist, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app.js"></script>',
  );
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log("portal")');
  await writeFile(join(tmpdir(), 'portal-secret.txt'), 'outside');
  handler = await createPortalHandler({
    baseUrl: 'http://127.0.0.1:3000/',
    clientId: 'sandbox-portal',
    nativeClientId: 'sandbox-portal-native',
    connectSources: ['http://127.0.0.1:4566'],
    distDir: dist,
  });
  server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end();
      }
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  await rm(dist, { recursive: true, force: true });
});

describe('local portal handler', () => {
  it('generates config.json for the sandbox when asked for it', async () => {
    const response = await fetch(`${base}/config.json`);

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      apiBaseUrl: 'http://127.0.0.1:3000',
      authBaseUrl: 'http://127.0.0.1:3000',
      cognitoIdpEndpoint: 'http://127.0.0.1:3000/local/aws/cognito-idp',
      userPoolId: 'eu-west-1_sandbox',
      clientId: 'sandbox-portal',
      nativeClientId: 'sandbox-portal-native',
      redirectUri: 'http://127.0.0.1:3000/auth/callback',
      returnUrls: [],
      logoutUri: 'http://127.0.0.1:3000/',
      languages: ['nl', 'fr', 'en', 'de'],
      authority: SANDBOX_AUTHORITY,
    });
  });

  it('uses other API and login origins when they are given', () => {
    expect(
      sandboxPortalConfig({
        baseUrl: 'http://localhost:3000',
        clientId: 'c',
        apiBaseUrl: 'http://127.0.0.1:4000/',
        authBaseUrl: 'http://127.0.0.1:4001',
      }),
    ).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:4000',
      authBaseUrl: 'http://127.0.0.1:4001',
      cognitoIdpEndpoint: 'http://127.0.0.1:4001/local/aws/cognito-idp',
    });
  });

  it.each(['/', '/profile', '/org/0403019261/inbox', '/request?org=0403019261&app=KLIP'])(
    'serves index.html for the page %s',
    async (path) => {
      const response = await fetch(`${base}${path}`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('/assets/app.js');
    },
  );

  it('serves hashed assets as immutable files', async () => {
    const response = await fetch(`${base}/assets/app.js`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 for a missing asset instead of the page', async () => {
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
  });

  it('never serves a file outside the build folder', async () => {
    const response = await fetch(`${base}/assets/..%2F..%2Fportal-secret.txt`);

    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('outside');
  });

  it('sends the CloudFront security headers with the sandbox origins when it answers', async () => {
    const response = await fetch(`${base}/profile`);

    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:4566");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('leaves other methods to the next handler', async () => {
    expect((await fetch(`${base}/profile`, { method: 'POST' })).status).toBe(418);
  });
});
