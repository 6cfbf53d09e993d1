/**
 * The sandbox's seeding of the registers (ARCHITECTURE.md sections 5 and 6): the person register
 * and the company register (KBO stand-in) through their contexts' own ports
 * (`createDynamoPersonRegister`, `createDynamoCompanyRegister`). Both writes are idempotent: an
 * identical entry is left untouched.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { boundedString, enterpriseNumberSchema, inszSchema } from '#shared/http/schemas';
import { createDynamoPersonRegister } from '#shared/person-register';
import { personRowSchema } from '../../bin/seed-registers.ts';
import { createDynamoCompanyRegister } from '../../lambdas/organisations/company-register.ts';
import { PROJECT_ROOT } from './template.ts';

/** `POST /local/register/persons`: the seed command's person row. */
export const registerPersonBody = personRowSchema;

/** `POST /local/register/companies`. */
export const registerCompanyBody = z.strictObject({
  enterpriseNumber: enterpriseNumberSchema,
  name: boundedString(200),
  legalRepresentatives: z.array(inszSchema).min(1).max(50),
});

export type RegisteredCompany = z.output<typeof registerCompanyBody>;
export type WriteResult = 'created' | 'updated' | 'unchanged';

/** A table the registers live in. */
export interface RegisterTable {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** Writes a company register entry through the organisations context's register. */
export function putCompany(table: RegisterTable, company: RegisteredCompany): Promise<WriteResult> {
  return createDynamoCompanyRegister(table).putCompany(company);
}

/** Writes a person register entry through the identity context's register. */
export function putPerson(
  table: RegisterTable,
  person: z.output<typeof registerPersonBody>,
): Promise<WriteResult> {
  return createDynamoPersonRegister(table).putPerson(person);
}

/** What loading the seed files did. */
export interface SeedSummary {
  persons: number;
  companies: number;
}

/** The committed seed data: local/seed/persons.json and companies.json. */
export const SEED_DIR = resolve(PROJECT_ROOT, 'local', 'seed');

/**
 * Loads local/seed/*.json into the registers (validated first, idempotent). The application
 * catalogue joins here with the rights context (local/seed/applications.json).
 * @throws Error naming the file and entry when a seed entry is invalid.
 */
export async function loadSeedData(table: RegisterTable, dir = SEED_DIR): Promise<SeedSummary> {
  const persons = await readSeed(dir, 'persons.json', registerPersonBody);
  const companies = await readSeed(dir, 'companies.json', registerCompanyBody);
  await Promise.all(persons.map((person) => putPerson(table, person)));
  await Promise.all(companies.map((company) => putCompany(table, company)));
  return { persons: persons.length, companies: companies.length };
}

async function readSeed<S extends z.ZodType>(dir: string, file: string, schema: S): Promise<z.output<S>[]> {
  const parsed: unknown = JSON.parse(await readFile(resolve(dir, file), 'utf8'));
  const entries = z.array(z.unknown()).parse(parsed);
  return entries.map((entry, index) => {
    const result = schema.safeParse(entry);
    if (!result.success) {
      throw new Error(`local/seed/${file} entry ${index + 1} is invalid: ${result.error.issues[0]?.message}`);
    }
    return result.data;
  });
}
