import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, tableSchema } from '#lib/data/table-schema';

const execFileAsync = promisify(execFile);

/**
 * AWS's DynamoDBLocal.jar (1.25.1) ships inside this npm package. Only its tarball is fetched (npm
 * pack); installing it would pull in ~350 MB of Amplify CLI.
 */
const simulatorPackage = 'amplify-dynamodb-simulator@2.9.30';
/** Pinned so a tampered or swapped tarball is refused, not run. */
const simulatorIntegrity =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = join(projectRoot, '.cache');
/** Where the emulator lives (gitignored). It only ever appears by an atomic rename, so it is complete. */
export const dynamoDbLocalDir = join(cacheRoot, 'dynamodb-local');
/** Records which package the folder came from, so bumping {@link simulatorPackage} refetches. */
const sourceMarker = '.source';

/** The region every local client and handler uses. */
export const localRegion = 'eu-west-1';
/**
 * Dummy credentials. DynamoDB Local (without `-sharedDb`) keeps one database per access key and
 * region, so the test helpers, the sandbox and the handlers must all use these same constants.
 */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const minimumJavaMajor = 17;
const javaMissingMessage =
  'DynamoDB Local needs Java 17 or newer: install a JDK/JRE (e.g. apt-get install openjdk-17-jre-headless) and retry';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  endpoint: string;
  port: number;
  /** Process id of the watchdog shell whose child is the Java process (for leak checks). */
  pid: number | undefined;
  /** Kills the emulator and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startDynamoDbLocal}. */
export interface StartDynamoDbLocalOptions {
  /** @default a free port on 127.0.0.1 */
  port?: number;
  /** How long to wait for the first successful ListTables. @default 60_000 */
  readyTimeoutMs?: number;
}

/**
 * Makes sure DynamoDBLocal.jar and its native libraries are under `.cache/dynamodb-local` and returns
 * that folder. Fast when already present; safe when several processes fetch at once.
 */
