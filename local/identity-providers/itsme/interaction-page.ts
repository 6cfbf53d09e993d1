/**
 * The local itsme's only page: pick a registered test account or describe a new test identity, and
 * approve. No passwords: the sandbox tests the platform, not itsme. Plain HTML forms, labelled fields
 * and no script, so it works with a keyboard, a screen reader and a headless browser alike.
 */
import type { ItsmeAccount } from './accounts.ts';
import { BE_NATIONAL_NUMBER_CLAIM } from './claims.ts';

/** Form field names of the new-identity form (itsme claim names, address flattened). */
export const IDENTITY_FIELDS = [
  { name: 'national_number', label: 'National number (11 digits)', autocomplete: 'off' },
  { name: 'given_name', label: 'Given names', autocomplete: 'given-name' },
  { name: 'family_name', label: 'Family name', autocomplete: 'family-name' },
  { name: 'birthdate', label: 'Birth date (YYYY-MM-DD)', autocomplete: 'bday' },
  { name: 'gender', label: 'Gender (male, female)', autocomplete: 'sex' },
  { name: 'locale', label: 'Language (nl, fr, de, en)', autocomplete: 'language' },
  { name: 'email', label: 'E-mail', autocomplete: 'email' },
  { name: 'phone_number', label: 'Phone number (E.164)', autocomplete: 'tel' },
  { name: 'street_address', label: 'Street and number', autocomplete: 'street-address' },
  { name: 'postal_code', label: 'Postal code', autocomplete: 'postal-code' },
  { name: 'locality', label: 'Municipality', autocomplete: 'address-level2' },
  { name: 'country', label: 'Country (ISO code)', autocomplete: 'country' },
  { name: 'sub', label: 'itsme subject (optional; a new one re-creates the account)', autocomplete: 'off' },
] as const;

/** A person of the sandbox's seeded person register, offered as a ready-made test login. */
export interface SeededPerson {
  nationalNumber: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  /** Names of the seeded companies this person legally represents. */
  companies: readonly string[];
}

export interface InteractionPageInput {
  /** Where the forms post: `<issuer>/interaction/<uid>`. */
  action: string;
  /** The relying party's client id, shown to say who asks. */
  clientId: string;
  scopes: string[];
  accounts: readonly ItsmeAccount[];
  /** The seeded register's people: one button each logs in as them. */
  seededPeople?: readonly SeededPerson[];
  /** A problem with the previous submission, shown above the forms. */
  error?: string;
}

/** The interaction page. Every value shown is escaped. */
export function renderInteractionPage(input: InteractionPageInput): string {
  const accounts = input.accounts.length
    ? `<ul>${input.accounts.map((account) => accountItem(input.action, account)).join('')}</ul>`
    : '<p>No test accounts yet. Describe one below.</p>';
  const fields = IDENTITY_FIELDS.map(
    (field) =>
      `<p><label for="f-${field.name}">${escapeHtml(field.label)}</label><br>` +
      `<input id="f-${field.name}" name="${field.name}" autocomplete="${field.autocomplete}"></p>`,
  ).join('');
  const seeded = input.seededPeople ?? [];
  const body = `
<main>
  <h1>itsme (local test)</h1>
  <p class="note">This is the sandbox's stand-in for itsme: no app, no PIN. Choose who you are.</p>
  <p>The application <strong>${escapeHtml(input.clientId)}</strong> asks for:
    ${input.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ')}.</p>
  ${input.error ? `<p role="alert" class="error">${escapeHtml(input.error)}</p>` : ''}
  ${
    seeded.length > 0
      ? `<section aria-labelledby="seeded-heading">
    <h2 id="seeded-heading">Seeded test people</h2>
    <p>People of the sandbox's person register (local/seed/persons.json), with the companies the company register lists them for.</p>
    <ul class="people">${seeded.map((person) => seededItem(input.action, person)).join('')}</ul>
  </section>`
      : ''
  }
  <section aria-labelledby="accounts-heading">
    <h2 id="accounts-heading">Log in with a test account</h2>
    ${accounts}
  </section>
  <section aria-labelledby="new-heading">
    <h2 id="new-heading">Or a new test identity</h2>
    <form method="post" action="${escapeHtml(`${input.action}/login`)}">
      <input type="hidden" name="action" value="new">
      <fieldset>
        <legend>Identity claims (itsme shares these with the application)</legend>
        ${fields}
      </fieldset>
      ${acrChoice()}
      <p><button type="submit">Approve</button></p>
    </form>
  </section>
  <form method="post" action="${escapeHtml(`${input.action}/abort`)}">
    <p><button type="submit">Cancel login</button></p>
  </form>
</main>`;
  return page('itsme (local test)', body);
}

