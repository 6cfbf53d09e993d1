/**
 * The claims of a local itsme test identity, named as itsme names them, and the scope → claims table
 * the local provider releases them by (DOMAIN.md section 4).
 */
import { z } from 'zod';
import { ITSME_CLAIM } from '#identity/attribute-mapping';
import { validationErrorFromZod } from '#shared/http/problem';

/** itsme's claim for the Belgian national number (11 digits). */
export const BE_NATIONAL_NUMBER_CLAIM = `${ITSME_CLAIM}BENationalNumber`;

/** itsme's authentication levels: basic (default) and advanced (forces the itsme PIN). */
export const ITSME_ACR = {
  basic: `${ITSME_CLAIM}acr_basic`,
  advanced: `${ITSME_CLAIM}acr_advanced`,
} as const;

/** The scope itsme requires on every request besides `openid`. */
export const serviceScope = (serviceCode: string): string => `service:${serviceCode}`;

/** Which claims each scope releases (ID token and userinfo alike). */
export const ITSME_SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['given_name', 'family_name', 'name', 'birthdate', 'gender', 'locale'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
  eid: [BE_NATIONAL_NUMBER_CLAIM],
} as const satisfies Record<string, readonly string[]>;

const text = z.string().max(4096);

/** OIDC `address` claim as itsme sends it. */
export const itsmeAddressSchema = z.strictObject({
  street_address: text.optional(),
  postal_code: text.optional(),
  locality: text.optional(),
  region: text.optional(),
  country: text.optional(),
  formatted: text.optional(),
});

/**
 * A test identity's claims. Deliberately lenient about values (any national number, any date text,
 * missing names): the sandbox must be able to produce the logins the platform refuses. Only the shape
 * is checked, and unknown claim names are refused so that eIDAS attribute URIs sent to itsme by
 * mistake fail loudly.
 */
export const itsmeClaimsSchema = z.strictObject({
  /** Pins the itsme subject: another `sub` for the same person simulates a re-created itsme account. */
  sub: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'Must be 1-128 URL-safe characters')
    .optional(),
  given_name: text.optional(),
  family_name: text.optional(),
  name: text.optional(),
  birthdate: text.optional(),
  gender: text.optional(),
  locale: text.optional(),
  email: text.optional(),
  email_verified: z.boolean().optional(),
  phone_number: text.optional(),
  phone_number_verified: z.boolean().optional(),
  address: itsmeAddressSchema.optional(),
  [BE_NATIONAL_NUMBER_CLAIM]: text.optional(),
});

/** Input of {@link parseItsmeClaims}: itsme claim names, optionally a pinned `sub`. */
export type ItsmeClaimsInput = z.input<typeof itsmeClaimsSchema>;
/** The claims of a test identity, without `sub` (the account store owns it). */
export type ItsmeClaims = Omit<z.output<typeof itsmeClaimsSchema>, 'sub'>;

/**
 * Checks the shape of test-identity claims.
 *
 * @throws ValidationError (400) listing the offending claims.
 */
export function parseItsmeClaims(input: unknown): { sub?: string; claims: ItsmeClaims } {
  const result = itsmeClaimsSchema.safeParse(input);
  if (!result.success) throw validationErrorFromZod(result.error, 'attributes');
  const { sub, ...claims } = result.data;
  return { ...(sub === undefined ? {} : { sub }), claims };
}
