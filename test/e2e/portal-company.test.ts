/**
 * Company journey in a real browser: the legal representative listed in the company register logs
 * in with itsme, claims the company by its enterprise number, and appoints a second local
 * administrator (a person who signed in before) by national number. Keyboard only.
 */

import { describe, expect, it } from 'vitest';
import { formatEnterpriseNumber } from '../../portal/src/format.ts';
import { translate } from '../../portal/src/i18n/i18n.ts';
import type { MessageKey } from '../../portal/src/i18n/messages.ts';
import {
  activate,
  appointLocalAdministrator,
  enterpriseNumber,
  expectAccessible,
  itsmePerson,
  loginWithItsme,
  nationalNumber,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';
import { seedCompany, signInOverHttp } from './portal-setup.ts';

const sandbox = portalSandboxPerFile();

describe('portal company journey', () => {
  it('makes a second person local administrator when the legal representative claims the company and appoints them', async () => {
    const representative = itsmePerson('Sofie', 'Janssens', '1975-03-14');
    const colleague = itsmePerson('Pieter', 'Claes', '1988-09-21');
    const company = { enterpriseNumber: enterpriseNumber(), name: `${uniqueName('Bouw')} NV` };
    await seedCompany(sandbox, company, representative);
    // Appointing needs a person the platform knows: the colleague signs in once.
    const known = await signInOverHttp(sandbox, colleague);

    const { page } = await sandbox.newPerson({ locale: 'nl-BE' });
    await page.goto(sandbox.portalUrl);
    // The browser asks for Dutch: the portal answers in Dutch; the person switches to English.
    await page.getByRole('heading', { name: 'Welkom' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('nl');
    await sandbox.screenshot(page, 'company-01-welcome-nl');
    await expectAccessible(page, 'company-01-welcome-nl');
    // The first Tab reaches the skip link; it moves focus to the main content.
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Ga naar de hoofdinhoud');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await activate(page.getByRole('button', { name: 'English' }));
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await loginWithItsme(page, representative);

    await activate(page.getByRole('link', { name: 'Claim a company' }).first());
    await page.getByLabel('Enterprise number').fill(company.enterpriseNumber);
    await sandbox.screenshot(page, 'company-02-claim');
    await expectAccessible(page, 'company-02-claim');
    await activate(page.getByRole('button', { name: 'Claim this company' }));
    await page
      .getByRole('status')
      .filter({
        hasText: `You are now local administrator of ${company.name} (${formatEnterpriseNumber(company.enterpriseNumber)}).`,
      })
      .waitFor();
    await sandbox.screenshot(page, 'company-03-claimed');
    await expectAccessible(page, 'company-03-claimed');

    await appointLocalAdministrator(page, company.name, colleague.nationalNumber);

    const row = page.getByTestId('members').getByRole('row', { name: new RegExp(colleague.familyName) });
    await expect.poll(() => row.textContent()).toContain('local administrator');
    const representativeRow = page
      .getByTestId('members')
      .getByRole('row', { name: new RegExp(representative.familyName) });
    await expect
      .poll(() => representativeRow.textContent())
      .toContain('legal representative, local administrator');
    await sandbox.screenshot(page, 'company-04-members');
    await expectAccessible(page, 'company-04-members');

    // A number nobody has logged in with: the appointment waits, and the page says so.
    await page
      .getByLabel('Belgian number (national register or BIS) of the person')
      .fill(nationalNumber('1992-12-12'));
    await activate(page.getByRole('button', { name: 'Appoint' }));
    await page
      .getByRole('status')
      .filter({ hasText: translate('en', 'members.appointedPending') })
      .waitFor();
    await expectAccessible(page, 'members after a waiting appointment');

    // The audit log names people and actions, the waiting one included, in English and Dutch.
    await activate(
      page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }),
    );
    const audit = page.getByRole('table');
    for (const language of ['en', 'nl'] as const) {
      if (language === 'nl') {
        await activate(page.getByRole('button', { name: 'Nederlands' }));
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('nl');
      }
      const t = (key: MessageKey) => translate(language, key);
      await expect
        .poll(() => audit.textContent())
        .toContain(t('audit.action.administrator-appointed-pending'));
      const text = (await audit.textContent()) ?? '';
      expect(text).toContain(t('audit.action.administrator-appointed'));
      expect(text).toContain(t('audit.pendingPerson'));
      expect(text).toContain(`${colleague.givenName} ${colleague.familyName}`);
      expect(text).toContain(`${representative.givenName} ${representative.familyName}`);
      expect(text).not.toMatch(/[0-9A-HJKMNP-TV-Z]{26}|administrator-appointed/);
      if (language === 'nl') expect(text).not.toContain('Appointed by national number');
      await sandbox.screenshot(page, `company-05-audit-${language}`);
      await expectAccessible(page, `audit log (${language})`);
    }

    // The appointed colleague sees the organisation as its local administrator.
    const me = await sandbox.call('GET', '/me', undefined, known.accessToken);
    expect((me.body as { memberships: unknown[] }).memberships).toContainEqual({
      orgCode: company.enterpriseNumber,
      name: company.name,
      localAdministrator: true,
      legalRepresentative: false,
    });
  });
});
