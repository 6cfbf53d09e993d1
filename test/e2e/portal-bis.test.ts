/**
 * BIS journey in a real browser: a foreign professional logs in with eIDAS on a phone, requests a
 * BIS number on a form that starts with what eIDAS asserted (names, birth date, sex, nationality,
 * address); a BIS agent (operator-assigned group) approves it in the agent queue; the applicant
 * sees the number on the status page, which follows the request by itself, and on the profile.
 * Keyboard only where a person would use it; axe-core on every page.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { translate } from '../../portal/src/i18n/i18n.ts';
import type { MessageKey } from '../../portal/src/i18n/messages.ts';
import {
  activate,
  expectAccessible,
  itsmePerson,
  loginWithEidas,
  loginWithItsme,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';
import { signInOverHttp } from './portal-setup.ts';

const sandbox = portalSandboxPerFile();

describe('portal BIS journey', () => {
  it('shows the issued BIS number when a foreign professional requests one and an agent approves it', async () => {
    const familyName = uniqueName('Schmidt');
    const applicant = await sandbox.newPerson({ phone: true });
    const page = applicant.page;

    await page.goto(sandbox.portalUrl);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await sandbox.screenshot(page, 'bis-01-welcome-phone');
    await expectAccessible(page, 'welcome (phone)');
    await loginWithEidas(page, {
      countryName: 'Germany',
      givenNames: 'Lena',
      familyName,
      birthDate: '1990-04-12',
      nationality: 'DE',
      gender: 'Female',
      address: {
        street: 'Leopoldstraße',
        houseNumber: '12',
        postalCode: '80802',
        city: 'München',
        country: 'DE',
      },
    });
    await expectAccessible(page, 'home after an eIDAS login (phone)');
    await activate(page.getByRole('link', { name: 'BIS number' }).first());
    await page.getByRole('heading', { name: 'Request a BIS number' }).waitFor();
    // Pre-filled with what eIDAS asserted: nothing the platform knows is asked again.
    await expect.poll(() => page.getByLabel('Family name').inputValue()).toBe(familyName);
    expect(await page.getByLabel('Given names').inputValue()).toBe('Lena');
    expect(await page.getByLabel('Date of birth').inputValue()).toBe('1990-04-12');
    expect(await page.getByLabel('Sex').inputValue()).toBe('F');
    expect(await page.getByLabel('Nationality').inputValue()).toBe('DE');
    expect(await page.getByLabel('Street', { exact: true }).inputValue()).toBe('Leopoldstraße');
    expect(await page.getByLabel('House number', { exact: true }).inputValue()).toBe('12');
    expect(await page.getByLabel('Postal code', { exact: true }).inputValue()).toBe('80802');
    expect(await page.getByLabel('City or municipality').inputValue()).toBe('München');
    expect(await page.getByLabel('Country', { exact: true }).inputValue()).toBe('DE');
    await expectAccessible(page, 'BIS request form (phone)');
    await page.getByLabel('Place of birth').fill('München');
    await page.getByLabel('E-mail address').fill('lena@example.de');
    await page.getByLabel('Phone number').fill('+49891234567');
    await sandbox.screenshot(page, 'bis-02-request-form-phone');
    await activate(page.getByRole('button', { name: 'Send my request' }));
    await expect.poll(() => page.getByTestId('bis-status').textContent()).toBe('Waiting for review');
    await page.getByRole('status').filter({ hasText: 'Your request was sent' }).waitFor();
    await sandbox.screenshot(page, 'bis-03-waiting-phone');
    await expectAccessible(page, 'BIS status, waiting (phone)');

    // The operator puts the agent in the bis-agents group (POST /local/groups, next login).
    const agentPerson = itsmePerson('Jan', 'Peeters', '1979-11-02');
    const { idToken } = await signInOverHttp(sandbox, agentPerson);
    const personId = String(decodeJwt(idToken).person_id);
    expect((await sandbox.call('POST', '/local/groups', { personId, group: 'bis-agents' })).status).toBe(200);

    const agent = (await sandbox.newPerson()).page;
    await agent.goto(`${sandbox.portalUrl}/agent`);
    await loginWithItsme(agent, agentPerson);
    await agent.getByRole('heading', { name: 'BIS number requests' }).waitFor();
    const review = agent.getByRole('link', { name: `Review the request of Lena ${familyName}` });
    await review.waitFor();
    await sandbox.screenshot(agent, 'bis-04-agent-queue');
    await expectAccessible(agent, 'agent queue');
    await activate(review);
    await agent.getByRole('heading', { name: `Request of Lena ${familyName}` }).waitFor();
    await expectAccessible(agent, 'agent review');
    await agent.getByLabel('Approve and issue a BIS number').focus();
    await agent.keyboard.press('Space');
    await activate(agent.getByRole('button', { name: 'Record the decision' }));
    await agent.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    await expect
      .poll(() => agent.getByTestId('bis-status').textContent(), { timeout: 20_000 })
      .toBe('Approved');
    await sandbox.screenshot(agent, 'bis-05-agent-approved');
    await expectAccessible(agent, 'agent review, decided');

    // The open status page follows the request by itself: no "Refresh", no reload.
    await expect
      .poll(() => page.getByTestId('bis-status').textContent(), { timeout: 60_000 })
      .toBe('Approved');
    const bisNumber = (await page.getByTestId('bis-number').textContent()) ?? '';
    expect(bisNumber).toMatch(/^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/);
    await sandbox.screenshot(page, 'bis-06-number-phone');
    await expectAccessible(page, 'BIS status, approved (phone)');

    await activate(page.getByRole('link', { name: 'My profile' }).first());
    await expect.poll(() => page.getByTestId('insz').textContent()).toBe(bisNumber);
    await sandbox.screenshot(page, 'bis-07-profile-phone');
    await expectAccessible(page, 'profile with the BIS number (phone)');
  });

  it.each([
    ['nl', 'nl-BE'],
    ['fr', 'fr-BE'],
  ] as const)(
    'starts the BIS form in %s with the sex, nationality and address eIDAS asserted',
    async (language, locale) => {
      const t = (key: MessageKey) => translate(language, key);
      const familyName = uniqueName('Kowalski');
      const { page } = await sandbox.newPerson({ locale });
      await page.goto(sandbox.portalUrl);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      // The local eIDAS node's pages are English, whatever the portal's language.
      await activate(page.getByRole('button', { name: t('auth.loginEidas') }));
      await page.getByRole('heading', { name: 'Choose the country of your eID' }).waitFor();
      await activate(page.getByRole('button', { name: 'Poland' }));
      await page.getByLabel('Given names (Latin script)').fill('Marek');
      await page.getByLabel('Family name (Latin script)').fill(familyName);
      await page.getByLabel('Birth date').fill('1984-07-30');
      await page.getByLabel('Gender').selectOption('Male');
      await page.getByLabel('Nationality').selectOption('PL');
      await page.getByLabel('Street (optional)', { exact: true }).fill('Marszałkowska');
      await page.getByLabel('House number (optional)', { exact: true }).fill('8');
      await page.getByLabel('Postal code (optional)', { exact: true }).fill('00-590');
      await page.getByLabel('City (optional)', { exact: true }).fill('Warszawa');
      await page.getByLabel('Country code (optional)', { exact: true }).fill('PL');
      await page.getByLabel('Level of assurance').selectOption('high');
      await activate(page.getByRole('button', { name: 'Log in' }));
      await page.getByRole('button', { name: t('auth.logout') }).waitFor();

      await activate(page.getByRole('link', { name: t('nav.bis') }).first());
      await page.getByRole('heading', { name: t('bis.heading') }).waitFor();
      await expect.poll(() => page.getByLabel(t('field.familyName')).inputValue()).toBe(familyName);
      expect(await page.getByLabel(t('field.sex')).inputValue()).toBe('M');
      expect(await page.getByLabel(t('field.nationality')).inputValue()).toBe('PL');
      expect(await page.getByLabel(t('field.street'), { exact: true }).inputValue()).toBe('Marszałkowska');
      expect(await page.getByLabel(t('field.postalCode'), { exact: true }).inputValue()).toBe('00-590');
      expect(await page.getByLabel(t('field.city')).inputValue()).toBe('Warszawa');
      expect(await page.getByLabel(t('field.country'), { exact: true }).inputValue()).toBe('PL');
      // What eIDAS did not assert stays for the person to fill in.
      expect(await page.getByLabel(t('field.placeOfBirth')).inputValue()).toBe('');
      await sandbox.screenshot(page, `bis-prefilled-${language}`);
      await expectAccessible(page, `BIS request form (${language})`);
    },
  );
});
