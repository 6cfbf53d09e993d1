/**
 * The organisations routes of ARCHITECTURE.md section 3 that the `Organisations/Api` function
 * serves — company claims, organisation profiles and members, local administrators and the security
 * officers' organisation cases — as `defineRoute` handlers over the use cases. The foreign-company
 * registrations have a function of their own (`registration-routes.ts`). {@link ORGANISATIONS_ROUTES}
 * carries the definitions without any AWS client behind it (API construct, OpenAPI generator);
 * `api.ts` builds the served ones.
 */
import * as z from 'zod/mini';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import { addressViewSchema, boundedString, enterpriseNumberSchema, inszSchema } from '#shared/http/schemas';
import { appointAdministrator, getOrganisation, listMembers, removeAdministrator } from './administrators.ts';
import { claimOrganisation } from './claim-organisation.ts';
import { ORG_CODE_PATTERN } from './organisation.ts';
import { listOrganisationCases, resolveOrganisationCase } from './organisation-cases.ts';
import { ORGANISATION_CASE_RESOLUTIONS } from './organisations-repository.ts';
import type { OrganisationsApiDeps } from './ports.ts';

/** `POST /organisations/claims`. */
export const claimBody = z.strictObject({ enterpriseNumber: enterpriseNumberSchema });

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
const organisationSchema = z.object({
  orgCode: z.string(),
  name: z.string(),
  country: z.string(),
  kind: z.enum(['belgian', 'foreign']),
  enterpriseNumber: z.optional(z.string()),
  registrationNumber: z.optional(z.string()),
  address: z.optional(addressViewSchema),
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
