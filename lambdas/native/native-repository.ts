/**
 * Persistence of native accounts (docs/data-model.md, "Native accounts" N1–N2, N7–N11): the account
 * marker, the native identity link and the person they belong to, written together with the
 * person's activity entry (and notice); the registration office's accounts waiting for a second
 * officer (four eyes).
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  cancellationReasons,
  type TransactItem,
  type TransactItems,
  transactNamed,
  translateDynamoError,
} from '#shared/dynamo';
import { ConflictError } from '#shared/errors';
import { newId } from '#shared/ids';
import { readInszLink } from '#shared/items/insz-link';
import {
  nativeAccountItem,
  pendingAccountItem,
  readNativeAccount,
  readPendingAccount,
} from '#shared/items/native-account';
import { identityKeys, keys, nativeKeys, type TableKey } from '#shared/keys';
import { claimPendingMembershipsOf } from '#shared/pending-memberships';
import {
  type ActivityEntry,
  activityPut,
  type InszEvidence,
  isStrongInszEvidence,
  type Notice,
  noticePut,
} from '#shared/person-activity';
import type { NativeAccount, PendingAccount, PendingStatus } from './account.ts';

export type { NativeAccount, PendingAccount, PendingStatus } from './account.ts';

/** The LoA of an office check: documents seen in person; native logins carry `substantial`. */
export const OFFICE_LOA = 'substantial';

/** The person of a new account: one who exists, or one created with the account. */
export type AccountPerson =
  | {
      kind: 'existing';
      personId: string;
      /** The INSZ the person holds (checked still theirs in the transaction). */
      insz: string;
      /** Evidence of that INSZ as read; weaker than `registration-office` is upgraded. */
      inszEvidence?: string | undefined;
    }
  | {
      kind: 'new';
      profile: Record<string, unknown> & { personId: string; birthDate: string; insz?: string };
    };

/** The person holding an INSZ (N1). */
export interface InszHolder {
  personId: string;
  evidence?: string;
}

/** An activity entry and, when the person's addresses must hear of it, its notice. */
export interface ActivityRecord {
  entry: ActivityEntry;
  notice?: Notice;
}

/** What confirming a pending account adds to {@link NativeRepository.createAccount}. */
export interface Confirmation {
  pendingId: string;
  confirmedBy: string;
  at: string;
}

/** A page of pending accounts. */
export interface PendingPage {
  items: PendingAccount[];
  lastEvaluatedKey?: Record<string, unknown>;
}

/** What the native use cases need from storage. */
export interface NativeRepository {
  /** N1: the person holding an INSZ (its link marker, with its evidence), or `undefined`. */
  findPersonByInsz(insz: string): Promise<InszHolder | undefined>;
  /** N2: the native account of a person, or `undefined`. */
  getAccount(personId: string): Promise<NativeAccount | undefined>;
  /**
   * N7: account marker + identity link `('native', username)` (evidence `registration-office`) + the
   * person (new profile with GSI2 `bornOn` and INSZ link, or `native` added to an existing profile
   * whose INSZ evidence is upgraded to `registration-office` when weaker) + the activity entry (and
   * notice), and the pending account CONFIRMED when `confirmation` is given — all or nothing.
   * @throws ConflictError when the person has a native account, the INSZ changed hands or was linked
   *   meanwhile, the username is taken, or the pending account is no longer pending.
   */
  createAccount(
    account: NativeAccount,
    person: AccountPerson,
    activity: ActivityRecord,
    confirmation?: Confirmation,
  ): Promise<void>;
  /**
   * I19 outside a login: the number was just linked on the officer's check of the person's
   * documents, so appointments that waited on it become memberships (lambdas/shared/pending-memberships.ts).
   * @returns the number of organisations claimed
   */
  claimPendingMemberships(
    personId: string,
    insz: string,
    at: string,
    existingPerson: boolean,
  ): Promise<number>;
  /**
   * Undoes {@link NativeRepository.createAccount} (compensation when Cognito or a mail failed):
   * marker, link, card, the activity entry and its notice; `native` off an existing profile; a
   * confirmed pending account back to PENDING.
   */
  removeAccount(
    account: NativeAccount,
    person: AccountPerson,
    activity: ActivityRecord,
    confirmation?: Confirmation,
  ): Promise<void>;
  /** N9: the pending account + the activity entry and notice on the person, all or nothing. */
  requestAccount(pending: PendingAccount, activity: ActivityRecord): Promise<void>;
  /** N10: a pending account (consistent), or `undefined`. */
  getPending(pendingId: string): Promise<PendingAccount | undefined>;
  /** N11: the pending accounts of one status, oldest first. */
  listPending(status: PendingStatus, limit: number, startKey?: Record<string, unknown>): Promise<PendingPage>;
}

/** Options of {@link createDynamoNativeRepository}. */
export interface DynamoNativeRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

const NOT_EXISTS = 'attribute_not_exists(PK)';

