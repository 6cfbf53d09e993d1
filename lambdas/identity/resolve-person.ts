/**
 * Use case: the person behind a login. Knows nothing of Cognito or DynamoDB; storage comes in as a
 * {@link PersonRepository}.
 *
 * Round trips (docs/data-model.md): returning person 2 (links → partition), first login 2 (links →
 * create), first login through a second provider for a person known by INSZ 3 (links → link →
 * partition). Races (a Cognito retry, two concurrent first logins) cost one more lookup and settle on
 * one person, because every link is a uniqueness marker written with `attribute_not_exists`.
 */
import { LoginRefusedError } from '#shared/errors';
import { type PersonPartition, readPersonPartition } from './claims.ts';
import type { FederatedIdentity, NativeIdentity } from './federated-identity.ts';
import { newPersonProfile } from './person.ts';
import type { PersonRepository } from './person-repository.ts';

/** Structured logging, as much as the use case needs (Powertools' Logger fits). */
export interface LoggerPort {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Collaborators of {@link resolvePerson}. */
export interface ResolvePersonDeps {
  repository: PersonRepository;
  now: () => Date;
  /** Generates person ids and support references (ULIDs). */
  newId: () => string;
  logger: LoggerPort;
  /** Pause before retrying after contention. @default a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** How the login was resolved. */
export type ResolutionOutcome = 'returning' | 'created' | 'linked';

/** The person behind a login and the partition items their token needs. */
export interface ResolvedPerson {
  personId: string;
  partition: PersonPartition;
  outcome: ResolutionOutcome;
}

/** Rounds of "look up, then write" before giving up on a contended login. */
const MAX_ROUNDS = 4;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves (provider, subject) to a person; creates the person on a first login; links a new
 * identity to the person holding the login's verified INSZ.
 *
 * @throws LoginRefusedError `identity-conflict` when the identity and the INSZ belong to different
 *   persons (support must merge them; the message carries a reference that is also logged).
 * @throws Error when storage is inconsistent or contention does not settle (shown generically).
 */
export async function resolvePerson(
  identity: FederatedIdentity,
  deps: ResolvePersonDeps,
): Promise<ResolvedPerson> {
  const { repository, logger } = deps;
  const ref = { provider: identity.provider, subject: identity.subject };

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const links = await repository.findLinks(ref, identity.insz);

    if (links.identityPersonId) {
      if (links.inszPersonId && links.inszPersonId !== links.identityPersonId) {
        throw identityConflict(deps, {
          provider: identity.provider,
          identityPersonId: links.identityPersonId,
          inszPersonId: links.inszPersonId,
        });
      }
      return {
        personId: links.identityPersonId,
        partition: await loadPartition(repository, links.identityPersonId),
        outcome: 'returning',
      };
    }

    if (links.inszPersonId) {
      const outcome = await repository.linkIdentity(links.inszPersonId, ref, deps.now());
      if (outcome === 'done') {
        logger.info('identity linked to the person holding its national number', {
          provider: identity.provider,
          personId: links.inszPersonId,
        });
        return {
          personId: links.inszPersonId,
          partition: await loadPartition(repository, links.inszPersonId),
          outcome: 'linked',
        };
      }
      if (outcome === 'person-missing') {
        throw new Error(`INSZ link points to person ${links.inszPersonId} without a profile`);
      }
    } else {
      const profile = newPersonProfile(identity, deps.newId(), deps.now());
      const outcome = await repository.createPerson(profile, ref);
      if (outcome === 'done') {
        logger.info('person created at first login', {
          provider: identity.provider,
          personId: profile.personId,
        });
        return {
          personId: profile.personId,
          // The partition is exactly what was just written: no read needed.
          partition: {
            profile: { personId: profile.personId, ...(profile.insz ? { insz: profile.insz } : {}) },
            memberships: [],
            grants: [],
          },
          outcome: 'created',
        };
      }
    }

    // Another attempt of this login, or a concurrent one, wrote first: look again.
    logger.info('login raced with another write, resolving again', { provider: identity.provider, round });
    if (round > 1) await (deps.sleep ?? defaultSleep)(10 + Math.floor(Math.random() * 40) * round);
  }
  throw new Error(`person resolution did not settle after ${MAX_ROUNDS} rounds`);
}

/** Shown when a native login has no identity link (the account was not completed or was removed). */
export const NATIVE_ACCOUNT_UNKNOWN_MESSAGE =
  'Your account is not active. Please contact the registration office where it was created.';

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
  if (!links.identityPersonId) {
    throw new LoginRefusedError('unknown-provider', NATIVE_ACCOUNT_UNKNOWN_MESSAGE);
  }
  return {
    personId: links.identityPersonId,
    partition: await loadPartition(deps.repository, links.identityPersonId),
    outcome: 'returning',
  };
}

async function loadPartition(repository: PersonRepository, personId: string): Promise<PersonPartition> {
  const partition = readPersonPartition(await repository.loadPersonItems(personId));
  if (!partition.profile) throw new Error(`identity link points to person ${personId} without a profile`);
  return partition;
}

function identityConflict(
  deps: ResolvePersonDeps,
  details: { provider: string; identityPersonId: string; inszPersonId: string },
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
