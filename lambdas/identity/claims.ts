/**
 * Token claims from the items a login read of a person's partition (ARCHITECTURE.md section 2, a
 * contract): the profile, and the membership and grants of the token's one capacity. Pure: the caller
 * passes the clock.
 *
 * Items written by other contexts are read defensively: a membership or grant without the attributes
 * it needs is left out of the token rather than failing the login.
 */
import { isGrantInForce, readGrantItem, type StoredGrant } from '#shared/grant-item';
import { text } from '#shared/item-fields';
import { profileOf, readPartitionMembership } from '#shared/items/person';
import { GRANT_SK_PREFIX, type IdentityProvider } from '#shared/keys';
import type { Capacity } from './capacity.ts';
import type { LevelOfAssurance } from './federated-identity.ts';

/** A claim value: V2 pre token generation accepts arrays. */
export type ClaimValue = string | string[];
export type Claims = Record<string, ClaimValue>;

/** What a token needs from the partition `PERSON#<personId>`. */
export interface PersonPartition {
  /**
   * `suspended`: a verified login took this person's national number (held through weak evidence);
   * until a security officer lifts it, the person's tokens carry no capacity, no roles and no
   * `admin_of`. `capacityChoice`: what the person chose last (`PUT /me/capacity`).
   */
  profile?: { personId: string; insz?: string; suspended?: true; capacityChoice?: Capacity };
  /** The organisation the token acts for (its membership); absent: a private person. */
  capacity?: { orgCode: string; name: string; localAdministrator: boolean };
  /** Grants read with the capacity; only those of `capacity` reach a token. */
  grants: StoredGrant[];
}

type Item = Record<string, unknown>;

/**
 * Sorts the items a login read into profile, the membership of `capacity` and grants. Memberships
 * of other organisations are ignored: a token carries one capacity.
 */
export function readPersonPartition(items: readonly Item[], capacity: Capacity = null): PersonPartition {
  const partition: PersonPartition = { grants: [] };
  const profile = profileOf(items);
  if (profile) {
    const { personId, insz, suspended, capacityChoice } = profile;
    partition.profile = {
      personId,
      ...(insz ? { insz } : {}),
      ...(suspended ? { suspended: true } : {}),
      ...(capacityChoice !== undefined ? { capacityChoice } : {}),
    };
  }
  for (const item of items) {
    const membership = readPartitionMembership(item);
    if (membership) {
      if (membership.orgCode === capacity) {
        const { orgCode, name, localAdministrator } = membership;
        partition.capacity = { orgCode, name, localAdministrator };
      }
    } else if ((text(item.SK) ?? '').startsWith(GRANT_SK_PREFIX)) {
      const grant = readGrantItem(item);
      if (grant) partition.grants.push(grant);
    }
  }
  return partition;
}

/** Input of {@link buildTokenClaims}. */
export interface TokenClaimsInput {
  personId: string;
  provider: IdentityProvider;
  loa: LevelOfAssurance;
  partition: PersonPartition;
  now: Date;
}

/** Claims for the ID and the access token. */
export interface TokenClaims {
  idToken: Claims;
  accessToken: Claims;
}

/**
 * `person_id`, `loa`, `idp`, the capacity (`org`, `org_name`; absent for a private person), `roles`
 * (`<APP>:<role>:<org>` of the capacity's grants valid now) and `admin_of` (`[org]` when the person
 * is its local administrator, else `[]`) in both tokens — no capacity, no roles and no `admin_of`
 * while the person is suspended; `insz` in the ID token only, when the profile has one. Arrays are
 * sorted and free of duplicates, so tokens are stable; their size does not depend on how many
 * organisations the person works for.
 */
export function buildTokenClaims(input: TokenClaimsInput): TokenClaims {
  const { partition, now } = input;
  // A suspended person keeps their items (support decides) but none of them reaches a token.
  const suspended = partition.profile?.suspended === true;
  const capacity = suspended ? undefined : partition.capacity;
  const roles = unique(
    (capacity ? partition.grants : [])
      .filter((grant) => grant.orgCode === capacity?.orgCode && isGrantInForce(grant, now))
      .map((grant) => `${grant.application}:${grant.role}:${grant.orgCode}`),
  );
  const adminOf = capacity?.localAdministrator ? [capacity.orgCode] : [];
  const common: Claims = {
    person_id: input.personId,
    loa: input.loa,
    idp: input.provider,
    ...(capacity ? { org: capacity.orgCode, org_name: capacity.name } : {}),
    roles,
    admin_of: adminOf,
  };
  const insz = partition.profile?.insz;
  return {
    idToken: insz ? { ...common, insz } : { ...common },
    accessToken: { ...common, roles: [...roles], admin_of: [...adminOf] },
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
