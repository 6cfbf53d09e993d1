/**
 * Reusable zod building blocks for request bodies. All of them are representable in JSON Schema
 * (`requestJsonSchema` in `handler.ts`) apart from refinements, which OpenAPI cannot express anyway.
 * Messages describe what is expected and never echo the input.
 */
import * as z from 'zod/mini';
import { parseEnterpriseNumber, parseInsz } from '#shared/belgian-ids';
import { InvalidIdentifierError } from '#shared/errors';
import {
  EMAIL_PATTERN,
  MAX_COMBINING_RUN,
  MAX_EMAIL_LENGTH,
  MAX_NAME_COMBINING_RUN,
  readableTextProblem,
} from '#shared/text-policy';
import { codedPattern } from './problem.ts';

/** Options of {@link boundedString}. */
export interface BoundedStringOptions {
  /** @default 1 */
  min?: number;
  /**
   * `name` for names of people, places and organisations: at most {@link MAX_NAME_COMBINING_RUN}
   * combining marks in a row instead of {@link MAX_COMBINING_RUN}.
   * @default 'text'
   */
  kind?: 'name' | 'text';
}

/**
 * Text that people read (names, places, address lines, justifications, reasons): trimmed, Unicode
 * NFC-normalized (so the same name typed on two devices compares equal), `min`..`max` UTF-16 units,
 * and within the text policy (`text-policy.ts`): no lone surrogate, U+FFFD, control, format or
 * default-ignorable character, no long run of combining marks. A refusal carries the policy's
 * stable code (`text.format-character`…) and its params.
 */
export function boundedString(max: number, options: BoundedStringOptions = {}) {
  const min = options.min ?? 1;
  const maxCombiningRun = options.kind === 'name' ? MAX_NAME_COMBINING_RUN : MAX_COMBINING_RUN;
  return z.string().check(
    z.trim(),
    z.normalize('NFC'),
    z.minLength(min, min === 1 ? 'Required' : `At least ${min} characters`),
    z.maxLength(max, `At most ${max} characters`),
    z.superRefine((value, context) => {
      const problem = readableTextProblem(value, { maxCombiningRun });
      if (problem) {
        context.addIssue({
          code: 'custom',
          message: problem.message,
          params: { code: problem.code, ...problem.params },
        });
      }
    }),
    z.meta({ description: TEXT_POLICY_DESCRIPTION }),
  );
}

/** OpenAPI description of every text field (what the policy refuses). */
export const TEXT_POLICY_DESCRIPTION =
  'Text people read: trimmed and NFC-normalized. Refused (400, errors[].code text.*): control and ' +
  'invisible formatting characters (Default_Ignorable_Code_Point, Cf: bidi marks and controls, ' +
  'zero-width characters, BOM, soft hyphen, tag characters), lone surrogates, U+FFFD, and more ' +
  `than ${MAX_COMBINING_RUN} combining marks in a row (${MAX_NAME_COMBINING_RUN} in names).`;

/** A real calendar date `YYYY-MM-DD` (leap years included). */
export const isoDateSchema = z.iso.date('Must be a real date as YYYY-MM-DD');

/** Earliest birth date accepted: nobody alive today was born before it. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/**
 * The latest calendar date anywhere on Earth now (UTC+14). A birth date is "not in the future" if it
 * is not after this, so a baby born today in Brussels is accepted even before midnight UTC.
 */
export function latestDateOnEarth(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A birth date: a real date from {@link EARLIEST_BIRTH_DATE} up to today (see
 * {@link latestDateOnEarth}). The clock is read at parse time; `now` is for tests.
 */
export function birthDateSchema(now: () => Date = () => new Date()) {
  return isoDateSchema.check(
    z.refine((date) => date >= EARLIEST_BIRTH_DATE, {
      message: `Must be on or after ${EARLIEST_BIRTH_DATE}`,
      params: { code: 'date-too-early', limit: EARLIEST_BIRTH_DATE },
    }),
    z.refine((date) => date <= latestDateOnEarth(now()), {
      message: 'Must not be in the future',
      params: { code: 'date-in-future' },
    }),
  );
}

/**
 * Officially assigned ISO 3166-1 alpha-2 codes, plus `XK` (Kosovo, user-assigned but used by the EU
 * and in eIDAS nationality attributes). Reserved and withdrawn codes (`UK`, `EU`, `YU`…) are not.
 */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW ' +
  'BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI ' +
  'FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN ' +
  'IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ' +
  'MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF ' +
  'PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
  'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK ' +
  'YE YT ZA ZM ZW'
).split(' ');

