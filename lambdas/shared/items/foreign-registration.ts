/**
 * The foreign-company registration item (`foreignRegistrationKeys.registration`), owned by the
 * organisations context: one schema for its writer and its readers.
 */
import * as z from 'zod/mini';
import {
  FOREIGN_DECISIONS,
  FOREIGN_REGISTRATION_STATUSES,
  type ForeignRegistration,
} from '../../organisations/organisation.ts';
import { foreignRegistrationKeys } from '../keys.ts';
import { storedAddressSchema } from './organisation.ts';
import { isWaiting, optionalText, readItem, registrationItem, storedLocale } from './read.ts';

/** The domain fields of a foreign-company registration item (its task token and keys aside). */
export const foreignRegistrationSchema = z.object({
  registrationId: z.string(),
  personId: z.string(),
  status: z.enum(FOREIGN_REGISTRATION_STATUSES),
  name: z.string(),
  country: z.string(),
  registrationNumber: z.string(),
  address: storedAddressSchema,
  orgCode: z.string(),
  uploadId: z.string(),
  extractKey: optionalText(),
  email: z.string(),
  locale: storedLocale(),
  createdAt: z.string(),
  updatedAt: z.string(),
  reason: optionalText(),
  decidedBy: optionalText(),
  decidedAt: optionalText(),
  decision: z.optional(
    z.looseObject({
      decisionId: z.string(),
      decision: z.enum(FOREIGN_DECISIONS),
      reason: z.optional(z.string()),
      decidedBy: z.string(),
      decidedAt: z.string(),
    }),
  ),
  firstApproval: z.optional(
    z.looseObject({ decidedBy: z.string(), decidedAt: z.string(), reason: z.string() }),
  ),
});

/**
 * The registration of a stored item, `waiting` while a task token is stored.
 * @throws StoredItemError for an item that does not match.
 */
export function readForeignRegistration(item: Record<string, unknown>): ForeignRegistration {
  return { ...readItem('foreignRegistration', foreignRegistrationSchema, item), waiting: isWaiting(item) };
}

/** The item of a new registration, keys included (`waiting` is derived, never stored). */
export function foreignRegistrationItem(registration: ForeignRegistration): Record<string, unknown> {
  return registrationItem(foreignRegistrationKeys, 'foreignRegistration', registration);
}
