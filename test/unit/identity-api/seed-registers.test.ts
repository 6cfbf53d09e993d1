import { describe, expect, it } from 'vitest';
import {
  parseRecords,
  personRowSchema,
  type SeedReport,
  seedRegister,
  type WriteResult,
} from '../../../bin/seed-registers.ts';

const persons = {
  schema: personRowSchema,
  keyOf: (entry: { insz: string }) => entry.insz,
  writer: () => async () => 'created' as WriteResult,
};

describe('parseRecords', () => {
  it('reads quoted fields, CRLF, a BOM and skips blank lines when the file is CSV', () => {
    const csv =
      '\uFEFFinsz,givenNames,familyName,birthDate\r\n85.07.30-033.28,"Jan, ""Emile""",Peeters,1985-07-30\r\n\r\n06070500252,Lotte,Claes,2006-07-05\n';

    expect(parseRecords(csv, 'csv')).toEqual([
      {
        row: 2,
        record: {
          insz: '85.07.30-033.28',
          givenNames: 'Jan, "Emile"',
          familyName: 'Peeters',
          birthDate: '1985-07-30',
        },
      },
      {
        row: 4,
        record: { insz: '06070500252', givenNames: 'Lotte', familyName: 'Claes', birthDate: '2006-07-05' },
      },
    ]);
  });

  it('numbers records from 1 when the file is a JSON array', () => {
    expect(parseRecords('[{"insz":"1"},{"insz":"2"}]', 'json').map((r) => r.row)).toEqual([1, 2]);
  });

  it('throws when a JSON file is not an array', () => {
    expect(() => parseRecords('{"insz":"1"}', 'json')).toThrow(/array/);
  });
});

describe('seedRegister', () => {
  const valid = {
    insz: '85.07.30-033.28',
    givenNames: 'Jan',
    familyName: 'Peeters',
    birthDate: '1985-07-30',
  };

  it('writes every row in its stored form and counts the results when all rows are valid', async () => {
    const written: unknown[] = [];
    const results: WriteResult[] = ['created', 'unchanged'];

    const report = await seedRegister(
      persons,
      [
        { row: 2, record: valid },
        { row: 3, record: { ...valid, insz: '06070500252', birthDate: '2006-07-05' } },
      ],
      async (entry) => {
        written.push(entry);
        return results.shift() ?? 'updated';
      },
      { concurrency: 1 },
    );

    expect(report).toEqual<SeedReport>({ rows: 2, created: 1, updated: 0, unchanged: 1, invalid: [] });
    expect(written[0]).toEqual({ ...valid, insz: '85073003328' });
  });

  it('writes nothing and lists every invalid row when some rows are invalid', async () => {
    const written: unknown[] = [];

    const report = await seedRegister(
      persons,
      [
        { row: 2, record: valid },
        { row: 3, record: { ...valid, insz: '85073003329' } },
        { row: 4, record: { ...valid, birthDate: '2999-01-01' } },
        { row: 5, record: { ...valid, nickname: 'J' } },
        { row: 6, record: { ...valid, givenNames: 'Other' } },
      ],
      async (entry) => {
        written.push(entry);
        return 'created';
      },
    );

    expect(written).toEqual([]);
    expect(report.invalid.map((invalid) => invalid.row)).toEqual([3, 4, 5, 6]);
    expect(report.invalid[0]?.errors[0]).toMatch(/^insz: .*check digits/);
    expect(report.invalid[2]?.errors).toEqual(['unknown field(s) nickname']);
    expect(report.invalid[3]?.errors).toEqual(['same identifier as row 2 with other data']);
    expect(JSON.stringify(report)).not.toContain('85073003329');
  });

  it('writes an identical duplicate row once when a file repeats it', async () => {
    let writes = 0;

    const report = await seedRegister(
      persons,
      [
        { row: 2, record: valid },
        { row: 3, record: { ...valid, insz: '85073003328' } },
      ],
      async () => {
        writes++;
        return 'created';
      },
    );

    expect(writes).toBe(1);
    expect(report.invalid).toEqual([]);
  });
});
