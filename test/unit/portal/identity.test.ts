import { describe, expect, it } from 'vitest';
import { ACTIVITY_EVENTS, IDENTITY_EVIDENCE, INSZ_EVIDENCE } from '#shared/person-activity';
import { authorizeUrl } from '../../../portal/src/auth/oauth.ts';
import { placeholdersOf } from '../../../portal/src/i18n/i18n.ts';
import { connectionPath } from '../../../portal/src/identity/api.ts';
import {
  type ConnectionIntent,
  classifyConnectionFailure,
  clearIntent,
  forgetIntentOnSignOut,
  type IntentStorage,
  readIntent,
  saveIntent,
} from '../../../portal/src/identity/connection-intent.ts';
import {
  type IdentityMessageKey,
  identityMessages,
  isIdentityMessageKey,
  translateIdentity,
  vocabularyKey,
} from '../../../portal/src/identity/messages.ts';
import { matchRoute, pathFor } from '../../../portal/src/router.ts';

/** sessionStorage's contract over a Map (one tab). */
function memoryStorage(): IntentStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

const NOW = Date.parse('2026-12-05T13:00:00Z');
const intent = (overrides: Partial<ConnectionIntent> = {}): ConnectionIntent => ({
  connectionId: '01JEXAMPLECONNECTION0000AA',
  expiresAt: '2026-12-05T13:10:00Z',
  initiatorPersonId: 'person-1',
  means: 'itsme',
  ...overrides,
});

describe('portal connection intent', () => {
  it('reads back the intent this tab saved when it has not expired', () => {
    const storage = memoryStorage();

    saveIntent(storage, intent());

    expect(readIntent(storage, NOW)).toEqual(intent());
  });

  it('forgets the intent when it has expired', () => {
    const storage = memoryStorage();
    saveIntent(storage, intent());

    expect(readIntent(storage, Date.parse('2026-12-05T13:10:00Z'))).toBeUndefined();
    expect(storage.map.size).toBe(0);
  });

  it.each([
    ['not JSON', '{'],
    ['no id', JSON.stringify({ ...intent(), connectionId: undefined })],
    ['an id with path characters', JSON.stringify({ ...intent(), connectionId: '../../me/insz?x=1' })],
    ['an unknown means', JSON.stringify({ ...intent(), means: 'google' })],
    ['no initiator', JSON.stringify({ ...intent(), initiatorPersonId: '' })],
    ['a bad expiry', JSON.stringify({ ...intent(), expiresAt: 'tomorrow' })],
  ])('drops a stored value with %s', (_case, raw) => {
    const storage = memoryStorage();
    storage.setItem('eid-access.connection', raw);

    expect(readIntent(storage, NOW)).toBeUndefined();
    expect(storage.map.size).toBe(0);
  });

  it('refuses to save an id the API would never issue', () => {
    expect(() => saveIntent(memoryStorage(), intent({ connectionId: 'a/b' }))).toThrow();
  });

  it('forgets the intent when it is cleared', () => {
    const storage = memoryStorage();
    saveIntent(storage, intent());

    clearIntent(storage);

    expect(readIntent(storage, NOW)).toBeUndefined();
  });

  it('forgets the intent when the session of the tab ends, not when it refreshes', () => {
    const storage = memoryStorage();
    saveIntent(storage, intent());
    const listeners = new Set<() => void>();
    const session = {
      signedIn: true,
      subscribe: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const unsubscribe = forgetIntentOnSignOut(session, storage);

    for (const listener of listeners) listener();
    expect(readIntent(storage, NOW)).toEqual(intent());
    session.signedIn = false;
    for (const listener of listeners) listener();

    expect(readIntent(storage, NOW)).toBeUndefined();
    unsubscribe();
    expect(listeners.size).toBe(0);
  });

  it('encodes the connection id into its API path', () => {
    expect(connectionPath('01JEXAMPLE')).toBe('/me/connections/01JEXAMPLE');
    expect(connectionPath('a/b?c')).toBe('/me/connections/a%2Fb%3Fc');
  });
});

describe('portal connection failures', () => {
  it.each([
    [404, false, 'expired'],
    [409, false, 'refused'],
    [409, true, 'same-account'],
    [403, false, 'login-again'],
    [403, true, 'same-account'],
    [500, false, 'other'],
    [0, false, 'other'],
  ] as const)('reads status %s (same account: %s) as %s', (status, sameAccount, expected) => {
    expect(classifyConnectionFailure(status, sameAccount)).toBe(expected);
  });
});

describe('portal connection routes', () => {
  it('has a confirmation page that takes no parameter', () => {
    const match = matchRoute('http://portal.invalid/profile/connect/confirm?connectionId=01JEXAMPLE');

    expect(match.name).toBe('connectConfirm');
    expect(match.params).toEqual({});
    expect(pathFor('connectConfirm')).toBe('/profile/connect/confirm');
  });

  it('does not match a connection id in the path', () => {
    expect(matchRoute('http://portal.invalid/profile/connect/confirm/01JEXAMPLE').name).toBe('notFound');
  });

  it.each([
    ['connect', '/profile/connect'],
    ['activity', '/profile/activity'],
  ] as const)('serves %s at %s', (name, path) => {
    expect(matchRoute(`http://portal.invalid${path}`).name).toBe(name);
  });

  it('asks the managed login for a fresh authentication when prompt is login', () => {
    const url = new URL(
      authorizeUrl({
        authBaseUrl: 'https://auth.example',
        clientId: 'client',
        redirectUri: 'https://portal.example/auth/callback',
        state: 's',
        nonce: 'n',
        codeChallenge: 'c'.repeat(43),
        identityProvider: 'itsme',
        prompt: 'login',
      }),
    );

    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('identity_provider')).toBe('itsme');
  });
});

