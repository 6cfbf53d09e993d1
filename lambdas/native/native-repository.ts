/**
 * Persistence of native accounts (docs/data-model.md, "Native accounts" N1–N2, N7): the account
 * marker, the native identity link and the person they belong to, written together.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, translateDynamoError } from '#shared/dynamo';
import { ConflictError } from '#shared/errors';
import { keys, nativeKeys, type TableKey } from '#shared/keys';

/** The account record `NATIVE_ACCOUNT#<personId>`. */
export interface NativeAccount {
  personId: string;
  username: string;
  email: string;
  locale: string;
  /** The name printed on code cards. */
  holder: string;
  /** Person id of the registration officer who created the account. */
  createdBy: string;
  createdAt: string;
}

/** The person of a new account: one who exists, or one created with the account. */
export type AccountPerson =
  | { kind: 'existing'; personId: string }
  | { kind: 'new'; profile: Record<string, unknown> & { personId: string; insz?: string } };

/** What the native use cases need from storage. */
export interface NativeRepository {
  /** N1: the person holding an INSZ (its link marker), or `undefined`. */
  findPersonByInsz(insz: string): Promise<string | undefined>;
  /** N2: the native account of a person, or `undefined`. */
  getAccount(personId: string): Promise<NativeAccount | undefined>;
  /**
   * N7: account marker + identity link `('native', username)` + the person (new profile and INSZ
   * link, or `native` added to an existing profile), all or nothing.
   * @throws ConflictError when the person has a native account, the INSZ was linked meanwhile, or
   *   the username is taken.
   */
  createAccount(account: NativeAccount, person: AccountPerson): Promise<void>;
  /** Undoes {@link NativeRepository.createAccount}'s marker, link and card (compensation). */
  removeAccount(personId: string, username: string): Promise<void>;
}

/** Options of {@link createDynamoNativeRepository}. */
export interface DynamoNativeRepositoryOptions {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
}

const NOT_EXISTS = 'attribute_not_exists(PK)';

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

  return {
    async findPersonByInsz(insz) {
      const item = await get(keys.inszLink(insz));
      return typeof item?.personId === 'string' ? item.personId : undefined;
    },

    async getAccount(personId) {
      const item = await get(nativeKeys.account(personId));
      if (!item || typeof item.username !== 'string') return undefined;
      return {
        personId,
        username: item.username,
        email: String(item.email ?? ''),
        locale: String(item.locale ?? 'en'),
        holder: String(item.holder ?? ''),
        createdBy: String(item.createdBy ?? ''),
        createdAt: String(item.createdAt ?? ''),
      };
    },

    async createAccount(account, person) {
      const { personId, username, createdAt } = account;
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Put: {
            TableName,
            Item: { ...nativeKeys.account(personId), type: 'nativeAccount', ...account },
            ConditionExpression: NOT_EXISTS,
          },
        },
        {
          Put: {
            TableName,
            Item: {
              ...keys.identityLink('native', username),
              type: 'identityLink',
              personId,
              provider: 'native',
              createdAt,
            },
            ConditionExpression: NOT_EXISTS,
          },
        },
      ];
      if (person.kind === 'existing') {
        items.push({
          Update: {
            TableName,
            Key: keys.person(personId),
            UpdateExpression: 'ADD providers :native SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':native': new Set(['native']), ':now': createdAt },
          },
        });
      } else {
        items.push({
          Put: {
            TableName,
            Item: { ...keys.person(personId), ...person.profile, providers: new Set(['native']) },
            ConditionExpression: NOT_EXISTS,
          },
        });
        if (person.profile.insz) {
          items.push({
            Put: {
              TableName,
              Item: { ...keys.inszLink(person.profile.insz), type: 'inszLink', personId, createdAt },
              ConditionExpression: NOT_EXISTS,
            },
          });
        }
      }
      try {
        await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw translateDynamoError(error);
        if (reasons[0] === 'ConditionalCheckFailed') {
          throw new ConflictError('This person already has an account.', { cause: error });
        }
        if (reasons.includes('ConditionalCheckFailed')) {
          throw new ConflictError('This person was registered by someone else meanwhile. Please try again.', {
            cause: error,
          });
        }
        throw translateDynamoError(error);
      }
    },

    async removeAccount(personId, username) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName, Key: nativeKeys.account(personId) } },
              { Delete: { TableName, Key: keys.identityLink('native', username) } },
              { Delete: { TableName, Key: nativeKeys.codeCard(username) } },
            ],
          }),
        );
      } catch (error) {
        throw translateDynamoError(error);
      }
    },
  };
}
