import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import {
  foreignRegistrationKeys,
  identityKeys,
  inszKeyHash,
  keys,
  organisationKeys,
  pendingMembershipKeys,
} from '#shared/keys';
import { harnessSuite } from '#test/helpers/context-harness';
import { NO_INSZ_MESSAGE } from '../../../lambdas/organisations/claim-organisation.ts';
import {
  approveAtOnce,
  BUCKET,
  createOrganisationsHarness,
  decideForeignRegistration,
  expectProblem,
  foreignBody,
  OFFICERS,
  type OrganisationsHarness,
  organisationsDefinition,
  PDF,
  uniqueEnterpriseNumber,
} from './harness.ts';
import { SECURITY_OFFICERS_EMAIL } from './organisations-stack.ts';

const SLOW = timeScaleForDay(2_000);
const FAST = timeScaleForDay(10);

const suite = harnessSuite(organisationsDefinition, createOrganisationsHarness);

const harness = (timeScale = SLOW) => suite.harness({ timeScale });

async function getItem(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
  const out = await suite.table.documentClient.send(
    new GetCommand({ TableName: suite.table.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

async function auditOf(orgCode: string): Promise<Record<string, unknown>[]> {
  const out = await suite.table.documentClient.send(
    new QueryCommand({
      TableName: suite.table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': organisationKeys.auditPartition(orgCode) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** A person's activity log: `[event, reference]` of each entry, oldest first. */
async function activityOf(personId: string): Promise<[unknown, unknown][]> {
  const out = await suite.table.documentClient.send(
    new QueryCommand({
      TableName: suite.table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': identityKeys.activityPartition(personId) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? [])
    .filter((item) => item.type === 'activity')
    .map((item) => [item.event, item.reference]);
}

const claim = (h: OrganisationsHarness, personId: string, enterpriseNumber: string) =>
  h.as(personId, { method: 'POST', resource: '/organisations/claims', body: { enterpriseNumber } });

describe('company claims (local, DynamoDB Local)', () => {
  it('creates the organisation, makes the caller legal representative and administrator, audits and mails when the register lists them', async () => {
    const h = await harness();
    const lr = await h.seed();
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Bouw Claes NV', [lr.insz as string]);

    const first = await claim(h, lr.personId, `BE${kbo.slice(0, 4)}.${kbo.slice(4, 7)}.${kbo.slice(7)}`);
    const repeat = await claim(h, lr.personId, kbo);

    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      orgCode: kbo,
      name: 'Bouw Claes NV',
      localAdministrator: true,
      legalRepresentative: true,
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({
      orgCode: kbo,
      name: 'Bouw Claes NV',
      kind: 'belgian',
      enterpriseNumber: kbo,
      administratorCount: 1,
    });
    const { PK, SK } = keys.membership(lr.personId, kbo);
    expect(await getItem({ PK, SK })).toMatchObject({
      personId: lr.personId,
      orgCode: kbo,
      name: 'Bouw Claes NV',
      localAdministrator: true,
      legalRepresentative: true,
      GSI1PK: `ORG#${kbo}`,
    });
    const audit = await auditOf(kbo);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'organisation-claimed',
      actor: lr.personId,
      subject: lr.personId,
    });
    expect(h.mails().map((m) => [m.template, m.to, m.locale])).toEqual([
      ['organisation-claimed', lr.email, 'nl'],
    ]);
  });

  it('refuses without writing anything: 400 invalid number, 404 unknown, 403 not listed, 403 without INSZ', async () => {
    const h = await harness();
    const listed = await h.seed();
    const other = await h.seed();
    const noInsz = await h.seed({ insz: undefined });
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Listed BV', [listed.insz as string]);
    const before = await suite.table.snapshot();

    const invalid = await claim(h, listed.personId, '0403019262');
    const unknown = await claim(h, listed.personId, uniqueEnterpriseNumber());
    const notListed = await claim(h, other.personId, kbo);
    const withoutInsz = await claim(h, noInsz.personId, kbo);

    expectProblem(invalid, 400);
    expectProblem(unknown, 404);
    expectProblem(notListed, 403);
    expectProblem(withoutInsz, 403);
    expect(withoutInsz.body.detail).toBe(NO_INSZ_MESSAGE);
    expect(withoutInsz.body.detail).toMatch(/BIS number/);
    expect(await suite.table.snapshot()).toEqual(before);
  });

  it('ends with one organisation and two memberships when two legal representatives claim at the same time', async () => {
    const h = await harness();
    const a = await h.seed();
    const b = await h.seed();
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Samen NV', [a.insz as string, b.insz as string]);

    const answers = await Promise.all([claim(h, a.personId, kbo), claim(h, b.personId, kbo)]);

    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({ administratorCount: 2 });
    const members = await suite.table.documentClient.send(
      new QueryCommand({
        TableName: suite.table.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `ORG#${kbo}` },
      }),
    );
    expect(members.Items?.map((item) => item.personId).sort()).toEqual([a.personId, b.personId].sort());
    expect(await auditOf(kbo)).toHaveLength(2);
    const profiles = (await suite.table.snapshot()).filter((item) => item.PK === `ORG#${kbo}`);
    expect(profiles).toHaveLength(1);
  });

  it('makes the same person claim once when the same claim is sent twice at the same time', async () => {
    const h = await harness();
    const lr = await h.seed();
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Dubbel BV', [lr.insz as string]);

    const answers = await Promise.all([claim(h, lr.personId, kbo), claim(h, lr.personId, kbo)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({ administratorCount: 1 });
    expect(await auditOf(kbo)).toHaveLength(1);
  });
});

describe('foreign-company registration (local, from the synthesized state machine)', () => {
  async function submitted(h: OrganisationsHarness, overrides: Record<string, unknown> = {}) {
    const applicant = await h.seed({ insz: undefined, locale: 'de' });
    const uploadId = await h.upload(applicant.personId);
    const body = foreignBody(uploadId, overrides);
    const answer = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/organisations/foreign-registrations',
      body,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const registrationId = String(answer.body.registrationId);
    return { applicant, uploadId, body, registrationId, answer };
  }

  const decide = decideForeignRegistration;

  it('creates the organisation with a stable code, the applicant as legal representative and administrator, and mails when approved', async () => {
    const h = await harness();
    const { applicant, uploadId, body, registrationId, answer } = await submitted(h, {
      registrationNumber: 'HRB 12.345-b',
    });
    await h.waitUntilWaiting(registrationId);

    const officerView = await h.as(
      'OFFICER1',
      { resource: '/organisations/foreign-registrations/{id}', pathParameters: { id: registrationId } },
      OFFICERS,
    );
    const extract = await fetch(String((officerView.body.extract as { url: string }).url));
    const queue = await h.as('OFFICER1', { resource: '/security/foreign-registrations' }, OFFICERS);
    const decided = await decide(h, registrationId, { decision: 'approve' });
    const done = await h.runner.waitForCompletion(registrationId);
    const ownerView = await h.as(applicant.personId, {
      resource: '/organisations/foreign-registrations/{id}',
      pathParameters: { id: registrationId },
    });

    const orgCode = 'FOREIGN-DE-HRB12345B';
    expect(answer.body).toEqual({ registrationId, status: 'PENDING_REVIEW' });
    expect(officerView.body).toMatchObject({ status: 'PENDING_REVIEW', personId: applicant.personId });
    expect(Buffer.from(await extract.arrayBuffer()).equals(PDF)).toBe(true);
    expect((queue.body.items as { registrationId: string }[]).map((i) => i.registrationId)).toContain(
      registrationId,
    );
    expect(decided.status).toBe(200);
    expect(done.status).toBe('SUCCEEDED');
    expect(ownerView.body).toMatchObject({ status: 'APPROVED', orgCode });
    expect(ownerView.body.extract).toBeUndefined();
    expect(ownerView.body.personId).toBeUndefined();
    expect(await getItem(organisationKeys.organisation(orgCode))).toMatchObject({
      kind: 'foreign',
      country: 'DE',
      name: body.name,
      registrationNumber: 'HRB 12.345-b',
      administratorCount: 1,
    });
    const { PK, SK } = keys.membership(applicant.personId, orgCode);
    expect(await getItem({ PK, SK })).toMatchObject({ localAdministrator: true, legalRepresentative: true });
    expect((await auditOf(orgCode)).map((entry) => [entry.action, entry.actor, entry.subject])).toEqual([
      ['foreign-registration-approved', 'OFFICER1', applicant.personId],
    ]);
    expect(
      h.s3.emulator.getObject(BUCKET, `uploads/${applicant.personId}/${uploadId}/${registrationId}.pdf`)
        ?.tags,
    ).toEqual({ state: 'attached' });
    expect(h.mails().map((m) => [m.template, m.to])).toEqual([
      ['foreign-registration-review-requested', SECURITY_OFFICERS_EMAIL],
      ['foreign-registration-approved', applicant.email],
    ]);
    expect(h.mails().at(-1)?.text).toContain(orgCode);
    const org = await h.as(applicant.personId, {
      resource: '/organisations/{orgCode}',
      pathParameters: { orgCode },
    });
    expect(org.status).toBe(200);
  });

  it('shows the officer the extract that was checked, not a file PUT on the still-valid upload link afterwards', async () => {
    const h = await harness();
    const applicant = await h.seed({ insz: undefined });
    const link = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/uploads',
      body: { contentType: 'application/pdf', size: PDF.length },
    });
    const put = (body: Buffer) =>
      fetch(String(link.body.url), {
        method: 'PUT',
        headers: link.body.headers as Record<string, string>,
        body: new Uint8Array(body),
      });
    expect((await put(PDF)).status).toBe(200);
    const answer = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/organisations/foreign-registrations',
      body: foreignBody(String(link.body.uploadId)),
    });
    expect(answer.status).toBe(202);
    const registrationId = String(answer.body.registrationId);
    await h.waitUntilWaiting(registrationId);
    // Same size (the signature pins it), other bytes: what an attacker would swap in.
    const forged = Buffer.from(PDF);
    forged.write('FORGED', PDF.length - 8, 'latin1');

    const replaced = await put(forged);
    const officerView = await h.as(
      'OFFICER1',
      { resource: '/organisations/foreign-registrations/{id}', pathParameters: { id: registrationId } },
      OFFICERS,
    );
    const reviewed = Buffer.from(
      await (await fetch(String((officerView.body.extract as { url: string }).url))).arrayBuffer(),
    );

    expect(replaced.status).toBe(200);
    expect(reviewed.equals(PDF)).toBe(true);
    expect(reviewed.equals(forged)).toBe(false);
    const raw = h.s3.emulator.getObject(BUCKET, `uploads/${applicant.personId}/${link.body.uploadId}.pdf`);
    expect(raw?.body.equals(forged)).toBe(true);
    expect(raw?.tags).toEqual({ state: 'unused' });
  });

  it('never lets a second registration of the same company take it over: existing organisation shown, administrators mailed, a second officer needed', async () => {
    const h = await harness();
    const number = Math.floor(Math.random() * 1e7);
    const first = await submitted(h, { registrationNumber: `HRB ${number} b` });
    await h.waitUntilWaiting(first.registrationId);
    expect((await decide(h, first.registrationId, { decision: 'approve' })).status).toBe(200);
    expect((await h.runner.waitForCompletion(first.registrationId)).status).toBe('SUCCEEDED');
    const orgCode = `FOREIGN-DE-HRB${number}B`;
    h.outbox.clear();

    // Another name, the number written differently: the codes normalise to the same organisation.
    const second = await submitted(h, { name: 'Muster Bau', registrationNumber: `hrb-${number}-B` });
    await h.waitUntilWaiting(second.registrationId);
    const queue = await h.as('OFFICER1', { resource: '/security/foreign-registrations' }, OFFICERS);
    const line = (queue.body.items as Record<string, unknown>[]).find(
      (item) => item.registrationId === second.registrationId,
    );
    const mailsAfterSubmit = h.mails().map((m) => [m.template, m.to]);
    const alone = await decide(h, second.registrationId, { decision: 'approve' });
    const firstHalf = await decide(h, second.registrationId, {
      decision: 'approve',
      reason: 'Called the Handelsregister Berlin; the current administrator confirmed by phone.',
    });
    const sameOfficer = await decide(h, second.registrationId, { decision: 'approve', reason: 'again' });
    const { PK, SK } = keys.membership(second.applicant.personId, orgCode);
    const beforeSecondCheck = await getItem({ PK, SK });
    const officerView = await h.as(
      'OFFICER2',
      {
        resource: '/organisations/foreign-registrations/{id}',
        pathParameters: { id: second.registrationId },
      },
      OFFICERS,
    );
    const secondHalf = await decide(h, second.registrationId, { decision: 'approve' }, 'OFFICER2');
    const done = await h.runner.waitForCompletion(second.registrationId);

    expect(line).toMatchObject({
      existingOrganisation: { orgCode, administrators: 1, name: first.body.name },
    });
    expect(mailsAfterSubmit).toEqual(
      expect.arrayContaining([
        ['foreign-registration-review-requested', SECURITY_OFFICERS_EMAIL],
        ['foreign-registration-org-exists', first.applicant.email],
      ]),
    );
    expectProblem(alone, 400);
    expect(firstHalf.status).toBe(200);
    expect(firstHalf.body).toMatchObject({ status: 'PENDING_REVIEW', secondCheckRequired: true });
    expectProblem(sameOfficer, 403);
    expect(beforeSecondCheck).toBeUndefined();
    expect(officerView.body).toMatchObject({
      existingOrganisation: { administrators: 1 },
      firstApproval: { decidedBy: 'OFFICER1' },
    });
    expect(secondHalf.status).toBe(200);
    expect(done.status).toBe('SUCCEEDED');
    expect(await getItem({ PK, SK })).toMatchObject({ localAdministrator: true, legalRepresentative: true });
    expect(await getItem(organisationKeys.organisation(orgCode))).toMatchObject({ administratorCount: 2 });
    expect((await auditOf(orgCode)).at(-1)).toMatchObject({
      action: 'foreign-registration-approved',
      actor: 'OFFICER2',
      subject: second.applicant.personId,
      details: { registrationId: second.registrationId, firstApprovedBy: 'OFFICER1' },
    });
  });

  it('lets exactly one of two registrations of one new company approved at once make its applicant administrator', async () => {
    const h = await harness();
    const number = Math.floor(Math.random() * 1e7);
    const one = await submitted(h, { registrationNumber: `HRB ${number}` });
    const other = await submitted(h, { name: 'Muster Bau AG', registrationNumber: `hrb.${number}` });
    await Promise.all([h.waitUntilWaiting(one.registrationId), h.waitUntilWaiting(other.registrationId)]);
    const orgCode = `FOREIGN-DE-HRB${number}`;

    const { answers, statuses } = await approveAtOnce(h, one.registrationId, other.registrationId);

    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect([...statuses].sort()).toEqual(['APPROVED', 'EXPIRED']);
    expect(await getItem(organisationKeys.organisation(orgCode))).toMatchObject({ administratorCount: 1 });
    const memberships = await Promise.all(
      [one, other].map(async (r) => {
        const { PK, SK } = keys.membership(r.applicant.personId, orgCode);
        return getItem({ PK, SK });
      }),
    );
    expect(memberships.filter(Boolean)).toHaveLength(1);
    const loser = statuses[0] === 'EXPIRED' ? one : other;
    expect(h.mails().find((m) => m.to === loser.applicant.email)?.template).toBe(
      'foreign-registration-expired',
    );
  });

  it('records the reason, mails it and discards the extract when rejected', async () => {
    const h = await harness();
    const { applicant, uploadId, registrationId } = await submitted(h);
    await h.waitUntilWaiting(registrationId);

    const withoutReason = await decide(h, registrationId, { decision: 'reject' });
    const rejected = await decide(h, registrationId, {
      decision: 'reject',
      reason: 'The extract is older than 3 months.',
    });
    const done = await h.runner.waitForCompletion(registrationId);
    const again = await decide(h, registrationId, { decision: 'approve' });
    const view = await h.as(applicant.personId, {
      resource: '/organisations/foreign-registrations/{id}',
      pathParameters: { id: registrationId },
    });

    expectProblem(withoutReason, 400);
    expect(rejected.status).toBe(200);
    expect(done.status).toBe('SUCCEEDED');
    expectProblem(again, 409);
    expect(view.body).toMatchObject({ status: 'REJECTED', reason: 'The extract is older than 3 months.' });
    expect(view.body.orgCode).toBeUndefined();
    expect(h.mails().at(-1)).toMatchObject({
      template: 'foreign-registration-rejected',
      to: applicant.email,
      locale: 'de',
    });
    expect(h.mails().at(-1)?.text).toContain('The extract is older than 3 months.');
    expect(
      h.s3.emulator.getObject(BUCKET, `uploads/${applicant.personId}/${uploadId}/${registrationId}.pdf`)
        ?.tags,
    ).toEqual({ state: 'discarded' });
  });

  it('expires the registration and tells the applicant when nobody decides in time', async () => {
    const h = await harness(FAST);
    const { applicant, registrationId } = await submitted(h);

    const done = await h.runner.waitForCompletion(registrationId);
    const late = await decide(h, registrationId, { decision: 'approve' });
    const registration = await getItem(foreignRegistrationKeys.registration(registrationId));

    expect(done.status).toBe('SUCCEEDED');
    expect(registration).toMatchObject({ status: 'EXPIRED', GSI1PK: 'FOREIGN_QUEUE#EXPIRED' });
    expect(registration?.taskToken).toBeUndefined();
    expectProblem(late, 409);
    expect(h.mails().map((m) => [m.template, m.to])).toEqual([
      ['foreign-registration-review-requested', SECURITY_OFFICERS_EMAIL],
      ['foreign-registration-expired', applicant.email],
    ]);
  });

  it('refuses an upload that is not a PDF, is missing, or is attached already, without writing a registration', async () => {
    const h = await harness();
    const applicant = await h.seed({ insz: undefined });
    const notPdf = await h.upload(applicant.personId, Buffer.from('<html>not a pdf</html>'));
    const good = await h.upload(applicant.personId);
    const stranger = await h.seed();
    const submit = (personId: string, uploadId: string) =>
      h.as(personId, {
        method: 'POST',
        resource: '/organisations/foreign-registrations',
        body: foreignBody(uploadId),
      });

    const html = await submit(applicant.personId, notPdf);
    const foreignUpload = await submit(stranger.personId, good);
    const first = await submit(applicant.personId, good);
    const reused = await submit(applicant.personId, good);
    const belgian = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/organisations/foreign-registrations',
      body: foreignBody(good, { country: 'BE' }),
    });

    expectProblem(html, 422);
    expectProblem(foreignUpload, 422);
    expect(first.status).toBe(202);
    expectProblem(reused, 409);
    expectProblem(belgian, 400);
    expect(h.runner.list()).toHaveLength(1);
  });

  it('refuses uploads that are not PDF or larger than 10 MB when asked for an upload link', async () => {
    const h = await harness();
    const applicant = await h.seed();

    const tooBig = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/uploads',
      body: { contentType: 'application/pdf', size: 10 * 1024 * 1024 + 1 },
    });
    const html = await h.as(applicant.personId, {
      method: 'POST',
      resource: '/uploads',
      body: { contentType: 'text/html', size: 100 },
    });

    expectProblem(tooBig, 400);
    expectProblem(html, 400);
  });
});

describe('local administrators (local, DynamoDB Local)', () => {
  async function claimed(h: OrganisationsHarness) {
    const lr = await h.seed();
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Beheer NV', [lr.insz as string]);
    expect((await claim(h, lr.personId, kbo)).status).toBe(201);
    return { lr, kbo };
  }
  const appoint = (h: OrganisationsHarness, actorId: string, orgCode: string, insz: string) =>
    h.as(actorId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode },
      body: { insz },
    });
  const remove = (h: OrganisationsHarness, actorId: string, orgCode: string, personId: string) =>
    h.as(actorId, {
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode, personId },
    });

  it('appoints a known person, lists members with names and roles, and audits it', async () => {
    const h = await harness();
    const { lr, kbo } = await claimed(h);
    const colleague = await h.seed({ givenNames: 'Jan', familyName: 'Peeters' });

    const appointed = await appoint(h, lr.personId, kbo, colleague.insz as string);
    const repeat = await appoint(h, lr.personId, kbo, colleague.insz as string);
    const unknown = await appoint(h, lr.personId, kbo, '85073003328');
    const members = await h.as(lr.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode: kbo },
    });
    const page = await h.as(lr.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode: kbo },
      query: { limit: '1' },
    });
    const next = await h.as(lr.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode: kbo },
      query: { limit: '1', cursor: String(page.body.nextCursor) },
    });

    expect(appointed.status).toBe(201);
    expect(appointed.body).toEqual({
      personId: colleague.personId,
      orgCode: kbo,
      name: 'Beheer NV',
      localAdministrator: true,
      legalRepresentative: false,
    });
    expect(repeat.status).toBe(200);
    // Nobody has logged in with this number: the appointment waits for that person (seed 001).
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual({
      orgCode: kbo,
      name: 'Beheer NV',
      localAdministrator: true,
      pending: true,
    });
    expect(members.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          personId: colleague.personId,
          givenNames: 'Jan',
          familyName: 'Peeters',
          localAdministrator: true,
          legalRepresentative: false,
        }),
        expect.objectContaining({
          personId: lr.personId,
          localAdministrator: true,
          legalRepresentative: true,
        }),
      ]),
    );
    expect((page.body.items as unknown[]).length + (next.body.items as unknown[]).length).toBe(2);
    expect((await auditOf(kbo)).map((entry) => entry.action)).toEqual([
      'organisation-claimed',
      'administrator-appointed',
      'administrator-appointed-pending',
    ]);
    // A pending appointment counts no administrator until it becomes a membership.
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({ administratorCount: 2 });
    const marker = await getItem(pendingMembershipKeys.marker(inszKeyHash('85073003328')));
    expect(marker?.organisations).toMatchObject({
      [kbo]: { localAdministrator: true, appointedBy: lr.personId },
    });
    expect(JSON.stringify(marker)).not.toContain('85073003328');
    // The appointed person is told once (activity entry and notice), not again by the repeat.
    expect(await activityOf(colleague.personId)).toEqual([['administrator-appointment', kbo]]);
  });

  it('never removes the last administrator, never a legal representative by someone else, and removes others', async () => {
    const h = await harness();
    const { lr, kbo } = await claimed(h);
    const colleague = await h.seed();

    const last = await remove(h, lr.personId, kbo, lr.personId);
    await appoint(h, lr.personId, kbo, colleague.insz as string);
    const removeLr = await remove(h, colleague.personId, kbo, lr.personId);
    const notAdmin = await remove(h, lr.personId, kbo, 'NOBODY');
    const removed = await remove(h, lr.personId, kbo, colleague.personId);
    const colleagueNow = await h.as(colleague.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode: kbo },
    });
    const colleagueProfile = await h.as(colleague.personId, {
      resource: '/organisations/{orgCode}',
      pathParameters: { orgCode: kbo },
    });

    expectProblem(last, 409);
    expectProblem(removeLr, 403);
    expectProblem(notAdmin, 404);
    expect(removed.status).toBe(204);
    expectProblem(colleagueNow, 403);
    expect(colleagueProfile.body).toMatchObject({
      membership: { localAdministrator: false, legalRepresentative: false },
    });
    expect((await auditOf(kbo)).map((entry) => entry.action)).toEqual([
      'organisation-claimed',
      'administrator-appointed',
      'administrator-removed',
    ]);
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({ administratorCount: 1 });
    // Removed by someone else, the person is told, as when appointed.
    expect(await activityOf(colleague.personId)).toEqual([
      ['administrator-appointment', kbo],
      ['administrator-removal', kbo],
    ]);
  });

  it('lets a legal representative step down when another administrator remains', async () => {
    const h = await harness();
    const { lr, kbo } = await claimed(h);
    const colleague = await h.seed();
    await appoint(h, lr.personId, kbo, colleague.insz as string);

    const stepDown = await remove(h, lr.personId, kbo, lr.personId);
    const reclaim = await claim(h, lr.personId, kbo);

    expect(stepDown.status).toBe(204);
    expect(reclaim.status).toBe(201);
    // Stepping down oneself is no news to tell.
    expect((await activityOf(lr.personId)).map(([event]) => event)).not.toContain('administrator-removal');
    expect(await getItem(organisationKeys.organisation(kbo))).toMatchObject({ administratorCount: 2 });
  });
});
