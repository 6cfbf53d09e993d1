/**
 * The capacity ("hoedanigheid", DOMAIN.md section 5) a token carries: a private person, or one
 * organisation (ARCHITECTURE.md section 2, a contract). Pure: storage reads come in as
 * {@link CapacityReads}; the repository does them.
 *
 * Default at login: the capacity chosen last (`PUT /me/capacity`, stored on the profile) while it is
 * still valid (the person is still a member); else the only organisation when there is exactly one;
 * else private.
 *
 * Reads stay bounded whatever the number of organisations: the identity link carries a hint, the
 * capacity of the previous token, so the second round trip reads the profile, the membership and the
 * grants of that one organisation, and the first two memberships (enough to know "exactly one"). Only
 * when the hint is stale (the person's memberships changed since) does a login read one more
 * organisation, and then it corrects the hint.
 */

/** A capacity: an organisation code, or `null` for a private person. */
export type Capacity = string | null;

/**
 * The hint on an identity link: the capacity of the previous token (`null`: private), `undefined`
 * when the link has none yet (a link written before capacities, or connected to an existing person).
 */
export type CapacityHint = Capacity | undefined;

/** What the login read so far. */
export interface CapacityReads {
  /** The profile's stored choice: an org, `null` (chose private), `undefined` (never chose). */
  choice: CapacityHint;
  /** Up to the first two memberships of the person (organisation codes, in key order). */
  firstMemberships: readonly string[];
  /** Organisations whose membership and grants were read, and whether the membership exists. */
  read: ReadonlyMap<string, { member: boolean }>;
}

/** The decision: a capacity, or the organisations still to read before one can be decided. */
export type CapacityDecision = { capacity: Capacity } | { read: string[] };

/** The organisation of the default rule when no valid choice exists: the only one, else private. */
export function defaultCapacity(firstMemberships: readonly string[]): Capacity {
  return firstMemberships.length === 1 ? (firstMemberships[0] as string) : null;
}

/**
 * Decides the capacity from what was read, or names what must still be read (at most two
 * organisations: the stored choice and the default, read together so one more round trip settles it).
 */
export function decideCapacity(reads: CapacityReads): CapacityDecision {
  const fallback = defaultCapacity(reads.firstMemberships);
  const missing: string[] = [];
  if (typeof reads.choice === 'string') {
    const chosen = reads.read.get(reads.choice);
    if (!chosen) missing.push(reads.choice);
    else if (chosen.member) return { capacity: reads.choice };
  } else if (reads.choice === null) {
    return { capacity: null };
  }
  if (fallback !== null && !reads.read.has(fallback) && !missing.includes(fallback)) missing.push(fallback);
  if (missing.length > 0) return { read: missing };
  return { capacity: fallback !== null && reads.read.get(fallback)?.member ? fallback : null };
}
