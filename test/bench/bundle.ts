/**
 * Builds each function's bundle with esbuild's JS API and the options NodejsFunction would use, into
 * `.cache/bench/<name>/index.mjs` — inside the project, so the externalised AWS SDK resolves from
 * node_modules as Lambda's runtime provides it. Also builds the bare baseline: a handler that only
 * creates a DynamoDB document client.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from './entries.ts';

/** Where bundles are written (ignored by git). */
export const BENCH_DIR = join(PROJECT_ROOT, '.cache', 'bench');

/** A built bundle. */
export interface BuiltBundle {
  name: string;
  /** Absolute path of `index.mjs`. */
  file: string;
  /** Bytes of `index.mjs` (minified, source map excluded). */
  bytes: number;
  /** Bytes of output per package (`zod`, `uqr`, `(project) lambdas/shared`…), largest first. */
  packages: { name: string; bytes: number }[];
}

/** The bundle directory name of a function (`Bis/Api` → `bis-api`). */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
}

/** The package an input of the metafile belongs to. */
export function packageOf(input: string): string {
  const nodeModules = input.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const rest = input.slice(nodeModules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
  }
  const parts = input.split('/');
  return `(project) ${parts.slice(0, Math.min(2, parts.length - 1)).join('/')}`;
}

function packagesOf(metafile: Metafile): BuiltBundle['packages'] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Bundles `entry` with `options` into `.cache/bench/<slug(name)>/index.mjs`. */
export async function bundle(name: string, entry: string, options: BuildOptions): Promise<BuiltBundle> {
  const dir = join(BENCH_DIR, slug(name));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const result = await build({
    ...options,
    entryPoints: [entry],
    outfile: file,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(result.metafile));
  return { name, file, bytes: statSync(file).size, packages: packagesOf(result.metafile) };
}

/** The baseline: only `@aws-sdk/lib-dynamodb` + `client-dynamodb` and a document client. */
export const BARE_HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => ({ ready: documentClient !== undefined });
`;

/** Bundles {@link BARE_HANDLER} with the functions' options. */
export async function bundleBare(options: BuildOptions): Promise<BuiltBundle> {
  const dir = join(BENCH_DIR, 'bare-source');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'bare-handler.mjs');
  writeFileSync(entry, BARE_HANDLER);
  return bundle('bare', entry, options);
}

/**
 * The reference the wallet bridge is measured against (issue 17 prefers a certified OpenID provider
 * library): panva's `oidc-provider` configured as the bridge would be — one client, an RS256 key,
 * cookie keys — with the same document client a DynamoDB adapter needs, bundled with the functions'
 * options. Not deployed: the bench prints its size and cold import beside the bridge's.
 */
export const OIDC_PROVIDER_REFERENCE = (
  jwk: Record<string, unknown>,
) => `import Provider from 'oidc-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const provider = new Provider('https://bridge.example', {
  clients: [
    {
      client_id: 'cognito',
      client_secret: '${'s'.repeat(40)}',
      redirect_uris: ['https://example.auth.eu-west-1.amazoncognito.com/oauth2/idpresponse'],
    },
  ],
  jwks: { keys: [${JSON.stringify({ ...jwk, kid: 'reference', alg: 'RS256', use: 'sig' })}] },
  cookies: { keys: ['${'c'.repeat(32)}'] },
});

export const handler = async () => ({ ready: typeof provider.callback === 'function' && documentClient !== undefined });
`;

/** Bundles {@link OIDC_PROVIDER_REFERENCE} with the functions' options. */
export async function bundleOidcProviderReference(options: BuildOptions): Promise<BuiltBundle> {
  const dir = join(BENCH_DIR, 'oidc-provider-reference-source');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.mjs');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(
    entry,
    OIDC_PROVIDER_REFERENCE(privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
  );
  return bundle('oidc-provider (reference)', entry, options);
}
