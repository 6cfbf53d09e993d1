/**
 * Look-alike organisations (issue 19 item 4) on DynamoDB Local, with the synthesized review workflow:
 * a foreign registration whose name or registration number has the confusable skeleton of an
 * existing organisation's is shown as "looks like existing organisation X" and handled as a second
 * registration of X; the check reads two marker items by key and never Scans.
 */
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { keys, organisationKeys } from '#shared/keys';
import { harnessSuite } from '#test/helpers/context-harness';
import { lookalikeSkeletons } from '../../../lambdas/organisations/organisation.ts';
import {
  approveAtOnce,
  createOrganisationsHarness,
  decideForeignRegistration,
  expectProblem,
  foreignBody,
  OFFICERS,
  type OrganisationsHarness,
  organisationsDefinition,
} from './harness.ts';

const CYRILLIC_IE = '\u0435';

const suite = harnessSuite(organisationsDefinition, createOrganisationsHarness);

afterEach(() => {
  vi.restoreAllMocks();
});

const harness = () => suite.harness({ timeScale: timeScaleForDay(2_000) });

async function getItem(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
  const out = await suite.table.documentClient.send(
    new GetCommand({ TableName: suite.table.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

/** Letters only: a tag that no digit or look-alike of another test's tag can match. */
function tag(): string {
  return Array.from({ length: 6 }, () => 'bcdfghjkpqrstvwxz'[Math.floor(Math.random() * 17)]).join('');
}

/** A number made of the digits 2-9 only, so that no look-alike (`0`/`O`, `1`/`I`/`l`) hides in it. */
function digits(): string {
  return Array.from({ length: 7 }, () => String(2 + Math.floor(Math.random() * 8))).join('');
}

async function submitted(h: OrganisationsHarness, overrides: Record<string, unknown>) {
  const applicant = await h.seed({ insz: undefined });
  const uploadId = await h.upload(applicant.personId);
  const body = foreignBody(uploadId, overrides);
  const answer = await h.as(applicant.personId, {
    method: 'POST',
    resource: '/organisations/foreign-registrations',
    body,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const registrationId = String(answer.body.registrationId);
  await h.waitUntilWaiting(registrationId);
  return { applicant, body, registrationId };
}

const decide = decideForeignRegistration;

async function approvedAlone(h: OrganisationsHarness, overrides: Record<string, unknown>) {
  const registration = await submitted(h, overrides);
  expect((await decide(h, registration.registrationId, { decision: 'approve' })).status).toBe(200);
  expect((await h.runner.waitForCompletion(registration.registrationId)).status).toBe('SUCCEEDED');
  return registration;
}

const queueLine = async (h: OrganisationsHarness, registrationId: string) => {
  const queue = await h.as('OFFICER1', { resource: '/security/foreign-registrations' }, OFFICERS);
  expect(queue.status).toBe(200);
  return (queue.body.items as Record<string, unknown>[]).find(
    (item) => item.registrationId === registrationId,
  );
};

describe('look-alike organisations (local, DynamoDB Local)', () => {
  it('handles "Siemens" with a Cyrillic е as a second registration of Siemens, and a different name not, without a Scan', async () => {
    // Prepare
    const h = await harness();
    const name = `Siemens ${tag()}`;
    const number = digits();
    const first = await approvedAlone(h, { name, registrationNumber: `HRB ${number}` });
    const orgCode = `FOREIGN-DE-HRB${number}`;
    h.outbox.clear();
    const send = vi.spyOn(suite.table.documentClient, 'send');

    // Act
    const lookalike = await submitted(h, {
      name: name.replace('Siemens', `Si${CYRILLIC_IE}mens`),
      registrationNumber: `HRB ${digits()}`,
    });
    const different = await submitted(h, {
      name: name.replace('Siemens', 'Sievers'),
      registrationNumber: `HRB ${digits()}`,
    });
    const mailsAfterSubmit = h.mails().map((m) => [m.template, m.to]);
    const lookalikeLine = await queueLine(h, lookalike.registrationId);
    const differentLine = await queueLine(h, different.registrationId);
    send.mockClear();
    const officerView = await h.as(
      'OFFICER2',
      {
        resource: '/organisations/foreign-registrations/{id}',
        pathParameters: { id: lookalike.registrationId },
      },
      OFFICERS,
    );
    const markerKeysRead = send.mock.calls
      .map(([command]) => command)
      .filter((command) => command instanceof BatchGetCommand)
      .flatMap((command) => Object.values(command.input.RequestItems ?? {}).flatMap((r) => r.Keys ?? []))
      .filter((key) => String(key.PK).startsWith('ORG_LOOKALIKE#'));
    const alone = await decide(h, lookalike.registrationId, { decision: 'approve' });
    const firstHalf = await decide(h, lookalike.registrationId, {
      decision: 'approve',
      reason: 'Called the Handelsregister: a different company, HRB checked against the extract.',
    });
    const sameOfficer = await decide(h, lookalike.registrationId, { decision: 'approve', reason: 'again' });
    const secondHalf = await decide(h, lookalike.registrationId, { decision: 'approve' }, 'OFFICER2');
    const lookalikeDone = await h.runner.waitForCompletion(lookalike.registrationId);
    const differentDecided = await decide(h, different.registrationId, { decision: 'approve' });
    const differentDone = await h.runner.waitForCompletion(different.registrationId);
    const commands = send.mock.calls.map(([command]) => command.constructor.name);

    // Assess
    const looksLike = { orgCode, name, administrators: 1, matched: ['name'] };
    expect(lookalikeLine).toMatchObject({ lookalikeOrganisations: [looksLike] });
    expect(lookalikeLine?.existingOrganisation).toBeUndefined();
    expect(differentLine).toBeDefined();
    expect(differentLine?.lookalikeOrganisations).toBeUndefined();
    expect(differentLine?.existingOrganisation).toBeUndefined();
    expect(officerView.body).toMatchObject({ lookalikeOrganisations: [looksLike] });
    expect(markerKeysRead).toHaveLength(2);
    expect(mailsAfterSubmit).toContainEqual(['foreign-registration-org-lookalike', first.applicant.email]);
    expect(
      mailsAfterSubmit.filter(([template]) => template === 'foreign-registration-org-lookalike'),
    ).toHaveLength(1);
    expectProblem(alone, 400);
    expect(firstHalf.status).toBe(200);
    expect(firstHalf.body).toMatchObject({ status: 'PENDING_REVIEW', secondCheckRequired: true });
    expectProblem(sameOfficer, 403);
    expect(secondHalf.status).toBe(200);
    expect(lookalikeDone.status).toBe('SUCCEEDED');
    expect(await h.apiDeps.repository.getForeignRegistration(lookalike.registrationId)).toMatchObject({
      status: 'APPROVED',
    });
    expect(differentDecided.status).toBe(200);
    expect(differentDecided.body.secondCheckRequired).toBeUndefined();
    expect(differentDone.status).toBe('SUCCEEDED');
    // The name marker now names both organisations: a third look-alike would be shown both.
    const marker = await getItem(
      organisationKeys.lookalike(
        'DE',
        'NAME',
        lookalikeSkeletons({ country: 'DE', name, registrationNumber: 'X' }).name,
      ),
    );
    expect([...((marker?.orgCodes as Set<string> | undefined) ?? [])].sort()).toEqual(
      [orgCode, `FOREIGN-DE-${String(lookalike.body.registrationNumber).replace(' ', '')}`].sort(),
    );
    expect(commands).not.toContain('ScanCommand');
    expect(commands).toContain('BatchGetCommand');
  });

  it('flags a registration number that differs only by look-alike letters (I for 1, O for 0)', async () => {
    // Prepare
    const h = await harness();
    const number = digits();
    await approvedAlone(h, { name: `Orion ${tag()} AG`, registrationNumber: `HRB 10${number}` });

    // Act
    const lookalike = await submitted(h, {
      name: `Vega ${tag()} AG`,
      registrationNumber: `HRB IO${number}`,
    });
    const line = await queueLine(h, lookalike.registrationId);
    const alone = await decide(h, lookalike.registrationId, { decision: 'approve' });

    // Assess
    expect(line).toMatchObject({
      lookalikeOrganisations: [
        { orgCode: `FOREIGN-DE-HRB10${number}`, administrators: 1, matched: ['registrationNumber'] },
      ],
    });
    expectProblem(alone, 400);
    const { PK, SK } = keys.membership(lookalike.applicant.personId, `FOREIGN-DE-HRBIO${number}`);
    expect(await getItem({ PK, SK })).toBeUndefined();
  });

  it('lets only one of two look-alike registrations approved at once by single officers create its organisation', async () => {
    // Prepare
    const h = await harness();
    const name = `Bosch ${tag()}`;
    const one = await submitted(h, { name, registrationNumber: `HRB ${digits()}` });
    const other = await submitted(h, { name: name.replace('o', '0'), registrationNumber: `HRB ${digits()}` });

    // Act
    const { answers, statuses } = await approveAtOnce(h, one.registrationId, other.registrationId);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect([...statuses].sort()).toEqual(['APPROVED', 'EXPIRED']);
    const loser = statuses[0] === 'EXPIRED' ? one : other;
    const loserCode = `FOREIGN-DE-${String(loser.body.registrationNumber).replace(' ', '')}`;
    expect(await getItem(organisationKeys.organisation(loserCode))).toBeUndefined();
    expect(h.mails().find((m) => m.to === loser.applicant.email)?.template).toBe(
      'foreign-registration-expired',
    );
  });
});
