/**
 * The look-alike organisation flag in a real browser (issue 19 item 4): an organisation registered
 * from abroad exists; a second registration spells its name with a Cyrillic letter. The security
 * officer's queue says "looks like existing organisation X (N administrators)" in English, Dutch and
 * French, and axe finds nothing on the page.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../portal/src/i18n/i18n.ts';
import {
  activate,
  axeViolations,
  eventually,
  ITSME_NATIONAL_NUMBER,
  type ItsmePerson,
  loginWithItsme,
  nationalNumber,
  type PortalSandbox,
  startPortalSandbox,
  uniqueName,
} from './portal-harness.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const CYRILLIC_IE = '\u0435';

let sandbox: PortalSandbox;

beforeAll(async () => {
  sandbox = await startPortalSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

function person(birthdate: string, familyName: string): ItsmePerson {
  return {
    nationalNumber: nationalNumber(birthdate),
    givenName: 'Anna',
    familyName: uniqueName(familyName),
    birthdate,
  };
}

async function login(who: ItsmePerson): Promise<string> {
  const answer = await sandbox.call('POST', '/local/login', {
    provider: 'itsme',
    attributes: {
      given_name: who.givenName,
      family_name: who.familyName,
      birthdate: who.birthdate,
      [ITSME_NATIONAL_NUMBER]: who.nationalNumber,
    },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return String((answer.body as { accessToken: string }).accessToken);
}

/** Uploads an extract and registers a German company; answers the registration id. */
async function register(token: string, name: string, registrationNumber: string): Promise<string> {
  const upload = await sandbox.call(
    'POST',
    '/uploads',
    { contentType: 'application/pdf', size: PDF.length },
    token,
  );
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const { uploadId, url, headers } = upload.body as {
    uploadId: string;
    url: string;
    headers: Record<string, string>;
  };
  const { 'content-length': _length, ...signed } = headers;
  expect((await fetch(url, { method: 'PUT', headers: signed, body: PDF })).status).toBe(200);
  const submitted = await sandbox.call(
    'POST',
    '/organisations/foreign-registrations',
    {
      name,
      country: 'DE',
      registrationNumber,
      address: {
        street: 'Werner-von-Siemens-Ring',
        houseNumber: '1',
        postalCode: '80333',
        city: 'München',
        country: 'DE',
      },
      uploadId,
      email: 'applicant@example.de',
    },
    token,
  );
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  return String((submitted.body as { registrationId: string }).registrationId);
}

describe('portal look-alike organisation flag', () => {
  it('shows the security officer that a registration looks like an existing organisation, in English, Dutch and French', async () => {
    const officer = person('1970-05-05', 'Officer');
    const officerToken = await login(officer);
    const officerId = String(decodeJwt(officerToken).person_id);
    expect(
      (await sandbox.call('POST', '/local/groups', { personId: officerId, group: 'security-officers' }))
        .status,
    ).toBe(200);
    const reviewer = await login(officer);
    const name = `Siemens ${uniqueName('Werk')}`;
    const number = `HRB ${2_000_000 + Math.floor(Math.random() * 7_000_000)}`;

    // The first registration is approved: the organisation exists with one administrator.
    const first = await register(await login(person('1980-01-01', 'First')), name, number);
    await eventually(async () => {
      const decided = await sandbox.call(
        'POST',
        `/security/foreign-registrations/${first}/decision`,
        { decision: 'approve' },
        reviewer,
      );
      return decided.status === 200;
    });
    await eventually(async () => {
      const view = await sandbox.call(
        'GET',
        `/organisations/foreign-registrations/${first}`,
        undefined,
        reviewer,
      );
      return (view.body as { status?: string }).status === 'APPROVED';
    });
    const orgCode = `FOREIGN-DE-${number.replace(' ', '')}`;

    // The look-alike: Cyrillic е in "Siemens", another number.
    await register(
      await login(person('1985-02-02', 'Second')),
      name.replace('Siemens', `Si${CYRILLIC_IE}mens`),
      `HRB ${2_000_000 + Math.floor(Math.random() * 7_000_000)}`,
    );

    const { page } = await sandbox.newPerson();
    await page.goto(`${sandbox.portalUrl}/security`);
    await loginWithItsme(page, officer);
    const flag = page.locator('[data-flag="lookalike-organisation"]');
    const expected = (language: 'en' | 'nl' | 'fr') =>
      translate(language, 'review.lookalikeOrganisation', {
        name,
        orgCode,
        administrators: 1,
        matched: translate(language, 'review.matched.name'),
      });
    await flag.first().waitFor();
    expect(await flag.count()).toBe(1);
    expect(await flag.textContent()).toBe(expected('en'));
    expect(await flag.textContent()).toContain(
      `Looks like existing organisation ${name} (${orgCode}; local administrators: 1)`,
    );
    await sandbox.screenshot(page, 'lookalike-01-queue-en');
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    for (const [language, label] of [
      ['nl', 'Nederlands'],
      ['fr', 'Français'],
    ] as const) {
      await activate(page.getByRole('button', { name: label }));
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await expect.poll(() => flag.textContent()).toBe(expected(language));
      expect(await axeViolations(page)).toEqual([]);
    }
    await sandbox.screenshot(page, 'lookalike-02-queue-fr');
  });
});
