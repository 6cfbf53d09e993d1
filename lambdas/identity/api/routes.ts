/**
 * The identity context's API routes: the caller's person (`GET /me`, `GET /me/activity`), linking a
 * national number (`POST /me/insz`), "connect another login" (`/me/connections`) and the security
 * officers' identity cases. Route functions are a few lines over the use cases; the collaborators
 * come in as {@link IdentityApiDeps}, resolved on first use so that the CDK app and the OpenAPI
 * generator can import the routes without any AWS configuration.
 */

import { ConflictError } from '#shared/errors';
import type { RouteHandler } from '#shared/http/handler';
import { defineRoute } from '#shared/http/handler';
import { organisationNotFound } from '#shared/organisation-access';
import type { PersonRegister } from '#shared/person-register';
import type { LoggerPort } from '../resolve-person.ts';
import { confirmConnection, describeConnection, startConnection } from './connections.ts';
import { listIdentityCases, resolveIdentityCase } from './identity-cases.ts';
import type { IdentityStore } from './identity-store.ts';
import { type AttemptLimiter, linkInsz } from './link-insz.ts';
import { getMe } from './me.ts';
import {
  activityPageSchema,
  activityQuerySchema,
  capacityBodySchema,
  capacityResponseSchema,
  connectionCreatedSchema,
  connectionJoinedSchema,
  connectionPathSchema,
  connectionViewSchema,
  identityCasePageSchema,
  identityCasePathSchema,
  identityCaseResolutionSchema,
  identityCaseSchema,
  identityCasesQuerySchema,
  linkInszBodySchema,
  linkInszResponseSchema,
  meResponseSchema,
} from './schemas.ts';

/** Everything the identity routes need. */
export interface IdentityApiDeps {
  store: IdentityStore;
  register: PersonRegister;
  attempts: AttemptLimiter;
  now: () => Date;
  newId: () => string;
  logger: LoggerPort;
}

const STALE = 'The token names no login of this account any more (a join moved it): sign in again';

/**
 * The identity routes over `deps` (an object, or a function called on each request — memoise it).
 * Access is `authenticated` for the caller's own routes, group `security-officers` for the cases.
 */
