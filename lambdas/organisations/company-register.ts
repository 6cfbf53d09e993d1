/**
 * The company register (stand-in for the KBO/BCE, the Crossroads Bank for Enterprises): the authentic
 * source that says who legally represents a Belgian company. A port, so that a real KBO client can
 * replace the table-backed implementation without touching the claim use case; the table
 * implementation reads and writes `REGISTER#COMPANY#<enterpriseNumber>` (pattern O1 of
 * docs/data-model.md).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';

/** A company as the register knows it. */
export interface RegisteredCompany {
  /** 10 digits. */
  enterpriseNumber: string;
  name: string;
  /** INSZ (11 digits) of every legal representative, sorted, without duplicates. */
  legalRepresentatives: string[];
}

/** What the claim use case needs from the register. */
export interface CompanyRegister {
  /** The register entry of an enterprise number, or `undefined` when the register does not know it. */
  findCompany(enterpriseNumber: string): Promise<RegisteredCompany | undefined>;
}

/** What seeding the register needs (operator command, sandbox). */
export interface CompanyRegisterWriter {
  /**
   * Writes an entry unless an identical one exists: `created`, `updated` (name or representatives
   * changed) or `unchanged` (nothing written, so seeding twice leaves the table as it was).
   */
  putCompany(company: RegisteredCompany): Promise<'created' | 'updated' | 'unchanged'>;
}

/** Options of {@link createDynamoCompanyRegister}. */
export interface DynamoCompanyRegisterOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The stored form of a representatives list: sorted and unique, so equal lists compare equal. */
export function normaliseRepresentatives(insz: readonly string[]): string[] {
  return [...new Set(insz)].sort();
}

/** The table-backed register: one GetItem per lookup, one conditional PutItem per seeded entry. */
export function createDynamoCompanyRegister(
  options: DynamoCompanyRegisterOptions,
): CompanyRegister & CompanyRegisterWriter {
  const { tableName: TableName, documentClient } = options;
  return {
    async findCompany(enterpriseNumber) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName, Key: keys.registeredCompany(enterpriseNumber), ConsistentRead: true }),
      );
      if (!Item || typeof Item.name !== 'string' || !Array.isArray(Item.legalRepresentatives)) {
        // A damaged entry is unknown rather than failing the request.
        return undefined;
      }
      return {
        enterpriseNumber,
        name: Item.name,
        legalRepresentatives: Item.legalRepresentatives.filter((v): v is string => typeof v === 'string'),
      };
    },

    async putCompany(company) {
      const legalRepresentatives = normaliseRepresentatives(company.legalRepresentatives);
      try {
        const { Attributes } = await documentClient.send(
          new PutCommand({
            TableName,
            Item: {
              ...keys.registeredCompany(company.enterpriseNumber),
              type: 'registeredCompany',
              enterpriseNumber: company.enterpriseNumber,
              name: company.name,
              legalRepresentatives,
            },
            ConditionExpression:
              'attribute_not_exists(PK) OR #name <> :name OR legalRepresentatives <> :representatives',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':name': company.name, ':representatives': legalRepresentatives },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return Attributes ? 'updated' : 'created';
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'unchanged';
        throw error;
      }
    },
  };
}
