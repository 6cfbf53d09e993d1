/**
 * Request and response schemas of the identity API (ARCHITECTURE.md section 3, contract). The same
 * schemas validate requests in the Lambda and generate docs/openapi.json.
 */
import * as z from 'zod';
import { birthDateSchema, boundedString, inszSchema } from '#shared/http/schemas';

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
  merged: z
    .literal(true)
    .optional()
    .meta({
      description:
        'Present when the number belonged to another account of the same person: the signed-in account was ' +
        'joined into it (`personId` is that account). Sign in again (or refresh the tokens) to continue as it.',
    }),
});

/** `GET /me` → 200. */
export const meResponseSchema = z.strictObject({
  personId: z.string(),
  insz: z.string().nullable().meta({ description: 'Verified national or BIS number, or null' }),
  givenNames: z.string(),
  familyName: z.string(),
  birthDate: z.string().meta({ description: 'YYYY-MM-DD' }),
  identities: z.array(z.strictObject({ provider: z.enum(['eidas', 'itsme']) })),
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
