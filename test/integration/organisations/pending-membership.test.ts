/**
 * Seed 001 (issue 14): a local administrator appoints a colleague by national number before the
 * colleague ever logged in; the appointment becomes a membership at that person's first login with
 * verified evidence of the number (itsme), through the real pre-token-generation trigger. DynamoDB
 * Local, the real organisations API and identity trigger.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { inszKeyHash, keys, organisationKeys, pendingMembershipKeys } from '#shared/keys';
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
    // BatchGetItem); only the appointed person's first login pays the claim and the re-read.
    expect(plainLogin).toEqual(['BatchGetItem', 'TransactWriteItems']);
    expect(claimingLogin).toEqual(['BatchGetItem', 'TransactWriteItems', 'TransactWriteItems', 'Query']);
    expect(markerBefore?.organisations).toHaveProperty(orgCode);
    expect(claims.admin_of).toEqual([orgCode]);
    const { PK, SK } = keys.membership(personId, orgCode);
    expect(await getItem({ PK, SK })).toMatchObject({
      localAdministrator: true,
      legalRepresentative: false,
      appointedAdministrator: true,
      GSI1PK: `ORG#${orgCode}`,
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
});
