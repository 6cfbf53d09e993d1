/**
 * Seed 001 (issue 14): a local administrator appoints a colleague by national number before the
 * colleague ever logged in; the appointment becomes a membership at that person's first login with
 * verified evidence of the number (itsme), through the real pre-token-generation trigger. DynamoDB
 * Local, the real organisations API and identity trigger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoNoticeStore } from '#identity/notices/notice-store';
import { sendPendingNotices } from '#identity/notices/send-notices';
import { timeScaleForDay } from '#local/step-functions';
import { identityKeys, inszKeyHash, keys, organisationKeys, pendingMembershipKeys } from '#shared/keys';
import { IdempotentMailer, Outbox, OutboxMailer } from '#shared/mailer';
import { preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';
import {
  createOrganisationsHarness,
  type OrganisationsHarness,
  organisationsDefinition,
  uniqueEnterpriseNumber,
  uniqueInsz,
} from './harness.ts';

type Trigger = (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;

let table: TestTable;
const harnesses: OrganisationsHarness[] = [];

beforeAll(async () => {
  organisationsDefinition();
  table = await createTestTable();
});

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

afterAll(async () => {
  await table?.dispose();
});

async function trigger(): Promise<Trigger> {
  stubLocalEnv({ TABLE_NAME: table.tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  return (await import('#identity/pre-token-generation')).handler as Trigger;
}

/** DynamoDB requests on the wire (retries included) attributed to one login. */
const measuring = new AsyncLocalStorage<string[]>();
diagnostics.subscribe('http.client.request.start', (message) => {
  const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
  if (typeof target === 'string' && target.startsWith('DynamoDB_')) {
    measuring.getStore()?.push(target.slice(target.indexOf('.') + 1));
  }
});

/** A first itsme login and the DynamoDB operations it sent. */
/** The requests of a claiming first login: links, person, claim, then one round sent together. */
const CLAIMING_LOGIN = [
  'BatchGetItem',
  'TransactWriteItems',
  'TransactWriteItems',
  ['BatchGetItem', 'Query', 'Query'],
];
/** The sequential part as sent, the last round's parallel requests in a stable order. */
const claimLoginRounds = (sent: string[]) => [...sent.slice(0, 3), [...sent.slice(3)].sort()];

async function measuredLogin(insz: string): Promise<{ claims: Record<string, unknown>; sent: string[] }> {
  await trigger();
  const sent: string[] = [];
  const claims = await measuring.run(sent, () => itsmeLogin(insz));
  return { claims, sent };
}

async function itsmeLogin(insz: string): Promise<Record<string, unknown>> {
  const login = await trigger();
  const subject = `pending-${insz}-${Math.random()}`;
  const event = await login(
    preTokenGenerationEvent({
      provider: 'itsme',
      subject,
      attributes: { 'custom:national_number': insz, 'custom:email': `${subject}@example.be` },
    }),
  );
  return (event.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride ??
    {}) as Record<string, unknown>;
}

const getItem = async (Key: { PK: string; SK: string }) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key, ConsistentRead: true })))
    .Item;

