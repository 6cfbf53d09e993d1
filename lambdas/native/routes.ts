/**
 * The native-account routes: the registration office creates accounts and issues code cards; a
 * native user replaces their own card and sees their second factors. The definitions are what the
 * API construct and the OpenAPI generator import ({@link NATIVE_ROUTES}, no AWS client behind it).
 */
import * as z from 'zod/mini';
import { ForbiddenError } from '#shared/errors';
import { defineRoute, type RouteHandler } from '#shared/http/handler';
import { paginationQuerySchema } from '#shared/http/pagination';
import { boundedString, emailSchema, inszSchema, personDataSchema } from '#shared/http/schemas';
import { LOCALES } from '#shared/locale';
import { confirmPendingAccount, createNativeAccount } from './create-account.ts';
import { getSecondFactors, issueCodeCard } from './issue-code-card.ts';
import { listPendingAccounts } from './pending-accounts.ts';
import type { NativeDeps } from './ports.ts';

/** The group of registration-office staff. */
export const REGISTRATION_OFFICERS_GROUP = 'registration-officers';

/** `POST /registration-office/accounts`: exactly one of `insz` and `person`. */
export const createAccountBody = z
  .strictObject({
    insz: z.optional(
      inszSchema.check(z.meta({ description: 'A national or BIS number known to the person register' })),
    ),
    person: z.optional(
      z
        .omit(personDataSchema, { email: true })
        .check(z.meta({ description: 'Person data for a BIS number issued on the spot' })),
    ),
    email: emailSchema,
    locale: z.optional(z.enum(LOCALES, { error: `Must be one of ${LOCALES.join(', ')}` })),
    duplicateOverride: z.optional(
      z.strictObject({ reason: boundedString(500, { min: 10 }) }).check(
        z.meta({
          description:
            'Issue the BIS number although a person with the same name and birth date exists; the reason is audited',
        }),
      ),
    ),
  })
  .check(
    z.superRefine((body, context) => {
      if ((body.insz === undefined) === (body.person === undefined)) {
        context.addIssue({ code: 'custom', path: ['insz'], message: 'Give either insz or person, not both' });
      }
      if (body.duplicateOverride !== undefined && body.person === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['duplicateOverride'],
          message: 'Only with person (a BIS number on the spot)',
        });
      }
    }),
  );

/** `{pendingId}` of the confirmation route. */
export const pendingPath = z.strictObject({
  pendingId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Must be a pending account id')),
});

/** `GET /registration-office/pending-accounts?status=&limit=&cursor=`. */
export const pendingQuery = z.extend(paginationQuerySchema, {
  status: z._default(z.enum(['PENDING', 'CONFIRMED'], { error: 'Must be PENDING or CONFIRMED' }), 'PENDING'),
});

/** `{personId}` of the office's card route. */
export const personPath = z.strictObject({
  personId: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'Must be a person id')),
});

