/**
 * DynamoDB side of the identity API (docs/data-model.md, identity patterns): the caller's person and
 * identity links, the national-number linking transaction, the refused-join audit, "connect another
 * login" intents and the join transaction, the activity log and the security officers' identity
 * cases. Transaction cancellations are mapped by the NAME of the element whose condition failed,
 * never by guessing; anything else propagates (throttling as {@link TransientError}).
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, type TransactItems, translateDynamoError } from '#shared/dynamo';
import { decodeCursor, type Page, toPage } from '#shared/http/pagination';
import { type Connection, type IdentityCase, readConnection, readIdentityCase } from '#shared/items/identity';
import { readIdentityLink } from '#shared/items/identity-link';
import { readInszLink } from '#shared/items/insz-link';
import { readNativeAccount } from '#shared/items/native-account';
import { profileOf, readPartitionMembership, readStoredProfile } from '#shared/items/person';
import {
  bisKeys,
  GRANT_SK_PREFIX,
  identityKeys,
  keyOf,
  keys,
  MEMBERSHIP_SK_PREFIX,
  nativeKeys,
} from '#shared/keys';
import {
  type ActivityEntry,
  activityPut,
  type InszEvidence,
  type LinkProvenance,
  readActivityEntry,
  recordActivity,
} from '#shared/person-activity';
import { parseIdentityLinkRef } from '../person-repository.ts';
import type { PersonNames } from './name-matching.ts';

export type { Connection, IdentityCase } from '#shared/items/identity';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };
type Loa = LinkProvenance<string>['loa'];

/** The caller's person as the identity API reads it (one Query of its partition). */
export interface PersonState {
  personId: string;
  insz: string | null;
  inszEvidence: string | null;
  givenNames: string;
  familyName: string;
  birthDate: string;
  /** `<provider>#<subject>` of the identity links recorded on the profile. */
  identityLinks: string[];
  providers: string[];
  /** Set when the person was joined into another one. */
  mergedInto?: string;
  /** The open identity case while the person is suspended. */
  suspensionCaseId?: string;
  /** Any membership or grant (valid or not). */
  holdsRights: boolean;
  email?: string;
  locale?: string;
}

/** An identity link as stored (`IDENTITY#<provider>#<subject>`). */
export interface IdentityLinkState {
  ref: string;
  provider: string;
  subject: string;
  personId: string;
  evidence?: string;
  linkedAt?: string;
  loa?: string;
  asserted?: PersonNames;
  cognitoUsername?: string;
}

/** A national-number link as stored (`INSZ#<insz>`). */
export interface InszLinkState {
  personId: string;
  evidence?: string;
  linkedAt?: string;
  loa?: string;
}

/** The native account of a person (only what the identity API needs). */
export interface NativeAccountState {
  username: string;
  email: string;
  locale: string;
}

/** `POST /me/insz`: what linking writes. */
export interface InszLinkWrite {
  personId: string;
  insz: string;
  /** The current login's identity link, which must still point to the person. */
  identityRef: string;
  provider: string;
  loa: Loa;
  at: string;
}

/** Outcome of {@link IdentityStore.linkInsz}. */
export type InszLinkOutcome = 'linked' | 'insz-taken' | 'profile-conflict' | 'identity-moved' | 'contention';

/** What the join transaction moves (built by the connection use case). */
export interface JoinWrite {
  connectionId: string;
  /** The connection's initiator (the connection must still name it). */
  initiatorPersonId: string;
  source: PersonState;
  target: PersonState;
  /** Every identity link of the source, each moved only if it still points to the source. */
  identityRefs: string[];
  /** The source's national number link, moved with its evidence, when the source has one. */
  insz?: { insz: string; link: InszLinkState };
  at: string;
  nowSeconds: number;
}

/** Outcome of {@link IdentityStore.join}. */
export type JoinOutcome = 'joined' | 'connection-gone' | 'conflict' | 'contention';

/** Outcome of {@link IdentityStore.resolveCase}. */
export type ResolveOutcome = 'resolved' | 'already-resolved' | 'contention';

/** Options of {@link createDynamoIdentityStore}. */
export interface DynamoIdentityStoreOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

