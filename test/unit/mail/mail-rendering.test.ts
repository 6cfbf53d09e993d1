import { describe, expect, it } from 'vitest';
import { LOCALES } from '#shared/locale';
import { mailTemplates, renderTemplate, sesTemplateParts } from '#shared/mail/render';
import { TEMPLATE_IDS, type TemplateData, type TemplateId } from '#shared/mail/templates';

/**
 * Every value carries each character the renderer treats specially (Handlebars escapes & < > " ' ` =
 * in the HTML part only), so the snapshot shows where values go raw and where escaped.
 */
function representativeData<T extends TemplateId>(id: T): TemplateData<T> {
  return Object.fromEntries(
    mailTemplates[id].variables.map((name) => [name, `${name}: Dupont & Fils <b>"l'Ancienne"</b> \`=`]),
  ) as TemplateData<T>;
}

/** One template in every locale, as SES stores it and as it renders, in a reviewable text file. */
function document(id: TemplateId): string {
  const data = representativeData(id);
  return LOCALES.flatMap((locale) => {
    const ses = sesTemplateParts(id, locale);
    const rendered = renderTemplate(id, locale, data);
    return [
      `=== ${id} / ${locale} ===`,
      '--- SES subject part',
      ses.subjectPart,
      '--- SES text part',
      ses.textPart,
      '--- SES html part',
      ses.htmlPart,
      '--- rendered subject',
      rendered.subject,
      '--- rendered text',
      rendered.text,
      '--- rendered html',
      rendered.html,
      '',
    ];
  }).join('\n');
}

describe('mail rendering', () => {
  it.each(TEMPLATE_IDS)('renders %s byte for byte as recorded when given representative data', async (id) => {
    // Prepare / Act
    const text = document(id);

    // Assess: the recorded file is the reviewed copy; a change to it is a change to what people receive.
    await expect(text).toMatchFileSnapshot(`./rendered/${id}.txt`);
  });
});
