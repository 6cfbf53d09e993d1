/**
 * The organisations context's stored items: the organisation profile (`organisationKeys.organisation`)
 * and the security officers' case about an organisation (`organisationKeys.organisationCase`). Other
 * contexts read an organisation only through {@link readOrganisation} or {@link organisationNameOf}.
 */
import * as z from 'zod/mini';
import { organisationKeys } from '../keys.ts';
import { optionalText, readItem } from './read.ts';

/** A postal address as stored (the request schema's `addressSchema` checked it when it was written). */
export const storedAddressSchema = z.looseObject({
  street: z.string(),
  houseNumber: z.string(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});

/** The organisation profile item's domain fields. */
export const organisationSchema = z.object({
  orgCode: z.string(),
  name: z.string(),
  country: z.string(),
  // Organisations stored before foreign companies existed have no kind: they are Belgian.
  kind: z.pipe(
    z.optional(z.string()),
    z.transform((kind): 'belgian' | 'foreign' => (kind === 'foreign' ? 'foreign' : 'belgian')),
  ),
  enterpriseNumber: optionalText(),
  registrationNumber: optionalText(),
  address: z.optional(storedAddressSchema),
  createdAt: z.string(),
  // Set by the first administrator's write; a profile written without one has none yet.
  administratorCount: z._default(z.number(), 0),
});

/** An organisation profile as read from its item. */
export type OrganisationItem = z.output<typeof organisationSchema>;

/** The organisation of a stored profile item. @throws StoredItemError for an item that does not match. */
export const readOrganisation = (item: Record<string, unknown>): OrganisationItem =>
  readItem('organisation', organisationSchema, item);

/**
 * The name of an organisation from its profile item, which may be read with a projection of `name`
 * only; the code when the item has no name.
 */
export function organisationNameOf(item: Record<string, unknown> | undefined, orgCode: string): string {
  const { name } = readItem('organisation', z.object({ name: optionalText() }), item ?? {});
  return name ?? orgCode;
}

/** How a security officer closed an organisation case (contract). */
export const ORGANISATION_CASE_RESOLUTIONS = [
  'administrator-appointed',
  'organisation-suspended',
  'dismissed',
] as const;
/** One of {@link ORGANISATION_CASE_RESOLUTIONS}. */
export type OrganisationCaseResolution = (typeof ORGANISATION_CASE_RESOLUTIONS)[number];

/** The organisation case item's domain fields. */
export const organisationCaseSchema = z.object({
  orgCode: z.string(),
  personId: z.string(),
  kind: z.string(),
  status: z.pipe(
    z.optional(z.string()),
    z.transform((status): 'OPEN' | 'RESOLVED' => (status === 'RESOLVED' ? 'RESOLVED' : 'OPEN')),
  ),
  openedAt: z.string(),
  resolution: z.optional(z.enum(ORGANISATION_CASE_RESOLUTIONS)),
  note: optionalText(),
  resolvedBy: optionalText(),
  resolvedAt: optionalText(),
});

/** A security officers' case about an organisation, as read from its item. */
export type OrganisationCaseItem = z.output<typeof organisationCaseSchema>;

/** The case of a stored case item. @throws StoredItemError for an item that does not match. */
export const readOrganisationCase = (item: Record<string, unknown>): OrganisationCaseItem =>
  readItem('organisationCase', organisationCaseSchema, item);

/** The item of a newly opened case, keys included. */
export function organisationCaseItem(
  value: Pick<OrganisationCaseItem, 'orgCode' | 'personId' | 'kind' | 'openedAt'>,
): Record<string, unknown> {
  return {
    ...organisationKeys.organisationCase(value.orgCode, value.personId),
    type: 'organisationCase',
    kind: value.kind,
    orgCode: value.orgCode,
    personId: value.personId,
    status: 'OPEN',
    openedAt: value.openedAt,
  };
}
