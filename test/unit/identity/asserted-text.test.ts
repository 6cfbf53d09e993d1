import { describe, expect, it, vi } from 'vitest';
import type { IdentityConfig } from '#identity/config';
import type { FederatedIdentity } from '#identity/federated-identity';
import { mapCognitoUser } from '#identity/identity-mapping';
import { recordTextCleaned } from '#identity/login-metrics';
import { createPreSignUpHandler } from '#identity/pre-sign-up';
import { LoginRefusedError } from '#shared/errors';
import type { Metrics } from '#shared/metrics';
import { METRIC_NAMES } from '#shared/telemetry';
import { multiValued, preSignUpEvent, preTokenGenerationEvent } from '#test/helpers/cognito-events';

const config: IdentityConfig = { refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'substantial' };

/** The identity the triggers map from a Cognito event (both call mapCognitoUser). */
function mapped(provider: 'eidas' | 'itsme', attributes: Record<string, string>): FederatedIdentity {
  const event = preTokenGenerationEvent({ provider, attributes });
  return mapCognitoUser(
    { userName: event.userName, userAttributes: event.request.userAttributes },
    config,
  ) as FederatedIdentity;
}

describe('names and e-mail asserted by an identity provider (text policy)', () => {
  it.each(['eidas', 'itsme'] as const)(
    '%s: removes a right-to-left override and zero-width characters from names instead of refusing',
    (provider) => {
      const identity = mapped(provider, {
        'custom:given_name': '\u202EAnna\u200B',
        'custom:family_name': 'Pee\u200Dters\u2066\uFEFF',
      });
      expect(identity.profile.givenNames).toBe('Anna');
      expect(identity.profile.familyName).toBe('Peeters');
      expect(identity.textCleaned).toBe(2);
    },
  );

  it('picks the Latin transliteration even when a zero-width character hides in it', () => {
    const identity = mapped('eidas', {
      'custom:family_name': multiValued(['Παπαδοπούλου', 'Papa\u200Bdopoulou']),
    });
    expect(identity.profile.familyName).toBe('Papadopoulou');
  });

  it('cuts a smear of combining marks, removes tag characters, lone surrogates and U+FFFD', () => {
    const identity = mapped('itsme', {
      'custom:given_name': `Ja${'\u0336'.repeat(200)}n\u{E0041}\uD800\uFFFD`,
    });
    expect(identity.profile.givenNames).toBe(`Ja${'\u0336'.repeat(8)}n`);
  });

  it.each([
    ['a zero-width space', 'erika\u200B@example.org', 'erika@example.org'],
    ['no characters outside the API rule', 'erika@example.org', 'erika@example.org'],
  ])('keeps an e-mail address cleaned of %s', (_label, raw, expected) => {
    expect(mapped('eidas', { 'custom:email': raw }).profile.email).toBe(expected);
  });

  it.each([
    ['a Cyrillic letter', 'erikа@example.org'],
    ['non-ASCII letters', 'jürgen@example.de'],
    ['no domain', 'erika@localhost'],
    ['two @', 'a@b@example.org'],
  ])(
    'ignores an asserted e-mail address with %s: no mail goes to it, and the login is not refused',
    (_label, raw) => {
      const eidas = mapped('eidas', { 'custom:email': raw });
      const itsme = mapped('itsme', { 'custom:email': raw });
      expect(eidas.profile.email).toBeUndefined();
      expect(itsme.profile.email).toBeUndefined();
      expect(eidas.textCleaned).toBe(1);
    },
  );

  it('reports nothing cleaned for a clean login, with names in other scripts', () => {
    const identity = mapped('itsme', { 'custom:given_name': 'Ελένη', 'custom:family_name': 'Иванова' });
    expect(identity.profile).toMatchObject({ givenNames: 'Ελένη', familyName: 'Иванова' });
    expect(identity.textCleaned).toBeUndefined();
  });

  it('treats a name of nothing but invisible characters as unreadable', () => {
    expect(() => mapped('itsme', { 'custom:family_name': '\u200B\u200C' })).toThrow(LoginRefusedError);
  });

  it('lets pre sign-up accept a login whose names carry format characters', async () => {
    const handler = createPreSignUpHandler({
      config,
      logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    });
    const event = preSignUpEvent({
      provider: 'eidas',
      attributes: { 'custom:given_name': 'Er\u200Bika\u202E' },
    });
    await expect(handler(event)).resolves.toBe(event);
  });

  it('counts the cleaned fields per provider in a metric, and nothing for a clean login', () => {
    const metrics = { addDimension: vi.fn(), addMetric: vi.fn(), publishStoredMetrics: vi.fn() };
    recordTextCleaned(metrics as unknown as Metrics, 'eidas', 2);
    recordTextCleaned(metrics as unknown as Metrics, 'itsme', undefined);
    expect(metrics.addDimension).toHaveBeenCalledExactlyOnceWith('provider', 'eidas');
    expect(metrics.addMetric).toHaveBeenCalledExactlyOnceWith(METRIC_NAMES.assertedTextCleaned, 'Count', 2);
  });
});
