/**
 * The deployed-stage load test's federated login, run on the sandbox as Artillery runs it on a
 * stage: `npm run load:pid-provider` makes a test PID provider, the sandbox trusts its root
 * (`SANDBOX_PID_TRUST_ANCHORS`, as a stage's trust anchors secret would), `npm run load:bundle`
 * bundles the wallet login, and processor.cjs's `walletLogIn` logs synthetic people in through the
 * managed login (`/oauth2/authorize` → the wallet bridge → the test wallet's PID → Cognito's
 * `/oauth2/idpresponse` → `/oauth2/token`). A provider the sandbox does not trust is refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SandboxProcess, startSandboxProcess } from '#test/helpers/sandbox';
import { createLoadPidProvider } from '../bench/artillery/pid-provider-file.ts';
import { type ArtilleryContext, walletLogIn } from '../bench/artillery/processor.cjs';
import {
  filePidIssuer,
  WalletLoginError,
  walletLogin,
  walletPerson,
} from '../bench/artillery/wallet-login.ts';
import { buildWalletLoginBundle } from '../bench/load-bundle.ts';
import { main as makePidProvider } from '../bench/load-pid-provider.ts';

const dir = mkdtempSync(join(tmpdir(), 'wallet-load-'));
const PROVIDER = join(dir, 'pid-provider.json');
const ROOT = join(dir, 'pid-provider-root.pem');
let sandbox: SandboxProcess;
let clientId: string;

beforeAll(async () => {
  expect(await makePidProvider(['--out', PROVIDER, '--anchor', ROOT], () => undefined)).toBe(0);
  await buildWalletLoginBundle();
  sandbox = await startSandboxProcess({ env: { SANDBOX_PID_TRUST_ANCHORS: ROOT } });
  clientId = String((await sandbox.call('GET', '/config.json')).body.clientId);
});

afterAll(() => {
  sandbox?.kill();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Runs processor.cjs's walletLogIn; the metrics it emitted and the context it left. */
async function processorLogin(): Promise<{ context: ArtilleryContext; metrics: string[] }> {
  const metrics: string[] = [];
  const context: ArtilleryContext = { vars: {} };
  await new Promise<void>((resolve, reject) =>
    walletLogIn(context, { emit: (_kind, name) => metrics.push(name) }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return { context, metrics };
}

describe('wallet logins of the deployed-stage load test, on the sandbox', () => {
  it('logs a synthetic person in with the test PID provider through the managed login, twice as one person', async () => {
    // Prepare: load.env as docs/operations.md describes it, one synthetic person.
    vi.stubEnv('HOSTED_LOGIN_URL', sandbox.url);
    vi.stubEnv('WALLET_CLIENT_ID', clientId);
    vi.stubEnv('WALLET_REDIRECT_URI', `${sandbox.url}/auth/callback`);
    vi.stubEnv('PID_PROVIDER_FILE', PROVIDER);
    vi.stubEnv('WALLET_PEOPLE', '1');

    // Act
    const first = await processorLogin();
    const second = await processorLogin();

    // Assess: the access token is the API's, the person the PID's, the second login the same person.
    expect(first.metrics).toEqual(['wallet_login.response_time', 'wallet_login.ok']);
    const me = await sandbox.call('GET', '/me', { token: String(first.context.vars.walletAccessToken) });
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({
      insz: walletPerson(0).insz,
      familyName: 'Load 0',
      inszEvidence: 'eudi-pid',
      identities: [expect.objectContaining({ provider: 'eudi' })],
    });
    const again = await sandbox.call('GET', '/me', { token: String(second.context.vars.walletAccessToken) });
    expect(again.body.personId).toBe(me.body.personId);
  });

  it("gives a relying application without apiAccess tokens the API refuses, and never the API's scope", async () => {
    // Prepare: the dev stage's sample application (no apiAccess in cdk.json).
    const sampleApp = {
      hostedLoginUrl: sandbox.url,
      clientId: 'sandbox-sample-app',
      redirectUri: 'http://localhost:4000/auth/callback',
      person: walletPerson(2),
      issue: filePidIssuer(PROVIDER),
    };

    // Act
    const tokens = await walletLogin({ ...sampleApp, scope: 'openid profile' });
    const asked = await walletLogin({ ...sampleApp, scope: 'openid eid-access/api' }).then(
      () => 'tokens',
      (error: Error) => error.message,
    );
    const me = await sandbox.call('GET', '/me', { token: tokens.accessToken });

    // Assess: the login works for the application; the API is the portal's.
    expect(decodeJwt(tokens.accessToken).scope).toBe('openid profile');
    expect(me.status).toBe(401);
    expect(asked).toBe(
      'managed login → wallet bridge: back at the callback (The client may not ask for this scope.)',
    );
  });

  it('is refused with a PID of a provider the stage does not trust', async () => {
    // Prepare: a second provider, whose root is in no trust anchor.
    const untrusted = join(dir, 'untrusted.json');
    writeFileSync(untrusted, JSON.stringify(createLoadPidProvider()), { mode: 0o600 });

    // Act
    const refused = walletLogin({
      hostedLoginUrl: sandbox.url,
      clientId,
      redirectUri: `${sandbox.url}/auth/callback`,
      person: walletPerson(1),
      issue: filePidIssuer(untrusted),
    });

    // Assess: the bridge turns the refusal into Cognito's error at the callback, with its reason.
    await expect(refused).rejects.toThrow(WalletLoginError);
    await expect(refused).rejects.toThrow(/^callback: no code for this login \(\[wallet-untrusted-issuer\] /);
  });
});
