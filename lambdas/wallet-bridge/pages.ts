/**
 * The bridge's authorization page: phone-first, in the person's language, with the same-device link
 * (`openid4vp://`), a QR code of the same link for a wallet on another device, and a status line
 * (`aria-live`) that follows the transaction until the wallet has answered, and the browser's own
 * wallet (W3C Digital Credentials API) where the browser has one (page-script.ts). Without JavaScript
 * the "I have answered" button completes the login. No external resources (CSP `default-src 'none'`).
 */
import { renderSVG } from 'uqr';
import { type Locale, PAGE_TEXT } from './messages.ts';
import { DIGITAL_CREDENTIALS_PROTOCOL, renderPageScript } from './page-script.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fb;color:#1b1f2a;font-size:1.05rem}
main{max-width:30rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.4rem}
a.wallet,button{display:block;width:100%;box-sizing:border-box;font:inherit;font-size:1.1rem;padding:.9rem 1rem;border-radius:.5rem;border:2px solid #003399;background:#003399;color:#fff;text-align:center;text-decoration:none;cursor:pointer;margin:.75rem 0}
button.secondary{background:#fff;color:#003399}
button[hidden]{display:none}
a.wallet:focus,button:focus{outline:3px solid #ffcc00;outline-offset:2px}
figure{margin:1rem 0;text-align:center}
figure svg{width:min(18rem,80vw);height:auto;background:#fff;padding:.5rem}
[role=status]{padding:.75rem 0}
[role=alert]{border-left:4px solid #a00000;background:#fff;padding:.75rem 1rem}
nav a{margin-right:.75rem}
`;

/** Content-Security-Policy of the pages: inline script and style of this page only. */
export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** The language links (the same page in the other languages) and the page's heading. */
function pageHeading(
  page: { basePath: string; transactionId: string; locale: Locale },
  heading: string,
): string {
  const tx = encodeURIComponent(page.transactionId);
  const links = (['nl', 'fr', 'en', 'de'] as const)
    .filter((locale) => locale !== page.locale)
    .map(
      (locale) =>
        `<a href="${escapeHtml(`${page.basePath}authorize/${tx}?ui_locales=${locale}`)}" lang="${locale}" hreflang="${locale}">${locale.toUpperCase()}</a>`,
    )
    .join('');
  return `<nav aria-label="Language">${links}</nav>\n<h1>${escapeHtml(heading)}</h1>`;
}

function layout(locale: Locale, title: string, cspNonce: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${cspNonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

/** What the authorization page shows. */
export interface AuthorizationPageInput {
  locale: Locale;
  transactionId: string;
  /** `openid4vp://?client_id=…&request_uri=…` */
  walletLink: string;
  /** Path prefix of the bridge's endpoints, e.g. `/` or `/local/eudi/bridge/`. */
  basePath: string;
  cspNonce: string;
  /**
   * The sandbox's test wallet page: a link to it with the same request (`?request=<link>`), for a
   * browser without a wallet app. Never set outside the sandbox.
   */
  testWalletUrl?: string;
}

/** The authorization page. */
export function renderAuthorizationPage(input: AuthorizationPageInput): string {
  const text = PAGE_TEXT[input.locale];
  const qr = renderSVG(input.walletLink, { ecc: 'M', border: 2 }).replace(
    '<svg ',
    `<svg role="img" aria-label="${escapeHtml(text.qrAlt)}" `,
  );
  const tx = encodeURIComponent(input.transactionId);
  return layout(
    input.locale,
    text.title,
    input.cspNonce,
    `${pageHeading(input, text.title)}
<p>${escapeHtml(text.intro)}</p>
<button type="button" id="browser-wallet" hidden>${escapeHtml(text.digitalCredentials)}</button>
<a class="wallet" id="same-device" href="${escapeHtml(input.walletLink)}">${escapeHtml(text.sameDevice)}</a>
${
  input.testWalletUrl
    ? `<p lang="en"><a id="test-wallet" href="${escapeHtml(`${input.testWalletUrl}?${new URLSearchParams({ request: input.walletLink })}`)}">Sandbox: open the local test wallet with this request</a></p>\n`
    : ''
}<p>${escapeHtml(text.qrHint)}</p>
<figure>${qr}</figure>
<p role="status" aria-live="polite" id="status">${escapeHtml(text.waiting)}</p>
<form method="get" action="${escapeHtml(`${input.basePath}complete`)}">
<input type="hidden" name="tx" value="${escapeHtml(input.transactionId)}">
<button class="secondary" type="submit">${escapeHtml(text.done)}</button>
</form>
<p>${escapeHtml(text.otherWays)}</p>
<script nonce="${input.cspNonce}">${renderPageScript({
      status: `${input.basePath}status/${tx}`,
      complete: `${input.basePath}complete?tx=${tx}`,
      refused: `${input.basePath}authorize/${tx}?ui_locales=${input.locale}`,
      digitalRequest: `${input.basePath}request/${tx}?response_mode=dc_api.jwt`,
      digitalResponse: `${input.basePath}response/${tx}`,
      protocol: DIGITAL_CREDENTIALS_PROTOCOL,
      digitalFailed: text.digitalCredentialsFailed,
      pollMs: 1500,
    })}
</script>`,
  );
}

/**
 * The page of a refused presentation (`GET /authorize/{tx}` once the wallet's answer was refused):
 * the reason in the person's language, other languages one link away, and the way back to the
 * application (`/complete`, which tells Cognito why).
 */
export function renderRefusalPage(input: {
  locale: Locale;
  transactionId: string;
  message: string;
  basePath: string;
  cspNonce: string;
}): string {
  const text = PAGE_TEXT[input.locale];
  const tx = encodeURIComponent(input.transactionId);
  return layout(
    input.locale,
    text.refused,
    input.cspNonce,
    `${pageHeading(input, text.refused)}
<p role="alert" id="refusal">${escapeHtml(input.message)}</p>
<a class="wallet" id="continue" href="${escapeHtml(`${input.basePath}complete?tx=${tx}`)}">${escapeHtml(text.continue)}</a>
<p>${escapeHtml(text.otherWays)}</p>`,
  );
}

/** The page shown when the bridge cannot send the person back to the application. */
export function renderErrorPage(locale: Locale, message: string, cspNonce: string): string {
  return layout(
    locale,
    PAGE_TEXT[locale].title,
    cspNonce,
    `<h1>${escapeHtml(PAGE_TEXT[locale].title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>`,
  );
}
