/**
 * Issue 14's attacks on the sandbox (`npm start`'s entry as a child process, HTTP only): a
 * self-registration link followed by a stranger grants nothing by itself, and a second registration
 * of the same foreign company (the number written differently) does not make its applicant an
 * administrator on one officer's word.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eidasPerson,
  itsmePerson,
  JAN,
  poll,
  type SandboxProcess,
  startSandboxProcess,
  ZOE,
} from '#test/helpers/sandbox';

const PEETERS_BV = '0712459852';
/** Any valid national number logs in with itsme: a stranger to the company. */
const STRANGER = itsmePerson({
  insz: '85073003328',
  givenName: 'Piet',
  familyName: 'Vreemd',
  birthDate: '1985-07-30',
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(async () => {
  await sandbox?.stop('SIGINT');
});

/** Uploads the extract and registers `registrationNumber` for Germany as a new eIDAS person. */
async function register(registrationNumber: string, name: string) {
  const login = eidasPerson();
  const token = await sandbox.accessTokenOf('eidas', login);
  const upload = await sandbox.call('POST', '/uploads', {
    token,
    body: { contentType: 'application/pdf', size: PDF.length },
  });
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const { 'content-length': _length, ...headers } = upload.body.headers as Record<string, string>;
  expect((await fetch(String(upload.body.url), { method: 'PUT', headers, body: PDF })).status).toBe(200);
  const submitted = await sandbox.call('POST', '/organisations/foreign-registrations', {
    token,
    body: {
      name,
      country: 'DE',
      registrationNumber,
      address: { street: 'Hohe Straße', houseNumber: '12', postalCode: '50667', city: 'Köln', country: 'DE' },
      uploadId: upload.body.uploadId,
      email: `${registrationNumber.replace(/\W/g, '').toLowerCase()}@example.de`,
    },
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  return { login, registrationId: String(submitted.body.registrationId) };
}

describe('attacks on organisations and rights (sandbox)', () => {
  it('grants nothing to a stranger who follows a self-registration link for a role without approval', async () => {
    const jan = await sandbox.accessTokenOf('itsme', JAN);
    expect(
      (
        await sandbox.call('POST', '/organisations/claims', {
          token: jan,
          body: { enterpriseNumber: PEETERS_BV },
        })
      ).status,
    ).toBe(201);
    const stranger = await sandbox.tokensOf('itsme', STRANGER);

    const requested = await sandbox.call('POST', `/organisations/${PEETERS_BV}/right-requests`, {
      token: stranger.accessToken,
      body: { application: 'KLIP', role: 'planaanvrager' },
    });
    const refreshed = await sandbox.refresh(stranger);
    const profile = await sandbox.call('GET', `/organisations/${PEETERS_BV}`, {
      token: refreshed.accessToken,
    });
    const administrator = await sandbox.accessTokenOf('itsme', JAN);
    const inbox = await sandbox.call('GET', `/organisations/${PEETERS_BV}/right-requests?status=PENDING`, {
      token: administrator,
    });

    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body.status).toBe('PENDING');
    expect(decodeJwt(refreshed.idToken).roles).toEqual([]);
    expect(decodeJwt(refreshed.idToken).org).toBeUndefined();
    expect(profile.status).toBe(404);
    expect(inbox.body.items?.map((item) => item.requestId)).toContain(requested.body.requestId);
  });

  it('does not make the applicant of a second registration of the same company its administrator on one officer’s approval', async () => {
    const zoe = await sandbox.accessTokenOf('itsme', ZOE);
    await sandbox.call('POST', '/local/groups', {
      body: { personId: decodeJwt(zoe).person_id, group: 'security-officers' },
    });
    const officer = await sandbox.accessTokenOf('itsme', ZOE);
    const decide = (registrationId: string, body: Record<string, unknown>) =>
      poll(
        () =>
          sandbox.call('POST', `/security/foreign-registrations/${registrationId}/decision`, {
            token: officer,
            body,
          }),
        (answer) => answer.status !== 409,
        { attempts: 25 },
      );
    const first = await register('HRB 9911', 'Tiefbau Köln GmbH');
    expect((await decide(first.registrationId, { decision: 'approve' })).status).toBe(200);
    await poll(
      () =>
        sandbox.call('GET', `/organisations/foreign-registrations/${first.registrationId}`, {
          token: officer,
        }),
      (answer) => answer.body.status === 'APPROVED',
      { attempts: 100, intervalMs: 100 },
    );

    const second = await register('hrb-9911', 'Tiefbau Koeln');
    const queue = await poll(
      () => sandbox.call('GET', '/security/foreign-registrations?status=PENDING_REVIEW', { token: officer }),
      (page) => page.body.items?.some((item) => item.registrationId === second.registrationId) === true,
    );
    const alone = await decide(second.registrationId, { decision: 'approve' });
    const firstHalf = await decide(second.registrationId, {
      decision: 'approve',
      reason: 'Asked the Handelsregister Köln for the current representatives.',
    });
    const applicant = await sandbox.accessTokenOf('eidas', second.login);
    const view = await sandbox.call('GET', `/organisations/foreign-registrations/${second.registrationId}`, {
      token: applicant,
    });

    expect(queue.body.items?.find((item) => item.registrationId === second.registrationId)).toMatchObject({
      existingOrganisation: { orgCode: 'FOREIGN-DE-HRB9911', administrators: 1 },
    });
    expect(alone.status).toBe(400);
    expect(firstHalf.status, JSON.stringify(firstHalf.body)).toBe(200);
    expect(firstHalf.body).toMatchObject({ status: 'PENDING_REVIEW', secondCheckRequired: true });
    expect(view.body.status).toBe('PENDING_REVIEW');
    expect(decodeJwt(applicant).admin_of).toEqual([]);
    const organisation = await sandbox.call('GET', '/organisations/FOREIGN-DE-HRB9911', { token: applicant });
    expect(organisation.status).toBe(404);
  });
});