export function createIdentityRoutes(
  deps: IdentityApiDeps | (() => IdentityApiDeps),
): readonly RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;

  const me = defineRoute(
    {
      method: 'GET',
      resource: '/me',
      operationId: 'getMe',
      summary: 'The signed-in person: identities with their evidence, memberships and grants valid now',
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'The person', body: meResponseSchema },
        404: {
          description: 'No person for the token: erased, or connected into another account (sign in again)',
        },
      },
    },
    async ({ caller }) => {
      const { store, now } = resolve();
      return { status: 200, body: await getMe({ store, now }, caller.personId) };
    },
  );

  const capacity = defineRoute(
    {
      method: 'PUT',
      resource: '/me/capacity',
      operationId: 'chooseCapacity',
      summary:
        'Choose the capacity the next tokens carry: an organisation the caller is a member of, or null (private); ' +
        'a token refresh carries it without a new login',
      access: { kind: 'authenticated' },
      body: capacityBodySchema,
      responses: {
        200: { description: 'Stored; the next token carries it', body: capacityResponseSchema },
        404: { description: 'The caller is not a member of this organisation (or it does not exist)' },
        409: { description: 'A concurrent change; try again' },
      },
    },
    async ({ caller, body }) => {
      const { store, now, newId, logger } = resolve();
      const chosen = await store.chooseCapacity(caller.personId, body.orgCode, now().toISOString(), newId);
      if (chosen.outcome === 'not-member') throw organisationNotFound();
      if (chosen.outcome !== 'done') {
        throw new ConflictError('Your capacity changed at the same time; please try again.', {
          code: 'capacity-contention',
        });
      }
      logger.info('capacity chosen', { personId: caller.personId, private: body.orgCode === null });
      return { status: 200, body: { orgCode: body.orgCode, name: chosen.name } };
    },
  );

  const activity = defineRoute(
    {
      method: 'GET',
      resource: '/me/activity',
      operationId: 'listMyActivity',
      summary: "The signed-in person's identity activity log, newest first",
      access: { kind: 'authenticated' },
      query: activityQuerySchema,
      responses: { 200: { description: 'A page of entries', body: activityPageSchema } },
    },
    async ({ caller, query }) => {
      const { store } = resolve();
      return { status: 200, body: await store.listActivity(caller.personId, query.limit, query.cursor) };
    },
  );

  const linkNationalNumber = defineRoute(
    {
      method: 'POST',
      resource: '/me/insz',
      operationId: 'linkNationalNumber',
      summary:
        'Link a national number whose register entry equals the names and birth date asserted by the current login',
      access: { kind: 'authenticated' },
      body: linkInszBodySchema,
      responses: {
        200: { description: 'Linked (also when it was linked already)', body: linkInszResponseSchema },
        403: { description: STALE },
        409: {
          description:
            'Another number is linked already, the account is suspended, or this number is in use by another ' +
            'account (connect the other login instead, or contact the service desk; the holder is told)',
        },
        422: {
          description:
            'The register entry does not match what the identity provider asserted at this login, or what was ' +
            'typed (the same answer for unknown numbers)',
        },
        429: { description: 'Too many checks; the problem detail says when to try again' },
      },
    },
    async ({ caller, body }) => {
      const { store, register, attempts, now, newId, logger } = resolve();
      const linked = await linkInsz({ store, register, attempts, now, newId, logger }, caller, body);
      return { status: 200, body: { personId: linked.personId, insz: linked.insz } };
    },
  );

  const startConnect = defineRoute(
    {
      method: 'POST',
      resource: '/me/connections',
      operationId: 'startConnection',
      summary: 'Start connecting another login to this account (valid 10 minutes)',
      access: { kind: 'authenticated' },
      responses: {
        201: { description: 'The connection request', body: connectionCreatedSchema },
        403: { description: `The sign-in is older than 10 minutes (sign in again first), or: ${STALE}` },
        409: { description: 'The account is suspended' },
      },
    },
    async ({ caller }) => {
      const { store, now, newId, logger } = resolve();
      return { status: 201, body: await startConnection({ store, now, newId, logger }, caller) };
    },
  );

  const showConnect = defineRoute(
    {
      method: 'GET',
      resource: '/me/connections/{connectionId}',
      operationId: 'getConnection',
      summary: 'What a connection request will connect: the login that started it and its names',
      access: { kind: 'authenticated' },
      path: connectionPathSchema,
      responses: {
        200: { description: 'The open connection request', body: connectionViewSchema },
        404: { description: 'Unknown, used or expired' },
      },
    },
    async ({ path }) => {
      const { store, now, newId, logger } = resolve();
      return {
        status: 200,
        body: await describeConnection({ store, now, newId, logger }, path.connectionId),
      };
    },
  );

  const confirmConnect = defineRoute(
    {
      method: 'POST',
      resource: '/me/connections/{connectionId}',
      operationId: 'confirmConnection',
      summary: 'Confirm a connection with the OTHER login, freshly signed in: both accounts become one',
      access: { kind: 'authenticated' },
      path: connectionPathSchema,
      responses: {
        200: { description: 'Joined: the account and its identities', body: connectionJoinedSchema },
        403: { description: 'The sign-in is older than the connection request, or the token is stale' },
        404: { description: 'Unknown, used or expired' },
        409: {
          description:
            'Same account, or the accounts cannot be joined here (two numbers, other birth dates, rights on both, ' +
            'a suspension): contact the service desk',
        },
      },
    },
    async ({ caller, path }) => {
      const { store, now, newId, logger } = resolve();
      return {
        status: 200,
        body: await confirmConnection({ store, now, newId, logger }, caller, path.connectionId),
      };
    },
  );

  const cases = defineRoute(
    {
      method: 'GET',
      resource: '/security/identity-cases',
      operationId: 'listIdentityCases',
      summary: 'Identity cases (a verified login displaced a weak national-number link), oldest first',
      access: { kind: 'group', group: 'security-officers' },
      query: identityCasesQuerySchema,
      responses: { 200: { description: 'A page of cases', body: identityCasePageSchema } },
    },
    async ({ query }) => {
      const { store, now, newId, logger } = resolve();
      return { status: 200, body: await listIdentityCases({ store, now, newId, logger }, query) };
    },
  );

  const resolveCase = defineRoute(
    {
      method: 'POST',
      resource: '/security/identity-cases/{caseId}/resolution',
      operationId: 'resolveIdentityCase',
      summary: 'Close an identity case: lift the suspension or keep it (audited, the person is told)',
      access: { kind: 'group', group: 'security-officers' },
      path: identityCasePathSchema,
      body: identityCaseResolutionSchema,
      responses: {
        200: { description: 'The resolved case', body: identityCaseSchema },
        403: { description: 'The officer is one of the persons of the case' },
        404: { description: 'Unknown case' },
        409: { description: 'Resolved already' },
      },
    },
    async ({ caller, path, body }) => {
      const { store, now, newId, logger } = resolve();
      return {
        status: 200,
        body: await resolveIdentityCase({ store, now, newId, logger }, caller.personId, path.caseId, body),
      };
    },
  );

  return [
    me,
    capacity,
    activity,
    linkNationalNumber,
    startConnect,
    showConnect,
    confirmConnect,
    cases,
    resolveCase,
  ];
}
