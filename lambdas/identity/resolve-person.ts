/**
 * Use case: the person behind a login. Knows nothing of Cognito or DynamoDB; storage comes in as a
 * {@link PersonRepository}.
 *
 * Linking is proof, not knowledge (ARCHITECTURE.md section 2): a login joins an existing person only
 * through a national number its provider VERIFIED (itsme `eid`, a PID), and only when that number's
 * link rests on strong evidence. A number held through `register-match` (the weakest evidence) is
 * outranked: the verified identity takes it, the weak holder is suspended and a case is opened for
 * the security officers — one transaction, see {@link PersonRepository.displaceWeakHolder}.
 *
 * Round trips (docs/data-model.md): returning person 2 (links → partition), first login 2 (links →
 * create), first login through a second provider for a person known by INSZ 3 (links → link →
 * partition), a first login that displaces a weak holder 2 (links → one transaction). A returning
 * login whose IdP now asserts other data (LoA, names, Cognito username) records them: one more write,
 * only then. Races (a Cognito retry, two concurrent first logins) cost one more lookup and settle on
 * one person, because every link is a uniqueness marker written with `attribute_not_exists`.
 */
import { LoginRefusedError } from '#shared/errors';
import { type IdentityProvider, keys } from '#shared/keys';
import type { PendingMemberships } from '#shared/pending-memberships';
import { type InszEvidence, isStrongInszEvidence } from '#shared/person-activity';
import { type CapacityHint, decideCapacity } from './capacity.ts';
import { type PersonPartition, readPersonPartition } from './claims.ts';
import type { FederatedIdentity, LevelOfAssurance, NativeIdentity } from './federated-identity.ts';
import { newPersonProfile } from './person.ts';
import type {
  AssertedPerson,
  IdentityRef,
  LoginFacts,
  PersonRepository,
  StoredIdentityLink,
} from './person-repository.ts';

