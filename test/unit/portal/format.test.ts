import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidEnterpriseNumber, isValidInsz } from '#shared/belgian-ids';
import {
  emailProblem,
  enterpriseNumberProblem,
  formatEnterpriseNumber,
  formatInsz,
  inszProblem,
  phoneProblem,
} from '../../../portal/src/format.ts';

describe('portal number formats', () => {
  it('prints a national number as YY.MM.DD-SSS.CC and an enterprise number as 0XXX.XXX.XXX', () => {
    expect(formatInsz('85073003328')).toBe('85.07.30-033.28');
    expect(formatEnterpriseNumber('0403019261')).toBe('0403.019.261');
  });

  it('leaves values that are not numbers of that kind as they are', () => {
    expect(formatInsz('OVO000123')).toBe('OVO000123');
    expect(formatEnterpriseNumber('FOREIGN-DE-HRB1234')).toBe('FOREIGN-DE-HRB1234');
  });
});

describe('portal browser-side checks', () => {
  it('refuses wrong check digits without naming the expected ones', () => {
    expect(inszProblem('85.07.30-033.29')).toBe('check-digits');
    expect(enterpriseNumberProblem('0403.019.262')).toBe('check-digits');
    expect(inszProblem('85.07.30-033.28')).toBeUndefined();
    expect(inszProblem('06070500252')).toBeUndefined();
    expect(enterpriseNumberProblem('BE 0403.019.261')).toBeUndefined();
  });

  it('agrees with the API on which national and enterprise numbers are valid', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        // The browser checks length and check digits only: what it refuses, the API refuses too.
        if (inszProblem(digits) !== undefined) expect(isValidInsz(digits)).toBe(false);
        if (isValidInsz(digits)) expect(inszProblem(digits)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[01]\d{9}$/), (digits) => {
        expect(enterpriseNumberProblem(digits) === undefined).toBe(isValidEnterpriseNumber(digits));
      }),
    );
  });

  it('names what is wrong with e-mail addresses and phone numbers', () => {
    expect(emailProblem('lena@example.de')).toBeUndefined();
    expect(emailProblem('lena@')).toBe('invalid-email');
    expect(phoneProblem('+32 470 12 34 56')).toBeUndefined();
    expect(phoneProblem('0470123456')).toBe('invalid-phone');
  });
});
