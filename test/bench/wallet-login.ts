/**
 * Child process of the bench: the time from the wallet's response to Cognito's tokens, in the sandbox
 * (this process: DynamoDB Local, the synthesized stage, the wallet bridge, the local user pool and the
 * real triggers). Each login is a new person with a Belgian PID of the local PID provider, through
 * the hosted login's `EUDIWallet` button and the bridge's same-device request, answered by the test
 * wallet. The wallet's own work (fetching and checking the request, presenting, encrypting) is not
 * timed; from the moment it posts its encrypted response, three legs are:
 * 1. the bridge receives `direct_post.jwt`: decrypts, verifies the PID (chain, signature, key binding,
 *    status list) and records the outcome → `redirect_uri`;
 * 2. the wallet's redirect: the bridge's completion (code for Cognito) → Cognito's `/oauth2/idpresponse`
 *    (code exchange with the bridge, ID token checks, userinfo, the triggers) → the application's
 *    callback with Cognito's code;
 * 3. the application redeems Cognito's code at `/oauth2/token`.
 *
 * Usage: `node --import tsx test/bench/wallet-login.ts <result.json>`; `BENCH_WALLET_LOGINS` (default
 * 40, at least 10) measured logins after 3 unmeasured ones.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { newHolderKey, TestWallet } from '#local/eudi/test-wallet';
import { syntheticPerson } from './identities.ts';
import { percentile } from './report.ts';

/** p50/p99 of one leg, in milliseconds. */
export interface LegTimes {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the worker writes. */
export interface WalletLoginBenchResult {
  logins: number;
  /** Wallet response posted → Cognito's tokens in hand. */
  total: LegTimes;
  /** `direct_post.jwt` → the bridge's answer. */
  verification: LegTimes;
  /** The wallet's redirect → the application's callback (bridge completion, Cognito federation, triggers). */
  federation: LegTimes;
  /** The application's code → Cognito's tokens. */
  token: LegTimes;
}

const LOGINS = Math.max(10, Number(process.env.BENCH_WALLET_LOGINS ?? 40));
const WARMUP = 3;

function legTimes(samples: number[]): LegTimes {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN };
}

async function main(): Promise<void> {
  const resultPath = process.argv[2];
  if (!resultPath) throw new Error('usage: wallet-login.ts <result.json>');
  const { startSandbox } = await import('#local/server/start');
  const sandbox = await startSandbox({ port: 0 });
  const samples = {
    total: [] as number[],
    verification: [] as number[],
    federation: [] as number[],
    token: [] as number[],
  };
  try {
    const base = sandbox.url;
    const { clientId } = (await (await fetch(`${base}/config.json`)).json()) as { clientId: string };
    const redirectUri = `${base}/auth/callback`;
    const wallet = new TestWallet();
    const salt = Math.floor(Math.random() * 10);
    for (let index = 0; index < WARMUP + LOGINS; index++) {
      const person = syntheticPerson(50_000 + index, salt);
      const holder = newHolderKey();
      const issued = await fetch(`${base}/local/eudi/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          format: 'dc+sd-jwt',
          claims: {
            given_name: person.givenName,
            family_name: person.familyName,
            birthdate: person.birthDate,
            issuing_country: 'BE',
            nationalities: ['BE'],
            personal_administrative_number: person.insz,
          },
          holderPublicJwk: holder.publicJwk,
        }),
      });
      const { credential } = (await issued.json()) as { credential: string };
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${base}/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: 'openid profile',
        identity_provider: 'EUDIWallet',
        state: `bench-${index}`,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      const toBridge = await fetch(authorize, { redirect: 'manual' });
      const start = await fetch(toBridge.headers.get('location') as string, { redirect: 'manual' });
      const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await (
        await fetch(start.headers.get('location') as string, { headers: { cookie } })
      ).text();
      const link = (/id="same-device" href="([^"]+)"/.exec(page)?.[1] ?? '').replace(/&amp;/g, '&');
      const request = await wallet.open(link);
      const response = await wallet.encrypt(request, {
        vp_token: { pid: [await wallet.present(request, { credential, holderKey: holder.privateKey })] },
        state: request.state,
      });

      const posted = performance.now();
      const answer = await wallet.post(request, response);
      const verified = performance.now();
      const completion = await fetch((answer.body as { redirect_uri: string }).redirect_uri, {
        redirect: 'manual',
      });
      const idpResponse = await fetch(completion.headers.get('location') as string, { redirect: 'manual' });
      const callback = new URL(idpResponse.headers.get('location') as string);
      const federated = performance.now();
      const tokens = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: callback.searchParams.get('code') ?? '',
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
      const body = (await tokens.json()) as { id_token?: string };
      const done = performance.now();
      if (tokens.status !== 200 || decodeJwt(body.id_token ?? '').idp !== 'eudi') {
        throw new Error(
          `wallet login ${index} failed: ${callback.href} → ${tokens.status} ${JSON.stringify(body)}`,
        );
      }
      if (index < WARMUP) continue;
      samples.total.push(done - posted);
      samples.verification.push(verified - posted);
      samples.federation.push(federated - verified);
      samples.token.push(done - federated);
    }
  } finally {
    await sandbox.close();
  }
  const result: WalletLoginBenchResult = {
    logins: LOGINS,
    total: legTimes(samples.total),
    verification: legTimes(samples.verification),
    federation: legTimes(samples.federation),
    token: legTimes(samples.token),
  };
  writeFileSync(resultPath, JSON.stringify(result));
}

await main();
