/**
 * The load test's PID provider (test/bench/load-pid-provider.ts, artillery/pid-provider-file.ts) and
 * the wallet login's settings (artillery/wallet-login.ts): a file the bridge's own verifier accepts
 * PIDs of when its root is trusted, marked NOT FOR PRODUCTION, never overwritten; synthetic people
 * with valid national numbers. The login itself runs on the sandbox in
 * test/e2e/sandbox-wallet-load.test.ts.
 */
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newHolderKey, type OpenedRequest, TestWallet } from '#local/eudi/test-wallet';
import { isValidInsz } from '#shared/belgian-ids';
import { pidDcqlQuery } from '../../../lambdas/wallet-bridge/dcql.ts';
import { verifySdJwtPid } from '../../../lambdas/wallet-bridge/sd-jwt-pid.ts';
import {
  createLoadPidProvider,
  LOAD_PID_ISSUER,
  loadPidProviderOf,
  NOT_FOR_PRODUCTION,
} from '../../bench/artillery/pid-provider-file.ts';
import { walletLogIn } from '../../bench/artillery/processor.cjs';
import { pidClaimsOf, walletLoginFromEnvironment, walletPerson } from '../../bench/artillery/wallet-login.ts';
import { main } from '../../bench/load-pid-provider.ts';

const CLIENT_ID = 'x509_san_dns:bridge.example';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the load test PID provider file', () => {
  it('issues key-bound PIDs without a status list that the bridge verifies against its root', async () => {
    // Prepare: a provider written and read back, as the command and the wallet do.
    const file = createLoadPidProvider();
    const provider = loadPidProviderOf(JSON.stringify(file));
    const holder = newHolderKey();
    const { credential } = await provider.issue({
      claims: pidClaimsOf(walletPerson(42)),
      holderPublicJwk: holder.publicJwk,
    });
    const request: OpenedRequest = {
      clientId: CLIENT_ID,
      nonce: 'nonce-1',
      state: 'state-1',
      responseUri: 'https://bridge.example/response',
      responseMode: 'direct_post.jwt',
      dcqlQuery: pidDcqlQuery({ mdoc: false }) as OpenedRequest['dcqlQuery'],
      encryptionJwk: {},
      encValues: ['A128GCM'],
      verifierCertificate: new X509Certificate(file.root.certificatePem),
    };
    const presentation = await new TestWallet().present(request, {
      credential,
      holderKey: holder.privateKey,
    });

    // Act: the bridge's verifier, trusting the file's root; the status list is never asked for.
    const verified = await verifySdJwtPid(presentation, {
      nonce: 'nonce-1',
      clientId: CLIENT_ID,
      trustAnchors: [new X509Certificate(file.root.certificatePem)],
      now: new Date(),
      fetchStatusList: async () => {
        throw new Error('no status list to fetch');
      },
    });

    // Assess
    expect(verified.issuer).toBe(LOAD_PID_ISSUER);
    expect(verified.claims).toMatchObject({ personal_administrative_number: walletPerson(42).insz });
    expect(new X509Certificate(file.root.certificatePem).subject).toContain(NOT_FOR_PRODUCTION);
    expect(new X509Certificate(file.issuerCertificate.certificatePem).subject).toContain(NOT_FOR_PRODUCTION);
    // The x5c leaf names the PIDs' `iss`, as SD-JWT VC asks of a key found through a certificate.
    expect(new X509Certificate(file.issuerCertificate.certificatePem).subjectAltName).toBe(
      `URI:${LOAD_PID_ISSUER}`,
    );
  });

  it('refuses a file that is none, and a key that is not its certificate’s', () => {
    const file = createLoadPidProvider();
    const swapped = {
      ...file,
      issuerCertificate: { ...file.issuerCertificate, privateKeyPem: file.root.privateKeyPem },
    };

    expect(() => loadPidProviderOf('{"issuer":"https://x.example"}')).toThrow(
      'not a PID provider file of npm run load:pid-provider',
    );
    expect(() => loadPidProviderOf(JSON.stringify(swapped))).toThrow(/the private key is not the key of/);
  });
});

describe('npm run load:pid-provider', () => {
  it('writes the keys 0600 and the root apart, and never overwrites a file', async () => {
    const writes: { path: string; text: string; mode: number }[] = [];
    const lines: string[] = [];

    const code = await main(
      ['--out', 'p.json', '--anchor', 'root.pem'],
      (line) => lines.push(line),
      async (path, text, mode) => {
        writes.push({ path, text, mode });
      },
    );
    const existing = await main(
      ['--out', 'p.json', '--anchor', 'root.pem'],
      (line) => lines.push(line),
      async () => {
        throw new Error("EEXIST: file already exists, open 'p.json'");
      },
    );

    expect(code).toBe(0);
    expect(writes.map(({ path, mode }) => [path, mode])).toEqual([
      ['p.json', 0o600],
      ['root.pem', 0o644],
    ]);
    const [keys, root] = writes as [(typeof writes)[0], (typeof writes)[0]];
    expect(root.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(root.text).not.toContain('PRIVATE KEY');
    expect(JSON.parse(keys.text).root.certificatePem).toBe(root.text);
    expect(existing).toBe(1);
    expect(lines.at(-1)).toContain('(the command never overwrites a file)');
    expect(await main(['--out', 'p.json'], () => undefined)).toBe(2);
  });
});

describe('wallet login settings', () => {
  it('gives synthetic people valid, distinct national numbers born from 1930', () => {
    const people = [0, 1, 996, 997, 500_000].map(walletPerson);

    expect(people.every((person) => isValidInsz(person.insz))).toBe(true);
    expect(new Set(people.map((person) => person.insz)).size).toBe(people.length);
    expect(people[3]?.birthDate).toBe('1930-01-02');
    expect(() => walletPerson(-1)).toThrow(RangeError);
  });

  it('names a missing setting, and skips wallet logins without HOSTED_LOGIN_URL', async () => {
    await expect(walletLoginFromEnvironment({ HOSTED_LOGIN_URL: 'https://login.example' })).rejects.toThrow(
      'wallet logins need HOSTED_LOGIN_URL, WALLET_CLIENT_ID and WALLET_REDIRECT_URI (load.env)',
    );
    await expect(
      walletLoginFromEnvironment({
        HOSTED_LOGIN_URL: 'https://login.example',
        WALLET_CLIENT_ID: 'client',
        WALLET_REDIRECT_URI: 'https://app.example/callback',
        WALLET_PEOPLE: '0',
      }),
    ).rejects.toThrow('WALLET_PEOPLE must be a positive integer');

    vi.stubEnv('HOSTED_LOGIN_URL', '');
    const metrics: string[] = [];
    const context = { vars: {} as Record<string, unknown> };
    await new Promise<void>((resolve) =>
      walletLogIn(context, { emit: (_kind, name) => metrics.push(name) }, () => resolve()),
    );
    expect(metrics).toEqual(['wallet_login.skipped']);
    expect(context.vars).not.toHaveProperty('walletAccessToken');
  });
});
