/**
 * Languages and message lookup, free of the DOM so it is unit-tested in Node. nl, fr and en are
 * complete (the type system and a test check it); de covers the welcome page and the chrome around
 * it, everything else falls back to English.
 */
import { type MessageKey, messages } from './messages.ts';

/** Languages the portal speaks. */
export const LANGUAGES = ['nl', 'fr', 'en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name (endonyms: a language switcher names languages in themselves). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  nl: 'Nederlands',
  fr: 'Français',
  en: 'English',
  de: 'Deutsch',
};

/** The language whose dictionary fills the gaps of the partial ones. */
export const FALLBACK_LANGUAGE: Language = 'en';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The first of the browser's preferred languages (`navigator.languages`) that is offered, matched
 * on the primary subtag (`nl-BE` → `nl`); else the first offered language.
 */
export function pickLanguage(preferred: readonly string[], offered: readonly Language[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    const match = offered.find((language) => language === primary);
    if (match) return match;
  }
  return offered[0] ?? FALLBACK_LANGUAGE;
}

/** Values substituted for `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A translate function bound to one language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The message for `key` in `language` (English when that dictionary lacks it), placeholders filled. */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  // An unknown key (a status the API added later) shows as itself rather than breaking the page.
  const template: string = messages[language][key] ?? messages[FALLBACK_LANGUAGE][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}

/** Whether the portal has a sentence for `key` (codes from the API are checked before use). */
export function hasMessage(key: string): key is MessageKey {
  return key in messages[FALLBACK_LANGUAGE];
}

/** Languages whose dictionary has every text: only these are offered after login. */
export const COMPLETE_LANGUAGES: readonly Language[] = LANGUAGES.filter((language) =>
  Object.keys(messages[FALLBACK_LANGUAGE]).every((key) => key in messages[language]),
);

/** {@link translate} bound to a language. */
export const translator =
  (language: Language): Translate =>
  (key, params) =>
    translate(language, key, params);

/** The placeholders a message uses, e.g. `['name']` for `Hello {name}`. */
export const placeholdersOf = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

export type { MessageKey };
