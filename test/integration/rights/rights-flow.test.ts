import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { identityKeys, inszKeyHash, keys, pendingMembershipKeys, rightsKeys } from '#shared/keys';
import { preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, stubLocalEnv, type TestTable } from '#test/helpers/dynamodb';
import {
  newOrgCode,
  person,
  type SeededPerson,
  seedMembership,
  seedOrganisation,
  seedPerson,
} from '#test/helpers/organisations';
import { createDynamoCompanyRegister } from '../../../lambdas/organisations/company-register.ts';
import { createDynamoRegisterCheck } from '../../../lambdas/organisations/register-check.ts';
import { rightRequestApproval } from '../../../lambdas/rights/approval.ts';
import { decideRightRequest } from '../../../lambdas/rights/decide-request.ts';
import { runGrantExpiry } from '../../../lambdas/rights/grant-expiry.ts';
import { createDynamoGrantExpiryStore } from '../../../lambdas/rights/grant-expiry-store.ts';
import { createRightsHarness, expectProblem, type RightsHarness, rightsDefinition } from './harness.ts';

type Trigger = (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;

let table: TestTable;
let h: RightsHarness;

beforeAll(async () => {
  rightsDefinition();
  table = await createTestTable();
  h = createRightsHarness(table, { timeScale: timeScaleForDay(2_000) });
});

afterAll(async () => {
  await h?.close();
  await table?.dispose();
});

/**
 * The real pre-token-generation Lambda entry on this file's table (imported once; the environment is
 * stubbed before every use because vitest restores it after each test and the SDK reads it per request).
 */
async function trigger(): Promise<Trigger> {
  stubLocalEnv({ TABLE_NAME: table.tableName, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  return (await import('#identity/pre-token-generation')).handler as Trigger;
}

let subjectCounter = 0;
/**
 * Where this run's national numbers start: random, so that runs against a kept table differ, and
 * then one per login, so that two logins of one run never share a number (the second would be the
 * first person).
 */
const SEQUENCE_OFFSET = Math.floor(Math.random() * 300);

/** An itsme person: the first login creates them (with INSZ and e-mail from itsme). */
interface LoggedIn {
  personId: string;
  subject: string;
  nationalNumber: string;
}

/** A valid national number born 1985-07-30 with the given sequence (check digits computed). */
function nationalNumber(sequence: number): string {
  const base = `850730${String(sequence).padStart(3, '0')}`;
  return `${base}${String(97 - (Number(base) % 97)).padStart(2, '0')}`;
}

async function firstLogin(): Promise<LoggedIn> {
  subjectCounter += 1;
  const subject = `rights-${Date.now()}-${subjectCounter}`;
  const insz = nationalNumber(100 + 2 * ((SEQUENCE_OFFSET + subjectCounter) % 300));
  const login = await trigger();
  const event = await login(
    preTokenGenerationEvent({
      provider: 'itsme',
      subject,
      attributes: { 'custom:national_number': insz, 'custom:email': `${subject}@example.be` },
    }),
  );
  const claims = event.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride;
  return { personId: String(claims?.person_id), subject, nationalNumber: insz };
}

/** Token claims at a refresh (`TokenGeneration_RefreshTokens`), through the real trigger. */
async function refresh(
  who: LoggedIn,
): Promise<{ id: Record<string, unknown>; access: Record<string, unknown> }> {
  const login = await trigger();
  const event = await login(
    preTokenGenerationEvent({
      provider: 'itsme',
      subject: who.subject,
      triggerSource: 'TokenGeneration_RefreshTokens',
      attributes: { 'custom:national_number': who.nationalNumber },
    }),
  );
  const details = event.response.claimsAndScopeOverrideDetails;
  return {
    id: (details?.idTokenGeneration?.claimsToAddOrOverride ?? {}) as Record<string, unknown>,
    access: (details?.accessTokenGeneration?.claimsToAddOrOverride ?? {}) as Record<string, unknown>,
  };
}

interface Org {
  orgCode: string;
  administrators: SeededPerson[];
}

async function organisation(administratorCount = 2): Promise<Org> {
  const orgCode = newOrgCode();
  await seedOrganisation(table, orgCode, `Graafwerken ${orgCode}`);
  const administrators: SeededPerson[] = [];
  for (let i = 0; i < administratorCount; i++) {
    const administrator = person({ locale: i === 0 ? 'fr' : 'nl' });
    await seedPerson(table, administrator);
    await seedMembership(table, administrator.personId, orgCode, { localAdministrator: true });
    administrators.push(administrator);
  }
  return { orgCode, administrators };
}

/** The notices waiting for the identity notices job (GSI1 `NOTICES#PENDING`). */
async function pendingNotices(): Promise<Record<string, unknown>[]> {
  const out = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': identityKeys.pendingNoticesPartition() },
    }),
  );
  return out.Items ?? [];
}

