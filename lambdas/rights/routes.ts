/**
 * The rights routes of ARCHITECTURE.md section 3, as `defineRoute` handlers over the use cases.
 * {@link RIGHTS_ROUTES} carries the definitions (method, resource, access, schemas) without any AWS
 * client behind it, for the API construct and the OpenAPI generator.
 *
 * Access: every route is `authenticated`; who may do what in an organisation is decided by the use
 * cases from the table (membership items), never from token claims, which can be an hour stale.
 */
import * as z from 'zod/mini';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import { boundedString, inszSchema, isoDateSchema } from '#shared/http/schemas';
import { APPLICATION_IDS, CATALOGUE, findApplication, findRole } from './catalogue.ts';
import { decideRightRequest } from './decide-request.ts';
import { grantByNationalNumber } from './grant-by-number.ts';
import { listAudit, listGrants, listRightRequests, revokeGrant } from './organisation-views.ts';
import type { RightsApiDeps } from './ports.ts';
import { RIGHT_DECISIONS, RIGHT_REQUEST_STATUSES } from './right-request.ts';
import { submitRightRequest } from './submit-request.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * An organisation code as the organisations context issues it: the 10-digit enterprise number, an OVO
 * code or `FOREIGN-<CC>-<registry id>`; URL-safe, never `#`.
 */
export const orgCodeSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,79}$/, 'Must be an organisation code'));

/** `{orgCode}`. */
export const organisationPath = z.strictObject({ orgCode: orgCodeSchema });

/** `{orgCode}` and `{requestId}`. */
export const requestPath = z.strictObject({
  orgCode: orgCodeSchema,
  requestId: z.string().check(z.regex(ULID, 'Must be a request id')),
});

/** `{orgCode}` and `{grantId}`. */
export const grantPath = z.strictObject({
  orgCode: orgCodeSchema,
  grantId: z.string().check(z.regex(ULID, 'Must be a grant id')),
});

/** An application or role id as a body field; {@link inCatalogue} checks it names a real one. */
const catalogueName = z.string().check(z.maxLength(40, 'At most 40 characters'));

/** The body's application is in the catalogue, and its role is a role of that application. */
const inCatalogue = z.superRefine((body: { application: string; role: string }, context) => {
  if (!findApplication(body.application)) {
    context.addIssue({
      code: 'custom',
      path: ['application'],
      message: `Must be one of ${APPLICATION_IDS.join(', ')}`,
    });
  } else if (!findRole(body.application, body.role)) {
    context.addIssue({ code: 'custom', path: ['role'], message: 'Not a role of this application' });
  }
});

/** `POST /organisations/{orgCode}/right-requests`; application and role must be in the catalogue. */
export const rightRequestBody = z
  .strictObject({
    application: catalogueName,
    role: catalogueName,
    justification: z.optional(boundedString(1000)),
  })
  .check(inCatalogue);

/**
 * `validUntil`: an ISO timestamp with offset, or a date `YYYY-MM-DD` meaning "through that day" (UTC);
 * normalised to `toISOString()` so stored values compare as strings.
 */
export const validUntilSchema = z.pipe(
  z.union([z.iso.datetime({ offset: true }), isoDateSchema], {
    error: 'Must be an ISO 8601 timestamp or a date YYYY-MM-DD',
  }),
  z.transform((value) =>
    value.length === 10
      ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString()
      : new Date(value).toISOString(),
  ),
);

/** `POST …/right-requests/{requestId}/decision`; a reason is required to deny. */
export const rightDecisionBody = z
  .strictObject({
    decision: z.enum(RIGHT_DECISIONS, { error: `Must be one of ${RIGHT_DECISIONS.join(', ')}` }),
    reason: z.optional(boundedString(1000)),
    validUntil: z.optional(validUntilSchema),
  })
  .check(
    z.superRefine((body, context) => {
      if (body.decision === 'deny' && body.reason === undefined) {
        context.addIssue({ code: 'custom', path: ['reason'], message: 'Required to deny' });
      }
      if (body.decision === 'deny' && body.validUntil !== undefined) {
        context.addIssue({ code: 'custom', path: ['validUntil'], message: 'Only for approvals' });
      }
    }),
  );

