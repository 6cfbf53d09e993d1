/**
 * Which provider a Cognito user came from, and its mapped identity. The one place that reads the
 * Cognito user's name and `identities` attribute; both triggers call {@link mapCognitoUser} so they
 * accept and refuse exactly the same logins.
 */
import { LoginRefusedError } from '#shared/errors';
import { PROVIDER_NAMES } from './attribute-mapping.ts';
import type { IdentityConfig } from './config.ts';
import { mapEidasIdentity } from './eidas-mapping.ts';
import { mapEudiIdentity } from './eudi-mapping.ts';
import type { AttributeMap, FederatedProvider, LoginIdentity, NativeIdentity } from './federated-identity.ts';
import { mapItsmeIdentity } from './itsme-mapping.ts';
import { isNativeCognitoUser, nativeSubject } from './native-user.ts';

/** The Cognito user a trigger receives. */
export interface CognitoUser {
  /** `<ProviderName>_<subject>` for federated users. */
  userName: string;
  userAttributes: AttributeMap;
}

/** One entry of Cognito's `identities` attribute (a JSON array) of federated users. */
interface CognitoLinkedIdentity {
  userId?: unknown;
  providerName?: unknown;
}

const PROVIDERS = Object.entries(PROVIDER_NAMES) as [FederatedProvider, string][];

/** The provider named by a Cognito user name prefix, or `undefined` (native or unknown user). */
export function providerOfUserName(
  userName: string,
): { provider: FederatedProvider; rest: string } | undefined {
  for (const [provider, name] of PROVIDERS) {
    // Compared case-insensitively: the prefix is ours, and usernames may be case-folded by the pool.
    if (userName.slice(0, name.length + 1).toLowerCase() === `${name.toLowerCase()}_`) {
      return { provider, rest: userName.slice(name.length + 1) };
    }
  }
  return undefined;
}

function linkedIdentityUserId(attributes: AttributeMap, providerName: string): string | undefined {
  const raw = attributes.identities;
  if (raw === undefined) return undefined;
  try {
    const identities: unknown = JSON.parse(raw);
    if (!Array.isArray(identities)) return undefined;
    const match = (identities as CognitoLinkedIdentity[]).find(
      (identity) => identity?.providerName === providerName && typeof identity.userId === 'string',
    );
    return match?.userId as string | undefined;
  } catch {
    return undefined;
  }
}

export const UNKNOWN_PROVIDER_MESSAGE =
  'This way of logging in is not available here. Please log in with itsme or eIDAS.';

/** The native identity of a registration-office account, or `undefined` for any other user. */
export function mapNativeUser(user: CognitoUser): NativeIdentity | undefined {
  if (!isNativeCognitoUser(user.userName, user.userAttributes)) return undefined;
  return { provider: 'native', subject: nativeSubject(user.userName), loa: 'substantial' };
}

/**
 * Maps a Cognito user to a checked identity: federated users by their provider's mapping, native
 * users (generated `ea-` usernames, see native-user.ts) to a {@link NativeIdentity}.
 *
 * @throws LoginRefusedError `unknown-provider` for a user of no known provider, or any refusal of the
 *   provider's mapping.
 */
export function mapCognitoUser(user: CognitoUser, config: IdentityConfig): LoginIdentity {
  const fromName = providerOfUserName(user.userName);
  if (!fromName) {
    const native = mapNativeUser(user);
    if (native) return native;
    throw new LoginRefusedError('unknown-provider', UNKNOWN_PROVIDER_MESSAGE);
  }
  if (fromName.provider === 'eidas') return mapEidasIdentity(user.userAttributes, config);
  if (fromName.provider === 'eudi') return mapEudiIdentity(user.userAttributes);
  // Cognito keeps the IdP's exact `sub` in `identities`; the user name is only a fallback (pre sign-up
  // events do not carry `identities`).
  const subject = linkedIdentityUserId(user.userAttributes, PROVIDER_NAMES.itsme) ?? fromName.rest;
  if (subject.trim() === '') {
    throw new LoginRefusedError(
      'missing-attribute',
      'itsme did not identify your account. Please try again; if it keeps happening, log in another way.',
    );
  }
  return mapItsmeIdentity(user.userAttributes, subject);
}
