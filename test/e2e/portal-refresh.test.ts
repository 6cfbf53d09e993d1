/**
 * The portal follows what a person may do without a new login (issue 14): a legal representative
 * claims a company and appoints a colleague by national number; the colleague's open portal — in
 * another browser — sees the organisation in its menu and a polite notice, because it compared
 * `GET /me` with its tokens and refreshed them once through the refresh token (never a new
 * authorization request). It looks again when the tab becomes visible and on an interval while it is
 * visible, never while hidden, and a difference a refresh did not resolve is not refreshed again.
 *
 * Time: the colleague's browser runs Playwright's clock (real time flowing, fast-forwarded for the
 * interval). Headless Chromium keeps every tab visible, so a tab switch is emulated: the document
 * reports the new `visibilityState` and fires `visibilitychange`, as a browser does.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  accessTokenOf,
  activate,
  appointLocalAdministrator,
  axeViolations,
  enterpriseNumber,
  type ItsmePerson,
  loginWithItsme,
  nationalNumber,
  portalSandboxPerFile,
  tokenClaims,
  uniqueName,
} from './portal-harness.ts';

const sandbox = portalSandboxPerFile(600_000);

/** Emulates switching away from the tab (`hidden`) or back to it (`visible`). */
async function setTabVisibility(page: Page, state: 'visible' | 'hidden'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** What one tab asked of the platform: `GET /me` calls, refresh-token grants, authorization requests. */
interface Traffic {
  me: number;
  refreshGrants: number;
  authorizations: number;
}

function watchTraffic(page: Page): Traffic {
  const traffic: Traffic = { me: 0, refreshGrants: 0, authorizations: 0 };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && url.pathname === '/me') traffic.me += 1;
    if (url.pathname === '/oauth2/authorize') traffic.authorizations += 1;
    if (
      request.method() === 'POST' &&
      url.pathname === '/oauth2/token' &&
      new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token'
    ) {
      traffic.refreshGrants += 1;
    }
  });
  return traffic;
}

function person(givenName: string, birthdate: string): ItsmePerson {
  return {
    nationalNumber: nationalNumber(birthdate),
    givenName,
    familyName: uniqueName('Maes'),
    birthdate,
  };
}

/** A company of the register with `representative` as its legal representative. */
async function seedCompany(representative: ItsmePerson) {
  const company = { enterpriseNumber: enterpriseNumber(), name: `${uniqueName('Bouw')} NV` };
  const seeded = await sandbox.call('POST', '/local/register/companies', {
    ...company,
    legalRepresentatives: [representative.nationalNumber],
  });
  expect(seeded.status, JSON.stringify(seeded.body)).toBe(201);
  return company;
}

/**
 * The colleague's portal: logged in with itsme, the chosen language, on the home page, with the
 * clock installed and the traffic watched from the start.
 */
async function colleagueOnHomePage(colleague: ItsmePerson, language: string) {
  const { context, page } = await sandbox.newPerson();
  await context.clock.install();
  const traffic = watchTraffic(page);
  await page.goto(sandbox.portalUrl);
  await loginWithItsme(page, colleague);
  await activate(page.getByRole('button', { name: language }));
  await page.waitForLoadState('networkidle');
  return { context, page, traffic };
}

/** The legal representative claims the company in the portal and appoints `colleague` there. */
async function claimAndAppoint(
  representative: ItsmePerson,
  company: { enterpriseNumber: string; name: string },
  colleague: ItsmePerson,
): Promise<Page> {
  const { page } = await sandbox.newPerson();
  await page.goto(sandbox.portalUrl);
  await loginWithItsme(page, representative);
  await activate(page.getByRole('link', { name: 'Claim a company' }).first());
  await page.getByLabel('Enterprise number').fill(company.enterpriseNumber);
  await activate(page.getByRole('button', { name: 'Claim this company' }));
  await appointLocalAdministrator(page, company.name, colleague.nationalNumber);
  return page;
}

/** Runs the clock of `context` on by `duration` and waits until the tab has called `GET /me` again. */
async function nextPoll(context: BrowserContext, page: Page, traffic: Traffic, duration: string) {
  const before = traffic.me;
  await context.clock.fastForward(duration);
  await expect.poll(() => traffic.me).toBeGreaterThan(before);
  await page.waitForLoadState('networkidle');
}

