import { describe, expect, it } from 'vitest';
import {
  formatEnterpriseNumber,
  formatInsz,
  issueBisNumber,
  isValidEnterpriseNumber,
  isValidInsz,
  maxBisSequence,
  parseEnterpriseNumber,
  parseInsz,
} from '#shared/belgian-ids';
import { InvalidIdentifierError } from '#shared/errors';

/** Appends the INSZ check digits, computed here independently of the module (BigInt arithmetic). */
function withCheck(firstNine: string, century: 1900 | 2000): string {
  const n = BigInt(firstNine) + (century === 2000 ? 2_000_000_000n : 0n);
  return firstNine + String(97n - (n % 97n)).padStart(2, '0');
}

function inszError(input: string): InvalidIdentifierError {
  try {
    parseInsz(input);
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be rejected`);
}

function enterpriseError(input: string): InvalidIdentifierError {
  try {
    parseEnterpriseNumber(input);
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe('parseInsz', () => {
  it.each([
    ['85073003328', { value: '85073003328', kind: 'RRN', birthDate: '1985-07-30', sex: 'M' }],
    ['06070500252', { value: '06070500252', kind: 'RRN', birthDate: '2006-07-05', sex: 'F' }],
    ['85493001153', { value: '85493001153', kind: 'BIS', birthDate: '1985-09-30', sex: 'M' }],
    ['72231500158', { value: '72231500158', kind: 'BIS', birthDate: '1972-03-15', sex: null }],
  ])('parses the worked example %s', (input, expected) => {
    expect(parseInsz(input)).toEqual(expected);
  });

  it.each(['85.07.30-033.28', '85 07 30 033 28', '850730-033-28', ' 85073003328\t', '85.07.30 - 033.28'])(
    'accepts separators when the input is %j',
    (input) => {
      expect(parseInsz(input).value).toBe('85073003328');
    },
  );

  it('chooses the 1900s when the check digits follow the plain rule', () => {
    const value = withCheck('060705002', 1900);
    expect(value).toBe('06070500223');
    expect(parseInsz(value).birthDate).toBe('1906-07-05');
    expect(parseInsz('06070500252').birthDate).toBe('2006-07-05');
  });

  it('rejects wrong check digits without revealing the expected ones when a digit is off', () => {
    const error = inszError('85073003329');
    expect(error.name).toBe('InvalidIdentifierError');
    expect(error.message).toMatch(/check digits/);
    expect(error.code).toBe('check-digits');
    // The valid variants end in 28 (1900s) and in another pair (2000s): neither may be named.
    expect(error.message).not.toMatch(/\d{2}/);
  });

  it('does not echo the identifier when it refuses it', () => {
    expect(inszError('85073003329').message).not.toContain('85073003329');
    expect(inszError('85.07.30-033.29').message).not.toContain('850730');
  });

  it.each([
    ['8507300332', /11 digits, got 10/],
    ['850730033280', /11 digits, got 12/],
    ['85073003A28', /characters other than digits/],
    ['85/07/30 033 28', /characters other than digits/],
    ['', /empty/],
    [' . - ', /empty/],
  ])('rejects %j with a message that says what is wrong', (input, message) => {
    expect(inszError(input).message).toMatch(message);
  });

  it.each(['13', '19', '33', '39', '53', '99'])('rejects month %s as impossible', (month) => {
    const value = withCheck(`85${month}30033`, 1900);
    expect(inszError(value).message).toMatch(new RegExp(`impossible month ${month}`));
  });

  it('rejects day 32 as impossible', () => {
    expect(inszError(withCheck('850732033', 1900)).message).toMatch(/impossible day 32/);
  });

  it.each(['000', '999'])('rejects sequence %s even with valid check digits', (sequence) => {
    for (const century of [1900, 2000] as const) {
      const error = inszError(withCheck(`850730${sequence}`, century));
      expect(error.message).toMatch(new RegExp(`unused sequence ${sequence}`));
    }
  });

  it('accepts the extreme sequences 001 and 998', () => {
    expect(parseInsz(withCheck('850730001', 1900)).sex).toBe('M');
    expect(parseInsz(withCheck('850730998', 1900)).sex).toBe('F');
  });

  it.each([
    ['850000033', 'month and day unknown'],
    ['850030033', 'month unknown'],
    ['850700033', 'day unknown'],
  ])('gives no birth date when %s has the %s', (firstNine) => {
    expect(parseInsz(withCheck(firstNine, 1900))).toMatchObject({ kind: 'RRN', birthDate: null, sex: 'M' });
  });

  it('rejects a fully known date that does not exist when it is 30 February', () => {
    expect(inszError(withCheck('850230033', 1900)).message).toMatch(/does not exist: day 30 of month 2/);
    expect(inszError(withCheck('850431033', 1900)).message).toMatch(/does not exist/);
  });

  it('applies the leap year of the century the check digits select when the date is 29 February', () => {
    expect(parseInsz(withCheck('000229001', 2000)).birthDate).toBe('2000-02-29');
    expect(inszError(withCheck('000229001', 1900)).message).toMatch(/1900 is not a leap year/);
    expect(parseInsz(withCheck('040229002', 1900)).birthDate).toBe('1904-02-29');
    expect(inszError(withCheck('010229002', 2000)).message).toMatch(/2001 is not a leap year/);
  });

  it('accepts day 31 with an unknown month', () => {
    expect(parseInsz(withCheck('850031033', 1900)).birthDate).toBeNull();
  });

  it.each([
    ['002000001', 1900, null],
    ['004000001', 1900, 'M'],
    ['004000002', 1900, 'F'],
    ['852000011', 1900, null],
    ['854000012', 2000, 'F'],
    ['852015011', 1900, null],
    ['853200011', 1900, null],
    ['855231011', 1900, 'M'],
  ] as const)('parses the BIS number %s with an unknown or partial date', (firstNine, century, sex) => {
    const parsed = parseInsz(withCheck(firstNine, century));
    expect(parsed.kind).toBe('BIS');
    expect(parsed.sex).toBe(sex);
    if (firstNine.slice(2, 4) === '52') {
      expect(parsed.birthDate).toBe('1985-12-31');
    } else {
      expect(parsed.birthDate).toBeNull();
    }
  });

  it('rejects a BIS number whose known date does not exist', () => {
    expect(inszError(withCheck('854230011', 1900)).message).toMatch(/does not exist/);
    expect(inszError(withCheck('852230011', 1900)).message).toMatch(/does not exist/);
  });
});

describe('isValidInsz', () => {
  it('answers true when the number is valid and false when it is not', () => {
    expect(isValidInsz('85.07.30-033.28')).toBe(true);
    expect(isValidInsz('85073003329')).toBe(false);
    expect(isValidInsz('not a number')).toBe(false);
  });
});

describe('formatInsz', () => {
  it('prints YY.MM.DD-SSS.CC when given the digits or another accepted form', () => {
    expect(formatInsz('85073003328')).toBe('85.07.30-033.28');
    expect(formatInsz('72 23 15 001 58')).toBe('72.23.15-001.58');
  });

  it('throws when the number is invalid', () => {
    expect(() => formatInsz('85073003329')).toThrow(InvalidIdentifierError);
  });
});

describe('parseEnterpriseNumber', () => {
  it.each([
    '0403019261',
    '0403.019.261',
    '0403 019 261',
    '0403-019-261',
    'BE0403019261',
    'BE 0403.019.261',
    'be0403.019.261',
    'Be 0403019261',
    '403019261',
    '403.019.261',
    'BE403019261',
    ' 0403.019.261 ',
  ])('accepts %j as 0403.019.261', (input) => {
    expect(parseEnterpriseNumber(input)).toEqual({ value: '0403019261', formatted: '0403.019.261' });
  });

  it.each(['0202.239.951', '0417.497.106', '0403.200.393', '0207.437.468', '1000.000.021'])(
    'accepts the valid number %s',
    (formatted) => {
      expect(parseEnterpriseNumber(formatted.replaceAll('.', '')).formatted).toBe(formatted);
    },
  );

  it('rejects wrong check digits without saying which were expected', () => {
    const error = enterpriseError('0403019262');
    expect(error.message).toMatch(/check digits/);
    expect(error.code).toBe('check-digits');
    expect(error.message).not.toContain('61');
  });

  it.each([
    ['2403019261', /start with 0 or 1, got 2/],
    ['BE2403019261', /start with 0 or 1/],
    ['04030192', /10 digits .*got 8/],
    ['04030192611', /10 digits .*got 11/],
    ['0403O19261', /characters other than digits/],
    ['FR0403019261', /characters other than digits/],
    ['0403019261BE', /characters other than digits/],
    ['BE', /empty/],
    ['', /empty/],
  ])('rejects %j with a message that says what is wrong', (input, message) => {
    const error = enterpriseError(input);
    expect(error.name).toBe('InvalidIdentifierError');
    expect(error.message).toMatch(message);
  });
});

describe('isValidEnterpriseNumber', () => {
  it('answers true when the number is valid and false when it is not', () => {
    expect(isValidEnterpriseNumber('BE 0403.019.261')).toBe(true);
    expect(isValidEnterpriseNumber('0403.019.262')).toBe(false);
  });
});

describe('formatEnterpriseNumber', () => {
  it('prints 0XXX.XXX.XXX when given a legacy 9-digit number', () => {
    expect(formatEnterpriseNumber('403019261')).toBe('0403.019.261');
  });

  it('throws when the number is invalid', () => {
    expect(() => formatEnterpriseNumber('0403019262')).toThrow(/check digits/);
  });
});

describe('issueBisNumber', () => {
  it('reproduces the worked examples when given their data and sequence', () => {
    expect(issueBisNumber({ birthDate: '1985-09-30', sex: 'M', sequence: 6 })).toBe('85493001153');
    expect(issueBisNumber({ birthDate: '1972-03-15', sex: null, sequence: 1 })).toBe('72231500158');
  });

  it('maps the sequence onto odd SSS for men, even for women and all for unknown sex', () => {
    const sss = (sex: 'M' | 'F' | null, sequence: number) =>
      issueBisNumber({ birthDate: '1985-09-30', sex, sequence }).slice(6, 9);
    expect([sss('M', 1), sss('M', 2), sss('M', 499)]).toEqual(['001', '003', '997']);
    expect([sss('F', 1), sss('F', 2), sss('F', 499)]).toEqual(['002', '004', '998']);
    expect([sss(null, 1), sss(null, 2), sss(null, 998)]).toEqual(['001', '002', '998']);
  });

  it('uses zero date parts and the pre-2000 check rule when the birth date is unknown', () => {
    expect(issueBisNumber({ birthDate: null, sex: null, sequence: 1 })).toBe(withCheck('002000001', 1900));
    expect(issueBisNumber({ birthDate: null, sex: 'M', sequence: 1 })).toBe(withCheck('004000001', 1900));
    expect(parseInsz(issueBisNumber({ birthDate: null, sex: 'F', sequence: 3 }))).toEqual({
      value: withCheck('004000006', 1900),
      kind: 'BIS',
      birthDate: null,
      sex: 'F',
    });
  });

  it('uses the 2000+ check rule when the person was born in 2000 or later', () => {
    const value = issueBisNumber({ birthDate: '2006-07-05', sex: 'F', sequence: 1 });
    expect(value).toBe(withCheck('064705002', 2000));
    expect(parseInsz(value).birthDate).toBe('2006-07-05');
    expect(parseInsz(issueBisNumber({ birthDate: '2000-02-29', sex: null, sequence: 7 })).birthDate).toBe(
      '2000-02-29',
    );
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 500])(
    'throws a RangeError when a man gets sequence %s',
    (sequence) => {
      expect(() => issueBisNumber({ birthDate: '1985-09-30', sex: 'M', sequence })).toThrow(RangeError);
      expect(() => issueBisNumber({ birthDate: '1985-09-30', sex: 'M', sequence })).toThrow(
        /sequence must be an integer from 1 to 499/,
      );
    },
  );

  it('throws a RangeError when the sequence exceeds the unknown-sex range', () => {
    expect(() => issueBisNumber({ birthDate: null, sex: null, sequence: 999 })).toThrow(/from 1 to 998/);
    expect(() => issueBisNumber({ birthDate: null, sex: 'F', sequence: 500 })).toThrow(/from 1 to 499/);
  });

  it.each(['1985-13-01', '1985-02-29', '1900-02-29', '85-01-01', '1985-1-1', '2100-01-01', '1899-12-31', ''])(
    'throws a RangeError when the birth date is %j',
    (birthDate) => {
      expect(() => issueBisNumber({ birthDate, sex: 'M', sequence: 1 })).toThrow(
        /birth date must be a real ISO date/,
      );
    },
  );

  it('throws a RangeError when the sex is not M, F or null', () => {
    const sex = 'X' as unknown as 'M';
    expect(() => issueBisNumber({ birthDate: null, sex, sequence: 1 })).toThrow(RangeError);
  });
});

describe('maxBisSequence', () => {
  it('allows 499 per known sex and 998 when the sex is unknown', () => {
    expect(maxBisSequence('M')).toBe(499);
    expect(maxBisSequence('F')).toBe(499);
    expect(maxBisSequence(null)).toBe(998);
  });
});
