/**
 * Request and response schemas of the identity API (ARCHITECTURE.md section 3, contract). The same
 * schemas validate requests in the Lambda and generate docs/openapi.json.
 */
import * as z from 'zod';
import { paginationQuerySchema } from '#shared/http/pagination';
import { birthDateSchema, boundedString, inszSchema } from '#shared/http/schemas';
import { ACTIVITY_EVENTS } from '#shared/person-activity';

/** `POST /me/insz`: what the person states about themselves. */
export const linkInszBodySchema = z.strictObject({
  insz: inszSchema.meta({ description: 'National register or BIS number; separators allowed' }),
  givenNames: boundedString(100),
  familyName: boundedString(100),
  birthDate: birthDateSchema().meta({ description: 'YYYY-MM-DD' }),
});

/** Validated body of `POST /me/insz`. */
export type LinkInszInput = z.output<typeof linkInszBodySchema>;

/** `POST /me/insz` → 200. */
export const linkInszResponseSchema = z.strictObject({
  personId: z.string(),
  insz: z.string().meta({ description: 'The linked number, 11 digits' }),
});

const provenance = {
  evidence: z
    .string()
    .nullable()
    .meta({
      description:
        'Why this login belongs to the person: `first-login`, `itsme-eid`, `eudi-pid`, `connected`, ' +
        '`registration-office`; null on links older than evidence',
    }),
  linkedAt: z.string().nullable().meta({ description: 'ISO timestamp of the link; null when unknown' }),
  loa: z.string().nullable().meta({ description: 'Level of assurance of the latest authentication' }),
};

/** One identity with its provenance (`GET /me`, a confirmed connection). */
export const identityViewSchema = z.strictObject({
  provider: z.enum(['eidas', 'itsme', 'eudi', 'native']),
  ...provenance,
});

/** `GET /me` → 200. */
export const meResponseSchema = z.strictObject({
  personId: z.string(),
  insz: z.string().nullable().meta({ description: 'Verified national or BIS number, or null' }),
  givenNames: z.string(),
  familyName: z.string(),
  birthDate: z.string().meta({ description: 'YYYY-MM-DD' }),
  sex: z.enum(['M', 'F']).optional().meta({ description: 'As the identity provider asserted it' }),
  nationality: z
    .string()
    .optional()
    .meta({ description: 'ISO 3166-1 alpha-2, as the identity provider asserted it (eIDAS)' }),
  placeOfBirth: z.string().optional().meta({ description: 'As the identity provider asserted it' }),
  address: z
    .strictObject({
      street: z.string().optional(),
      houseNumber: z.string().optional(),
      postalCode: z.string().optional(),
      city: z.string().optional(),
      country: z.string().optional(),
    })
    .optional()
    .meta({
      description:
        'The current address as the identity provider asserted it, so that forms (a BIS request) start filled in',
    }),
  inszEvidence: z
    .string()
    .nullable()
    .meta({
      description:
        'How the national number was proven: `itsme-eid`, `eudi-pid`, `register-match`, `bis-issued`, ' +
        '`registration-office`; null without a number or on links older than evidence',
    }),
  suspended: z.boolean().meta({
    description:
      'True while a security officer reviews a conflict with a verified identity: no roles, no number',
  }),
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
      validUntil: z.string().nullable().meta({ description: 'ISO timestamp; null when unlimited' }),
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
  at: z.string().meta({ description: 'ISO timestamp' }),
  event: z.enum(ACTIVITY_EVENTS),
  actor: z.enum(['self', 'system', 'registration-officer', 'security-officer']),
  actorId: z.string().optional(),
  provider: z.string().optional(),
  evidence: z.string().optional(),
  reference: z.string().optional(),
  reason: z.string().optional(),
});

/** `GET /me/activity` → 200. */
export const activityPageSchema = z.strictObject({
  items: z.array(activityEntrySchema),
  nextCursor: z.string().optional(),
});

/** A ULID path parameter (connection, case). */
const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Must be a reference of 26 letters and digits');

/** `POST /me/connections` → 201. */
export const connectionCreatedSchema = z.strictObject({
  connectionId: z.string(),
  expiresAt: z.string().meta({ description: 'ISO timestamp; 10 minutes after the request' }),
});

/** `/me/connections/{connectionId}` path. */
export const connectionPathSchema = z.strictObject({ connectionId: ulid });

/** `GET /me/connections/{connectionId}` → 200. */
export const connectionViewSchema = z.strictObject({
  connectionId: z.string(),
  provider: z.string().meta({ description: 'The login that started the connection' }),
  givenNames: z.string(),
  familyName: z.string(),
  expiresAt: z.string(),
});

/** `POST /me/connections/{connectionId}` → 200. */
export const connectionJoinedSchema = z.strictObject({
  personId: z.string().meta({ description: 'The account both logins now belong to' }),
  identities: z.array(
    z.strictObject({
      provider: z.string(),
      ...provenance,
    }),
  ),
});

/** `GET /security/identity-cases` query. */
export const identityCasesQuerySchema = paginationQuerySchema.extend({
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
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolution: z.string().optional(),
  reason: z.string().optional(),
});

/** `GET /security/identity-cases` → 200. */
export const identityCasePageSchema = z.strictObject({
  items: z.array(identityCaseSchema),
  nextCursor: z.string().optional(),
});

/** `/security/identity-cases/{caseId}/resolution` path. */
export const identityCasePathSchema = z.strictObject({
  caseId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'Must be a case reference'),
});

/** `POST /security/identity-cases/{caseId}/resolution` body. */
export const identityCaseResolutionSchema = z.strictObject({
  resolution: z.enum(['lift-suspension', 'keep-suspended']),
  reason: boundedString(1000, { min: 10 }).meta({ description: 'Why; at least 10 characters, audited' }),
});

/** `PUT /me/capacity`: the organisation the next tokens act for, or `null` for a private person. */
export const capacityBodySchema = z.strictObject({
  orgCode: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/)
    .nullable()
    .meta({ description: 'An organisation the caller is a member of, or null to act as a private person' }),
});

/** The stored capacity: the next token (a refresh, or a login) carries it as `org` / `org_name`. */
export const capacityResponseSchema = z.strictObject({
  orgCode: z.string().nullable(),
  name: z.string().nullable().meta({ description: "The organisation's name; null for a private person" }),
});
