/**
 * The organisations journeys on the sandbox (`npm start`'s entry as a child process, HTTP only):
 * a Belgian company claimed by its legal representative from the seeded company register, a second
 * local administrator appointed by INSZ; and a foreign company registered with a trade-register
 * extract uploaded to the sandbox's S3 through the presigned URL, reviewed by a security officer.
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
/** Seeded person register entry, no company of hers: she links her INSZ after an eIDAS login. */
const INES = { insz: '01090900928', givenNames: 'Inès', familyName: 'El Amrani', birthDate: '2001-09-09' };
/** Seeded, legal representative of another company only. */
const GUNTHER = itsmePerson({
  insz: '68012138631',
  givenName: 'Günther',
  familyName: 'Müller',
  birthDate: '1968-01-21',
});

/** A minimal valid PDF with some bytes that are not ASCII, to see them come back unchanged. */
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.from(
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
      'trailer << /Root 1 0 R >>\n%%EOF\n',
  ),
]);

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(async () => {
  await sandbox?.stop('SIGINT');
});

describe('organisations on the sandbox', () => {
  it('makes a seeded legal representative the local administrator of the company when they claim it after an itsme login', async () => {
    // Claim.
    const jan = await sandbox.accessTokenOf('itsme', JAN);
    const claimed = await sandbox.call('POST', '/organisations/claims', {
      token: jan,
      body: { enterpriseNumber: PEETERS_BV },
    });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    expect(claimed.body).toEqual({
      orgCode: PEETERS_BV,
      name: 'Peeters & Van den Broeck BV',
      localAdministrator: true,
      legalRepresentative: true,
    });
    const profile = await sandbox.call('GET', `/organisations/${PEETERS_BV}`, { token: jan });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ orgCode: PEETERS_BV, kind: 'belgian', administratorCount: 1 });

    // The next token says so.
    const janAgain = await sandbox.accessTokenOf('itsme', JAN);
    expect(decodeJwt(janAgain).admin_of).toEqual([PEETERS_BV]);

    // A second person, whose itsme login verified her national number (a number linked by names and
    // birth date only would make the appointment wait: sandbox-rights.test.ts).
    const inesLogin = itsmePerson({
      insz: INES.insz,
      givenName: INES.givenNames,
      familyName: INES.familyName,
      birthDate: INES.birthDate,
    });
    const ines = await sandbox.accessTokenOf('itsme', inesLogin);

    // Appointed by the local administrator.
    const appointed = await sandbox.call('POST', `/organisations/${PEETERS_BV}/administrators`, {
      token: janAgain,
      body: { insz: INES.insz },
    });
    expect(appointed.status, JSON.stringify(appointed.body)).toBe(201);
    expect(appointed.body).toMatchObject({
      orgCode: PEETERS_BV,
      personId: decodeJwt(ines).person_id,
      localAdministrator: true,
      legalRepresentative: false,
    });
    const members = await sandbox.call('GET', `/organisations/${PEETERS_BV}/members`, { token: janAgain });
    expect(members.status).toBe(200);
    expect(members.body.items?.filter((member) => member.localAdministrator === true)).toHaveLength(2);
    expect(members.body.items?.map((member) => member.familyName).sort()).toEqual(['El Amrani', 'Peeters']);

    const inesAgain = await sandbox.idTokenOf('itsme', inesLogin);
    expect(decodeJwt(inesAgain)).toMatchObject({ admin_of: [PEETERS_BV], insz: INES.insz });

    // Someone who is not a member sees nothing.
    const gunther = await sandbox.accessTokenOf('itsme', GUNTHER);
    const hidden = await sandbox.call('GET', `/organisations/${PEETERS_BV}`, { token: gunther });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('content-type')).toBe('application/problem+json');
  });

  it('runs the sandbox end-to-end journey for a foreign registration including the upload', async () => {
    // An eIDAS applicant uploads the extract through the presigned URL.
    const applicantLogin = eidasPerson();
    const applicant = await sandbox.accessTokenOf('eidas', applicantLogin);
    const upload = await sandbox.call('POST', '/uploads', {
      token: applicant,
      body: { contentType: 'application/pdf', size: PDF.length },
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const uploadUrl = String(upload.body.url);
    expect(uploadUrl.startsWith(`${sandbox.url}/local/aws/s3/`)).toBe(true);
    const signedHeaders = upload.body.headers as Record<string, string>;

    // A portal on the dev stage's origin may upload (the bucket's CORS rule, as S3 answers it).
    const preflight = await fetch(uploadUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': Object.keys(signedHeaders)
          .filter((name) => name !== 'content-length')
          .join(','),
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');

    // The API's own answers name the portal's origin too (a browser there reads them), no other.
    const fromOrigin = (origin: string) =>
      fetch(`${sandbox.url}/me`, { headers: { authorization: `Bearer ${applicant}`, origin } });
    const fromPortal = await fromOrigin('http://localhost:3000');
    const fromElsewhere = await fromOrigin('https://portal.example.evil');
    expect(fromPortal.status).toBe(200);
    expect(fromPortal.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();

    // Content-Length is the fetch's own (a browser may not set it), the same value as signed.
    const { 'content-length': declared, ...headers } = signedHeaders;
    expect(declared).toBe(String(PDF.length));
    const put = await fetch(uploadUrl, { method: 'PUT', headers, body: PDF });
    expect(put.status, await put.clone().text()).toBe(200);
    const tampered = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { ...headers, 'x-amz-tagging': 'state=attached' },
      body: PDF,
    });
    expect(tampered.status).toBe(403);

    const submitted = await sandbox.call('POST', '/organisations/foreign-registrations', {
      token: applicant,
      body: {
        name: 'Mustermann Tiefbau GmbH',
        country: 'DE',
        registrationNumber: 'HRB 4711',
        address: {
          street: 'Hohe Straße',
          houseNumber: '12',
          postalCode: '50667',
          city: 'Köln',
          country: 'DE',
        },
        uploadId: upload.body.uploadId,
        email: 'erika.mustermann@example.de',
      },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const registrationId = String(submitted.body.registrationId);

    // A security officer (operator action, then a new login) reviews.
    const zoe = await sandbox.accessTokenOf('itsme', ZOE);
    const grouped = await sandbox.call('POST', '/local/groups', {
      body: { personId: decodeJwt(zoe).person_id, group: 'security-officers' },
    });
    expect(grouped.status).toBe(200);
    const officer = await sandbox.accessTokenOf('itsme', ZOE);
    const queue = await poll(
      () => sandbox.call('GET', '/security/foreign-registrations?status=PENDING_REVIEW', { token: officer }),
      (page) => page.body.items?.some((item) => item.registrationId === registrationId) === true,
    );
    expect(queue.body.items?.find((item) => item.registrationId === registrationId)).toMatchObject({
      name: 'Mustermann Tiefbau GmbH',
      country: 'DE',
    });

    const review = await sandbox.call('GET', `/organisations/foreign-registrations/${registrationId}`, {
      token: officer,
    });
    expect(review.status).toBe(200);
    const extract = review.body.extract as { url: string };
    const download = await fetch(extract.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);

    // Approve once the workflow waits for the decision.
    const decided = await poll(
      () =>
        sandbox.call('POST', `/security/foreign-registrations/${registrationId}/decision`, {
          token: officer,
          body: { decision: 'approve' },
        }),
      (answer) => answer.status !== 409,
      { attempts: 25 },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const approved = await poll(
      () =>
        sandbox.call('GET', `/organisations/foreign-registrations/${registrationId}`, { token: applicant }),
      (answer) => answer.body.status === 'APPROVED',
      { attempts: 100, intervalMs: 100 },
    );
    expect(approved.body).toMatchObject({ status: 'APPROVED', orgCode: 'FOREIGN-DE-HRB4711' });

    const mail = (await sandbox.outbox()).find(
      (message) =>
        message.to === 'erika.mustermann@example.de' && message.template === 'foreign-registration-approved',
    );
    expect(mail?.text).toContain('Mustermann Tiefbau GmbH');

    const next = await sandbox.accessTokenOf('eidas', applicantLogin);
    expect(decodeJwt(next).admin_of).toEqual(['FOREIGN-DE-HRB4711']);
    const organisation = await sandbox.call('GET', '/organisations/FOREIGN-DE-HRB4711', { token: next });
    expect(organisation.body).toMatchObject({ kind: 'foreign', country: 'DE', administratorCount: 1 });
  });
});
