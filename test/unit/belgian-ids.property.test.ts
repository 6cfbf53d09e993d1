import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  issueBisNumber,
  isValidEnterpriseNumber,
  isValidInsz,
  parseEnterpriseNumber,
  parseInsz,
} from '#shared/belgian-ids';

const RUNS = { numRuns: 400 };

/** INSZ check digits computed independently of the module (BigInt arithmetic). */
function inszCheck(firstNine: string, century: 1900 | 2000): string {
  const n = BigInt(firstNine) + (century === 2000 ? 2_000_000_000n : 0n);
  return String(97n - (n % 97n)).padStart(2, '0');
}

function enterpriseCheck(firstEight: string): string {
  return String(97n - (BigInt(firstEight) % 97n)).padStart(2, '0');
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A real calendar date in 1900-2099 as numbers. */
const realDate = fc
  .record({
    year: fc.integer({ min: 1900, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.nat(30),
  })
  .map(({ year, month, day }) => {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return { year, month, day: (day % lastDay) + 1 };
  });

const isoOf = ({ year, month, day }: { year: number; month: number; day: number }) =>
  `${year}-${pad(month, 2)}-${pad(day, 2)}`;

/** Sequences that are issued: 001..998. */
const sequence = fc.integer({ min: 1, max: 998 });

/** A valid RRN built in the test, with what it must parse to. */
const rrn = fc.record({ date: realDate, sequence }).map(({ date, sequence: sss }) => {
  const firstNine = `${pad(date.year % 100, 2)}${pad(date.month, 2)}${pad(date.day, 2)}${pad(sss, 3)}`;
  return {
    value: firstNine + inszCheck(firstNine, date.year >= 2000 ? 2000 : 1900),
    birthDate: isoOf(date),
    sex: sss % 2 === 1 ? 'M' : 'F',
  };
});

const bisRequest = fc.record({
  birthDate: fc.option(realDate.map(isoOf), { freq: 4 }),
  sex: fc.constantFrom('M' as const, 'F' as const, null),
  fraction: fc.double({ min: 0, max: 1, noNaN: true }),
});

/** Any valid INSZ: a generated RRN or an issued BIS number. */
const validInsz = fc.oneof(
  rrn.map((r) => r.value),
  bisRequest.map(({ birthDate, sex, fraction }) =>
    issueBisNumber({ birthDate, sex, sequence: 1 + Math.floor(fraction * (sex === null ? 997 : 498)) }),
  ),
);

const validEnterpriseNumber = fc
  .tuple(fc.constantFrom('0', '1'), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([first, rest]) => {
    const firstEight = first + pad(rest, 7);
    return firstEight + enterpriseCheck(firstEight);
  });

/** Every number that differs from `value` in exactly one digit, with the position and change. */
function singleDigitCorruptions(value: string): { corrupted: string; position: number; delta: number }[] {
  const out: { corrupted: string; position: number; delta: number }[] = [];
  for (let position = 0; position < value.length; position++) {
    const original = Number(value[position]);
    for (let digit = 0; digit <= 9; digit++) {
      if (digit === original) continue;
      const corrupted = value.slice(0, position) + digit + value.slice(position + 1);
      out.push({ corrupted, position, delta: digit - original });
    }
  }
  return out;
}

describe('parseInsz (properties)', () => {
  it('returns the date and sex a generated RRN encodes, in both centuries', () => {
    fc.assert(
      fc.property(rrn, ({ value, birthDate, sex }) => {
        expect(parseInsz(value)).toEqual({ value, kind: 'RRN', birthDate, sex });
      }),
      RUNS,
    );
  });

  it('tells 1900s from 2000s births by the check-digit variant when the first nine digits are equal', () => {
    const datePart = realDate.filter(({ month, day }) => !(month === 2 && day === 29));
    fc.assert(
      fc.property(datePart, sequence, (date, sss) => {
        const firstNine = `${pad(date.year % 100, 2)}${pad(date.month, 2)}${pad(date.day, 2)}${pad(sss, 3)}`;
        const old = parseInsz(firstNine + inszCheck(firstNine, 1900));
        const young = parseInsz(firstNine + inszCheck(firstNine, 2000));
        expect(old.birthDate?.slice(0, 2)).toBe('19');
        expect(young.birthDate?.slice(0, 2)).toBe('20');
        expect(old.birthDate?.slice(2)).toBe(young.birthDate?.slice(2));
      }),
      RUNS,
    );
  });

  it('gives no birth date but keeps the sex when the month or the day is 00', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.oneof(
          fc.record({ month: fc.constant(0), day: fc.integer({ min: 0, max: 31 }) }),
          fc.record({ month: fc.integer({ min: 0, max: 12 }), day: fc.constant(0) }),
        ),
        sequence,
        fc.constantFrom(1900 as const, 2000 as const),
        (yy, { month, day }, sss, century) => {
          const firstNine = `${pad(yy, 2)}${pad(month, 2)}${pad(day, 2)}${pad(sss, 3)}`;
          expect(parseInsz(firstNine + inszCheck(firstNine, century))).toEqual({
            value: firstNine + inszCheck(firstNine, century),
            kind: 'RRN',
            birthDate: null,
            sex: sss % 2 === 1 ? 'M' : 'F',
          });
        },
      ),
      RUNS,
    );
  });

  it('ignores separators wherever they are inserted', () => {
    fc.assert(
      fc.property(
        validInsz,
        fc.array(fc.tuple(fc.nat(11), fc.constantFrom('.', '-', ' ')), { maxLength: 6 }),
        (value, insertions) => {
          let input = value;
          for (const [at, separator] of insertions) input = input.slice(0, at) + separator + input.slice(at);
          expect(parseInsz(input).value).toBe(value);
        },
      ),
      RUNS,
    );
  });

  it('rejects every single-digit corruption except a ±6 change of the year digit that flips the century', () => {
    fc.assert(
      fc.property(validInsz, (value) => {
        const original = parseInsz(value);
        const accepted = singleDigitCorruptions(value).filter(({ corrupted }) => isValidInsz(corrupted));
        for (const { corrupted, position, delta } of accepted) {
          // The one blind spot of the two-century rule: 6·10^7 ≡ ±(2·10^9) (mod 97).
          expect({ position, delta: Math.abs(delta) }).toEqual({ position: 1, delta: 6 });
          const flipped = parseInsz(corrupted);
          if (original.birthDate !== null && flipped.birthDate !== null) {
            const centuryShift =
              Number(flipped.birthDate.slice(0, 2)) - Number(original.birthDate.slice(0, 2));
            expect(Math.abs(centuryShift)).toBe(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a ±6 change of the year digit only with the other century, as the module documents', () => {
    // 1926 → "20": the 2000+ rule validates the corrupted number, as 2020.
    const original = `260101001${inszCheck('260101001', 1900)}`;
    const corrupted = `20${original.slice(2)}`;
    expect(parseInsz(original).birthDate).toBe('1926-01-01');
    expect(parseInsz(corrupted).birthDate).toBe('2020-01-01');
  });
});

describe('issueBisNumber (properties)', () => {
  it('issues numbers that parse back as BIS with the same birth date and sex', () => {
    fc.assert(
      fc.property(bisRequest, fc.nat(997), ({ birthDate, sex }, raw) => {
        const max = sex === null ? 998 : 499;
        const value = issueBisNumber({ birthDate, sex, sequence: (raw % max) + 1 });
        expect(value).toMatch(/^\d{11}$/);
        expect(parseInsz(value)).toEqual({ value, kind: 'BIS', birthDate, sex });
      }),
      RUNS,
    );
  });

  it('issues distinct numbers for distinct sequences when the data is the same', () => {
    fc.assert(
      fc.property(bisRequest, fc.nat(497), fc.integer({ min: 1, max: 400 }), ({ birthDate, sex }, a, gap) => {
        const max = sex === null ? 998 : 499;
        const first = (a % max) + 1;
        const second = ((first - 1 + gap) % max) + 1;
        fc.pre(first !== second);
        expect(issueBisNumber({ birthDate, sex, sequence: first })).not.toBe(
          issueBisNumber({ birthDate, sex, sequence: second }),
        );
      }),
      RUNS,
    );
  });
});

describe('parseEnterpriseNumber (properties)', () => {
  it('accepts every number with valid check digits in its 10-digit, legacy, formatted and VAT forms', () => {
    fc.assert(
      fc.property(validEnterpriseNumber, (value) => {
        const formatted = `${value.slice(0, 4)}.${value.slice(4, 7)}.${value.slice(7)}`;
        const expected = { value, formatted };
        expect(parseEnterpriseNumber(value)).toEqual(expected);
        expect(parseEnterpriseNumber(formatted)).toEqual(expected);
        expect(parseEnterpriseNumber(`BE${value}`)).toEqual(expected);
        expect(parseEnterpriseNumber(`be ${formatted}`)).toEqual(expected);
        if (value.startsWith('0')) expect(parseEnterpriseNumber(value.slice(1))).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('rejects every single-digit corruption', () => {
    fc.assert(
      fc.property(validEnterpriseNumber, (value) => {
        const accepted = singleDigitCorruptions(value).filter(({ corrupted }) =>
          isValidEnterpriseNumber(corrupted),
        );
        expect(accepted).toEqual([]);
      }),
      RUNS,
    );
  });

  it('detects any single-digit change because no change d·10^k is a multiple of 97', () => {
    const undetected: string[] = [];
    for (let k = 0n; k <= 10n; k++) {
      for (let d = 1n; d <= 9n; d++) if ((d * 10n ** k) % 97n === 0n) undetected.push(`${d}e${k}`);
    }
    expect(undetected).toEqual([]);
  });
});
