import { describe, expect, it } from 'vitest';
import { checkOrganisationCodes, parseOrganisationFile } from '../../../bin/check-org-codes.ts';

describe('check-org-codes dry run', () => {
  it('reports codes derived by dropping look-alike letters or foreign digits, and the codes they collide with', () => {
    const checks = checkOrganisationCodes([
      { orgCode: 'FOREIGN-DE-HRB12345', country: 'DE', registrationNumber: 'HRB 12345' },
      // Written with a Cyrillic В: the old rule dropped it, giving a second organisation.
      { orgCode: 'FOREIGN-DE-HR12345', country: 'DE', registrationNumber: 'HRВ 12345' },
      // Arabic-Indic digits all collapsed into the bare prefix.
      { orgCode: 'FOREIGN-FR-RCS', country: 'FR', registrationNumber: 'RCS ١٢٣' },
      { orgCode: 'FOREIGN-NL-KVK1', country: 'NL', registrationNumber: 'kvk 1' },
      { orgCode: 'FOREIGN-NL-KVK-1', country: 'NL', registrationNumber: 'KVK1' },
      { orgCode: '0403019261', kind: 'belgian' },
    ]);
    expect(checks).toEqual([
      { orgCode: 'FOREIGN-DE-HRB12345', outcome: 'ok' },
      {
        orgCode: 'FOREIGN-DE-HR12345',
        outcome: 'refused-characters',
        reason: expect.stringContaining('U+0412'),
      },
      { orgCode: 'FOREIGN-FR-RCS', outcome: 'refused-characters', reason: expect.stringContaining('U+0661') },
      { orgCode: 'FOREIGN-NL-KVK1', outcome: 'ok' },
      { orgCode: 'FOREIGN-NL-KVK-1', outcome: 'malformed-code' },
      { orgCode: '0403019261', outcome: 'ok' },
    ]);
  });

  it('reports two organisations whose numbers now give one code', () => {
    const checks = checkOrganisationCodes([
      { orgCode: 'FOREIGN-DE-HRB1', country: 'DE', registrationNumber: 'HRB 1' },
      { orgCode: 'FOREIGN-DE-HRB01', country: 'DE', registrationNumber: 'HRB-1' },
    ]);
    expect(checks).toContainEqual({
      orgCode: 'FOREIGN-DE-HRB01',
      outcome: 'code-differs',
      expected: 'FOREIGN-DE-HRB1',
    });
    expect(checks).toContainEqual({
      orgCode: 'FOREIGN-DE-HRB1',
      outcome: 'collision',
      with: ['FOREIGN-DE-HRB01'],
    });
  });

  it('reads a DynamoDB export (JSON lines of DynamoDB JSON) as well as a JSON array', () => {
    const line = JSON.stringify({
      Item: { orgCode: { S: 'FOREIGN-DE-X1' }, country: { S: 'DE' }, registrationNumber: { S: 'X1' } },
    });
    expect(parseOrganisationFile(`${line}\n`)).toEqual([
      { orgCode: 'FOREIGN-DE-X1', country: 'DE', registrationNumber: 'X1' },
    ]);
    expect(parseOrganisationFile('[{"orgCode":"0403019261"},{"PK":"x"}]')).toEqual([
      { orgCode: '0403019261' },
    ]);
  });
});
