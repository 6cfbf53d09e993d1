import { describe, expect, it } from 'vitest';
import { LOCALES, resolveLocale } from '#shared/locale';
import {
  escapeHtml,
  MissingTemplateVariableError,
  mailTemplates,
  renderTemplate,
  sesTemplateParts,
} from '#shared/mail/render';
import {
  MAX_TEMPLATE_NAME_LENGTH,
  sesTemplateName,
  TEMPLATE_IDS,
  type TemplateData,
  type TemplateId,
} from '#shared/mail/templates';

/** Data for any template: each variable gets a recognisable value. */
function sampleData<T extends TemplateId>(id: T): TemplateData<T> {
  return Object.fromEntries(
    mailTemplates[id].variables.map((name) => [name, `value-of-${name}`]),
  ) as TemplateData<T>;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\{?\s*([A-Za-z0-9]+)\s*\}?\}\}/g)].map((match) => match[1] ?? '');
}

const cases = TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => ({ id, locale })));

describe('mail templates', () => {
  it('defines every template the platform needs when listed', () => {
    // Prepare / Act
    const ids = [...TEMPLATE_IDS].sort();

    // Assess
    expect(ids).toEqual(
      [
        'bis-review-requested',
        'bis-submitted',
        'bis-correction-requested',
        'bis-approved',
        'bis-rejected',
        'bis-expired',
        'bis-failed',
        'organisation-claimed',
        'foreign-registration-review-requested',
        'foreign-registration-org-exists',
        'foreign-registration-org-lookalike',
        'representative-lapsed',
        'organisation-case-opened',
        'foreign-registration-approved',
        'foreign-registration-rejected',
        'foreign-registration-expired',
        'foreign-registration-failed',
        'right-request-review-requested',
        'right-request-approved',
        'right-request-denied',
        'right-request-expired',
        'right-request-failed',
        'grant-expiring',
        'grant-expired',
        'native-account-activation',
        'native-code-card',
        'identity-insz-linked',
        'identity-identity-linked',
        'identity-identities-joined',
        'identity-join-refused',
        'identity-insz-suspended',
        'identity-suspension-resolved',
        'identity-office-account-requested',
        'identity-office-account-created',
        'identity-administrator-appointment',
        'identity-membership-registration',
        'identity-role-granted',
        'identity-role-revoked',
        'identity-administrator-removal',
      ].sort(),
    );
    for (const id of TEMPLATE_IDS) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(cases)('has subject, text and html in $locale when rendering $id', ({ id, locale }) => {
    // Prepare
    const parts = mailTemplates[id].locales[locale];

    // Act
    const rendered = renderTemplate(id, locale, sampleData(id));

    // Assess
    expect(parts.subject.trim()).not.toBe('');
    expect(parts.text).toContain('eID Access');
    expect(parts.html).toContain(`<html lang="${locale}">`);
    expect(rendered.locale).toBe(locale);
    for (const part of [rendered.subject, rendered.text, rendered.html]) {
      expect(part).not.toContain('{{');
      expect(part).not.toContain('}}');
    }
  });

  it.each(cases)('uses exactly its declared variables in $locale for $id', ({ id, locale }) => {
    // Prepare
    const { variables } = mailTemplates[id];
    const parts = mailTemplates[id].locales[locale];

    // Act
    const used = new Set([parts.subject, parts.text, parts.html].flatMap(placeholders));
    const rendered = renderTemplate(id, locale, sampleData(id));

    // Assess: nothing undeclared is used, and every declared variable reaches the reader.
    expect([...used].sort()).toEqual([...variables].sort());
    for (const name of variables) {
      expect(rendered.text).toContain(`value-of-${name}`);
      expect(rendered.html).toContain(`value-of-${name}`);
    }
  });

  it.each(TEMPLATE_IDS)('never asks for a token or a national number when defining %s', (id) => {
    // Prepare
    const { variables } = mailTemplates[id];

    // Act
    const suspicious = variables.filter((name) => /token|insz|national|rrn/i.test(name));

    // Assess
    expect(suspicious).toEqual([]);
    if (id !== 'bis-approved') expect(variables).not.toContain('bisNumber');
  });

  it('carries no reviewer-visible personal data when the mail goes to a back-office mailbox', () => {
    // Prepare / Act
    const backOffice: TemplateId[] = ['bis-review-requested', 'foreign-registration-review-requested'];

    // Assess
    for (const id of backOffice) expect(mailTemplates[id].variables).toEqual(['registrationId']);
  });

  it('writes each locale in its own language when comparing the same template', () => {
    // Prepare
    const { locales } = mailTemplates['bis-approved'];

    // Act
    const subjects = new Set(LOCALES.map((locale) => locales[locale].subject));

    // Assess
    expect(subjects.size).toBe(LOCALES.length);
    expect(locales.nl.text).toContain('Met vriendelijke groeten');
    expect(locales.fr.text).toContain('Cordialement');
    expect(locales.de.text).toContain('Mit freundlichen Grüßen');
    expect(locales.en.text).toContain('Kind regards');
  });

  it('shows the BIS number in the approval when rendered', () => {
    // Prepare / Act
    const rendered = renderTemplate('bis-approved', 'nl-BE', {
      registrationId: '01JABCDEF',
      bisNumber: '85.49.30-011.53',
    });

    // Assess
    expect(rendered.text).toContain('Uw BIS-nummer is: 85.49.30-011.53');
    expect(rendered.subject).toBe('Uw BIS-nummer werd toegekend');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['nl-BE', 'nl'],
    ['nl', 'nl'],
    ['fr', 'fr'],
    ['fr-BE', 'fr'],
    ['de_DE', 'de'],
    ['DE-be', 'de'],
    ['en-GB', 'en'],
    [' nl ', 'nl'],
  ])('picks %s as %s when the language is supported', (input, expected) => {
    expect(resolveLocale(input)).toBe(expected);
  });

  it.each([[undefined], [null], [''], ['es-ES'], ['it'], ['nld'], ['-'], ['x-nl']])(
    'falls back to en when given %s',
    (input) => {
      expect(resolveLocale(input)).toBe('en');
    },
  );
});

describe('HTML escaping', () => {
  it('escapes every character Handlebars escapes when escaping a value', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`=</a>`)).toBe(
      '&lt;a href&#x3D;&quot;x&quot; onclick&#x3D;&#x27;y&#x27;&gt;&amp;&#x60;&#x3D;&lt;/a&gt;',
    );
  });

  it('escapes values in the html part only when a value contains markup', () => {
    // Prepare
    const reason = '<script>alert("x")</script> & <b>more</b>';

    // Act
    const rendered = renderTemplate('bis-rejected', 'en', { registrationId: 'R1', reason });

    // Assess
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;',
    );
    expect(rendered.text).toContain(`Reason: ${reason}`);
  });

  it('keeps subject and text raw when a value has an ampersand or apostrophe', () => {
    // Prepare / Act
    const rendered = renderTemplate('organisation-claimed', 'fr', {
      organisationName: "Dupont & Fils l'Ancienne",
      orgCode: '0403019261',
    });

    // Assess
    expect(rendered.subject).toBe("Vous gérez désormais Dupont & Fils l'Ancienne dans eID Access");
    expect(rendered.text).toContain("Dupont & Fils l'Ancienne");
    expect(rendered.html).toContain('Dupont &amp; Fils l&#x27;Ancienne');
  });

  it('does not re-read placeholders when a value itself looks like one', () => {
    // Prepare / Act
    const rendered = renderTemplate('bis-rejected', 'en', {
      registrationId: 'R1',
      reason: '{{registrationId}}',
    });

    // Assess
    expect(rendered.text).toContain('Reason: {{registrationId}}');
  });

  it('escapes the static text of the html part when it contains an apostrophe', () => {
    // Prepare
    const html = mailTemplates['bis-expired'].locales.fr.html;

    // Assess: static text is valid HTML text; only & < > need escaping there.
    expect(html).toContain("n'a pas pu être finalisée");
    expect(html).not.toMatch(/&(?![a-z]+;|#x?[0-9A-F]+;)/i);
  });
});

