/**
 * Request and response schemas of the identity API (ARCHITECTURE.md section 3, contract). The same
 * schemas validate requests in the Lambda and generate docs/openapi.json.
 */
import * as z from 'zod/mini';
import { paginationQuerySchema } from '#shared/http/pagination';
import { birthDateSchema, boundedString, inszSchema } from '#shared/http/schemas';
import { ACTIVITY_ACTORS, ACTIVITY_EVENTS } from '#shared/person-activity';

/** `POST /me/insz`: what the person states about themselves. */
export const linkInszBodySchema = z.strictObject({
  insz: inszSchema.check(z.meta({ description: 'National register or BIS number; separators allowed' })),
  givenNames: boundedString(100),
  familyName: boundedString(100),
  birthDate: birthDateSchema().check(z.meta({ description: 'YYYY-MM-DD' })),
});

/** Validated body of `POST /me/insz`. */
export type LinkInszInput = z.output<typeof linkInszBodySchema>;

/** `POST /me/insz` → 200. */
export const linkInszResponseSchema = z.strictObject({
  personId: z.string(),
  insz: z.string().check(z.meta({ description: 'The linked number, 11 digits' })),
});

const provenance = {
  evidence: z.nullable(z.string()).check(
    z.meta({
      description:
        'Why this login belongs to the person: `first-login`, `itsme-eid`, `eudi-pid`, `connected`, ' +
        '`registration-office`; null on links older than evidence',
    }),
  ),
  linkedAt: z
    .nullable(z.string())
    .check(z.meta({ description: 'ISO timestamp of the link; null when unknown' })),
  loa: z
    .nullable(z.string())
    .check(z.meta({ description: 'Level of assurance of the latest authentication' })),
};

/** One identity with its provenance (`GET /me`, a confirmed connection). */
export const identityViewSchema = z.strictObject({
  provider: z.enum(['eidas', 'itsme', 'eudi', 'native']),
  ...provenance,
});

/** `GET /me` → 200. */
export const meResponseSchema = z.strictObject({
  personId: z.string(),
  insz: z.nullable(z.string()).check(z.meta({ description: 'Verified national or BIS number, or null' })),
  givenNames: z.string(),
  familyName: z.string(),
  birthDate: z.string().check(z.meta({ description: 'YYYY-MM-DD' })),
  sex: z.optional(z.enum(['M', 'F'])).check(z.meta({ description: 'As the identity provider asserted it' })),
  nationality: z
    .optional(z.string())
    .check(z.meta({ description: 'ISO 3166-1 alpha-2, as the identity provider asserted it (eIDAS)' })),
  placeOfBirth: z.optional(z.string()).check(z.meta({ description: 'As the identity provider asserted it' })),
  address: z
    .optional(
      z.strictObject({
        street: z.optional(z.string()),
        houseNumber: z.optional(z.string()),
        postalCode: z.optional(z.string()),
        city: z.optional(z.string()),
        country: z.optional(z.string()),
      }),
    )
    .check(
      z.meta({
        description:
          'The current address as the identity provider asserted it, so that forms (a BIS request) start filled in',
      }),
    ),
  inszEvidence: z.nullable(z.string()).check(
    z.meta({
      description:
        'How the national number was proven: `itsme-eid`, `eudi-pid`, `register-match`, `bis-issued`, ' +
        '`registration-office`; null without a number or on links older than evidence',
    }),
  ),
  suspended: z.boolean().check(
    z.meta({
      description:
        'True while a security officer reviews a conflict with a verified identity: no roles, no number',
    }),
  ),
  identities: z.array(identityViewSchema),
  memberships: z.array(
    z.strictObject({
      orgCode: z.string(),
      name: z.string(),
      localAdministrator: z.boolean(),
      legalRepresentative: z.boolean(),
    }),
  ),
  grants: z.array(
    z.strictObject({
      grantId: z.string(),
      orgCode: z.string(),
      application: z.string(),
      role: z.string(),
      validUntil: z.nullable(z.string()).check(z.meta({ description: 'ISO timestamp; null when unlimited' })),
    }),
  ),
});