describe('an administrator appointed by national number before the first login', () => {
  it('becomes local administrator at the first itsme login with that number, audited, and only then', async () => {
    const h = await createOrganisationsHarness(table, { timeScale: timeScaleForDay(2_000) });
    harnesses.push(h);
    const lr = await h.seed();
    const orgCode = uniqueEnterpriseNumber();
    await h.registerCompany(orgCode, 'Beheer NV', [String(lr.insz)]);
    expect(
      (
        await h.as(lr.personId, {
          method: 'POST',
          resource: '/organisations/claims',
          body: { enterpriseNumber: orgCode },
        })
      ).status,
    ).toBe(201);
    const colleague = uniqueInsz();
    const other = uniqueInsz();

    const appointed = await h.as(lr.personId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz: colleague },
    });
    const { claims: stranger, sent: plainLogin } = await measuredLogin(other);
    const markerBefore = await getItem(pendingMembershipKeys.marker(inszKeyHash(colleague)));
    const { claims, sent: claimingLogin } = await measuredLogin(colleague);
    const personId = String(claims.person_id);

    expect(appointed.status).toBe(202);
    expect(stranger.admin_of).toEqual([]);
    // A first login without a pending membership keeps its 2 round trips (the marker rides in the
    // BatchGetItem); only the appointed person's first login pays the claim and one round of
    // capacity reads (profile and membership, first memberships, the organisation's grants, together).
    expect(plainLogin).toEqual(['BatchGetItem', 'TransactWriteItems']);
    expect(claimLoginRounds(claimingLogin)).toEqual(CLAIMING_LOGIN);
    expect(markerBefore?.organisations).toHaveProperty(orgCode);
    expect(claims.admin_of).toEqual([orgCode]);
    const { PK, SK } = keys.membership(personId, orgCode);
    expect(await getItem({ PK, SK })).toMatchObject({
      localAdministrator: true,
      legalRepresentative: false,
      appointedAdministrator: true,
      GSI1PK: `ORG#${orgCode}`,
      GSI1SK: `MEMBER#A#${personId}`,
    });
    expect(await getItem(organisationKeys.organisation(orgCode))).toMatchObject({ administratorCount: 2 });
    expect(await getItem(pendingMembershipKeys.marker(inszKeyHash(colleague)))).toBeUndefined();
    const audit = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': organisationKeys.auditPartition(orgCode) },
      }),
    );
    expect((audit.Items ?? []).map((entry) => [entry.action, entry.subject])).toEqual([
      ['organisation-claimed', lr.personId],
      ['administrator-appointed-pending', 'pending'],
      ['pending-membership-claimed', personId],
    ]);
    const members = await h.as(personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode },
    });
    expect(members.status).toBe(200);
  });

  it('mails the appointed person through the notices outbox, once, in their language, never from the login', async () => {
    // Prepare
    const h = await createOrganisationsHarness(table, { timeScale: timeScaleForDay(2_000) });
    harnesses.push(h);
    const lr = await h.seed();
    const orgCode = uniqueEnterpriseNumber();
    await h.registerCompany(orgCode, 'Brouwerij Peeters BV', [String(lr.insz)]);
    await h.as(lr.personId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: orgCode },
    });
    const colleague = uniqueInsz();
    const appointed = await h.as(lr.personId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz: colleague },
    });
    expect(appointed.status).toBe(202);
    const outbox = new Outbox();
    const options = { tableName: table.tableName, documentClient: table.documentClient };
    const silent = { info() {}, warn() {}, error() {} };
    const send = () =>
      sendPendingNotices({
        store: createDynamoNoticeStore(options),
        mailer: new IdempotentMailer(new OutboxMailer(outbox), { ...options, logger: silent }),
        now: () => new Date(),
        logger: silent,
      });

    // Act
    const { claims, sent } = await measuredLogin(colleague);
    const personId = String(claims.person_id);
    await table.documentClient.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.person(personId),
        UpdateExpression: 'SET locale = :fr',
        ExpressionAttributeValues: { ':fr': 'fr' },
      }),
    );
    await send();
    await send();

    // Assess
    expect(claimLoginRounds(sent), 'the login keeps its round trips: the notice rides in the claim').toEqual(
      CLAIMING_LOGIN,
    );
    const address = (await getItem(keys.person(personId)))?.email;
    expect(address, 'the login stored the itsme e-mail').toEqual(expect.any(String));
    const mails = outbox
      .list()
      .filter((mail) => mail.to === address && mail.template === 'identity-administrator-appointment');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ locale: 'fr' });
    const body = `${mails[0]?.subject}\n${mails[0]?.text}\n${mails[0]?.html}`;
    expect(body).toContain('Brouwerij Peeters BV');
    expect(body).toContain('administrateur local');
    expect(body).not.toContain(colleague);
    const activity = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': identityKeys.activityPartition(personId) },
      }),
    );
    expect(
      (activity.Items ?? [])
        .filter((item) => item.type === 'activity')
        .map((item) => [item.event, item.reference]),
    ).toContainEqual(['administrator-appointment', orgCode]);
  });
});
