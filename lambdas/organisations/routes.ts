/**
 * The organisations routes of ARCHITECTURE.md section 3, as `defineRoute` handlers over the use
 * cases. {@link ORGANISATIONS_ROUTES} carries the definitions without any AWS client behind it (API
 * construct, OpenAPI generator); `api.ts` builds the served ones.
 */
import * as z from 'zod/mini';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import {
  addressSchema,
  boundedString,
  countryCodeSchema,
  emailSchema,
  enterpriseNumberSchema,
  inszSchema,
} from '#shared/http/schemas';
import { LOCALES } from '#shared/locale';
import { appointAdministrator, getOrganisation, listMembers, removeAdministrator } from './administrators.ts';
import { claimOrganisation } from './claim-organisation.ts';
import {
  createUpload,
  decideForeignRegistration,
  getForeignRegistration,
  listForeignRegistrations,
  submitForeignRegistration,
} from './foreign-registrations.ts';
import {
  FOREIGN_DECISIONS,
  FOREIGN_REGISTRATION_STATUSES,
  MAX_REGISTRY_NUMBER_LENGTH,
  ORG_CODE_PATTERN,
  parseRegistryNumber,
} from './organisation.ts';
import { listOrganisationCases, resolveOrganisationCase } from './organisation-cases.ts';
import { ORGANISATION_CASE_RESOLUTIONS } from './organisations-repository.ts';
import type { OrganisationsApiDeps } from './ports.ts';
import { EXTRACT_CONTENT_TYPE, MAX_EXTRACT_BYTES } from './uploads.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** `POST /organisations/claims`. */
export const claimBody = z.strictObject({ enterpriseNumber: enterpriseNumberSchema });

/** `POST /uploads`: what the client is about to upload (the signature pins both). */
export const uploadBody = z.strictObject({
  contentType: z.literal(EXTRACT_CONTENT_TYPE, { error: `Must be ${EXTRACT_CONTENT_TYPE}` }),
  size: z
    .int('Must be a whole number of bytes')
    .check(z.minimum(1, 'The file is empty'), z.maximum(MAX_EXTRACT_BYTES, 'At most 10 MB (10485760 bytes)')),
});

/** `POST /organisations/foreign-registrations` (contract fields, plus optional `email` and `locale`). */
export const foreignRegistrationBody = z.strictObject({
  name: boundedString(200, { kind: 'name' }),
  country: countryCodeSchema.check(
    z.refine((country) => country !== 'BE', {
      error: 'Belgian companies are claimed with their enterprise number',
    }),
  ),
  registrationNumber: boundedString(60).check(
    z.superRefine((value, context) => {
      const normalised = parseRegistryNumber(value);
      if (typeof normalised !== 'string') {
        context.addIssue({
          code: 'custom',
          message: normalised.message,
          params: { code: normalised.code, ...normalised.params },
        });
      } else if (normalised.length < 1 || normalised.length > MAX_REGISTRY_NUMBER_LENGTH) {
        context.addIssue({
          code: 'custom',
          message: `Must hold 1 to ${MAX_REGISTRY_NUMBER_LENGTH} letters or digits`,
        });
      }
    }),
    z.meta({
      description:
        'As printed on the extract. NFKC, then only letters A-Z, digits 0-9 and the separators ' +
        "'.', '-', '/' and space; a letter or digit of another script is refused " +
        '(errors[].code identifier.foreign-character), never dropped.',
    }),
  ),
  address: addressSchema,
  uploadId: z.string().check(z.regex(ULID, 'Must be the uploadId of POST /uploads')),
  email: z.optional(emailSchema),
  locale: z.optional(z.enum(LOCALES, { error: `Must be one of ${LOCALES.join(', ')}` })),
});

/** `{id}`: a foreign registration id (ULID). */
export const registrationPath = z.strictObject({
  id: z.string().check(z.regex(ULID, 'Must be a registration id')),
});

/** `GET /security/foreign-registrations?status=&limit=&cursor=`. */
export const queueQuery = z.extend(paginationQuerySchema, {
  status: z._default(
    z.enum(FOREIGN_REGISTRATION_STATUSES, {
      error: `Must be one of ${FOREIGN_REGISTRATION_STATUSES.join(', ')}`,
    }),
    'PENDING_REVIEW',
  ),
});

/** `POST /security/foreign-registrations/{id}/decision`; a reason is required to reject. */
export const decisionBody = z
  .strictObject({
    decision: z.enum(FOREIGN_DECISIONS, { error: `Must be one of ${FOREIGN_DECISIONS.join(', ')}` }),
    reason: z.optional(boundedString(1000)),
  })
  .check(
    z.superRefine((body, context) => {
      if (body.decision === 'reject' && body.reason === undefined) {
        context.addIssue({ code: 'custom', path: ['reason'], message: 'Required to reject' });
      }
    }),
  );

