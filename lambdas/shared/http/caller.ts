/**
 * Who is calling: read from the claims API Gateway's Cognito authorizer (REST API) puts in
 * `event.requestContext.authorizer.claims`, after it has verified the token. The authorizer
 * flattens every claim to a string, so array claims arrive in one of several string forms; see
 * {@link parseListClaim}.
 *
 * Only coarse access rules live here (authenticated, member of a Cognito group). Rules that need
 * data (local administrator of an organisation, owner of a request) are for use cases, which read
 * the table: token claims such as `admin_of` can be up to an hour stale.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';

/**
 * The Cognito groups of the contract (ARCHITECTURE.md section 2), plus `registration-officers`: the
 * registration-office staff who create native accounts after checking identity documents in person.
 */
export const GROUPS = ['bis-agents', 'security-officers', 'registration-officers'] as const;

/** A Cognito group an access rule can require. */
export type Group = (typeof GROUPS)[number];

/** The authenticated caller, as the HTTP layer hands it to use cases. */
export interface Caller {
  /** Our person id (`person_id` claim), never a provider subject. */
  personId: string;
  /** Cognito groups (`cognito:groups`), e.g. `bis-agents`. */
  groups: string[];
  /** Login provider of this session (`idp`: `eidas` | `itsme` | `native`); empty when the token has none. */
  idp: string;
  /** Level of assurance of this session (`loa`: `substantial` | `high`); empty when the token has none. */
  loa: string;
  /**
   * The `insz` claim, or `null`. Only the ID token carries it and the API takes access tokens only
   * (ARCHITECTURE.md section 3), so behind the API it is always `null`: a rule that needs the number
   * reads the profile, never this.
   */
  insz: string | null;
  /**
   * The Cognito username of this session's login (access token `username`, ID token
   * `cognito:username`): `<ProviderName>_<subject>` for federated logins, the generated `ea-…` name
   * for native ones. It names the login identity the session was authenticated with; empty when the
   * token has none.
   */
  username: string;
  /**
   * When the person authenticated for this session (`auth_time`, epoch seconds; refreshes keep it).
   * `0` when the token has none.
   */
  authTime: number;
}

/** The access rule of a route, checked after input validation. */
export type Access = { kind: 'authenticated' } | { kind: 'group'; group: Group };

/**
 * Deliberately broad (the id scheme belongs to the identity context) but never `#`, `/` or spaces:
 * the id goes straight into table keys such as `PERSON#<personId>`.
 */
const PERSON_ID = /^[0-9A-Za-z_-]{1,64}$/;
const INSZ = /^\d{11}$/;

/**
 * Parses a claim that holds a list. The same list reaches a Lambda as an array (sandbox, tests), a
 * JSON array string (`["a","b"]`), the bracketed space form of the REST authorizer (`[a b]`) or a
 * comma list (`a,b`). Values never contain spaces or commas (group names, `APP:role:orgCode`, org
 * codes), so splitting on both is safe. Blank entries are dropped and duplicates removed.
 */
export function parseListClaim(value: unknown): string[] {
  if (Array.isArray(value)) return unique(value.filter((item): item is string => typeof item === 'string'));
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const fromJson = parseJsonStringArray(text);
    if (fromJson) return unique(fromJson);
    return splitList(text.slice(1, -1));
  }
  return splitList(text);
}

function parseJsonStringArray(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // Not JSON: the bracketed space form, handled by the caller.
  }
  return undefined;
}

function splitList(text: string): string[] {
  return unique(text.split(/[\s,]+/));
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value.length > 0))];
}

function stringClaim(claims: Record<string, unknown>, name: string): string {
  const value = claims[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The caller from verified token claims.
 * @throws UnauthorizedError when there are no claims or `person_id` is missing or malformed (a token
 *   not minted by our pre-token-generation trigger), or `insz` is present but not 11 digits.
 */
export function callerFromClaims(claims: unknown): Caller {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new UnauthorizedError('Sign in to use this service.');
  }
  const record = claims as Record<string, unknown>;
  const personId = stringClaim(record, 'person_id');
  if (!PERSON_ID.test(personId)) {
    throw new UnauthorizedError('Your session is not valid. Please sign in again.');
  }
  const insz = stringClaim(record, 'insz');
  if (insz !== '' && !INSZ.test(insz)) {
    throw new UnauthorizedError('Your session is not valid. Please sign in again.');
  }
  return {
    personId,
    groups: parseListClaim(record['cognito:groups']),
    idp: stringClaim(record, 'idp'),
    loa: stringClaim(record, 'loa'),
    insz: insz === '' ? null : insz,
    username: stringClaim(record, 'username') || stringClaim(record, 'cognito:username'),
    authTime: epochSecondsClaim(record.auth_time),
  };
}

/** `auth_time` arrives as a number (sandbox, tests) or, flattened by API Gateway, as a string. */
function epochSecondsClaim(value: unknown): number {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * The caller of an API Gateway REST proxy event.
 * @throws UnauthorizedError when the request did not pass a Cognito authorizer.
 */
export function callerFromEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const authorizer: unknown = event.requestContext?.authorizer;
  const claims =
    authorizer !== null && typeof authorizer === 'object'
      ? (authorizer as Record<string, unknown>).claims
      : undefined;
  return callerFromClaims(claims);
}

/** True when the caller is in the Cognito group. */
export function hasGroup(caller: Caller, group: Group): boolean {
  return caller.groups.includes(group);
}

/**
 * Enforces a route's access rule.
 * @throws ForbiddenError when the rule requires a group the caller is not in.
 */
export function authorize(caller: Caller, access: Access): void {
  if (access.kind === 'group' && !hasGroup(caller, access.group)) {
    throw new ForbiddenError('You are not allowed to do this.');
  }
}
