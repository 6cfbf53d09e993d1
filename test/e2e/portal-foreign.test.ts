/**
 * Foreign-company registration in a real browser, in French and in Dutch: the applicant registers a
 * company with its trade-register extract, lands on a status page that follows the security
 * officer's review by itself (no "Refresh", no reload) and finds the registration again in the
 * list of the tab's registrations. axe-core on every page.
 */
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Language, translate } from '../../portal/src/i18n/i18n.ts';
import type { MessageKey } from '../../portal/src/i18n/messages.ts';
import {
  activate,
  eventually,
  expectAccessible,
  ITSME_NATIONAL_NUMBER,
  loginWithItsme,
  nationalNumber,
  type PortalSandbox,
  startPortalSandbox,
  uniqueName,
} from './portal-harness.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let sandbox: PortalSandbox;
let officerToken: string;

beforeAll(async () => {
  sandbox = await startPortalSandbox();
  // A security officer (operator-assigned group, effective at the next login).
  const officer = {
    given_name: 'Oscar',
    family_name: uniqueName('Officer'),
    birthdate: '1971-06-06',
    [ITSME_NATIONAL_NUMBER]: nationalNumber('1971-06-06'),
  };
  const first = await sandbox.call('POST', '/local/login', { provider: 'itsme', attributes: officer });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  const personId = String(decodeJwt(String((first.body as { idToken: string }).idToken)).person_id);
  const grouped = await sandbox.call('POST', '/local/groups', { personId, group: 'security-officers' });
  expect(grouped.status).toBe(200);
  const second = await sandbox.call('POST', '/local/login', { provider: 'itsme', attributes: officer });
  officerToken = String((second.body as { accessToken: string }).accessToken);
}, 480_000);

afterAll(async () => {
  await sandbox?.close();
});

/** Journeys through several pages on a shared, busy machine: a generous bound, not a timing check. */
const JOURNEY = 300_000;

async function chooseLanguage(page: Page, language: Language): Promise<void> {
  const names: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', en: 'English', de: 'Deutsch' };
  await activate(page.getByRole('button', { name: names[language] }));
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
}

describe('portal foreign-company registration', () => {
  it.each([
    ['fr', 'approve'],
    ['nl', 'reject'],
  ] as const)(
    'follows the review by itself in %s when the security officer decides (%s)',
    async (language, decision) => {
      const t = (key: MessageKey, params?: Record<string, string>) => translate(language, key, params);
      const company = `${uniqueName('Handel')} GmbH`;
      const registrationNumber = `HRB ${2_000_000 + Math.floor(Math.random() * 7_000_000)}`;
      const { page } = await sandbox.newPerson();
      await page.goto(`${sandbox.portalUrl}/companies/foreign`);
      await loginWithItsme(page, {
        nationalNumber: nationalNumber('1983-08-08'),
        givenName: 'Greta',
        familyName: uniqueName('Vogel'),
        birthdate: '1983-08-08',
      });
      await chooseLanguage(page, language);
      await page.getByRole('heading', { name: t('foreign.heading') }).waitFor();
      await expectAccessible(page, `foreign registration form (${language})`);

      await page.getByLabel(t('foreign.name')).fill(company);
      await page.getByLabel(t('foreign.country')).selectOption('DE');
      await page.getByLabel(t('foreign.registrationNumber')).fill(registrationNumber);
      await page.getByLabel(t('field.street'), { exact: true }).fill('Königsallee');
      await page.getByLabel(t('field.houseNumber'), { exact: true }).fill('2');
      await page.getByLabel(t('field.postalCode'), { exact: true }).fill('40212');
      await page.getByLabel(t('field.city')).fill('Düsseldorf');
      await page.getByLabel(t('field.country'), { exact: true }).selectOption('DE');
      await page
        .getByLabel(t('foreign.extract'))
        .setInputFiles({ name: 'extract.pdf', mimeType: 'application/pdf', buffer: PDF });
      await activate(page.getByRole('button', { name: t('foreign.submit') }));

      await page.getByRole('heading', { name: t('foreign.statusHeading') }).waitFor();
      const status = page.getByTestId('foreign-status');
      await expect.poll(() => status.textContent()).toBe(t('foreign.status.PENDING_REVIEW'));
      await page
        .getByRole('status')
        .filter({ hasText: t('foreign.submitted') })
        .waitFor();
      expect(await page.locator('main').textContent()).toContain(company);
      expect(await page.locator('main').textContent()).toContain(t('foreign.updatesLive'));
      await sandbox.screenshot(page, `foreign-01-waiting-${language}`);
      await expectAccessible(page, `foreign registration status, waiting (${language})`);

      // The officer decides elsewhere (the API); the open page shows it without a click or reload.
      const registrationId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const reason = 'Het uittreksel is niet leesbaar: stuur een nieuw.';
      await eventually(async () => {
        const decided = await sandbox.call(
          'POST',
          `/security/foreign-registrations/${encodeURIComponent(registrationId)}/decision`,
          decision === 'approve' ? { decision } : { decision, reason },
          officerToken,
        );
        return decided.status === 200;
      });
      const final = decision === 'approve' ? 'foreign.status.APPROVED' : 'foreign.status.REJECTED';
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe(t(final));
      expect(await page.locator('main').textContent()).not.toContain(t('foreign.updatesLive'));
      if (decision === 'approve') {
        await page.getByRole('link', { name: t('foreign.manage', { name: company }) }).waitFor();
        // The applicant now administers the company: the menu names it, without a second login.
        await page
          .getByRole('navigation', { name: t('nav.label') })
          .getByRole('link', { name: company, exact: true })
          .waitFor();
      } else {
        expect(await page.locator('main').textContent()).toContain(reason);
      }
      await sandbox.screenshot(page, `foreign-02-decided-${language}`);
      await expectAccessible(page, `foreign registration status, decided (${language})`);

      // The registration is listed on the form page of this tab, by name.
      await activate(page.getByRole('link', { name: t('nav.foreign') }).first());
      const listed = page.locator('main').getByRole('link', { name: new RegExp(`^${company}, `) });
      await listed.waitFor();
      await expectAccessible(page, `foreign registration form with the tab's registrations (${language})`);
      await activate(listed);
      await expect.poll(() => status.textContent()).toBe(t(final));
    },
    JOURNEY,
  );
});
