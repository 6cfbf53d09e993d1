/**
 * The portal speaks to citizens (issue 16), in a real browser against the sandbox, in at least two
 * languages per point, with axe-core on every page: login refusals with a next step, browser-side
 * checks and the portal's own sentence for every problem code, names instead of codes (organisations,
 * people, actions, formatted numbers), an appointment that shows without a second login, German only
 * where it is complete, and the operating authority's header, footer and pages.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type Language, translate } from '../../portal/src/i18n/i18n.ts';
import type { MessageKey } from '../../portal/src/i18n/messages.ts';
import {
  activate,
  enterpriseNumber,
  expectAccessible,
  itsmePerson,
  loginWithEidas,
  loginWithItsme,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';

const sandbox = portalSandboxPerFile(480_000);

/** Journeys through several pages on a shared, busy machine: a generous bound, not a timing check. */
const JOURNEY = 300_000;

const SANDBOX_AUTHORITY = 'eID Access sandbox authority';

/** Switches the portal's language with the keyboard, as a person does with the header's buttons. */
async function chooseLanguage(page: Page, language: Language): Promise<void> {
  const names: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', en: 'English', de: 'Deutsch' };
  await activate(page.getByRole('button', { name: names[language] }));
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
}

/** Counts the API calls of one method and path prefix the page makes from now on. */
function countRequests(page: Page, method: string, path: string): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === method && new URL(request.url()).pathname.startsWith(path)) count++;
  });
  return () => count;
}

