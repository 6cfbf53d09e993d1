import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestJsonSchema } from '#shared/http/handler';
import { fieldProblemsFromZod } from '#shared/http/problem';
import {
  birthDateSchema,
  boundedString,
  COUNTRY_CODES,
  countryCodeSchema,
  EARLIEST_BIRTH_DATE,
  emailSchema,
  enterpriseNumberSchema,
  inszSchema,
  isoDateSchema,
  latestDateOnEarth,
  personDataSchema,
  phoneSchema,
} from '#shared/http/schemas';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function validPersonData() {
  return {
    givenNames: 'Marie Louise',
    familyName: 'Dupont',
    birthDate: '1988-11-23',
    sex: 'F',
    nationality: 'FR',
    placeOfBirth: 'Lyon',
    address: {
      street: 'Rue de la Loi',
      houseNumber: '16',
      postalCode: '1000',
      city: 'Bruxelles',
      country: 'BE',
    },
    email: 'marie.dupont@example.fr',
    phone: '+33 6 12 34 56 78',
  };
}

describe('boundedString', () => {
  const name = boundedString(10);

  it('trims and NFC-normalizes when the text is valid', () => {
    expect(name.parse('  Rene\u0301 ')).toBe('Ren\u00e9');
  });

  it('rejects blank text and text over the maximum', () => {
    expect(name.safeParse('   ').success).toBe(false);
    expect(name.safeParse('x'.repeat(11)).success).toBe(false);
    expect(name.safeParse('x'.repeat(10)).success).toBe(true);
  });

  it('rejects any text with a control character inside', () => {
    const control = fc
      .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3 }),
        control,
        fc.string({ maxLength: 3 }),
        (before, char, after) => {
          expect(boundedString(20).safeParse(`a${before}${char}${after}a`).success).toBe(false);
        },
      ),
    );
  });

  it.each(['\u202E', '\u2066', '\u007F', '\u0085', '\n', '\t'])(
    'rejects the control character %j',
    (char) => {
      expect(boundedString(20).safeParse(`Jan${char}Smit`).success).toBe(false);
    },
  );

  it('accepts names in other scripts when they have no control characters', () => {
    for (const value of ['Łukasz', 'Ελένη', 'Дмитрий', '李小龍', "O'Brien-Smith", 'Nguyễn']) {
      expect(boundedString(50).safeParse(value).success).toBe(true);
    }
  });
});

describe('isoDateSchema', () => {
  it('accepts a date exactly when it is a real calendar day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const real = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          expect(isoDateSchema.safeParse(text).success).toBe(real);
        },
      ),
    );
  });

  it.each(['2024-02-29', '2000-02-29', '1999-12-31'])('accepts %s', (date) => {
    expect(isoDateSchema.safeParse(date).success).toBe(true);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-04-31',
    '24-01-01',
    '2024-1-1',
    '2024-01-01T00:00:00Z',
  ])('rejects %s', (date) => {
    expect(isoDateSchema.safeParse(date).success).toBe(false);
  });
});

describe('birthDateSchema', () => {
  const schema = birthDateSchema(() => NOW);

  it('rejects any date after the latest date on Earth', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(NOW.getTime() + 2 * DAY), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => {
          expect(schema.safeParse(isoDay(date)).success).toBe(false);
        },
      ),
    );
  });

  it('accepts any real date from 1900 up to today', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(`${EARLIEST_BIRTH_DATE}T00:00:00Z`), max: NOW, noInvalidDate: true }),
        (date) => {
          expect(schema.safeParse(isoDay(date)).success).toBe(true);
        },
      ),
    );
  });

  it('accepts today in the easternmost time zone and rejects the day after', () => {
    const latest = latestDateOnEarth(NOW);

    expect(latest).toBe('2026-03-16');
    expect(schema.safeParse(latest).success).toBe(true);
    expect(schema.safeParse('2026-03-17').success).toBe(false);
  });

  it('rejects dates before 1900', () => {
    expect(schema.safeParse('1899-12-31').success).toBe(false);
  });

  it('reads the clock at parse time when no clock is given', () => {
    expect(birthDateSchema().safeParse(isoDay(new Date(Date.now() + 3 * DAY))).success).toBe(false);
    expect(birthDateSchema().safeParse(isoDay(new Date(Date.now() - DAY))).success).toBe(true);
  });
});

describe('countryCodeSchema', () => {
  it('holds every officially assigned alpha-2 code plus XK', () => {
    expect(COUNTRY_CODES).toHaveLength(250);
    expect(new Set(COUNTRY_CODES).size).toBe(250);
  });

  it.each(['BE', 'NL', 'FR', 'XK', 'GB'])('accepts %s', (code) => {
    expect(countryCodeSchema.safeParse(code).success).toBe(true);
  });

  it.each(['be', 'UK', 'EU', 'YU', 'BEL', 'B', ''])('rejects %j', (code) => {
    expect(countryCodeSchema.safeParse(code).success).toBe(false);
  });
});