const createdAccountSchema = z.object({ personId: z.string(), username: z.string(), insz: z.string() });
const pendingConfirmationSchema = z.object({
  pendingId: z.string(),
  status: z.literal('PENDING_CONFIRMATION'),
});
const pendingPageSchema = z.object({
  items: z.array(
    z.object({
      pendingId: z.string(),
      status: z.enum(['PENDING', 'CONFIRMED', 'CANCELLED']),
      personId: z.string(),
      insz: z.string(),
      holder: z.string(),
      email: z.string(),
      requestedBy: z.string(),
      createdAt: z.string(),
      confirmedBy: z.optional(z.string()),
      confirmedAt: z.optional(z.string()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});
const issuedCardSchema = z.object({ cardId: z.string(), createdAt: z.string() });
const secondFactorsSchema = z.object({
  nativeAccount: z.boolean(),
  codeCard: z.nullable(
    z.object({ cardId: z.string(), version: z.number(), createdAt: z.string(), locked: z.boolean() }),
  ),
});

/** The routes over `deps` (an object, or a function called on each request — memoise it). */
export function createNativeRoutes(deps: NativeDeps | (() => NativeDeps)): readonly RouteHandler[] {
  const resolve = typeof deps === 'function' ? deps : () => deps;

  const createAccount = defineRoute(
    {
      method: 'POST',
      resource: '/registration-office/accounts',
      operationId: 'createNativeAccount',
      summary: 'Create an account with username, password and code card for a person checked in person',
      access: { kind: 'group', group: REGISTRATION_OFFICERS_GROUP },
      body: createAccountBody,
      responses: {
        201: { description: 'Created; activation and code card mailed', body: createdAccountSchema },
        202: {
          description:
            'The number belongs to an existing person: the account waits for a second registration officer',
          body: pendingConfirmationSchema,
        },
        409: {
          description:
            'The person already has an account, or (BIS on the spot) a person with the same name and birth date exists',
        },
        422: { description: 'The national number is not in the person register' },
      },
    },
    async ({ body, caller }) => {
      const input =
        body.insz !== undefined
          ? { insz: body.insz, email: body.email, locale: body.locale }
          : {
              person: body.person as NonNullable<typeof body.person>,
              email: body.email,
              locale: body.locale,
              duplicateOverride: body.duplicateOverride,
            };
      const outcome = await createNativeAccount(resolve(), caller, input);
      return outcome.kind === 'pending'
        ? { status: 202, body: outcome.pending }
        : { status: 201, body: outcome.account };
    },
  );

  const listPending = defineRoute(
    {
      method: 'GET',
      resource: '/registration-office/pending-accounts',
      operationId: 'listPendingOfficeAccounts',
      summary: 'Accounts for existing persons waiting for a second registration officer, oldest first',
      access: { kind: 'group', group: REGISTRATION_OFFICERS_GROUP },
      query: pendingQuery,
      responses: { 200: { description: 'A page of account requests', body: pendingPageSchema } },
    },
    async ({ query }) => ({ status: 200, body: await listPendingAccounts(resolve(), query) }),
  );

  const confirmPending = defineRoute(
    {
      method: 'POST',
      resource: '/registration-office/pending-accounts/{pendingId}/confirmation',
      operationId: 'confirmPendingOfficeAccount',
      summary: 'A second registration officer confirms an account for an existing person',
      access: { kind: 'group', group: REGISTRATION_OFFICERS_GROUP },
      path: pendingPath,
      responses: {
        201: {
          description: 'Created; activation, code card and a notice to the person mailed',
          body: createdAccountSchema,
        },
        403: { description: 'The officer who asked for the account cannot confirm it' },
        404: { description: 'No such account request' },
        409: { description: 'Confirmed already, or the person or number changed meanwhile' },
      },
    },
    async ({ path, caller }) => ({
      status: 201,
      body: await confirmPendingAccount(resolve(), caller, path.pendingId),
    }),
  );

  const officeCard = defineRoute(
    {
      method: 'POST',
      resource: '/registration-office/accounts/{personId}/code-card',
      operationId: 'issueCodeCardAtOffice',
      summary: 'Issue a new code card (the previous one stops working; a lock is lifted)',
      access: { kind: 'group', group: REGISTRATION_OFFICERS_GROUP },
      path: personPath,
      responses: {
        201: { description: 'Issued and mailed', body: issuedCardSchema },
        404: { description: 'The person has no native account' },
      },
    },
    async ({ path }) => {
      const card = await issueCodeCard(resolve(), path.personId);
      return { status: 201, body: { cardId: card.cardId, createdAt: card.createdAt } };
    },
  );

  const ownCard = defineRoute(
    {
      method: 'POST',
      resource: '/me/code-card',
      operationId: 'issueOwnCodeCard',
      summary: 'A new code card for the signed-in native user (the previous one stops working)',
      access: { kind: 'authenticated' },
      responses: {
        201: { description: 'Issued and mailed', body: issuedCardSchema },
        403: { description: 'Only for sessions of a username-and-password account' },
      },
    },
    async ({ caller }) => {
      if (caller.idp !== 'native') {
        throw new ForbiddenError('Code cards are only for accounts with a username and password.');
      }
      const card = await issueCodeCard(resolve(), caller.personId);
      return { status: 201, body: { cardId: card.cardId, createdAt: card.createdAt } };
    },
  );

  const secondFactors = defineRoute(
    {
      method: 'GET',
      resource: '/me/second-factors',
      operationId: 'getSecondFactors',
      summary: 'The code card of the signed-in person, if any (authenticator apps are managed by Cognito)',
      access: { kind: 'authenticated' },
      responses: { 200: { description: 'Second factors', body: secondFactorsSchema } },
    },
    async ({ caller }) => ({ status: 200, body: await getSecondFactors(resolve(), caller.personId) }),
  );

  return [createAccount, listPending, confirmPending, officeCard, ownCard, secondFactors];
}
