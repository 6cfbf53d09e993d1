/**
 * `npm run bench`: for every Lambda function of the app (found in the synthesized stage, see
 * entries.ts) the minified bundle size, the cold import time in a fresh `node` process against a
 * bare document-client handler, the warm invocation overhead with mocked clients; DynamoDB round
 * trips per operation through the real handlers (round-trips.ts); the wallet login's time from the
 * wallet's response to Cognito's tokens in the sandbox (wallet-login.ts); and "no Scan anywhere". Prints a
 * table with PASS/FAIL per target and exits non-zero when one fails. `--write-doc` also rewrites the
 * bench section of docs/performance.md.
 *
 * Environment: `BENCH_COLD_RUNS` (default 11, at least 10), `BENCH_INVOCATIONS` (default 1000),
 * `BENCH_SKIP_ROUND_TRIPS=1` (size and time only), `BENCH_SKIP_WALLET=1` (no wallet logins),
 * `BENCH_WALLET_LOGINS` (default 40).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuiltBundle, bundle, bundleBare, bundleOidcProviderReference } from './bundle.ts';
import { type BenchFunction, discoverFunctions, PROJECT_ROOT } from './entries.ts';
import type { GrantExpiryBenchResult } from './grant-expiry.ts';
import { percentile, replaceSection } from './report.ts';
import type { RoundTripResult } from './round-trips.ts';
import type { WalletLoginBenchResult } from './wallet-login.ts';
import type { WarmRequest, WarmResult } from './warm-worker.ts';

/** Every function's bundle at most this many bytes (150 KB, decimal; issue 13). */
export const FUNCTION_MAX_BYTES = 150_000;
/** Every function's cold import at most this factor of the bare handler's (issue 13). */
export const FUNCTION_MAX_COLD_RATIO = 1.5;
/**
 * A login at most this many sequential DynamoDB round trips: requests sent in parallel (one
 * `Promise.all`, answered together) are one round trip, whatever their number.
 */
export const LOGIN_MAX_ROUND_TRIPS = 2;
/** Every ID and access token within 4 KB (ARCHITECTURE.md section 2, capacity). */
export const TOKEN_MAX_BYTES = 4096;

const COLD_RUNS = Math.max(10, Number(process.env.BENCH_COLD_RUNS ?? 11));
const INVOCATIONS = Math.max(100, Number(process.env.BENCH_INVOCATIONS ?? 1000));
const WRITE_DOC = process.argv.includes('--write-doc');

/** Environment of a measured process: the function's own, a region and dummy credentials. */
function functionEnv(fn?: BenchFunction): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...(fn?.environment ?? {}),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    // The production log level (dev logs at DEBUG); stdout is discarded anyway.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_NO_WARNINGS: '1',
  };
}

const COLD_SCRIPT = `const started = performance.now();
await import(process.argv[1]);
process.stdout.write(JSON.stringify(performance.now() - started));`;

/** Milliseconds to import `file` in a fresh process. */
function coldImport(file: string, env: NodeJS.ProcessEnv): number {
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', COLD_SCRIPT, pathToFileURL(file).href],
    {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  const ms = Number(last);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`Importing ${file} failed (${result.status}):\n${result.stderr}`);
  }
  return ms;
}