async function auditActions(orgCode: string, as: string): Promise<string[]> {
  const answer = await h.as(as, {
    resource: '/organisations/{orgCode}/audit',
    pathParameters: { orgCode },
  });
  expect(answer.status).toBe(200);
  return (answer.body.items as { action: string }[]).map((entry) => entry.action);
}

beforeEach(() => {
  h.outbox.clear();
});

describe('right requests without approval', () => {
  it('grants a map-requester role at once to a member, audits it, and puts it in tokens', async () => {
    const org = await organisation(1);
    const requester = await firstLogin();
    const [administrator] = org.administrators as [SeededPerson];
    await seedMembership(table, requester.personId, org.orgCode);

    const answer = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'planaanvrager',
      justification: 'Graafwerken plannen',
    });

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ requestId: expect.any(String), status: 'APPROVED' });
    expect(await auditActions(org.orgCode, administrator.personId)).toEqual([
      'right-granted',
      'right-requested',
    ]);
    const tokens = await refresh(requester);
    expect(tokens.id.roles).toEqual([`KLIP:planaanvrager:${org.orgCode}`]);
    expect(tokens.access.roles).toEqual([`KLIP:planaanvrager:${org.orgCode}`]);
    expect(h.mails()).toEqual([]);
  });

  it('grants nothing to a stranger following a link: the request waits for a local administrator', async () => {
    const org = await organisation(1);
    const stranger = await firstLogin();
    const [administrator] = org.administrators as [SeededPerson];

    const answer = await h.request(stranger.personId, org.orgCode, {
      application: 'KLIP',
      role: 'planaanvrager',
    });

    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('PENDING');
    const requestId = String(answer.body.requestId);
    await h.waitUntilWaiting(requestId);
    expect(await h.repository.getMembership(stranger.personId, org.orgCode)).toBeUndefined();
    expect((await refresh(stranger)).id.roles).toEqual([]);
    expect((await refresh(stranger)).id.admin_of).toEqual([]);
    expectProblem(
      await h.as(stranger.personId, {
        resource: '/organisations/{orgCode}/grants',
        pathParameters: { orgCode: org.orgCode },
      }),
      404,
    );
    expect(h.mails().map((m) => [m.to, m.template])).toEqual([
      [administrator.email, 'right-request-review-requested'],
    ]);

    expect(
      (await h.decide(administrator.personId, org.orgCode, requestId, { decision: 'approve' })).status,
    ).toBe(200);
    await h.waitForStatus(requestId, 'APPROVED');
    await h.waitForExecution(requestId);
    expect(await h.repository.getMembership(stranger.personId, org.orgCode)).toMatchObject({
      localAdministrator: false,
    });
    expect((await refresh(stranger)).id.roles).toEqual([`KLIP:planaanvrager:${org.orgCode}`]);
    expect(await auditActions(org.orgCode, administrator.personId)).toEqual([
      'right-granted',
      'member-added',
      'right-request-approved',
      'right-requested',
    ]);
  });

  it('writes nothing when the membership is gone at the grant at once (a removal racing the request)', async () => {
    const org = await organisation(1);
    const requester = person();
    await seedPerson(table, requester);
    const at = new Date().toISOString();
    const request = {
      requestId: `race-${Date.now()}`,
      personId: requester.personId,
      orgCode: org.orgCode,
      application: 'KLIP',
      role: 'raadpleger',
      requester: { givenNames: requester.givenNames, familyName: requester.familyName },
      status: 'APPROVED' as const,
      locale: 'nl' as const,
      createdAt: at,
      updatedAt: at,
      waiting: false,
    };
    const grant = {
      grantId: `grant-${request.requestId}`,
      personId: requester.personId,
      orgCode: org.orgCode,
      application: 'KLIP',
      role: 'raadpleger',
      validFrom: at,
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      grantedBy: 'system',
      requestId: request.requestId,
    };

    expect(await h.repository.grantAtOnce(request, grant, [])).toBe('not-member');

    expect(await h.repository.getRequest(request.requestId)).toBeUndefined();
    const { Item } = await table.documentClient.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.grant(requester.personId, org.orgCode, 'KLIP', 'raadpleger'),
      }),
    );
    expect(Item).toBeUndefined();
  });
});

