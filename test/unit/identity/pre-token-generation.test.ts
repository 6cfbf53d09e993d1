import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const TABLE = vi.hoisted(() => {
  const table = 'identity-unit-table';
  vi.stubEnv('TABLE_NAME', table);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  return table;
});

import { handler } from '#identity/pre-token-generation';
import { LoginRefusedError } from '#shared/errors';
import { isId } from '#shared/ids';
import { identityKeys, inszKeyHash, keys, pendingMembershipKeys } from '#shared/keys';
import {
  EIDAS_LOA,
  EIDAS_PERSON_ID,
  ITSME_SUBJECT,
  NATIVE_USERNAME,
  nativeUserAttributes,
  preTokenGenerationEvent,
  TOKEN_GENERATION_SOURCES,
  VALID_INSZ,
} from '#test/helpers/cognito-events';

const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-03-01T12:00:00.000Z');
const PERSON = '01JNXQ5Z6W8K3M4N5P6Q7R8S9T';
const OTHER_PERSON = '01JNXQ5Z6W8K3M4N5P6Q7R8S9V';
const EIDAS_LINK = keys.identityLink('eidas', EIDAS_PERSON_ID);
const ITSME_LINK = keys.identityLink('itsme', ITSME_SUBJECT);
const INSZ_LINK = keys.inszLink(VALID_INSZ);
const NATIVE_LINK = keys.identityLink('native', NATIVE_USERNAME);
/** Another valid national number (not the holder's). */
const OTHER_INSZ = '06070500252';
/** The pending-membership marker of the verified number: read in the same BatchGetItem (issue 14). */
const PENDING_MARKER = pendingMembershipKeys.marker(inszKeyHash(VALID_INSZ));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  ddb.reset();
  partitionItems = [];
  vi.useRealTimers();
});

const linkTo = (key: { PK: string }, personId: string) => ({ PK: key.PK, personId });
const EIDAS_USERNAME = 'eIDAS__7f1c2b9a0d4e';
const ITSME_USERNAME = `itsme_${ITSME_SUBJECT}`;
/** An eIDAS identity link as the default event's authentication recorded it. */
const eidasLink = (personId: string, extra: Record<string, unknown> = {}) => ({
  ...linkTo(EIDAS_LINK, personId),
  evidence: 'first-login',
  loa: 'substantial',
  cognitoUsername: EIDAS_USERNAME,
  asserted: { givenNames: 'Erika', familyName: 'Mustermann', birthDate: '1964-08-12' },
  capacity: null,
  ...extra,
});
/** An itsme identity link as the default event's authentication recorded it. */
const itsmeLink = (personId: string, extra: Record<string, unknown> = {}) => ({
  ...linkTo(ITSME_LINK, personId),
  evidence: 'first-login',
  loa: 'high',
  cognitoUsername: ITSME_USERNAME,
  asserted: { givenNames: 'Jan', familyName: 'Peeters', birthDate: '1985-07-30' },
  capacity: null,
  ...extra,
});
/** The national-number link, held with `evidence`. */
const inszLink = (personId: string, evidence?: string) => ({
  ...linkTo(INSZ_LINK, personId),
  ...(evidence ? { evidence } : {}),
});
const links = (...items: Record<string, unknown>[]) => ({ Responses: { [TABLE]: items } });
const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

type Item = Record<string, unknown>;
/** The partition round 2 reads (profile and capacity membership by BatchGetItem, memberships and grants by Query). */
let partitionItems: Item[] = [];
const personKeyRead = (input: { RequestItems?: Record<string, { Keys?: Item[] }> }) =>
  (input.RequestItems?.[TABLE]?.Keys ?? []).some((key) => String(key.PK).startsWith('PERSON#'));
const personItemsFor = (input: { RequestItems?: Record<string, { Keys?: Item[] }> }) => ({
  Responses: {
    [TABLE]: partitionItems.filter((item) =>
      (input.RequestItems?.[TABLE]?.Keys ?? []).some((key) => key.PK === item.PK && key.SK === item.SK),
    ),
  },
});
/** Answers the link lookup with `response` and round 2's BatchGetItem from the partition. */
function serveLinks(response: { Responses: Record<string, Item[]> }) {
  ddb.on(BatchGetCommand).callsFake((input) => (personKeyRead(input) ? personItemsFor(input) : response));
}
/** Answers round 2's reads from `response.Items` (a person's whole partition). */
function servePartition(response: { Items?: Item[] }) {
  partitionItems = response.Items ?? [];
  ddb
    .on(QueryCommand)
    .callsFake((input: { ExpressionAttributeValues: Record<string, string>; Limit?: number }) => {
      const prefix = input.ExpressionAttributeValues[':prefix'] ?? '';
      const pk = input.ExpressionAttributeValues[':pk'];
      const items = partitionItems.filter((item) => item.PK === pk && String(item.SK).startsWith(prefix));
      return { Items: input.Limit ? items.slice(0, input.Limit) : items };
    });
}

