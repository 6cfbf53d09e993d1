/**
 * The claims of the user pool's ID and access tokens, and how a V2 pre token generation response
 * changes them — as Cognito does it:
 * - `claimsToAddOrOverride` is applied first, then `claimsToSuppress` (a claim both added and
 *   suppressed is suppressed);
 * - {@link PROTECTED_CLAIMS} cannot be added, overridden or suppressed: Cognito keeps its own value and
 *   so does the local pool (it ignores the attempt);
 * - `groupOverrideDetails` replaces `cognito:groups` (and `cognito:roles`, `cognito:preferred_role`)
 *   in both tokens; present but null or without `groupsToOverride`, it removes the groups;
 * - `scopesToAdd` / `scopesToSuppress` change the access token's `scope` (a scope with a space is
 *   ignored, Cognito refuses those).
 *
 * Pure: the caller passes every value (times, ids).
 */
import type { ClaimsAndScopeOverrideDetails } from 'aws-lambda';

/** A claim value as V2 pre token generation allows it. */
export type ClaimValue = string | number | boolean | null | ClaimValue[] | { [key: string]: ClaimValue };
export type TokenClaims = Record<string, ClaimValue>;

/**
 * Claims a trigger can neither add, override nor suppress, in either token (Cognito's documented list
 * plus `scope`, which only `scopesToAdd`/`scopesToSuppress` change, and `username`, the access token's
 * twin of `cognito:username`). Every other `cognito:` claim is protected too, except the group claims.
 */
export const PROTECTED_CLAIMS: readonly string[] = [
  'acr',
  'amr',
  'at_hash',
  'aud',
  'auth_time',
  'azp',
  'client_id',
  'cognito:username',
  'device_key',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
];

const VERIFIED_FLAGS = ['email_verified', 'phone_number_verified'];
const GROUP_CLAIMS = ['cognito:groups', 'cognito:roles', 'cognito:preferred_role'];

/** True when a trigger may not touch this claim. */
export function isProtectedClaim(name: string): boolean {
  if (GROUP_CLAIMS.includes(name)) return false;
  return PROTECTED_CLAIMS.includes(name) || name.startsWith('cognito:');
}

/** One authentication: what every token issued from it (and refreshed from it) shares. */
export interface AuthenticationContext {
  issuer: string;
  clientId: string;
  /** Seconds since the epoch. */
  authTime: number;
  /** Ties every token of one authentication (and its refreshes) together. */
  originJti: string;
  eventId: string;
}

/** The user as tokens see it. */
export interface TokenSubject {
  username: string;
  sub: string;
  /** User attributes the ID token carries (every attribute but `sub`, `identities`, `cognito:*`). */
  attributes: Record<string, string>;
  /** The `identities` attribute (JSON), parsed into the ID token's `identities` array. */
  identities?: string;
  groups: readonly string[];
}

/** Input of {@link buildTokenClaims}. */
export interface BuildTokenClaimsInput {
  authentication: AuthenticationContext;
  subject: TokenSubject;
  scopes: readonly string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  idTokenValiditySeconds: number;
  accessTokenValiditySeconds: number;
  idJti: string;
  accessJti: string;
  /** The `nonce` of the authorization request (first issue only). */
  nonce?: string;
  /** The trigger's response; `null` when no trigger ran or it changed nothing. */
  overrides: ClaimsAndScopeOverrideDetails | null | undefined;
}

/** Both tokens' claims, before signing (`at_hash` is added by the signer). */
export interface TokenClaimSets {
  idToken: TokenClaims;
  accessToken: TokenClaims;
}

