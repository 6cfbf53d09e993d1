/**
 * The foreign-company registration routes of ARCHITECTURE.md section 3 — extract uploads, the
 * applicant's registration and the security officers' review queue and decisions — as
 * `defineRoute` handlers over the use cases of `foreign-registrations.ts`. They are served by a
 * function of their own (`Organisations/Registrations`, entry `registrations-api.ts`): it alone
 * holds the upload bucket, the upload key and the review workflow, and the organisation API carries
 * neither their code nor their rights. {@link FOREIGN_REGISTRATION_ROUTES} carries the definitions
 * without any AWS client behind it (API construct, OpenAPI generator).
 */
import * as z from 'zod/mini';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import {
  addressSchema,
  addressViewSchema,
  boundedString,
  countryCodeSchema,
  emailSchema,
} from '#shared/http/schemas';
import { LOCALES } from '#shared/locale';
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
  parseRegistryNumber,
} from './organisation.ts';
import type { ForeignRegistrationsApiDeps } from './ports.ts';
import { EXTRACT_CONTENT_TYPE, MAX_EXTRACT_BYTES } from './uploads.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

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

const statusSchema = z.enum(FOREIGN_REGISTRATION_STATUSES);
const acceptedSchema = z.object({ registrationId: z.string(), status: statusSchema });
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
  address: addressViewSchema,
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
const uploadSchema = z.object({
  uploadId: z.string(),
  method: z.literal('PUT'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});

/**
 * The foreign-registration route handlers over `deps` (a function is resolved at the first request,
 * so definitions can be built where no AWS client exists).
 */
export function createForeignRegistrationRoutes(
  deps: ForeignRegistrationsApiDeps | (() => ForeignRegistrationsApiDeps),
): RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;
  return [
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
  ];
}

/**
 * The foreign-registration routes for the API construct and the OpenAPI generator: definitions
 * only. Invoking one fails (500), because no dependencies are wired.
 */
export const FOREIGN_REGISTRATION_ROUTES: readonly RouteHandler[] = createForeignRegistrationRoutes(() => {
  throw new Error(
    'FOREIGN_REGISTRATION_ROUTES carry definitions only; build served routes with createForeignRegistrationRoutes(deps)',
  );
});
