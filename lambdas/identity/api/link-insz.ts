/**
 * Use case `POST /me/insz` ("I know my national number"): the person states their INSZ, names and
 * birth date; an exact match in the person register (names after normalisation) links the INSZ to
 * the person, so that the next login puts `insz` in the ID token and identities of the same person
 * can be joined by it.
 *
 * Guessing numbers is what this must resist:
 * - every refusal of the check (INSZ unknown to the register, or known with other data) is the same
 *   422 problem, so a caller learns nothing about which numbers exist;
 * - each check costs one of a small number of attempts per person and window
 *   ({@link AttemptLimiter}); the attempt is taken atomically BEFORE the register is read, so
 *   concurrent requests cannot overrun the limit, and the register is never read once it is spent;
 * - an INSZ already linked to another person is acted on only after a full register match, so the
 *   answer tells the caller nothing they did not already prove.
 *
 * Joining (issue 8: a person who later obtains eIDAS access keeps one person): when the number
 * belongs to another person P2 and the register matched, the caller's person P1 is joined into P2 —
 * P1's identity links are moved to P2 in one transaction and P1's profile is marked `mergedInto`, so
 * the next login or token refresh resolves to P2 (the login path is unchanged). Only a P1 without
 * INSZ, memberships or grants, whose profile records its identity links (`identityLinks`, written
 * since this feature), is joined; anything else stays a 409 that sends the person to the helpdesk.
 *
 * Order: the caller's own profile first (already linked → 200 idempotent, or 409 for a different
 * number, without spending an attempt), then the attempt, the register, and the linking transaction.
 */
import { ConflictError, NotFoundError, RuleViolationError, TooManyRequestsError } from '#shared/errors';
import { matchesRegister, type PersonRegister } from '../person-register.ts';
import type { LoggerPort } from '../resolve-person.ts';
import type { LinkInszInput } from './schemas.ts';

/** Result of {@link AttemptLimiter.take}. */
export type AttemptResult = { allowed: true } | { allowed: false; retryAt: Date };

/** Counts national-number checks per person in a fixed window. */
export interface AttemptLimiter {
  /** Takes one attempt for the person, unless the window's attempts are spent. Atomic. */
  take(personId: string, now: Date): Promise<AttemptResult>;
}

/** Outcome of {@link InszLinkStore.link}. */
export type LinkOutcome =
  /** Linked now. */
  | 'linked'
  /** The INSZ link marker exists (this person in a concurrent request, or another person). */
  | 'insz-taken'
  /** The profile has an INSZ already, or has no profile. */
  | 'profile-conflict'
  /** A concurrent transaction touched the same items: try again. */
  | 'contention';

/** What joining needs to know about the caller's person (one read of its partition). */
export interface CallerState {
  /** The profile's INSZ, `null` when none. */
  insz: string | null;
  /** The profile's `identityLinks` (`<provider>#<subject>`); empty for profiles older than joining. */
  identityLinks: string[];
  /** Whether the partition holds any membership or grant (valid or not). */
  holdsRights: boolean;
}

/** What {@link InszLinkStore.merge} moves. */
export interface MergeRequest {
  /** The caller's person, which ends marked `mergedInto`. */
  from: string;
  /** The person holding the INSZ. */
  into: string;
  insz: string;
  /** `from`'s identity links, each moved only if it still points to `from`. */
  identityLinks: string[];
}

/**
 * Outcome of {@link InszLinkStore.merge}: `merged`; `conflict` — a condition failed (a link moved,
 * the caller got an INSZ, the INSZ changed hands, a profile vanished or was joined meanwhile);
 * `contention` — a concurrent transaction touched the same items: try again.
 */
export type MergeOutcome = 'merged' | 'conflict' | 'contention';

/** The storage the use case needs. */
export interface InszLinkStore {
  /**
   * The person's profile INSZ: `null` when none, `undefined` when there is no profile or it was
   * joined into another person.
   */
  currentInsz(personId: string): Promise<string | null | undefined>;
  /** INSZ link marker + profile `insz`, all or nothing, each only if absent. */
  link(personId: string, insz: string, now: Date): Promise<LinkOutcome>;
  /** The person's partition as joining sees it; `undefined` when no profile, or joined already. */
  callerState(personId: string): Promise<CallerState | undefined>;
  /** The person the INSZ link marker points to, if any. */
  inszHolder(insz: string): Promise<string | undefined>;
  /** Moves the identity links and marks `from` joined into `into`: one transaction, all or nothing. */
  merge(request: MergeRequest, now: Date): Promise<MergeOutcome>;
}

/** Collaborators of {@link linkInsz}. */
export interface LinkInszDeps {
  store: InszLinkStore;
  register: PersonRegister;
  attempts: AttemptLimiter;
  now: () => Date;
  logger: LoggerPort;
}

