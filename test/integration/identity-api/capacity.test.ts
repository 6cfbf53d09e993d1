import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The trigger module builds its Lambda entry point at import; the tests build their own handler.
vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'capacity-test-import');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import { loadIdentityConfig } from '#identity/config';
import { createDynamoPersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { newId } from '#shared/ids';
import { identityKeys, keys } from '#shared/keys';
import { apiEvent, lambdaContext } from '#test/helpers/api-events';
import { ITSME_SUBJECT, preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';
import { seedMembership } from '#test/helpers/organisations';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

async function entry(): Promise<ProxyHandler> {
  stubLocalEnv({ TABLE_NAME: table.tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  return (await import('#identity/api/handler')).handler;
}

/** A person with an itsme identity link (unique subject per test) and `orgs` memberships, 4 grants each. */
async function seedPerson(orgs: number): Promise<{ personId: string; subject: string; orgCodes: string[] }> {
  const personId = newId();
  const subject = `${ITSME_SUBJECT}-${personId}`;
  const send = (Item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
  await send({
    ...keys.person(personId),
    type: 'person',
    personId,
    givenNames: 'Jan',
    familyName: 'Peeters',
    birthDate: '1985-07-30',
    providers: new Set(['itsme']),
    identityLinks: new Set([`itsme#${subject}`]),
  });
  await send({
    ...keys.identityLink('itsme', subject),
    type: 'identityLink',
    personId,
    provider: 'itsme',
    evidence: 'first-login',
    loa: 'high',
    cognitoUsername: `itsme_${subject}`,
  });
  const orgCodes = Array.from({ length: orgs }, (_, i) => `0${String(300000000 + i)}`);
  for (const [index, orgCode] of orgCodes.entries()) {
    await seedMembership(table, personId, orgCode, {
      name: `Organisation ${index}`,
      localAdministrator: true,
    });
    for (const role of ['raadpleger', 'planaanvrager', 'klb-beheerder', 'klb-operator']) {
      await send({
        ...keys.grant(personId, orgCode, 'KLIP', role),
        type: 'grant',
        grantId: newId(),
        personId,
        orgCode,
        application: 'KLIP',
        role,
        validUntil: '2099-01-01T00:00:00.000Z',
      });
    }
  }
  return { personId, subject, orgCodes };
}

/** A pre token generation handler on the real table that counts items and bytes the login reads. */
function countingLogin() {
  const counts = { requests: 0, items: 0, bytes: 0 };
  const counting = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      counts.requests += 1;
      const output = (await table.documentClient.send(command as never)) as Record<string, unknown>;
      const items = [
        ...((output.Items as unknown[]) ?? []),
        ...Object.values((output.Responses as Record<string, unknown[]>) ?? {}).flat(),
        ...(output.Item ? [output.Item] : []),
      ];
      counts.items += items.length;
      counts.bytes += items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0);
      return output;
    },
  } as unknown as DynamoDBDocumentClient;
  const handler = createPreTokenGenerationHandler({
    config: loadIdentityConfig({}),
    repository: createDynamoPersonRepository({ tableName: table.tableName, documentClient: counting }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  return { counts, handler };
}

const refresh = (subject: string) =>
  preTokenGenerationEvent({
    provider: 'itsme',
    subject,
    userName: `itsme_${subject}`,
    triggerSource: 'TokenGeneration_RefreshTokens',
  });

const accessClaims = (event: Awaited<ReturnType<ReturnType<typeof countingLogin>['handler']>>) =>
  event.response.claimsAndScopeOverrideDetails.accessTokenGeneration
    ?.claimsToAddOrOverride as unknown as Record<string, unknown>;

describe('PUT /me/capacity', () => {
  it('stores the choice on the profile and the identity links, audits it, and the next refresh carries it', async () => {
    const handler = await entry();
    const { personId, subject, orgCodes } = await seedPerson(3);
    const chosen = orgCodes[1] as string;

    const result = await handler(
      apiEvent({
        method: 'PUT',
        resource: '/me/capacity',
        claims: { person_id: personId },
        body: { orgCode: chosen },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ orgCode: chosen, name: 'Organisation 1' });
    const link = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keys.identityLink('itsme', subject) }),
    );
    expect(link.Item?.capacity).toBe(chosen);
    const activity = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': identityKeys.activityPartition(personId) },
      }),
    );
    expect(activity.Items).toEqual([
      expect.objectContaining({ event: 'capacity-chosen', reference: chosen }),
    ]);

    const login = countingLogin();
    const claims = accessClaims(await login.handler(refresh(subject)));
    expect(claims).toMatchObject({
      org: chosen,
      org_name: 'Organisation 1',
      admin_of: [chosen],
      roles: ['klb-beheerder', 'klb-operator', 'planaanvrager', 'raadpleger'].map(
        (r) => `KLIP:${r}:${chosen}`,
      ),
    });
  });

  it('stores a private choice: the next token carries no org, no roles and no admin_of', async () => {
    const handler = await entry();
    const { personId, subject } = await seedPerson(1);

    const result = await handler(
      apiEvent({
        method: 'PUT',
        resource: '/me/capacity',
        claims: { person_id: personId },
        body: { orgCode: null },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ orgCode: null, name: null });
    const claims = accessClaims(await countingLogin().handler(refresh(subject)));
    expect(claims.org).toBeUndefined();
    expect(claims).toMatchObject({ roles: [], admin_of: [] });
  });

  it('answers 404 and writes nothing when the caller is not a member of the organisation', async () => {
    const handler = await entry();
    const { personId } = await seedPerson(1);
    const before = await table.snapshot();

    const result = await handler(
      apiEvent({
        method: 'PUT',
        resource: '/me/capacity',
        claims: { person_id: personId },
        body: { orgCode: '0999999999' },
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(404);
    expect(result.headers?.['Content-Type'] ?? result.headers?.['content-type']).toContain('problem+json');
    expect(await table.snapshot()).toEqual(before);
  });

  it.each([
    ['a number', { orgCode: 403019261 }],
    ['a missing orgCode', {}],
    ['an unknown field', { orgCode: null, org: 'x' }],
    ['characters outside an organisation code', { orgCode: '../ORG#1' }],
  ])('answers 400 problem and writes nothing for %s', async (_label, body) => {
    const handler = await entry();
    const { personId } = await seedPerson(1);
    const before = await table.snapshot();

    const result = await handler(
      apiEvent({ method: 'PUT', resource: '/me/capacity', claims: { person_id: personId }, body }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ status: 400 });
    expect(await table.snapshot()).toEqual(before);
  });
});

describe('login reads', () => {
  it('reads a bounded number of items whatever the number of organisations (N = 1 and N = 200)', async () => {
    const handler = await entry();
    const measured: { items: number; bytes: number; requests: number; token: number }[] = [];
    for (const n of [1, 200]) {
      const { personId, subject, orgCodes } = await seedPerson(n);
      const chosen = orgCodes[n - 1] as string;
      await handler(
        apiEvent({
          method: 'PUT',
          resource: '/me/capacity',
          claims: { person_id: personId },
          body: { orgCode: chosen },
        }),
        lambdaContext(),
      );
      const login = countingLogin();
      const claims = accessClaims(await login.handler(refresh(subject)));
      expect(claims.org).toBe(chosen);
      measured.push({ ...login.counts, token: JSON.stringify(claims).length });
    }

    const [one, many] = measured as [(typeof measured)[0], (typeof measured)[0]];
    // Profile, the capacity's membership and 4 grants, and the first memberships (1 at N = 1, 2 from N = 2 on).
    expect(one.items).toBe(8);
    expect(many.items).toBe(9);
    expect(many.requests).toBe(one.requests);
    expect(many.bytes).toBeLessThanOrEqual(one.bytes + 200);
    expect(many.token).toBeLessThanOrEqual(one.token + 8);
  });
});
