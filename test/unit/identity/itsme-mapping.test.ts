import { describe, expect, it } from 'vitest';
import { decodeOidcAddress, mapItsmeIdentity } from '#identity/itsme-mapping';
import { INVALID_INSZ, ITSME_SUBJECT, itsmeAttributes, VALID_INSZ } from '#test/helpers/cognito-events';
import { refusal } from '#test/helpers/login-refusal';

describe('mapItsmeIdentity', () => {
  it('maps every claim to a normalized identity at level high when the login is complete', () => {
    const identity = mapItsmeIdentity(itsmeAttributes(), ITSME_SUBJECT);

    expect(identity).toEqual({
      provider: 'itsme',
      subject: ITSME_SUBJECT,
      loa: 'high',
      insz: VALID_INSZ,
      profile: {
        givenNames: 'Jan',
        familyName: 'Peeters',
        birthDate: '1985-07-30',
        sex: 'M',
        locale: 'nl',
        email: 'jan.peeters@example.be',
        phone: '+32470123456',
        address: { street: 'Wetstraat 16', postalCode: '1000', city: 'Brussel', country: 'BE' },
      },
    });
  });

  it('stores the national number without separators when itsme formats it', () => {
    const identity = mapItsmeIdentity(
      itsmeAttributes({ 'custom:national_number': '85.07.30-033.28' }),
      ITSME_SUBJECT,
    );

    expect(identity.insz).toBe(VALID_INSZ);
  });

  it('maps a person without national number when the eid claim is absent', () => {
    const identity = mapItsmeIdentity(
      itsmeAttributes({ 'custom:national_number': undefined }),
      ITSME_SUBJECT,
    );

    expect(identity.insz).toBeUndefined();
    expect(identity.profile.familyName).toBe('Peeters');
  });

  it('refuses with invalid-national-number when the check digits are wrong', () => {
    const error = refusal(() =>
      mapItsmeIdentity(itsmeAttributes({ 'custom:national_number': INVALID_INSZ }), ITSME_SUBJECT),
    );

    expect(error.reason).toBe('invalid-national-number');
    expect(error.message).not.toContain(INVALID_INSZ);
    expect(error.message).not.toMatch(/expected/);
  });

  it.each(['custom:given_name', 'custom:family_name', 'custom:birth_date'])(
    'refuses with missing-attribute when %s is absent',
    (attribute) => {
      const error = refusal(() =>
        mapItsmeIdentity(itsmeAttributes({ [attribute]: undefined }), ITSME_SUBJECT),
      );

      expect(error.reason).toBe('missing-attribute');
      expect(error.message).toMatch(/^itsme did not share your /);
    },
  );

  it('refuses with invalid-attribute when the birth date is not a date', () => {
    const error = refusal(() =>
      mapItsmeIdentity(itsmeAttributes({ 'custom:birth_date': '30/07/1985' }), ITSME_SUBJECT),
    );

    expect(error.reason).toBe('invalid-attribute');
  });
});

describe('decodeOidcAddress', () => {
  it('keeps a country name in the formatted text when it is not a code', () => {
    expect(decodeOidcAddress(JSON.stringify({ locality: 'Gent', country: 'Belgium' }))).toEqual({
      city: 'Gent',
      formatted: 'Belgium',
    });
  });

  it('keeps a non-JSON address as formatted text', () => {
    expect(decodeOidcAddress('Wetstraat 16, 1000 Brussel')).toEqual({
      formatted: 'Wetstraat 16, 1000 Brussel',
    });
  });

  it('returns undefined for an empty address object', () => {
    expect(decodeOidcAddress('{}')).toBeUndefined();
  });
});
