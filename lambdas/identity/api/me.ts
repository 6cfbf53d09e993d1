/**
 * Use case `GET /me`: the caller's person, identities, memberships and grants valid now, from one
 * Query of the person partition (pattern I3). Knows nothing of HTTP or DynamoDB.
 */
import { NotFoundError } from '#shared/errors';
import { GRANT_SK_PREFIX, MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '#shared/keys';
import { isGrantValid } from '../claims.ts';
import type { PersonRepository } from '../person-repository.ts';
import type { MeView } from './schemas.ts';

/** Collaborators of {@link getMe}. */
export interface GetMeDeps {
  persons: Pick<PersonRepository, 'loadPersonItems'>;
  now: () => Date;
}

type Item = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const PROVIDERS = ['eidas', 'itsme'] as const;
type Provider = (typeof PROVIDERS)[number];

/** The document client returns a string set as a `Set`; tests and older items may hold an array. */
function providersOf(value: unknown): Provider[] {
  const values = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
  return PROVIDERS.filter((provider) => values.includes(provider));
}

/**
 * The `GET /me` view of a person partition. Items written by other contexts are read defensively:
 * a membership or grant without the attributes the contract needs is left out rather than failing.
 * @returns `undefined` when the partition has no profile.
 */
export function meViewOf(items: readonly Item[], now: Date): MeView | undefined {
  const profile = items.find((item) => item.SK === PROFILE_SK);
  const personId = text(profile?.personId);
  if (!profile || !personId) return undefined;
  const view: MeView = {
    personId,
    // From the profile, never from a token claim: only the ID token carries `insz`.
    insz: text(profile.insz) ?? null,
    givenNames: text(profile.givenNames) ?? '',
    familyName: text(profile.familyName) ?? '',
    birthDate: text(profile.birthDate) ?? '',
    identities: providersOf(profile.providers).map((provider) => ({ provider })),
    memberships: [],
    grants: [],
  };
  for (const item of items) {
    const sk = text(item.SK) ?? '';
    if (sk.startsWith(MEMBERSHIP_SK_PREFIX)) {
      const orgCode = text(item.orgCode) ?? sk.slice(MEMBERSHIP_SK_PREFIX.length);
      if (!orgCode) continue;
      view.memberships.push({
        orgCode,
        name: text(item.name) ?? text(item.orgName) ?? orgCode,
        localAdministrator: item.localAdministrator === true,
        legalRepresentative: item.legalRepresentative === true,
      });
    } else if (sk.startsWith(GRANT_SK_PREFIX)) {
      const grant = {
        grantId: text(item.grantId),
        orgCode: text(item.orgCode),
        application: text(item.application),
        role: text(item.role),
      };
      const window = {
        validFrom: text(item.validFrom),
        validUntil: text(item.validUntil),
        revokedAt: typeof item.revokedAt === 'string' ? item.revokedAt : undefined,
      };
      if (!grant.grantId || !grant.orgCode || !grant.application || !grant.role) continue;
      // The same rule as the token's `roles` claim, so the portal and the token never disagree.
      const valid = isGrantValid(
        {
          orgCode: grant.orgCode,
          application: grant.application,
          role: grant.role,
          ...(window.validFrom !== undefined ? { validFrom: window.validFrom } : {}),
          ...(window.validUntil !== undefined ? { validUntil: window.validUntil } : {}),
          ...(window.revokedAt !== undefined ? { revokedAt: window.revokedAt } : {}),
        },
        now,
      );
      if (!valid) continue;
      view.grants.push({
        grantId: grant.grantId,
        orgCode: grant.orgCode,
        application: grant.application,
        role: grant.role,
        validUntil: window.validUntil ?? null,
      });
    }
  }
  view.memberships.sort((a, b) => a.orgCode.localeCompare(b.orgCode));
  return view;
}

/** `GET /me` for a token of a person joined into another one (`mergedInto` on its profile). */
export const MERGED_MESSAGE =
  'Your account was joined with the account that holds your national number. Please sign in again.';

/**
 * The caller's own view.
 *
 * A person joined into another (`POST /me/insz`) answers 404 rather than following `mergedInto`: the
 * token still names the old person, and every other route authorises by the token's `person_id`, so
 * showing the other person's data here would make the portal disagree with what the token allows.
 * The next sign-in or token refresh names the joined person.
 * @throws NotFoundError when the person has no profile (a token for a deleted person) or was joined.
 */
export async function getMe(deps: GetMeDeps, personId: string): Promise<MeView> {
  const items = await deps.persons.loadPersonItems(personId);
  if (items.some((item) => item.SK === PROFILE_SK && item.mergedInto !== undefined)) {
    throw new NotFoundError(MERGED_MESSAGE);
  }
  const view = meViewOf(items, deps.now());
  if (!view) throw new NotFoundError('Your person record was not found. Please sign in again.');
  return view;
}
