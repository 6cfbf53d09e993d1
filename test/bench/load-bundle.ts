/**
 * `npm run load:bundle`: the load test's wallet login (artillery/wallet-login.ts and what it imports:
 * the test wallet, jose, @sd-jwt) as one CommonJS file without dependencies,
 * `test/bench/artillery/dist/wallet-login.cjs`, which processor.cjs requires — so that
 * `artillery run-fargate` ships it as it is. Run it before a load run with wallet logins.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './entries.ts';

/** Where the bundle is written (ignored by git). */
export const WALLET_LOGIN_BUNDLE = join(
  PROJECT_ROOT,
  'test',
  'bench',
  'artillery',
  'dist',
  'wallet-login.cjs',
);

/** Builds the bundle; its size in bytes. */
export async function buildWalletLoginBundle(outfile = WALLET_LOGIN_BUNDLE): Promise<number> {
  await build({
    entryPoints: [join(PROJECT_ROOT, 'test', 'bench', 'artillery', 'wallet-login.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
  });
  return statSync(outfile).size;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bytes = await buildWalletLoginBundle();
  console.log(`${WALLET_LOGIN_BUNDLE} (${(bytes / 1024).toFixed(0)} KB)`);
}
