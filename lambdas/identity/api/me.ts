/**
 * Use case `GET /me`: the caller's person, memberships and grants valid now (one Query of the person
 * partition, pattern I3), and each identity with its evidence (one BatchGetItem of the identity links
 * the profile names). Knows nothing of HTTP or DynamoDB.
 */
import { NotFoundError } from '#shared/errors';
import { isGrantInForce, readGrantItem } from '#shared/grant-item';
import { text } from '#shared/item-fields';
import { profileOf, readPartitionMembership, type StoredProfile } from '#shared/items/person';
import { GRANT_SK_PREFIX } from '#shared/keys';
import { parseIdentityLinkRef } from '../person-repository.ts';
import type { IdentityLinkState, IdentityStore } from './identity-store.ts';
import type { MeView } from './schemas.ts';

/** Collaborators of {@link getMe}. */
export interface GetMeDeps {
  store: Pick<IdentityStore, 'loadPersonItems' | 'getIdentityLinks' | 'getNativeAccount'>;
  now: () => Date;
}

type Item = Record<string, unknown>;

const PROVIDERS = ['eidas', 'itsme', 'eudi', 'native'] as const;
type Provider = (typeof PROVIDERS)[number];

function providersOf(values: readonly string[]): Provider[] {
  return PROVIDERS.filter((provider) => values.includes(provider));
}

const isProvider = (value: string): value is Provider => (PROVIDERS as readonly string[]).includes(value);

/**
 * The identities of the view: every identity link of the person with its evidence, oldest first;
 * a provider of the profile without a readable link (profiles older than `identityLinks`) is shown
 * with `null` provenance rather than hidden.
 */
export function identitiesOf(
  providers: readonly string[],
  links: readonly IdentityLinkState[],
  personId: string,
): MeView['identities'] {
  const mine = links
    .filter((link) => link.personId === personId && isProvider(link.provider))
    .sort((a, b) => (a.linkedAt ?? '').localeCompare(b.linkedAt ?? '') || a.ref.localeCompare(b.ref));
  const identities: MeView['identities'] = mine.map((link) => ({
    provider: link.provider as Provider,
    evidence: link.evidence ?? null,
    linkedAt: link.linkedAt ?? null,
    loa: link.loa ?? null,
  }));
  for (const provider of providersOf(providers)) {
    if (!identities.some((identity) => identity.provider === provider)) {
      identities.push({ provider, evidence: null, linkedAt: null, loa: null });
    }
  }
  return identities;
}

/**
 * What the identity provider asserted beyond names and birth date (eIDAS sends sex, nationality,
 * place of birth and address), so the portal pre-fills forms instead of asking again. Only values
 * of the contract's shape are passed on.
 */
function assertedDetails(
  profile: StoredProfile,
): Pick<MeView, 'sex' | 'nationality' | 'placeOfBirth' | 'address'> {
  const { sex, nationality, placeOfBirth, address } = profile;
  return {
    ...(sex === 'M' || sex === 'F' ? { sex } : {}),
    ...(nationality && /^[A-Z]{2}$/.test(nationality) ? { nationality } : {}),
    ...(placeOfBirth ? { placeOfBirth } : {}),
    ...(address ? { address } : {}),
  };
}

/**
 * The `GET /me` view of a person partition. Items written by other contexts are read defensively:
 * a membership or grant without the attributes the contract needs is left out rather than failing.
 * @returns `undefined` when the partition has no profile.
 */
export function meViewOf(
  items: readonly Item[],
  now: Date,
  links: readonly IdentityLinkState[] = [],
): MeView | undefined {
  const profile = profileOf(items);
  if (!profile) return undefined;
  const { personId } = profile;
  const view: MeView = {
    personId,
    // From the profile, never from a token claim: only the ID token carries `insz`.
    insz: profile.insz ?? null,
    givenNames: profile.givenNames ?? '',
    familyName: profile.familyName ?? '',
    birthDate: profile.birthDate ?? '',
    ...assertedDetails(profile),
    inszEvidence: profile.inszEvidence ?? null,
    suspended: profile.suspended,
    identities: identitiesOf(profile.providers, links, personId),
    memberships: [],
    grants: [],
  };
  for (const item of items) {
    const membership = readPartitionMembership(item);
    if (membership) {
      view.memberships.push(membership);
    } else if ((text(item.SK) ?? '').startsWith(GRANT_SK_PREFIX)) {
      const grant = readGrantItem(item);
      // The same rule as the token's `roles` claim, so the portal and the token never disagree.
      if (!grant?.grantId || !isGrantInForce(grant, now)) continue;
      view.grants.push({
        grantId: grant.grantId,
        orgCode: grant.orgCode,
        application: grant.application,
        role: grant.role,
        validUntil: grant.validUntil ?? null,
      });
    }
  }
  view.memberships.sort((a, b) => a.orgCode.localeCompare(b.orgCode));
  return view;
}

/** `GET /me` for a token of a person joined into another one (`mergedInto` on its profile). */
export const MERGED_MESSAGE = 'Your account was connected with another account. Please sign in again.';

/**
 * The caller's own view.
 *
 * A person joined into another ("connect another login") answers 404 rather than following `mergedInto`: the
 * token still names the old person, and every other route authorises by the token's `person_id`, so
 * showing the other person's data here would make the portal disagree with what the token allows.
 * The next sign-in or token refresh names the joined person.
 * @throws NotFoundError when the person has no profile (a token for a deleted person) or was joined.
 */
export async function getMe(deps: GetMeDeps, personId: string): Promise<MeView> {
  const items = await deps.store.loadPersonItems(personId);
  const profile = profileOf(items);
  if (profile?.mergedInto !== undefined) throw new NotFoundError(MERGED_MESSAGE);
  const refs = (profile?.identityLinks ?? []).filter((ref) => parseIdentityLinkRef(ref) !== undefined);
  // Native persons of the registration office may not list their link on the profile: find it by account.
  if (profile?.providers.includes('native') && !refs.some((ref) => ref.startsWith('native#'))) {
    const account = await deps.store.getNativeAccount(personId);
    if (account) refs.push(`native#${account.username.toLowerCase()}`);
  }
  const links = profile ? await deps.store.getIdentityLinks(refs) : [];
  const view = meViewOf(items, deps.now(), links);
  if (!view) throw new NotFoundError('Your person record was not found. Please sign in again.');
  return view;
}
