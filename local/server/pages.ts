/** The sandbox's own HTML pages: the landing page (until the portal replaces it) and the callback. */
import { escapeHtml } from '#shared/mail/render';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}pre{padding:.6rem;overflow-x:auto}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.6rem}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** What the landing page links to. */
export interface LandingPageInput {
  baseUrl: string;
  /** The hosted login of the first app client (a ready-made authorize URL). */
  hostedLoginUrl: string;
}

/** `GET /`: what this is and where to go. */
export function renderLandingPage(input: LandingPageInput): string {
  const base = escapeHtml(input.baseUrl);
  return page(
    'eid-access sandbox',
    `<h1>eid-access sandbox</h1>
<p>The whole platform on this machine: the API, the Cognito login with the real triggers, a local itsme
and a local eIDAS node, the workflows and DynamoDB Local. Nothing here talks to AWS.</p>
<h2>Log in</h2>
<ul>
<li><a href="${escapeHtml(input.hostedLoginUrl)}">Hosted login</a> (itsme or eIDAS with a country picker; the code lands on <code>/auth/callback</code>)</li>
<li>Or without a browser: <code>POST ${base}/local/login</code> with <code>{"provider":"eidas"|"itsme","attributes":{…}}</code></li>
</ul>
<h2>Look around</h2>
<ul>
<li><a href="${base}/local/outbox">Outbox</a>: every e-mail the platform sent, newest first</li>
<li><a href="${base}/openapi.json">OpenAPI document</a> of the API (call it with <code>Authorization: Bearer &lt;idToken&gt;</code>)</li>
</ul>
<p>See docs/sandbox.md for a walkthrough.</p>`,
  );
}

/** `GET /auth/callback`: shows the authorization code the hosted login sent back. */
export function renderCallbackPage(params: URLSearchParams, baseUrl: string): string {
  const error = params.get('error');
  if (error) {
    return page(
      'Login refused',
      `<h1>Login refused</h1><p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(params.get('error_description') ?? '')}</p>`,
    );
  }
  const code = escapeHtml(params.get('code') ?? '');
  return page(
    'Logged in',
    `<h1>Logged in</h1>
<p>Authorization code: <code>${code}</code> (valid 5 minutes, single use). Exchange it with the PKCE verifier you
generated:</p>
<pre>curl -s ${escapeHtml(baseUrl)}/oauth2/token -d grant_type=authorization_code -d client_id=&lt;client id&gt; \\
  -d redirect_uri=&lt;this page's URL without query&gt; -d code=${code} -d code_verifier=&lt;verifier&gt;</pre>`,
  );
}
