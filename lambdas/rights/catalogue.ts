/**
 * The application and role catalogue: configuration, not data. One definition serves the API
 * (`GET /applications`, request validation, validity bounds) and the sandbox seed.
 *
 * Identifiers are URL- and claim-safe: applications upper case (`KLIP`), roles lower-case slugs
 * (`klb-beheerder`), so a token role `KLIP:klb-beheerder:0403019261` splits on `:` without ambiguity.
 *
 * Which roles need approval (DOMAIN.md section 5, seed 000 step 4):
 * - utility-manager roles (KLB beheerder/operator/raadpleger, KLIM beheerder) only after a local
 *   administrator approves — the seed says so explicitly;
 * - the public-domain manager role (ODB beheerder) and every `beheerder` role of GIPOD and Geopunt
 *   change what others see or receive, so they need approval too;
 * - map requesters (KLIP planaanvrager, KLIP raadpleger) and read-only roles are granted at once:
 *   they only let a person act for the organisation in low-risk, audited ways, and every auto-grant is
 *   still in the organisation's audit trail, revocable by its local administrators.
 */
import { ValidationError } from '#shared/errors';
import type { Locale } from '#shared/locale';

/** A display name in the catalogue's languages (German falls back to English). */
export interface DisplayName {
  nl: string;
  fr: string;
  en: string;
}

/** One role of an application. */
export interface RoleDefinition {
  /** Slug, unique within the application: `[a-z0-9-]`. */
  role: string;
  displayName: DisplayName;
  /** False: granted at once on request (still audited). True: a local administrator decides. */
  requiresApproval: boolean;
  /** Validity of a grant when the decision names none. */
  defaultValidityDays: number;
  /** The longest validity a local administrator may give. */
  maxValidityDays: number;
}

/** One application of the platform. */
export interface ApplicationDefinition {
  /** Upper case `[A-Z0-9]`, the first part of a token role. */
  application: string;
  displayName: DisplayName;
  roles: readonly RoleDefinition[];
}

const YEAR = 365;

const role = (
  slug: string,
  displayName: DisplayName,
  requiresApproval: boolean,
  validity: { defaultDays?: number; maxDays?: number } = {},
): RoleDefinition => ({
  role: slug,
  displayName,
  requiresApproval,
  defaultValidityDays: validity.defaultDays ?? YEAR,
  maxValidityDays: validity.maxDays ?? 3 * YEAR,
});

/** The catalogue. Add roles at the end; never rename an identifier (grants and tokens carry it). */
export const CATALOGUE: readonly ApplicationDefinition[] = [
  {
    application: 'KLIP',
    displayName: {
      nl: 'KLIP – Kabel- en Leidinginformatieportaal',
      fr: 'KLIP – Portail d’information sur les câbles et conduites',
      en: 'KLIP – Cable and Pipe Information Portal',
    },
    roles: [
      role(
        'planaanvrager',
        { nl: 'KLIP planaanvrager', fr: 'KLIP demandeur de plans', en: 'KLIP map requester' },
        false,
      ),
      role('raadpleger', { nl: 'KLIP raadpleger', fr: 'KLIP consultant', en: 'KLIP viewer' }, false),
      role(
        'klb-beheerder',
        {
          nl: 'KLB beheerder',
          fr: 'Gestionnaire de câbles et conduites – administrateur',
          en: 'Utility manager – administrator',
        },
        true,
      ),
      role(
        'klb-operator',
        {
          nl: 'KLB operator',
          fr: 'Gestionnaire de câbles et conduites – opérateur',
          en: 'Utility manager – operator',
        },
        true,
      ),
      role(
        'klb-raadpleger',
        {
          nl: 'KLB raadpleger',
          fr: 'Gestionnaire de câbles et conduites – consultant',
          en: 'Utility manager – viewer',
        },
        true,
      ),
      role(
        'klim-beheerder',
        { nl: 'KLIM beheerder', fr: 'Administrateur KLIM', en: 'KLIM administrator' },
        true,
      ),
      role(
        'odb-beheerder',
        {
          nl: 'ODB beheerder',
          fr: 'Gestionnaire du domaine public – administrateur',
          en: 'Public domain manager – administrator',
        },
        true,
      ),
    ],
  },
  {
    application: 'GIPOD',
    displayName: {
      nl: 'GIPOD – Generiek Informatieplatform Openbaar Domein',
      fr: 'GIPOD – Plateforme d’information générique sur le domaine public',
      en: 'GIPOD – Generic Information Platform for the Public Domain',
    },
    roles: [
      role('raadpleger', { nl: 'GIPOD raadpleger', fr: 'GIPOD consultant', en: 'GIPOD viewer' }, false),
      role(
        'beheerder',
        { nl: 'GIPOD beheerder', fr: 'GIPOD administrateur', en: 'GIPOD administrator' },
        true,
        { defaultDays: YEAR, maxDays: 2 * YEAR },
      ),
    ],
  },
  {
    application: 'GEOPUNT',
    displayName: { nl: 'Geopunt Vlaanderen', fr: 'Geopunt Flandre', en: 'Geopunt Flanders' },
    roles: [
      role('gebruiker', { nl: 'Geopunt gebruiker', fr: 'Utilisateur Geopunt', en: 'Geopunt user' }, false, {
        defaultDays: 2 * YEAR,
        maxDays: 3 * YEAR,
      }),
      role(
        'beheerder',
        { nl: 'Geopunt beheerder', fr: 'Administrateur Geopunt', en: 'Geopunt administrator' },
        true,
      ),
    ],
  },
];