export async function ensureDynamoDbLocal(): Promise<string> {
  if (await isInstalled()) return dynamoDbLocalDir;

  await mkdir(cacheRoot, { recursive: true });
  // Same filesystem as the target, so the final rename is atomic.
  const work = await mkdtemp(join(cacheRoot, 'dynamodb-local-fetch-'));
  try {
    const started = Date.now();
    process.stderr.write(`Fetching DynamoDB Local (${simulatorPackage}, ~57 MB)...\n`);
    const { stdout } = await execFileAsync(
      'npm',
      ['pack', simulatorPackage, '--pack-destination', work, '--json', '--loglevel', 'error'],
      { cwd: work, maxBuffer: 16 * 1024 * 1024 },
    );
    const tarball = join(work, packedFileName(stdout));
    const integrity = await sha512Integrity(tarball);
    if (integrity !== simulatorIntegrity) {
      throw new Error(`${simulatorPackage} tarball integrity mismatch: got ${integrity}`);
    }
    await execFileAsync('tar', ['-xzf', tarball, '-C', work, 'package/emulator']);
    const emulator = join(work, 'package', 'emulator');
    await writeFile(join(emulator, sourceMarker), simulatorPackage);
    await moveIntoPlace(emulator, work);
    process.stderr.write(`DynamoDB Local fetched in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return dynamoDbLocalDir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function isInstalled(): Promise<boolean> {
  try {
    const source = await readFile(join(dynamoDbLocalDir, sourceMarker), 'utf8');
    return source === simulatorPackage && existsSync(join(dynamoDbLocalDir, 'DynamoDBLocal.jar'));
  } catch {
    return false;
  }
}

async function moveIntoPlace(emulator: string, work: string): Promise<void> {
  if (existsSync(dynamoDbLocalDir) && !(await isInstalled())) {
    // An older version or a folder someone tampered with: set it aside (atomically) first.
    await rename(dynamoDbLocalDir, join(work, 'stale')).catch(ignoreCode('ENOENT'));
  }
  try {
    await rename(emulator, dynamoDbLocalDir);
  } catch (error) {
    // Another process won the race; its folder is just as good.
    if (await isInstalled()) return;
    throw new Error(`Could not move DynamoDB Local into ${dynamoDbLocalDir}; delete that folder and retry`, {
      cause: error,
    });
  }
}

function packedFileName(npmPackJson: string): string {
  const parsed: unknown = JSON.parse(npmPackJson);
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  if (
    typeof first === 'object' &&
    first !== null &&
    'filename' in first &&
    typeof first.filename === 'string'
  ) {
    return first.filename;
  }
  throw new Error(`Unexpected npm pack output: ${npmPackJson.slice(0, 200)}`);
}

async function sha512Integrity(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

function ignoreCode(code: string) {
  return (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== code) throw error;
  };
}

/**
 * Throws the install hint unless `java` is on the PATH and at least version 17.
 * @returns the version line of `java -version`
 */
export async function assertJava(): Promise<string> {
  let output: string;
  try {
    const { stdout, stderr } = await execFileAsync('java', ['-version']);
    output = `${stderr}${stdout}`;
  } catch (error) {
    throw new Error(javaMissingMessage, { cause: error });
  }
  // JAVA_TOOL_OPTIONS makes Java print a "Picked up ..." line first.
  const firstLine = (output.split('\n').find((line) => line.includes(' version ')) ?? output).trim();
  const major = javaMajorVersion(output);
  if (major === undefined || major < minimumJavaMajor) {
    throw new Error(`${javaMissingMessage} (found: ${firstLine})`);
  }
  return firstLine;
}

/** `openjdk version "17.0.15"` → 17; legacy `java version "1.8.0_402"` → 8. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

/** The client settings that reach a DynamoDB Local at `endpoint` with the shared dummy identity. */
export function localClientConfig(endpoint: string): DynamoDBClientConfig {
  return { endpoint, region: localRegion, credentials: localCredentials };
}

/**
 * The environment that points unchanged product code (clients built from the SDK's default chain,
 * e.g. `createDocumentClient()`) at DynamoDB Local.
 */
export function localAwsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  };
}

/**
 * Starts an in-memory DynamoDB Local and resolves once it answers ListTables. Fetches the jar if
 * needed. The emulator dies with this process, also on SIGINT/SIGTERM and (through a stdin watchdog)
 * when this process is killed outright.
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  await assertJava();
  const dir = await ensureDynamoDbLocal();
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  // A port picked here can be taken before Java binds it; only then is another one worth a try.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(dir, port, readyTimeoutMs);
    } catch (error) {
      if (!(error instanceof EarlyExitError) || attempt >= attempts) throw error;
    }
  }
}

class EarlyExitError extends Error {
  override readonly name = 'EarlyExitError';
}

/**
 * `sh` runs Java in the background and kills it when told to (TERM/INT/HUP) or when its stdin — a pipe
 * from this process — closes, which also happens when this process is SIGKILLed. DynamoDB Local has
 * no option to bind to loopback only; it listens on all interfaces.
 */
const watchdogScript = `
exec 3<&0
"$@" </dev/null 3<&- &
java=$!
{ cat >/dev/null; kill "$java" 2>/dev/null; } <&3 >/dev/null 2>&1 &
exec 3<&-
trap 'kill "$java" 2>/dev/null' TERM INT HUP
while :; do
  wait "$java"; status=$?
  kill -0 "$java" 2>/dev/null || exit "$status"
done
`;

async function launch(dir: string, port: number, readyTimeoutMs: number): Promise<DynamoDbLocal> {
  const javaArgs = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  const child = spawn('/bin/sh', ['-c', watchdogScript, 'dynamodb-local', 'java', ...javaArgs], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  const output = outputTail(child);
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? -1 : null)));
  });

  const stop = once(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    child.stdin.destroy();
    untrack(child);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilReady(endpoint, readyTimeoutMs, output),
      exited.then((code) => {
        throw new EarlyExitError(`DynamoDB Local exited (code ${code}) before it was ready:\n${output()}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid, stop };
}

async function waitUntilReady(endpoint: string, timeoutMs: number, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms:\n${output()}`,
            {
              cause: error,
            },
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Keeps the last lines Java wrote (both streams); also drains the pipes so Java never blocks. */
function outputTail(child: ChildProcessWithoutNullStreams, maxChars = 4_000): () => string {
  let tail = '';
  const append = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-maxChars);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  return () => tail.trimEnd() || '(no output)';
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= action();
    return running;
  };
}

const running = new Set<ChildProcessWithoutNullStreams>();
let exitHooksInstalled = false;

function track(child: ChildProcessWithoutNullStreams): void {
  running.add(child);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      // Adding a listener disabled Node's default "terminate"; restore it unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function untrack(child: ChildProcessWithoutNullStreams): void {
  running.delete(child);
}

function killAll(): void {
  for (const child of running) {
    child.kill('SIGTERM');
    child.stdin.destroy();
  }
  running.clear();
}

/**
 * Creates the platform table from the shared schema (both GSIs, TTL on `expiresAt`) and waits until
 * it is ACTIVE.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
    }),
  );
}

async function main(command: string | undefined, argument: string | undefined): Promise<void> {
  switch (command) {
    case 'fetch': {
      const started = Date.now();
      const dir = await ensureDynamoDbLocal();
      console.log(`DynamoDB Local ready in ${dir} (${Date.now() - started} ms)`);
      return;
    }
    case 'check-java': {
      console.log(`Java OK: ${await assertJava()}`);
      return;
    }
    case 'start': {
      const started = Date.now();
      const local = await startDynamoDbLocal(argument ? { port: Number(argument) } : {});
      console.log(
        `DynamoDB Local listening at ${local.endpoint} (${Date.now() - started} ms); Ctrl-C stops it`,
      );
      for (const [name, value] of Object.entries(localAwsEnvironment(local.endpoint))) {
        console.log(`export ${name}=${value}`);
      }
      return;
    }
    default:
      throw new Error('usage: tsx local/dynamodb-local.ts fetch | check-java | start [port]');
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2], process.argv[3]).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
