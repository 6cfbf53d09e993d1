/**
 * BIS journey in a real browser: a foreign professional logs in with eIDAS on a phone, requests a
 * BIS number; a BIS agent (operator-assigned group) approves it in the agent queue; the applicant
 * sees the number on the status page and on the profile. Keyboard only where a person would use it.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  ITSME_NATIONAL_NUMBER,
  loginWithEidas,
  loginWithItsme,
  nationalNumber,
  type PortalSandbox,
  startPortalSandbox,
  uniqueName,
} from './portal-harness.ts';

let sandbox: PortalSandbox;

beforeAll(async () => {
  sandbox = await startPortalSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

describe('portal BIS journey', () => {
  it('shows the issued BIS number when a foreign professional requests one and an agent approves it', async () => {
    const familyName = uniqueName('Schmidt');
    const applicant = await sandbox.newPerson({ phone: true });
    const page = applicant.page;

    await page.goto(sandbox.portalUrl);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await sandbox.screenshot(page, 'bis-01-welcome-phone');
    await loginWithEidas(page, {
      countryName: 'Germany',
      givenNames: 'Lena',
      familyName,
      birthDate: '1990-04-12',
      nationality: 'DE',
    });
    await activate(page.getByRole('link', { name: 'BIS number' }).first());
    await page.getByRole('heading', { name: 'Request a BIS number' }).waitFor();
    // Prefilled from the eIDAS identity.
    await expect.poll(() => page.getByLabel('Family name').inputValue()).toBe(familyName);
    await page.getByLabel('Nationality').selectOption('DE');
    await page.getByLabel('Place of birth').fill('München');
    await page.getByLabel('Street', { exact: true }).fill('Leopoldstraße');
    await page.getByLabel('House number', { exact: true }).fill('12');
    await page.getByLabel('Postal code', { exact: true }).fill('80802');
    await page.getByLabel('City or municipality').fill('München');
    await page.getByLabel('Country', { exact: true }).selectOption('DE');
    await page.getByLabel('E-mail address').fill('lena@example.de');
    await page.getByLabel('Phone number').fill('+49891234567');
    await sandbox.screenshot(page, 'bis-02-request-form-phone');
    await activate(page.getByRole('button', { name: 'Send my request' }));
    await expect.poll(() => page.getByTestId('bis-status').textContent()).toBe('Waiting for review');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Your request was sent');
    await sandbox.screenshot(page, 'bis-03-waiting-phone');

    // The operator puts the agent in the bis-agents group (POST /local/groups, next login).
    const agentPerson = {
      nationalNumber: nationalNumber('1979-11-02'),
      givenName: 'Jan',
      familyName: uniqueName('Peeters'),
      birthdate: '1979-11-02',
    };
    const first = await sandbox.call('POST', '/local/login', {
      provider: 'itsme',
      attributes: {
        given_name: agentPerson.givenName,
        family_name: agentPerson.familyName,
        birthdate: agentPerson.birthdate,
        [ITSME_NATIONAL_NUMBER]: agentPerson.nationalNumber,
      },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const personId = String(decodeJwt(String((first.body as { idToken: string }).idToken)).person_id);
    expect((await sandbox.call('POST', '/local/groups', { personId, group: 'bis-agents' })).status).toBe(200);

    const agent = (await sandbox.newPerson()).page;
    await agent.goto(`${sandbox.portalUrl}/agent`);
    await loginWithItsme(agent, agentPerson);
    await agent.getByRole('heading', { name: 'BIS number requests' }).waitFor();
    const review = agent.getByRole('link', { name: `Review the request of Lena ${familyName}` });
    await sandbox.screenshot(agent, 'bis-04-agent-queue');
    await activate(review);
    await agent.getByRole('heading', { name: `Request of Lena ${familyName}` }).waitFor();
    await agent.getByLabel('Approve and issue a BIS number').focus();
    await agent.keyboard.press('Space');
    await activate(agent.getByRole('button', { name: 'Record the decision' }));
    await agent.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    await expect
      .poll(() => agent.getByTestId('bis-status').textContent(), { timeout: 20_000 })
      .toBe('Approved');
    await sandbox.screenshot(agent, 'bis-05-agent-approved');

    // The open status page follows the request by itself: no "Refresh", no reload.
    await expect
      .poll(() => page.getByTestId('bis-status').textContent(), { timeout: 60_000 })
      .toBe('Approved');
    const bisNumber = (await page.getByTestId('bis-number').textContent()) ?? '';
    expect(bisNumber).toMatch(/^\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}$/);
    await sandbox.screenshot(page, 'bis-06-number-phone');

    await activate(page.getByRole('link', { name: 'My profile' }).first());
    await expect.poll(() => page.getByTestId('insz').textContent()).toBe(bisNumber);
    await sandbox.screenshot(page, 'bis-07-profile-phone');
  });
});