describe('SES template parts', () => {
  it('uses raw placeholders in subject and text and escaped ones in html when exported for SES', () => {
    // Prepare / Act
    const parts = sesTemplateParts('bis-rejected', 'de');

    // Assess
    expect(parts.textPart).toContain('Begründung: {{{reason}}}');
    expect(parts.textPart).not.toMatch(/(^|[^{])\{\{[a-z]/i);
    expect(parts.htmlPart).toContain('Begründung: {{reason}}');
    expect(parts.htmlPart).not.toContain('{{{');
    expect(parts.subjectPart).toBe('Ihr Antrag auf eine BIS-Nummer wurde abgelehnt');
  });

  it('keeps every template name within the SES limit when the prefix is at most 22 characters', () => {
    // Prepare
    const prefix = 'eid-access-acceptance1';

    // Act
    const longest = Math.max(...cases.map(({ id, locale }) => sesTemplateName(prefix, id, locale).length));

    // Assess
    expect(prefix).toHaveLength(22);
    expect(longest).toBeLessThanOrEqual(MAX_TEMPLATE_NAME_LENGTH);
  });

  it('throws a named error when data lacks a variable', () => {
    // Prepare
    const data = { registrationId: 'R1' } as unknown as TemplateData<'bis-rejected'>;

    // Act / Assess
    expect(() => renderTemplate('bis-rejected', 'en', data)).toThrow(MissingTemplateVariableError);
  });
});
