/**
 * Use case `POST /me/insz` ("I know my national number"). Linking is proof, not knowledge
 * (ARCHITECTURE.md section 2): names, birth dates and national numbers are not secrets, so what the
 * caller TYPES proves nothing. The number is linked only when its register entry equals what the
 * identity provider ASSERTED in the caller's current login (recorded by the login trigger on that
 * login's identity link as `asserted`), compared by name-matching.ts. What was typed must still equal
 * the register (the body contract), but it is never evidence on its own.
 *
 * Guessing numbers is what this must resist:
 * - every refusal of the check (unknown number, other data, a login without asserted data) is the
 *   same 422, so a caller learns nothing about which numbers exist;
 * - each check costs one of a few attempts per person and window, taken atomically BEFORE the
 *   register is read.
 *
 * Never a join here: a number held by another person is a 409 that tells the caller to connect
 * their other login (connections.ts) or to contact the service desk, and both persons' activity logs
 * record the refused join (the holder is mailed). Order: the caller's profile (already linked → 200
 * idempotent; another number → 409; suspended → 409) and the current login, then the attempt, the
 * register, and one linking transaction (INSZ link, profile, activity, notice).
 */
import { ConflictError, NotFoundError, RuleViolationError, TooManyRequestsError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { LinkProvenance } from '#shared/person-activity';
import type { PersonRegister } from '#shared/person-register';
import type { LoggerPort } from '../resolve-person.ts';
import { currentLogin } from './current-login.ts';
import type { IdentityStore } from './identity-store.ts';
import { samePerson } from './name-matching.ts';
import type { LinkInszInput } from './schemas.ts';

/** Result of {@link AttemptLimiter.take}. */
export type AttemptResult = { allowed: true } | { allowed: false; retryAt: Date };

/** Counts national-number checks per person in a fixed window. */
export interface AttemptLimiter {
  /** Takes one attempt for the person, unless the window's attempts are spent. Atomic. */
  take(personId: string, now: Date): Promise<AttemptResult>;
}

/** Collaborators of {@link linkInsz}. */
export interface LinkInszDeps {
  store: Pick<
    IdentityStore,
    'loadProfile' | 'getIdentityLinks' | 'getInszLink' | 'linkInsz' | 'recordJoinRefused'
  >;
  register: PersonRegister;
  attempts: AttemptLimiter;
  now: () => Date;
  newId: () => string;
  logger: LoggerPort;
}

/** The result of a successful link (first time or repeated). */
export interface LinkedInsz {
  personId: string;
  insz: string;
  /** False when the person already had this INSZ (idempotent repeat). */
  created: boolean;
}

/** The one refusal of a failed check: the same whatever failed. */
export const NO_MATCH_MESSAGE =
  'These details do not match the national register, or not the names and date of birth your login gave us. ' +
  'Check your national number, names and date of birth; if they are right, log in with itsme or have your ' +
  'number confirmed at a registration office.';

/** The number belongs to another person: never joined here. */
export const IN_USE_MESSAGE =
  'This number is already in use. Log in with your other means to connect this login, or contact the service desk.';

const ALREADY_HAS_OTHER =
  'Your account is already linked to a different national number. Please contact the service desk.';

/** The person is suspended while a security officer reviews a conflict with a verified identity. */
export const SUSPENDED_MESSAGE =
  'Your account is being reviewed by the service desk after another login verified this identity. Please contact the service desk.';

const MAX_LINK_ROUNDS = 3;

/** The token names a person the table does not hold (erased, joined, restored table). */
export const personNotFound = (): NotFoundError =>
  new NotFoundError('Your person record was not found. Please sign in again.');

function loaOf(caller: Pick<Caller, 'loa'>, linkLoa: string | undefined): LinkProvenance<string>['loa'] {
  for (const value of [caller.loa, linkLoa]) {
    if (value === 'low' || value === 'substantial' || value === 'high') return value;
  }
  return 'substantial';
}

/**
 * Checks the register entry against the current login's asserted data and links the number.
 *
 * @throws NotFoundError when the token's person has no profile or was joined into another.
 * @throws ForbiddenError when the token names no login of the caller's person (sign in again).
 * @throws ConflictError when the person has another number, is suspended, or the number is in use.
 * @throws TooManyRequestsError when the person's attempts are spent; the message says when to retry.
 * @throws RuleViolationError when the register entry does not match (same error for every cause).
 */
export async function linkInsz(
  deps: LinkInszDeps,
  caller: Pick<Caller, 'personId' | 'username' | 'loa'>,
  input: LinkInszInput,
): Promise<LinkedInsz> {
  const { personId } = caller;
  const person = await deps.store.loadProfile(personId);
  if (!person || person.mergedInto !== undefined) throw personNotFound();
  if (person.insz !== null) return alreadyLinked(person.insz, personId, input.insz);
  if (person.suspensionCaseId !== undefined) throw new ConflictError(SUSPENDED_MESSAGE);
  const login = await currentLogin(deps.store, caller, person);

  const attempt = await deps.attempts.take(personId, deps.now());
  if (!attempt.allowed) {
    deps.logger.warn('national number check refused: attempts spent', { personId });
    throw new TooManyRequestsError(
      `You have tried too many times. You can try again after ${attempt.retryAt.toISOString()}.`,
    );
  }

  const entry = await deps.register.findPerson(input.insz);
  const asserted = login.asserted;
  if (!entry || !asserted || !samePerson(entry, input) || !samePerson(entry, asserted)) {
    deps.logger.info('national number check did not match the register and the login', {
      personId,
      provider: login.provider,
      assertedData: asserted !== undefined,
    });
    throw new RuleViolationError(NO_MATCH_MESSAGE, { code: 'register-mismatch' });
  }

  for (let round = 1; round <= MAX_LINK_ROUNDS; round++) {
    const at = deps.now().toISOString();
    const outcome = await deps.store.linkInsz(
      {
        personId,
        insz: input.insz,
        identityRef: login.ref,
        provider: login.provider,
        loa: loaOf(caller, login.loa),
        at,
      },
      deps.newId,
    );
    if (outcome === 'linked') {
      deps.logger.info('national number linked after a register match with the login', {
        personId,
        provider: login.provider,
      });
      return { personId, insz: input.insz, created: true };
    }
    if (outcome === 'contention') continue;
    if (outcome === 'identity-moved') throw personNotFound();
    // A concurrent request of this same person may have won: its result is ours.
    const after = await deps.store.loadProfile(personId);
    if (!after || after.mergedInto !== undefined) throw personNotFound();
    if (after.insz !== null) return alreadyLinked(after.insz, personId, input.insz);
    if (after.suspensionCaseId !== undefined) throw new ConflictError(SUSPENDED_MESSAGE);
    if (outcome !== 'insz-taken') continue;
    const holder = await deps.store.getInszLink(input.insz);
    // Released meanwhile: linking may succeed now.
    if (holder === undefined || holder.personId === personId) continue;
    await deps.store.recordJoinRefused(
      { callerPersonId: personId, holderPersonId: holder.personId, provider: login.provider, at },
      deps.newId,
    );
    deps.logger.warn('national number matched but is held by another person: join refused', {
      personId,
      provider: login.provider,
    });
    throw new ConflictError(IN_USE_MESSAGE, { code: 'insz-in-use' });
  }
  throw new Error(`linking a national number for person ${personId} did not settle`);
}

function alreadyLinked(current: string, personId: string, requested: string): LinkedInsz {
  if (current !== requested) throw new ConflictError(ALREADY_HAS_OTHER, { code: 'already-has-number' });
  return { personId, insz: current, created: false };
}
