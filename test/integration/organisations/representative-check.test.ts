/**
 * A former legal representative loses the rights that came only from the company register (issue
 * 14): the daily check over the sparse GSI2 index, the re-check before an administrator action, the
 * last-administrator rule (a security officers' case instead of an organisation without
 * administrator), and an appointed administrator keeping that role. DynamoDB Local, the real
 * repository, register and idempotent mailer.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { keys, organisationKeys } from '#shared/keys';
import { listAdministratorIds } from '#shared/organisation-access';
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

const membership = async (personId: string, orgCode: string) => {
  const { PK, SK } = keys.membership(personId, orgCode);
  return (
    await suite.table.documentClient.send(
      new GetCommand({ TableName: suite.table.tableName, Key: { PK, SK } }),
    )
  ).Item;
};
const organisation = async (orgCode: string) =>
  (
    await suite.table.documentClient.send(
      new GetCommand({ TableName: suite.table.tableName, Key: organisationKeys.organisation(orgCode) }),
    )
  ).Item;
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
  ).map((item) => [item.action, item.subject]);

const checkDeps = (h: OrganisationsHarness) => ({
  repository: h.apiDeps.repository,
  register: h.apiDeps.register,
  mailer: h.apiDeps.mailer,
  now: () => new Date(),
  securityOfficersEmail: SECURITY_OFFICERS_EMAIL,
});

/** A Belgian company claimed by each of `count` representatives the register lists. */
async function claimedCompany(h: OrganisationsHarness, count: number) {
  const orgCode = uniqueEnterpriseNumber();
  const people = [];
  for (let i = 0; i < count; i++) people.push(await h.seed());
  await h.registerCompany(
    orgCode,
    'Bouw Claes NV',
    people.map((p) => String(p.insz)),
  );
  for (const p of people) {
    const answer = await h.as(p.personId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: orgCode },
    });
    expect(answer.status).toBe(201);
  }
  return { orgCode, people };
}

describe('the daily legal-representative check', () => {
  it('takes the representative and administrator roles from a person the register no longer lists, audits and mails it', async () => {
    const h = await harness();
    const { orgCode, people } = await claimedCompany(h, 2);
    const [former, current] = people as [(typeof people)[0], (typeof people)[0]];
    await h.registerCompany(orgCode, 'Bouw Claes NV', [String(current.insz)]);
    h.outbox.clear();

    const report = await runRepresentativeCheck(checkDeps(h));
    const again = await runRepresentativeCheck(checkDeps(h));
    const members = await h.as(former.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode },
    });

    expect(report.lapsed).toBeGreaterThanOrEqual(1);
    expect(await membership(former.personId, orgCode)).toMatchObject({
      legalRepresentative: false,
      localAdministrator: false,
    });
    expect((await membership(former.personId, orgCode))?.GSI2PK).toBeUndefined();
    expect(await membership(current.personId, orgCode)).toMatchObject({
      legalRepresentative: true,
      localAdministrator: true,
    });
    expect(await organisation(orgCode)).toMatchObject({ administratorCount: 1 });
    // The approvers' index follows the role in the same write.
    expect(await listAdministratorIds(suite.table.documentClient, suite.table.tableName, orgCode)).toEqual([
      current.personId,
    ]);
    expect((await auditActions(orgCode)).filter(([action]) => action === 'representative-lapsed')).toEqual([
      ['representative-lapsed', former.personId],
    ]);
    expect(h.mails().map((m) => [m.template, m.to])).toEqual([['representative-lapsed', former.email]]);
    expect(again.lapsed).toBe(0);
    expectProblem(members, 403);
  });

  it('keeps the last administrator and opens a security officers case instead, once', async () => {
    const h = await harness();
    const { orgCode, people } = await claimedCompany(h, 1);
    const [only] = people as [(typeof people)[0]];
    await h.registerCompany(orgCode, 'Bouw Claes NV', []);
    h.outbox.clear();

    await runRepresentativeCheck(checkDeps(h));
    await runRepresentativeCheck(checkDeps(h));

    expect(await membership(only.personId, orgCode)).toMatchObject({
      legalRepresentative: true,
      localAdministrator: true,
    });
    expect(await organisation(orgCode)).toMatchObject({ administratorCount: 1 });
    const caseItem = (
      await suite.table.documentClient.send(
        new GetCommand({
          TableName: suite.table.tableName,
          Key: (({ PK, SK }) => ({ PK, SK }))(organisationKeys.organisationCase(orgCode, only.personId)),
        }),
      )
    ).Item;
    expect(caseItem).toMatchObject({
      status: 'OPEN',
      kind: 'representative-lapsed',
      GSI1PK: 'ORG_CASES#OPEN',
    });
    expect(
      (await auditActions(orgCode)).filter(([action]) => action === 'representative-lapse-flagged'),
    ).toEqual([['representative-lapse-flagged', only.personId]]);
    expect(h.mails().map((m) => [m.template, m.to])).toEqual([
      ['organisation-case-opened', SECURITY_OFFICERS_EMAIL],
    ]);
  });

  it('keeps the administrator role of a representative a local administrator appointed', async () => {
    const h = await harness();
    const { orgCode, people } = await claimedCompany(h, 1);
    const [founder] = people as [(typeof people)[0]];
    const colleague = await h.seed();
    const appointed = await h.as(founder.personId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz: colleague.insz },
    });
    expect(appointed.status).toBe(201);
    // The colleague becomes a representative too, then leaves the register again.
    await h.registerCompany(orgCode, 'Bouw Claes NV', [String(founder.insz), String(colleague.insz)]);
    expect(
      (
        await h.as(colleague.personId, {
          method: 'POST',
          resource: '/organisations/claims',
          body: { enterpriseNumber: orgCode },
        })
      ).status,
    ).toBe(201);
    await h.registerCompany(orgCode, 'Bouw Claes NV', [String(founder.insz)]);

    await runRepresentativeCheck(checkDeps(h));

    expect(await membership(colleague.personId, orgCode)).toMatchObject({
      legalRepresentative: false,
      localAdministrator: true,
    });
    expect(await organisation(orgCode)).toMatchObject({ administratorCount: 2 });
  });
});

describe('an administrator action by a representative-derived administrator', () => {
  it('re-checks the register: a former representative is refused and loses the role at once', async () => {
    const h = await harness();
    const { orgCode, people } = await claimedCompany(h, 2);
    const [former, current] = people as [(typeof people)[0], (typeof people)[0]];
    const colleague = await h.seed();
    await h.registerCompany(orgCode, 'Bouw Claes NV', [String(current.insz)]);

    const appoint = await h.as(former.personId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz: colleague.insz },
    });
    const byCurrent = await h.as(current.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode },
    });

    expectProblem(appoint, 403);
    expect(appoint.body.code).toBe('representative-lapsed');
    expect(await membership(colleague.personId, orgCode)).toBeUndefined();
    expect(await membership(former.personId, orgCode)).toMatchObject({
      legalRepresentative: false,
      localAdministrator: false,
    });
    expect(byCurrent.status).toBe(200);
  });
});
