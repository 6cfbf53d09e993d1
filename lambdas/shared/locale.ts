/** Locales we write to people in (mails, notices). */
export const LOCALES = ['nl', 'fr', 'de', 'en'] as const;

/** A supported locale. */
export type Locale = (typeof LOCALES)[number];

/** The locale used when a person's locale is unknown or not supported. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * Picks the locale from a person's locale in any common spelling (`nl-BE`, `fr`, `de_DE`, `EN`);
 * anything unknown or missing gives {@link DEFAULT_LOCALE}.
 */
export function resolveLocale(locale?: string | null): Locale {
  const language = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((candidate) => candidate === language) ?? DEFAULT_LOCALE;
}
