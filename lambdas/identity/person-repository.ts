/**
 * Persistence of persons and their identity links: the port person resolution depends on, and its
 * DynamoDB implementation (access patterns I1–I5 and I10–I12 of docs/data-model.md). SDK exceptions
 * stop here: transaction cancellations become {@link WriteOutcome}s the use case can act on, mapped
 * by the NAME of the item whose condition failed, never by its position.
 *
 * Every write that links a national number or an identity records its evidence, when and at what
 * level of assurance, and appends the person's activity entry and notice in the same transaction
 * (lambdas/shared/person-activity.ts), so no link exists without its record and its mail.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AssertedNames, type IdentityLink, readIdentityLink } from '#shared/items/identity-link';
import { type InszLink, readInszLink } from '#shared/items/insz-link';
import { membershipOrgCode } from '#shared/items/person';
import {
  type IdentityProvider,
  identityKeys,
  inszKeyHash,
  keys,
  MEMBERSHIP_SK_PREFIX,
  pendingMembershipKeys,
} from '#shared/keys';
import {
  claimPendingMemberships,
  type PendingMemberships,
  readExistingMemberships,
  toPendingMemberships,
} from '#shared/pending-memberships';
import {
  type IdentityEvidence,
  type InszEvidence,
  type LinkProvenance,
  recordActivity,
} from '#shared/person-activity';
import type { Capacity } from './capacity.ts';
import type { PersonProfile } from './person.ts';

/** A login's (provider, subject). */
export interface IdentityRef {
  provider: IdentityProvider;
  subject: string;
}

/** What the IdP asserted about the person at the latest authentication with an identity. */
export type AssertedPerson = AssertedNames;

/** An identity link as a login reads it (I1). */
export type StoredIdentityLink = IdentityLink;

/** A national-number link as a login reads it (I2). */
export type StoredInszLink = InszLink;

/** The links a login's identity and verified INSZ point to (each absent when not linked yet). */
export interface LoginLinks {
  identity?: StoredIdentityLink;
  insz?: StoredInszLink;
  /** Memberships appointed on the login's verified number before anyone held it (issue 14). */
  pending?: PendingMemberships;
}

const PROVIDERS: readonly IdentityProvider[] = ['eidas', 'itsme', 'native', 'eudi'];

/**
 * The `<provider>#<subject>` entry of the profile's `identityLinks` string set: which identity links
 * point to the person, so that the person's identities can be found and moved without knowing the
 * login's subject.
 */
export function identityLinkRef(identity: IdentityRef): string {
  return `${identity.provider}#${identity.subject}`;
}

/** The inverse of {@link identityLinkRef}; `undefined` for anything else. */
export function parseIdentityLinkRef(ref: string): IdentityRef | undefined {
  const separator = ref.indexOf('#');
  const provider = PROVIDERS.find((candidate) => candidate === ref.slice(0, separator));
  const subject = ref.slice(separator + 1);
  return separator > 0 && provider && subject !== '' ? { provider, subject } : undefined;
}

/**
 * Result of a conditional write:
 * - `done` — written;
 * - `identity-taken` — the identity link exists already (a Cognito retry or a concurrent first login);
 * - `insz-taken` — another person holds the INSZ, or the INSZ link changed since it was read;
 * - `person-missing` — the person to link to has no profile (data needs repair);
 * - `profile-conflict` — the person to give the number to holds a national number already;
 * - `contention` — a concurrent transaction touched the same items, or a generated id collided: retry.
 */
export type WriteOutcome =
  | 'done'
  | 'identity-taken'
  | 'insz-taken'
  | 'person-missing'
  | 'profile-conflict'
  | 'contention';

/** What a login proves at authentication: the identity, its LoA and what the IdP asserted. */
export interface LoginFacts {
  identity: IdentityRef;
  loa: LinkProvenance<string>['loa'];
  asserted?: AssertedPerson;
  cognitoUsername: string;
  /** ISO timestamp of this login. */
  at: string;
}

/** I4: a person created by a first login (with the INSZ the login verified, if any). */
export interface NewPerson {
  profile: PersonProfile;
  login: LoginFacts;
  /** Evidence of the profile's INSZ (required when the profile has one). */
  inszEvidence?: InszEvidence;
}

/** I5: a new identity linked to the person holding the INSZ its login verified (strong evidence). */
export interface IdentityToHolder {
  personId: string;
  login: LoginFacts;
  evidence: IdentityEvidence;
}

/** I10: a verified INSZ given to a person who has none yet. */
export interface VerifiedInsz {
  personId: string;
  insz: string;
  evidence: InszEvidence;
  login: LoginFacts;
}