function activityItems(tableName: string, activity: ActivityRecord): TransactItems {
  return [
    activityPut(tableName, activity.entry),
    ...(activity.notice ? [noticePut(tableName, activity.notice)] : []),
  ];
}

/** The DynamoDB implementation of {@link NativeRepository}. */
export function createDynamoNativeRepository(options: DynamoNativeRepositoryOptions): NativeRepository {
  const { tableName: TableName, documentClient } = options;
  const get = async (Key: TableKey) => {
    try {
      return (await documentClient.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
    } catch (error) {
      throw translateDynamoError(error);
    }
  };
  const send = async (items: TransactItems) => {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw translateDynamoError(error);
      return reasons;
    }
  };

  return {
    async claimPendingMemberships(personId, insz, at, existingPerson) {
      try {
        return await claimPendingMembershipsOf(
          documentClient,
          TableName,
          personId,
          insz,
          at,
          () => newId(),
          existingPerson,
        );
      } catch (error) {
        throw translateDynamoError(error);
      }
    },

    async findPersonByInsz(insz) {
      const link = readInszLink(await get(keys.inszLink(insz)));
      if (!link) return undefined;
      return link.evidence
        ? { personId: link.personId, evidence: link.evidence }
        : { personId: link.personId };
    },

    async getAccount(personId) {
      const item = await get(nativeKeys.account(personId));
      if (!item || typeof item.username !== 'string') return undefined;
      return readNativeAccount(personId, item);
    },

    async createAccount(account, person, activity, confirmation) {
      const { personId, username, createdAt } = account;
      const linkRef = `native#${username}`;
      const provenance = { evidence: 'registration-office', linkedAt: createdAt, loa: OFFICE_LOA };
      const accountPut: TransactItem = {
        Put: {
          TableName,
          Item: nativeAccountItem(account),
          ConditionExpression: NOT_EXISTS,
        },
      };
      const identityLinkPut: TransactItem = {
        Put: {
          TableName,
          Item: {
            ...keys.identityLink('native', username),
            type: 'identityLink',
            personId,
            provider: 'native',
            ...provenance,
            createdAt,
          },
          ConditionExpression: NOT_EXISTS,
        },
      };
      // The person's side: the existing profile and number link, or the new profile and link.
      const personItems: TransactItems = [];
      if (person.kind === 'existing') {
        // Two officers checked the documents in person: stronger than a register match.
        const upgrade = !isStrongInszEvidence(person.inszEvidence);
        const upgraded: InszEvidence = 'registration-office';
        personItems.push({
          Update: {
            TableName,
            Key: keys.person(personId),
            UpdateExpression: `ADD providers :native, identityLinks :link SET updatedAt = :now${
              upgrade ? ', inszEvidence = :evidence, inszLinkedAt = :now' : ''
            }`,
            // Still this person's number, not joined into another, not suspended (no insz then).
            ConditionExpression: 'attribute_exists(PK) AND insz = :insz AND attribute_not_exists(mergedInto)',
            ExpressionAttributeValues: {
              ':native': new Set(['native']),
              ':link': new Set([linkRef]),
              ':now': createdAt,
              ':insz': person.insz,
              ...(upgrade ? { ':evidence': upgraded } : {}),
            },
          },
        });
        if (upgrade) {
          personItems.push({
            Update: {
              TableName,
              Key: keys.inszLink(person.insz),
              UpdateExpression: 'SET evidence = :evidence, linkedAt = :now, loa = :loa',
              // Only over the weak evidence read: a verified login that took the number meanwhile wins.
              ConditionExpression:
                person.inszEvidence === undefined
                  ? 'personId = :pid AND attribute_not_exists(evidence)'
                  : 'personId = :pid AND evidence = :was',
              ExpressionAttributeValues: {
                ':evidence': upgraded,
                ':now': createdAt,
                ':loa': OFFICE_LOA,
                ':pid': personId,
                ...(person.inszEvidence === undefined ? {} : { ':was': person.inszEvidence }),
              },
            },
          });
        } else {
          personItems.push({
            ConditionCheck: {
              TableName,
              Key: keys.inszLink(person.insz),
              ConditionExpression: 'personId = :pid',
              ExpressionAttributeValues: { ':pid': personId },
            },
          });
        }
      } else {
        const { profile } = person;
        personItems.push({
          Put: {
            TableName,
            Item: {
              ...keys.person(personId),
              ...identityKeys.bornOn(profile.birthDate, 'PERSON', personId),
              ...profile,
              ...(profile.insz ? { inszEvidence: 'registration-office', inszLinkedAt: createdAt } : {}),
              providers: new Set(['native']),
              identityLinks: new Set([linkRef]),
            },
            ConditionExpression: NOT_EXISTS,
          },
        });
        if (profile.insz) {
          personItems.push({
            Put: {
              TableName,
              Item: {
                ...keys.inszLink(profile.insz),
                type: 'inszLink',
                personId,
                ...provenance,
                createdAt,
              },
              ConditionExpression: NOT_EXISTS,
            },
          });
        }
      }
      let confirmationUpdate: TransactItem | undefined;
      if (confirmation) {
        confirmationUpdate = {
          Update: {
            TableName,
            Key: identityKeys.officePending(confirmation.pendingId),
            UpdateExpression:
              'SET #status = :confirmed, confirmedBy = :by, confirmedAt = :at, GSI1PK = :queue',
            // The one winner; never the officer who asked.
            ConditionExpression: '#status = :pending AND requestedBy <> :by',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':confirmed': 'CONFIRMED',
              ':pending': 'PENDING',
              ':by': confirmation.confirmedBy,
              ':at': confirmation.at,
              ':queue': identityKeys.officePendingQueuePartition('CONFIRMED'),
            },
          },
        };
      }
      const failed = await transactNamed(documentClient, {
        account: accountPut,
        identityLink: identityLinkPut,
        person: personItems,
        confirmation: confirmationUpdate,
        activity: activityItems(TableName, activity),
      });
      if (!failed) return;
      if (failed.has('account')) {
        throw new ConflictError('This person already has an account.');
      }
      if (failed.has('confirmation')) {
        throw new ConflictError('This account request was confirmed or cancelled already.');
      }
      if (failed.size > 0) {
        throw new ConflictError(
          'This person was registered or changed by someone else meanwhile. Please try again.',
        );
      }
      throw new ConflictError('A concurrent change got in the way. Please try again.');
    },

    async removeAccount(account, person, activity, confirmation) {
      const { personId, username } = account;
      const items: TransactItems = [
        { Delete: { TableName, Key: nativeKeys.account(personId) } },
        { Delete: { TableName, Key: keys.identityLink('native', username) } },
        { Delete: { TableName, Key: nativeKeys.codeCard(username) } },
        {
          Delete: {
            TableName,
            Key: identityKeys.activity(activity.entry.personId, activity.entry.at, activity.entry.entryId),
          },
        },
      ];
      if (activity.notice) {
        items.push({ Delete: { TableName, Key: identityKeys.notice(activity.notice.noticeId) } });
      }
      if (person.kind === 'existing') {
        items.push({
          Update: {
            TableName,
            Key: keys.person(personId),
            UpdateExpression: 'DELETE providers :native, identityLinks :link',
            ExpressionAttributeValues: {
              ':native': new Set(['native']),
              ':link': new Set([`native#${username}`]),
            },
          },
        });
      }
      if (person.kind === 'new' && person.profile.insz) {
        // The person was made for this account only: without it, a retry must find the number free
        // (else it would wait for a second officer as an existing person).
        items.push(
          { Delete: { TableName, Key: keys.person(personId) } },
          {
            Delete: {
              TableName,
              Key: keys.inszLink(person.profile.insz),
              ConditionExpression: 'personId = :pid',
              ExpressionAttributeValues: { ':pid': personId },
            },
          },
        );
      }
      if (confirmation) {
        items.push({
          Update: {
            TableName,
            Key: identityKeys.officePending(confirmation.pendingId),
            UpdateExpression: 'SET #status = :pending, GSI1PK = :queue REMOVE confirmedBy, confirmedAt',
            ConditionExpression: '#status = :confirmed AND confirmedBy = :by',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pending': 'PENDING',
              ':confirmed': 'CONFIRMED',
              ':by': confirmation.confirmedBy,
              ':queue': identityKeys.officePendingQueuePartition('PENDING'),
            },
          },
        });
      }
      const reasons = await send(items);
      if (reasons) throw new ConflictError('The account could not be removed again.');
    },

    async requestAccount(pending, activity) {
      const failed = await transactNamed(documentClient, {
        pending: {
          Put: {
            TableName,
            Item: pendingAccountItem(pending),
            ConditionExpression: NOT_EXISTS,
          },
        },
        noAccount: {
          ConditionCheck: {
            TableName,
            Key: nativeKeys.account(pending.personId),
            ConditionExpression: NOT_EXISTS,
          },
        },
        activity: activityItems(TableName, activity),
      });
      if (!failed) return;
      if (failed.has('noAccount')) {
        throw new ConflictError('This person already has an account. Issue a new code card instead.');
      }
      throw new ConflictError('A concurrent change got in the way. Please try again.');
    },

    async getPending(pendingId) {
      const item = await get(identityKeys.officePending(pendingId));
      return item ? readPendingAccount(item) : undefined;
    },

    async listPending(status, limit, startKey) {
      try {
        const out = await documentClient.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :queue',
            ExpressionAttributeValues: { ':queue': identityKeys.officePendingQueuePartition(status) },
            Limit: limit,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        const page: PendingPage = { items: (out.Items ?? []).map(readPendingAccount) };
        if (out.LastEvaluatedKey) page.lastEvaluatedKey = out.LastEvaluatedKey;
        return page;
      } catch (error) {
        throw translateDynamoError(error);
      }
    },
  };
}