/** `POST /organisations/{orgCode}/grants`: a role for a person known by national number (or not yet). */
export const grantByNumberBody = z
  .strictObject({
    insz: inszSchema,
    application: catalogueName,
    role: catalogueName,
    validUntil: z.optional(validUntilSchema),
  })
  .check(inCatalogue);

/** `GET …/right-requests?status=&limit=&cursor=`. */
export const inboxQuery = z.extend(paginationQuerySchema, {
  status: z._default(
    z.enum(RIGHT_REQUEST_STATUSES, { error: `Must be one of ${RIGHT_REQUEST_STATUSES.join(', ')}` }),
    'PENDING',
  ),
});

const statusSchema = z.enum(RIGHT_REQUEST_STATUSES);
const displayNameSchema = z.object({ nl: z.string(), fr: z.string(), en: z.string() });
const catalogueSchema = z.object({
  items: z.array(
    z.object({
      application: z.string(),
      displayName: displayNameSchema,
      roles: z.array(
        z.object({
          role: z.string(),
          displayName: displayNameSchema,
          requiresApproval: z.boolean(),
          defaultValidityDays: z.number(),
          maxValidityDays: z.number(),
        }),
      ),
    }),
  ),
});
const acceptedSchema = z.object({ requestId: z.string(), status: statusSchema });
const requestViewSchema = z.object({
  requestId: z.string(),
  status: statusSchema,
  orgCode: z.string(),
  application: z.string(),
  role: z.string(),
  justification: z.optional(z.string()),
  requester: z.object({ personId: z.string(), givenNames: z.string(), familyName: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
  reason: z.optional(z.string()),
  validUntil: z.optional(z.string()),
});
const grantViewSchema = z.object({
  grantId: z.string(),
  personId: z.string(),
  orgCode: z.string(),
  application: z.string(),
  role: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  grantedBy: z.string(),
  requestId: z.string(),
});
const pendingGrantSchema = z.object({
  orgCode: z.string(),
  application: z.string(),
  role: z.string(),
  validUntil: z.string(),
  pending: z.literal(true),
});
const auditEntrySchema = z.object({
  entryId: z.string(),
  orgCode: z.string(),
  at: z.string(),
  action: z.string(),
  actor: z.string(),
  /** The actor's name, resolved when the page is read (entries store person ids only). */
  actorName: z.optional(z.string()),
  subject: z.optional(z.string()),
  subjectName: z.optional(z.string()),
  reason: z.optional(z.string()),
  details: z.optional(z.record(z.string(), z.string())),
});
const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

/**
 * The rights route handlers over `deps` (a function is resolved at the first request, so definitions
 * can be built where no AWS client exists).
 */
export function createRightsRoutes(deps: RightsApiDeps | (() => RightsApiDeps)): RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;
  return [
    defineRoute(
      {
        method: 'GET',
        resource: '/applications',
        operationId: 'listApplications',
        summary: 'The application and role catalogue (whole, not paginated: it is configuration)',
        access: { kind: 'authenticated' },
        responses: { 200: { description: 'The catalogue', body: catalogueSchema } },
      },
      async () => ({ status: 200, body: { items: CATALOGUE } }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/{orgCode}/right-requests',
        operationId: 'requestRight',
        summary: 'Request a role for an organisation (any person with an INSZ; self-registration links)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        body: rightRequestBody,
        responses: {
          202: {
            description:
              'Granted at once (APPROVED: a role without approval, requested by a member) or waiting for a local administrator (PENDING)',
            body: acceptedSchema,
          },
        },
      },
      async ({ path, body, caller }) => ({
        status: 202,
        body: await submitRightRequest(resolve(), caller, path.orgCode, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}/right-requests',
        operationId: 'listRightRequests',
        summary: 'Right requests of one status, oldest first (local administrators)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        query: inboxQuery,
        responses: { 200: { description: 'A page of the inbox', body: pageOf(requestViewSchema) } },
      },
      async ({ path, query, caller }) => ({
        status: 200,
        body: await listRightRequests(resolve(), caller, path.orgCode, query),
      }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/{orgCode}/right-requests/{requestId}/decision',
        operationId: 'decideRightRequest',
        summary: 'Approve or deny a right request (local administrators, never on their own request)',
        access: { kind: 'authenticated' },
        path: requestPath,
        body: rightDecisionBody,
        responses: {
          200: {
            description: 'Decision accepted; the workflow applies it',
            body: z.extend(acceptedSchema, {
              decision: z.enum(RIGHT_DECISIONS),
              validUntil: z.optional(z.string()),
            }),
          },
        },
      },
      async ({ path, body, caller }) => ({
        status: 200,
        body: await decideRightRequest(resolve(), caller, path.orgCode, path.requestId, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}/grants',
        operationId: 'listGrants',
        summary: 'Grants valid now (local administrators)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        query: paginationQuerySchema,
        responses: { 200: { description: 'A page of grants', body: pageOf(grantViewSchema) } },
      },
      async ({ path, query, caller }) => ({
        status: 200,
        body: await listGrants(resolve(), caller, path.orgCode, query),
      }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/organisations/{orgCode}/grants',
        operationId: 'grantByNationalNumber',
        summary:
          'Grant a role to a person by national number — also one nobody has logged in with yet (local administrators, never to themselves)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        body: grantByNumberBody,
        responses: {
          201: { description: 'Granted: the person holds the number; told by mail', body: grantViewSchema },
          202: {
            description:
              'Nobody holds this number yet: the role waits on the number (hashed) and becomes a membership ' +
              'and a grant when the number is linked on verified evidence (an itsme or wallet PID login, or a ' +
              'registration officer’s document check). At most 10 organisations and 20 roles wait on one ' +
              'number (409 `pending-limit` beyond); what waits lapses 90 days after the latest change',
            body: pendingGrantSchema,
          },
          200: { description: 'This role waits on the number already', body: pendingGrantSchema },
        },
      },
      async ({ path, body, caller }) => {
        const result = await grantByNationalNumber(resolve(), caller, path.orgCode, body);
        if (!result.pending) return { status: 201, body: result.grant };
        return { status: result.created ? 202 : 200, body: result.waiting };
      },
    ),
    defineRoute(
      {
        method: 'DELETE',
        resource: '/organisations/{orgCode}/grants/{grantId}',
        operationId: 'revokeGrant',
        summary: 'Revoke a grant; the next token (a refresh included) no longer carries it',
        access: { kind: 'authenticated' },
        path: grantPath,
        responses: { 204: { description: 'Revoked' } },
      },
      async ({ path, caller }) => {
        await revokeGrant(resolve(), caller, path.orgCode, path.grantId);
        return { status: 204 };
      },
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/organisations/{orgCode}/audit',
        operationId: 'listAudit',
        summary: 'Who did what, when and why, newest first (local administrators)',
        access: { kind: 'authenticated' },
        path: organisationPath,
        query: paginationQuerySchema,
        responses: { 200: { description: 'A page of the audit trail', body: pageOf(auditEntrySchema) } },
      },
      async ({ path, query, caller }) => ({
        status: 200,
        body: await listAudit(resolve(), caller, path.orgCode, query),
      }),
    ),
  ];
}

/**
 * The rights routes for the API construct and the OpenAPI generator: definitions only. Invoking one
 * fails (500), because no dependencies are wired; `api.ts` builds the served ones.
 */
export const RIGHTS_ROUTES: readonly RouteHandler[] = createRightsRoutes(() => {
  throw new Error('RIGHTS_ROUTES carry definitions only; build served routes with createRightsRoutes(deps)');
});