/** The result of a successful link (first time or repeated). */
export interface LinkedInsz {
  personId: string;
  insz: string;
  /** False when the person already had this INSZ (idempotent repeat). */
  created: boolean;
  /** Set when the caller's person was joined into the person holding the INSZ (`personId`). */
  merged?: true;
}

/** The one refusal of a failed check: the same whatever failed (unknown number or other data). */
export const NO_MATCH_MESSAGE =
  'These details do not match the national register. Check your national number, names and date of birth.';

const ALREADY_LINKED_TO_OTHER =
  'This national number is already linked to another account. Please contact the helpdesk.';
const CANNOT_JOIN =
  'This national number is already linked to another account, and yours cannot be joined with it ' +
  'automatically. Please contact the helpdesk to have both accounts joined.';
const ALREADY_HAS_OTHER =
  'Your account is already linked to a different national number. Please contact the helpdesk.';

const MAX_LINK_ROUNDS = 3;

/**
 * Checks the stated data against the register and links the INSZ on an exact match, or joins the
 * caller's person into the person holding the INSZ (see the module comment).
 *
 * @throws ConflictError when the person already has another INSZ, or the INSZ belongs to another
 *   person and the caller's person cannot be joined (memberships, grants, no recorded identity links,
 *   or a concurrent change).
 * @throws TooManyRequestsError when the person's attempts are spent; the message says when to retry.
 * @throws RuleViolationError when the data do not match the register (same error for an unknown INSZ).
 * @throws NotFoundError when the token's person has no profile (as `GET /me` answers).
 * @throws Error when contention does not settle (rendered as 500).
 */
export async function linkInsz(
  deps: LinkInszDeps,
  personId: string,
  input: LinkInszInput,
): Promise<LinkedInsz> {
  const current = await deps.store.currentInsz(personId);
  if (current === undefined) throw personNotFound();
  if (current !== null) return alreadyLinked(current, personId, input.insz);

  const attempt = await deps.attempts.take(personId, deps.now());
  if (!attempt.allowed) {
    deps.logger.warn('national number check refused: attempts spent', { personId });
    throw new TooManyRequestsError(
      `You have tried too many times. You can try again after ${attempt.retryAt.toISOString()}.`,
    );
  }

  const entry = await deps.register.findPerson(input.insz);
  if (!entry || !matchesRegister(entry, input)) {
    deps.logger.info('national number check did not match the register', { personId });
    throw new RuleViolationError(NO_MATCH_MESSAGE, { code: 'register-mismatch' });
  }

  for (let round = 1; round <= MAX_LINK_ROUNDS; round++) {
    const outcome = await deps.store.link(personId, input.insz, deps.now());
    if (outcome === 'linked') {
      deps.logger.info('national number linked after a register match', { personId });
      return { personId, insz: input.insz, created: true };
    }
    if (outcome === 'contention') continue;
    // A concurrent request of this same person may have won: its result is ours.
    const after = await deps.store.callerState(personId);
    if (after === undefined) throw personNotFound();
    if (after.insz !== null) return alreadyLinked(after.insz, personId, input.insz);
    if (outcome !== 'insz-taken') continue;
    const holder = await deps.store.inszHolder(input.insz);
    // Released meanwhile (a holder's link undone): linking may succeed now.
    if (holder === undefined || holder === personId) continue;
    if (after.holdsRights || after.identityLinks.length === 0) {
      deps.logger.warn('national number check matched a number of another person; not joined', {
        personId,
        holdsRights: after.holdsRights,
        identityLinks: after.identityLinks.length,
      });
      throw new ConflictError(CANNOT_JOIN, { code: 'cannot-join' });
    }
    const merged = await deps.store.merge(
      { from: personId, into: holder, insz: input.insz, identityLinks: after.identityLinks },
      deps.now(),
    );
    if (merged === 'merged') {
      deps.logger.info('person joined into the person holding the checked national number', {
        personId,
        into: holder,
        identityLinks: after.identityLinks.length,
      });
      return { personId: holder, insz: input.insz, created: true, merged: true };
    }
    if (merged === 'conflict') {
      deps.logger.warn('joining persons refused: one of them changed meanwhile', { personId });
      throw new ConflictError(ALREADY_LINKED_TO_OTHER, { code: 'insz-linked-elsewhere' });
    }
  }
  throw new Error(`linking a national number for person ${personId} did not settle`);
}

function alreadyLinked(current: string, personId: string, requested: string): LinkedInsz {
  if (current !== requested) throw new ConflictError(ALREADY_HAS_OTHER, { code: 'already-has-number' });
  return { personId, insz: current, created: false };
}

/** The token names a person the table does not hold (erased, or a restored table): nothing to link. */
const personNotFound = (): NotFoundError =>
  new NotFoundError('Your person record was not found. Please sign in again.');