/** An ISO 3166-1 alpha-2 country code, upper case as the contract writes it (`BE`). */
export const countryCodeSchema = z.enum(COUNTRY_CODES as [string, ...string[]], {
  error: 'Must be an ISO 3166-1 alpha-2 country code in upper case, e.g. BE',
});

/**
 * An e-mail address (trimmed; at most 254 characters, the SMTP path limit; ASCII only). The pattern
 * is the text policy's, which the identity mappings also apply to asserted addresses.
 */
export const emailSchema = z.pipe(
  z.string().check(z.trim(), z.maxLength(MAX_EMAIL_LENGTH, `At most ${MAX_EMAIL_LENGTH} characters`)),
  z.email({ pattern: EMAIL_PATTERN, error: 'Must be an e-mail address' }),
);

const PHONE_SEPARATORS = /[\s().-]/g;

/**
 * A phone number in E.164 (`+32470123456`). Spaces, dots, hyphens and parentheses that people type
 * are removed first, so `+32 470 12 34 56` is accepted and stored as `+32470123456`.
 */
export const phoneSchema = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(32, 'At most 32 characters')),
    z.transform((value: string) => value.replace(PHONE_SEPARATORS, '')),
  ),
  z
    .string()
    .check(
      z.regex(
        codedPattern(/^\+[1-9]\d{6,14}$/, 'invalid-phone'),
        'Must be an international number, e.g. +32470123456',
      ),
    ),
);

/** Sex as the person states it (optional in the contract). */
export const sexSchema = z.enum(['M', 'F'], { error: 'Must be M or F' });

/** A postal address; a Belgian postal code must have four digits. */
export const addressSchema = z
  .strictObject({
    street: boundedString(150),
    houseNumber: boundedString(20),
    postalCode: boundedString(12).check(
      z.regex(
        codedPattern(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, 'invalid-characters'),
        'Letters, digits, spaces and hyphens only',
      ),
    ),
    city: boundedString(100),
    country: countryCodeSchema,
  })
  .check(
    z.superRefine((address, context) => {
      if (address.country === 'BE' && !/^\d{4}$/.test(address.postalCode)) {
        context.addIssue({
          code: 'custom',
          path: ['postalCode'],
          message: 'A Belgian postal code has 4 digits',
          params: { code: 'postal-code-be' },
        });
      }
    }),
  );

/** An address as the API returns it (responses; requests use {@link addressSchema}). */
export const addressViewSchema = z.object({
  street: z.string(),
  houseNumber: z.string(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});

/**
 * The person data of a BIS registration and its corrections (ARCHITECTURE.md section 3). The field
 * names are contract.
 */
export const personDataSchema = z.strictObject({
  givenNames: boundedString(100, { kind: 'name' }),
  familyName: boundedString(100, { kind: 'name' }),
  birthDate: birthDateSchema(),
  sex: z.optional(sexSchema),
  nationality: countryCodeSchema,
  placeOfBirth: boundedString(100, { kind: 'name' }),
  address: addressSchema,
  email: emailSchema,
  phone: phoneSchema,
});

/** Validated person data. */
export type PersonData = z.output<typeof personDataSchema>;

/** Runs an identifier parser as a zod transform; its message says what is wrong, never the input. */
function identifier(parse: (value: string) => string, fallback: string) {
  return z.pipe(
    z.string().check(z.maxLength(32, 'At most 32 characters')),
    z.transform((value: string, context) => {
      try {
        return parse(value);
      } catch (error) {
        context.issues.push({
          code: 'custom',
          input: value,
          message: error instanceof InvalidIdentifierError ? error.message : fallback,
          params: { code: error instanceof InvalidIdentifierError ? error.code : 'invalid' },
        });
        return z.NEVER;
      }
    }),
  );
}

/**
 * A national register or BIS number (INSZ), separators allowed (`85.07.30-033.28`); the output is
 * the 11 digits. Never log or echo it.
 */
export const inszSchema = identifier((value) => parseInsz(value).value, 'Not a valid national number');

/** A KBO/BCE enterprise number (`0123.456.749`, `BE0123456749`…); the output is the 10 digits. */
export const enterpriseNumberSchema = identifier(
  (value) => parseEnterpriseNumber(value).value,
  'Not a valid enterprise number',
);
