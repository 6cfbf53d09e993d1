import { describe, expect, it } from 'vitest';
import {
  FALLBACK_LANGUAGE,
  LANGUAGES,
  type MessageKey,
  pickLanguage,
  placeholdersOf,
  translate,
} from '../../../portal/src/i18n/i18n.ts';
import { messages } from '../../../portal/src/i18n/messages.ts';

const englishKeys = Object.keys(messages.en) as MessageKey[];

describe('portal i18n', () => {
  it.each(['nl', 'fr', 'en'] as const)(
    'has every message in %s when the dictionaries are compared',
    (language) => {
      const dictionary: Record<string, string | undefined> = messages[language];

      const missing = englishKeys.filter((key) => !dictionary[key]?.trim());
      const extra = Object.keys(dictionary).filter((key) => !(key in messages.en));

      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
    },
  );

  it('has the whole welcome page in German when the German dictionary is read', () => {
    const welcome = englishKeys.filter((key) => key.startsWith('welcome.') || key.startsWith('auth.login'));
    const german: Record<string, string | undefined> = messages.de;

    expect(welcome.filter((key) => !german[key])).toEqual([]);
    expect(Object.keys(german).filter((key) => !(key in messages.en))).toEqual([]);
  });

  it.each(LANGUAGES)('uses the same placeholders as English in every %s message', (language) => {
    const dictionary: Record<string, string | undefined> = messages[language];

    const mismatches = englishKeys.filter((key) => {
      const translated = dictionary[key];
      return (
        translated !== undefined &&
        placeholdersOf(translated).join() !== placeholdersOf(messages.en[key]).join()
      );
    });

    expect(mismatches).toEqual([]);
  });

  it('differs from English in Dutch and French when a sentence is translated', () => {
    // Sentences identical to English would mean a copy-paste; the product name and "Organisation
    // {name}" (the same words in French) are the known exceptions.
    const names = new Set<MessageKey>(['app.title', 'org.heading']);
    const untranslated = (language: 'nl' | 'fr') =>
      englishKeys.filter(
        (key) =>
          !names.has(key) && messages[language][key] === messages.en[key] && messages.en[key].includes(' '),
      );

    expect(untranslated('nl')).toEqual([]);
    expect(untranslated('fr')).toEqual([]);
  });

  it('fills placeholders when a message has parameters', () => {
    expect(translate('fr', 'claim.done', { name: 'ACME', orgCode: '0403019261' })).toBe(
      'Vous êtes maintenant administrateur local de ACME (0403019261).',
    );
    expect(translate('nl', 'problem.other', { status: 502 })).toBe('Het verzoek is mislukt (status 502).');
  });

  it('falls back to English when German lacks a message', () => {
    expect(translate('de', 'profile.heading')).toBe(messages[FALLBACK_LANGUAGE]['profile.heading']);
    expect(translate('de', 'welcome.heading')).toBe('Willkommen');
  });

  it('shows the key itself when a message is unknown', () => {
    expect(translate('nl', 'bis.status.SOMETHING_NEW' as MessageKey)).toBe('bis.status.SOMETHING_NEW');
  });

  it.each([
    [['nl-BE', 'fr'], 'nl'],
    [['fr-BE', 'nl'], 'fr'],
    [['de-DE', 'en'], 'de'],
    [['es-ES', 'en-GB'], 'en'],
    [['es-ES', 'it'], 'nl'],
    [[], 'nl'],
  ] as const)('picks %j → %s when the browser prefers those languages', (preferred, expected) => {
    expect(pickLanguage(preferred, ['nl', 'fr', 'en', 'de'])).toBe(expected);
  });

  it('picks only offered languages when the configuration offers fewer', () => {
    expect(pickLanguage(['de-DE', 'fr'], ['nl', 'fr', 'en'])).toBe('fr');
  });
});

describe('languages after login', () => {
  it('offers after login only the languages whose every text is translated', async () => {
    const { COMPLETE_LANGUAGES } = await import('../../../portal/src/i18n/i18n.ts');
    const { messages } = await import('../../../portal/src/i18n/messages.ts');
    const keys = Object.keys(messages.en);

    for (const language of ['nl', 'fr', 'en', 'de'] as const) {
      const complete = keys.every((key) => key in messages[language]);
      expect(COMPLETE_LANGUAGES.includes(language)).toBe(complete);
    }
    expect(COMPLETE_LANGUAGES).toEqual(expect.arrayContaining(['nl', 'fr', 'en']));
  });
});

describe('German before login', () => {
  it('has a German sentence for every login refusal and every trust page text', async () => {
    const { messages } = await import('../../../portal/src/i18n/messages.ts');
    const publicKeys = Object.keys(messages.en).filter((key) =>
      /^(refusal|trust|help|privacy|accessibility|welcome)\./.test(key),
    );

    expect(publicKeys.length).toBeGreaterThan(20);
    expect(publicKeys.filter((key) => !(key in messages.de))).toEqual([]);
  });
});