describe('portal identity texts', () => {
  const englishKeys = Object.keys(identityMessages.en) as IdentityMessageKey[];

  it.each(['nl', 'fr'] as const)('has every identity text in %s with the same placeholders', (language) => {
    const dictionary: Record<string, string | undefined> = identityMessages[language];

    expect(englishKeys.filter((key) => !dictionary[key]?.trim())).toEqual([]);
    expect(Object.keys(dictionary).filter((key) => !isIdentityMessageKey(key))).toEqual([]);
    expect(
      englishKeys.filter(
        (key) =>
          placeholdersOf(dictionary[key] ?? '').join() !==
          placeholdersOf(identityMessages.en[key] ?? '').join(),
      ),
    ).toEqual([]);
  });

  it.each([...new Set([...INSZ_EVIDENCE, ...IDENTITY_EVIDENCE])])('names the evidence %s', (evidence) => {
    expect(vocabularyKey('evidence.', evidence, 'evidence.unknown')).toBe(`evidence.${evidence}`);
  });

  it.each(ACTIVITY_EVENTS)('names the activity event %s', (event) => {
    expect(vocabularyKey('activity.event.', event, 'activity.event.unknown')).toBe(`activity.event.${event}`);
  });

  it('falls back for evidence this portal does not know yet', () => {
    expect(vocabularyKey('evidence.', 'carrier-pigeon', 'evidence.unknown')).toBe('evidence.unknown');
    expect(vocabularyKey('evidence.', 'hasOwnProperty', 'evidence.unknown')).toBe('evidence.unknown');
  });

  it('speaks the person language, English where German has no text yet', () => {
    expect(translateIdentity('fr', 'evidence.itsme-eid')).toBe('vérifié par itsme');
    expect(translateIdentity('nl', 'evidence.register-match')).toBe('vergeleken met het rijksregister');
    expect(translateIdentity('de', 'evidence.connected')).toBe('connected by you');
    expect(translateIdentity('en', 'connect.error.refused', { reference: 'REF-1' })).toContain('REF-1');
  });
});
