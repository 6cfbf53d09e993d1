import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { keys } from '#shared/keys';
import { seedRegistersPerFile } from '#test/helpers/seed-registers';
import { createDynamoCompanyRegister } from '../../../lambdas/organisations/company-register.ts';

const files = seedRegistersPerFile('seed-companies-', ['--register', 'companies']);

describe('register:seed --register companies against DynamoDB Local', () => {
  it('seeds the company register from a CSV, idempotently, and the claim port reads it back', async () => {
    const file = files.path('companies.csv');
    await writeFile(
      file,
      'enterpriseNumber,name,legalRepresentatives\n' +
        'BE0403.019.261,"Bouw Claes NV","85.07.30-033.28;06070500252"\n' +
        '0403019261,"Bouw Claes NV",06070500252 85073003328\n',
    );

    const first = await files.seed(file);
    const snapshot = await files.table.snapshot();
    const second = await files.seed(file);
    const found = await createDynamoCompanyRegister(files.table).findCompany('0403019261');

    expect(first.code, first.output.join('\n')).toBe(0);
    expect(first.output.at(-1)).toMatch(/companies register .*1 created, 0 updated, 0 unchanged \(2 rows\)/);
    expect(second.output.at(-1)).toMatch(/0 created, 0 updated, 1 unchanged/);
    expect(await files.table.snapshot()).toEqual(snapshot);
    expect(snapshot.find((item) => item.PK === keys.registeredCompany('0403019261').PK)).toMatchObject({
      type: 'registeredCompany',
      name: 'Bouw Claes NV',
    });
    expect(found).toEqual({
      enterpriseNumber: '0403019261',
      name: 'Bouw Claes NV',
      legalRepresentatives: ['06070500252', '85073003328'],
    });
  });

  it('writes nothing and exits 1 when a row has an invalid enterprise number or INSZ', async () => {
    const file = files.path('bad.json');
    await writeFile(
      file,
      JSON.stringify([
        { enterpriseNumber: '0403019262', name: 'Wrong check', legalRepresentatives: ['85073003328'] },
        { enterpriseNumber: '0403019261', name: 'Bad INSZ', legalRepresentatives: ['85073003329'] },
        { enterpriseNumber: '0403019261', name: 'Nobody', legalRepresentatives: [] },
      ]),
    );
    const before = await files.table.snapshot();

    const result = await files.seed(file);

    expect(result.code).toBe(1);
    expect(result.output.filter((line) => line.startsWith('row '))).toHaveLength(3);
    expect(result.output.join('\n')).not.toContain('85073003329');
    expect(await files.table.snapshot()).toEqual(before);
  });
});
