/**
 * Organisations, memberships and person profiles written directly as items, for tests of contexts
 * that depend on the organisations context's data but not on its code (rights). The item shapes are
 * the shared ones: `organisationKeys.organisation` ({ orgCode, name }), `keys.membership` (attributes
 * of `Membership` in `#shared/organisation-access`) and `keys.person`.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#shared/ids';
import { keys, organisationKeys } from '#shared/keys';
import type { TestTable } from './dynamodb.ts';

/** A unique, URL-safe organisation code (10 digits, like an enterprise number). */
export function newOrgCode(): string {
  return `0${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

/** Writes an organisation profile. */
export async function seedOrganisation(table: TestTable, orgCode: string, name: string): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...organisationKeys.organisation(orgCode),
        type: 'organisation',
        orgCode,
        name,
        createdAt: new Date().toISOString(),
      },
    }),
  );
}

/** Options of {@link seedMembership}. */
export interface MembershipOptions {
  name?: string;
  localAdministrator?: boolean;
  legalRepresentative?: boolean;
}

/**
 * Writes a membership (with its GSI1 keys, as the organisations context does).
 */
export async function seedMembership(
  table: TestTable,
  personId: string,
  orgCode: string,
  options: MembershipOptions = {},
): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...keys.membership(personId, orgCode, options.localAdministrator ?? false),
        type: 'membership',
        personId,
        orgCode,
        name: options.name ?? orgCode,
        localAdministrator: options.localAdministrator ?? false,
        legalRepresentative: options.legalRepresentative ?? false,
        createdAt: new Date().toISOString(),
      },
    }),
  );
}

/** A person profile as the identity context stores it. */
export interface SeededPerson {
  personId: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  insz?: string;
  /** Evidence of `insz` (written only with it). @default 'itsme-eid' (the person logs in with itsme) */
  inszEvidence?: string;
  email?: string;
  locale?: string;
}

/** A person with defaults; pass `insz: undefined` explicitly to get a person without one. */
export function person(overrides: Partial<SeededPerson> = {}): SeededPerson {
  const personId = overrides.personId ?? newId();
  return {
    personId,
    givenNames: 'Lotte',
    familyName: 'Claes',
    birthDate: '1985-07-30',
    insz: '85073003328',
    inszEvidence: 'itsme-eid',
    email: `${personId.toLowerCase()}@example.be`,
    locale: 'nl',
    ...overrides,
  };
}

/** Writes a person profile. */
export async function seedPerson(table: TestTable, seeded: SeededPerson): Promise<void> {
  const now = new Date().toISOString();
  const item: Record<string, unknown> = {
    ...keys.person(seeded.personId),
    type: 'person',
    providers: new Set(['itsme']),
    createdAt: now,
    updatedAt: now,
  };
  for (const [key, value] of Object.entries(seeded)) if (value !== undefined) item[key] = value;
  if (seeded.insz === undefined) delete item.inszEvidence;
  await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
}