/**
 * Like `ddb.on(BatchGetCommand)` for the link lookups, while round 2's BatchGetItem of person items
 * is answered from the partition: `linkReads().resolvesOnce(a).resolves(b)`.
 */
function linkReads() {
  const steps: { once: boolean; run: () => unknown }[] = [];
  ddb.on(BatchGetCommand).callsFake(async (input) => {
    if (personKeyRead(input)) return personItemsFor(input);
    const step = steps[0];
    if (!step) return undefined;
    if (step.once && steps.length > 1) steps.shift();
    else if (step.once) steps.shift();
    return step.run();
  });
  const builder = {
    resolvesOnce(value: unknown) {
      steps.push({ once: true, run: () => value });
      return builder;
    },
    resolves(value: unknown) {
      steps.push({ once: false, run: () => value });
      return builder;
    },
    rejectsOnce(error: unknown) {
      steps.push({
        once: true,
        run: () => {
          throw error;
        },
      });
      return builder;
    },
    callsFake(fake: () => unknown) {
      steps.push({ once: false, run: fake });
      return builder;
    },
    rejects(error: unknown) {
      steps.push({
        once: false,
        run: () => {
          throw error;
        },
      });
      return builder;
    },
  };
  return builder;
}

function partition(personId: string, extra: Record<string, unknown>[] = [], insz?: string) {
  return {
    Items: [
      { ...keys.person(personId), type: 'person', personId, givenNames: 'Jan', ...(insz ? { insz } : {}) },
      ...extra,
    ],
  };
}

function claimsOf(event: PreTokenGenerationV2TriggerEvent) {
  const details = event.response.claimsAndScopeOverrideDetails;
  return {
    id: details.idTokenGeneration?.claimsToAddOrOverride as Record<string, unknown> | undefined,
    access: details.accessTokenGeneration?.claimsToAddOrOverride as Record<string, unknown> | undefined,
  };
}

