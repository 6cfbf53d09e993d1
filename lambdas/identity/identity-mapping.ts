/**
 * Which provider a Cognito user came from, and its mapped identity. The one place that reads the
 * Cognito user's name and `identities` attribute; both triggers call {@link mapCognitoUser} so they
 * accept and refuse exactly the same logins.
 */
import { LoginRefusedError } from '#shared/errors';
import { isNativeCognitoUser, nativeSubject } from '#shared/native-user';
import { PROVIDER_NAMES } from './attribute-mapping.ts';
import type { IdentityConfig } from './config.ts';
import { mapEidasIdentity, parsePersonIdentifier } from './eidas-mapping.ts';
import { mapEudiIdentity } from './eudi-mapping.ts';
import {
  type AttributeMap,
  type FederatedProvider,
  type LoginIdentity,
  type NativeIdentity,
  readAttribute,
} from './federated-identity.ts';
import { mapItsmeIdentity } from './itsme-mapping.ts';
import type { RefreshIdentity } from './resolve-person.ts';

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

/** Refusal of a refresh whose user names no identity we can look up. */
const SESSION_NOT_RENEWABLE = 'Your session cannot be renewed. Please sign in again.';

/**
 * The identity a token refresh names, read without trusting anything the user could have written:
 * the username (immutable), Cognito's `identities` (Cognito-managed) and, for eIDAS only, the mapped
 * PersonIdentifier — which {@link resolveRefresh} accepts only when the identity link records this
 * very Cognito user as the one that authenticated it. No policy is applied (nationality, LoA, missing
 * attributes): a refresh takes no identity decision; the table's link does.
 *
 * @throws LoginRefusedError `session-expired` when the user names no identity.
 */
export function refreshIdentityOf(user: CognitoUser, config: IdentityConfig): RefreshIdentity {
  const fromName = providerOfUserName(user.userName);
  if (!fromName) {
    const native = mapNativeUser(user);
    if (native)
      return {
        provider: 'native',
        subject: native.subject,
        defaultLoa: 'substantial',
        confirmUsername: false,
      };
    throw new LoginRefusedError('session-expired', SESSION_NOT_RENEWABLE);
  }
  if (fromName.provider === 'eidas') {
    const raw = readAttribute(user.userAttributes, 'eidas_person_id');
    const parsed = raw === undefined ? undefined : parsePersonIdentifier(raw);
    if (!parsed) throw new LoginRefusedError('session-expired', SESSION_NOT_RENEWABLE);
    return {
      provider: 'eidas',
      subject: parsed.value,
      defaultLoa: config.minimumEidasLoa,
      confirmUsername: true,
    };
  }
  const subject =
    linkedIdentityUserId(user.userAttributes, PROVIDER_NAMES[fromName.provider]) ?? fromName.rest;
  if (subject.trim() === '') throw new LoginRefusedError('session-expired', SESSION_NOT_RENEWABLE);
  return { provider: fromName.provider, subject, defaultLoa: 'high', confirmUsername: false };
}
