/**
 * Start-up: fetch the runtime configuration, pick the language (stored choice, else the browser's),
 * restore the session and render. A missing configuration is shown, not swallowed.
 */
import { render } from 'preact';
import { App, storedLanguage } from './app.tsx';
import { Session } from './auth/session.ts';
import { parseConfig } from './config.ts';
import { isLanguage, pickLanguage } from './i18n/i18n.ts';
import './styles.css';

async function start(root: HTMLElement): Promise<void> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = parseConfig(await response.json());
  const stored = storedLanguage();
  const initialLanguage =
    isLanguage(stored) && config.languages.includes(stored)
      ? stored
      : pickLanguage(navigator.languages, config.languages);
  const session = new Session(config);
  root.replaceChildren();
  render(<App config={config} session={session} initialLanguage={initialLanguage} />, root);
}

const root = document.getElementById('app');
if (root) {
  start(root).catch((error: unknown) => {
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = `The portal cannot start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
  });
}
