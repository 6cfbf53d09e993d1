/**
 * HTML of the local managed login: the provider choice and the error page Cognito shows when it cannot
 * redirect back to the application. Plain server-rendered HTML with real buttons, a main landmark and
 * headings, so keyboard and screen-reader users (and Playwright's role queries) can use it.
 */

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
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fb;color:#1b1f2a}
header{background:#1b1f2a;color:#fff;padding:1rem 1.5rem}
header p{margin:.25rem 0 0;color:#c5cbe0}
main{max-width:32rem;margin:2rem auto;padding:0 1rem}
.providers{display:grid;gap:.75rem;margin:1.5rem 0}
.providers button{font:inherit;font-size:1.1rem;padding:.9rem 1rem;border-radius:.5rem;border:2px solid #1b1f2a;background:#fff;cursor:pointer;text-align:left}
.providers button:hover,.providers button:focus{outline:3px solid #ffcc00;outline-offset:2px}
.providers .hint{display:block;font-size:.9rem;color:#4a5068}
[role=alert]{border-left:4px solid #a00000;background:#fff;padding:.75rem 1rem}
code{background:#e8ebf5;padding:0 .2rem;border-radius:.2rem}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Local sign-in (sandbox)</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>Local sign-in</strong><p>Sandbox user pool – not Amazon Cognito, no real identities</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

/** A provider button of the login page. */
export interface ProviderChoice {
  /** The `identity_provider` value, e.g. `itsme`. */
  name: string;
  label: string;
  hint: string;
}

/**
 * The provider choice: one form that repeats the authorization request with `identity_provider`
 * set by the pressed button, as Cognito's managed login links do.
 */
export function renderLoginPage(input: {
  action: string;
  clientName: string;
  params: Record<string, string>;
  providers: readonly ProviderChoice[];
}): string {
  const hidden = Object.entries(input.params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const buttons = input.providers
    .map(
      (provider) =>
        `<button type="submit" name="identity_provider" value="${escapeHtml(provider.name)}">` +
        `${escapeHtml(provider.label)}<span class="hint">${escapeHtml(provider.hint)}</span></button>`,
    )
    .join('\n');
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(input.clientName)}</h1>
<p>Choose how you want to prove who you are.</p>
<form method="get" action="${escapeHtml(input.action)}">
${hidden}
<div class="providers" role="group" aria-label="Identity providers">
${buttons}
</div>
</form>`,
  );
}

/** Cognito's page for requests it cannot send back to the application (unknown client, redirect URI...). */
export function renderErrorPage(input: { error: string; description: string }): string {
  return page(
    'Error',
    `<h1>An error was encountered with the requested page.</h1>
<div role="alert">
<p><strong>${escapeHtml(input.description)}</strong></p>
<p>Error code: <code>${escapeHtml(input.error)}</code></p>
</div>
<p>Go back to the application and start the sign-in again.</p>`,
  );
}
