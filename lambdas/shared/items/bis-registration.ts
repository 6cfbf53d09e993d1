/**
 * The BIS context's stored items: the registration (`bisKeys.registration`) and its append-only
 * history entries (`bisKeys.history`). One schema for the writer and the readers of each.
 */
import * as z from 'zod/mini';
import {
  BIS_DECISIONS,
  BIS_STATUSES,
  type BisRegistration,
  HISTORY_ACTORS,
  HISTORY_EVENTS,
  type HistoryEntry,
} from '../../bis/registration.ts';
import { bisKeys } from '../keys.ts';
import { storedAddressSchema } from './organisation.ts';
import { isWaiting, optionalText, readItem, registrationItem, storedLocale } from './read.ts';

/** The applicant's person data as stored (the request schema checked and normalised it when written). */
export const storedPersonDataSchema = z.looseObject({
  givenNames: z.string(),
  familyName: z.string(),
  birthDate: z.string(),
  sex: z.optional(z.enum(['M', 'F'])),
  nationality: z.string(),
  placeOfBirth: z.string(),
  address: storedAddressSchema,
  email: z.string(),
  phone: z.string(),
});

/** The domain fields of a BIS registration item (its task token and keys aside). */
export const bisRegistrationSchema = z.object({
  registrationId: z.string(),
  personId: z.string(),
  status: z.enum(BIS_STATUSES),
  data: storedPersonDataSchema,
  locale: storedLocale(),
  // Registrations stored before corrections existed are in their first round.
  round: z._default(z.number(), 1),
  createdAt: z.string(),
  updatedAt: z.string(),
  bisNumber: z.optional(z.string()),
  reason: optionalText(),
  correctionOf: z.optional(z.string()),
  decision: z.optional(
    z.looseObject({
      decisionId: z.string(),
      decision: z.enum(BIS_DECISIONS),
      reason: z.optional(z.string()),
      decidedBy: z.string(),
      decidedAt: z.string(),
    }),
  ),
});

/**
 * The registration of a stored item, `waiting` while a task token is stored.
 * @throws StoredItemError for an item that does not match.
 */
export function readBisRegistration(item: Record<string, unknown>): BisRegistration {
  return { ...readItem('bisRegistration', bisRegistrationSchema, item), waiting: isWaiting(item) };
}

/** The item of a new registration, keys included (`waiting` is derived, never stored). */
export function bisRegistrationItem(registration: BisRegistration): Record<string, unknown> {
  return registrationItem(bisKeys, 'bisRegistration', registration);
}

/** The domain fields of a history entry item. */
export const bisHistoryEntrySchema = z.object({
  entryId: z.string(),
  at: z.string(),
  event: z.enum(HISTORY_EVENTS),
  status: z.enum(BIS_STATUSES),
  actor: z.enum(HISTORY_ACTORS),
  actorId: z.optional(z.string()),
  reason: z.optional(z.string()),
});

/** The history entry of a stored item. @throws StoredItemError for an item that does not match. */
export const readBisHistoryEntry = (item: Record<string, unknown>): HistoryEntry =>
  readItem('bisHistory', bisHistoryEntrySchema, item);

/** The item of a history entry of a registration, keys included. */
export function bisHistoryItem(registrationId: string, entry: HistoryEntry): Record<string, unknown> {
  return { ...bisKeys.history(registrationId, entry.at, entry.entryId), type: 'bisHistory', ...entry };
}
