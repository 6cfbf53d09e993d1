/**
 * Which identity the caller's session authenticated with ("the current login"), from the token's
 * Cognito username — never from a claim the holder could influence. For itsme the username is
 * `itsme_<sub>` and names the identity link directly; a native username is the native link's subject.
 * An eIDAS username is `eIDAS_<NameID>`, a pairwise pseudonym, not the PersonIdentifier the link is
 * keyed by: the login trigger records the Cognito username on the identity link at every
 * authentication, so the current login is the person's identity link that recorded this username.
 *
 * Either way the link must point to the caller's person; otherwise the token is stale (a join moved
 * the link, or the person was erased) and the caller must sign in again.
 */
import { ForbiddenError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { isNativeUserName, nativeSubject } from '#shared/native-user';
import { providerOfUserName } from '../identity-mapping.ts';
import type { IdentityLinkState, IdentityStore, PersonState } from './identity-store.ts';

/** Refusal when the token does not name a login of the caller's person. */
export const STALE_LOGIN_MESSAGE =
  'Your session does not match your current account. Please sign out and sign in again.';

/** The `<provider>#<subject>` a username names directly (itsme, native), else `undefined`. */
export function directIdentityRef(username: string): string | undefined {
  const federated = providerOfUserName(username);
  if (federated?.provider === 'itsme' && federated.rest !== '') return `itsme#${federated.rest}`;
  if (!federated && isNativeUserName(username)) return `native#${nativeSubject(username)}`;
  return undefined;
}

/**
 * The identity link of the current login.
 * @throws ForbiddenError when the token names no login of the caller's person.
 */
export async function currentLogin(
  store: Pick<IdentityStore, 'getIdentityLinks'>,
  caller: Pick<Caller, 'personId' | 'username'>,
  person: Pick<PersonState, 'identityLinks'>,
): Promise<IdentityLinkState> {
  const username = caller.username;
  if (username === '') throw new ForbiddenError(STALE_LOGIN_MESSAGE);
  const direct = directIdentityRef(username);
  const links = await store.getIdentityLinks(
    direct ? [direct, ...person.identityLinks] : person.identityLinks,
  );
  const mine = links.filter((link) => link.personId === caller.personId);
  const found =
    (direct ? mine.find((link) => link.ref === direct) : undefined) ??
    mine.find((link) => link.cognitoUsername?.toLowerCase() === username.toLowerCase());
  if (!found) throw new ForbiddenError(STALE_LOGIN_MESSAGE);
  return found;
}
