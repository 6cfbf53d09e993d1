import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Global setup of the `e2e` project: the browser tests need Debian's Chromium. `npm test` on a fresh
 * machine installs it (with apt-get, as root or through sudo) instead of failing; elsewhere — a
 * machine without apt-get — the error says what to install.
 */
export default function setup(): void {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(executable)) return;
  const script = fileURLToPath(new URL('./install-chromium.sh', import.meta.url));
  try {
    execFileSync('bash', [script], { stdio: 'inherit', timeout: 600_000 });
  } catch (error) {
    throw new Error(
      `The browser tests need Chromium at ${executable}, and installing it failed. Install Chromium ` +
        '(Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.',
      { cause: error },
    );
  }
}
