/**
 * The one error of an item reader, zod-free so the login triggers' hand-written readers throw it too.
 */

/**
 * A stored item does not match its schema: the platform wrote it wrong or a migration was missed. A
 * bug, never a user error, so it surfaces as a 500 (or a failed task) and says which field is wrong;
 * it never repeats the stored value (items carry personal data).
 */
export class StoredItemError extends Error {
  /** The item type, e.g. `organisation`. */
  readonly itemType: string;
  /** The first field that does not match, as a dotted path (`address.city`). */
  readonly field: string;

  constructor(itemType: string, field: string, problem: string) {
    super(`Stored ${itemType} item does not match its schema: ${field}: ${problem}`);
    this.name = 'StoredItemError';
    this.itemType = itemType;
    this.field = field;
  }
}
