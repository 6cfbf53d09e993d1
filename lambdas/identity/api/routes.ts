/**
 * The identity context's API routes: `GET /me` and `POST /me/insz`. Route functions are a few lines
 * over the use cases; the collaborators come in as {@link IdentityApiDeps}, resolved on first use so
 * that the CDK app and the OpenAPI generator can import the routes without any AWS configuration.
 */
import type { RouteHandler } from '#shared/http/handler';
import { defineRoute } from '#shared/http/handler';
import type { PersonRegister } from '../person-register.ts';
import type { PersonRepository } from '../person-repository.ts';
import type { LoggerPort } from '../resolve-person.ts';
import { productionDeps } from './deps.ts';
import { type AttemptLimiter, type InszLinkStore, linkInsz } from './link-insz.ts';
import { getMe } from './me.ts';
import { linkInszBodySchema, linkInszResponseSchema, meResponseSchema } from './schemas.ts';

/** Everything the identity routes need. */
export interface IdentityApiDeps {
  persons: Pick<PersonRepository, 'loadPersonItems'>;
  inszLinks: InszLinkStore;
  register: PersonRegister;
  attempts: AttemptLimiter;
  now: () => Date;
  logger: LoggerPort;
}

/**
 * The identity routes over `deps` (an object, or a function called on each request — memoise it).
 * Access is `authenticated` for both: any signed-in person, whatever their groups.
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
      summary: 'The signed-in person: identities, memberships and grants valid now',
      access: { kind: 'authenticated' },
      responses: {
        200: { description: 'The person', body: meResponseSchema },
        404: {
          description:
            'No person for the token: erased, or joined into another account by `POST /me/insz` (sign in again)',
        },
      },
    },
    async ({ caller }) => {
      const { persons, now } = resolve();
      return { status: 200, body: await getMe({ persons, now }, caller.personId) };
    },
  );

  const linkNationalNumber = defineRoute(
    {
      method: 'POST',
      resource: '/me/insz',
      operationId: 'linkNationalNumber',
      summary: 'Link a national number after checking it against the person register',
      access: { kind: 'authenticated' },
      body: linkInszBodySchema,
      responses: {
        200: {
          description:
            'Linked (also when it was linked already), or the account was joined into the account holding ' +
            'the number (`merged`)',
          body: linkInszResponseSchema,
        },
        409: {
          description:
            'Another number is linked already, or this number belongs to another account that this one ' +
            'cannot be joined with automatically (it has memberships or rights, or changed meanwhile)',
        },
        422: {
          description: 'The details do not match the person register (same answer for unknown numbers)',
        },
        429: { description: 'Too many failed checks; the problem detail says when to try again' },
      },
    },
    async ({ caller, body }) => {
      const { inszLinks, register, attempts, now, logger } = resolve();
      const linked = await linkInsz(
        { store: inszLinks, register, attempts, now, logger },
        caller.personId,
        body,
      );
      return {
        status: 200,
        body: { personId: linked.personId, insz: linked.insz, ...(linked.merged ? { merged: true } : {}) },
      };
    },
  );

  return [me, linkNationalNumber];
}

/**
 * The identity routes wired to the production collaborators, built on the first request. The
 * Lambda entry point, the API construct (methods) and the OpenAPI generator import this; importing
 * it reads no environment.
 */
export const identityRoutes: readonly RouteHandler[] = createIdentityRoutes(productionDeps);