/** The person state of a partition's items; `undefined` without a profile. */
export function personStateOf(items: readonly Item[]): PersonState | undefined {
  const profile = profileOf(items);
  if (!profile) return undefined;
  const { personId, mergedInto, suspensionCaseId, email, locale } = profile;
  return {
    personId,
    insz: profile.insz ?? null,
    inszEvidence: profile.inszEvidence ?? null,
    givenNames: profile.givenNames ?? '',
    familyName: profile.familyName ?? '',
    birthDate: profile.birthDate ?? '',
    identityLinks: profile.identityLinks.filter((ref) => parseIdentityLinkRef(ref) !== undefined).sort(),
    providers: [...profile.providers].sort(),
    holdsRights: items.some((item) => {
      const sk = keyOf(item, 'SK');
      return sk.startsWith(MEMBERSHIP_SK_PREFIX) || sk.startsWith(GRANT_SK_PREFIX);
    }),
    ...(mergedInto ? { mergedInto } : {}),
    ...(suspensionCaseId ? { suspensionCaseId } : {}),
    ...(email ? { email } : {}),
    ...(locale ? { locale } : {}),
  };
}

/** The DynamoDB store of the identity API. */
export function createDynamoIdentityStore(options: DynamoIdentityStoreOptions) {
  const { tableName: TableName, documentClient } = options;

  const send = async <T>(promise: Promise<T>): Promise<T> => {
    try {
      return await promise;
    } catch (error) {
      throw translateDynamoError(error);
    }
  };

  const get = async (Key: Key, ProjectionExpression?: string): Promise<Item | undefined> =>
    (
      await send(
        documentClient.send(
          new GetCommand({
            TableName,
            Key,
            ConsistentRead: true,
            ...(ProjectionExpression ? { ProjectionExpression } : {}),
          }),
        ),
      )
    ).Item;

  /** Runs named transaction elements; the name of the first failed condition, or `contention`. */
  const transact = async (
    named: { name: string; item: TransactItems[number] }[],
  ): Promise<{ ok: true } | { ok: false; failed: string }> => {
    try {
      await documentClient.send(
        new TransactWriteCommand({ TransactItems: named.map((entry) => entry.item) }),
      );
      return { ok: true };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw translateDynamoError(error);
      const index = reasons.indexOf('ConditionalCheckFailed');
      if (index >= 0) return { ok: false, failed: named[index]?.name ?? 'unknown' };
      if (reasons.includes('TransactionConflict')) return { ok: false, failed: 'contention' };
      throw translateDynamoError(error);
    }
  };

  const activityItems = (
    entry: Omit<ActivityEntry, 'entryId'>,
    newId: () => string,
    withNotice: boolean,
  ): { name: string; item: TransactItems[number] }[] =>
    withNotice
      ? recordActivity(TableName, entry, newId).map((item) => ({ name: 'activity', item }))
      : [{ name: 'activity', item: activityPut(TableName, { ...entry, entryId: newId() }) }];

  /** I3: every item of the person's partition, consistent. */
  const loadPersonItems = async (personId: string): Promise<Item[]> => {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const output = await send(
        documentClient.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.personPartition(personId) },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        ),
      );
      items.push(...(output.Items ?? []));
      ExclusiveStartKey = output.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  /**
   * One page of a partition — of the table (`PK`) or of GSI1 (`GSI1PK`) — its cursor scoped to
   * `scope` and bound to that partition, so a cursor of another person, status or queue is refused.
   */
  const listPartition = async <T>(
    attribute: 'PK' | 'GSI1PK',
    partition: string,
    scope: string,
    page: { limit: number; cursor: string | undefined; newestFirst?: boolean },
    read: (item: Item) => T,
  ): Promise<Page<T>> => {
    const output = await send(
      documentClient.send(
        new QueryCommand({
          TableName,
          ...(attribute === 'GSI1PK' ? { IndexName: 'GSI1' } : {}),
          KeyConditionExpression: `${attribute} = :pk`,
          ExpressionAttributeValues: { ':pk': partition },
          ...(page.newestFirst ? { ScanIndexForward: false } : {}),
          Limit: page.limit,
          ExclusiveStartKey: decodeCursor(page.cursor, scope, { bind: { [attribute]: partition } }),
        }),
      ),
    );
    return toPage((output.Items ?? []).map(read), output.LastEvaluatedKey, scope);
  };

  return {
    /** I3: the person's partition (profile, memberships, grants), consistent. */
    async loadPerson(personId: string): Promise<PersonState | undefined> {
      return personStateOf(await loadPersonItems(personId));
    },

    /**
     * The person's profile only (one consistent GetItem): everything but `holdsRights`, which is
     * reported `false` here — use {@link loadPerson} when rights matter.
     */
    async loadProfile(personId: string): Promise<PersonState | undefined> {
      const item = await get(keys.person(personId));
      return item ? personStateOf([item]) : undefined;
    },

    /** The person's partition items, for `GET /me`. */
    loadPersonItems,

    /**
     * I15: store a capacity choice (`PUT /me/capacity`): the profile's `capacity`, the same value as
     * the hint on every identity link of the person (so that the next token of any of their logins
     * reads that organisation first), and an activity entry (no mail: it changes no identity); one
     * transaction. A chosen organisation must still be an active membership when it commits.
     * @returns `not-member` when the membership is gone (or the person is suspended), `contention` on a race.
     */
    async chooseCapacity(
      personId: string,
      orgCode: string | null,
      at: string,
      newId: () => string,
    ): Promise<{ outcome: 'done'; name: string | null } | { outcome: 'not-member' | 'contention' }> {
      const profileKey = keys.person(personId);
      const membershipKey = orgCode !== null ? keys.membership(personId, orgCode) : undefined;
      const [profile, membership] = await Promise.all([
        get(profileKey, 'personId, identityLinks, suspension, mergedInto').then(readStoredProfile),
        membershipKey ? get({ PK: membershipKey.PK, SK: membershipKey.SK }) : undefined,
      ]);
      if (!profile || profile.mergedInto !== undefined) return { outcome: 'not-member' };
      if (orgCode !== null && (!membership || profile.suspended)) return { outcome: 'not-member' };
      const refs = profile.identityLinks.flatMap((ref) => {
        const identity = parseIdentityLinkRef(ref);
        return identity ? [identity] : [];
      });
      const named: { name: string; item: TransactItems[number] }[] = [
        {
          name: 'profile',
          item: {
            Update: {
              TableName,
              Key: profileKey,
              UpdateExpression: 'SET #capacity = :capacity, updatedAt = :at',
              ExpressionAttributeNames: { '#capacity': 'capacity' },
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mergedInto)',
              ExpressionAttributeValues: { ':capacity': { orgCode, chosenAt: at }, ':at': at },
            },
          },
        },
        ...refs.map((identity) => ({
          name: 'link',
          item: {
            Update: {
              TableName,
              Key: keys.identityLink(identity.provider, identity.subject),
              UpdateExpression: 'SET #capacity = :capacity',
              ExpressionAttributeNames: { '#capacity': 'capacity' },
              ConditionExpression: 'personId = :personId',
              ExpressionAttributeValues: { ':capacity': orgCode, ':personId': personId },
            },
          },
        })),
        ...(orgCode !== null
          ? [
              {
                name: 'membership',
                item: {
                  ConditionCheck: {
                    TableName,
                    Key: (({ PK, SK }) => ({ PK, SK }))(keys.membership(personId, orgCode)),
                    ConditionExpression: 'attribute_exists(PK)',
                  },
                },
              },
            ]
          : []),
        ...activityItems(
          { personId, at, event: 'capacity-chosen', actor: 'self', reference: orgCode ?? 'private' },
          newId,
          false,
        ),
      ];
      const outcome = await transact(named);
      if (outcome.ok)
        return {
          outcome: 'done',
          name: orgCode !== null ? (readPartitionMembership(membership ?? {})?.name ?? orgCode) : null,
        };
      if (outcome.failed === 'membership') return { outcome: 'not-member' };
      return { outcome: 'contention' };
    },

    /** I1 for several identities in one BatchGetItem (consistent); unknown refs are left out. */
    async getIdentityLinks(refs: readonly string[]): Promise<IdentityLinkState[]> {
      const identities = [...new Set(refs)].flatMap((ref) => {
        const identity = parseIdentityLinkRef(ref);
        return identity ? [{ ref, ...identity }] : [];
      });
      if (identities.length === 0) return [];
      let pending: Item[] = identities.map(({ provider, subject }) => ({
        ...keys.identityLink(provider, subject),
      }));
      const found: Item[] = [];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 4) throw new Error('identity links stayed unprocessed (throttled)');
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const output = await send(
          documentClient.send(
            new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }),
          ),
        );
        found.push(...(output.Responses?.[TableName] ?? []));
        pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      return identities.flatMap(({ ref, provider, subject }) => {
        const stored = readIdentityLink(
          found.find((item) => item.PK === keys.identityLink(provider, subject).PK),
        );
        if (!stored) return [];
        const { capacity: _hint, ...link } = stored;
        return [{ ref, provider, subject, ...link }];
      });
    },

    /** N2: the person's native account, if any. */
    async getNativeAccount(personId: string): Promise<NativeAccountState | undefined> {
      // The native accounts context owns the item: read through its schema (projected fields only).
      const item = await get(nativeKeys.account(personId), 'username, email, locale');
      if (!item || typeof item.username !== 'string' || item.username === '') return undefined;
      const { username, email, locale } = readNativeAccount(personId, item);
      return { username, email, locale };
    },

    /** B: whether the person has an open (pending or in correction) BIS request. */
    async hasOpenBisRequest(personId: string): Promise<boolean> {
      return (await get(bisKeys.openRequest(personId), 'PK')) !== undefined;
    },

    /** I2: the national-number link. */
    async getInszLink(insz: string): Promise<InszLinkState | undefined> {
      return readInszLink(await get(keys.inszLink(insz), 'personId, evidence, linkedAt, loa'));
    },

    /**
     * I7: INSZ link (evidence `register-match`) + profile `insz`, `inszEvidence`, `inszLinkedAt` +
     * activity `insz-linked` and its notice, all or nothing; only while the current login's identity
     * link still points to the person.
     */
    async linkInsz(write: InszLinkWrite, newId: () => string): Promise<InszLinkOutcome> {
      const evidence: InszEvidence = 'register-match';
      const identity = parseIdentityLinkRef(write.identityRef);
      if (!identity) throw new Error('linkInsz needs the identity of the current login');
      const result = await transact([
        {
          name: 'insz-taken',
          item: {
            Put: {
              TableName,
              Item: {
                ...keys.inszLink(write.insz),
                type: 'inszLink',
                personId: write.personId,
                evidence,
                linkedAt: write.at,
                loa: write.loa,
                createdAt: write.at,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          name: 'profile-conflict',
          item: {
            Update: {
              TableName,
              Key: keys.person(write.personId),
              UpdateExpression:
                'SET insz = :insz, inszEvidence = :evidence, inszLinkedAt = :at, updatedAt = :at',
              ConditionExpression:
                'attribute_exists(PK) AND attribute_not_exists(insz) AND attribute_not_exists(mergedInto) AND attribute_not_exists(suspension)',
              ExpressionAttributeValues: { ':insz': write.insz, ':evidence': evidence, ':at': write.at },
            },
          },
        },
        {
          name: 'identity-moved',
          item: {
            ConditionCheck: {
              TableName,
              Key: keys.identityLink(identity.provider, identity.subject),
              ConditionExpression: 'personId = :personId',
              ExpressionAttributeValues: { ':personId': write.personId },
            },
          },
        },
        ...activityItems(
          {
            personId: write.personId,
            at: write.at,
            event: 'insz-linked',
            actor: 'self',
            provider: write.provider,
            evidence,
          },
          newId,
          true,
        ),
      ]);
      if (result.ok) return 'linked';
      return result.failed === 'activity' ? 'contention' : (result.failed as InszLinkOutcome);
    },

    /**
     * A refused join: activity `join-refused` on the caller's person and on the holder, and a notice
     * to the holder. Nothing else.
     */
    async recordJoinRefused(
      input: { callerPersonId: string; holderPersonId: string; provider: string; at: string },
      newId: () => string,
    ): Promise<void> {
      const entry = {
        at: input.at,
        event: 'join-refused' as const,
        actor: 'self' as const,
        provider: input.provider,
      };
      const result = await transact([
        ...activityItems({ ...entry, personId: input.callerPersonId }, newId, false),
        ...activityItems({ ...entry, personId: input.holderPersonId }, newId, true),
      ]);
      if (!result.ok) throw new Error(`recording a refused join failed: ${result.failed}`);
    },

    /** A new connection intent (expires via TTL `expiresAt`). */
    async createConnection(connection: Connection): Promise<void> {
      await send(
        documentClient.send(
          new PutCommand({
            TableName,
            Item: {
              ...identityKeys.connection(connection.connectionId),
              type: 'connection',
              ...connection,
              expiresAt: Math.floor(Date.parse(connection.expiresAtIso) / 1000),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        ),
      );
    },

    /** The connection intent, whatever its status. */
    async getConnection(connectionId: string): Promise<Connection | undefined> {
      return readConnection(await get(identityKeys.connection(connectionId)));
    },

    /**
     * The join (see connections.ts): identity links and the INSZ link of the source move to the
     * target, the target profile records them, the source is marked `mergedInto`, the connection is
     * used, and both persons get `identities-joined` with a notice. One transaction.
     */
    async join(write: JoinWrite, newId: () => string): Promise<JoinOutcome> {
      const { source, target, at } = write;
      const identities = write.identityRefs.flatMap((ref) => {
        const identity = parseIdentityLinkRef(ref);
        return identity ? [{ ref, ...identity }] : [];
      });
      const targetSet: string[] = ['ADD providers :providers, identityLinks :links', 'SET updatedAt = :at'];
      const targetValues: Item = {
        ':providers': new Set(identities.map((identity) => identity.provider)),
        ':links': new Set(identities.map((identity) => identity.ref)),
        ':at': at,
      };
      let targetCondition =
        'attribute_exists(PK) AND attribute_not_exists(mergedInto) AND attribute_not_exists(suspension)';
      if (write.insz) {
        targetSet[1] += ', insz = :insz, inszEvidence = :inszEvidence, inszLinkedAt = :inszLinkedAt';
        targetValues[':insz'] = write.insz.insz;
        targetValues[':inszEvidence'] = write.insz.link.evidence ?? 'register-match';
        targetValues[':inszLinkedAt'] = write.insz.link.linkedAt ?? at;
        targetCondition += ' AND attribute_not_exists(insz)';
      } else if (target.insz === null) {
        targetCondition += ' AND attribute_not_exists(insz)';
      }
      const entry = {
        at,
        event: 'identities-joined' as const,
        actor: 'self' as const,
        reference: write.connectionId,
      };
      const result = await transact([
        {
          name: 'connection-gone',
          item: {
            Update: {
              TableName,
              Key: identityKeys.connection(write.connectionId),
              UpdateExpression: 'SET #status = :used, usedAt = :at, joinedInto = :target',
              ConditionExpression: '#status = :open AND expiresAt > :now AND personId = :initiator',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':used': 'USED',
                ':open': 'OPEN',
                ':at': at,
                ':target': target.personId,
                ':now': write.nowSeconds,
                ':initiator': write.initiatorPersonId,
              },
            },
          },
        },
        ...identities.map((identity) => ({
          name: 'conflict',
          item: {
            Update: {
              TableName,
              Key: keys.identityLink(identity.provider, identity.subject),
              UpdateExpression:
                'SET personId = :target, evidence = :connected, linkedAt = :at, updatedAt = :at',
              ConditionExpression: 'personId = :source',
              ExpressionAttributeValues: {
                ':target': target.personId,
                ':source': source.personId,
                ':connected': 'connected',
                ':at': at,
              },
            },
          },
        })),
        ...(write.insz
          ? [
              {
                name: 'conflict',
                item: {
                  Update: {
                    TableName,
                    Key: keys.inszLink(write.insz.insz),
                    UpdateExpression: 'SET personId = :target, movedFrom = :source, movedAt = :at',
                    ConditionExpression: 'personId = :source',
                    ExpressionAttributeValues: {
                      ':target': target.personId,
                      ':source': source.personId,
                      ':at': at,
                    },
                  },
                },
              },
            ]
          : []),
        {
          name: 'conflict',
          item: {
            Update: {
              TableName,
              Key: keys.person(target.personId),
              UpdateExpression: targetSet.join(' '),
              ConditionExpression: targetCondition,
              ExpressionAttributeValues: targetValues,
            },
          },
        },
        {
          name: 'conflict',
          item: {
            Update: {
              TableName,
              Key: keys.person(source.personId),
              UpdateExpression: write.insz
                ? 'SET mergedInto = :target, updatedAt = :at REMOVE insz, inszEvidence, inszLinkedAt'
                : 'SET mergedInto = :target, updatedAt = :at',
              ConditionExpression: write.insz
                ? 'attribute_exists(PK) AND attribute_not_exists(mergedInto) AND attribute_not_exists(suspension) AND insz = :insz'
                : 'attribute_exists(PK) AND attribute_not_exists(mergedInto) AND attribute_not_exists(suspension) AND attribute_not_exists(insz)',
              ExpressionAttributeValues: {
                ':target': target.personId,
                ':at': at,
                ...(write.insz ? { ':insz': write.insz.insz } : {}),
              },
            },
          },
        },
        // Joining needs a source without a native account or an open BIS request: checked again here.
        {
          name: 'conflict',
          item: {
            ConditionCheck: {
              TableName,
              Key: nativeKeys.account(source.personId),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        {
          name: 'conflict',
          item: {
            ConditionCheck: {
              TableName,
              Key: bisKeys.openRequest(source.personId),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
        ...activityItems({ ...entry, personId: target.personId }, newId, true),
        ...activityItems({ ...entry, personId: source.personId }, newId, true),
      ]);
      if (result.ok) return 'joined';
      if (result.failed === 'connection-gone') return 'connection-gone';
      if (result.failed === 'contention' || result.failed === 'activity') return 'contention';
      return 'conflict';
    },

    /** A person's activity, newest first, paginated (cursor bound to the partition). */
    async listActivity(
      personId: string,
      limit: number,
      cursor: string | undefined,
    ): Promise<Page<ActivityEntry>> {
      const partition = identityKeys.activityPartition(personId);
      return listPartition(
        'PK',
        partition,
        `ACTIVITY#${partition}`,
        { limit, cursor, newestFirst: true },
        readActivityEntry,
      );
    },

    /** The identity cases of one status, oldest first, paginated (GSI1, cursor bound to GSI1PK). */
    async listCases(
      status: 'OPEN' | 'RESOLVED',
      limit: number,
      cursor: string | undefined,
    ): Promise<Page<IdentityCase>> {
      const partition = identityKeys.supportCaseQueuePartition(status);
      return listPartition('GSI1PK', partition, `GSI1#${partition}`, { limit, cursor }, readIdentityCase);
    },

    /** One identity case. */
    async getCase(caseId: string): Promise<IdentityCase | undefined> {
      const item = await get(identityKeys.supportCase(caseId));
      return item ? readIdentityCase(item) : undefined;
    },

    /**
     * OPEN → RESOLVED (one winner), and when lifting, the suspension of that case removed from the
     * suspended profile; activity `suspension-resolved` and a notice. One transaction.
     */
    async resolveCase(
      input: {
        identityCase: IdentityCase;
        resolution: 'lift-suspension' | 'keep-suspended';
        reason: string;
        officerId: string;
        /** True when the suspended profile still carries this case's suspension. */
        liftProfile: boolean;
        at: string;
      },
      newId: () => string,
    ): Promise<ResolveOutcome> {
      const { identityCase, at } = input;
      const result = await transact([
        {
          name: 'already-resolved',
          item: {
            Update: {
              TableName,
              Key: identityKeys.supportCase(identityCase.caseId),
              UpdateExpression:
                'SET #status = :resolved, resolvedAt = :at, resolvedBy = :officer, resolution = :resolution, reason = :reason, GSI1PK = :pk, GSI1SK = :sk',
              ConditionExpression: '#status = :open',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':resolved': 'RESOLVED',
                ':open': 'OPEN',
                ':at': at,
                ':officer': input.officerId,
                ':resolution': input.resolution,
                ':reason': input.reason,
                ...Object.fromEntries(
                  Object.entries(
                    identityKeys.supportCaseQueue('RESOLVED', identityCase.createdAt, identityCase.caseId),
                  ).map(([name, value]) => [name === 'GSI1PK' ? ':pk' : ':sk', value]),
                ),
              },
            },
          },
        },
        ...(input.liftProfile
          ? [
              {
                name: 'contention',
                item: {
                  Update: {
                    TableName,
                    Key: keys.person(identityCase.suspendedPersonId),
                    UpdateExpression: 'REMOVE suspension SET updatedAt = :at',
                    ConditionExpression: 'suspension.caseId = :caseId',
                    ExpressionAttributeValues: { ':caseId': identityCase.caseId, ':at': at },
                  },
                },
              },
            ]
          : []),
        ...activityItems(
          {
            personId: identityCase.suspendedPersonId,
            at,
            event: 'suspension-resolved',
            actor: 'security-officer',
            actorId: input.officerId,
            reference: identityCase.caseId,
            reason: input.reason,
          },
          newId,
          true,
        ),
      ]);
      if (result.ok) return 'resolved';
      return result.failed === 'already-resolved' ? 'already-resolved' : 'contention';
    },
  };
}

/** The identity API's store. */
export type IdentityStore = ReturnType<typeof createDynamoIdentityStore>;
