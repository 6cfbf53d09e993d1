/**
 * The rights journey on the sandbox (`npm start`'s entry as a child process, HTTP only): a
 * self-registration request decided by the organisation's local administrator, the role in the
 * employee's next tokens (a new login and a refresh), the revocation, the audit trail, the auto-grant
 * of a role that needs no approval, and the scheduled grant-expiry job run on demand.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EIDAS,
  eidasPerson,
  itsmePerson,
  JAN,
  type LoginTokens,
  poll,
  type SandboxProcess,
  startSandboxProcess,
} from '#test/helpers/sandbox';
import { uniqueNationalNumber } from '#test/helpers/unique-ids';

const ORG = '0712459852';
/** Seeded person, no company of hers: the employee. */
const INES = {
  ...itsmePerson({
    insz: '01090900928',
    givenName: 'Inès',
    familyName: 'El Amrani',
    birthDate: '2001-09-09',
  }),
  email: 'ines.elamrani@example.be',
};

/** A valid national number nobody in the sandbox has used. */
const NEWCOMER_INSZ = '90020199803';

let sandbox: SandboxProcess;
/** The local administrator's ID token, once the company is claimed. */
let administrator: string;
/** The employee's tokens from her first login. */
let employee: LoginTokens;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  const first = await sandbox.accessTokenOf('itsme', JAN);
  const claimed = await sandbox.call('POST', '/organisations/claims', {
    token: first,
    body: { enterpriseNumber: ORG },
  });
  if (claimed.status !== 201) throw new Error(`claim failed: ${JSON.stringify(claimed.body)}`);
  administrator = await sandbox.accessTokenOf('itsme', JAN);
  employee = await sandbox.tokensOf('itsme', INES);
});

afterAll(async () => {
  await sandbox?.stop('SIGINT');
});

const rolesOf = (tokens: LoginTokens) => ({
  id: decodeJwt(tokens.idToken).roles,
  access: decodeJwt(tokens.accessToken).roles,
});

