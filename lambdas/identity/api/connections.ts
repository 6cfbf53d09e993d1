/**
 * "Connect another login": a person proves control of two logins in one browser flow and the two
 * persons become one (ARCHITECTURE.md section 2: joining needs proof of control, never knowledge).
 *
 * 1. `POST /me/connections` with login A's token, authenticated in the last 10 minutes: an intent,
 *    valid 10 minutes, recording A's person and A's identity. The portal keeps its id only in that
 *    browser tab's sessionStorage.
 * 2. The person signs in with login B in the same browser; `GET /me/connections/{id}` shows what will
 *    be connected (A's provider and asserted names).
 * 3. `POST /me/connections/{id}` with B's token, authenticated AFTER the intent was made: the join
 *    rules (join-rules.ts) pick the source and target, and one transaction moves the source's
 *    identity links (evidence `connected`) and national number to the target, marks the source
 *    `mergedInto`, uses the intent, and records `identities-joined` (+ notices) on both persons.
 *
 * Why an attacker cannot use it: both ends need a recent authentication (the intent one in the last
 * 10 minutes, the confirmation one after the intent), so knowing a victim's data or holding an old
 * token of theirs is not enough; the id never travels in
 * a URL the portal accepts, so a victim cannot be made to confirm an attacker's intent by a link.
 */
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { LoggerPort } from '../resolve-person.ts';
import { currentLogin } from './current-login.ts';
import type { Connection, IdentityStore, PersonState } from './identity-store.ts';
import { decideJoin, type JoinCandidate, type JoinRefusal } from './join-rules.ts';
import { personNotFound, SUSPENDED_MESSAGE } from './link-insz.ts';

/** How long an intent stays usable. */
export const CONNECTION_TTL_MS = 10 * 60 * 1000;

/** Collaborators of the connection use cases. */
export interface ConnectionDeps {
  store: Pick<
    IdentityStore,
    | 'loadPerson'
    | 'loadProfile'
    | 'getIdentityLinks'
    | 'getNativeAccount'
    | 'hasOpenBisRequest'
    | 'getInszLink'
    | 'createConnection'
    | 'getConnection'
    | 'join'
  >;
  now: () => Date;
  newId: () => string;
  logger: LoggerPort;
}

type ConnectionCaller = Pick<Caller, 'personId' | 'username' | 'authTime'>;

const NOT_FOUND = 'This connection request is unknown, was used already or has expired. Please start again.';

export const RECENT_LOGIN_MESSAGE =
  'For your security, please sign in again before you connect another login.';

export const FRESH_LOGIN_MESSAGE =
  'Please sign in again with the login you want to connect, then confirm within 10 minutes.';

const REFUSALS: Record<JoinRefusal, string> = {
  'same-person': 'Both logins already belong to the same account.',
  'different-numbers':
    'These logins belong to accounts with different national numbers and cannot be connected. Please contact the service desk.',
  'different-birth-dates':
    'These logins belong to accounts with different dates of birth and cannot be connected. Please contact the service desk.',
  suspended: SUSPENDED_MESSAGE,
  'no-source':
    'Both accounts hold memberships, rights, a registration-office account or an open request, so they cannot be connected here. Please contact the service desk.',
};

/** The caller's person, usable for connecting. */
async function activePerson(deps: ConnectionDeps, personId: string): Promise<PersonState> {
  const person = await deps.store.loadPerson(personId);
  if (!person || person.mergedInto !== undefined) throw personNotFound();
  return person;
}

/** `POST /me/connections`: a new intent from the current login. */
export async function startConnection(
  deps: ConnectionDeps,
  caller: ConnectionCaller,
): Promise<{ connectionId: string; expiresAt: string }> {
  const now = deps.now();
  // Both logins must be recent: a token stolen from an old session cannot tie its person to another login.
  if (caller.authTime * 1000 < now.getTime() - CONNECTION_TTL_MS)
    throw new ForbiddenError(RECENT_LOGIN_MESSAGE);
  const person = await deps.store.loadProfile(caller.personId);
  if (!person || person.mergedInto !== undefined) throw personNotFound();
  if (person.suspensionCaseId !== undefined) throw new ConflictError(SUSPENDED_MESSAGE);
  const login = await currentLogin(deps.store, caller, person);
  const connection: Connection = {
    connectionId: deps.newId(),
    personId: person.personId,
    identity: login.ref,
    provider: login.provider,
    status: 'OPEN',
    createdAt: now.toISOString(),
    expiresAtIso: new Date(now.getTime() + CONNECTION_TTL_MS).toISOString(),
    givenNames: login.asserted?.givenNames ?? person.givenNames,
    familyName: login.asserted?.familyName ?? person.familyName,
  };
  await deps.store.createConnection(connection);
  deps.logger.info('connection started', { personId: person.personId, provider: login.provider });
  return { connectionId: connection.connectionId, expiresAt: connection.expiresAtIso };
}

