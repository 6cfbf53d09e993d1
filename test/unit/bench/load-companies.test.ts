/**
 * The companies a deployed-stage load run claims (test/bench/load-companies.ts and
 * artillery/load-companies.cjs): valid enterprise numbers, the same in the generator and in Artillery,
 * a file `register:seed` takes, no national number on the terminal.
 */
import { describe, expect, it } from 'vitest';
import { isValidEnterpriseNumber, isValidInsz } from '#shared/belgian-ids';
import { companiesCsv, loadCompanies, main } from '#test/bench/load-companies';
import { companyRowSchema, parseRecords } from '../../../bin/seed-registers.ts';
import { loadCompanyOf, runLabel } from '../../bench/artillery/load-companies.cjs';

const HEADER = 'username,password,totpSecret,codeCard,orgCode,email,insz,eidasAccessToken';
const ANN = '85073003328';
const BOB = '79110222494';

/** Valid national numbers of people born in the 1980s (check digits: 97 − number mod 97). */
function nationalNumbers(count: number): string[] {
  const numbers: string[] = [];
  for (let n = 0; numbers.length < count; n++) {
    const base = `8${String(n % 10)}${String(1 + (Math.floor(n / 10) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 120) % 28)).padStart(2, '0')}${String(1 + Math.floor(n / 3360)).padStart(3, '0')}`;
    const insz = `${base}${String(97 - (Number(base) % 97)).padStart(2, '0')}`;
    if (isValidInsz(insz)) numbers.push(insz);
  }
  return numbers;
}

describe('loadCompanyOf', () => {
  it('gives a valid enterprise number starting with 1, the same for the same person and run', () => {
    // Act
    const company = loadCompanyOf(ANN, 'r1');

    // Assess
    expect(isValidEnterpriseNumber(company.enterpriseNumber)).toBe(true);
    expect(company.enterpriseNumber).toMatch(/^1\d{9}$/);
    expect(company.name).toBe(`eid-access load test r1 ${company.enterpriseNumber.slice(1, 8)}`);
    expect(loadCompanyOf('85.07.30-033.28', 'r1')).toEqual(company);
    expect(loadCompanyOf(ANN, 'r2').enterpriseNumber).not.toBe(company.enterpriseNumber);
    expect(loadCompanyOf(BOB, 'r1').enterpriseNumber).not.toBe(company.enterpriseNumber);
  });

  it('takes run 1 without a label and refuses a label that is not one', () => {
    expect(loadCompanyOf(ANN, undefined)).toEqual(loadCompanyOf(ANN, '1'));
    expect(runLabel('')).toBe('1');
    expect(() => runLabel('run 2')).toThrow('LOAD_RUN must be');
    expect(() => loadCompanyOf(ANN, 'a/b')).toThrow('LOAD_RUN must be');
  });

  it('spreads many people over distinct valid numbers', () => {
    // Act: the companies of 300 people (more accounts than a stage keeps).
    const numbers = nationalNumbers(300).map((insz) => loadCompanyOf(insz, 'spread').enterpriseNumber);

    // Assess
    expect(numbers.every(isValidEnterpriseNumber)).toBe(true);
    expect(new Set(numbers).size).toBe(300);
  });
});

describe('loadCompanies', () => {
  it('writes one company per person with an insz, in the form register:seed takes', () => {
    // Prepare: Ann twice (two accounts of one person), Bob, and a line without insz.
    const csv = [
      HEADER,
      `ann,pw,ABC,,0712459852,ann@example.be,${ANN},`,
      'nobody,pw,ABC,,0712459852,no@example.be,,token',
      `ann2,pw,DEF,,0712459852,ann@example.be,85.07.30-033.28,`,
      `bob,pw,GHI,,0712459852,bob@example.be,${BOB},`,
    ].join('\r\n');

    // Act
    const result = loadCompanies(csv, 'r3');
    const seeded = parseRecords(companiesCsv(result.companies), 'csv').map(({ record }) =>
      companyRowSchema.parse(record),
    );

    // Assess
    expect(result.problems).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(seeded).toEqual([
      { ...loadCompanyOf(ANN, 'r3'), legalRepresentatives: [ANN] },
      { ...loadCompanyOf(BOB, 'r3'), legalRepresentatives: [BOB] },
    ]);
  });

  it('refuses a line whose insz is no national number, and two people on one number', () => {
    // Prepare: two valid numbers that land on one enterprise number in run "clash".
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (const insz of nationalNumbers(20_000)) {
      const number = loadCompanyOf(insz, 'clash').enterpriseNumber;
      const earlier = seen.get(number);
      if (earlier) {
        pair = [earlier, insz];
        break;
      }
      seen.set(number, insz);
    }
    if (!pair) throw new Error('no two numbers of 20,000 share a company: widen the search');
    const csv = [
      HEADER,
      'ann,pw,ABC,,0712459852,ann@example.be,85073003329,',
      `x,pw,ABC,,0712459852,x@example.be,${pair[0]},`,
      `y,pw,ABC,,0712459852,y@example.be,${pair[1]},`,
    ].join('\n');

    // Act
    const result = loadCompanies(csv, 'clash');

    // Assess: the row numbers as in the file (header = 1); nothing to seed.
    expect(result.problems).toEqual([
      'row 2: insz is not a national or BIS number',
      `rows 3 and 4: two people land on enterprise number ${loadCompanyOf(pair[0], 'clash').enterpriseNumber}; choose another LOAD_RUN`,
    ]);
    expect(result.companies).toEqual([]);
  });
});

describe('npm run load:companies', () => {
  const run = async (argv: string[], csv: string, env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = [];
    const written = new Map<string, string>();
    const code = await main(
      argv,
      env,
      (line) => lines.push(line),
      async () => csv,
      async (path, text) => {
        written.set(path, text);
      },
    );
    return { code, lines, written };
  };

  it('writes the companies of LOAD_RUN to --out and prints counts, never a national number', async () => {
    const csv = [HEADER, `ann,pw,ABC,,0712459852,ann@example.be,${ANN},`, 'b,pw,,,0712459852,b@x.be,,'].join(
      '\n',
    );

    const { code, lines, written } = await run(['--users', 'users.csv', '--out', 'companies.csv'], csv, {
      LOAD_RUN: 'r9',
    });

    expect(code).toBe(0);
    expect(written.get('companies.csv')).toBe(
      companiesCsv([{ ...loadCompanyOf(ANN, 'r9'), legalRepresentatives: ANN }]),
    );
    expect(lines.join('\n')).toContain('Run r9: 1 companies in companies.csv (1 lines without insz skipped)');
    expect(lines.join('\n')).not.toContain(ANN);
  });

  it('answers 2 without --out or with a bad label, 1 with a bad line; writes nothing then', async () => {
    const good = [HEADER, `ann,pw,ABC,,0712459852,ann@example.be,${ANN},`].join('\n');
    const bad = [HEADER, 'ann,pw,ABC,,0712459852,ann@example.be,12345678901,'].join('\n');

    const noOut = await run(['--users', 'users.csv'], good);
    const badLabel = await run(['--users', 'u.csv', '--out', 'c.csv', '--run', 'no spaces'], good);
    const badLine = await run(['--users', 'u.csv', '--out', 'c.csv'], bad);

    expect([noOut.code, badLabel.code, badLine.code]).toEqual([2, 2, 1]);
    expect(badLine.lines).toEqual([
      'row 2: insz is not a national or BIS number',
      '1 problem(s); c.csv was not written.',
    ]);
    expect([...noOut.written, ...badLabel.written, ...badLine.written]).toEqual([]);
  });
});
