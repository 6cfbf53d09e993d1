/**
 * The security officers' identity cases on DynamoDB Local, in the shape the login trigger writes
 * them: list by status, resolve once (lift or keep), audited on the suspended person and mailed.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '#shared/ids';
import { identityKeys, keys } from '#shared/keys';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { type IdentityWorld, identityWorld, inszBornOn, type SeededLogin } from './world.ts';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

let table: TestTable;
let world: IdentityWorld;
let officer: SeededLogin;

beforeAll(async () => {
  table = await createTestTable();
  world = identityWorld(table);
  officer = await world.person({ provider: 'itsme' });
});

afterAll(async () => {
  await table.dispose();
});

const OFFICER = { 'cognito:groups': 'security-officers' };

/** A suspended person, the verified one, and the open case between them. */
async function openCase() {
  const suspended = await world.person();
  const verified = await world.person({ provider: 'itsme' });
  const caseId = newId();
  const createdAt = new Date().toISOString();
  const put = (Item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
  await put({
    ...identityKeys.supportCase(caseId),
    ...identityKeys.supportCaseQueue('OPEN', createdAt, caseId),
    type: 'identityCase',
    caseId,
    kind: 'verified-identity-conflict',
    status: 'OPEN',
    suspendedPersonId: suspended.personId,
    verifiedPersonId: verified.personId,
    provider: 'itsme',
    createdAt,
  });
  const profile = (await table.snapshot()).find(
    (item) => item.PK === keys.person(suspended.personId).PK && item.SK === 'PROFILE',
  );
  await put({ ...profile, suspension: { reason: 'verified-identity-conflict', caseId, at: createdAt } });
  return { suspended, verified, caseId };
}

const resolve = (
  caller: SeededLogin,
  caseId: string,
  body: unknown,
  claims: Record<string, string> = OFFICER,
) =>
  world.call(caller, {
    method: 'POST',
    resource: '/security/identity-cases/{caseId}/resolution',
    pathParameters: { caseId },
    body,
    extraClaims: claims,
  });

describe('identity cases (DynamoDB Local)', () => {
  it('lists open cases to security officers and lifts a suspension once, audited and mailed', async () => {
    const { suspended, caseId } = await openCase();

    const list = await world.call(officer, {
      resource: '/security/identity-cases',
      query: { status: 'OPEN' },
      extraClaims: OFFICER,
    });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseId, status: 'OPEN' })]),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/\d{11}/);
    expect((await world.call(suspended, { resource: '/me' })).body.suspended).toBe(true);

    const answer = await resolve(officer, caseId, {
      resolution: 'lift-suspension',
      reason: 'Checked the eID in person',
    });

    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      caseId,
      status: 'RESOLVED',
      resolution: 'lift-suspension',
      resolvedBy: officer.personId,
    });
    expect((await world.call(suspended, { resource: '/me' })).body.suspended).toBe(false);
    const entries = (await table.snapshot()).filter(
      (item) => item.PK === identityKeys.activityPartition(suspended.personId),
    );
    expect(entries).toMatchObject([
      {
        event: 'suspension-resolved',
        actor: 'security-officer',
        actorId: officer.personId,
        reference: caseId,
      },
    ]);
    const resolved = await world.call(officer, {
      resource: '/security/identity-cases',
      query: { status: 'RESOLVED' },
      extraClaims: OFFICER,
    });
    expect(resolved.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseId })]));

    const again = await resolve(officer, caseId, {
      resolution: 'keep-suspended',
      reason: 'Second opinion here',
    });
    expect(again.status).toBe(409);
  });

  it('keeps the suspension when the officer decides so', async () => {
    const { suspended, caseId } = await openCase();

    expect(
      (await resolve(officer, caseId, { resolution: 'keep-suspended', reason: 'No proof was brought' }))
        .status,
    ).toBe(200);
    expect((await world.call(suspended, { resource: '/me' })).body.suspended).toBe(true);
  });

  it('refuses others (403), an officer deciding about themselves (403), unknown cases (404) and bad input (400), writing nothing', async () => {
    const { suspended, caseId } = await openCase();
    const before = await table.snapshot();

    expect(
      (await resolve(suspended, caseId, { resolution: 'lift-suspension', reason: 'It is me, really' }, {}))
        .status,
    ).toBe(403);
    expect(
      (await resolve(suspended, caseId, { resolution: 'lift-suspension', reason: 'It is me, really' }))
        .status,
    ).toBe(403);
    expect(
      (await resolve(officer, newId(), { resolution: 'lift-suspension', reason: 'Unknown case here' }))
        .status,
    ).toBe(404);
    expect((await resolve(officer, caseId, { resolution: 'lift-suspension', reason: 'short' })).status).toBe(
      400,
    );
    expect(
      (await resolve(officer, caseId, { resolution: 'forget-it', reason: 'Not a resolution' })).status,
    ).toBe(400);
    expect(
      (await world.call(suspended, { resource: '/security/identity-cases', query: { status: 'OPEN' } }))
        .status,
    ).toBe(403);
    expect(await table.snapshot()).toEqual(before);
  });

  it('refuses to link a national number while the person is suspended', async () => {
    const { suspended } = await openCase();

    const answer = await world.call(suspended, {
      method: 'POST',
      resource: '/me/insz',
      body: {
        insz: inszBornOn('640812'),
        givenNames: 'Erika',
        familyName: 'Mustermann',
        birthDate: '1964-08-12',
      },
    });

    expect(answer.status).toBe(409);
  });
});