/**
 * I11: a verified login meets an INSZ held by another person through weak evidence. The verified
 * identity gets the number (a new person, or its own person without one); the weak holder is
 * suspended and a case opened for the security officers.
 */
export interface Displacement {
  insz: string;
  evidence: InszEvidence;
  login: LoginFacts;
  /** The person who held the number through weak evidence. */
  holder: { personId: string; evidence: string | undefined };
  /** The verified identity's person: created now, or existing without a national number. */
  verified: { kind: 'new'; profile: PersonProfile } | { kind: 'existing'; personId: string };
  caseId: string;
}

/** What {@link PersonRepository.readCapacity} read. */
export interface CapacityItems {
  /** The profile (when asked), the memberships and the grants of the organisations asked for. */
  items: Record<string, unknown>[];
  /** The first two memberships' organisation codes (when the profile was asked for). */
  firstMemberships: string[];
}

/** What person resolution needs from storage. */
export interface PersonRepository {
  /** I1 + I2 in one round trip. */
  findLinks(identity: IdentityRef, insz?: string): Promise<LoginLinks>;
  /**
   * I19: the pending memberships become real (lambdas/shared/pending-memberships.ts): one
   * transaction, only when a marker was found. `existingPerson`: the person existed before this login,
   * so their memberships of those organisations are read first (one BatchGetItem) and an existing one
   * is made administrator instead of created.
   * @returns false when the marker changed or is gone (another attempt claimed it)
   */
  claimPendingMemberships(
    personId: string,
    pending: PendingMemberships,
    at: string,
    newId: () => string,
    existingPerson: boolean,
  ): Promise<boolean>;
  /**
   * I3: what a token needs, in one round trip whatever the number of organisations (requests sent
   * together): the profile and the first two memberships when `withProfile`, and for each of
   * `orgCodes` (at most two) its membership and its grants.
   */
  readCapacity(personId: string, orgCodes: readonly string[], withProfile: boolean): Promise<CapacityItems>;
  /** I3b: the capacity hint of an identity link (see capacity.ts), if the link still points to the person. */
  recordCapacityHint(identity: IdentityRef, personId: string, capacity: Capacity): Promise<void>;
  /** I4: profile + identity link (+ INSZ link), activity and notice; all or nothing. */
  createPerson(person: NewPerson, newId: () => string): Promise<WriteOutcome>;
  /** I5: identity link to the holder + profile providers, activity and notice. */
  linkIdentity(link: IdentityToHolder, newId: () => string): Promise<WriteOutcome>;
  /** I10: INSZ link + profile `insz`, activity and notice. */
  linkVerifiedInsz(link: VerifiedInsz, newId: () => string): Promise<WriteOutcome>;
  /** I11: one transaction; see {@link Displacement}. */
  displaceWeakHolder(displacement: Displacement, newId: () => string): Promise<WriteOutcome>;
  /** I12: the identity link's LoA, asserted data and Cognito username of this authentication. */
  recordLogin(personId: string, login: LoginFacts): Promise<void>;
}

/** Options of {@link createDynamoPersonRepository}. */
export interface DynamoPersonRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  /** @default 4 — BatchGetItem attempts while DynamoDB returns UnprocessedKeys (throttling). */
  maxBatchAttempts?: number;
}

const NOT_EXISTS = 'attribute_not_exists(PK)';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** A transaction element with the name its failed condition maps to. */
interface NamedItem {
  /** The outcome when THIS item's condition fails; `undefined` for items that cannot fail. */
  onConditionFailed?: WriteOutcome;
  item: TransactItem;
}

