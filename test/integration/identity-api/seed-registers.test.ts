import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { keys } from '#shared/keys';
import { seedRegistersPerFile } from '#test/helpers/seed-registers';
import { main } from '../../../bin/seed-registers.ts';

const files = seedRegistersPerFile('seed-registers-');

describe('register:seed against DynamoDB Local', () => {
  it('leaves the table as it was when the same file is seeded twice', async () => {
    const file = files.path('persons.csv');
    await writeFile(
      file,
      'insz,givenNames,familyName,birthDate\n85.07.30-033.28,Jan,Peeters,1985-07-30\n06070500252,Lotte,"Claes",2006-07-05\n',
    );

    const first = await files.seed(file);
    const snapshot = await files.table.snapshot();
    const second = await files.seed(file);

    expect(first.code).toBe(0);
    expect(first.output.at(-1)).toMatch(/2 created, 0 updated, 0 unchanged \(2 rows\)/);
    expect(second.output.at(-1)).toMatch(/0 created, 0 updated, 2 unchanged \(2 rows\)/);
    expect(await files.table.snapshot()).toEqual(snapshot);
    expect(snapshot.find((item) => item.PK === keys.registeredPerson('85073003328').PK)).toMatchObject({
      insz: '85073003328',
      givenNames: 'Jan',
      familyName: 'Peeters',
      birthDate: '1985-07-30',
    });
  });

  it('updates a changed entry when a JSON file corrects it', async () => {
    const file = files.path('corrections.json');
    await writeFile(
      file,
      JSON.stringify([
        { insz: '85073003328', givenNames: 'Jan Pieter', familyName: 'Peeters', birthDate: '1985-07-30' },
      ]),
    );

    const result = await files.seed(file);

    expect(result.output.at(-1)).toMatch(/0 created, 1 updated, 0 unchanged/);
    const item = (await files.table.snapshot()).find(
      (entry) => entry.PK === keys.registeredPerson('85073003328').PK,
    );
    expect(item?.givenNames).toBe('Jan Pieter');
  });

  it('writes nothing and exits 1 when a row is invalid', async () => {
    const file = files.path('invalid.csv');
    await writeFile(
      file,
      'insz,givenNames,familyName,birthDate\n72231500158,Ann,Smet,1972-03-15\n85073003329,X,Y,1985-07-30\n',
    );
    const before = await files.table.snapshot();

    const result = await files.seed(file);

    expect(result.code).toBe(1);
    expect(result.output[0]).toMatch(/^row 3: insz:/);
    expect(await files.table.snapshot()).toEqual(before);
  });

  it('exits 2 with the usage when no table is given', async () => {
    const output: string[] = [];

    const code = await main(['--file', 'x.csv'], {}, (line) => output.push(line), files.table.documentClient);

    expect(code).toBe(2);
    expect(output[0]).toMatch(/--table/);
  });
});