describe('rights on the sandbox', () => {
  it("puts the role in the employee's next token when an employee follows a self-registration link and the local administrator approves", async () => {
    // The link pre-fills application and role; the catalogue says the role needs approval.
    const catalogue = await sandbox.call('GET', '/applications', { token: employee.accessToken });
    expect(catalogue.status).toBe(200);
    const klip = catalogue.body.items?.find((app) => app.application === 'KLIP') as {
      roles: { role: string; requiresApproval: boolean }[];
    };
    expect(klip.roles.find((role) => role.role === 'klb-beheerder')?.requiresApproval).toBe(true);

    const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
      token: employee.accessToken,
      body: { application: 'KLIP', role: 'klb-beheerder', justification: 'I run our KLB deliveries.' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body.status).toBe('PENDING');
    const requestId = String(requested.body.requestId);

    // The local administrator's inbox lists it; the decision waits for the workflow (409 until then).
    const inbox = await sandbox.call('GET', `/organisations/${ORG}/right-requests?status=PENDING`, {
      token: administrator,
    });
    expect(inbox.status).toBe(200);
    expect(inbox.body.items?.find((item) => item.requestId === requestId)).toMatchObject({
      application: 'KLIP',
      role: 'klb-beheerder',
      requester: { familyName: 'El Amrani' },
    });
    const validUntil = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const decided = await poll(
      () =>
        sandbox.call('POST', `/organisations/${ORG}/right-requests/${requestId}/decision`, {
          token: administrator,
          body: { decision: 'approve', validUntil },
        }),
      (answer) => answer.status !== 409,
      { attempts: 25 },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const again = await sandbox.call('POST', `/organisations/${ORG}/right-requests/${requestId}/decision`, {
      token: administrator,
      body: { decision: 'approve' },
    });
    expect(again.status).toBe(409);

    // The workflow grants; a new login and a refresh both carry the role, in both tokens.
    const role = `KLIP:klb-beheerder:${ORG}`;
    const grants = await poll(
      () => sandbox.call('GET', `/organisations/${ORG}/grants`, { token: administrator }),
      (page) => page.body.items?.some((grant) => grant.requestId === requestId) === true,
      { attempts: 100, intervalMs: 100 },
    );
    const grant = grants.body.items?.find((item) => item.requestId === requestId);
    expect(grant).toMatchObject({
      application: 'KLIP',
      role: 'klb-beheerder',
      personId: decodeJwt(employee.idToken).person_id,
    });
    // A date means "through that day".
    expect(Date.parse(String(grant?.validUntil))).toBe(Date.parse(`${validUntil}T00:00:00Z`) + 86_400_000);

    const relogin = await sandbox.tokensOf('itsme', INES);
    expect(rolesOf(relogin)).toEqual({ id: [role], access: [role] });
    const refreshed = await sandbox.refresh(employee);
    expect(rolesOf(refreshed)).toEqual({ id: [role], access: [role] });

    // Revoked: the next refresh drops it.
    const revoked = await sandbox.call('DELETE', `/organisations/${ORG}/grants/${grant?.grantId}`, {
      token: administrator,
    });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(204);
    const afterRevocation = await sandbox.refresh(employee);
    expect(rolesOf(afterRevocation)).toEqual({ id: [], access: [] });

    // Who did what, newest first.
    const audit = await sandbox.call('GET', `/organisations/${ORG}/audit`, { token: administrator });
    expect(audit.status).toBe(200);
    const trail = (audit.body.items ?? []).filter(
      (entry) =>
        (entry.details as Record<string, string> | undefined)?.requestId === requestId ||
        (entry.details as Record<string, string> | undefined)?.grantId === grant?.grantId,
    );
    expect(trail.map((entry) => entry.action)).toEqual([
      'grant-revoked',
      'right-granted',
      // Her first grant in the organisation makes her a member.
      'member-added',
      'right-request-approved',
      'right-requested',
    ]);
    const times = (audit.body.items ?? []).map((entry) => String(entry.at));
    expect(times).toEqual([...times].sort().reverse());
  });

  it('puts a role that needs no approval in the next token at once when the employee requests it', async () => {
    const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
      token: employee.accessToken,
      body: { application: 'KLIP', role: 'planaanvrager' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body.status).toBe('APPROVED');

    const refreshed = await sandbox.refresh(employee);
    expect(rolesOf(refreshed).id).toEqual([`KLIP:planaanvrager:${ORG}`]);
  });

  it('grants a role by national number before its holder ever logged in, effective at their first itsme login', async () => {
    const colleague = itsmePerson({
      insz: NEWCOMER_INSZ,
      givenName: 'Pieter',
      familyName: 'Nieuwkomer',
      birthDate: '1990-02-01',
    });

    const waiting = await sandbox.call('POST', `/organisations/${ORG}/grants`, {
      token: administrator,
      body: { insz: NEWCOMER_INSZ, application: 'KLIP', role: 'raadpleger' },
    });
    const tokens = await sandbox.tokensOf('itsme', colleague);

    expect(waiting.status, JSON.stringify(waiting.body)).toBe(202);
    expect(waiting.body).toMatchObject({ orgCode: ORG, role: 'raadpleger', pending: true });
    expect(rolesOf(tokens).access).toEqual([`KLIP:raadpleger:${ORG}`]);
    const audit = await sandbox.call('GET', `/organisations/${ORG}/audit`, { token: administrator });
    expect((audit.body.items as { action: string }[]).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['right-granted-pending', 'pending-membership-claimed', 'right-granted']),
    );
  });

  it('lets an appointment and a grant by number wait while the number is held by names and birth date only', async () => {
    // Prepare: a register entry, and a namesake whose Dutch eID asserts its names and birth date.
    const { insz, birthDate } = uniqueNationalNumber();
    const person = { givenName: 'Lode', familyName: `Lambrecht-${insz.slice(6, 9)}`, birthDate };
    const seeded = await sandbox.call('POST', '/local/register/persons', {
      body: { insz, givenNames: person.givenName, familyName: person.familyName, birthDate },
    });
    expect(seeded.status, JSON.stringify(seeded.body)).toBeLessThan(300);
    const namesake = eidasPerson({
      [`${EIDAS}PersonIdentifier`]: `NL/BE/${insz}X`,
      [`${EIDAS}CurrentGivenName`]: person.givenName,
      [`${EIDAS}CurrentFamilyName`]: person.familyName,
      [`${EIDAS}DateOfBirth`]: birthDate,
      [`${EIDAS}Nationality`]: 'NL',
    });
    const linked = await sandbox.call('POST', '/me/insz', {
      token: await sandbox.accessTokenOf('eidas', namesake),
      body: { insz, givenNames: person.givenName, familyName: person.familyName, birthDate },
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);

    // Act: the administrator appoints and grants "by national number".
    const appointed = await sandbox.call('POST', `/organisations/${ORG}/administrators`, {
      token: administrator,
      body: { insz },
    });
    const granted = await sandbox.call('POST', `/organisations/${ORG}/grants`, {
      token: administrator,
      body: { insz, application: 'KLIP', role: 'raadpleger' },
    });
    const namesakeAfter = decodeJwt((await sandbox.tokensOf('eidas', namesake)).accessToken);
    const verified = await sandbox.tokensOf(
      'itsme',
      itsmePerson({ insz, givenName: person.givenName, familyName: person.familyName, birthDate }),
    );

    // Assess: both wait on the number; the namesake gets nothing, the verified holder both.
    expect(appointed.status, JSON.stringify(appointed.body)).toBe(202);
    expect(appointed.body).toMatchObject({ pending: true });
    expect(granted.status, JSON.stringify(granted.body)).toBe(202);
    expect(granted.body).toMatchObject({ pending: true });
    expect(namesakeAfter.admin_of).toEqual([]);
    expect(namesakeAfter.roles).toEqual([]);
    expect(decodeJwt(verified.accessToken).admin_of).toEqual([ORG]);
    expect(decodeJwt(verified.accessToken).roles).toEqual([`KLIP:raadpleger:${ORG}`]);
  });

  it('sends the 14-day expiry notice when the operator runs the daily grant-expiry schedule of the template', async () => {
    // A grant that ends 14 days from now (a date is "through that day").
    const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
      token: employee.accessToken,
      body: { application: 'KLIP', role: 'klb-operator' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    const lastDay = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
    const decided = await poll(
      () =>
        sandbox.call('POST', `/organisations/${ORG}/right-requests/${requested.body.requestId}/decision`, {
          token: administrator,
          body: { decision: 'approve', validUntil: lastDay },
        }),
      (answer) => answer.status !== 409,
      { attempts: 25 },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const grants = await poll(
      () => sandbox.call('GET', `/organisations/${ORG}/grants`, { token: administrator }),
      (page) => page.body.items?.some((grant) => grant.requestId === requested.body.requestId) === true,
      { attempts: 100, intervalMs: 100 },
    );
    const ends = String(
      grants.body.items?.find((grant) => grant.requestId === requested.body.requestId)?.validUntil,
    );
    expect(Date.parse(ends)).toBe(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000);

    const jobs = await sandbox.call('GET', '/local/jobs');
    expect(jobs.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'grant-expiry', schedule: 'cron(0 3 * * ? *)', state: 'ENABLED' }),
      ]),
    );

    const run = await sandbox.call('POST', '/local/jobs/grant-expiry');
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body).toMatchObject({
      job: 'grant-expiry',
      result: expect.objectContaining({ warned: 1, sent: 1, withoutEmail: 0, expired: 0, failed: 0 }),
    });
    const notice = (await sandbox.outbox()).find(
      (mail) => mail.to === INES.email && mail.template === 'grant-expiring',
    );
    // The notice names the last day the grant is valid, as the administrator chose it.
    expect(notice?.text).toContain(lastDay);
    expect(notice?.text).not.toContain(ends.slice(0, 10));
    expect(notice?.text).toContain('Peeters & Van den Broeck BV');
    const unknown = await sandbox.call('POST', '/local/jobs/no-such-job');
    expect(unknown.status).toBe(404);
  });
});