/** A page for an interaction that cannot go on (expired, unknown, wrong request). */
export function renderProblemPage(message: string): string {
  return page(
    'itsme (local test): cannot continue',
    `<main><h1>itsme (local test)</h1><p role="alert">${escapeHtml(message)}</p></main>`,
  );
}

function accountItem(action: string, account: ItsmeAccount): string {
  const { claims } = account;
  const name = [claims.given_name, claims.family_name].filter(Boolean).join(' ') || 'Unnamed identity';
  const details = [claims[BE_NATIONAL_NUMBER_CLAIM], claims.birthdate].filter(Boolean).join(', ');
  return `<li><form method="post" action="${escapeHtml(`${action}/login`)}">
      <input type="hidden" name="account" value="${escapeHtml(account.sub)}">
      <button type="submit">Approve as ${escapeHtml(name)}${details ? ` (${escapeHtml(details)})` : ''}</button>
    </form></li>`;
}

function seededItem(action: string, person: SeededPerson): string {
  const name = `${person.givenNames} ${person.familyName}`;
  const n = person.nationalNumber;
  const printed = `${n.slice(0, 2)}.${n.slice(2, 4)}.${n.slice(4, 6)}-${n.slice(6, 9)}.${n.slice(9)}`;
  const role = person.companies.length
    ? `Legal representative of ${person.companies.join(', ')}`
    : 'No company in the register';
  const hidden = (field: string, value: string) =>
    `<input type="hidden" name="${field}" value="${escapeHtml(value)}">`;
  return `<li><form method="post" action="${escapeHtml(`${action}/login`)}">
      ${hidden('action', 'new')}${hidden('national_number', n)}${hidden('given_name', person.givenNames)}
      ${hidden('family_name', person.familyName)}${hidden('birthdate', person.birthDate)}
      <button type="submit">Log in as ${escapeHtml(name)}</button>
      <span class="who">${escapeHtml(printed)} · born ${escapeHtml(person.birthDate)} · ${escapeHtml(role)}</span>
    </form></li>`;
}

function acrChoice(): string {
  return `<fieldset>
        <legend>Confirmation level</legend>
        <p><input type="radio" id="acr-basic" name="acr" value="basic" checked>
          <label for="acr-basic">Basic (confirm in the app)</label></p>
        <p><input type="radio" id="acr-advanced" name="acr" value="advanced">
          <label for="acr-advanced">Advanced (itsme code)</label></p>
      </fieldset>`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
  input:not([type="radio"]) { width: 100%; padding: .4rem; font-size: 1rem; }
  button { padding: .5rem 1rem; font-size: 1rem; }
  :focus-visible { outline: 3px solid #ff4612; outline-offset: 2px; }
  .error { color: #a00; font-weight: bold; }
  ul { list-style: none; padding: 0; }
  .people li { margin-bottom: .75rem; }
  .who { display: block; color: #444; font-size: .9rem; }
  .note { background: #eef2ff; padding: .5rem .75rem; border-left: 4px solid #1d4ed8; }
</style>
</head>
<body>${body}
</body>
</html>`;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
