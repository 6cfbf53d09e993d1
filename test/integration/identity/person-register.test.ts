/**
 * The table-backed person register on DynamoDB Local: entries carry GSI2 `BORN#<birthDate>`, seeding
 * adds it to a legacy entry and is otherwise idempotent, and the birth-date query finds register
 * entries and person profiles born that day (the registration office's duplicate search).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityKeys, keys } from '#shared/keys';
import { createDynamoPersonRegister, isLikelyDuplicate } from '#shared/person-register';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

describe('person register on DynamoDB Local', () => {
  it('indexes entries by birth date, adds the index to a legacy entry once, and finds register entries and persons born that day', async () => {
    const register = createDynamoPersonRegister({
      tableName: table.tableName,
      documentClient: table.documentClient,
    });
    const legacy = { insz: '85073003328', givenNames: 'Lotte', familyName: 'Claes', birthDate: '1985-07-30' };
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.registeredPerson(legacy.insz), type: 'registeredPerson', ...legacy },
      }),
    );
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.person('01JZ0000000000000000000007'),
          ...identityKeys.bornOn('1985-07-30', 'PERSON', '01JZ0000000000000000000007'),
          type: 'person',
          givenNames: 'Jean-Luc',
          familyName: "D'Hondt",
          birthDate: '1985-07-30',
        },
      }),
    );

    const first = await register.putPerson(legacy);
    const second = await register.putPerson(legacy);
    const fresh = await register.putPerson({
      insz: '85073012345',
      givenNames: 'Anna',
      familyName: 'Peeters',
      birthDate: '1985-07-30',
    });
    const born = await register.findBornOn('1985-07-30');
    const nobody = await register.findBornOn('1901-01-01');

    expect([first, second, fresh]).toEqual(['updated', 'unchanged', 'created']);
    expect(born).toEqual(
      expect.arrayContaining([
        { kind: 'REGISTER', givenNames: 'Lotte', familyName: 'Claes' },
        { kind: 'REGISTER', givenNames: 'Anna', familyName: 'Peeters' },
        { kind: 'PERSON', givenNames: 'Jean-Luc', familyName: "D'Hondt" },
      ]),
    );
    expect(born).toHaveLength(3);
    expect(nobody).toEqual([]);
    expect(
      born.filter((match) =>
        isLikelyDuplicate(match, { givenNames: 'jean luc marie', familyName: 'D HONDT' }),
      ),
    ).toHaveLength(1);
  });
});
