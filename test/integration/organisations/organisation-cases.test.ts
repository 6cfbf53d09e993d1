/**
 * The security officers' organisation cases (O21, O23, O24): the daily representative check opens
 * one when the register no longer lists an organisation's last administrator; officers list the open
 * queue page by page and close each case once, audited. DynamoDB Local, the real repository and
 * routes.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { organisationKeys } from '#shared/keys';
import { harnessSuite } from '#test/helpers/context-harness';
import { runRepresentativeCheck } from '../../../lambdas/organisations/representative-check.ts';
import {
  createOrganisationsHarness,
  expectProblem,
  type OrganisationsHarness,
  organisationsDefinition,
  uniqueEnterpriseNumber,
} from './harness.ts';
import { SECURITY_OFFICERS_EMAIL } from './organisations-stack.ts';

const suite = harnessSuite(organisationsDefinition, createOrganisationsHarness);

const harness = () => suite.harness({ timeScale: timeScaleForDay(2_000) });

const OFFICERS = 'security-officers';

const auditActions = async (orgCode: string) =>
  (
    (
      await suite.table.documentClient.send(
        new QueryCommand({
          TableName: suite.table.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': organisationKeys.auditPartition(orgCode) },
        }),
      )
    ).Items ?? []
  ).map((item) => [item.action, item.actor, item.details?.resolution]);

const caseItem = async (orgCode: string, personId: string) => {
  const { PK, SK } = organisationKeys.organisationCase(orgCode, personId);
  return (
    await suite.table.documentClient.send(
      new GetCommand({ TableName: suite.table.tableName, Key: { PK, SK } }),
    )
  ).Item;
};

/** A company whose only administrator the register no longer lists, flagged by the daily check. */
async function flaggedCompany(h: OrganisationsHarness) {
  const orgCode = uniqueEnterpriseNumber();
  const representative = await h.seed();
  await h.registerCompany(orgCode, 'Bouw Claes NV', [String(representative.insz)]);
  const claimed = await h.as(representative.personId, {
    method: 'POST',
    resource: '/organisations/claims',
    body: { enterpriseNumber: orgCode },
  });
  expect(claimed.status).toBe(201);
  await h.registerCompany(orgCode, 'Bouw Claes NV', []);
  await runRepresentativeCheck({
    repository: h.apiDeps.repository,
    register: h.apiDeps.register,
    mailer: h.apiDeps.mailer,
    now: () => new Date(),
    securityOfficersEmail: SECURITY_OFFICERS_EMAIL,
  });
  return {
    orgCode,
    representative,
    caseId: organisationKeys.organisationCaseId(orgCode, representative.personId),
  };
}

async function openQueue(h: OrganisationsHarness, officerId: string) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.as(
      officerId,
      { resource: '/security/organisation-cases', query: { limit: '1', ...(cursor ? { cursor } : {}) } },
      OFFICERS,
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const items = page.body.items as { caseId: string }[];
    expect(items.length).toBeLessThanOrEqual(1);
    ids.push(...items.map((item) => item.caseId));
    cursor = page.body.nextCursor as string | undefined;
  } while (cursor);
  return ids;
}

