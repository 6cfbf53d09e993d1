import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from '#identity/config';
import {
  decodeEidasAddress,
  decodeMultiValued,
  encodeMultiValued,
  mapEidasIdentity,
  parseLoa,
  parsePersonIdentifier,
  preferLatin,
} from '#identity/eidas-mapping';
import {
  EIDAS_LOA,
  EIDAS_PERSON_ID,
  eidasAttributes,
  encodeEidasAddress,
  multiValued,
} from '#test/helpers/cognito-events';
import { refusal } from '#test/helpers/login-refusal';

const config: IdentityConfig = { refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'substantial' };

describe('mapEidasIdentity', () => {
  it('maps every attribute to a normalized identity when the login is complete', () => {
    const identity = mapEidasIdentity(eidasAttributes(), config);

    expect(identity).toEqual({
      provider: 'eidas',
      subject: EIDAS_PERSON_ID,
      loa: 'substantial',
      profile: {
        givenNames: 'Erika',
        familyName: 'Mustermann',
        birthDate: '1964-08-12',
        sex: 'F',
        nationality: 'DE',
        birthName: 'Gabler',
        placeOfBirth: 'Berlin',
        countryOfResidence: 'DE',
        email: 'erika.mustermann@example.org',
        address: {
          houseNumber: '17',
          street: 'Heidestraße',
          city: 'Köln',
          postalCode: '51147',
          country: 'DE',
        },
      },
    });
  });

  it('keeps only the mandatory data when the gateway sends the minimum data set', () => {
    const attributes = {
      'custom:eidas_person_id': 'ES/BE/99999999R',
      'custom:given_name': 'Juan',
      'custom:family_name': 'García',
      'custom:birth_date': '1990-01-31',
    };

    const identity = mapEidasIdentity(attributes, config);

    expect(identity).toEqual({
      provider: 'eidas',
      subject: 'ES/BE/99999999R',
      loa: 'substantial',
      profile: { givenNames: 'Juan', familyName: 'García', birthDate: '1990-01-31' },
    });
  });

  it('prefers the Latin transliteration when names come in two scripts', () => {
    const attributes = eidasAttributes({
      'custom:eidas_person_id': 'EL/BE/GR123456',
      'custom:nationality': 'EL',
      'custom:given_name': multiValued(['Αλέξανδρος', 'Alexandros']),
      'custom:family_name': multiValued(['Παπαδόπουλος', 'Papadopoulos']),
    });

    const identity = mapEidasIdentity(attributes, config);

    expect(identity.profile).toMatchObject({
      givenNames: 'Alexandros',
      familyName: 'Papadopoulos',
      nationality: 'GR',
    });
  });

  it.each([
    ['custom:eidas_person_id', 'personal identifier'],
    ['custom:family_name', 'family name'],
    ['custom:given_name', 'given name'],
    ['custom:birth_date', 'date of birth'],
  ])('refuses with missing-attribute when %s is absent', (attribute, label) => {
    const error = refusal(() => mapEidasIdentity(eidasAttributes({ [attribute]: undefined }), config));

    expect(error.reason).toBe('missing-attribute');
    expect(error.message).toContain(label);
  });

  it('refuses with missing-attribute when a mandatory attribute is blank', () => {
    const error = refusal(() => mapEidasIdentity(eidasAttributes({ 'custom:family_name': '  ' }), config));

    expect(error.reason).toBe('missing-attribute');
  });

  it.each(['DE-BE-123', 'DE/BE/', 'D/BE/123', ' '])(
    'refuses with invalid-attribute when the PersonIdentifier is %j',
    (value) => {
      const error = refusal(() =>
        mapEidasIdentity(eidasAttributes({ 'custom:eidas_person_id': value }), config),
      );

      expect(error.reason).toBe(value.trim() === '' ? 'missing-attribute' : 'invalid-attribute');
    },
  );

  it.each(['1964-02-30', '12/08/1964', '1964-8-12'])(
    'refuses with invalid-attribute when the date of birth is %s',
    (value) => {
      const error = refusal(() => mapEidasIdentity(eidasAttributes({ 'custom:birth_date': value }), config));

      expect(error.reason).toBe('invalid-attribute');
      expect(error.message).toContain('date of birth');
    },
  );

  it('refuses with wrong-receiving-country when the identifier was issued for another country', () => {
    const error = refusal(() =>
      mapEidasIdentity(eidasAttributes({ 'custom:eidas_person_id': 'DE/NL/1234567890' }), config),
    );

    expect(error.reason).toBe('wrong-receiving-country');
    expect(error.message).not.toContain('1234567890');
  });

  it.each([
    ['FR', 'French'],
    ['GB', 'British'],
    ['UK', 'British'],
  ])('refuses nationality %s with directions to a local registration office', (nationality, adjective) => {
    const error = refusal(() =>
      mapEidasIdentity(eidasAttributes({ 'custom:nationality': nationality }), config),
    );

    expect(error.reason).toBe('refused-nationality');
    expect(error.message).toBe(
      `People with ${adjective} nationality cannot log in with eIDAS here. Obtain a Belgian ` +
        'identification number at a local registration office in Belgium, then log in with that account.',
    );
  });

  it('refuses when any of several nationalities is refused', () => {
    const error = refusal(() =>
      mapEidasIdentity(eidasAttributes({ 'custom:nationality': multiValued(['DE', 'FR']) }), config),
    );

    expect(error.reason).toBe('refused-nationality');
  });

  it('refuses on the issuing country of the PersonIdentifier when no nationality is sent', () => {
    const error = refusal(() =>
      mapEidasIdentity(
        eidasAttributes({ 'custom:nationality': undefined, 'custom:eidas_person_id': 'FR/BE/abc123' }),
        config,
      ),
    );

    expect(error.reason).toBe('refused-nationality');
    expect(error.message).toContain('French');
  });

  it('accepts a French-issued identifier when the asserted nationality is not refused', () => {
    const identity = mapEidasIdentity(
      eidasAttributes({ 'custom:nationality': 'DE', 'custom:eidas_person_id': 'FR/BE/abc123' }),
      config,
    );

    expect(identity.subject).toBe('FR/BE/abc123');
  });

  it('uses a neutral wording for a configured nationality without an adjective', () => {
    const error = refusal(() =>
      mapEidasIdentity(eidasAttributes(), { ...config, refusedNationalities: ['DE'] }),
    );

    expect(error.message).toMatch(/^People with your nationality cannot log in with eIDAS here\./);
  });

  it('accepts FR and GB when the configuration refuses no nationality', () => {
    const identity = mapEidasIdentity(eidasAttributes({ 'custom:nationality': 'FR' }), {
      ...config,
      refusedNationalities: [],
    });

    expect(identity.profile.nationality).toBe('FR');
  });

  it.each([
    [EIDAS_LOA.substantial, 'substantial'],
    [EIDAS_LOA.high, 'high'],
  ] as const)('accepts %s as level %s', (loa, level) => {
    expect(mapEidasIdentity(eidasAttributes({ 'custom:loa': loa }), config).loa).toBe(level);
  });

  it.each([
    EIDAS_LOA.low,
    EIDAS_LOA.notNotifiedLow,
    EIDAS_LOA.notNotifiedSubstantial,
    EIDAS_LOA.notNotifiedHigh,
    'urn:unknown:loa',
  ])('refuses with insufficient-loa when the LoA is %s and the minimum substantial', (loa) => {
    const error = refusal(() => mapEidasIdentity(eidasAttributes({ 'custom:loa': loa }), config));

    expect(error.reason).toBe('insufficient-loa');
    expect(error.message).toContain('"substantial"');
  });

  it('refuses substantial when the minimum is high', () => {
    const error = refusal(() =>
      mapEidasIdentity(eidasAttributes({ 'custom:loa': EIDAS_LOA.substantial }), {
        ...config,
        minimumEidasLoa: 'high',
      }),
    );

    expect(error.reason).toBe('insufficient-loa');
  });

  it('counts a NotNotified LoA as low when the minimum is low', () => {
    const identity = mapEidasIdentity(eidasAttributes({ 'custom:loa': EIDAS_LOA.notNotifiedHigh }), {
      ...config,
      minimumEidasLoa: 'low',
    });

    expect(identity.loa).toBe('low');
  });

  it('assumes the configured minimum when the gateway sends no LoA', () => {
    const identity = mapEidasIdentity(eidasAttributes({ 'custom:loa': undefined }), {
      ...config,
      minimumEidasLoa: 'high',
    });

    expect(identity.loa).toBe('high');
  });

  it('drops an unreadable address and a malformed e-mail instead of refusing', () => {
    const identity = mapEidasIdentity(
      eidasAttributes({ 'custom:address': '%%% not base64', 'custom:email': 'not-an-email' }),
      config,
    );

    expect(identity.profile.address).toBeUndefined();
    expect(identity.profile.email).toBeUndefined();
  });
});