describe('portal for citizens', () => {
  it.each([
    ['fr', 'fr-BE'],
    ['nl', 'nl-BE'],
  ] as const)(
    'refuses a French national at eIDAS in %s with a next step and without offering eIDAS again',
    async (language, locale) => {
      const t = (key: MessageKey) => translate(language, key);
      const { page } = await sandbox.newPerson({ locale });
      await page.goto(sandbox.portalUrl);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await expectAccessible(page, `welcome (${language})`);

      await activate(page.getByRole('button', { name: t('auth.loginEidas') }));
      await page.getByRole('heading', { name: 'Choose the country of your eID' }).waitFor();
      await activate(page.getByRole('button', { name: 'France' }));
      await page.getByLabel('Given names (Latin script)').fill('Camille');
      await page.getByLabel('Family name (Latin script)').fill(uniqueName('Martin'));
      await page.getByLabel('Birth date').fill('1988-05-17');
      await page.getByLabel('Nationality').selectOption('FR');
      await page.getByLabel('Level of assurance').selectOption('high');
      await activate(page.getByRole('button', { name: 'Log in' }));

      await page.getByRole('heading', { name: t('auth.failed') }).waitFor();
      const refusal = page.getByTestId('refusal');
      await expect(refusal.getAttribute('data-code')).resolves.toBe('refused-nationality');
      await expect(refusal.textContent()).resolves.toBe(t('refusal.refused-nationality'));
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain(t('refusal.nextOffice'));
      expect(main).toContain(t('refusal.nextNative'));
      // No English server wording, and no way back into the refusal.
      expect(main).not.toMatch(/People with|failed with error|\[refused-nationality\]/);
      expect(await page.getByRole('button', { name: t('auth.loginEidas') }).count()).toBe(0);
      expect(await page.getByRole('link', { name: t('auth.loginNative') }).count()).toBe(1);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await sandbox.screenshot(page, `citizen-refusal-${language}`);
      await expectAccessible(page, `refusal (${language})`);
    },
    JOURNEY,
  );

  it(
    'checks the BIS form in the browser, names the fields as labelled and translates the service refusal, in Dutch and French',
    async () => {
      const familyName = uniqueName('Schneider');
      const { page } = await sandbox.newPerson({ phone: true });
      await page.goto(sandbox.portalUrl);
      await loginWithEidas(page, {
        countryName: 'Germany',
        givenNames: 'Jonas',
        familyName,
        birthDate: '1991-02-03',
        nationality: 'DE',
      });
      await chooseLanguage(page, 'nl');
      const nl = (key: MessageKey) => translate('nl', key);
      await activate(page.getByRole('link', { name: nl('nav.bis') }).first());
      await page.getByRole('heading', { name: nl('bis.heading') }).waitFor();
      await expect.poll(() => page.getByLabel(nl('field.familyName')).inputValue()).toBe(familyName);
      const posts = countRequests(page, 'POST', '/bis-registrations');

      await activate(page.getByRole('button', { name: nl('bis.submit') }));
      const summary = page.getByRole('alert');
      await summary.waitFor();
      const dutch = (await summary.textContent()) ?? '';
      expect(dutch).toContain(`${nl('field.placeOfBirth')}: ${nl('fieldCode.required')}`);
      expect(dutch).toContain(`${nl('field.street')}: ${nl('fieldCode.required')}`);
      expect(dutch).toContain(`${nl('field.email')}: ${nl('fieldCode.required')}`);
      expect(dutch).not.toMatch(/Invalid input|expected string|fields are invalid|De dienst meldt/);
      await expect(page.getByLabel(nl('field.placeOfBirth')).getAttribute('aria-invalid')).resolves.toBe(
        'true',
      );
      await sandbox.screenshot(page, 'citizen-bis-browser-check-nl');
      await expectAccessible(page, 'BIS form with browser-side problems (nl)');

      await chooseLanguage(page, 'fr');
      const fr = (key: MessageKey) => translate('fr', key);
      await page.getByLabel(fr('field.placeOfBirth')).fill('Köln');
      await page.getByLabel(fr('field.nationality')).selectOption('DE');
      await page.getByLabel(fr('field.street'), { exact: true }).fill('Domstraße');
      await page.getByLabel(fr('field.houseNumber'), { exact: true }).fill('1');
      await page.getByLabel(fr('field.postalCode'), { exact: true }).fill('50667');
      await page.getByLabel(fr('field.city')).fill('Köln');
      await page.getByLabel(fr('field.country'), { exact: true }).selectOption('DE');
      await page.getByLabel(fr('field.email')).fill('jonas@');
      await page.getByLabel(fr('field.phone')).fill('0221 123');
      await activate(page.getByRole('button', { name: fr('bis.submit') }));
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain(`${fr('field.email')}: ${fr('fieldCode.invalid-email')}`);
      expect(await page.getByRole('alert').textContent()).toContain(
        `${fr('field.phone')}: ${fr('fieldCode.invalid-phone')}`,
      );
      expect(posts()).toBe(0);

      // Well-formed, but not the name of the eID used to log in: the service's code, in French.
      await page.getByLabel(fr('field.email')).fill('jonas@example.de');
      await page.getByLabel(fr('field.phone')).fill('+49 221 1234567');
      await page.getByLabel(fr('field.familyName')).fill(`${familyName}x`);
      await activate(page.getByRole('button', { name: fr('bis.submit') }));
      await expect.poll(() => page.getByRole('alert').textContent()).toContain(fr('code.identity-mismatch'));
      expect(posts()).toBe(1);
      expect(await page.getByRole('alert').textContent()).not.toMatch(/Your names|The service says/);
      await sandbox.screenshot(page, 'citizen-bis-service-refusal-fr');
      await expectAccessible(page, 'BIS form with the service refusal (fr)');
    },
    JOURNEY,
  );

  it(
    'lists the seeded people on the itsme test page and shows companies, numbers, people and actions by name, in French and Dutch',
    async () => {
      // Amélie Dubois is seeded as the legal representative of Brasserie Dubois SRL (0403125664).
      const { page } = await sandbox.newPerson({ locale: 'fr-BE' });
      await page.goto(sandbox.portalUrl);
      const fr = (key: MessageKey) => translate('fr', key);
      await activate(page.getByRole('button', { name: fr('auth.loginItsme') }));
      await page.getByRole('heading', { name: 'Seeded test people' }).waitFor();
      await expectAccessible(page, 'itsme test page');
      await sandbox.screenshot(page, 'citizen-itsme-seeded');
      expect(await page.locator('main').textContent()).toContain(
        'Legal representative of Brasserie Dubois SRL',
      );
      await activate(page.getByRole('button', { name: 'Log in as Amélie Françoise Dubois' }));
      await page.getByRole('button', { name: fr('auth.logout') }).waitFor();

      await activate(page.getByRole('link', { name: fr('nav.claim') }).first());
      const posts = countRequests(page, 'POST', '/organisations/claims');
      const numberField = page.getByLabel(fr('claim.enterpriseNumber'));
      await numberField.fill('0403.125.665');
      await activate(page.getByRole('button', { name: fr('claim.submit') }));
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain(fr('fieldCode.check-digits'));
      // The right check digits (64) are never given away, and nothing was sent.
      expect(await alert.textContent()).not.toContain('64');
      expect(posts()).toBe(0);
      await expectAccessible(page, 'claim with a check-digit problem (fr)');

      await numberField.fill(enterpriseNumber());
      await activate(page.getByRole('button', { name: fr('claim.submit') }));
      await expect.poll(() => alert.textContent()).toContain(fr('code.unknown-enterprise'));
      expect(posts()).toBe(1);

      await numberField.fill('0403.125.664');
      await activate(page.getByRole('button', { name: fr('claim.submit') }));
      const navigation = page.getByRole('navigation', { name: fr('nav.label') });
      await navigation.getByRole('link', { name: 'Brasserie Dubois SRL' }).waitFor();
      expect(await navigation.textContent()).not.toContain('0403125664');
      await page.getByRole('status').filter({ hasText: '(0403.125.664)' }).waitFor();
      await sandbox.screenshot(page, 'citizen-company-name-fr');

      await activate(page.getByRole('link', { name: fr('nav.profile') }).first());
      await expect.poll(() => page.getByTestId('insz').textContent()).toBe('85.03.14-117.08');
      await expectAccessible(page, 'profile (fr)');

      // A colleague who is logged in already becomes local administrator: their portal shows the
      // company as soon as they come back to the tab, without logging in again.
      const colleague = itsmePerson('Noor', 'Janssens', '1990-10-10');
      const other = (await sandbox.newPerson({ locale: 'nl-BE' })).page;
      await other.goto(`${sandbox.portalUrl}/profile`);
      await chooseLanguage(other, 'en');
      await loginWithItsme(other, colleague);
      await chooseLanguage(other, 'nl');
      const nl = (key: MessageKey) => translate('nl', key);
      const otherNavigation = other.getByRole('navigation', { name: nl('nav.label') });
      expect(await otherNavigation.getByRole('link', { name: 'Brasserie Dubois SRL' }).count()).toBe(0);

      await chooseLanguage(page, 'nl');
      await activate(page.getByRole('link', { name: 'Brasserie Dubois SRL' }).first());
      await activate(page.getByRole('link', { name: nl('org.members') }));
      await page.getByLabel(nl('members.appointInsz')).fill(colleague.nationalNumber);
      await activate(page.getByRole('button', { name: nl('members.appointSubmit') }));
      await page
        .getByRole('status')
        .filter({ hasText: nl('members.appointed') })
        .waitFor();
      await expectAccessible(page, 'members (nl)');

      await other.evaluate(() => window.dispatchEvent(new Event('focus')));
      await otherNavigation.getByRole('link', { name: 'Brasserie Dubois SRL' }).waitFor();
      await sandbox.screenshot(other, 'citizen-appointed-sees-company-nl');

      await activate(page.getByRole('link', { name: nl('org.audit') }));
      const table = page.getByRole('table');
      await expect.poll(() => table.textContent()).toContain(nl('audit.action.administrator-appointed'));
      const audit = (await table.textContent()) ?? '';
      expect(audit).toContain('Amélie Françoise Dubois');
      expect(audit).toContain(`Noor ${colleague.familyName}`);
      expect(audit).toContain(nl('audit.action.organisation-claimed'));
      expect(audit).not.toMatch(/[0-9A-HJKMNP-TV-Z]{26}/);
      expect(audit).not.toMatch(/administrator-appointed|organisation-claimed/);
      await sandbox.screenshot(page, 'citizen-audit-nl');
      await expectAccessible(page, 'audit log (nl)');
    },
    JOURNEY,
  );

  it(
    'offers German where it is complete and English after login, with lang always matching the text',
    async () => {
      const { page } = await sandbox.newPerson({ locale: 'de-DE' });
      await page.goto(sandbox.portalUrl);
      const de = (key: MessageKey) => translate('de', key);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('de');
      await page.getByRole('heading', { name: de('welcome.heading') }).waitFor();
      await activate(page.getByRole('link', { name: de('trust.help') }));
      await page.getByRole('heading', { name: de('help.heading') }).waitFor();
      await expectAccessible(page, 'help (de)');

      await activate(page.getByRole('link', { name: de('app.title') }).first());
      await chooseLanguage(page, 'en');
      await loginWithItsme(page, itsmePerson('Lukas', 'Weber', '1975-04-01'));
      expect(await page.getByRole('button', { name: 'Deutsch' }).count()).toBe(0);
      await page.goto(`${sandbox.portalUrl}/`);
      await page.evaluate(() => sessionStorage.setItem('eid-access.language', 'de'));
      await page.reload();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      // German is not complete after login: the page is English and says so, in German.
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await page.getByRole('navigation', { name: 'Main menu' }).textContent()).toContain('My profile');
      const notice = page.locator('p[lang="de"]', { hasText: de('lang.germanAfterLogin') });
      await notice.waitFor();
      await sandbox.screenshot(page, 'citizen-german-after-login');
      await expectAccessible(page, 'home after login, German chosen');
    },
    JOURNEY,
  );

  it.each(['nl', 'fr'] as const)(
    'names the operating authority in the header and footer and serves its pages in %s',
    async (language) => {
      const t = (key: MessageKey, params?: Record<string, string>) => translate(language, key, params);
      const { page } = await sandbox.newPerson({ locale: language === 'nl' ? 'nl-BE' : 'fr-BE' });
      await page.goto(sandbox.portalUrl);
      await expect
        .poll(() => page.locator('header').textContent())
        .toContain(t('trust.operatedBy', { authority: SANDBOX_AUTHORITY }));
      expect(await page.locator('header img').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      const footer = page.getByRole('navigation', { name: t('trust.footerLabel') });
      for (const [link, heading] of [
        ['trust.help', 'help.heading'],
        ['trust.privacy', 'privacy.heading'],
        ['trust.accessibility', 'accessibility.heading'],
      ] as const) {
        await activate(footer.getByRole('link', { name: t(link) }));
        await page.getByRole('heading', { level: 1, name: t(heading) }).waitFor();
        expect(await page.locator('main').textContent()).toContain(SANDBOX_AUTHORITY);
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
        await expectAccessible(page, `${heading} (${language})`);
      }
      expect(await page.locator('main').textContent()).toContain('helpdesk@sandbox.example');
      await sandbox.screenshot(page, `citizen-accessibility-statement-${language}`);
    },
    JOURNEY,
  );
});