describe('the organisation cases of the security officers', () => {
  it('lists the open cases page by page to officers only', async () => {
    const h = await harness();
    const first = await flaggedCompany(h);
    const second = await flaggedCompany(h);
    const officer = await h.seed();

    const ids = await openQueue(h, officer.personId);
    const whole = await h.as(
      officer.personId,
      { resource: '/security/organisation-cases', query: { limit: '100' } },
      OFFICERS,
    );
    const refused = await h.as(first.representative.personId, { resource: '/security/organisation-cases' });

    expect(ids).toEqual(expect.arrayContaining([first.caseId, second.caseId]));
    // Named, so that officers need not look the organisation and the person up.
    expect(whole.body.items).toContainEqual(
      expect.objectContaining({
        caseId: first.caseId,
        orgCode: first.orgCode,
        organisationName: 'Bouw Claes NV',
        givenNames: first.representative.givenNames,
        familyName: first.representative.familyName,
        kind: 'representative-lapsed',
        status: 'OPEN',
      }),
    );
    expectProblem(refused, 403);
  });

  it('closes a case once with the officer and the note audited, and takes it off the open queue', async () => {
    const h = await harness();
    const { orgCode, representative, caseId } = await flaggedCompany(h);
    const officer = await h.seed();
    const other = await h.seed();
    const resolve = (personId: string, body: Record<string, unknown>, groups?: string) =>
      h.as(
        personId,
        {
          method: 'POST',
          resource: '/security/organisation-cases/{caseId}/resolution',
          pathParameters: { caseId },
          body,
        },
        groups,
      );
    const note = 'The company sent its new board; the register is being corrected.';

    const notOfficer = await resolve(representative.personId, { resolution: 'dismissed', note });
    const badBody = await resolve(officer.personId, { resolution: 'closed', note }, OFFICERS);
    const shortNote = await resolve(officer.personId, { resolution: 'dismissed', note: 'ok' }, OFFICERS);
    const stillOnlyAdministrator = await resolve(
      officer.personId,
      { resolution: 'administrator-appointed', note },
      OFFICERS,
    );
    const untouched = await caseItem(orgCode, representative.personId);
    const closed = await resolve(officer.personId, { resolution: 'dismissed', note }, OFFICERS);
    const again = await resolve(other.personId, { resolution: 'organisation-suspended', note }, OFFICERS);
    const queue = await openQueue(h, officer.personId);

    expectProblem(notOfficer, 403);
    expectProblem(badBody, 400);
    expectProblem(shortNote, 400);
    expectProblem(stillOnlyAdministrator, 422);
    expect(stillOnlyAdministrator.body.code).toBe('no-other-administrator');
    expect(untouched).toMatchObject({ status: 'OPEN', GSI1PK: 'ORG_CASES#OPEN' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({
      caseId,
      status: 'RESOLVED',
      resolution: 'dismissed',
      note,
      resolvedBy: officer.personId,
    });
    expectProblem(again, 409);
    expect(again.body.code).toBe('already-decided');
    expect(queue).not.toContain(caseId);
    expect(await caseItem(orgCode, representative.personId)).toMatchObject({
      status: 'RESOLVED',
      GSI1PK: 'ORG_CASES#RESOLVED',
      resolvedBy: officer.personId,
    });
    expect(
      (await auditActions(orgCode)).filter(([action]) => action === 'organisation-case-resolved'),
    ).toEqual([['organisation-case-resolved', officer.personId, 'dismissed']]);
  });

  it('records an appointed administrator only when the organisation has one besides the flagged person', async () => {
    const h = await harness();
    const { orgCode, representative, caseId } = await flaggedCompany(h);
    const colleague = await h.seed();
    const officer = await h.seed();
    const appointed = await h.as(representative.personId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz: colleague.insz },
    });
    // The kept last administrator still acts (the case is open), so the colleague is appointed.
    expect(appointed.status, JSON.stringify(appointed.body)).toBe(201);

    const closed = await h.as(
      officer.personId,
      {
        method: 'POST',
        resource: '/security/organisation-cases/{caseId}/resolution',
        pathParameters: { caseId },
        body: { resolution: 'administrator-appointed', note: 'A colleague was appointed administrator.' },
      },
      OFFICERS,
    );

    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.resolution).toBe('administrator-appointed');
  });

  it('answers 404 for an unknown or malformed case reference', async () => {
    const h = await harness();
    const officer = await h.seed();
    const body = { resolution: 'dismissed', note: 'Nothing to see here at all.' };

    const unknown = await h.as(
      officer.personId,
      {
        method: 'POST',
        resource: '/security/organisation-cases/{caseId}/resolution',
        pathParameters: { caseId: `${uniqueEnterpriseNumber()}~nobody` },
        body,
      },
      OFFICERS,
    );
    const malformed = await h.as(
      officer.personId,
      {
        method: 'POST',
        resource: '/security/organisation-cases/{caseId}/resolution',
        pathParameters: { caseId: 'not-a-case' },
        body,
      },
      OFFICERS,
    );

    expectProblem(unknown, 404);
    expectProblem(malformed, 400);
  });
});