function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Runs a tsx child that writes a JSON result file. */
async function runWorker<T>(script: string, input: unknown, env: NodeJS.ProcessEnv): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'eid-access-bench-'));
  try {
    const requestPath = join(dir, 'request.json');
    const resultPath = join(dir, 'result.json');
    writeFileSync(requestPath, JSON.stringify(input ?? null));
    const args = ['--import', 'tsx', join(PROJECT_ROOT, 'test', 'bench', script)];
    const child = spawn(
      process.execPath,
      input === undefined ? [...args, resultPath] : [...args, requestPath, resultPath],
      {
        cwd: PROJECT_ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr}`);
    return JSON.parse(readFileSync(resultPath, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files under lambdas/ and local/ that use a Scan. */
export function scanUsages(roots = ['lambdas', 'local']): string[] {
  const pattern = /\bScanCommand\b|\bpaginateScan\b|\.scan\(|['"]DynamoDB_20120810\.Scan['"]/;
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|js|mjs)$/.test(name)) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (pattern.test(line))
              found.push(`${relative(PROJECT_ROOT, path)}:${index + 1}: ${line.trim()}`);
          });
      }
    }
  };
  for (const root of roots) walk(join(PROJECT_ROOT, root));
  return found;
}

interface Row {
  fn: BenchFunction;
  built: BuiltBundle;
  coldMs: number;
  ratio: number;
  warm: WarmResult | null;
}

interface Check {
  target: string;
  measured: string;
  pass: boolean;
}

/** The wallet bridge's function (an HTTP API of its own, on the path of Cognito's token call). */
const isWalletBridge = (fn: BenchFunction) => fn.entry.includes('wallet-bridge');

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(value < 1 ? 3 : 1)} ms`;

function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  console.log('Discovering functions (synthesizing the dev stage)…');
  const functions = discoverFunctions();
  const options = functions[0]?.esbuild;
  if (!options) throw new Error('No functions found');
  console.log(`Bundling ${functions.length} functions and the bare handler with esbuild…`);
  const bare = await bundleBare(options);
  const built = await Promise.all(functions.map((fn) => bundle(fn.name, fn.entry, fn.esbuild)));
  const oidcReference = await bundleOidcProviderReference(options);

  console.log(`Cold imports: ${COLD_RUNS} fresh processes per bundle, interleaved…`);
  const bareSamples: number[] = [];
  const oidcReferenceSamples: number[] = [];
  const samples = functions.map(() => [] as number[]);
  coldImport(bare.file, functionEnv());
  coldImport(oidcReference.file, functionEnv());
  for (let run = 0; run < COLD_RUNS; run++) {
    bareSamples.push(coldImport(bare.file, functionEnv()));
    oidcReferenceSamples.push(coldImport(oidcReference.file, functionEnv()));
    functions.forEach((fn, index) => {
      samples[index]?.push(coldImport((built[index] as BuiltBundle).file, functionEnv(fn)));
    });
  }
  const bareMs = median(bareSamples);

  console.log(`Warm invocations: ${INVOCATIONS} per bundle with mocked clients…`);
  const rows: Row[] = [];
  for (const [index, fn] of functions.entries()) {
    const bundleOf = built[index] as BuiltBundle;
    const request: WarmRequest = {
      file: bundleOf.file,
      handlerExport: fn.handlerExport,
      role: fn.role,
      invocations: INVOCATIONS,
      warmup: 100,
    };
    const warm = await runWorker<WarmResult | null>('warm-worker.ts', request, {
      ...process.env,
      ...functionEnv(fn),
    });
    const coldMs = median(samples[index] ?? []);
    rows.push({ fn, built: bundleOf, coldMs, ratio: coldMs / bareMs, warm });
  }

  let roundTrips: RoundTripResult | undefined;
  if (process.env.BENCH_SKIP_ROUND_TRIPS !== '1') {
    console.log('DynamoDB round trips: the sandbox with DynamoDB Local, operations over HTTP…');
    roundTrips = await runWorker<RoundTripResult>('round-trips.ts', undefined, {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      NODE_NO_WARNINGS: '1',
    });
  }
  const scans = scanUsages();

  const checks: Check[] = [];
  // Every function, not only the triggers: API, workflow task, schedule and the wallet bridge alike.
  for (const row of rows) {
    checks.push({
      target: `${row.fn.name}: bundle ≤ ${kb(FUNCTION_MAX_BYTES)}`,
      measured: kb(row.built.bytes),
      pass: row.built.bytes <= FUNCTION_MAX_BYTES,
    });
    checks.push({
      target: `${row.fn.name}: cold import ≤ ${FUNCTION_MAX_COLD_RATIO}× bare`,
      measured: `${row.ratio.toFixed(2)}× (${ms(row.coldMs)} vs ${ms(bareMs)})`,
      pass: row.ratio <= FUNCTION_MAX_COLD_RATIO,
    });
  }
  for (const operation of roundTrips?.operations.filter((op) => /^(login|token refresh)/.test(op.name)) ??
    []) {
    checks.push({
      target: `${operation.name}: ≤ ${LOGIN_MAX_ROUND_TRIPS} sequential round trips (parallel requests count once)`,
      measured: `${operation.roundTrips} (${operation.requests} requests: ${operation.commands.join(', ')})`,
      pass: operation.roundTrips <= LOGIN_MAX_ROUND_TRIPS && operation.status === 200,
    });
  }
  const capacityLogins = roundTrips?.capacityLogins ?? [];
  for (const login of capacityLogins) {
    checks.push({
      target: `login at N = ${login.organisations} organisations: ≤ ${LOGIN_MAX_ROUND_TRIPS} sequential round trips (parallel requests count once), tokens ≤ ${TOKEN_MAX_BYTES} B`,
      measured: `${login.roundTrips} round trips (${login.requests} requests), ID ${login.idTokenBytes} B, access ${login.accessTokenBytes} B`,
      pass:
        login.status === 200 &&
        login.roundTrips <= LOGIN_MAX_ROUND_TRIPS &&
        login.idTokenBytes <= TOKEN_MAX_BYTES &&
        login.accessTokenBytes <= TOKEN_MAX_BYTES,
    });
  }
  const [smallest, largest] = [capacityLogins.at(1), capacityLogins.at(-1)];
  if (smallest && largest && smallest !== largest) {
    checks.push({
      target: `login reads do not grow with N (N = ${smallest.organisations} → ${largest.organisations})`,
      measured: `${smallest.itemsRead} → ${largest.itemsRead} items, ${smallest.bytesRead} → ${largest.bytesRead} B`,
      pass: largest.itemsRead <= smallest.itemsRead && largest.bytesRead <= smallest.bytesRead + 64,
    });
  }
  checks.push({
    target: 'no Scan in lambdas/ or local/ (source)',
    measured: scans.length === 0 ? 'none' : scans.join('; '),
    pass: scans.length === 0,
  });
  if (roundTrips) {
    const runtimeScans = roundTrips.seen.Scan ?? 0;
    checks.push({
      target: 'no Scan sent during the round-trip run',
      measured: runtimeScans === 0 ? 'none' : `${runtimeScans} Scan requests`,
      pass: runtimeScans === 0,
    });
  }

  const bundleTable = table(
    [
      'function',
      'role',
      'bundle',
      'cold import (median)',
      'vs bare',
      'warm p50',
      'warm p99',
      'warm event → outcome',
    ],
    rows.map((row) => [
      row.fn.name,
      row.fn.role.kind === 'trigger'
        ? `trigger (${row.fn.role.trigger})`
        : isWalletBridge(row.fn)
          ? 'HTTP API (wallet bridge)'
          : row.fn.role.kind,
      kb(row.built.bytes),
      ms(row.coldMs),
      `${row.ratio.toFixed(2)}×`,
      row.warm ? ms(row.warm.p50Ms) : 'n/a',
      row.warm ? ms(row.warm.p99Ms) : 'n/a',
      row.warm
        ? `${row.warm.event} → ${row.warm.outcome} (${row.warm.dynamoCommandsPerInvocation} DynamoDB calls)`
        : isWalletBridge(row.fn)
          ? 'see "Wallet login" below (real requests in the sandbox)'
          : `no representative event (${row.fn.role.kind === 'trigger' ? 'no event factory for this trigger' : 'workflow task'})`,
    ]),
  );
  const bareLine = `Bare handler (document client only): ${kb(bare.bytes)}, cold import median ${ms(bareMs)} over ${COLD_RUNS} runs.`;
  const roundTripTable = roundTrips
    ? table(
        ['operation', 'sequential round trips', 'requests', 'status'],
        roundTrips.operations.map((op) => [
          op.name,
          String(op.roundTrips),
          `${op.requests}: ${op.commands.join(', ')}`,
          String(op.status),
        ]),
      )
    : '(skipped)';
  let expiry: GrantExpiryBenchResult | undefined;
  if (process.env.BENCH_SKIP_GRANT_EXPIRY !== '1') {
    console.log('Grant expiry: one date of grants through the fan-out, DynamoDB Local…');
    expiry = await runWorker<GrantExpiryBenchResult>('grant-expiry.ts', undefined, {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      NODE_NO_WARNINGS: '1',
    });
  }
  const expiryLines = expiry
    ? [
        `${expiry.grants.toLocaleString('en')} grants on one date (10 organisations), ${expiry.shards} shards, ` +
          `pages of ${expiry.pageSize}, ${expiry.parallelPerCall} writes in flight per call; the synthesized ` +
          'state machine on the local runner (all shards at once), one DynamoDB Local process.',
        '',
        table(
          ['measure', 'value'],
          [
            ['seeding (BatchWriteItem, not part of the run)', ms(expiry.seedMs)],
            ['run (sweep + notices + summary)', ms(expiry.runMs)],
            ['grants per second', String(Math.round(expiry.grants / (expiry.runMs / 1000)))],
            ['DynamoDB requests per grant', expiry.dynamoRequestsPerGrant.toFixed(2)],
            ['run output', JSON.stringify(expiry.counts)],
            ['grant-expired audit entries', String(expiry.tally.auditEntries)],
            ['grant-expired mails (distinct recipients)', `${expiry.mails} (${expiry.distinctRecipients})`],
            [
              'grants left on the date / notices left pending',
              `${expiry.tally.grantsLeft} / ${expiry.tally.pendingNotices}`,
            ],
            [
              'second run: output, mails in the outbox, time',
              `${JSON.stringify(expiry.secondCounts)}, ${expiry.mailsAfterSecondRun}, ${ms(expiry.secondRunMs)}`,
            ],
            ['executions', expiry.status],
          ],
        ),
      ].join('\n')
    : '(skipped)';
  let wallet: WalletLoginBenchResult | undefined;
  if (process.env.BENCH_SKIP_WALLET !== '1') {
    console.log('Wallet login: wallet response → Cognito tokens, the sandbox with DynamoDB Local…');
    wallet = await runWorker<WalletLoginBenchResult>('wallet-login.ts', undefined, {
      ...process.env,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      NODE_NO_WARNINGS: '1',
    });
  }
  const bridgeRow = rows.find((row) => isWalletBridge(row.fn));
  const walletLines = [
    bridgeRow
      ? `The bridge's function against every function's targets (Cognito's token call waits on it): bundle ${kb(bridgeRow.built.bytes)} (target ≤ ${kb(FUNCTION_MAX_BYTES)}: ` +
        `${bridgeRow.built.bytes <= FUNCTION_MAX_BYTES ? 'meets' : 'misses'}), cold import ${bridgeRow.ratio.toFixed(2)}× bare ` +
        `(target ≤ ${FUNCTION_MAX_COLD_RATIO}×: ${bridgeRow.ratio <= FUNCTION_MAX_COLD_RATIO ? 'meets' : 'misses'}). ` +
        `Largest parts: ${bridgeRow.built.packages
          .slice(0, 4)
          .map((entry) => `${entry.name} ${kb(entry.bytes)}`)
          .join(', ')}.`
      : 'No wallet bridge on this stage.',
    '',
    (() => {
      const referenceMs = median(oidcReferenceSamples);
      return (
        `For comparison, the certified OpenID provider library the issue prefers — panva's \`oidc-provider\`, configured as the bridge ` +
        `would be (one client, an RS256 key) with the document client its DynamoDB adapter needs, bundled the same way: ` +
        `${kb(oidcReference.bytes)} (${(oidcReference.bytes / FUNCTION_MAX_BYTES).toFixed(1)}× the ${kb(FUNCTION_MAX_BYTES)} target), ` +
        `cold import ${ms(referenceMs)}, ${(referenceMs / bareMs).toFixed(2)}× bare (target ≤ ${FUNCTION_MAX_COLD_RATIO}×). Largest parts: ` +
        `${oidcReference.packages
          .slice(0, 4)
          .map((entry) => `${entry.name} ${kb(entry.bytes)}`)
          .join(', ')}. ` +
        "That is why the bridge speaks Cognito's side of OpenID Connect itself (discovery, code flow with client secret, " +
        'JWKS, userinfo: the calls Cognito makes), on `jose`.'
      );
    })(),
    '',
    wallet
      ? [
          `${wallet.logins} first logins of new people with a Belgian PID (after 3 unmeasured), one at a time, through the hosted ` +
            "login's `EUDIWallet` provider and the bridge's same-device request; the test wallet's own work is not timed.",
          '',
          table(
            ['leg', 'p50', 'p99', 'max'],
            [
              ['wallet response → Cognito tokens (total)', wallet.total],
              [
                '`direct_post.jwt` → bridge answer (decrypt, verify PID, status list, record)',
                wallet.verification,
              ],
              [
                "wallet's redirect → application callback (bridge completion, Cognito's code exchange and userinfo, triggers)",
                wallet.federation,
              ],
              ['application code → Cognito tokens', wallet.token],
            ].map(([leg, times]) => {
              const t = times as WalletLoginBenchResult['total'];
              return [leg as string, ms(t.p50Ms), ms(t.p99Ms), ms(t.maxMs)];
            }),
          ),
        ].join('\n')
      : '(skipped)',
  ].join('\n');
  const capacityTable = roundTrips
    ? table(
        [
          'organisations (4 roles each)',
          'sequential round trips',
          'requests',
          'items read',
          'bytes read',
          'ID token',
          'access token',
        ],
        capacityLogins.map((login) => [
          String(login.organisations),
          String(login.roundTrips),
          String(login.requests),
          String(login.itemsRead),
          `${login.bytesRead} B`,
          `${login.idTokenBytes} B`,
          `${login.accessTokenBytes} B`,
        ]),
      )
    : '(skipped)';
  const composition = table(
    ['function', 'largest contributors (bytes in the minified output)'],
    rows.map((row) => [
      row.fn.name,
      row.built.packages
        .slice(0, 6)
        .map((entry) => `${entry.name} ${kb(entry.bytes)}`)
        .join(', '),
    ]),
  );
  const checkTable = table(
    ['target', 'measured', 'result'],
    checks.map((check) => [check.target, check.measured, check.pass ? 'PASS' : 'FAIL']),
  );

  const cpuModel = cpus()[0]?.model ?? 'unknown';
  const machine = `${cpus().length} CPUs (nproc ${cpus().length}), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
  const report = [
    `Measured ${startedAt.toISOString()} on ${machine}.`,
    '',
    `esbuild options per function, as NodejsFunction runs them: \`${(functions[0]?.esbuildArgs ?? []).filter((arg) => !arg.startsWith('--outfile')).join(' ')}\``,
    '',
    '### Targets',
    '',
    checkTable,
    '',
    '### Bundles, cold import, warm invocation',
    '',
    bareLine,
    `Warm: ${INVOCATIONS} invocations after 100 warm-up ones, every AWS client mocked (aws-sdk-client-mock), stdout discarded.`,
    '',
    bundleTable,
    '',
    '### DynamoDB round trips per operation (real handlers, DynamoDB Local)',
    '',
    'Sequential round trips: requests sent together (one `Promise.all`) count once; "requests" counts each.',
    '',
    roundTripTable,
    '',
    '### Grant expiry of one date (fan-out, DynamoDB Local)',
    '',
    expiryLines,
    '',
    "### Wallet login: from the wallet's response to Cognito's tokens (sandbox)",
    '',
    walletLines,
    '',
    '### A returning login per number of organisations (one capacity in the token)',
    '',
    'A consultant with 4 KLIP roles in each of N organisations, acting for the last one (`PUT /me/capacity`); items and bytes as DynamoDB returned them to the login; token sizes as issued.',
    '',
    capacityTable,
    '',
    '### What the bundles are made of',
    '',
    composition,
  ].join('\n');
  console.log(`\n${report}\n`);
  if (WRITE_DOC) {
    replaceSection(join(PROJECT_ROOT, 'docs', 'performance.md'), 'bench', report);
    console.log('docs/performance.md updated (bench section).');
  }
  const failed = checks.filter((check) => !check.pass);
  console.log(failed.length === 0 ? 'All targets PASS.' : `${failed.length} target(s) FAIL.`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

await main();
