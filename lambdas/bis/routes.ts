/**
 * The BIS routes of ARCHITECTURE.md section 3, as `defineRoute` handlers over the use cases. The
 * definitions (method, resource, access, schemas) are what the API construct and the OpenAPI
 * generator import: {@link BIS_ROUTES} carries them without any AWS client behind it.
 */
import * as z from 'zod/mini';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import { boundedString, personDataSchema } from '#shared/http/schemas';
import { LOCALES } from '#shared/locale';
import { decideRegistration } from './decide-registration.ts';
import type { BisApiDeps } from './ports.ts';
import { getRegistration, listRegistrations } from './read-registrations.ts';
import { BIS_DECISIONS, BIS_STATUSES } from './registration.ts';
import { submitCorrection } from './submit-correction.ts';
import { submitRegistration } from './submit-registration.ts';

/** `POST /bis-registrations`: the person data (contract) and the mail language. */
export const submitRegistrationBody = z.extend(personDataSchema, {
  locale: z.optional(z.enum(LOCALES, { error: `Must be one of ${LOCALES.join(', ')}` })),
});

/** `POST /bis-registrations/{id}/corrections`: the corrected person data. */
export const correctionBody = personDataSchema;

/** `POST /agent/bis-registrations/{id}/decision`; a reason is required to reject or send back. */
export const decisionBody = z
  .strictObject({
    decision: z.enum(BIS_DECISIONS, { error: `Must be one of ${BIS_DECISIONS.join(', ')}` }),
    reason: z.optional(boundedString(1000)),
  })
  .check(
    z.superRefine((body, context) => {
      if (body.decision !== 'approve' && body.reason === undefined) {
        context.addIssue({ code: 'custom', path: ['reason'], message: 'Required for this decision' });
      }
    }),
  );

/** `{id}`: a registration id (ULID). */
export const registrationPath = z.strictObject({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Must be a registration id')),
});

/** `GET /agent/bis-registrations?status=&limit=&cursor=`. */
export const queueQuery = z.extend(paginationQuerySchema, {
  status: z._default(
    z.enum(BIS_STATUSES, { error: `Must be one of ${BIS_STATUSES.join(', ')}` }),
    'PENDING_REVIEW',
  ),
});

const statusSchema = z.enum(BIS_STATUSES);
const acceptedSchema = z.object({ registrationId: z.string(), status: statusSchema });
const historySchema = z.object({
  at: z.string(),
  event: z.string(),
  status: statusSchema,
  actor: z.enum(['applicant', 'agent', 'system']),
  actorId: z.optional(z.string()),
  reason: z.optional(z.string()),
});
const registrationSchema = z.object({
  registrationId: z.string(),
  status: statusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  data: personDataSchema,
  personId: z.optional(z.string()),
  bisNumber: z.optional(z.string()),
  reason: z.optional(z.string()),
  history: z.array(historySchema),
});
const scriptMixingSchema = z.array(z.object({ field: z.string(), scripts: z.array(z.string()) })).check(
  z.meta({
    description:
      'Fields that mix scripts inside one word (UTS #39 restriction levels; e.g. a Cyrillic letter ' +
      'among Latin ones): a look-alike to check, not an error.',
  }),
);
const queuePageSchema = z.object({
  items: z.array(
    z.object({
      registrationId: z.string(),
      status: statusSchema,
      createdAt: z.string(),
      updatedAt: z.string(),
      givenNames: z.string(),
      familyName: z.string(),
      birthDate: z.string(),
      nationality: z.string(),
      round: z.number(),
      scriptMixing: scriptMixingSchema,
    }),
  ),
  nextCursor: z.optional(z.string()),
});

/**
 * The BIS route handlers over `deps` (a function is resolved at the first request, so definitions
 * can be built where no AWS client exists).
 */
export function createBisRoutes(deps: BisApiDeps | (() => BisApiDeps)): RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;
  return [
    defineRoute(
      {
        method: 'POST',
        resource: '/bis-registrations',
        operationId: 'submitBisRegistration',
        summary: 'Request a BIS number (eIDAS sign-in, no INSZ yet)',
        access: { kind: 'authenticated' },
        body: submitRegistrationBody,
        responses: { 202: { description: 'Accepted for review', body: acceptedSchema } },
      },
      async ({ body, caller, headers }) => {
        const { locale, ...data } = body;
        const accepted = await submitRegistration(resolve(), caller, {
          data,
          locale,
          acceptLanguage: headers['accept-language'],
        });
        return { status: 202, body: accepted };
      },
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/bis-registrations/{id}',
        operationId: 'getBisRegistration',
        summary: 'A BIS number request with its history (applicant, BIS agents)',
        access: { kind: 'authenticated' },
        path: registrationPath,
        responses: { 200: { description: 'The request', body: registrationSchema } },
      },
      async ({ path, caller }) => ({ status: 200, body: await getRegistration(resolve(), caller, path.id) }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/bis-registrations/{id}/corrections',
        operationId: 'correctBisRegistration',
        summary: 'Correct a request sent back by a BIS agent (applicant)',
        access: { kind: 'authenticated' },
        path: registrationPath,
        body: correctionBody,
        responses: { 200: { description: 'Back in review', body: acceptedSchema } },
      },
      async ({ path, body, caller }) => ({
        status: 200,
        body: await submitCorrection(resolve(), caller, path.id, body),
      }),
    ),
    defineRoute(
      {
        method: 'GET',
        resource: '/agent/bis-registrations',
        operationId: 'listBisRegistrations',
        summary: 'Review queue by status, oldest first (BIS agents)',
        access: { kind: 'group', group: 'bis-agents' },
        query: queueQuery,
        responses: { 200: { description: 'A page of the queue', body: queuePageSchema } },
      },
      async ({ query }) => ({ status: 200, body: await listRegistrations(resolve(), query) }),
    ),
    defineRoute(
      {
        method: 'POST',
        resource: '/agent/bis-registrations/{id}/decision',
        operationId: 'decideBisRegistration',
        summary: 'Approve, reject or send back a request (BIS agents)',
        access: { kind: 'group', group: 'bis-agents' },
        path: registrationPath,
        body: decisionBody,
        responses: {
          200: {
            description: 'Decision accepted; the workflow applies it',
            body: z.extend(acceptedSchema, { decision: z.enum(BIS_DECISIONS) }),
          },
        },
      },
      async ({ path, body, caller }) => ({
        status: 200,
        body: await decideRegistration(resolve(), caller, path.id, body),
      }),
    ),
  ];
}

/**
 * The BIS routes for the API construct and the OpenAPI generator: definitions only. Invoking one
 * fails (500), because no dependencies are wired; `api.ts` builds the served ones.
 */
export const BIS_ROUTES: readonly RouteHandler[] = createBisRoutes(() => {
  throw new Error('BIS_ROUTES carry definitions only; build served routes with createBisRoutes(deps)');
});