describe('parsePersonIdentifier', () => {
  it('splits issuing country, receiving country and identifier when well-formed', () => {
    expect(parsePersonIdentifier('es/be/99999999R')).toEqual({
      issuingCountry: 'ES',
      receivingCountry: 'BE',
      identifier: '99999999R',
      value: 'ES/BE/99999999R',
    });
  });

  it('keeps slashes inside the identifier', () => {
    expect(parsePersonIdentifier('IT/BE/TINIT-ABC/123')?.identifier).toBe('TINIT-ABC/123');
  });
});

describe('parseLoa', () => {
  it('tells notified from non-notified levels', () => {
    expect(parseLoa(EIDAS_LOA.high)).toEqual({ level: 'high', notified: true });
    expect(parseLoa(EIDAS_LOA.notNotifiedHigh)).toEqual({ level: 'high', notified: false });
    expect(parseLoa('http://eidas.europa.eu/LoA/medium')).toBeUndefined();
  });
});

describe('decodeMultiValued', () => {
  it('returns a single plain value as itself', () => {
    expect(decodeMultiValued('Jean Pierre')).toEqual(['Jean Pierre']);
  });

  it('decodes URL-form-encoded values joined with &', () => {
    expect(decodeMultiValued('Jos%C3%A9+Mar%C3%ADa&Jose+Maria')).toEqual(['José María', 'Jose Maria']);
  });

  it('accepts the bracketed list form', () => {
    expect(decodeMultiValued('[Αλέξανδρος, Alexandros]')).toEqual(['Αλέξανδρος', 'Alexandros']);
  });

  it('keeps a value with a stray percent sign as sent', () => {
    expect(decodeMultiValued('100%')).toEqual(['100%']);
  });

  it('round-trips any list of trimmed non-empty values through encodeMultiValued', () => {
    const value = fc
      .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
      .map((s) => s.trim())
      .filter((s) => s !== '');
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), (values) => {
        expect(decodeMultiValued(encodeMultiValued(values))).toEqual(values);
      }),
    );
  });
});

