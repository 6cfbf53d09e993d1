/**
 * Child process of the bench: the time from the wallet's response to Cognito's tokens, in the sandbox
 * (this process: DynamoDB Local, the synthesized stage, the wallet bridge, the local user pool and the
 * real triggers). Each login is a new person with a Belgian PID of the local PID provider, through
 * the hosted login's `EUDIWallet` button and the bridge's same-device request, answered by the test
 * wallet — the load test's login (artillery/wallet-login.ts), with the sandbox's PID provider. The
 * wallet's own work (fetching and checking the request, presenting, encrypting) is not timed; from
 * the moment it posts its encrypted response, three legs are:
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
import { writeFileSync } from 'node:fs';
import { sandboxPidIssuer, walletLogin } from './artillery/wallet-login.ts';
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
    const issue = sandboxPidIssuer(base);
    const salt = Math.floor(Math.random() * 10);
    for (let index = 0; index < WARMUP + LOGINS; index++) {
      const at: Partial<Record<'posting' | 'posted' | 'called-back' | 'tokens', number>> = {};
      await walletLogin({
        hostedLoginUrl: base,
        clientId,
        redirectUri: `${base}/auth/callback`,
        person: syntheticPerson(50_000 + index, salt),
        issue,
        observe: (moment) => {
          at[moment] = performance.now();
        },
      });
      if (index < WARMUP) continue;
      const { posting = 0, posted = 0, 'called-back': calledBack = 0, tokens = 0 } = at;
      samples.total.push(tokens - posting);
      samples.verification.push(posted - posting);
      samples.federation.push(calledBack - posted);
      samples.token.push(tokens - calledBack);
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
