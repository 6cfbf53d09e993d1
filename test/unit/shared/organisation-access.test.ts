import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { auditPut, toAuditEntry } from '#shared/audit';
import { ForbiddenError, NotFoundError } from '#shared/errors';
import { keys, organisationKeys } from '#shared/keys';
import {
  createMembershipReader,
  requireLocalAdministrator,
  requireMember,
} from '#shared/organisation-access';
import { createDocumentClient } from '#shared/table';

const ddb = mockClient(DynamoDBDocumentClient);
const reader = createMembershipReader(createDocumentClient(new DynamoDBClient({ region: 'eu-west-1' })), 'T');
const ORG = '0403019261';

const membershipItem = (localAdministrator: boolean) => ({
  ...keys.membership('P1', ORG),
  personId: 'P1',
  orgCode: ORG,
  name: 'Acme',
  localAdministrator,
  legalRepresentative: false,
});

const profileItem = (extra: Record<string, unknown> = {}) => ({
  ...keys.person('P1'),
  personId: 'P1',
  ...extra,
});
const found = (...items: Record<string, unknown>[]) => ({ Responses: { T: items } });

afterEach(() => ddb.reset());

describe('organisation access', () => {
  it('reads the membership and the profile in one consistent BatchGetItem when checking a member', async () => {
    ddb.on(BatchGetCommand).resolves(found(membershipItem(false), profileItem()));

    const membership = await requireMember(reader, 'P1', ORG);

    expect(membership).toEqual({
      personId: 'P1',
      orgCode: ORG,
      name: 'Acme',
      localAdministrator: false,
      legalRepresentative: false,
    });
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        T: {
          Keys: [
            { PK: 'PERSON#P1', SK: `MEMBERSHIP#${ORG}` },
            { PK: 'PERSON#P1', SK: 'PROFILE' },
          ],
          ConsistentRead: true,
        },
      },
    });
  });

  it('hides the organisation (404) when the caller is not a member', async () => {
    ddb.on(BatchGetCommand).resolves(found(profileItem()));

    await expect(requireMember(reader, 'P1', ORG)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireLocalAdministrator(reader, 'P1', ORG)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses (403) a member who is not a local administrator when managing', async () => {
    ddb.on(BatchGetCommand).resolves(found(membershipItem(false), profileItem()));

    await expect(requireLocalAdministrator(reader, 'P1', ORG)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('admits a local administrator when managing', async () => {
    ddb.on(BatchGetCommand).resolves(found(membershipItem(true), profileItem()));

    await expect(requireLocalAdministrator(reader, 'P1', ORG)).resolves.toMatchObject({
      localAdministrator: true,
    });
  });

  it('hides the organisation (404) from a suspended person, administrator or not', async () => {
    ddb
      .on(BatchGetCommand)
      .resolves(
        found(
          membershipItem(true),
          profileItem({ suspension: { reason: 'verified-identity-conflict', caseId: 'C1' } }),
        ),
      );

    await expect(requireMember(reader, 'P1', ORG)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireLocalAdministrator(reader, 'P1', ORG)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads the keys DynamoDB left unprocessed', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        ...found(profileItem()),
        UnprocessedKeys: { T: { Keys: [keys.membership('P1', ORG)] } },
      })
      .resolves(found(membershipItem(true)));

    await expect(requireLocalAdministrator(reader, 'P1', ORG)).resolves.toMatchObject({ orgCode: ORG });
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});

describe('audit', () => {
  it('appends an entry with a condition that it never overwrites one', () => {
    const entry = {
      entryId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      orgCode: ORG,
      at: '2026-11-21T10:00:00.000Z',
      action: 'administrator-appointed' as const,
      actor: 'P1',
      subject: 'P2',
    };

    const put = auditPut('T', entry);

    expect(put.Put.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(put.Put.Item).toMatchObject(organisationKeys.auditEntry(ORG, entry.entryId));
    expect(toAuditEntry(put.Put.Item)).toEqual(entry);
  });
});
