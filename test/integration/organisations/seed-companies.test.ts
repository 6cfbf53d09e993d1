import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { main } from '../../../bin/seed-registers.ts';
import { createDynamoCompanyRegister } from '../../../lambdas/organisations/company-register.ts';

let table: TestTable;
let folder: string;

beforeAll(async () => {
  table = await createTestTable();
  folder = await mkdtemp(join(tmpdir(), 'seed-companies-'));
});

afterAll(async () => {
  await table.dispose();
  await rm(folder, { recursive: true, force: true });
});

async function seed(file: string): Promise<{ code: number; output: string[] }> {
  const output: string[] = [];
  const code = await main(
    ['--table', table.tableName, '--file', file, '--register', 'companies'],
    {},
    (line) => output.push(line),
    table.documentClient,
  );
  return { code, output };
}

describe('register:seed --register companies against DynamoDB Local', () => {
  it('seeds the company register from a CSV, idempotently, and the claim port reads it back', async () => {
    const file = join(folder, 'companies.csv');
    await writeFile(
      file,
      'enterpriseNumber,name,legalRepresentatives\n' +
        'BE0403.019.261,"Bouw Claes NV","85.07.30-033.28;06070500252"\n' +
        '0403019261,"Bouw Claes NV",06070500252 85073003328\n',
    );

    const first = await seed(file);
    const snapshot = await table.snapshot();
    const second = await seed(file);
    const found = await createDynamoCompanyRegister(table).findCompany('0403019261');

    expect(first.code, first.output.join('\n')).toBe(0);
    expect(first.output.at(-1)).toMatch(/companies register .*1 created, 0 updated, 0 unchanged \(2 rows\)/);
    expect(second.output.at(-1)).toMatch(/0 created, 0 updated, 1 unchanged/);
    expect(await table.snapshot()).toEqual(snapshot);
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
    const file = join(folder, 'bad.json');
    await writeFile(
      file,
      JSON.stringify([
        { enterpriseNumber: '0403019262', name: 'Wrong check', legalRepresentatives: ['85073003328'] },
        { enterpriseNumber: '0403019261', name: 'Bad INSZ', legalRepresentatives: ['85073003329'] },
        { enterpriseNumber: '0403019261', name: 'Nobody', legalRepresentatives: [] },
      ]),
    );
    const before = await table.snapshot();

    const result = await seed(file);

    expect(result.code).toBe(1);
    expect(result.output.filter((line) => line.startsWith('row '))).toHaveLength(3);
    expect(result.output.join('\n')).not.toContain('85073003329');
    expect(await table.snapshot()).toEqual(before);
  });
});
