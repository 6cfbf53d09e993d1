/**
 * What every zod item schema in this folder shares: the reading of optional text as the store has
 * always meant it, and {@link readItem}, the one way a stored item becomes a domain value. Lambda code
 * imports `zod/mini` only (bundle size); the login triggers import none of this (see `person.ts`).
 */
import * as z from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import type { TableKey } from '../keys.ts';
import { resolveLocale } from '../locale.ts';
import { StoredItemError } from './stored-item-error.ts';

export { StoredItemError };

/**
 * An optional text attribute: absent or `''` reads as absent, as the hand-written mappers read it
 * (`text()` in `../item-fields.ts`); any other string is kept as stored.
 */
export const optionalText = () =>
  z.optional(
    z.pipe(
      z.string(),
      z.transform((value: string) => (value === '' ? undefined : value)),
    ),
  );

/** A person's stored locale, resolved to a supported one (absent or unknown: the default). */
export const storedLocale = () =>
  z.pipe(
    z.optional(z.string()),
    z.transform((locale) => resolveLocale(locale)),
  );

/** What a registration (BIS or foreign company) is stored with besides its own fields. */
interface RegistrationBase {
  registrationId: string;
  personId: string;
  createdAt: string;
  status: string;
  /** Derived from a stored task token, never stored ({@link isWaiting}). */
  waiting: boolean;
}

/** The keys of a registration kind (`bisKeys`, `foreignRegistrationKeys` in `../keys.ts`). */
interface RegistrationKeys {
  registration(registrationId: string): TableKey;
  queue(status: string, createdAt: string, registrationId: string): { GSI1PK: string; GSI1SK: string };
  owner(personId: string, createdAt: string, registrationId: string): { GSI2PK: string; GSI2SK: string };
}

/**
 * The item of a new registration: its key, its review-queue and owner index keys, `type` and the
 * registration's fields (`waiting` is derived, never stored).
 */
export function registrationItem(
  kind: RegistrationKeys,
  type: string,
  registration: RegistrationBase,
): Record<string, unknown> {
  const { waiting: _waiting, ...stored } = registration;
  const { registrationId, personId, createdAt, status } = registration;
  return {
    ...kind.registration(registrationId),
    ...kind.queue(status, createdAt, registrationId),
    ...kind.owner(personId, createdAt, registrationId),
    type,
    ...stored,
  };
}

/** `true` while a workflow waits on the item: a task token is stored on it. */
export const isWaiting = (item: Record<string, unknown>): boolean => typeof item.taskToken === 'string';

/**
 * The domain value of a stored item, through its schema. Keys, `type` and attributes the schema does
 * not name are dropped; an optional attribute the schema reads as absent is left out (never
 * `field: undefined`, which a later write would refuse to marshal).
 * @throws StoredItemError naming the item type and the first field that does not match.
 */
export function readItem<S extends $ZodType>(
  itemType: string,
  schema: S,
  item: Record<string, unknown>,
): output<S> {
  const result = z.safeParse(schema, item);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(item)';
    const problem =
      issue?.code === 'invalid_type' ? `expected ${issue.expected}` : (issue?.message ?? 'invalid');
    throw new StoredItemError(itemType, field, problem);
  }
  const value = result.data as Record<string, unknown>;
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value as output<S>;
}