/** Application identifiers. */
export const APPLICATION_IDS: readonly string[] = CATALOGUE.map((app) => app.application);

/** The application, or `undefined`. */
export function findApplication(application: string): ApplicationDefinition | undefined {
  return CATALOGUE.find((app) => app.application === application);
}

/** The role of the application, or `undefined`. */
export function findRole(application: string, roleId: string): RoleDefinition | undefined {
  return findApplication(application)?.roles.find((candidate) => candidate.role === roleId);
}

/** The display name in `locale` (German and unknown locales: English). */
export function displayNameIn(name: DisplayName, locale: Locale | string | undefined): string {
  return locale === 'nl' || locale === 'fr' ? name[locale] : name.en;
}

const DAY_MS = 86_400_000;

/** `from` plus `days`, as an ISO timestamp. */
export function addDays(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString();
}

/** The default `validUntil` of a grant of `definition` made at `now`. */
export function defaultValidUntil(definition: RoleDefinition, now: Date): string {
  return addDays(now, definition.defaultValidityDays);
}

/** The latest `validUntil` a grant of `definition` made at `now` may have. */
export function maxValidUntil(definition: RoleDefinition, now: Date): string {
  return addDays(now, definition.maxValidityDays);
}

/**
 * The `validUntil` of a grant of `definition` made at `now`: the one asked for, else the role's
 * default. @throws ValidationError when not in the future or beyond the role's maximum
 */
export function chosenValidUntil(definition: RoleDefinition, asked: string | undefined, now: Date): string {
  const validUntil = asked ?? defaultValidUntil(definition, now);
  const limit = maxValidUntil(definition, now);
  if (Date.parse(validUntil) <= now.getTime() || Date.parse(validUntil) > Date.parse(limit)) {
    throw new ValidationError('The end of validity is out of range.', [
      {
        path: 'validUntil',
        message: `Must be in the future and at most ${definition.maxValidityDays} days from now`,
        code: 'out-of-range',
        params: { field: 'validUntil', limit: definition.maxValidityDays },
      },
    ]);
  }
  return validUntil;
}

/** Checks the catalogue's own consistency (slugs, unique ids, default <= max); throws on a mistake. */
export function assertCatalogue(catalogue: readonly ApplicationDefinition[] = CATALOGUE): void {
  const apps = new Set<string>();
  for (const app of catalogue) {
    if (!/^[A-Z][A-Z0-9]{1,19}$/.test(app.application) || apps.has(app.application)) {
      throw new Error(`catalogue: bad or duplicate application ${app.application}`);
    }
    apps.add(app.application);
    const roles = new Set<string>();
    for (const r of app.roles) {
      if (!/^[a-z][a-z0-9-]{1,39}$/.test(r.role) || roles.has(r.role)) {
        throw new Error(`catalogue: bad or duplicate role ${app.application}:${r.role}`);
      }
      roles.add(r.role);
      if (
        !Number.isInteger(r.defaultValidityDays) ||
        r.defaultValidityDays < 1 ||
        r.defaultValidityDays > r.maxValidityDays
      ) {
        throw new Error(`catalogue: validity of ${app.application}:${r.role}`);
      }
    }
  }
}

/**
 * The last day a grant is valid, as people read it (`YYYY-MM-DD`, UTC). `validUntil` is the instant the
 * grant stops (a date given as "through that day" is stored as the next midnight), so the last valid
 * day is the day of the instant just before it.
 */
export function lastValidDay(validUntil: string): string {
  return new Date(Date.parse(validUntil) - 1).toISOString().slice(0, 10);
}
