/**
 * Readers of the attributes of a stored item, for the mappers that turn items into domain values:
 * an attribute of the wrong type reads as absent, never as a value of another type.
 */

/** A non-empty string attribute, or `undefined`. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