/** Structured logging, as much as the use case needs (the shared logger of `#shared/logger` fits). */
export interface LoggerPort {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Collaborators of {@link resolvePerson}. */
export interface ResolvePersonDeps {
  repository: PersonRepository;
  now: () => Date;
  /** Generates person ids, case ids, activity and notice ids, support references (ULIDs). */
  newId: () => string;
  logger: LoggerPort;
  /** Pause before retrying after contention. @default a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** How the login was resolved. */
export type ResolutionOutcome = 'returning' | 'created' | 'linked' | 'displaced';

/** The person behind a login and the partition items their token needs. */
export interface ResolvedPerson {
  personId: string;
  partition: PersonPartition;
  outcome: ResolutionOutcome;
}

/** Rounds of "look up, then write" before giving up on a contended login. */
const MAX_ROUNDS = 4;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The evidence a provider's verified national number carries; `undefined` for providers that verify none. */
export function verifiedInszEvidence(
  provider: string,
): Extract<InszEvidence, 'itsme-eid' | 'eudi-pid'> | undefined {
  if (provider === 'itsme') return 'itsme-eid';
  if (provider === 'eudi') return 'eudi-pid';
  return undefined;
}

/** What the IdP asserted in this login, as stored on its identity link. */
export function assertedPerson(identity: FederatedIdentity): AssertedPerson {
  const { givenNames, familyName, birthDate } = identity.profile;
  return { givenNames, familyName, birthDate };
}

/**
 * Resolves (provider, subject) to a person; creates the person on a first login; links a new
 * identity to the person holding the login's verified INSZ (strong evidence), or displaces a holder
 * whose link is weak.
 *
 * @param cognitoUsername the Cognito user of this authentication, recorded on the identity link so
 *   that a refresh can check it (see {@link resolveRefresh}).
 * @throws LoginRefusedError `identity-conflict` when the identity and the INSZ belong to different
 *   persons and the number's link is strong (support must look at it; the message carries a
 *   reference that is also logged).
 * @throws Error when storage is inconsistent or contention does not settle (shown generically).
 */
export async function resolvePerson(
  identity: FederatedIdentity,
  deps: ResolvePersonDeps,
  cognitoUsername: string,
): Promise<ResolvedPerson> {
  const { repository, logger } = deps;
  const ref = { provider: identity.provider, subject: identity.subject };
  const evidence = identity.insz ? verifiedInszEvidence(identity.provider) : undefined;
  // Only a number the provider verified may link anything; anything else is ignored here.
  const insz = evidence ? identity.insz : undefined;

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const login: LoginFacts = {
      identity: ref,
      loa: identity.loa,
      asserted: assertedPerson(identity),
      cognitoUsername,
      at: deps.now().toISOString(),
    };
    const links = await repository.findLinks(ref, insz);

    if (links.identity) {
      const personId = links.identity.personId;
      if (insz && evidence && links.insz && links.insz.personId !== personId) {
        if (isStrongInszEvidence(links.insz.evidence)) {
          throw identityConflict(deps, { provider: identity.provider, identityPersonId: personId });
        }
        const outcome = await repository.displaceWeakHolder(
          {
            insz,
            evidence,
            login,
            holder: { personId: links.insz.personId, evidence: links.insz.evidence },
            verified: { kind: 'existing', personId },
            caseId: deps.newId(),
          },
          deps.newId,
        );
        if (outcome === 'done') {
          logDisplacement(logger, identity.provider, personId, links.insz.personId);
          // The number is now this person's on verified evidence: what waited on it is theirs.
          if (links.pending) await claimPending(deps, personId, links.pending, login.at, true);
          return {
            personId,
            partition: await loadPartition(repository, personId, ref, links.identity.capacity),
            outcome: 'displaced',
          };
        }
        // This person holds another number already: a human must look at it. Not on the first round:
        // a BatchGetItem is not isolated from a concurrent transaction, so a racing first login of the
        // same owner may show its new identity link next to the INSZ link as it was; read once more.
        if (outcome === 'profile-conflict' && round > 1) {
          throw identityConflict(deps, { provider: identity.provider, identityPersonId: personId });
        }
      } else {
        let holdsNumber = links.insz?.personId === personId;
        if (insz && evidence && !links.insz) {
          const outcome = await repository.linkVerifiedInsz({ personId, insz, evidence, login }, deps.newId);
          if (outcome === 'done') {
            logger.info('verified national number linked', { personId });
            holdsNumber = true;
          } else if (outcome === 'profile-conflict') {
            logger.warn('the provider verified a national number other than the person holds', {
              provider: identity.provider,
              personId,
            });
          } else if (outcome !== 'person-missing') {
            await pause(deps, round);
            continue;
          }
        }
        if (loginChanged(links.identity, login)) await repository.recordLogin(personId, login);
        // A retried first login (or a later verified one) of the number's holder claims what waits.
        if (links.pending && evidence && holdsNumber) {
          await claimPending(deps, personId, links.pending, login.at, true);
        }
        return {
          personId,
          partition: await loadPartition(repository, personId, ref, links.identity.capacity),
          outcome: 'returning',
        };
      }
    } else if (insz && evidence && links.insz) {
      if (isStrongInszEvidence(links.insz.evidence)) {
        const holder = links.insz.personId;
        const outcome = await repository.linkIdentity({ personId: holder, login, evidence }, deps.newId);
        if (outcome === 'done') {
          logger.info('identity linked to the person holding its verified national number', {
            provider: identity.provider,
            personId: holder,
          });
          if (links.pending) await claimPending(deps, holder, links.pending, login.at, true);
          return {
            personId: holder,
            partition: await loadPartition(repository, holder, ref, undefined),
            outcome: 'linked',
          };
        }
        if (outcome === 'person-missing') {
          throw new Error(`INSZ link points to person ${holder} without a usable profile`);
        }
      } else {
        const profile = newPersonProfile(identity, deps.newId(), new Date(login.at));
        const outcome = await repository.displaceWeakHolder(
          {
            insz,
            evidence,
            login,
            holder: { personId: links.insz.personId, evidence: links.insz.evidence },
            verified: { kind: 'new', profile },
            caseId: deps.newId(),
          },
          deps.newId,
        );
        if (outcome === 'done') {
          logDisplacement(logger, identity.provider, profile.personId, links.insz.personId);
          if (links.pending) {
            await claimPending(deps, profile.personId, links.pending, login.at, false);
            return {
              personId: profile.personId,
              partition: await loadPartition(repository, profile.personId, ref, undefined),
              outcome: 'displaced',
            };
          }
          return { personId: profile.personId, partition: createdPartition(profile), outcome: 'displaced' };
        }
      }
    } else {
      const profile = newPersonProfile(
        withVerifiedInszOnly(identity, insz),
        deps.newId(),
        new Date(login.at),
      );
      const outcome = await repository.createPerson(
        { profile, login, ...(insz && evidence ? { inszEvidence: evidence } : {}) },
        deps.newId,
      );
      if (outcome === 'done') {
        logger.info('person created at first login', {
          provider: identity.provider,
          personId: profile.personId,
        });
        if (links.pending && insz && evidence) {
          // Appointed on this number before the person ever logged in (seed 001): the number is now
          // linked on verified evidence (itsme, PID), so the appointments become memberships.
          await claimPending(deps, profile.personId, links.pending, login.at, false);
          // A new person's only organisations are the claimed ones: with exactly one, it is the
          // capacity the default would pick, so the capacity reads take one round.
          const claimedOrgs = Object.keys(links.pending.organisations);
          return {
            personId: profile.personId,
            partition: await loadPartition(
              repository,
              profile.personId,
              ref,
              claimedOrgs.length === 1 ? claimedOrgs[0] : undefined,
            ),
            outcome: 'created',
          };
        }
        return { personId: profile.personId, partition: createdPartition(profile), outcome: 'created' };
      }
    }

    // Another attempt of this login, or a concurrent one, wrote first: look again.
    logger.info('login raced with another write, resolving again', { provider: identity.provider, round });
    await pause(deps, round);
  }
  throw new Error(`person resolution did not settle after ${MAX_ROUNDS} rounds`);
}

/** Shown when a native login has no identity link (the account was not completed or was removed). */
export const NATIVE_ACCOUNT_UNKNOWN_MESSAGE =
  'Your account is not active. Please contact the registration office where it was created.';

/** Shown when a session can no longer be refreshed; signing in again settles it. */
export const SIGN_IN_AGAIN_MESSAGE = 'Your session cannot be renewed. Please sign in again.';

/**
 * The person behind a native login: only the registration office creates native persons and links,
 * so a login never creates one. Round trips: 2 (link → partition), as for a returning federated login.
 *
 * @throws LoginRefusedError `unknown-provider` when no identity link exists for the username.
 */
export async function resolveNativePerson(
  identity: NativeIdentity,
  deps: Pick<ResolvePersonDeps, 'repository'>,
): Promise<ResolvedPerson> {
  const links = await deps.repository.findLinks({ provider: 'native', subject: identity.subject });
  if (!links.identity) {
    throw new LoginRefusedError('unknown-provider', NATIVE_ACCOUNT_UNKNOWN_MESSAGE);
  }
  const personId = links.identity.personId;
  const ref = { provider: 'native' as const, subject: identity.subject };
  return {
    personId,
    partition: await loadPartition(deps.repository, personId, ref, links.identity.capacity),
    outcome: 'returning',
  };
}

/** The identity a refresh names, from what the user cannot write (username, Cognito's `identities`). */
export interface RefreshIdentity {
  provider: IdentityProvider;
  subject: string;
  /** Default LoA for links written before links recorded one. */
  defaultLoa: LevelOfAssurance;
  /**
   * True when the subject came from a user attribute (eIDAS: the PersonIdentifier is not in the
   * username) and must be confirmed by the Cognito username recorded on the link at authentication.
   */
  confirmUsername: boolean;
}

/**
 * A token refresh (`TokenGeneration_RefreshTokens`): takes NO identity decision from the user's
 * attributes — no linking, no creation, no refusal by policy, no LoA. The person is whoever the
 * identity link points to now (a join moves links), the LoA is the one recorded at the latest
 * authentication. 2 round trips, as a returning login.
 *
 * @throws LoginRefusedError `session-expired` when the identity has no link, or when a subject read
 *   from an attribute does not belong to the Cognito user that authenticated it.
 */
export async function resolveRefresh(
  identity: RefreshIdentity,
  cognitoUsername: string,
  deps: Pick<ResolvePersonDeps, 'repository' | 'logger'>,
): Promise<ResolvedPerson & { loa: LevelOfAssurance }> {
  const links = await deps.repository.findLinks({ provider: identity.provider, subject: identity.subject });
  const link = links.identity;
  if (!link || (identity.confirmUsername && !sameUsername(link.cognitoUsername, cognitoUsername))) {
    deps.logger.warn('refresh refused: the identity link does not confirm this user', {
      provider: identity.provider,
      linked: link !== undefined,
    });
    throw new LoginRefusedError('session-expired', SIGN_IN_AGAIN_MESSAGE);
  }
  const personId = link.personId;
  return {
    personId,
    partition: await loadPartition(
      deps.repository,
      personId,
      { provider: identity.provider, subject: identity.subject },
      link.capacity,
    ),
    outcome: 'returning',
    loa: parseLoa(link.loa) ?? identity.defaultLoa,
  };
}

/** The identity with its national number only when the provider verified it. */
function withVerifiedInszOnly(identity: FederatedIdentity, insz: string | undefined): FederatedIdentity {
  if (insz === identity.insz) return identity;
  const { insz: _unverified, ...rest } = identity;
  return rest;
}

function sameUsername(recorded: string | undefined, current: string): boolean {
  return recorded !== undefined && recorded.toLowerCase() === current.toLowerCase();
}

function parseLoa(value: string | undefined): LevelOfAssurance | undefined {
  return value === 'low' || value === 'substantial' || value === 'high' ? value : undefined;
}

/** True when this authentication asserts something the identity link does not record yet. */
function loginChanged(link: StoredIdentityLink, login: LoginFacts): boolean {
  if (link.loa !== login.loa || link.cognitoUsername !== login.cognitoUsername) return true;
  const before = link.asserted;
  const now = login.asserted;
  if (!now) return false;
  return (
    before?.givenNames !== now.givenNames ||
    before.familyName !== now.familyName ||
    before.birthDate !== now.birthDate
  );
}

function createdPartition(profile: { personId: string; insz?: string }): PersonPartition {
  // The partition is exactly what was just written: no read needed (and a private capacity).
  return {
    profile: { personId: profile.personId, ...(profile.insz ? { insz: profile.insz } : {}) },
    grants: [],
  };
}

/**
 * What the token needs, read for one capacity (capacity.ts): the profile, the first two memberships
 * and the hinted organisation's membership and grants in one round trip; one more only when the hint
 * is stale, and then the hint is corrected so that the next login needs two again.
 */
/**
 * Turns the pending memberships of the login's verified number into memberships (I12). Only runs
 * when the first BatchGetItem found a marker: every other login keeps its 2 round trips; this one
 * costs 2 more (the claim, then the capacity reads with the new memberships for the token).
 */
async function claimPending(
  deps: ResolvePersonDeps,
  personId: string,
  pending: PendingMemberships,
  at: string,
  existingPerson: boolean,
): Promise<void> {
  const claimed = await deps.repository.claimPendingMemberships(
    personId,
    pending,
    at,
    deps.newId,
    existingPerson,
  );
  deps.logger.info(claimed ? 'pending memberships claimed' : 'pending memberships claimed elsewhere', {
    personId,
    organisations: Object.keys(pending.organisations).length,
  });
}

async function loadPartition(
  repository: PersonRepository,
  personId: string,
  identity: IdentityRef,
  hint: CapacityHint,
): Promise<PersonPartition> {
  const hinted = typeof hint === 'string' ? [hint] : [];
  const first = await repository.readCapacity(personId, hinted, true);
  const items = [...first.items];
  const profile = readPersonPartition(items).profile;
  if (!profile) throw new Error(`identity link points to person ${personId} without a profile`);
  const isMember = (orgCode: string) => {
    const { SK } = keys.membership(personId, orgCode);
    return items.some((item) => item.SK === SK);
  };
  const read = new Map(hinted.map((orgCode) => [orgCode, { member: isMember(orgCode) }]));
  const reads = () => ({ choice: profile.capacityChoice, firstMemberships: first.firstMemberships, read });
  let decision = decideCapacity(reads());
  if ('read' in decision) {
    const more = await repository.readCapacity(personId, decision.read, false);
    items.push(...more.items);
    for (const orgCode of decision.read) read.set(orgCode, { member: isMember(orgCode) });
    decision = decideCapacity(reads());
  }
  const capacity = 'capacity' in decision ? decision.capacity : null;
  if (capacity !== hint) await repository.recordCapacityHint(identity, personId, capacity);
  return readPersonPartition(items, capacity);
}

async function pause(deps: ResolvePersonDeps, round: number): Promise<void> {
  if (round > 1) await (deps.sleep ?? defaultSleep)(10 + Math.floor(Math.random() * 40) * round);
}

function logDisplacement(
  logger: LoggerPort,
  provider: string,
  verifiedPersonId: string,
  suspendedPersonId: string,
) {
  logger.warn('a verified login displaced a weak national-number link; the holder is suspended', {
    provider,
    personId: verifiedPersonId,
    suspendedPersonId,
  });
}

function identityConflict(
  deps: ResolvePersonDeps,
  details: { provider: string; identityPersonId: string },
): LoginRefusedError {
  const reference = deps.newId();
  deps.logger.warn('login refused: identity and national number belong to different persons', {
    ...details,
    reference,
  });
  return new LoginRefusedError(
    'identity-conflict',
    'Your login matches two different person records, so we cannot let you in. Please contact the ' +
      `helpdesk and mention reference ${reference}.`,
  );
}
