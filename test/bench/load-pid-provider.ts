/**
 * Operator command before a load run with wallet logins on a deployed (non-production) stage: a test
 * PID provider — a root certificate and an issuer certificate under it, P-256 — whose PIDs the load
 * test's wallet presents (artillery/wallet-login.ts). The stage trusts it once its root is added to
 * the stage's trust anchors secret (`walletBridge.trustAnchorsSecretName`); production never does:
 * the root's subject says `NOT FOR PRODUCTION`, and a production stage's verifier refuses trust
 * anchors that say so.
 *
 *   npm run load:pid-provider -- --out pid-provider.json --anchor pid-provider-root.pem
 *
 * `--out` holds the private keys (written 0600, never committed: whoever has it can log in to the
 * stage as any synthetic person); `--anchor` the root certificate to append to the trust anchors.
 * The sandbox trusts it too with `SANDBOX_PID_TRUST_ANCHORS=pid-provider-root.pem npm start`.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createLoadPidProvider } from './artillery/pid-provider-file.ts';

const USAGE = 'Usage: npm run load:pid-provider -- --out <pid-provider.json> --anchor <root.pem>';

/** The command line: returns the exit code. */
export async function main(
  argv: readonly string[],
  out: (line: string) => void = (line) => console.log(line),
  write: (path: string, text: string, mode: number) => Promise<void> = (path, text, mode) =>
    writeFile(path, text, { mode, flag: 'wx' }),
): Promise<number> {
  let values: { out?: string; anchor?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, anchor: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.out || !values.anchor) {
    out(USAGE);
    return 2;
  }
  const provider = createLoadPidProvider();
  try {
    await write(values.out, `${JSON.stringify(provider, null, 2)}\n`, 0o600);
    await write(values.anchor, provider.root.certificatePem, 0o644);
  } catch (error) {
    out(`${(error as Error).message} (the command never overwrites a file)`);
    return 1;
  }
  out(
    `Test PID provider in ${values.out} (private keys: keep it out of git, delete it after the campaign); ` +
      `its root in ${values.anchor}: append it to the trust anchors secret of a non-production stage.`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