/** The body of `GET /me`. */
export type MeView = z.output<typeof meResponseSchema>;

/** `GET /me/activity` query. */
export const activityQuerySchema = paginationQuerySchema;

/** One activity entry. */
export const activityEntrySchema = z.strictObject({
  entryId: z.string(),
  personId: z.string(),
  at: z.string().check(z.meta({ description: 'ISO timestamp' })),
  event: z.enum(ACTIVITY_EVENTS),
  actor: z.enum(ACTIVITY_ACTORS),
  actorId: z.optional(z.string()),
  provider: z.optional(z.string()),
  evidence: z.optional(z.string()),
  reference: z.optional(z.string()),
  reason: z.optional(z.string()),
});

/** `GET /me/activity` → 200. */
export const activityPageSchema = z.strictObject({
  items: z.array(activityEntrySchema),
  nextCursor: z.optional(z.string()),
});

/** A ULID path parameter (connection, case). */
const ulid = z
  .string()
  .check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Must be a reference of 26 letters and digits'));

/** `POST /me/connections` → 201. */
export const connectionCreatedSchema = z.strictObject({
  connectionId: z.string(),
  expiresAt: z.string().check(z.meta({ description: 'ISO timestamp; 10 minutes after the request' })),
});

/** `/me/connections/{connectionId}` path. */
export const connectionPathSchema = z.strictObject({ connectionId: ulid });

/** `GET /me/connections/{connectionId}` → 200. */
export const connectionViewSchema = z.strictObject({
  connectionId: z.string(),
  provider: z.string().check(z.meta({ description: 'The login that started the connection' })),
  givenNames: z.string(),
  familyName: z.string(),
  expiresAt: z.string(),
});

/** `POST /me/connections/{connectionId}` → 200. */
export const connectionJoinedSchema = z.strictObject({
  personId: z.string().check(z.meta({ description: 'The account both logins now belong to' })),
  identities: z.array(
    z.strictObject({
      provider: z.string(),
      ...provenance,
    }),
  ),
});

/** `GET /security/identity-cases` query. */
export const identityCasesQuerySchema = z.extend(paginationQuerySchema, {
  status: z.enum(['OPEN', 'RESOLVED']),
});

/** One identity case (no national number). */
export const identityCaseSchema = z.strictObject({
  caseId: z.string(),
  kind: z.string(),
  status: z.enum(['OPEN', 'RESOLVED']),
  suspendedPersonId: z.string(),
  verifiedPersonId: z.string(),
  provider: z.string(),
  createdAt: z.string(),
  resolvedAt: z.optional(z.string()),
  resolvedBy: z.optional(z.string()),
  resolution: z.optional(z.string()),
  reason: z.optional(z.string()),
});

/** `GET /security/identity-cases` → 200. */
export const identityCasePageSchema = z.strictObject({
  items: z.array(identityCaseSchema),
  nextCursor: z.optional(z.string()),
});

/** `/security/identity-cases/{caseId}/resolution` path. */
export const identityCasePathSchema = z.strictObject({
  caseId: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'Must be a case reference')),
});

/** `POST /security/identity-cases/{caseId}/resolution` body. */
export const identityCaseResolutionSchema = z.strictObject({
  resolution: z.enum(['lift-suspension', 'keep-suspended']),
  reason: boundedString(1000, { min: 10 }).check(
    z.meta({ description: 'Why; at least 10 characters, audited' }),
  ),
});

/** `PUT /me/capacity`: the organisation the next tokens act for, or `null` for a private person. */
export const capacityBodySchema = z.strictObject({
  orgCode: z.nullable(z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9-]+$/))).check(
    z.meta({
      description: 'An organisation the caller is a member of, or null to act as a private person',
    }),
  ),
});

/** The stored capacity: the next token (a refresh, or a login) carries it as `org` / `org_name`. */
export const capacityResponseSchema = z.strictObject({
  orgCode: z.nullable(z.string()),
  name: z
    .nullable(z.string())
    .check(z.meta({ description: "The organisation's name; null for a private person" })),
});
