/**
 * HTML of the local eIDAS node: country picker, test-identity form and the auto-submitting form that
 * carries the SAMLResponse to the SP (HTTP-POST binding), as real eIDAS nodes do. Plain server-rendered
 * HTML with labelled controls, fieldsets and an error summary, so keyboard and screen-reader users
 * (and Playwright's role queries) can drive it.
 */
import { type EidasCountry, EU_MEMBER_STATES } from './countries.ts';
import { EIDAS_LOA_LEVELS, escapeXml as escapeHtml } from './test-identity.ts';

/** Hidden form fields carried from page to page. */
export type HiddenFields = Record<string, string>;

/** What the identity form holds (all strings, as posted). */
export interface IdentityFormValues {
  identifier?: string;
  givenNames?: string;
  givenNamesOriginal?: string;
  familyName?: string;
  familyNameOriginal?: string;
  birthDate?: string;
  gender?: string;
  nationality?: string;
  loa?: string;
  street?: string;
  houseNumber?: string;
  postCode?: string;
  city?: string;
  addressCountry?: string;
}

/** A problem with one field of the identity form. */
export interface FormProblem {
  field: keyof IdentityFormValues;
  message: string;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fb;color:#1b1f2a}
header{background:#003399;color:#fff;padding:1rem 1.5rem}
header p{margin:.25rem 0 0;color:#ffcc00}
main{max-width:52rem;margin:1.5rem auto;padding:0 1rem}
fieldset{border:1px solid #c5cbe0;border-radius:.5rem;margin:0 0 1rem;padding:1rem;background:#fff}
legend{font-weight:600;padding:0 .25rem}
.countries{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem}
.countries button{font:inherit;text-align:left;padding:.6rem;border:1px solid #c5cbe0;border-radius:.4rem;background:#fff;cursor:pointer}
.countries button:hover,.countries button:focus{border-color:#003399;outline:2px solid #ffcc00}
.field{margin:0 0 .8rem}.field label{display:block;font-weight:500;margin-bottom:.2rem}
.field input,.field select{font:inherit;padding:.4rem;width:100%;max-width:26rem;box-sizing:border-box}
.hint{display:block;color:#4a5068;font-size:.9rem}
.error,[role=alert]{color:#a00000}
.submit{font:inherit;padding:.6rem 1.2rem;background:#003399;color:#fff;border:0;border-radius:.4rem;cursor:pointer}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Local eIDAS node</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>Local eIDAS node</strong><p>Sandbox only – no real identities, nothing leaves this machine.</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

function hiddenInputs(hidden: HiddenFields): string {
  return Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

/** Step 1: the member state whose eID the tester uses. */
export function renderCountryPicker(options: { action: string; hidden: HiddenFields }): string {
  const buttons = EU_MEMBER_STATES.map(
    (country) =>
      `<button type="submit" name="country" value="${country.code}"><span aria-hidden="true">${country.flag}</span> ${escapeHtml(country.name)}</button>`,
  ).join('\n');
  return page(
    'Choose your country',
    `<h1>Choose the country of your eID</h1>
<p>You are logging in with a European eID (eIDAS). Choose the member state that issued it.</p>
<form method="post" action="${escapeHtml(options.action)}">
${hiddenInputs(options.hidden)}
<fieldset>
<legend>Country of your eID</legend>
<div class="countries">
${buttons}
</div>
</fieldset>
</form>`,
  );
}

interface FieldSpec {
  name: keyof IdentityFormValues;
  label: string;
  hint?: string;
  type?: 'text' | 'date';
  required?: boolean;
  autocomplete?: string;
  lang?: string;
}

function textField(spec: FieldSpec, values: IdentityFormValues, problems: readonly FormProblem[]): string {
  const problem = problems.find((candidate) => candidate.field === spec.name);
  const id = `field-${spec.name}`;
  const describedBy = [spec.hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  return `<div class="field">
<label for="${id}">${escapeHtml(spec.label)}${spec.required ? '' : ' (optional)'}</label>
${spec.hint ? `<span class="hint" id="${id}-hint">${escapeHtml(spec.hint)}</span>` : ''}
${problem ? `<span class="error" id="${id}-error">${escapeHtml(problem.message)}</span>` : ''}
<input id="${id}" name="${spec.name}" type="${spec.type ?? 'text'}" value="${escapeHtml(values[spec.name] ?? '')}"${
    spec.required ? ' required aria-required="true"' : ''
  }${problem ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}${
    spec.autocomplete ? ` autocomplete="${spec.autocomplete}"` : ''
  }${spec.lang ? ` lang="${spec.lang}"` : ''}>
</div>`;
}

function selectField(
  name: keyof IdentityFormValues,
  label: string,
  options: readonly (readonly [value: string, text: string])[],
  selected: string | undefined,
): string {
  const id = `field-${name}`;
  const items = options
    .map(
      ([value, text]) =>
        `<option value="${escapeHtml(value)}"${value === (selected ?? '') ? ' selected' : ''}>${escapeHtml(text)}</option>`,
    )
    .join('');
  return `<div class="field"><label for="${id}">${escapeHtml(label)}</label><select id="${id}" name="${name}">${items}</select></div>`;
}

/** Step 2: the test identity the node will assert. */
export function renderIdentityForm(options: {
  action: string;
  country: EidasCountry;
  hidden: HiddenFields;
  values: IdentityFormValues;
  problems?: readonly FormProblem[];
}): string {
  const { country, values } = options;
  const problems = options.problems ?? [];
  const field = (spec: FieldSpec) => textField(spec, values, problems);
  const summary =
    problems.length === 0
      ? ''
      : `<div role="alert" tabindex="-1"><h2>Please correct the form</h2><ul>${problems
          .map((problem) => `<li><a href="#field-${problem.field}">${escapeHtml(problem.message)}</a></li>`)
          .join('')}</ul></div>`;
  const countries = EU_MEMBER_STATES.map((candidate) => [candidate.iso, candidate.name] as const);
  return page(
    `Test identity – ${country.name}`,
    `<h1><span aria-hidden="true">${country.flag}</span> Test identity from ${escapeHtml(country.name)}</h1>
${summary}
<p>Your PersonIdentifier will be <code>${escapeHtml(country.code)}/BE/&lt;identifier&gt;</code>.</p>
<form method="post" action="${escapeHtml(options.action)}" novalidate>
${hiddenInputs(options.hidden)}
<fieldset>
<legend>Identity</legend>
${field({ name: 'identifier', label: 'National identifier', hint: 'Leave empty to generate one.' })}
${field({ name: 'givenNames', label: 'Given names (Latin script)', required: true, autocomplete: 'given-name' })}
${field({ name: 'givenNamesOriginal', label: 'Given names in the original script', hint: 'For example Ελένη or Олена; sent as a second value.' })}
${field({ name: 'familyName', label: 'Family name (Latin script)', required: true, autocomplete: 'family-name' })}
${field({ name: 'familyNameOriginal', label: 'Family name in the original script' })}
${field({ name: 'birthDate', label: 'Birth date', type: 'date', required: true, hint: 'YYYY-MM-DD', autocomplete: 'bday' })}
${selectField(
  'gender',
  'Gender',
  [
    ['', 'Not sent'],
    ['Female', 'Female'],
    ['Male', 'Male'],
    ['Unspecified', 'Unspecified'],
  ],
  values.gender,
)}
${selectField('nationality', 'Nationality', [['', 'Not sent'], ...countries], values.nationality)}
</fieldset>
<fieldset>
<legend>Authentication</legend>
${selectField(
  'loa',
  'Level of assurance',
  [['', 'Not sent'], ...EIDAS_LOA_LEVELS.map((level) => [level, level] as const)],
  values.loa,
)}
</fieldset>
<fieldset>
<legend>Current address (optional)</legend>
${field({ name: 'street', label: 'Street', autocomplete: 'address-line1' })}
${field({ name: 'houseNumber', label: 'House number' })}
${field({ name: 'postCode', label: 'Postal code', autocomplete: 'postal-code' })}
${field({ name: 'city', label: 'City', autocomplete: 'address-level2' })}
${field({ name: 'addressCountry', label: 'Country code', hint: 'Two letters, e.g. DE' })}
</fieldset>
<button class="submit" type="submit">Log in</button>
</form>`,
  );
}

/** Step 3: posts the SAMLResponse to the SP; the button is there for when scripts do not run. */
export function renderAutoSubmit(options: {
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
}): string {
  const relayState =
    options.relayState === undefined
      ? ''
      : `<input type="hidden" name="RelayState" value="${escapeHtml(options.relayState)}">`;
  return page(
    'Returning to the service',
    `<h1>Returning to the service</h1>
<form method="post" action="${escapeHtml(options.acsUrl)}" id="saml-response">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(options.samlResponse)}">
${relayState}
<noscript><p>Scripts are off: press the button to continue.</p></noscript>
<button class="submit" type="submit">Continue</button>
</form>
<script>document.getElementById('saml-response').submit();</script>`,
  );
}

/** An error page a person can act on. */
export function renderError(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>`);
}