describe('preferLatin', () => {
  it('falls back to the first value when none is in Latin script', () => {
    expect(preferLatin(['Иван', 'Іван'])).toBe('Иван');
  });
});

describe('decodeEidasAddress', () => {
  it('decodes every eIDAS address element and XML entities', () => {
    const raw = encodeEidasAddress({
      PoBox: '1234',
      LocatorDesignator: '22',
      LocatorName: 'Tower & Co',
      CvaddressArea: 'Westminster',
      Thoroughfare: 'Arcacia Avenue',
      PostName: 'London',
      AdminunitFirstline: 'UK',
      AdminunitSecondline: 'Greater London',
      PostCode: 'SW1A 1AA',
    });

    expect(decodeEidasAddress(raw)).toEqual({
      poBox: '1234',
      houseNumber: '22',
      locatorName: 'Tower & Co',
      area: 'Westminster',
      street: 'Arcacia Avenue',
      city: 'London',
      country: 'GB',
      region: 'Greater London',
      postalCode: 'SW1A 1AA',
    });
  });

  it('takes the country of residence when the address has no country code', () => {
    const raw = encodeEidasAddress({ Thoroughfare: 'Rue Neuve', PostName: 'Luxembourg' });

    expect(decodeEidasAddress(raw, 'LU')).toEqual({ street: 'Rue Neuve', city: 'Luxembourg', country: 'LU' });
  });

  it('reads elements without namespace prefix and an unencoded fragment', () => {
    expect(decodeEidasAddress('<PostCode>1000</PostCode><PostName>Brussels</PostName>')).toEqual({
      postalCode: '1000',
      city: 'Brussels',
    });
  });

  it('returns undefined when the fragment holds no address element', () => {
    expect(decodeEidasAddress(Buffer.from('<x>y</x>').toString('base64'))).toBeUndefined();
  });
});