describe('pre-token-generation handler', () => {
  it('counts the issued tokens by provider, source and outcome on Lambda, without personal data', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-pre-token');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    serveLinks(links(eidasLink(PERSON)));
    servePartition(partition(PERSON));

    await handler(preTokenGenerationEvent({ provider: 'eidas' }));

    const emf = stdout.mock.calls.map(([chunk]) => String(chunk)).find((line) => line.includes('"Logins"'));
    stdout.mockRestore();
    expect(emf).toBeDefined();
    const record = JSON.parse(String(emf)) as Record<string, unknown>;
    expect(record).toMatchObject({ Logins: 1, provider: 'eidas', source: 'login', outcome: 'returning' });
    expect(String(emf)).not.toContain(PERSON);
    expect(String(emf)).not.toContain(EIDAS_PERSON_ID);
  });

  it('suppresses every mapped IdP attribute from the ID token when issuing tokens', async () => {
    serveLinks(links(itsmeLink(PERSON), inszLink(PERSON, 'itsme-eid')));
    servePartition(partition(PERSON));

    const event = await handler(preTokenGenerationEvent({ provider: 'itsme' }));

    const suppressed = event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToSuppress;
    expect(suppressed).toEqual(expect.arrayContaining(['custom:national_number', 'custom:eidas_person_id']));
    const mapped = Object.keys(event.request.userAttributes).filter((name) => name.startsWith('custom:'));
    expect(mapped.length).toBeGreaterThan(0);
    expect(suppressed).toEqual(expect.arrayContaining(mapped));
  });

  describe('returning person', () => {
    it('puts person, roles and administrations in both tokens when the identity link exists', async () => {
      serveLinks(links(eidasLink(PERSON)));
      servePartition(
        partition(PERSON, [
          { ...keys.membership(PERSON, 'OVO000001'), orgCode: 'OVO000001', localAdministrator: true },
          {
            ...keys.grant(PERSON, 'OVO000001', 'KLIP', 'planaanvrager'),
            orgCode: 'OVO000001',
            application: 'KLIP',
            role: 'planaanvrager',
            validUntil: '2026-12-31T23:59:59.000Z',
          },
          {
            ...keys.grant(PERSON, 'OVO000001', 'KLIP', 'raadpleger'),
            orgCode: 'OVO000001',
            application: 'KLIP',
            role: 'raadpleger',
            validUntil: NOW.toISOString(),
          },
        ]),
      );

      const { id, access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      // The only organisation is the capacity (the link's hint said private: one more read, hint corrected).
      const expected = {
        person_id: PERSON,
        loa: 'substantial',
        idp: 'eidas',
        org: 'OVO000001',
        org_name: 'OVO000001',
        roles: ['KLIP:planaanvrager:OVO000001'],
        admin_of: ['OVO000001'],
      };
      expect(id).toEqual(expected);
      expect(access).toEqual(expected);
      expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: { [TABLE]: expect.objectContaining({ Keys: [EIDAS_LINK], ConsistentRead: true }) },
      });
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.personPartition(PERSON),
          ':prefix': keys.grantsOf('OVO000001'),
        },
      });
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it('adds insz to the ID token only when the person has a verified national number', async () => {
      serveLinks(links(itsmeLink(PERSON), inszLink(PERSON, 'itsme-eid')));
      servePartition(partition(PERSON, [], VALID_INSZ));

      const { id, access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: PERSON, idp: 'itsme', loa: 'high', insz: VALID_INSZ });
      expect(access).not.toHaveProperty('insz');
      expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: { [TABLE]: expect.objectContaining({ Keys: [ITSME_LINK, INSZ_LINK, PENDING_MARKER] }) },
      });
    });

    it.each(TOKEN_GENERATION_SOURCES)(
      'computes the same claims when the trigger source is %s',
      async (source) => {
        serveLinks(links(eidasLink(PERSON)));
        servePartition(partition(PERSON));

        const { id, access } = claimsOf(
          await handler(preTokenGenerationEvent({ provider: 'eidas', triggerSource: source })),
        );

        expect(id).toEqual({ person_id: PERSON, loa: 'substantial', idp: 'eidas', roles: [], admin_of: [] });
        expect(access).toEqual(id);
      },
    );

    it('claims the LoA the gateway reported when it is above the minimum', async () => {
      serveLinks(links(eidasLink(PERSON)));
      servePartition(partition(PERSON));

      const event = preTokenGenerationEvent({
        provider: 'eidas',
        attributes: { 'custom:loa': EIDAS_LOA.high },
      });
      const { access } = claimsOf(await handler(event));

      expect(access).toMatchObject({ loa: 'high' });
    });

    it('resolves itsme by the exact sub in identities when the user name is case-folded', async () => {
      serveLinks(
        links(
          itsmeLink(PERSON, {
            PK: keys.identityLink('itsme', 'AbC-Sub').PK,
            cognitoUsername: 'itsme_abc-sub',
          }),
        ),
      );
      servePartition(partition(PERSON));

      await handler(
        preTokenGenerationEvent({ provider: 'itsme', subject: 'AbC-Sub', userName: 'itsme_abc-sub' }),
      );

      expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: {
          [TABLE]: expect.objectContaining({
            Keys: [keys.identityLink('itsme', 'AbC-Sub'), INSZ_LINK, PENDING_MARKER],
          }),
        },
      });
    });

    it('retries the keys DynamoDB left unprocessed', async () => {
      linkReads()
        .resolvesOnce({
          ...links(itsmeLink(PERSON)),
          UnprocessedKeys: { [TABLE]: { Keys: [INSZ_LINK] } },
        })
        .resolvesOnce(links(inszLink(PERSON, 'itsme-eid')));
      servePartition(partition(PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: PERSON });
      expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
      expect(ddb).toHaveReceivedNthCommandWith(BatchGetCommand, 2, {
        RequestItems: { [TABLE]: expect.objectContaining({ Keys: [INSZ_LINK] }) },
      });
    });
  });

  describe('first login', () => {
    it('creates person, identity link and INSZ link in one transaction when itsme is new', async () => {
      serveLinks(links());
      ddb.on(TransactWriteCommand).resolves({});

      const { id, access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      const personId = String(id?.person_id);
      expect(isId(personId)).toBe(true);
      expect(id).toEqual({
        person_id: personId,
        loa: 'high',
        idp: 'itsme',
        roles: [],
        admin_of: [],
        insz: VALID_INSZ,
      });
      expect(access).toEqual({ person_id: personId, loa: 'high', idp: 'itsme', roles: [], admin_of: [] });
      const timestamp = NOW.toISOString();
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items.slice(0, 3)).toEqual([
        {
          Put: {
            TableName: TABLE,
            Item: {
              ...ITSME_LINK,
              type: 'identityLink',
              personId,
              provider: 'itsme',
              evidence: 'first-login',
              linkedAt: timestamp,
              loa: 'high',
              asserted: { givenNames: 'Jan', familyName: 'Peeters', birthDate: '1985-07-30' },
              cognitoUsername: ITSME_USERNAME,
              capacity: null,
              createdAt: timestamp,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              ...keys.person(personId),
              ...identityKeys.bornOn('1985-07-30', 'PERSON', personId),
              type: 'person',
              personId,
              givenNames: 'Jan',
              familyName: 'Peeters',
              birthDate: '1985-07-30',
              sex: 'M',
              locale: 'nl',
              email: 'jan.peeters@example.be',
              phone: '+32470123456',
              address: { street: 'Wetstraat 16', postalCode: '1000', city: 'Brussel', country: 'BE' },
              insz: VALID_INSZ,
              inszEvidence: 'itsme-eid',
              inszLinkedAt: timestamp,
              providers: new Set(['itsme']),
              identityLinks: new Set([`itsme#${ITSME_SUBJECT}`]),
              createdAt: timestamp,
              updatedAt: timestamp,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: {
              ...INSZ_LINK,
              type: 'inszLink',
              personId,
              evidence: 'itsme-eid',
              linkedAt: timestamp,
              loa: 'high',
              createdAt: timestamp,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
      // The person is told: an activity entry and its notice, in the same transaction.
      expect(items.slice(3).map((item) => item.Put?.Item)).toEqual([
        expect.objectContaining({
          type: 'activity',
          personId,
          event: 'insz-linked',
          evidence: 'itsme-eid',
          provider: 'itsme',
        }),
        expect.objectContaining({
          type: 'notice',
          personId,
          event: 'insz-linked',
          GSI1PK: 'NOTICES#PENDING',
        }),
      ]);
      expect(JSON.stringify(items.slice(3))).not.toContain(VALID_INSZ);
      expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    });

    it('creates an eIDAS person without INSZ link or insz claim', async () => {
      serveLinks(links());
      ddb.on(TransactWriteCommand).resolves({});

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      expect(id).not.toHaveProperty('insz');
      const transaction = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(transaction.map((item) => item.Put?.Item?.PK)).toEqual([
        EIDAS_LINK.PK,
        keys.personPartition(String(id?.person_id)),
      ]);
    });

    it('continues as the returning person when a Cognito retry finds the link of its first attempt', async () => {
      linkReads()
        .resolvesOnce(links())
        .resolvesOnce(links(itsmeLink(PERSON), inszLink(PERSON, 'itsme-eid')));
      ddb
        .on(TransactWriteCommand)
        .rejects(canceled('ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'));
      servePartition(partition(PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: PERSON, insz: VALID_INSZ });
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('gives the same person to a whole retried invocation', async () => {
      linkReads()
        .resolvesOnce(links())
        .callsFake(() => {
          const input = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
          const personId = input?.TransactItems?.[0]?.Put?.Item?.personId;
          return links(eidasLink(String(personId)));
        });
      ddb.on(TransactWriteCommand).resolves({});
      ddb.on(QueryCommand).resolves({ Items: [] });

      const first = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));
      const created = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input;
      partitionItems = partition(String(created?.TransactItems?.[0]?.Put?.Item?.personId)).Items;
      const retry = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      expect(retry.id).toEqual(first.id);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    });

    it('links to the holder of the INSZ when a concurrent first login took the national number', async () => {
      linkReads()
        .resolvesOnce(links())
        .resolvesOnce(links(inszLink(OTHER_PERSON, 'itsme-eid')));
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(canceled('None', 'None', 'ConditionalCheckFailed', 'None', 'None'))
        .resolves({});
      servePartition(partition(OTHER_PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: OTHER_PERSON });
      expect(ddb).toHaveReceivedNthCommandWith(TransactWriteCommand, 2, {
        TransactItems: [
          expect.objectContaining({
            Put: expect.objectContaining({ Item: expect.objectContaining(ITSME_LINK) }),
          }),
          expect.objectContaining({ Update: expect.objectContaining({ Key: keys.person(OTHER_PERSON) }) }),
          expect.objectContaining({
            Put: expect.objectContaining({ Item: expect.objectContaining({ type: 'activity' }) }),
          }),
          expect.objectContaining({
            Put: expect.objectContaining({ Item: expect.objectContaining({ type: 'notice' }) }),
          }),
        ],
      });
    });

    it('tries again when a concurrent transaction conflicts', async () => {
      serveLinks(links());
      ddb.on(TransactWriteCommand).rejectsOnce(canceled('TransactionConflict', 'None')).resolves({});

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      expect(isId(String(id?.person_id))).toBe(true);
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    });
  });

  describe('new identity of a person known by INSZ', () => {
    it.each(['itsme-eid', 'bis-issued', 'registration-office', 'eudi-pid'])(
      'links the new itsme sub to the person holding the national number with %s evidence',
      async (evidence) => {
        serveLinks(links(inszLink(OTHER_PERSON, evidence)));
        ddb.on(TransactWriteCommand).resolves({});
        servePartition(partition(OTHER_PERSON, [], VALID_INSZ));

        const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

        expect(id).toMatchObject({ person_id: OTHER_PERSON, idp: 'itsme', insz: VALID_INSZ });
        const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
        expect(items[0]).toEqual({
          Put: {
            TableName: TABLE,
            Item: expect.objectContaining({
              ...ITSME_LINK,
              type: 'identityLink',
              personId: OTHER_PERSON,
              provider: 'itsme',
              evidence: 'itsme-eid',
              linkedAt: NOW.toISOString(),
              loa: 'high',
            }),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        expect(items[1]).toEqual({
          Update: {
            TableName: TABLE,
            Key: keys.person(OTHER_PERSON),
            UpdateExpression: 'ADD providers :provider, identityLinks :link SET updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(mergedInto)',
            ExpressionAttributeValues: {
              ':provider': new Set(['itsme']),
              ':link': new Set([`itsme#${ITSME_SUBJECT}`]),
              ':now': NOW.toISOString(),
            },
          },
        });
        expect(items.slice(2).map((item) => item.Put?.Item)).toEqual([
          expect.objectContaining({ type: 'activity', personId: OTHER_PERSON, event: 'identity-linked' }),
          expect.objectContaining({ type: 'notice', personId: OTHER_PERSON, event: 'identity-linked' }),
        ]);
      },
    );

    it('continues as returning person when a concurrent login linked the identity first', async () => {
      linkReads()
        .resolvesOnce(links(inszLink(OTHER_PERSON, 'itsme-eid')))
        .resolvesOnce(links(itsmeLink(OTHER_PERSON), inszLink(OTHER_PERSON, 'itsme-eid')));
      ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None', 'None'));
      servePartition(partition(OTHER_PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: OTHER_PERSON });
    });
  });

  describe('verified beats weak', () => {
    it.each([['register-match'], [undefined]])(
      'gives the number to a new person and suspends the holder whose link has %s evidence',
      async (evidence) => {
        serveLinks(links(inszLink(OTHER_PERSON, evidence)));
        ddb.on(TransactWriteCommand).resolves({});

        const { id, access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

        const personId = String(id?.person_id);
        expect(personId).not.toBe(OTHER_PERSON);
        expect(id).toMatchObject({ idp: 'itsme', insz: VALID_INSZ, roles: [], admin_of: [] });
        expect(access).not.toHaveProperty('insz');
        const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
        expect(items[2]?.Update).toMatchObject({
          Key: INSZ_LINK,
          ConditionExpression: 'personId = :holder AND (attribute_not_exists(evidence) OR evidence = :weak)',
          ExpressionAttributeValues: expect.objectContaining({
            ':verified': personId,
            ':holder': OTHER_PERSON,
            ':evidence': 'itsme-eid',
          }),
        });
        expect(items[3]?.Update).toMatchObject({
          Key: keys.person(OTHER_PERSON),
          UpdateExpression: expect.stringContaining('REMOVE insz'),
          ExpressionAttributeValues: expect.objectContaining({
            ':suspension': expect.objectContaining({ reason: 'verified-identity-conflict' }),
          }),
        });
        const caseItem = items[4]?.Put?.Item;
        expect(caseItem).toMatchObject({
          type: 'identityCase',
          status: 'OPEN',
          suspendedPersonId: OTHER_PERSON,
          verifiedPersonId: personId,
          GSI1PK: 'IDENTITY_CASES#OPEN',
        });
        expect(
          items
            .slice(5)
            .map((item) => [item.Put?.Item?.type, item.Put?.Item?.personId, item.Put?.Item?.event]),
        ).toEqual([
          ['activity', OTHER_PERSON, 'insz-suspended'],
          ['notice', OTHER_PERSON, 'insz-suspended'],
          ['activity', personId, 'insz-linked'],
          ['notice', personId, 'insz-linked'],
        ]);
        // Two round trips, as every first login.
        expect(ddb.calls()).toHaveLength(2);
      },
    );

    it('gives the number to the returning itsme person and suspends the weak holder', async () => {
      serveLinks(links(itsmeLink(PERSON), inszLink(OTHER_PERSON, 'register-match')));
      ddb.on(TransactWriteCommand).resolves({});
      servePartition(partition(PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: PERSON, insz: VALID_INSZ });
      const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items[0]?.Update).toMatchObject({
        Key: keys.person(PERSON),
        ConditionExpression: expect.stringContaining('attribute_not_exists(insz)'),
      });
      expect(items[1]?.Update).toMatchObject({ Key: INSZ_LINK });
      expect(items[2]?.Update).toMatchObject({ Key: keys.person(OTHER_PERSON) });
    });

    it('resolves again when the weak link changed before the displacement committed', async () => {
      linkReads()
        .resolvesOnce(links(inszLink(OTHER_PERSON, 'register-match')))
        .resolvesOnce(links(inszLink(OTHER_PERSON, 'itsme-eid')));
      ddb
        .on(TransactWriteCommand)
        .rejectsOnce(
          canceled('None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None', 'None'),
        )
        .resolves({});
      servePartition(partition(OTHER_PERSON, [], VALID_INSZ));

      const { id } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: OTHER_PERSON });
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    });

    it('keeps roles and administrations out of the tokens of a suspended person', async () => {
      serveLinks(links(eidasLink(PERSON)));
      servePartition({
        Items: [
          {
            ...keys.person(PERSON),
            personId: PERSON,
            suspension: { reason: 'verified-identity-conflict', caseId: 'C1', at: NOW.toISOString() },
          },
          { ...keys.membership(PERSON, '0403019261'), orgCode: '0403019261', localAdministrator: true },
          {
            ...keys.grant(PERSON, '0403019261', 'KLIP', 'planaanvrager'),
            orgCode: '0403019261',
            application: 'KLIP',
            role: 'planaanvrager',
          },
        ],
      });

      const { id, access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      expect(id).toEqual({ person_id: PERSON, loa: 'substantial', idp: 'eidas', roles: [], admin_of: [] });
      expect(access).toEqual(id);
    });
  });

  describe('refresh', () => {
    const refresh = (options: Omit<Parameters<typeof preTokenGenerationEvent>[0], 'triggerSource'>) =>
      preTokenGenerationEvent({ ...options, triggerSource: 'TokenGeneration_RefreshTokens' });

    it('takes no decision from attributes: policy, LoA and national number come from the table', async () => {
      serveLinks(links(eidasLink(PERSON, { loa: 'substantial' })));
      servePartition(partition(PERSON));

      const { access } = claimsOf(
        await handler(
          refresh({
            provider: 'eidas',
            attributes: {
              'custom:nationality': 'GB',
              'custom:loa': EIDAS_LOA.high,
              'custom:given_name': undefined,
            },
          }),
        ),
      );

      expect(access).toMatchObject({ person_id: PERSON, loa: 'substantial' });
      expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: { [TABLE]: expect.objectContaining({ Keys: [EIDAS_LINK] }) },
      });
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it('ignores a national number written into the attributes of an itsme user', async () => {
      serveLinks(links(itsmeLink(PERSON)));
      servePartition(partition(PERSON));

      await handler(refresh({ provider: 'itsme', attributes: { 'custom:national_number': '06070500252' } }));

      expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: { [TABLE]: expect.objectContaining({ Keys: [ITSME_LINK] }) },
      });
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it("refuses an eIDAS refresh whose PersonIdentifier attribute names another user's identity", async () => {
      serveLinks(links(eidasLink(OTHER_PERSON, { cognitoUsername: 'eIDAS__victim' })));

      await expect(
        handler(refresh({ provider: 'eidas', attributes: { 'custom:eidas_person_id': EIDAS_PERSON_ID } })),
      ).rejects.toMatchObject({ reason: 'session-expired' });
      expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    });

    it('refuses a refresh of an identity without link and writes nothing', async () => {
      serveLinks(links());

      await expect(handler(refresh({ provider: 'itsme' }))).rejects.toMatchObject({
        reason: 'session-expired',
      });
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    /** What a holder could write with UpdateUserAttributes if a client let them (issue 12, item 7). */
    const TAMPERED: Record<string, string> = {
      'custom:national_number': OTHER_INSZ,
      'custom:loa': EIDAS_LOA.low,
      'custom:nationality': 'GB',
      'custom:given_name': 'Mallory',
      'custom:family_name': 'Evil',
      'custom:birth_date': '1990-01-01',
      'custom:pid_country': 'BE',
      'custom:pid_admin_number': OTHER_INSZ,
    };

    it.each([
      ['eidas', () => eidasLink(PERSON, { loa: 'substantial' }), EIDAS_LINK],
      ['itsme', () => itsmeLink(PERSON), ITSME_LINK],
    ] as const)(
      'gives an %s refresh with tampered identity attributes the claims of a clean one',
      async (provider, link, key) => {
        serveLinks(links(link()));
        servePartition(partition(PERSON, [], VALID_INSZ));
        const clean = claimsOf(await handler(refresh({ provider })));

        const tampered = claimsOf(await handler(refresh({ provider, attributes: TAMPERED })));

        expect(tampered).toEqual(clean);
        expect(tampered.id).toMatchObject({ person_id: PERSON, insz: VALID_INSZ });
        for (const call of ddb.commandCalls(BatchGetCommand).filter((c) => !personKeyRead(c.args[0].input))) {
          expect(call.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([key]);
        }
        expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
        expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
      },
    );

    it('gives a native refresh with identity attributes written on the account the claims of a clean one', async () => {
      const nativeLink = {
        ...linkTo(NATIVE_LINK, PERSON),
        evidence: 'registration-office',
        loa: 'substantial',
        cognitoUsername: NATIVE_USERNAME,
      };
      serveLinks(links(nativeLink));
      servePartition(partition(PERSON, [], VALID_INSZ));
      const nativeRefresh = (attributes: Record<string, string>) => {
        const event = refresh({ provider: 'itsme', userName: NATIVE_USERNAME });
        event.request.userAttributes = { ...nativeUserAttributes(), ...attributes };
        return event;
      };
      const clean = claimsOf(await handler(nativeRefresh({})));

      const tampered = claimsOf(
        await handler(
          nativeRefresh({
            ...TAMPERED,
            'custom:eidas_person_id': EIDAS_PERSON_ID,
            'custom:loa': EIDAS_LOA.high,
          }),
        ),
      );

      expect(tampered).toEqual(clean);
      expect(tampered.access).toMatchObject({ person_id: PERSON, idp: 'native', loa: 'substantial' });
      for (const call of ddb.commandCalls(BatchGetCommand).filter((c) => !personKeyRead(c.args[0].input))) {
        expect(call.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([NATIVE_LINK]);
      }
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it('adds the API scope to a native access token and leaves the scopes of a federated one alone', async () => {
      const nativeLink = {
        ...linkTo(NATIVE_LINK, PERSON),
        evidence: 'registration-office',
        loa: 'substantial',
        cognitoUsername: NATIVE_USERNAME,
      };
      linkReads()
        .resolvesOnce(links(nativeLink))
        .resolvesOnce(links(itsmeLink(PERSON)));
      servePartition(partition(PERSON));
      const nativeEvent = refresh({ provider: 'itsme', userName: NATIVE_USERNAME });
      nativeEvent.request.userAttributes = nativeUserAttributes();

      const native = await handler(nativeEvent);
      const federated = await handler(refresh({ provider: 'itsme' }));

      expect(native.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.scopesToAdd).toEqual([
        'eid-access/api',
      ]);
      expect(native.response.claimsAndScopeOverrideDetails.idTokenGeneration).not.toHaveProperty(
        'scopesToAdd',
      );
      expect(federated.response.claimsAndScopeOverrideDetails.accessTokenGeneration).not.toHaveProperty(
        'scopesToAdd',
      );
      expect(claimsOf(federated).access).toMatchObject({ person_id: PERSON, idp: 'itsme' });
    });

    it('follows the identity link to the person it points to now (after a join)', async () => {
      serveLinks(links(itsmeLink(OTHER_PERSON)));
      servePartition(partition(OTHER_PERSON));

      const { id } = claimsOf(await handler(refresh({ provider: 'itsme' })));

      expect(id).toMatchObject({ person_id: OTHER_PERSON, loa: 'high' });
    });
  });

  describe('refusals', () => {
    it('refuses with identity-conflict and a support reference when identity and INSZ belong to different persons', async () => {
      serveLinks(links(itsmeLink(PERSON), inszLink(OTHER_PERSON, 'itsme-eid')));

      const rejection = handler(preTokenGenerationEvent({ provider: 'itsme' }));

      await expect(rejection).rejects.toBeInstanceOf(LoginRefusedError);
      await expect(rejection).rejects.toMatchObject({
        reason: 'identity-conflict',
        message: expect.stringMatching(/contact the helpdesk and mention reference [0-9A-Z]{26}\.$/),
      });
      expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
      expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    });

    it.each([
      ['eidas', { 'custom:nationality': 'FR' }, 'refused-nationality'],
      ['eidas', { 'custom:loa': EIDAS_LOA.low }, 'insufficient-loa'],
      ['eidas', { 'custom:eidas_person_id': 'DE/NL/42' }, 'wrong-receiving-country'],
      ['eidas', { 'custom:given_name': undefined }, 'missing-attribute'],
      ['itsme', { 'custom:national_number': '12345678901' }, 'invalid-national-number'],
    ] as const)(
      'refuses a %s login with %j as %s before any DynamoDB call',
      async (provider, attributes, reason) => {
        await expect(handler(preTokenGenerationEvent({ provider, attributes }))).rejects.toMatchObject({
          reason,
        });
        expect(ddb).not.toHaveReceivedAnyCommand();
      },
    );

    it('refuses a native user with unknown-provider', async () => {
      const event = preTokenGenerationEvent({
        provider: 'eidas',
        userName: 'local-admin',
        withoutIdentities: true,
      });

      await expect(handler(event)).rejects.toMatchObject({ reason: 'unknown-provider' });
      expect(ddb).not.toHaveReceivedAnyCommand();
    });

    it('shows a generic message without internals when DynamoDB fails', async () => {
      linkReads().rejects(new Error('ProvisionedThroughputExceededException: table identity-unit-table'));

      const rejection = handler(preTokenGenerationEvent({ provider: 'eidas' }));

      await expect(rejection).rejects.toThrow(
        /^\[temporary-failure\] We could not complete your login because of a temporary problem\. Please try again in a few minutes\.$/,
      );
      await expect(rejection).rejects.not.toBeInstanceOf(LoginRefusedError);
    });

    it('fails generically when the identity link points to a person without profile', async () => {
      serveLinks(links(eidasLink(PERSON)));
      ddb.on(QueryCommand).resolves({ Items: [] });

      await expect(handler(preTokenGenerationEvent({ provider: 'eidas' }))).rejects.toThrow(
        /temporary problem/,
      );
    });

    it('gives up generically when contention never settles', async () => {
      serveLinks(links());
      ddb.on(TransactWriteCommand).rejects(canceled('TransactionConflict', 'None'));

      await expect(handler(preTokenGenerationEvent({ provider: 'eidas' }))).rejects.toThrow(
        /temporary problem/,
      );
      expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 4);
    });
  });

  describe('DynamoDB round trips per login', () => {
    it('takes 2 for a returning person: the links, then profile and first memberships sent together', async () => {
      serveLinks(links(itsmeLink(PERSON), inszLink(PERSON, 'itsme-eid')));
      servePartition(partition(PERSON, [], VALID_INSZ));

      await handler(preTokenGenerationEvent({ provider: 'itsme' }));

      expect(ddb.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'BatchGetCommand',
        'BatchGetCommand',
        'QueryCommand',
      ]);
    });

    it('takes 2 for a person acting for one of 200 organisations, reading that one only', async () => {
      const orgs = Array.from({ length: 200 }, (_, i) => `0${String(400000000 + i)}`);
      const items = orgs.flatMap((orgCode) => [
        { ...keys.membership(PERSON, orgCode), orgCode, name: `Org ${orgCode}`, localAdministrator: true },
        ...['a', 'b', 'c', 'd'].map((role) => ({
          ...keys.grant(PERSON, orgCode, 'KLIP', role),
          orgCode,
          application: 'KLIP',
          role,
        })),
      ]);
      const chosen = orgs[123] as string;
      serveLinks(links(eidasLink(PERSON, { capacity: chosen })));
      servePartition({
        Items: [
          { ...keys.person(PERSON), personId: PERSON, capacity: { orgCode: chosen } },
          ...items.sort((a, b) => a.SK.localeCompare(b.SK)),
        ],
      });

      const { access } = claimsOf(await handler(preTokenGenerationEvent({ provider: 'eidas' })));

      expect(access).toMatchObject({
        org: chosen,
        org_name: `Org ${chosen}`,
        roles: ['a', 'b', 'c', 'd'].map((role) => `KLIP:${role}:${chosen}`),
        admin_of: [chosen],
      });
      expect(ddb.calls()).toHaveLength(4);
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        ExpressionAttributeValues: { ':pk': keys.personPartition(PERSON), ':prefix': keys.grantsOf(chosen) },
      });
    });

    it('takes 2 for a first login', async () => {
      serveLinks(links());
      ddb.on(TransactWriteCommand).resolves({});

      await handler(preTokenGenerationEvent({ provider: 'itsme' }));

      expect(ddb.calls()).toHaveLength(2);
    });

    it('takes 3 for a returning person whose IdP now asserts other data (recorded once)', async () => {
      // Round 2 sends the profile read and the first memberships together: 4 requests, 3 round trips.
      linkReads().resolves(links(itsmeLink(PERSON, { loa: 'substantial' }), inszLink(PERSON, 'itsme-eid')));
      ddb.on(UpdateCommand).resolves({});
      servePartition(partition(PERSON, [], VALID_INSZ));

      await handler(preTokenGenerationEvent({ provider: 'itsme' }));

      expect(ddb.calls()).toHaveLength(4);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        Key: ITSME_LINK,
        ConditionExpression: 'attribute_exists(PK) AND personId = :personId',
        ExpressionAttributeValues: expect.objectContaining({ ':loa': 'high', ':username': ITSME_USERNAME }),
      });
    });

    it('takes 2 for a refresh', async () => {
      serveLinks(links(eidasLink(PERSON)));
      servePartition(partition(PERSON));

      await handler(
        preTokenGenerationEvent({ provider: 'eidas', triggerSource: 'TokenGeneration_RefreshTokens' }),
      );

      // Round 2 sends the profile read and the first memberships together.
      expect(ddb.calls()).toHaveLength(3);
    });

    it('takes 3 for a first login through a new identity of a person known by INSZ', async () => {
      serveLinks(links(inszLink(OTHER_PERSON, 'itsme-eid')));
      ddb.on(TransactWriteCommand).resolves({});
      servePartition(partition(OTHER_PERSON, [], VALID_INSZ));

      await handler(preTokenGenerationEvent({ provider: 'itsme' }));

      // Links, the link transaction, then profile and first memberships together (and the new link's hint).
      expect(ddb.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'BatchGetCommand',
        'TransactWriteCommand',
        'BatchGetCommand',
        'QueryCommand',
        'UpdateCommand',
      ]);
    });
  });
});
