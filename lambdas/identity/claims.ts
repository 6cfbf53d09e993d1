/**
 * Token claims from the items of a person's partition (ARCHITECTURE.md section 2, a contract). Pure:
 * the caller passes the clock.
 *
 * Items written by other contexts are read defensively: a membership or grant without the attributes
 * it needs is left out of the token rather than failing the login.
 */
import { GRANT_SK_PREFIX, type IdentityProvider, MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '#shared/keys';
import type { LevelOfAssurance } from './federated-identity.ts';

/** A claim value: V2 pre token generation accepts arrays. */
export type ClaimValue = string | string[];
export type Claims = Record<string, ClaimValue>;

/** What a token needs from the partition `PERSON#<personId>`. */
export interface PersonPartition {
  /**
   * `suspended`: a verified login took this person's national number (held through weak evidence);
   * until a security officer lifts it, the person's tokens carry no roles and no `admin_of`.
   */
  profile?: { personId: string; insz?: string; suspended?: true };
  memberships: { orgCode: string; localAdministrator: boolean }[];
  grants: {
    orgCode: string;
    application: string;
    role: string;
    validFrom?: string;
    validUntil?: string;
    revokedAt?: string;
  }[];
}

type Item = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Sorts the partition's items into profile, memberships and grants. */
export function readPersonPartition(items: readonly Item[]): PersonPartition {
  const partition: PersonPartition = { memberships: [], grants: [] };
  for (const item of items) {
    const sk = text(item.SK) ?? '';
    if (sk === PROFILE_SK) {
      const personId = text(item.personId);
      const insz = text(item.insz);
      const suspended = item.suspension !== undefined && item.suspension !== null;
      if (personId) {
        partition.profile = {
          personId,
          ...(insz ? { insz } : {}),
          ...(suspended ? { suspended: true } : {}),
        };
      }
    } else if (sk.startsWith(MEMBERSHIP_SK_PREFIX)) {
      const orgCode = text(item.orgCode) ?? sk.slice(MEMBERSHIP_SK_PREFIX.length);
      if (orgCode)
        partition.memberships.push({ orgCode, localAdministrator: item.localAdministrator === true });
    } else if (sk.startsWith(GRANT_SK_PREFIX)) {
      const orgCode = text(item.orgCode);
      const application = text(item.application);
      const role = text(item.role);
      if (orgCode && application && role) {
        partition.grants.push({
          orgCode,
          application,
          role,
          ...optional('validFrom', item.validFrom),
          ...optional('validUntil', item.validUntil),
          ...optional('revokedAt', item.revokedAt),
        });
      }
    }
  }
  return partition;
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

/**
 * A grant is in the token while `validFrom <= now < validUntil` (either bound may be absent) and it is
 * not revoked. An unparseable bound keeps the grant out: a token must never carry a right by mistake.
 */
export function isGrantValid(grant: PersonPartition['grants'][number], now: Date): boolean {
  if (grant.revokedAt !== undefined) return false;
  const at = now.getTime();
  if (grant.validUntil !== undefined) {
    const until = Date.parse(grant.validUntil);
    if (Number.isNaN(until) || until <= at) return false;
  }
  if (grant.validFrom !== undefined) {
    const from = Date.parse(grant.validFrom);
    if (Number.isNaN(from) || from > at) return false;
  }
  return true;
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
 * `person_id`, `loa`, `idp`, `roles` (`<APP>:<role>:<orgCode>` of grants valid now) and `admin_of`
 * (orgCodes where the person is local administrator) in both tokens — both empty while the person is
 * suspended; `insz` in the ID token only, when the profile has one. Arrays are sorted and free of duplicates, so tokens are stable.
 */
export function buildTokenClaims(input: TokenClaimsInput): TokenClaims {
  const { partition, now } = input;
  // A suspended person keeps their items (support decides) but none of them reaches a token.
  const suspended = partition.profile?.suspended === true;
  const roles = unique(
    (suspended ? [] : partition.grants)
      .filter((grant) => isGrantValid(grant, now))
      .map((grant) => `${grant.application}:${grant.role}:${grant.orgCode}`),
  );
  const adminOf = unique(
    (suspended ? [] : partition.memberships)
      .filter((membership) => membership.localAdministrator)
      .map((m) => m.orgCode),
  );
  const common: Claims = {
    person_id: input.personId,
    loa: input.loa,
    idp: input.provider,
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