describe('emailSchema', () => {
  it.each(['a@example.be', ' first.last+tag@sub.example.org '])('accepts %j', (email) => {
    expect(emailSchema.safeParse(email).success).toBe(true);
  });

  it.each(['plain', 'a@b', '@example.be', 'a b@example.be', `${'a'.repeat(250)}@example.be`])(
    'rejects %j',
    (email) => {
      expect(emailSchema.safeParse(email).success).toBe(false);
    },
  );
});

describe('phoneSchema', () => {
  it('normalizes the separators people type to E.164', () => {
    expect(phoneSchema.parse('+32 470 12.34-56')).toBe('+32470123456');
    expect(phoneSchema.parse('(+32) 470 123456')).toBe('+32470123456');
  });

  it('accepts any E.164 number of 7 to 15 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6,14}$/), (digits) => {
        expect(phoneSchema.parse(`+${digits}`)).toBe(`+${digits}`);
      }),
    );
  });

  it.each(['0470123456', '+0470123456', '+3247', `+${'1'.repeat(16)}`, '+32 470 ab 12'])(
    'rejects %j',
    (phone) => {
      expect(phoneSchema.safeParse(phone).success).toBe(false);
    },
  );
});

describe('personDataSchema', () => {
  it('accepts the contract body and normalizes it', () => {
    const parsed = personDataSchema.parse(validPersonData());

    expect(parsed.phone).toBe('+33612345678');
    expect(parsed.address.country).toBe('BE');
  });

  it('accepts a body without sex when the person does not state it', () => {
    const { sex: _omitted, ...withoutSex } = validPersonData();

    expect(personDataSchema.safeParse(withoutSex).success).toBe(true);
  });

  it('reports unknown and missing fields at their paths', () => {
    const { email: _omitted, ...body } = validPersonData();
    const result = personDataSchema.safeParse({
      ...body,
      nickname: 'x',
      address: { ...body.address, box: '3' },
    });

    expect(result.success).toBe(false);
    const paths = result.error ? fieldProblemsFromZod(result.error).map((problem) => problem.path) : [];
    expect(paths.sort()).toEqual(['address.box', 'email', 'nickname']);
  });

  it('rejects a Belgian address when the postal code does not have 4 digits', () => {
    const body = validPersonData();
    body.address.postalCode = '10000';

    const result = personDataSchema.safeParse(body);

    expect(result.error && fieldProblemsFromZod(result.error)).toEqual([
      {
        path: 'address.postalCode',
        message: 'A Belgian postal code has 4 digits',
        code: 'postal-code-be',
        params: { field: 'postalCode' },
      },
    ]);
  });

  it('accepts a foreign postal code with letters when the country is not Belgium', () => {
    const body = validPersonData();
    body.address = { ...body.address, postalCode: 'SW1A 1AA', country: 'GB' };

    expect(personDataSchema.safeParse(body).success).toBe(true);
  });

  it('rejects a birth date in the future', () => {
    const body = { ...validPersonData(), birthDate: isoDay(new Date(Date.now() + 5 * DAY)) };

    expect(personDataSchema.safeParse(body).success).toBe(false);
  });

  it('yields a strict JSON Schema with the contract fields when generated for OpenAPI', () => {
    const schema = requestJsonSchema(personDataSchema) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { additionalProperties?: boolean }>;
    };

    expect(schema.required.sort()).toEqual(
      [
        'address',
        'birthDate',
        'email',
        'familyName',
        'givenNames',
        'nationality',
        'phone',
        'placeOfBirth',
      ].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.address?.additionalProperties).toBe(false);
  });
});

describe('inszSchema', () => {
  it('returns the 11 digits when the number is valid with separators', () => {
    expect(inszSchema.parse('85.07.30-033.28')).toBe('85073003328');
  });

  it('reports the problem without echoing the number when the check digits are wrong', () => {
    const result = inszSchema.safeParse('85073003329');

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('85073003329');
  });

  it('rejects text that is not a number', () => {
    expect(inszSchema.safeParse('not a number').success).toBe(false);
  });
});

describe('enterpriseNumberSchema', () => {
  it('returns the 10 digits when the number is valid in its printed or VAT form', () => {
    expect(enterpriseNumberSchema.parse('0123.456.749')).toBe('0123456749');
    expect(enterpriseNumberSchema.parse('BE 0123456749')).toBe('0123456749');
  });

  it('rejects a number whose check digits are wrong', () => {
    expect(enterpriseNumberSchema.safeParse('0123.456.748').success).toBe(false);
  });
});
