/**
 * The local test wallet's page (`GET /local/eudi/wallet?request=<openid4vp link>`): the sandbox's
 * stand-in for a wallet app that the phone opens with the bridge's same-device link. The person
 * describes the PID the local PID provider issues to the wallet and shares it, or declines; the
 * wallet then answers the bridge's request (see `TestWallet`) and sends the browser on to the
 * bridge's `redirect_uri`, as a same-device wallet does. Plain HTML form, labelled fields, no script.
 */
import { escapeHtml } from '../identity-providers/itsme/interaction-page.ts';

/** The PID claims the form asks for (SD-JWT VC claim names as field names). */
export const WALLET_PID_FIELDS = [
  { name: 'given_name', label: 'Given names', autocomplete: 'given-name' },
  { name: 'family_name', label: 'Family name', autocomplete: 'family-name' },
  { name: 'birthdate', label: 'Birth date (YYYY-MM-DD)', autocomplete: 'bday' },
  { name: 'nationalities', label: 'Nationality (ISO code)', autocomplete: 'off' },
  { name: 'issuing_country', label: 'Issuing country (ISO code)', autocomplete: 'off' },
  {
    name: 'personal_administrative_number',
    label: 'Personal administrative number (for Belgium: the national number)',
    autocomplete: 'off',
  },
] as const;

/** What the page shows. */
export interface WalletPageInput {
  /** Where the form posts. */
  action: string;
  /** The `openid4vp://` link the wallet was opened with. */
  request: string;
  /** Who asks (the verifier certificate's name and the client id, from the checked request object). */
  verifier?: { name: string; clientId: string };
  /** The claims the request asks for. */
  requested?: readonly string[];
  /** A problem with the request or the previous submission. */
  error?: string;
}

/** The wallet page. Every value shown is escaped. */
export function renderWalletPage(input: WalletPageInput): string {
  const fields = WALLET_PID_FIELDS.map(
    (field) =>
      `<p><label for="f-${field.name}">${escapeHtml(field.label)}</label><br>` +
      `<input id="f-${field.name}" name="${field.name}" autocomplete="${field.autocomplete}"></p>`,
  ).join('');
  const who = input.verifier
    ? `<p><strong>${escapeHtml(input.verifier.name)}</strong> (<code>${escapeHtml(input.verifier.clientId)}</code>) asks for your PID: ${(
        input.requested ?? []
      )
        .map((claim) => `<code>${escapeHtml(claim)}</code>`)
        .join(', ')}.</p>`
    : '';
  const body = `
<main>
  <h1>EU Digital Identity Wallet (local test)</h1>
  <p class="note">This is the sandbox's stand-in for a wallet app: the local PID provider issues the PID you describe, and the wallet shares it.</p>
  ${input.error ? `<p role="alert" class="error">${escapeHtml(input.error)}</p>` : ''}
  ${who}
  <form method="post" action="${escapeHtml(input.action)}">
    <input type="hidden" name="request" value="${escapeHtml(input.request)}">
    <fieldset>
      <legend>Your PID (person identification data)</legend>
      ${fields}
    </fieldset>
    <fieldset>
      <legend>Format of the PID</legend>
      <p><input type="radio" id="format-sd-jwt" name="format" value="dc+sd-jwt" checked> <label for="format-sd-jwt">SD-JWT VC (<code>urn:eudi:pid:1</code>)</label></p>
      <p><input type="radio" id="format-mdoc" name="format" value="mso_mdoc"> <label for="format-mdoc">ISO mdoc (<code>eu.europa.ec.eudi.pid.1</code>)</label></p>
    </fieldset>
    <p><button type="submit" name="decision" value="share">Share my PID</button></p>
    <p><button type="submit" name="decision" value="decline">Decline</button></p>
  </form>
</main>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>EU Digital Identity Wallet (local test)</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
  input:not([type='radio']) { width: 100%; padding: .4rem; font-size: 1rem; box-sizing: border-box; }
  button { padding: .5rem 1rem; font-size: 1rem; }
  :focus-visible { outline: 3px solid #ff4612; outline-offset: 2px; }
  .error { color: #a00; font-weight: bold; }
  .note { background: #eef2ff; padding: .5rem .75rem; border-left: 4px solid #1d4ed8; }
</style>
</head>
<body>${body}
</body>
</html>`;
}
