/**
 * The identity link item (`keys.identityLink`): which person a login's (provider, subject) is, with
 * the evidence of the link and what the provider asserted at the latest authentication. Owned by the
 * identity context: the login triggers and the identity API read it through this module. Hand-written
 * on purpose, without zod: the triggers carry no schema library (bundle size and cold start on every
 * login). Optional text absent or `''` reads as absent.
 */
import { text } from '../item-fields.ts';

/** What the IdP asserted about the person at the latest authentication with an identity. */
export interface AssertedNames {
  givenNames: string;
  familyName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
}

/** An identity link as read from its item. */
export interface IdentityLink {
  personId: string;
  /** Why the identity is this person's (`first-login`, `insz-match`…). */
  evidence?: string;
  linkedAt?: string;
  loa?: string;
  /** The Cognito username of the latest authentication with this identity. */
  cognitoUsername?: string;
  asserted?: AssertedNames;
  /**
   * The capacity of the previous token issued through this identity (a read hint): an organisation,
   * `null` (private); absent when the link has none yet.
   */
  capacity?: string | null;
}

/** The capacity hint stored on an identity link (`null`: private; `undefined`: none stored). */
export function readCapacityHint(value: unknown): string | null | undefined {
  return value === null ? null : text(value);
}

/** Names and birth date as asserted, when all three are there. */
function readAsserted(value: unknown): AssertedNames | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const givenNames = text(record.givenNames);
  const familyName = text(record.familyName);
  const birthDate = text(record.birthDate);
  return givenNames && familyName && birthDate ? { givenNames, familyName, birthDate } : undefined;
}

/**
 * The link of a stored item (or of the projection a caller read); `undefined` when there is no item
 * or it names no person.
 */
export function readIdentityLink(item: Record<string, unknown> | undefined): IdentityLink | undefined {
  const personId = text(item?.personId);
  if (!item || !personId) return undefined;
  const link: IdentityLink = { personId };
  const capacity = readCapacityHint(item.capacity);
  if (capacity !== undefined) link.capacity = capacity;
  for (const field of ['evidence', 'linkedAt', 'loa', 'cognitoUsername'] as const) {
    const value = text(item[field]);
    if (value) link[field] = value;
  }
  const asserted = readAsserted(item.asserted);
  if (asserted) link.asserted = asserted;
  return link;
}
