/**
 * `npm start`: the whole platform on this machine, no AWS account (ARCHITECTURE.md section 6,
 * docs/sandbox.md). Environment:
 * - `PORT` (default 3000; 0 picks a free one) — the server binds 127.0.0.1 only;
 * - `SANDBOX_TIME_SCALE` (default 1) — workflow time factor, e.g. 0.00001 makes a 30-day wait ~26 s;
 * - `POWERTOOLS_LOG_LEVEL` — overrides the functions' log level (the dev stage logs at DEBUG);
 * - `SANDBOX_PID_TRUST_ANCHORS` — a PEM file of more PID provider roots the wallet bridge trusts, as a
 *   stage's trust anchors secret would list them (e.g. `npm run load:pid-provider`'s).
 *
 * The last startup line is `eid-access sandbox ready at <url>`. Ctrl-C (SIGINT) or SIGTERM stops
 * everything, DynamoDB Local's Java process included, and exits 0.
 */
import './node-support.ts';
import { readFileSync } from 'node:fs';
import { parseTrustAnchors } from '../lambdas/wallet-bridge/x509-chain.ts';
import { PortInUseError, startSandbox } from './server/start.ts';

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

function parseTimeScale(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`SANDBOX_TIME_SCALE must be a positive number, got "${raw}"`);
  }
  return scale;
}

function readTrustAnchors(path: string | undefined) {
  if (path === undefined || path.trim() === '') return [];
  const anchors = parseTrustAnchors(readFileSync(path, 'utf8'));
  if (anchors.length === 0) throw new Error(`SANDBOX_PID_TRUST_ANCHORS: no certificate in ${path}`);
  return anchors;
}

async function main(): Promise<void> {
  const started = Date.now();
  const port = parsePort(process.env.PORT);
  const timeScale = parseTimeScale(process.env.SANDBOX_TIME_SCALE);
  const pidTrustAnchors = readTrustAnchors(process.env.SANDBOX_PID_TRUST_ANCHORS);
  const sandbox = await startSandbox({
    port,
    timeScale,
    pidTrustAnchors,
    progress: (line) => console.log(`[sandbox] ${line}`),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[sandbox] ${signal}: stopping`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[sandbox] could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[sandbox] DynamoDB Local pid ${sandbox.dynamoDbPid ?? 'unknown'}; started in ${seconds} s`);
  console.log(
    `[sandbox] log in:  curl -s -X POST ${sandbox.url}/local/login -H 'content-type: application/json' -d '{"provider":"itsme","attributes":{"given_name":"Jan","family_name":"Peeters","birthdate":"1979-11-02","http://itsme.services/v2/claim/BENationalNumber":"79110222494"}}'`,
  );
  console.log(
    `[sandbox] outbox:  ${sandbox.url}/local/outbox   API: ${sandbox.url}/openapi.json   Ctrl-C stops`,
  );
  console.log(`eid-access sandbox ready at ${sandbox.url}`);
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError) console.error(error.message);
  else console.error(`[sandbox] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
