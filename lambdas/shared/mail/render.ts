/**
 * Builds every mail from its copy (`copy/`): per template and locale `{ subject, text, html }` in one
 * layout, and the SES template parts the `Notifications` construct stores. SES templates are
 * Handlebars, which HTML-escapes `{{x}}` everywhere; so the SES subject and text parts use `{{{x}}}`
 * (raw, no `&amp;` in a plain-text mail) and only the HTML part uses `{{x}}` (escaped).
 * `renderTemplate` applies the same Handlebars rules to the same SES parts, so the outbox shows what
 * SES would send.
 *
 * This module carries all the copy: only the CDK app, the in-process outbox and the sandbox import it,
 * never a deployed function (they send through SES's stored templates).
 */
import { LOCALES, type Locale, resolveLocale } from '../locale.ts';
import { frame } from './copy/frame.ts';
import { mailCopy } from './copy/index.ts';
import {
  type LocalizedCopy,
  type LocalizedFrame,
  TEMPLATE_IDS,
  TEMPLATE_VARIABLES,
  type TemplateData,
  type TemplateId,
  type TemplateVariable,
} from './templates.ts';

/** A template's rendered or renderable parts. */
export interface MailParts {
  subject: string;
  text: string;
  html: string;
}

/** Authoring view: one template with, per locale, subject, text and HTML using `{{variable}}` placeholders. */
export interface MailTemplate<T extends TemplateId = TemplateId> {
  readonly id: T;
  readonly variables: readonly TemplateVariable<T>[];
  readonly locales: { readonly [L in Locale]: MailParts };
}

/** The parts of an SES template (AWS::SES::Template `Template` property, camelCase for CDK). */
export interface SesTemplateParts {
  subjectPart: string;
  textPart: string;
  htmlPart: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * Escapes a value for HTML text and attribute content, with the same character set Handlebars (and so
 * SES) escapes for `{{x}}`: & < > " ' ` =.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Static template text into HTML: escaped (placeholders untouched) and line breaks kept. */
function staticTextToHtml(text: string): string {
  return text
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char] ?? char)
    .split('\n')
    .join('<br>\n');
}

function composeText(around: LocalizedFrame, content: LocalizedCopy): string {
  return [around.greeting, ...content.paragraphs, around.signOff, `-- \n${around.footer}`].join('\n\n');
}

function composeHtml(locale: Locale, around: LocalizedFrame, content: LocalizedCopy): string {
  const paragraph = (text: string) => `<p>${staticTextToHtml(text)}</p>`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1a1a1a;">',
    paragraph(around.greeting),
    ...content.paragraphs.map(paragraph),
    paragraph(around.signOff),
    `<p style="font-size: 12px; color: #666666;">${staticTextToHtml(around.footer)}</p>`,
    '</body>',
    '</html>',
  ].join('\n');
}

function buildTemplate<T extends TemplateId>(id: T): MailTemplate<T> {
  const locales = Object.fromEntries(
    LOCALES.map((locale) => {
      const content = mailCopy[id][locale];
      const parts: MailParts = {
        subject: content.subject,
        text: composeText(frame[locale], content),
        html: composeHtml(locale, frame[locale], content),
      };
      return [locale, parts];
    }),
  ) as { [L in Locale]: MailParts };
  return { id, variables: TEMPLATE_VARIABLES[id] as readonly TemplateVariable<T>[], locales };
}

/** Every template in its authoring view, by id. */
export const mailTemplates: { readonly [T in TemplateId]: MailTemplate<T> } = Object.fromEntries(
  TEMPLATE_IDS.map((id) => [id, buildTemplate(id)]),
) as { [T in TemplateId]: MailTemplate<T> };

/**
 * The SES template parts of one template in one locale. Subject and text use raw `{{{x}}}` (plain text
 * must not show `&amp;`), the HTML part escaped `{{x}}`.
 */
export function sesTemplateParts(id: TemplateId, locale: Locale): SesTemplateParts {
  const parts = mailTemplates[id].locales[locale];
  const raw = (text: string) => text.replace(PLACEHOLDER, '{{{$1}}}');
  return { subjectPart: raw(parts.subject), textPart: raw(parts.text), htmlPart: parts.html };
}

/** Thrown when template data lacks a variable the template uses (a bug: the types prevent it). */
export class MissingTemplateVariableError extends Error {
  constructor(templateId: string, variable: string) {
    super(`Template ${templateId} needs variable ${variable}`);
    this.name = 'MissingTemplateVariableError';
  }
}

/** Handlebars substitution as SES does it: `{{{x}}}` raw, `{{x}}` HTML-escaped, one pass (values are never re-read). */
function substitute(templateId: string, source: string, data: Readonly<Record<string, string>>): string {
  return source.replace(
    /\{\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}\}|\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g,
    (_match, rawName: string | undefined, escapedName: string | undefined) => {
      const name = rawName ?? escapedName ?? '';
      const value = data[name];
      if (value === undefined) throw new MissingTemplateVariableError(templateId, name);
      return rawName === undefined ? escapeHtml(value) : value;
    },
  );
}

/**
 * Renders a template locally exactly as SES renders its stored template: same parts, same escaping.
 * The locale may be any spelling `resolveLocale` accepts.
 */
export function renderTemplate<T extends TemplateId>(
  id: T,
  locale: string | undefined,
  data: TemplateData<T>,
): MailParts & { locale: Locale } {
  const resolved = resolveLocale(locale);
  const parts = sesTemplateParts(id, resolved);
  const values = data as Readonly<Record<string, string>>;
  return {
    locale: resolved,
    subject: substitute(id, parts.subjectPart, values),
    text: substitute(id, parts.textPart, values),
    html: substitute(id, parts.htmlPart, values),
  };
}