describe('an approval racing the removal of the deciding administrator', () => {
  it('grants nothing when the administrator lost the role before the approval took effect, and closes the request', async () => {
    const org = await organisation(2);
    const requester = await firstLogin();
    const [first, second] = org.administrators as [SeededPerson, SeededPerson];
    const { body } = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klb-beheerder',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);
    const request = await h.repository.getRequest(requestId);
    const decision = {
      decisionId: `decision-${requestId}`,
      decision: 'approve' as const,
      decidedBy: first.personId,
      decidedAt: new Date().toISOString(),
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    // The claim has happened (the administrator decided); the removal lands before the grant.
    await h.repository.claimDecision(requestId, decision);
    await seedMembership(table, first.personId, org.orgCode, { localAdministrator: false });

    const applied = await rightRequestApproval(h.taskDeps).outcomes.approve?.apply(
      { ...(request as NonNullable<typeof request>), decision },
      decision,
    );

    expect(applied).toBe(false);
    expect((await h.repository.getRequest(requestId))?.status).toBe('EXPIRED');
    expect(await h.repository.getMembership(requester.personId, org.orgCode)).toBeUndefined();
    expect((await refresh(requester)).id.roles).toEqual([]);
    expect(await auditActions(org.orgCode, second.personId)).toEqual([
      'right-request-expired',
      'right-requested',
    ]);
  });
});

describe('a decision by a former legal representative', () => {
  it('is refused when the company register no longer lists the register-derived administrator', async () => {
    const org = await organisation(1);
    const [founder] = org.administrators as [SeededPerson];
    // The founder's role comes from a claim (register-derived), the register now lists someone else.
    await table.documentClient.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: (({ PK, SK }) => ({ PK, SK }))(keys.membership(founder.personId, org.orgCode)),
        UpdateExpression: 'SET legalRepresentative = :true, registerDerived = :true',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
    await createDynamoCompanyRegister({
      tableName: table.tableName,
      documentClient: table.documentClient,
    }).putCompany({
      enterpriseNumber: org.orgCode,
      name: 'Graafwerken',
      legalRepresentatives: ['06070500252'],
    });
    const requester = await firstLogin();
    const { body } = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klb-operator',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);
    const deps = {
      ...h.apiDeps,
      registerCheck: createDynamoRegisterCheck({
        tableName: table.tableName,
        documentClient: table.documentClient,
      }),
    };
    const caller = { personId: founder.personId, groups: [] } as unknown as Parameters<
      typeof decideRightRequest
    >[1];

    const refused = decideRightRequest(deps, caller, org.orgCode, requestId, { decision: 'approve' });

    await expect(refused).rejects.toMatchObject({ name: 'ForbiddenError', code: 'representative-lapsed' });
    expect((await h.repository.getRequest(requestId))?.status).toBe('PENDING');
    expect((await h.repository.getRequest(requestId))?.decision).toBeUndefined();
  });
});

describe('right requests with approval', () => {
  it('mails every other administrator, grants on approval with the default validity, and tells the requester', async () => {
    const org = await organisation(2);
    const requester = await firstLogin();
    const [first, second] = org.administrators as [SeededPerson, SeededPerson];
    const noEmail = person({ email: undefined });
    await seedPerson(table, noEmail);
    await seedMembership(table, noEmail.personId, org.orgCode, { localAdministrator: true });

    const submitted = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klb-beheerder',
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe('PENDING');
    const requestId = String(submitted.body.requestId);
    await h.waitUntilWaiting(requestId);

    expect(
      h
        .mails()
        .map((m) => m.to)
        .sort(),
    ).toEqual([first.email, second.email].sort());
    expect(h.mails().map((m) => m.template)).toEqual([
      'right-request-review-requested',
      'right-request-review-requested',
    ]);
    const french = h.mails().find((m) => m.to === first.email);
    expect(french?.locale).toBe('fr');
    expect(french?.text).toContain('Gestionnaire de câbles et conduites – administrateur');
    expect((await refresh(requester)).id.roles).toEqual([]);

    const inbox = await h.as(second.personId, {
      resource: '/organisations/{orgCode}/right-requests',
      pathParameters: { orgCode: org.orgCode },
    });
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ requestId, status: 'PENDING', application: 'KLIP', role: 'klb-beheerder' }),
    ]);

    const decided = await h.decide(second.personId, org.orgCode, requestId, { decision: 'approve' });
    expect(decided.status).toBe(200);
    await h.waitForStatus(requestId, 'APPROVED');
    await h.waitForExecution(requestId);

    const request = await h.repository.getRequest(requestId);
    const days = (Date.parse(String(request?.validUntil)) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);
    expect((await refresh(requester)).id.roles).toEqual([`KLIP:klb-beheerder:${org.orgCode}`]);
    expect(h.mails().at(-1)).toMatchObject({
      to: `${requester.subject}@example.be`,
      template: 'right-request-approved',
    });
    expect(await auditActions(org.orgCode, first.personId)).toEqual([
      'right-granted',
      'member-added',
      'right-request-approved',
      'right-requested',
    ]);
    const grants = await h.as(first.personId, {
      resource: '/organisations/{orgCode}/grants',
      pathParameters: { orgCode: org.orgCode },
    });
    expect(grants.body.items).toEqual([
      expect.objectContaining({
        personId: requester.personId,
        application: 'KLIP',
        role: 'klb-beheerder',
        grantedBy: second.personId,
        requestId,
      }),
    ]);
  });

  it('grants until the validUntil the administrator chose', async () => {
    const org = await organisation(1);
    const requester = person();
    await seedPerson(table, requester);
    const [administrator] = org.administrators as [SeededPerson];
    const { body } = await h.request(requester.personId, org.orgCode, {
      application: 'GIPOD',
      role: 'beheerder',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);
    const until = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);

    const decided = await h.decide(administrator.personId, org.orgCode, requestId, {
      decision: 'approve',
      validUntil: until,
    });

    expect(decided.status).toBe(200);
    await h.waitForStatus(requestId, 'APPROVED');
    expect((await h.repository.getRequest(requestId))?.validUntil).toBe(
      new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000).toISOString(),
    );
  });

  it('denies with a reason, grants nothing, tells the requester why, and lets them ask again', async () => {
    const org = await organisation(1);
    const requester = await firstLogin();
    const [administrator] = org.administrators as [SeededPerson];
    const { body } = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klim-beheerder',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);

    expectProblem(
      await h.request(requester.personId, org.orgCode, { application: 'KLIP', role: 'klim-beheerder' }),
      409,
    );
    const decided = await h.decide(administrator.personId, org.orgCode, requestId, {
      decision: 'deny',
      reason: 'Geen KLIM-beheerder bij ons',
    });
    expect(decided.status).toBe(200);
    await h.waitForStatus(requestId, 'DENIED');
    await h.waitForExecution(requestId);

    expect((await refresh(requester)).id.roles).toEqual([]);
    expect(await h.repository.getMembership(requester.personId, org.orgCode)).toBeUndefined();
    expect(h.mails().at(-1)).toMatchObject({ template: 'right-request-denied' });
    expect(h.mails().at(-1)?.text).toContain('Geen KLIM-beheerder bij ons');
    const audit = await h.as(administrator.personId, {
      resource: '/organisations/{orgCode}/audit',
      pathParameters: { orgCode: org.orgCode },
    });
    expect((audit.body.items as Record<string, unknown>[])[0]).toMatchObject({
      action: 'right-request-denied',
      actor: administrator.personId,
      subject: requester.personId,
      reason: 'Geen KLIM-beheerder bij ons',
    });
    expectProblem(
      await h.decide(administrator.personId, org.orgCode, requestId, { decision: 'approve' }),
      409,
    );
    const again = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klim-beheerder',
    });
    expect(again.status).toBe(202);
  });

  it('lets exactly one of two administrators deciding at once win', async () => {
    const org = await organisation(2);
    const requester = person();
    await seedPerson(table, requester);
    const [first, second] = org.administrators as [SeededPerson, SeededPerson];
    const { body } = await h.request(requester.personId, org.orgCode, {
      application: 'KLIP',
      role: 'klb-operator',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);

    const answers = await Promise.all([
      h.decide(first.personId, org.orgCode, requestId, { decision: 'approve' }),
      h.decide(second.personId, org.orgCode, requestId, { decision: 'deny', reason: 'Nee' }),
    ]);

    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200);
    const final = winner?.body.decision === 'approve' ? 'APPROVED' : 'DENIED';
    await h.waitForStatus(requestId, final);
    await h.waitForExecution(requestId);
    const actions = await auditActions(org.orgCode, first.personId);
    expect(
      actions.filter((a) => a === 'right-request-approved' || a === 'right-request-denied'),
    ).toHaveLength(1);
  });

  it('refuses an administrator’s decision on their own request with 403', async () => {
    const org = await organisation(2);
    const [first] = org.administrators as [SeededPerson];
    const { body } = await h.request(first.personId, org.orgCode, {
      application: 'KLIP',
      role: 'odb-beheerder',
    });
    const requestId = String(body.requestId);
    await h.waitUntilWaiting(requestId);
    const before = await table.snapshot();

    expectProblem(await h.decide(first.personId, org.orgCode, requestId, { decision: 'approve' }), 403);
    expect(await table.snapshot()).toEqual(before);
    // The requester is not mailed about their own request.
    expect(h.mails().map((m) => m.to)).not.toContain(first.email);
  });
});

