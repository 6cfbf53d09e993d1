import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/server/template';
import { isValidEnterpriseNumber, isValidInsz } from '#shared/belgian-ids';

const read = <T>(file: string): T =>
  JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'local', 'seed', file), 'utf8')) as T;
const persons =
  read<{ insz: string; givenNames: string; familyName: string; birthDate: string }[]>('persons.json');
const companies =
  read<{ enterpriseNumber: string; name: string; legalRepresentatives: string[] }[]>('companies.json');

describe('local/seed', () => {
  it('seeds every legal representative of a seeded company as a person when the sandbox starts', () => {
    const seeded = new Set(persons.map((person) => person.insz));

    const missing = companies.flatMap((company) =>
      company.legalRepresentatives
        .filter((insz) => !seeded.has(insz))
        .map((insz) => `${company.enterpriseNumber}: ${insz}`),
    );

    expect(missing).toEqual([]);
  });

  it('keeps at least one seeded person who represents no company when journeys need an employee', () => {
    const representatives = new Set(companies.flatMap((company) => company.legalRepresentatives));

    expect(persons.filter((person) => !representatives.has(person.insz)).length).toBeGreaterThan(0);
  });

  it('uses valid national and enterprise numbers when it seeds the registers', () => {
    expect(persons.filter((person) => !isValidInsz(person.insz))).toEqual([]);
    expect(companies.filter((company) => !isValidEnterpriseNumber(company.enterpriseNumber))).toEqual([]);
  });
});
