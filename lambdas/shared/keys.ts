/**
 * The one module that builds table keys. Every access pattern in docs/data-model.md names the
 * function here that builds its key. Repositories use these; nothing else spells a key.
 *
 * Partition `PERSON#<personId>` holds exactly what a token needs (profile, memberships, grants), so a
 * login reads one partition with one Query. Everything else a person owns lives elsewhere and is
 * reached through GSI2 (`OWNER#<personId>`).
 */

/** Login providers as stored in identity links and the `idp` claim. */
export type IdentityProvider = 'eidas' | 'itsme' | 'native';

export interface TableKey {
  PK: string;
  SK: string;
}

export const PERSON_PREFIX = 'PERSON#';
export const PROFILE_SK = 'PROFILE';
export const MEMBERSHIP_SK_PREFIX = 'MEMBERSHIP#';
export const GRANT_SK_PREFIX = 'GRANT#';

export const keys = {
  /** The person's profile item. */
  person: (personId: string): TableKey => ({ PK: `${PERSON_PREFIX}${personId}`, SK: PROFILE_SK }),

  /** The partition key of everything token generation reads for a person. */
  personPartition: (personId: string): string => `${PERSON_PREFIX}${personId}`,

  /** Uniqueness marker and resolver: (provider, subject) → personId. */
  identityLink: (provider: IdentityProvider, subject: string): TableKey => ({
    PK: `IDENTITY#${provider}#${subject}`,
    SK: 'IDENTITY',
  }),

  /** Uniqueness marker: an INSZ (national or BIS number) belongs to at most one person. */
  inszLink: (insz: string): TableKey => ({ PK: `INSZ#${insz}`, SK: 'INSZ' }),

  /** A membership of a person in an organisation (token partition); GSI1 lists an organisation's members. */
  membership: (personId: string, orgCode: string): TableKey & { GSI1PK: string; GSI1SK: string } => ({
    PK: `${PERSON_PREFIX}${personId}`,
    SK: `${MEMBERSHIP_SK_PREFIX}${orgCode}`,
    GSI1PK: `ORG#${orgCode}`,
    GSI1SK: `MEMBER#${personId}`,
  }),

  /** A grant of an application role in an organisation (token partition). */
  grant: (personId: string, orgCode: string, application: string, role: string): TableKey => ({
    PK: `${PERSON_PREFIX}${personId}`,
    SK: `${GRANT_SK_PREFIX}${orgCode}#${application}#${role}`,
  }),

  /** Person register (stand-in for the national register): one entry per INSZ. */
  registeredPerson: (insz: string): TableKey => ({ PK: `REGISTER#PERSON#${insz}`, SK: 'REGISTER' }),

  /** Company register (stand-in for KBO): one entry per enterprise number. */
  registeredCompany: (enterpriseNumber: string): TableKey => ({
    PK: `REGISTER#COMPANY#${enterpriseNumber}`,
    SK: 'REGISTER',
  }),

  /** Marker of a sent e-mail: makes sending idempotent under task retries (expires via TTL). */
  mailSent: (idempotencyKey: string): TableKey => ({ PK: `MAIL#${idempotencyKey}`, SK: 'SENT' }),
} as const;
