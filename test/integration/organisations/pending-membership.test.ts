/**
 * Seed 001 (issue 14): a local administrator appoints a colleague by national number before the
 * colleague ever logged in; the appointment becomes a membership at that person's first login with
 * verified evidence of the number (itsme), through the real pre-token-generation trigger. DynamoDB
 * Local, the real organisations API and identity trigger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDynamoNoticeStore } from '#identity/notices/notice-store';
import { sendPendingNotices } from '#identity/notices/send-notices';
import { timeScaleForDay } from '#local/step-functions';
import { identityKeys, inszKeyHash, keys, organisationKeys, pendingMembershipKeys } from '#shared/keys';
import { IdempotentMailer, Outbox, OutboxMailer } from '#shared/mailer';
import { MAX_PENDING_ORGANISATIONS, PENDING_MEMBERSHIP_TTL_DAYS } from '#shared/pending-memberships';
import { preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { harnessSuite } from '#test/helpers/context-harness';
import { stubLocalEnv } from '#test/helpers/dynamodb';
import {
  appointAdministrator,
  claimedCompany,
  createOrganisationsHarness,
  organisationsDefinition,
  uniqueInsz,
} from './harness.ts';

type Trigger = (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;

const suite = harnessSuite(organisationsDefinition, createOrganisationsHarness);
const harness = () => suite.harness({ timeScale: timeScaleForDay(2_000) });

async function trigger(): Promise<Trigger> {
  stubLocalEnv({ TABLE_NAME: suite.table.tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
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
  return itsmeLoginAs(insz, `pending-${insz}-${Math.random()}`);
}

/** An itsme login of `subject` asserting `insz`; the ID token's claims. */
async function itsmeLoginAs(insz: string, subjectSuffix: string): Promise<Record<string, unknown>> {
  const login = await trigger();
  const subject = `pending-${insz}-${subjectSuffix}`;
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
  (
    await suite.table.documentClient.send(
      new GetCommand({ TableName: suite.table.tableName, Key, ConsistentRead: true }),
    )
  ).Item;

describe('an administrator appointed by national number before the first login', () => {
  it('becomes local administrator at the first itsme login with that number, audited, and only then', async () => {
    const h = await harness();
    const { lr, orgCode } = await claimedCompany(h, 'Beheer NV');
    const colleague = uniqueInsz();
    const other = uniqueInsz();

    const appointed = await appointAdministrator(h, lr.personId, orgCode, colleague);
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
    const audit = await suite.table.documentClient.send(
      new QueryCommand({
        TableName: suite.table.tableName,
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
    const h = await harness();
    const { lr, orgCode } = await claimedCompany(h, 'Brouwerij Peeters BV');
    const colleague = uniqueInsz();
    const appointed = await appointAdministrator(h, lr.personId, orgCode, colleague);
    expect(appointed.status).toBe(202);
    const outbox = new Outbox();
    const options = { tableName: suite.table.tableName, documentClient: suite.table.documentClient };
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
    await suite.table.documentClient.send(
      new UpdateCommand({
        TableName: suite.table.tableName,
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
    const activity = await suite.table.documentClient.send(
      new QueryCommand({
        TableName: suite.table.tableName,
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

  it('lets at most 10 organisations wait on one number (409 pending-limit, nothing written) and lapses a marker after 90 days', async () => {
    // Prepare
    const h = await harness();
    const { lr, orgCode } = await claimedCompany(h, 'Elfde BV');
    const crowded = uniqueInsz();
    const at = new Date().toISOString();
    const waiting = Object.fromEntries(
      Array.from({ length: MAX_PENDING_ORGANISATIONS }, (_, i) => [
        `OVO0000${String(i).padStart(2, '0')}`,
        { name: `Org ${i}`, localAdministrator: true, appointedBy: lr.personId, at },
      ]),
    );
    await suite.table.documentClient.send(
      new PutCommand({
        TableName: suite.table.tableName,
        Item: {
          ...pendingMembershipKeys.marker(inszKeyHash(crowded)),
          type: 'pendingMembership',
          organisations: waiting,
          version: MAX_PENDING_ORGANISATIONS,
        },
      }),
    );
    const spare = uniqueInsz();
    const appoint = (insz: string) => appointAdministrator(h, lr.personId, orgCode, insz);
    const before = await getItem(pendingMembershipKeys.marker(inszKeyHash(crowded)));

    // Act
    const refused = await appoint(crowded);
    const accepted = await appoint(spare);

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('pending-limit');
    expect(await getItem(pendingMembershipKeys.marker(inszKeyHash(crowded)))).toEqual(before);
    expect(accepted.status).toBe(202);
    const marker = await getItem(pendingMembershipKeys.marker(inszKeyHash(spare)));
    const expected = Date.now() / 1000 + PENDING_MEMBERSHIP_TTL_DAYS * 86_400;
    expect(Math.abs(Number(marker?.expiresAt) - expected)).toBeLessThan(600);
  });

  it('makes a returning member administrator when itsme first verifies the number an appointment waited on', async () => {
    // Prepare: a person known by an eIDAS-style weak link is a plain member; the appointment waited.
    const h = await harness();
    const { lr, orgCode } = await claimedCompany(h, 'Wachtend NV');
    const colleague = uniqueInsz();
    expect((await appointAdministrator(h, lr.personId, orgCode, colleague)).status).toBe(202);
    const first = await itsmeLoginAs(colleague, 'returning');
    const personId = String(first.person_id);
    // The first login claimed it; put the person back to "plain member, appointment waiting" to
    // reproduce a membership that exists before the claim (a right granted through a link meanwhile).
    const { PK, SK } = keys.membership(personId, orgCode);
    await suite.table.documentClient.send(
      new UpdateCommand({
        TableName: suite.table.tableName,
        Key: { PK, SK },
        UpdateExpression: 'SET localAdministrator = :false, appointedAdministrator = :false, GSI1SK = :sk',
        ExpressionAttributeValues: { ':false': false, ':sk': `MEMBER#M#${personId}` },
      }),
    );
    await suite.table.documentClient.send(
      new UpdateCommand({
        TableName: suite.table.tableName,
        Key: organisationKeys.organisation(orgCode),
        UpdateExpression: 'ADD administratorCount :minus',
        ExpressionAttributeValues: { ':minus': -1 },
      }),
    );
    await suite.table.documentClient.send(
      new PutCommand({
        TableName: suite.table.tableName,
        Item: {
          ...pendingMembershipKeys.marker(inszKeyHash(colleague)),
          type: 'pendingMembership',
          organisations: {
            [orgCode]: {
              name: 'Wachtend NV',
              localAdministrator: true,
              appointedBy: lr.personId,
              at: new Date().toISOString(),
            },
          },
          version: 1,
        },
      }),
    );

    // Act
    const again = await itsmeLoginAs(colleague, 'returning');

    // Assess
    expect(again.person_id).toBe(personId);
    expect(again.admin_of).toEqual([orgCode]);
    expect(await getItem({ PK, SK })).toMatchObject({
      localAdministrator: true,
      appointedAdministrator: true,
      GSI1SK: `MEMBER#A#${personId}`,
    });
    expect(await getItem(organisationKeys.organisation(orgCode))).toMatchObject({ administratorCount: 2 });
    expect(await getItem(pendingMembershipKeys.marker(inszKeyHash(colleague)))).toBeUndefined();
  });
});
