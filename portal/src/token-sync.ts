/**
 * Whether the tokens still say what the person may do. `GET /me` is the server's word (memberships
 * with `localAdministrator`, grants); the ID token carries one capacity's view of it (`org`,
 * `admin_of`, `roles`, ARCHITECTURE.md section 2). When they differ, the portal refreshes its tokens
 * once through the refresh token (the capacity switch's mechanism, `Session.idToken`), so an
 * appointment, a registration, a lapsed membership or a new grant shows without a new login.
 * Free of the DOM, unit-tested in Node.
 */
import type { Me } from './api/client.ts';
import type { PortalClaims } from './auth/claims.ts';

/** The claims this module compares. */
type ComparedClaims = Pick<PortalClaims, 'personId' | 'insz' | 'org' | 'adminOf' | 'roles'>;

/**
 * Whether a grant of `GET /me` is in a token issued at `now`: as the token trigger reads
 * `validUntil` (no end, or an end not yet reached; an unparseable end keeps it out).
 */
function validNow(validUntil: string | null, now: Date): boolean {
  if (validUntil === null) return true;
  const end = Date.parse(validUntil);
  return !Number.isNaN(end) && end > now.getTime();
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * How the tokens differ from what `/me` says, as a stable text naming the difference (the same
 * difference gives the same text, so a refresh that did not resolve it is not repeated), or
 * `undefined` when they agree. Only the capacity's organisation is compared: tokens carry one.
 *
 * - a Belgian number linked since the token (`insz`);
 * - the capacity's membership gone (removed, lapsed): the next token falls back to another capacity;
 * - the local administrator role of the capacity gained or lost (`admin_of`);
 * - a first organisation while acting privately: the next token makes it the default capacity;
 * - the roles of the capacity valid now (`roles`) other than the token's.
 */
export function tokenDifference(me: Me, claims: ComparedClaims, now: Date): string | undefined {
  if (me.personId !== claims.personId) return undefined;
  const differences: string[] = [];
  if (me.insz !== null && !claims.insz) differences.push('insz');
  const org = claims.org;
  if (org) {
    const membership = me.memberships.find((candidate) => candidate.orgCode === org);
    if (!membership) differences.push(`gone:${org}`);
    else if (membership.localAdministrator !== claims.adminOf.includes(org)) {
      differences.push(`admin:${org}:${membership.localAdministrator}`);
    }
  } else if (me.memberships.length === 1) {
    differences.push(`first:${me.memberships[0]?.orgCode}`);
  }
  const expectedRoles = sorted(
    me.grants
      .filter((grant) => org !== undefined && grant.orgCode === org && validNow(grant.validUntil, now))
      .map((grant) => `${grant.application}:${grant.role}:${grant.orgCode}`),
  );
  const carriedRoles = sorted(claims.roles);
  if (expectedRoles.join(' ') !== carriedRoles.join(' ')) {
    differences.push(`roles:${org ?? ''}:${expectedRoles.join(',')}`);
  }
  return differences.length > 0 ? `${claims.personId}|${differences.join('|')}` : undefined;
}

/** A membership as remembered between two answers of `GET /me`. */
export interface KnownMembership {
  orgCode: string;
  localAdministrator: boolean;
}

/** A membership the person did not have before (or a role they now have in it). */
export interface MembershipNews {
  orgCode: string;
  name: string;
  /** `administrator`: local administrator now; `member`: a member (without that role). */
  kind: 'administrator' | 'member';
}

/**
 * What is new in `me` compared with the memberships known before: a new organisation (as member or
 * local administrator), or the local administrator role in a known one. Nothing when nothing was
 * known (the first answer of a session is the baseline, not news).
 */
export function membershipNews(known: readonly KnownMembership[] | undefined, me: Me): MembershipNews[] {
  if (!known) return [];
  const news: MembershipNews[] = [];
  for (const membership of me.memberships) {
    const before = known.find((candidate) => candidate.orgCode === membership.orgCode);
    const name = membership.name || membership.orgCode;
    if (!before) {
      news.push({
        orgCode: membership.orgCode,
        name,
        kind: membership.localAdministrator ? 'administrator' : 'member',
      });
    } else if (membership.localAdministrator && !before.localAdministrator) {
      news.push({ orgCode: membership.orgCode, name, kind: 'administrator' });
    }
  }
  return news;
}

/** The memberships to remember from an answer of `GET /me`. */
export const knownMemberships = (me: Me): KnownMembership[] =>
  me.memberships.map(({ orgCode, localAdministrator }) => ({ orgCode, localAdministrator }));

const KNOWN_KEY = 'eid-access.memberships';

/** The memberships remembered for this person in this tab, `undefined` when none are. */
export function recalledMemberships(storage: Storage, personId: string): KnownMembership[] | undefined {
  try {
    const stored = JSON.parse(storage.getItem(KNOWN_KEY) ?? 'null') as {
      personId?: unknown;
      memberships?: unknown;
    } | null;
    if (stored?.personId !== personId || !Array.isArray(stored.memberships)) return undefined;
    return stored.memberships as KnownMembership[];
  } catch {
    return undefined;
  }
}

/** Remembers the memberships of `GET /me` for this person in this tab (sessionStorage). */
export function rememberMemberships(
  storage: Storage,
  personId: string,
  memberships: readonly KnownMembership[],
): void {
  storage.setItem(KNOWN_KEY, JSON.stringify({ personId, memberships }));
}

/**
 * Adds a membership the person made themselves in this tab (a claim): it is not news to them. Does
 * nothing before the first answer of `GET /me` (that answer is the baseline anyway).
 */
export function rememberMembership(storage: Storage, personId: string, membership: KnownMembership): void {
  const known = recalledMemberships(storage, personId);
  if (!known) return;
  rememberMemberships(storage, personId, [
    ...known.filter((candidate) => candidate.orgCode !== membership.orgCode),
    membership,
  ]);
}
