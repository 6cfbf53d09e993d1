/**
 * Who may see and manage an organisation. Organisation data exists only for its members: to anyone
 * else every organisation route answers 404, whether the organisation exists or not. Management
 * routes are for its local administrators: a member who is not one gets 403.
 *
 * Checks read the membership item rather than the token's `admin_of` claim, so an administrator
 * removed a minute ago loses access at once, not at the next token. The same read takes the person's
 * profile: a person suspended because a verified login took their national number (issue 12) acts
 * for no organisation until a security officer lifts the suspension.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { type Membership, readMembership } from './items/membership.ts';
import { ADMINISTRATOR_SORT_PREFIX, keys, organisationKeys } from './keys.ts';

/** A person's membership of an organisation, as stored (its item's reader: `items/membership.ts`). */
export type { Membership };

/** Reads memberships; the DynamoDB implementation is {@link createMembershipReader}. */
export interface MembershipReader {
  getMembership(personId: string, orgCode: string): Promise<Membership | undefined>;
}

/**
 * Answers whether an administrator still holds the role the company register gave them (issue 14):
 * the port the rights context holds, implemented by the organisations context
 * (`lambdas/organisations/register-check.ts`) and bound in the rights function's composition root.
 */
export interface RegisterCheck {
  /** False only for a register-derived, non-appointed administrator the register no longer lists. */
  stillAuthorised(personId: string, orgCode: string): Promise<boolean>;
}

/** The refusal of an administrator action by a lapsed representative. */
export const representativeLapsed = (): ForbiddenError =>
  new ForbiddenError(
    'The company register no longer lists you as a legal representative of this organisation.',
    {
      code: 'representative-lapsed',
    },
  );

/** The organisation does not exist for this caller (unknown, or the caller is not a member). */
export const organisationNotFound = (): NotFoundError => new NotFoundError('There is no such organisation.');

/** @returns the caller's membership. @throws NotFoundError when the caller is not a member. */
export async function requireMember(
  reader: MembershipReader,
  personId: string,
  orgCode: string,
): Promise<Membership> {
  const membership = await reader.getMembership(personId, orgCode);
  if (!membership) throw organisationNotFound();
  return membership;
}

/**
 * @returns the caller's membership when they are a local administrator of the organisation.
 * @throws NotFoundError when the caller is not a member; ForbiddenError when a member but not an administrator.
 */
export async function requireLocalAdministrator(
  reader: MembershipReader,
  personId: string,
  orgCode: string,
): Promise<Membership> {
  const membership = await requireMember(reader, personId, orgCode);
  if (!membership.localAdministrator) {
    throw new ForbiddenError('Only the local administrators of this organisation may do this.', {
      code: 'not-local-administrator',
    });
  }
  return membership;
}

/**
 * The membership of an acting person: membership and profile in one strongly consistent BatchGetItem
 * (access decisions follow writes at once); `undefined` when there is no membership or the person is
 * suspended.
 */
export async function readActiveMembership(
  db: DynamoDBDocumentClient,
  tableName: string,
  personId: string,
  orgCode: string,
): Promise<Record<string, unknown> | undefined> {
  const { PK, SK } = keys.membership(personId, orgCode);
  const profileKey = keys.person(personId);
  let pending: Record<string, unknown>[] = [{ PK, SK }, { ...profileKey }];
  const found: Record<string, unknown>[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 4) throw new Error('membership read stayed unprocessed (throttled)');
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const output = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...(output.Responses?.[tableName] ?? []));
    pending = output.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  const profile = found.find((item) => item.PK === profileKey.PK && item.SK === profileKey.SK);
  if (profile?.suspension !== undefined && profile.suspension !== null) return undefined;
  return found.find((item) => item.PK === PK && item.SK === SK);
}

/** Membership reads on the single table, for acting persons (see {@link readActiveMembership}). */
export function createMembershipReader(db: DynamoDBDocumentClient, tableName: string): MembershipReader {
  return {
    async getMembership(personId, orgCode) {
      return readMembership(await readActiveMembership(db, tableName, personId, orgCode));
    },
  };
}

/**
 * The person ids of an organisation's local administrators (the approvers of its right requests, the
 * people told about a second registration). One Query on the administrators' own GSI1 prefix
 * (`MEMBER#A#`): it reads as many items as there are administrators, never the other members, so
 * the cost does not grow with an organisation of 50,000 members. GSI1 is eventually consistent: an
 * administrator appointed a moment ago may miss one notification, never an authorisation (those
 * read the membership item).
 */
export async function listAdministratorIds(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgCode: string,
): Promise<string[]> {
  const ids: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :administrator)',
        ExpressionAttributeValues: {
          ':pk': organisationKeys.membersPartition(orgCode),
          ':administrator': ADMINISTRATOR_SORT_PREFIX,
        },
        ProjectionExpression: 'personId, orgCode, localAdministrator',
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      // The flag is the truth; the key follows it in the same write.
      const membership = readMembership(item);
      if (membership?.localAdministrator) ids.push(membership.personId);
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return ids;
}