const orgCodeSchema = z.string().check(z.regex(ORG_CODE_PATTERN, 'Must be an organisation code'));

/** `{orgCode}`. */
export const organisationPath = z.strictObject({ orgCode: orgCodeSchema });

/** `{orgCode}` and `{personId}`. */
export const administratorPath = z.strictObject({
  orgCode: orgCodeSchema,
  personId: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'Must be a person id')),
});

/** `POST /organisations/{orgCode}/administrators`. */
export const appointBody = z.strictObject({ insz: inszSchema });

/** `{caseId}`: an organisation case reference (`<orgCode>~<personId>`). */
export const organisationCasePath = z.strictObject({
  caseId: z.string().check(z.regex(/^[0-9A-Z-]{10,51}~[0-9A-Za-z_-]{1,64}$/, 'Must be a case reference')),
});

/** `POST /security/organisation-cases/{caseId}/resolution`. */
export const organisationCaseResolutionBody = z.strictObject({
  resolution: z.enum(ORGANISATION_CASE_RESOLUTIONS, {
    error: `Must be one of ${ORGANISATION_CASE_RESOLUTIONS.join(', ')}`,
  }),
  note: boundedString(1000, { min: 10 }).check(
    z.meta({
      description: 'What was done and why; at least 10 characters, audited',
    }),
  ),
});

const organisationCaseSchema = z.object({
  caseId: z.string(),
  orgCode: z.string(),
  personId: z.string(),
  kind: z.string(),
  status: z.enum(['OPEN', 'RESOLVED']),
  openedAt: z.string(),
  resolution: z.optional(z.enum(ORGANISATION_CASE_RESOLUTIONS)),
  note: z.optional(z.string()),
  resolvedBy: z.optional(z.string()),
  resolvedAt: z.optional(z.string()),
});