describe('right request expiry', () => {
  it('expires a request nobody decided after 30 days, tells the requester, and audits it', async () => {
    const fast = createRightsHarness(table, { timeScale: timeScaleForDay(5) });
    try {
      const org = await organisation(1);
      const requester = person();
      await seedPerson(table, requester);
      const [administrator] = org.administrators as [SeededPerson];
      const { body } = await fast.request(requester.personId, org.orgCode, {
        application: 'KLIP',
        role: 'klb-raadpleger',
      });
      const requestId = String(body.requestId);

      await fast.waitForStatus(requestId, 'EXPIRED');
      await fast.waitForExecution(requestId);

      expect(fast.mails().at(-1)).toMatchObject({ to: requester.email, template: 'right-request-expired' });
      expect((await auditActions(org.orgCode, administrator.personId))[0]).toBe('right-request-expired');
      const marker = rightsKeys.openRequest(requester.personId, org.orgCode, 'KLIP', 'klb-raadpleger');
      expect((await table.snapshot()).some((item) => item.PK === marker.PK)).toBe(false);
      expectProblem(
        await fast.decide(administrator.personId, org.orgCode, requestId, { decision: 'approve' }),
        409,
      );
    } finally {
      await fast.close();
    }
  });
});

describe('grants', () => {
  it('drops a revoked role at the next refresh and audits the revocation', async () => {
    const org = await organisation(1);
    const requester = await firstLogin();
    const [administrator] = org.administrators as [SeededPerson];
    await seedMembership(table, requester.personId, org.orgCode);
    await h.request(requester.personId, org.orgCode, { application: 'KLIP', role: 'raadpleger' });
    await h.request(requester.personId, org.orgCode, { application: 'GEOPUNT', role: 'gebruiker' });
    expect((await refresh(requester)).access.roles).toEqual([
      `GEOPUNT:gebruiker:${org.orgCode}`,
      `KLIP:raadpleger:${org.orgCode}`,
    ]);
    const list = await h.as(administrator.personId, {
      resource: '/organisations/{orgCode}/grants',
      pathParameters: { orgCode: org.orgCode },
      query: { limit: '1' },
    });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const klip = (await h.repository.listGrants(org.orgCode, new Date().toISOString(), 10)).items.find(
      (g) => g.application === 'KLIP',
    );

    const revoked = await h.as(administrator.personId, {
      method: 'DELETE',
      resource: '/organisations/{orgCode}/grants/{grantId}',
      pathParameters: { orgCode: org.orgCode, grantId: String(klip?.grantId) },
    });

    expect(revoked.status).toBe(204);
    const tokens = await refresh(requester);
    expect(tokens.id.roles).toEqual([`GEOPUNT:gebruiker:${org.orgCode}`]);
    expect(tokens.access.roles).toEqual([`GEOPUNT:gebruiker:${org.orgCode}`]);
    const audit = await h.as(administrator.personId, {
      resource: '/organisations/{orgCode}/audit',
      pathParameters: { orgCode: org.orgCode },
    });
    expect((audit.body.items as Record<string, unknown>[])[0]).toMatchObject({
      action: 'grant-revoked',
      actor: administrator.personId,
      subject: requester.personId,
      details: expect.objectContaining({ grantId: klip?.grantId, application: 'KLIP', role: 'raadpleger' }),
    });
    // The person is told what they may no longer do: one notice, naming the organisation and role.
    const revocations = (await pendingNotices()).filter(
      (notice) => notice.personId === requester.personId && notice.event === 'role-revoked',
    );
    expect(revocations).toHaveLength(1);
    expect(revocations[0]?.data).toMatchObject({ reference: org.orgCode, roleName: expect.any(String) });
    expect((revocations[0]?.data as Record<string, string> | undefined)?.roleName).not.toBe('raadpleger');
    expectProblem(
      await h.as(administrator.personId, {
        method: 'DELETE',
        resource: '/organisations/{orgCode}/grants/{grantId}',
        pathParameters: { orgCode: org.orgCode, grantId: String(klip?.grantId) },
      }),
      404,
    );
  });

  it('sends the expiry notice 14 days ahead, keeps expired grants out of tokens, and sweeps them with an audit entry', async () => {
    const org = await organisation(1);
    const requester = await firstLogin();
    const [administrator] = org.administrators as [SeededPerson];
    await seedMembership(table, requester.personId, org.orgCode);
    await h.request(requester.personId, org.orgCode, { application: 'KLIP', role: 'planaanvrager' });
    await h.request(requester.personId, org.orgCode, { application: 'GIPOD', role: 'raadpleger' });
    const grants = (await h.repository.listGrants(org.orgCode, new Date().toISOString(), 10)).items;
    const klip = grants.find((g) => g.application === 'KLIP');
    const gipod = grants.find((g) => g.application === 'GIPOD');
    if (!klip || !gipod) throw new Error('grants missing');
    const day = 86_400_000;
    // Rewrite validity as if granted long ago: KLIP's last day is the UTC date 14 days from now (the
    // sweep warns by date: at the end of that day, whatever the hour the test runs), GIPOD ended an
    // hour ago.
    const warned = new Date(Date.now() + 14 * day);
    const klipUntil = new Date(
      Date.UTC(warned.getUTCFullYear(), warned.getUTCMonth(), warned.getUTCDate(), 23, 59, 59),
    );
    await rewriteValidity(requester.personId, klip, klipUntil);
    await rewriteValidity(requester.personId, gipod, new Date(Date.now() - 3_600_000));

    expect((await refresh(requester)).id.roles).toEqual([`KLIP:planaanvrager:${org.orgCode}`]);
    const expiryDeps = {
      ...h.taskDeps,
      store: createDynamoGrantExpiryStore({
        tableName: table.tableName,
        documentClient: table.documentClient,
      }),
    };
    const report = await runGrantExpiry(expiryDeps);
    const again = await runGrantExpiry(expiryDeps);

    expect(report.warned).toBeGreaterThanOrEqual(1);
    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect(report.sent).toBeGreaterThanOrEqual(2);
    expect(again).toMatchObject({ warned: 0, expired: 0, sent: 0 });
    const mine = h.mails().filter((m) => m.to === `${requester.subject}@example.be`);
    expect(mine.filter((m) => m.template === 'grant-expiring')).toHaveLength(1);
    expect(mine.filter((m) => m.template === 'grant-expired')).toHaveLength(1);
    const stored = await table.snapshot();
    const grantSk = keys.grant(requester.personId, org.orgCode, 'GIPOD', 'raadpleger').SK;
    expect(stored.some((item) => item.SK === grantSk)).toBe(false);
    const audit = await h.as(administrator.personId, {
      resource: '/organisations/{orgCode}/audit',
      pathParameters: { orgCode: org.orgCode },
    });
    expect((audit.body.items as Record<string, unknown>[])[0]).toMatchObject({
      action: 'grant-expired',
      actor: 'system',
      subject: requester.personId,
      details: expect.objectContaining({ grantId: gipod.grantId }),
    });
  });
});

