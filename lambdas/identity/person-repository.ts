/**
 * Persistence of persons and their identity links: the port person resolution depends on, and its
 * DynamoDB implementation (access patterns I1–I5 of docs/data-model.md). SDK exceptions stop here:
 * transaction cancellations become {@link WriteOutcome}s the use case can act on.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type IdentityProvider, keys } from '#shared/keys';
import type { PersonProfile } from './person.ts';

/** The persons a login's identity and verified INSZ point to (each absent when not linked yet). */
export interface LoginLinks {
  identityPersonId?: string;
  inszPersonId?: string;
}

/** A login's (provider, subject). */
export interface IdentityRef {
  provider: IdentityProvider;
  subject: string;
}

const PROVIDERS: readonly IdentityProvider[] = ['eidas', 'itsme', 'native'];

/**
 * The `<provider>#<subject>` entry of the profile's `identityLinks` string set: which identity links
 * point to the person, so that the person's identities can be moved when two persons are joined
 * (`POST /me/insz`) without knowing the login's subject.
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
 * - `insz-taken` — another person holds the INSZ (creation only);
 * - `person-missing` — the person to link to has no profile (linking only; data needs repair);
 * - `contention` — a concurrent transaction touched the same items, or a generated id collided: retry.
 */
export type WriteOutcome = 'done' | 'identity-taken' | 'insz-taken' | 'person-missing' | 'contention';

/** What person resolution needs from storage. */
export interface PersonRepository {
  /** I1 + I2 in one round trip. */
  findLinks(identity: IdentityRef, insz?: string): Promise<LoginLinks>;
  /** I3: every item of `PERSON#<personId>` (profile, memberships, grants) in one round trip. */
  loadPersonItems(personId: string): Promise<Record<string, unknown>[]>;
  /**
   * I4: profile + identity link (+ INSZ link when the profile has an INSZ), all or nothing. The
   * profile records the link in `identityLinks`.
   */
  createPerson(profile: PersonProfile, identity: IdentityRef): Promise<WriteOutcome>;
  /** I5: a new identity link to an existing person, recording the provider and the link on the profile. */
  linkIdentity(personId: string, identity: IdentityRef, now: Date): Promise<WriteOutcome>;
}

/** Options of {@link createDynamoPersonRepository}. */
export interface DynamoPersonRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  /** @default 4 — BatchGetItem attempts while DynamoDB returns UnprocessedKeys (throttling). */
  maxBatchAttempts?: number;
}

const NOT_EXISTS = 'attribute_not_exists(PK)';

/** The DynamoDB implementation of {@link PersonRepository}. */
export function createDynamoPersonRepository(options: DynamoPersonRepositoryOptions): PersonRepository {
  const { tableName: TableName, documentClient } = options;
  const maxBatchAttempts = options.maxBatchAttempts ?? 4;

  return {
    async findLinks(identity, insz) {
      const identityKey = keys.identityLink(identity.provider, identity.subject);
      const inszKey = insz ? keys.inszLink(insz) : undefined;
      let pending: Record<string, unknown>[] = inszKey
        ? [{ ...identityKey }, { ...inszKey }]
        : [{ ...identityKey }];
      const found: Record<string, unknown>[] = [];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > maxBatchAttempts) throw new Error('identity links stayed unprocessed (throttled)');
        if (attempt > 1) await delay(25 * 2 ** attempt);
        const output = await documentClient.send(
          new BatchGetCommand({
            RequestItems: {
              // Consistent: a retried first login must see the link its first attempt wrote.
              [TableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'PK, personId' },
            },
          }),
        );
        found.push(...(output.Responses?.[TableName] ?? []));
        pending = output.UnprocessedKeys?.[TableName]?.Keys ?? [];
      }
      const personIdAt = (pk: string | undefined): string | undefined => {
        const personId = found.find((item) => item.PK === pk)?.personId;
        return typeof personId === 'string' ? personId : undefined;
      };
      const links: LoginLinks = {};
      const identityPersonId = personIdAt(identityKey.PK);
      const inszPersonId = personIdAt(inszKey?.PK);
      if (identityPersonId) links.identityPersonId = identityPersonId;
      if (inszPersonId) links.inszPersonId = inszPersonId;
      return links;
    },

    async loadPersonItems(personId) {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const output = await documentClient.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': keys.personPartition(personId) },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...(output.Items ?? []));
        ExclusiveStartKey = output.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },

    async createPerson(profile, identity) {
      const createdAt = profile.createdAt;
      const transactItems = [
        {
          Put: {
            TableName,
            Item: identityLinkItem(profile.personId, identity, createdAt),
            ConditionExpression: NOT_EXISTS,
          },
        },
        {
          Put: {
            TableName,
            Item: {
              ...keys.person(profile.personId),
              ...profile,
              providers: new Set(profile.providers),
              identityLinks: new Set([identityLinkRef(identity)]),
            },
            ConditionExpression: NOT_EXISTS,
          },
        },
        ...(profile.insz
          ? [
              {
                Put: {
                  TableName,
                  Item: {
                    ...keys.inszLink(profile.insz),
                    type: 'inszLink',
                    personId: profile.personId,
                    createdAt,
                  },
                  ConditionExpression: NOT_EXISTS,
                },
              },
            ]
          : []),
      ];
      return transact(documentClient, transactItems, ['identity-taken', 'contention', 'insz-taken']);
    },

    async linkIdentity(personId, identity, now) {
      const timestamp = now.toISOString();
      return transact(
        documentClient,
        [
          {
            Put: {
              TableName,
              Item: identityLinkItem(personId, identity, timestamp),
              ConditionExpression: NOT_EXISTS,
            },
          },
          {
            Update: {
              TableName,
              Key: keys.person(personId),
              // String sets: adding a provider the person already has (a re-created itsme account) is a no-op.
              UpdateExpression: 'ADD providers :provider, identityLinks :link SET updatedAt = :now',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: {
                ':provider': new Set([identity.provider]),
                ':link': new Set([identityLinkRef(identity)]),
                ':now': timestamp,
              },
            },
          },
        ],
        ['identity-taken', 'person-missing'],
      );
    },
  };
}

function identityLinkItem(
  personId: string,
  identity: IdentityRef,
  createdAt: string,
): Record<string, unknown> {
  return {
    ...keys.identityLink(identity.provider, identity.subject),
    type: 'identityLink',
    personId,
    provider: identity.provider,
    createdAt,
  };
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * Runs a transaction; a cancellation maps to the outcome listed at the index of the first item whose
 * condition failed (in the order of `onConditionFailed`), or to `contention` for concurrent writes.
 */
async function transact(
  documentClient: DynamoDBDocumentClient,
  TransactItems: TransactItems,
  onConditionFailed: readonly WriteOutcome[],
): Promise<WriteOutcome> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems }));
    return 'done';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    for (const [index, outcome] of onConditionFailed.entries()) {
      if (reasons[index] === 'ConditionalCheckFailed') return outcome;
    }
    if (reasons.includes('TransactionConflict')) return 'contention';
    throw error;
  }
}

function cancellationReasons(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (reasons ?? []).map((reason) => reason.Code);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