/** The claims Cognito puts in a federated user's tokens, with the trigger's changes applied. */
export function buildTokenClaims(input: BuildTokenClaimsInput): TokenClaimSets {
  const { authentication, subject, issuedAt } = input;
  const overrides = input.overrides ?? undefined;
  const groups = groupClaims(subject.groups, overrides);

  const idToken: TokenClaims = {
    sub: subject.sub,
    ...groups,
    iss: authentication.issuer,
    'cognito:username': subject.username,
    ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    origin_jti: authentication.originJti,
    aud: authentication.clientId,
    event_id: authentication.eventId,
    token_use: 'id',
    auth_time: authentication.authTime,
    ...(subject.identities === undefined ? {} : { identities: parseIdentities(subject.identities) }),
    exp: issuedAt + input.idTokenValiditySeconds,
    iat: issuedAt,
    jti: input.idJti,
  };
  for (const [name, value] of Object.entries(subject.attributes)) {
    if (name in idToken) continue;
    // Cognito's ID tokens carry the verification flags as JSON booleans.
    idToken[name] =
      VERIFIED_FLAGS.includes(name) && (value === 'true' || value === 'false') ? value === 'true' : value;
  }

  const scopes = applyScopeChanges(input.scopes, overrides?.accessTokenGeneration);
  const accessToken: TokenClaims = {
    sub: subject.sub,
    ...groups,
    iss: authentication.issuer,
    version: 2,
    client_id: authentication.clientId,
    origin_jti: authentication.originJti,
    event_id: authentication.eventId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: authentication.authTime,
    exp: issuedAt + input.accessTokenValiditySeconds,
    iat: issuedAt,
    jti: input.accessJti,
    username: subject.username,
  };

  return {
    idToken: applyClaimChanges(idToken, overrides?.idTokenGeneration),
    accessToken: applyClaimChanges(accessToken, overrides?.accessTokenGeneration),
  };
}

function groupClaims(
  userGroups: readonly string[],
  overrides: ClaimsAndScopeOverrideDetails | undefined,
): TokenClaims {
  let groups: readonly string[] = userGroups;
  let roles: readonly string[] = [];
  let preferredRole: string | undefined;
  if (overrides && 'groupOverrideDetails' in overrides) {
    const details = overrides.groupOverrideDetails as
      | { groupsToOverride?: unknown; iamRolesToOverride?: unknown; preferredRole?: unknown }
      | null
      | undefined;
    groups = strings(details?.groupsToOverride);
    roles = strings(details?.iamRolesToOverride);
    preferredRole = typeof details?.preferredRole === 'string' ? details.preferredRole : undefined;
  }
  return {
    ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
    ...(roles.length > 0 ? { 'cognito:roles': [...roles] } : {}),
    ...(preferredRole ? { 'cognito:preferred_role': preferredRole } : {}),
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function applyClaimChanges(
  claims: TokenClaims,
  changes: { claimsToAddOrOverride?: unknown; claimsToSuppress?: unknown } | undefined,
): TokenClaims {
  const result = { ...claims };
  const additions = changes?.claimsToAddOrOverride;
  if (additions && typeof additions === 'object' && !Array.isArray(additions)) {
    for (const [name, value] of Object.entries(additions as Record<string, unknown>)) {
      if (!isProtectedClaim(name) && value !== undefined) result[name] = value as ClaimValue;
    }
  }
  for (const name of strings(changes?.claimsToSuppress)) {
    if (!isProtectedClaim(name)) delete result[name];
  }
  return result;
}

function applyScopeChanges(
  granted: readonly string[],
  changes: { scopesToAdd?: unknown; scopesToSuppress?: unknown } | undefined,
): string[] {
  const valid = (scope: string) => scope !== '' && !/\s/.test(scope);
  const suppressed = new Set(strings(changes?.scopesToSuppress));
  const scopes = granted.filter((scope) => !suppressed.has(scope));
  for (const scope of strings(changes?.scopesToAdd).filter(valid)) {
    if (!scopes.includes(scope) && !suppressed.has(scope)) scopes.push(scope);
  }
  return scopes;
}

/** Cognito's `identities` attribute is a JSON string; the ID token carries it as an array. */
function parseIdentities(raw: string): ClaimValue {
  try {
    return JSON.parse(raw) as ClaimValue;
  } catch {
    return raw;
  }
}