describe('portal token refresh', () => {
  it('shows an appointment to a colleague whose tab comes back into view, through one refresh-token grant and no polling while hidden (Dutch)', async () => {
    // Prepare
    const representative = person('Sofie', '1975-03-14');
    const colleague = person('Pieter', '1988-09-21');
    const company = await seedCompany(representative);
    const { context, page, traffic } = await colleagueOnHomePage(colleague, 'Nederlands');
    await page.getByRole('heading', { name: 'Wat wilt u doen?' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    expect(await nav.getByRole('link', { name: company.name }).count()).toBe(0);
    expect(await tokenClaims(page)).toMatchObject({ admin_of: [] });
    const loginsBefore = traffic.authorizations;
    const grantsBefore = traffic.refreshGrants;
    await setTabVisibility(page, 'hidden');
    await page.waitForLoadState('networkidle');
    const callsWhileHidden = traffic.me;

    // Act
    const representativePage = await claimAndAppoint(representative, company, colleague);
    // The appointer made the claim themselves: no notice of it on top of the claim's own message.
    expect(await representativePage.getByTestId('membership-notices').textContent()).toBe('');
    expect(await axeViolations(representativePage)).toEqual([]);
    await context.clock.fastForward('05:00');
    await page.waitForLoadState('networkidle');
    const pollsWhileHidden = traffic.me - callsWhileHidden;
    await setTabVisibility(page, 'visible');

    // Assess
    await nav.getByRole('link', { name: company.name }).waitFor();
    const notice = page
      .getByTestId('membership-notices')
      .filter({ hasText: `U bent nu lokale beheerder van ${company.name}.` });
    await notice.waitFor();
    expect(pollsWhileHidden).toBe(0);
    expect(await tokenClaims(page)).toMatchObject({
      org: company.enterpriseNumber,
      org_name: company.name,
      admin_of: [company.enterpriseNumber],
    });
    await page.waitForLoadState('networkidle');
    expect(traffic.refreshGrants - grantsBefore).toBe(1);
    expect(traffic.authorizations).toBe(loginsBefore);
    expect(await page.getByRole('heading', { name: 'Wat wilt u doen?' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'refresh-01-appointed-nl');
    await activate(page.getByTestId('membership-notices').getByRole('button', { name: 'Sluiten' }));
    await expect.poll(() => page.getByTestId('membership-notices').textContent()).toBe('');
    await activate(nav.getByRole('link', { name: company.name }));
    await page.getByRole('heading', { name: `Organisatie ${company.name}` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  }, 300_000);

  it('shows an appointment on the next interval while the tab stays visible (French)', async () => {
    // Prepare
    const representative = person('Julie', '1981-01-23');
    const colleague = person('Luc', '1990-12-05');
    const company = await seedCompany(representative);
    const { context, page, traffic } = await colleagueOnHomePage(colleague, 'Français');
    await page.getByRole('heading', { name: 'Que souhaitez-vous faire ?' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const loginsBefore = traffic.authorizations;
    const grantsBefore = traffic.refreshGrants;
    await claimAndAppoint(representative, company, colleague);

    // Act: the colleague's tab stays in view; the interval comes round.
    await nextPoll(context, page, traffic, '01:00');

    // Assess
    await nav.getByRole('link', { name: company.name }).waitFor();
    await page
      .getByTestId('membership-notices')
      .filter({ hasText: `Vous êtes maintenant administrateur local de ${company.name}.` })
      .waitFor();
    expect(await tokenClaims(page)).toMatchObject({ admin_of: [company.enterpriseNumber] });
    expect(traffic.refreshGrants - grantsBefore).toBe(1);
    expect(traffic.authorizations).toBe(loginsBefore);
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'refresh-02-appointed-fr');
  }, 300_000);

  it('refreshes once for a difference the tokens keep, not on every interval after it', async () => {
    // Prepare: the colleague chose to act as a private person (in another tab, an application).
    // Once appointed, `/me` lists one organisation — the default capacity of a token — but the
    // stored choice wins: no refresh can make the tokens say what the portal expects.
    const representative = person('Ann', '1972-02-17');
    const colleague = person('Tom', '1993-07-08');
    const company = await seedCompany(representative);
    const { context, page, traffic } = await colleagueOnHomePage(colleague, 'Français');
    const chosen = await sandbox.call('PUT', '/me/capacity', { orgCode: null }, await accessTokenOf(page));
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    const loginsBefore = traffic.authorizations;
    const grantsBefore = traffic.refreshGrants;
    await claimAndAppoint(representative, company, colleague);

    // Act: four intervals.
    for (let poll = 0; poll < 4; poll++) await nextPoll(context, page, traffic, '01:00');

    // Assess
    await page
      .getByTestId('membership-notices')
      .filter({ hasText: `Vous êtes maintenant administrateur local de ${company.name}.` })
      .waitFor();
    // The notice shows from `/me`; the one refresh grant may still be on its way on a busy machine.
    await expect.poll(() => traffic.refreshGrants - grantsBefore).toBe(1);
    expect(traffic.authorizations).toBe(loginsBefore);
    const claims = await tokenClaims(page);
    expect(claims.org).toBeUndefined();
    expect(claims.admin_of).toEqual([]);
    // The organisation is one capacity switch away.
    await page
      .locator('.capacity')
      .getByText('Agir pour', { exact: false })
      .first()
      .waitFor({ state: 'attached' });
    expect(await axeViolations(page)).toEqual([]);
  }, 300_000);
});