/** An OPEN, unexpired intent, else 404. */
async function usableConnection(deps: ConnectionDeps, connectionId: string): Promise<Connection> {
  const connection = await deps.store.getConnection(connectionId);
  if (connection?.status !== 'OPEN' || !(Date.parse(connection.expiresAtIso) > deps.now().getTime())) {
    throw new NotFoundError(NOT_FOUND);
  }
  return connection;
}

/** `GET /me/connections/{connectionId}`: what will be connected. */
export async function describeConnection(
  deps: ConnectionDeps,
  connectionId: string,
): Promise<{
  connectionId: string;
  provider: string;
  givenNames: string;
  familyName: string;
  expiresAt: string;
}> {
  const connection = await usableConnection(deps, connectionId);
  return {
    connectionId: connection.connectionId,
    provider: connection.provider,
    givenNames: connection.givenNames,
    familyName: connection.familyName,
    expiresAt: connection.expiresAtIso,
  };
}

async function candidate(deps: ConnectionDeps, person: PersonState): Promise<JoinCandidate> {
  const [native, openBis] = await Promise.all([
    deps.store.getNativeAccount(person.personId),
    deps.store.hasOpenBisRequest(person.personId),
  ]);
  return {
    personId: person.personId,
    insz: person.insz,
    birthDate: person.birthDate,
    suspended: person.suspensionCaseId !== undefined,
    holdsRights: person.holdsRights,
    hasNativeAccount: native !== undefined,
    hasOpenBisRequest: openBis,
  };
}

/** What a confirmed join answers. */
export interface JoinedIdentities {
  personId: string;
  identities: { provider: string; evidence: string | null; linkedAt: string | null; loa: string | null }[];
}

/**
 * `POST /me/connections/{connectionId}`: the OTHER login confirms; the two persons are joined.
 * @throws NotFoundError unknown, used or expired intent; the caller's person is gone.
 * @throws ForbiddenError the caller's authentication is older than the intent, or stale.
 * @throws ConflictError same person, or the join rules refuse (the message says why).
 */
export async function confirmConnection(
  deps: ConnectionDeps,
  caller: ConnectionCaller,
  connectionId: string,
): Promise<JoinedIdentities> {
  const connection = await usableConnection(deps, connectionId);
  if (caller.authTime < Math.floor(Date.parse(connection.createdAt) / 1000)) {
    throw new ForbiddenError(FRESH_LOGIN_MESSAGE);
  }
  if (caller.personId === connection.personId) throw new ConflictError(REFUSALS['same-person']);
  const confirmer = await activePerson(deps, caller.personId);
  const confirmerLogin = await currentLogin(deps.store, caller, confirmer);
  const initiator = await deps.store.loadPerson(connection.personId);
  if (!initiator || initiator.mergedInto !== undefined) throw new NotFoundError(NOT_FOUND);

  const decision = decideJoin(await candidate(deps, initiator), await candidate(deps, confirmer));
  if (!decision.ok) {
    deps.logger.warn('connection refused by the join rules', {
      personId: caller.personId,
      refusal: decision.refusal,
    });
    throw new ConflictError(REFUSALS[decision.refusal]);
  }
  const source = decision.source.personId === initiator.personId ? initiator : confirmer;
  const target = source === initiator ? confirmer : initiator;
  // The login each person proved is moved even on profiles older than `identityLinks`.
  const known = source === initiator ? connection.identity : confirmerLogin.ref;
  const identityRefs = [...new Set([...source.identityLinks, known])].sort();
  let insz:
    | { insz: string; link: NonNullable<Awaited<ReturnType<ConnectionDeps['store']['getInszLink']>>> }
    | undefined;
  if (source.insz !== null) {
    const link = await deps.store.getInszLink(source.insz);
    if (!link || link.personId !== source.personId) throw new ConflictError(REFUSALS['no-source']);
    insz = { insz: source.insz, link };
  }
  const now = deps.now();
  const outcome = await deps.store.join(
    {
      connectionId,
      initiatorPersonId: connection.personId,
      source,
      target,
      identityRefs,
      ...(insz ? { insz } : {}),
      at: now.toISOString(),
      nowSeconds: Math.floor(now.getTime() / 1000),
    },
    deps.newId,
  );
  if (outcome === 'connection-gone') throw new NotFoundError(NOT_FOUND);
  if (outcome !== 'joined') {
    deps.logger.warn('join did not commit', { personId: caller.personId, outcome });
    throw new ConflictError('One of the accounts changed meanwhile. Please start again.');
  }
  deps.logger.info('persons joined after proof of both logins', {
    source: source.personId,
    target: target.personId,
    identities: identityRefs.length,
  });
  const after = await deps.store.loadProfile(target.personId);
  const links = await deps.store.getIdentityLinks(after?.identityLinks ?? []);
  return {
    personId: target.personId,
    identities: links
      .filter((link) => link.personId === target.personId)
      .map((link) => ({
        provider: link.provider,
        evidence: link.evidence ?? null,
        linkedAt: link.linkedAt ?? null,
        loa: link.loa ?? null,
      })),
  };
}
