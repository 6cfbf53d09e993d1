/**
 * The person register (stand-in for the national register): the authentic source the "I know my
 * national number" check compares against. A port, so that a real register client can replace the
 * table-backed implementation without touching the use case; the table implementation reads and
 * writes `REGISTER#PERSON#<insz>` (pattern I6 of docs/data-model.md).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { text } from '#shared/item-fields';
import { identityKeys, keyOf, keys } from '#shared/keys';

/** A person as the register knows them. Names are stored as given; compare with {@link sameName}. */
export interface RegisteredPerson {
  /** 11 digits. */
  insz: string;
  givenNames: string;
  familyName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
}

/** What the identity API needs from the register. */
export interface PersonRegister {
  /** The register entry of an INSZ, or `undefined` when the register does not know it. */
  findPerson(insz: string): Promise<RegisteredPerson | undefined>;
}

/** Someone born on a given date: a person-register entry or a person profile (GSI2 `BORN#<date>`). */
export interface BornOnMatch {
  kind: 'REGISTER' | 'PERSON';
  givenNames: string;
  familyName: string;
}

/** Who was born on a date, for the registration office's duplicate search before a BIS number. */
export interface BirthDateIndex {
  /**
   * Every register entry and person profile born on `birthDate` (`YYYY-MM-DD`), through GSI2
   * `BORN#<birthDate>`. Items without names are left out.
   */
  findBornOn(birthDate: string): Promise<BornOnMatch[]>;
}

/** What seeding the register needs (operator command, sandbox). */
export interface PersonRegisterWriter {
  /**
   * Writes an entry unless an identical one exists: `created`, `updated` (the names or birth date
   * changed) or `unchanged` (nothing written, so seeding twice leaves the table as it was).
   */
  putPerson(person: RegisteredPerson): Promise<'created' | 'updated' | 'unchanged'>;
}

/**
 * The comparable form of a name: Unicode compatibility decomposition with combining marks removed
 * (é → e, ñ → n), lower case, runs of whitespace collapsed to one space, trimmed. Register extracts
 * and what people type differ in exactly these ways; anything else (a hyphen, another spelling) is a
 * different name.
 */
export function normaliseName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** True when two names are the same after {@link normaliseName}. */
export function sameName(a: string, b: string): boolean {
  return normaliseName(a) === normaliseName(b);
}

/** True when the stated data match the register entry exactly (names after normalisation). */
export function matchesRegister(
  entry: RegisteredPerson,
  stated: Pick<RegisteredPerson, 'givenNames' | 'familyName' | 'birthDate'>,
): boolean {
  return (
    entry.birthDate === stated.birthDate &&
    sameName(entry.givenNames, stated.givenNames) &&
    sameName(entry.familyName, stated.familyName)
  );
}

/**
 * The form of a name used to spot a likely duplicate: {@link normaliseName}, with hyphens,
 * apostrophes and dots read as spaces ("Van den Broeck" = "Van-den-Broeck", "O'Neill" = "O Neill").
 */
export function looseName(name: string): string {
  return normaliseName(name.replace(/[\p{Pd}'’‘`´.]/gu, ' '));
}

/** The first given name in {@link looseName} form (empty for none). */
export function firstGivenName(givenNames: string): string {
  return looseName(givenNames).split(' ')[0] ?? '';
}

/**
 * A likely duplicate (design item 7): the same family name after normalisation and the same first
 * given name. Birth dates are equal by construction (both come from `BORN#<date>`).
 */
export function isLikelyDuplicate(
  a: Pick<BornOnMatch, 'givenNames' | 'familyName'>,
  b: Pick<BornOnMatch, 'givenNames' | 'familyName'>,
): boolean {
  const first = firstGivenName(a.givenNames);
  return (
    first !== '' &&
    looseName(a.familyName) === looseName(b.familyName) &&
    first === firstGivenName(b.givenNames)
  );
}

/** Options of {@link createDynamoPersonRegister}. */
export interface DynamoPersonRegisterOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The table-backed register: one GetItem per lookup, one conditional PutItem per seeded entry. */
export function createDynamoPersonRegister(
  options: DynamoPersonRegisterOptions,
): PersonRegister & PersonRegisterWriter & BirthDateIndex {
  const { tableName: TableName, documentClient } = options;
  return {
    async findPerson(insz) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName, Key: keys.registeredPerson(insz), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const givenNames = text(Item.givenNames);
      const familyName = text(Item.familyName);
      const birthDate = text(Item.birthDate);
      // A damaged entry matches nobody rather than failing the request.
      if (givenNames === undefined || familyName === undefined || birthDate === undefined) return undefined;
      return { insz, givenNames, familyName, birthDate };
    },

    async putPerson(person) {
      try {
        const { Attributes } = await documentClient.send(
          new PutCommand({
            TableName,
            Item: {
              ...keys.registeredPerson(person.insz),
              ...identityKeys.bornOn(person.birthDate, 'REGISTER', person.insz),
              type: 'registeredPerson',
              ...person,
            },
            // Written only when new or different (or missing the birth-date index): a second seeding
            // run changes nothing.
            ConditionExpression:
              'attribute_not_exists(PK) OR givenNames <> :givenNames OR familyName <> :familyName OR ' +
              'birthDate <> :birthDate OR attribute_not_exists(GSI2PK)',
            ExpressionAttributeValues: {
              ':givenNames': person.givenNames,
              ':familyName': person.familyName,
              ':birthDate': person.birthDate,
            },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return Attributes ? 'updated' : 'created';
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'unchanged';
        throw error;
      }
    },

    async findBornOn(birthDate) {
      const matches: BornOnMatch[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :born',
            ExpressionAttributeValues: { ':born': identityKeys.bornOnPartition(birthDate) },
            ProjectionExpression: 'GSI2SK, givenNames, familyName',
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const kind = keyOf(item, 'GSI2SK').startsWith('REGISTER#') ? 'REGISTER' : 'PERSON';
          const givenNames = text(item.givenNames);
          const familyName = text(item.familyName);
          if (givenNames !== undefined && familyName !== undefined)
            matches.push({ kind, givenNames, familyName });
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return matches;
    },
  };
}