const membershipSchema = z.object({
  orgCode: z.string(),
  name: z.string(),
  localAdministrator: z.boolean(),
  legalRepresentative: z.boolean(),
});
const statusSchema = z.enum(FOREIGN_REGISTRATION_STATUSES);
const acceptedSchema = z.object({ registrationId: z.string(), status: statusSchema });
const addressView = z.object({
  street: z.string(),
  houseNumber: z.string(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});
const scriptMixingSchema = z.array(z.object({ field: z.string(), scripts: z.array(z.string()) })).check(
  z.meta({
    description:
      'Fields that mix scripts inside one word (UTS #39 restriction levels; e.g. a Cyrillic letter ' +
      'among Latin ones): a look-alike to check, not an error.',
  }),
);
const existingOrganisationSchema = z
  .object({ orgCode: z.string(), name: z.string(), administrators: z.number() })
  .check(
    z.meta({
      description:
        'The organisation exists already ("existing organisation, N administrators"): adding the ' +
        'applicant as representative needs a second check by another security officer; its ' +
        'administrators were mailed when the registration was submitted.',
    }),
  );
const lookalikeOrganisationsSchema = z
  .array(
    z.object({
      orgCode: z.string(),
      name: z.string(),
      administrators: z.number(),
      matched: z.array(z.enum(['name', 'registrationNumber'])),
    }),
  )
  .check(
    z.meta({
      description:
        'Other organisations of the same country whose name or registration number has the same ' +
        'confusable skeleton (UTS #39: look-alike letters and digits, case, spacing and accents ignored): ' +
        '"looks like existing organisation X (N administrators)". Handled as a second registration of ' +
        'X: its administrators were mailed, and approving needs a second check by another security ' +
        'officer (reason required).',
    }),
  );
const firstApprovalSchema = z.object({ decidedBy: z.string(), decidedAt: z.string(), reason: z.string() });
const registrationSchema = z.object({
  registrationId: z.string(),
  status: statusSchema,
  name: z.string(),
  country: z.string(),
  registrationNumber: z.string(),
  address: addressView,
  createdAt: z.string(),
  updatedAt: z.string(),
  orgCode: z.optional(z.string()),
  reason: z.optional(z.string()),
  personId: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  extract: z.optional(z.object({ url: z.string(), expiresAt: z.string() })),
  scriptMixing: z.optional(scriptMixingSchema),
  existingOrganisation: z.optional(existingOrganisationSchema),
  lookalikeOrganisations: z.optional(lookalikeOrganisationsSchema),
  firstApproval: z.optional(firstApprovalSchema),
});
const queuePageSchema = z.object({
  items: z.array(
    z.object({
      registrationId: z.string(),
      status: statusSchema,
      name: z.string(),
      country: z.string(),
      registrationNumber: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      scriptMixing: scriptMixingSchema,
      existingOrganisation: z.optional(existingOrganisationSchema),
      lookalikeOrganisations: z.optional(lookalikeOrganisationsSchema),
      secondCheckPending: z.optional(z.boolean()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});
const organisationSchema = z.object({
  orgCode: z.string(),
  name: z.string(),
  country: z.string(),
  kind: z.enum(['belgian', 'foreign']),
  enterpriseNumber: z.optional(z.string()),
  registrationNumber: z.optional(z.string()),
  address: z.optional(addressView),
  createdAt: z.string(),
  administratorCount: z.number(),
  membership: z.object({ localAdministrator: z.boolean(), legalRepresentative: z.boolean() }),
});
const membersPageSchema = z.object({
  items: z.array(
    z.object({
      personId: z.string(),
      givenNames: z.optional(z.string()),
      familyName: z.optional(z.string()),
      localAdministrator: z.boolean(),
      legalRepresentative: z.boolean(),
      since: z.string(),
    }),
  ),
  nextCursor: z.optional(z.string()),
});
const uploadSchema = z.object({
  uploadId: z.string(),
  method: z.literal('PUT'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

/**
 * The organisations route handlers over `deps` (a function is resolved at the first request, so
 * definitions can be built where no AWS client exists).
 */
export function createOrganisationsRoutes(
  deps: OrganisationsApiDeps | (() => OrganisationsApiDeps),
): RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;
  return [
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/claims',
        operationId: 'claimOrganisation',
        summary: 'Claim a Belgian company as its legal representative in the company register',
        access: { kind: 'authenticated' },
        body: claimBody,
        responses: {
          201: {
            description: 'Claimed: legal representative and local administrator',
            body: membershipSchema,
          },
          200: { description: 'Already claimed by the caller (idempotent repeat)', body: membershipSchema },
        },
      },
      async ({ body, caller }) => {
        const result = await claimOrganisation(resolve(), caller, body.enterpriseNumber);
        return { status: result.created ? 201 : 200, body: result.membership };
      },
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/uploads',
        operationId: 'createUpload',
        summary: 'A presigned upload for a trade-register extract (PDF, at most 10 MB)',
        access: { kind: 'authenticated' },
        body: uploadBody,
        responses: {
          201: {
            description: 'Send the file with PUT to url, with exactly these headers',
            body: uploadSchema,
          },
        },
      },
      async ({ body, caller }) => ({ status: 201, body: await createUpload(resolve(), caller, body.size) }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/foreign-registrations',
        operationId: 'submitForeignRegistration',
        summary: 'Register a foreign company as its legal representative (reviewed by security officers)',
        access: { kind: 'authenticated' },
        body: foreignRegistrationBody,
        responses: { 202: { description: 'Accepted for review', body: acceptedSchema } },
      },
      async ({ body, caller }) => ({
        status: 202,
        body: await submitForeignRegistration(resolve(), caller, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/foreign-registrations/{id}',
        operationId: 'getForeignRegistration',
        summary: 'A foreign-company registration (applicant, security officers)',
        access: { kind: 'authenticated' },
        path: registrationPath,
        responses: { 200: { description: 'The registration', body: registrationSchema } },
      },
      async ({ path, caller }) => ({
        status: 200,
        body: await getForeignRegistration(resolve(), caller, path.id),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/security/foreign-registrations',
        operationId: 'listForeignRegistrations',
        summary: 'Review queue by status, oldest first (security officers)',
        access: { kind: 'group', group: 'security-officers' },
        query: queueQuery,
        responses: { 200: { description: 'A page of the queue', body: queuePageSchema } },
      },
      async ({ query }) => ({ status: 200, body: await listForeignRegistrations(resolve(), query) }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/security/foreign-registrations/{id}/decision',
        operationId: 'decideForeignRegistration',
        summary: 'Approve or reject a foreign-company registration (security officers)',
        access: { kind: 'group', group: 'security-officers' },
        path: registrationPath,
        body: decisionBody,
        responses: {
          200: {
            description:
              'Decision accepted; the workflow applies it. Approving a registration of an organisation ' +
              'that has administrators, or of one that looks like another organisation ' +
              '(lookalikeOrganisations), records the first half of the second check (reason required: ' +
              'how it was checked) and answers secondCheckRequired; another officer approves to apply it.',
            body: z.extend(acceptedSchema, {
              decision: z.enum(FOREIGN_DECISIONS),
              secondCheckRequired: z.optional(z.boolean()),
            }),
          },
        },
      },
      async ({ path, body, caller }) => ({
        status: 200,
        body: await decideForeignRegistration(resolve(), caller, path.id, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/security/organisation-cases',
        operationId: 'listOrganisationCases',
        summary:
          'Open organisation cases: the last administrator is no longer in the company register (security officers)',
        access: { kind: 'group', group: 'security-officers' },
        query: paginationQuerySchema,
        responses: {
          200: {
            description: 'A page of the open queue',
            body: z.object({
              items: z.array(
                z.extend(organisationCaseSchema, {
                  organisationName: z.optional(z.string()),
                  givenNames: z.optional(z.string()),
                  familyName: z.optional(z.string()),
                }),
              ),
              nextCursor: z.optional(z.string()),
            }),
          },
        },
      },
      async ({ query }) => ({ status: 200, body: await listOrganisationCases(resolve(), query) }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/security/organisation-cases/{caseId}/resolution',
        operationId: 'resolveOrganisationCase',
        summary: 'Close an open organisation case once, with its outcome and a note (security officers)',
        access: { kind: 'group', group: 'security-officers' },
        path: organisationCasePath,
        body: organisationCaseResolutionBody,
        responses: {
          200: {
            description:
              'Closed and audited. administrator-appointed needs an administrator besides the flagged ' +
              'person (else 422 no-other-administrator); a closed case answers 409 already-decided.',
            body: organisationCaseSchema,
          },
        },
      },
      async ({ path, body, caller }) => ({
        status: 200,
        body: await resolveOrganisationCase(resolve(), caller.personId, path.caseId, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}',
        operationId: 'getOrganisation',
        summary: 'Organisation profile (members)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        responses: { 200: { description: 'The organisation', body: organisationSchema } },
      },
      async ({ path, caller }) => ({
        status: 200,
        body: await getOrganisation(resolve(), caller, path.orgCode),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}/members',
        operationId: 'listMembers',
        summary: 'Members and their roles (local administrators)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        query: paginationQuerySchema,
        responses: { 200: { description: 'A page of members', body: membersPageSchema } },
      },
      async ({ path, query, caller }) => ({
        status: 200,
        body: await listMembers(resolve(), caller, path.orgCode, query),
      }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/{orgCode}/administrators',
        operationId: 'appointAdministrator',
        summary:
          'Appoint a member, a known person, or a national number nobody has logged in with yet (pending until their first login) as local administrator (local administrators)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        body: appointBody,
        responses: {
          201: { description: 'Appointed', body: z.extend(membershipSchema, { personId: z.string() }) },
          200: {
            description: 'Already a local administrator',
            body: z.extend(membershipSchema, { personId: z.string() }),
          },
          202: {
            description:
              'Nobody has logged in with this number yet: the appointment waits on the number (hashed) and ' +
              'takes effect when the number is linked on verified evidence (an itsme or wallet PID login, or a ' +
              'registration officer’s document check). At most 10 organisations wait on one number (409 ' +
              '`pending-limit` beyond); a waiting appointment lapses 90 days after the latest one',
            body: z.object({
              orgCode: z.string(),
              name: z.string(),
              localAdministrator: z.literal(true),
              pending: z.literal(true),
            }),
          },
        },
      },
      async ({ path, body, caller }) => {
        const result = await appointAdministrator(resolve(), caller, path.orgCode, body.insz);
        if (result.pending) return { status: 202, body: result.administrator };
        return { status: result.created ? 201 : 200, body: result.administrator };
      },
    ),
    defineRoute(
      {
        method: 'DELETE',
        resource: '/organisations/{orgCode}/administrators/{personId}',
        operationId: 'removeAdministrator',
        summary: 'Remove a local administrator, never the last one (local administrators)',
        access: { kind: 'authenticated' },
        path: administratorPath,
        responses: { 204: { description: 'Removed; the person stays a member' } },
      },
      async ({ path, caller }) => {
        await removeAdministrator(resolve(), caller, path.orgCode, path.personId);
        return { status: 204 };
      },
    ),
  ];
}

/**
 * The organisations routes for the API construct and the OpenAPI generator: definitions only.
 * Invoking one fails (500), because no dependencies are wired.
 */
export const ORGANISATIONS_ROUTES: readonly RouteHandler[] = createOrganisationsRoutes(() => {
  throw new Error(
    'ORGANISATIONS_ROUTES carry definitions only; build served routes with createOrganisationsRoutes(deps)',
  );
});