/** The DynamoDB implementation of {@link PersonRepository}. */
export function createDynamoPersonRepository(options: DynamoPersonRepositoryOptions): PersonRepository {
  const { tableName: TableName, documentClient } = options;
  const maxBatchAttempts = options.maxBatchAttempts ?? 4;

  const identityLinkItem = (
    personId: string,
    login: LoginFacts,
    evidence: IdentityEvidence,
  ): Record<string, unknown> => ({
    ...keys.identityLink(login.identity.provider, login.identity.subject),
    type: 'identityLink',
    personId,
    provider: login.identity.provider,
    evidence,
    linkedAt: login.at,
    loa: login.loa,
    ...(login.asserted ? { asserted: login.asserted } : {}),
    cognitoUsername: login.cognitoUsername,
    createdAt: login.at,
  });

  const inszLinkItem = (personId: string, insz: string, evidence: InszEvidence, login: LoginFacts) => ({
    ...keys.inszLink(insz),
    type: 'inszLink',
    personId,
    evidence,
    linkedAt: login.at,
    loa: login.loa,
    createdAt: login.at,
  });

  const profileItem = (profile: PersonProfile, login: LoginFacts, inszEvidence?: InszEvidence) => ({
    ...keys.person(profile.personId),
    ...identityKeys.bornOn(profile.birthDate, 'PERSON', profile.personId),
    ...profile,
    ...(profile.insz && inszEvidence ? { inszEvidence, inszLinkedAt: login.at } : {}),
    providers: new Set(profile.providers),
    identityLinks: new Set([identityLinkRef(login.identity)]),
  });

  const run = async (items: NamedItem[]): Promise<WriteOutcome> => {
    try {
      await documentClient.send(
        new TransactWriteCommand({ TransactItems: items.map((named) => named.item) }),
      );
      return 'done';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      const failed = items.find(
        (named, index) => reasons[index] === 'ConditionalCheckFailed' && named.onConditionFailed,
      );
      if (failed?.onConditionFailed) return failed.onConditionFailed;
      if (reasons.includes('TransactionConflict') || reasons.includes('ConditionalCheckFailed')) {
        return 'contention';
      }
      throw error;
    }
  };

  const activity = (...args: Parameters<typeof recordActivity>): NamedItem[] =>
    recordActivity(...args).map((item) => ({ item }));

  /** Consistent BatchGetItem, retrying unprocessed keys (throttling). */
  const batchGet = async (Keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
    let pending = Keys;
    const found: Record<string, unknown>[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxBatchAttempts) throw new Error('person items stayed unprocessed (throttled)');
      if (attempt > 1) await delay(25 * 2 ** attempt);
      const output = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(output.Responses?.[TableName] ?? []));
      pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
    }
    return found;
  };

  return {
    async findLinks(identity, insz) {
      const identityKey = keys.identityLink(identity.provider, identity.subject);
      const inszKey = insz ? keys.inszLink(insz) : undefined;
      const markerKey = insz ? pendingMembershipKeys.marker(inszKeyHash(insz)) : undefined;
      let pending: Record<string, unknown>[] =
        inszKey && markerKey ? [{ ...identityKey }, { ...inszKey }, { ...markerKey }] : [{ ...identityKey }];
      const found: Record<string, unknown>[] = [];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > maxBatchAttempts) throw new Error('identity links stayed unprocessed (throttled)');
        if (attempt > 1) await delay(25 * 2 ** attempt);
        const output = await documentClient.send(
          new BatchGetCommand({
            RequestItems: {
              // Consistent: a retried first login must see the link its first attempt wrote.
              [TableName]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression:
                  'PK, personId, evidence, loa, asserted, cognitoUsername, #capacity, organisations, #version',
                ExpressionAttributeNames: { '#capacity': 'capacity', '#version': 'version' },
              },
            },
          }),
        );
        found.push(...(output.Responses?.[TableName] ?? []));
        pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      const at = (pk: string | undefined) => found.find((item) => item.PK === pk);
      const links: LoginLinks = {};
      const identityLink = readIdentityLink(at(identityKey.PK));
      if (identityLink) links.identity = identityLink;
      const inszLink = readInszLink(at(inszKey?.PK));
      if (inszLink) links.insz = inszLink;
      const marker = at(markerKey?.PK);
      const pendingMemberships = insz ? toPendingMemberships(marker, inszKeyHash(insz)) : undefined;
      if (pendingMemberships) links.pending = pendingMemberships;
      return links;
    },

    async claimPendingMemberships(personId, pending, at, newId, existingPerson) {
      const existing = existingPerson
        ? await readExistingMemberships(documentClient, TableName, personId, pending)
        : new Map();
      return claimPendingMemberships(documentClient, TableName, personId, pending, existing, at, newId);
    },

    async readCapacity(personId, orgCodes, withProfile) {
      const pk = keys.personPartition(personId);
      const keysToGet: Record<string, unknown>[] = [
        ...(withProfile ? [{ ...keys.person(personId) }] : []),
        ...orgCodes.map((orgCode) => {
          const { PK, SK } = keys.membership(personId, orgCode);
          return { PK, SK };
        }),
      ];
      const query = async (prefix: string, limit?: number) => {
        const items: Record<string, unknown>[] = [];
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const output = await documentClient.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
              ConsistentRead: true,
              ...(limit ? { Limit: limit, ProjectionExpression: 'SK, orgCode' } : {}),
              ExclusiveStartKey,
            }),
          );
          items.push(...(output.Items ?? []));
          ExclusiveStartKey = limit ? undefined : output.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        return items;
      };
      // Sent together: one round trip of latency, a bounded number of items.
      const [got, firstMemberships, ...grants] = await Promise.all([
        keysToGet.length > 0 ? batchGet(keysToGet) : Promise.resolve([]),
        withProfile ? query(MEMBERSHIP_SK_PREFIX, 2) : Promise.resolve([]),
        ...orgCodes.map((orgCode) => query(keys.grantsOf(orgCode))),
      ]);
      return {
        items: [...got, ...grants.flat()],
        firstMemberships: firstMemberships.flatMap((item) => {
          const orgCode = membershipOrgCode(item);
          return orgCode ? [orgCode] : [];
        }),
      };
    },

    async recordCapacityHint(identity, personId, capacity) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: keys.identityLink(identity.provider, identity.subject),
            UpdateExpression: 'SET #capacity = :capacity',
            ExpressionAttributeNames: { '#capacity': 'capacity' },
            ConditionExpression: 'attribute_exists(PK) AND personId = :personId',
            ExpressionAttributeValues: { ':capacity': capacity, ':personId': personId },
          }),
        );
      } catch (error) {
        // The link moved to another person meanwhile (a join): its next login sets the hint there.
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
        throw error;
      }
    },

    async createPerson({ profile, login, inszEvidence }, newId) {
      const items: NamedItem[] = [
        {
          onConditionFailed: 'identity-taken',
          item: {
            Put: {
              TableName,
              // A new person has no organisation: their tokens are private until a membership exists.
              Item: { ...identityLinkItem(profile.personId, login, 'first-login'), capacity: null },
              ConditionExpression: NOT_EXISTS,
            },
          },
        },
        {
          onConditionFailed: 'contention',
          item: {
            Put: {
              TableName,
              Item: profileItem(profile, login, inszEvidence),
              ConditionExpression: NOT_EXISTS,
            },
          },
        },
      ];
      if (profile.insz) {
        if (!inszEvidence) throw new Error('a national number needs its evidence');
        items.push(
          {
            onConditionFailed: 'insz-taken',
            item: {
              Put: {
                TableName,
                Item: inszLinkItem(profile.personId, profile.insz, inszEvidence, login),
                ConditionExpression: NOT_EXISTS,
              },
            },
          },
          ...activity(
            TableName,
            {
              personId: profile.personId,
              at: login.at,
              event: 'insz-linked',
              actor: 'self',
              provider: login.identity.provider,
              evidence: inszEvidence,
            },
            newId,
          ),
        );
      }
      return run(items);
    },

    async linkIdentity({ personId, login, evidence }, newId) {
      return run([
        {
          onConditionFailed: 'identity-taken',
          item: {
            Put: {
              TableName,
              Item: identityLinkItem(personId, login, evidence),
              ConditionExpression: NOT_EXISTS,
            },
          },
        },
        {
          onConditionFailed: 'person-missing',
          item: {
            Update: {
              TableName,
              Key: keys.person(personId),
              // String sets: adding a provider the person already has (a re-created itsme account) is a no-op.
              UpdateExpression: 'ADD providers :provider, identityLinks :link SET updatedAt = :now',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mergedInto)',
              ExpressionAttributeValues: {
                ':provider': new Set([login.identity.provider]),
                ':link': new Set([identityLinkRef(login.identity)]),
                ':now': login.at,
              },
            },
          },
        },
        ...activity(
          TableName,
          {
            personId,
            at: login.at,
            event: 'identity-linked',
            actor: 'self',
            provider: login.identity.provider,
            evidence,
          },
          newId,
        ),
      ]);
    },

    async linkVerifiedInsz({ personId, insz, evidence, login }, newId) {
      return run([
        {
          onConditionFailed: 'insz-taken',
          item: {
            Put: {
              TableName,
              Item: inszLinkItem(personId, insz, evidence, login),
              ConditionExpression: NOT_EXISTS,
            },
          },
        },
        {
          onConditionFailed: 'profile-conflict',
          item: giveInsz(TableName, personId, insz, evidence, login.at),
        },
        ...activity(
          TableName,
          {
            personId,
            at: login.at,
            event: 'insz-linked',
            actor: 'self',
            provider: login.identity.provider,
            evidence,
          },
          newId,
        ),
      ]);
    },

    async displaceWeakHolder(displacement, newId) {
      const { insz, evidence, login, holder, verified, caseId } = displacement;
      const verifiedPersonId = verified.kind === 'new' ? verified.profile.personId : verified.personId;
      const items: NamedItem[] =
        verified.kind === 'new'
          ? [
              {
                onConditionFailed: 'identity-taken',
                item: {
                  Put: {
                    TableName,
                    Item: { ...identityLinkItem(verifiedPersonId, login, 'first-login'), capacity: null },
                    ConditionExpression: NOT_EXISTS,
                  },
                },
              },
              {
                onConditionFailed: 'contention',
                item: {
                  Put: {
                    TableName,
                    Item: profileItem(verified.profile, login, evidence),
                    ConditionExpression: NOT_EXISTS,
                  },
                },
              },
            ]
          : [
              {
                onConditionFailed: 'profile-conflict',
                item: giveInsz(TableName, verifiedPersonId, insz, evidence, login.at),
              },
            ];
      items.push(
        {
          // The link must still be the weak one that was read: a concurrent change means resolve again.
          onConditionFailed: 'insz-taken',
          item: {
            Update: {
              TableName,
              Key: keys.inszLink(insz),
              UpdateExpression:
                'SET personId = :verified, evidence = :evidence, linkedAt = :at, loa = :loa, displaced = :displaced',
              ConditionExpression:
                'personId = :holder AND (attribute_not_exists(evidence) OR evidence = :weak)',
              ExpressionAttributeValues: {
                ':verified': verifiedPersonId,
                ':evidence': evidence,
                ':at': login.at,
                ':loa': login.loa,
                ':holder': holder.personId,
                ':weak': 'register-match',
                ':displaced': {
                  personId: holder.personId,
                  ...(holder.evidence ? { evidence: holder.evidence } : {}),
                  at: login.at,
                  caseId,
                },
              },
            },
          },
        },
        {
          onConditionFailed: 'insz-taken',
          item: {
            Update: {
              TableName,
              Key: keys.person(holder.personId),
              UpdateExpression:
                'REMOVE insz, inszEvidence, inszLinkedAt SET suspension = :suspension, updatedAt = :at',
              ConditionExpression: 'attribute_exists(PK) AND insz = :insz',
              ExpressionAttributeValues: {
                ':insz': insz,
                ':at': login.at,
                ':suspension': { reason: 'verified-identity-conflict', caseId, at: login.at },
              },
            },
          },
        },
        {
          onConditionFailed: 'contention',
          item: {
            Put: {
              TableName,
              Item: {
                ...identityKeys.supportCase(caseId),
                ...identityKeys.supportCaseQueue('OPEN', login.at, caseId),
                type: 'identityCase',
                caseId,
                kind: 'verified-identity-conflict',
                status: 'OPEN',
                insz,
                suspendedPersonId: holder.personId,
                ...(holder.evidence ? { suspendedEvidence: holder.evidence } : {}),
                verifiedPersonId,
                provider: login.identity.provider,
                createdAt: login.at,
              },
              ConditionExpression: NOT_EXISTS,
            },
          },
        },
        ...activity(
          TableName,
          {
            personId: holder.personId,
            at: login.at,
            event: 'insz-suspended',
            actor: 'system',
            provider: login.identity.provider,
            reference: caseId,
          },
          newId,
        ),
        ...activity(
          TableName,
          {
            personId: verifiedPersonId,
            at: login.at,
            event: 'insz-linked',
            actor: 'self',
            provider: login.identity.provider,
            evidence,
            reference: caseId,
          },
          newId,
        ),
      );
      return run(items);
    },

    async recordLogin(personId, login) {
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: keys.identityLink(login.identity.provider, login.identity.subject),
            UpdateExpression: `SET loa = :loa, cognitoUsername = :username${login.asserted ? ', asserted = :asserted' : ''}`,
            ConditionExpression: 'attribute_exists(PK) AND personId = :personId',
            ExpressionAttributeValues: {
              ':loa': login.loa,
              ':username': login.cognitoUsername,
              ':personId': personId,
              ...(login.asserted ? { ':asserted': login.asserted } : {}),
            },
          }),
        );
      } catch (error) {
        // The link moved to another person meanwhile (a join): the next login records it there.
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
        throw error;
      }
    },
  };
}

/** The profile update that gives a person a national number it does not have yet. */
function giveInsz(
  TableName: string,
  personId: string,
  insz: string,
  evidence: InszEvidence,
  at: string,
): TransactItem {
  return {
    Update: {
      TableName,
      Key: keys.person(personId),
      UpdateExpression: 'SET insz = :insz, inszEvidence = :evidence, inszLinkedAt = :at, updatedAt = :at',
      ConditionExpression:
        'attribute_exists(PK) AND attribute_not_exists(insz) AND attribute_not_exists(mergedInto)',
      ExpressionAttributeValues: { ':insz': insz, ':evidence': evidence, ':at': at },
    },
  };
}

function cancellationReasons(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