/** Moves a grant's validity window (and its expiry index and TTL) as the repository would store it. */
async function rewriteValidity(
  personId: string,
  grant: { grantId: string; orgCode: string; application: string; role: string; requestId: string },
  validUntil: Date,
): Promise<void> {
  const until = validUntil.toISOString();
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...keys.grant(personId, grant.orgCode, grant.application, grant.role),
        ...rightsKeys.organisationGrant(grant.orgCode, grant.grantId),
        ...rightsKeys.grantExpiryShard(until.slice(0, 10), grant.orgCode, grant.grantId),
        type: 'grant',
        ...grant,
        personId,
        validFrom: new Date(validUntil.getTime() - 365 * 86_400_000).toISOString(),
        validUntil: until,
        grantedBy: 'system',
        expiresAt: Math.floor(validUntil.getTime() / 1000) + 7 * 86_400,
      },
    }),
  );
}

describe('a role granted by national number (seed 001: the local administrator registers you)', () => {
  const grantByNumber = (as: string, orgCode: string, body: Record<string, unknown>) =>
    h.as(as, {
      method: 'POST',
      resource: '/organisations/{orgCode}/grants',
      pathParameters: { orgCode },
      body,
    });

  it('grants at once to the holder of the number, makes them a member, audits it and tells them', async () => {
    // Prepare
    const org = await organisation(1);
    const [administrator] = org.administrators as [SeededPerson];
    const colleague = await firstLogin();

    // Act
    const granted = await grantByNumber(administrator.personId, org.orgCode, {
      insz: colleague.nationalNumber,
      application: 'KLIP',
      role: 'klb-operator',
    });
    const own = await grantByNumber(administrator.personId, org.orgCode, {
      insz: administrator.insz,
      application: 'KLIP',
      role: 'raadpleger',
    });
    const byMember = await grantByNumber(colleague.personId, org.orgCode, {
      insz: colleague.nationalNumber,
      application: 'KLIP',
      role: 'raadpleger',
    });
    const tokens = await refresh(colleague);

    // Assess
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      personId: colleague.personId,
      orgCode: org.orgCode,
      application: 'KLIP',
      role: 'klb-operator',
      grantedBy: administrator.personId,
    });
    expectProblem(own, 403);
    expect(own.body.code).toBe('own-request');
    expectProblem(byMember, 403);
    expect(await h.repository.getMembership(colleague.personId, org.orgCode)).toMatchObject({
      localAdministrator: false,
    });
    expect(tokens.id.roles).toEqual([`KLIP:klb-operator:${org.orgCode}`]);
    expect(await auditActions(org.orgCode, administrator.personId)).toEqual([
      'right-granted',
      'member-added',
    ]);
    const request = await h.repository.getRequest(String(granted.body.requestId));
    expect(request).toMatchObject({ status: 'APPROVED', decidedBy: administrator.personId });
    expect(
      (await pendingNotices()).filter((notice) => notice.personId === colleague.personId).map((n) => n.event),
    ).toContain('role-granted');
  });

  it('lets a role wait on a number nobody holds and grants it with the membership at the first verified login', async () => {
    // Prepare
    const org = await organisation(1);
    const [administrator] = org.administrators as [SeededPerson];
    const insz = nationalNumber(990 - 2 * Math.floor(Math.random() * 40));
    const body = { insz, application: 'KLIP', role: 'klb-beheerder', validUntil: '2027-06-30' };

    // Act
    const waiting = await grantByNumber(administrator.personId, org.orgCode, body);
    const again = await grantByNumber(administrator.personId, org.orgCode, body);
    const marker = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: pendingMembershipKeys.marker(inszKeyHash(insz)) }),
    );
    const login = await trigger();
    const event = await login(
      preTokenGenerationEvent({
        provider: 'itsme',
        subject: `waited-${insz}`,
        attributes: { 'custom:national_number': insz, 'custom:email': `waited-${insz}@example.be` },
      }),
    );
    const claims =
      event.response.claimsAndScopeOverrideDetails?.idTokenGeneration?.claimsToAddOrOverride ?? {};

    // Assess
    expect(waiting.status).toBe(202);
    expect(waiting.body).toEqual({
      orgCode: org.orgCode,
      application: 'KLIP',
      role: 'klb-beheerder',
      validUntil: '2027-07-01T00:00:00.000Z',
      pending: true,
    });
    expect(again.status).toBe(200);
    expect(JSON.stringify(marker.Item)).not.toContain(insz);
    expect(marker.Item?.organisations).toMatchObject({
      [org.orgCode]: {
        localAdministrator: false,
        grants: [expect.objectContaining({ role: 'klb-beheerder' })],
      },
    });
    const personId = String(claims.person_id);
    expect(claims.roles).toEqual([`KLIP:klb-beheerder:${org.orgCode}`]);
    expect(claims.admin_of).toEqual([]);
    expect(await h.repository.getMembership(personId, org.orgCode)).toMatchObject({
      localAdministrator: false,
    });
    expect((await auditActions(org.orgCode, administrator.personId)).sort()).toEqual([
      'pending-membership-claimed',
      'right-granted',
      'right-granted-pending',
    ]);
  });
});
