/**
 * "Connect another login" in a real browser, as a citizen does it (issue 12): a person who uses itsme
 * (and is a company's legal representative) logs in with a European eID as well, states their Belgian
 * number and is refused with the hint to connect; they connect their itsme login through the portal
 * (a fresh itsme login, a confirmation that names both logins) and end as ONE person — the itsme
 * person, with both logins and their evidence — and are mailed about it. A second browser that is
 * handed a connection id in a URL cannot complete anything. Every new page passes axe-core (WCAG 2.2
 * A/AA) with zero violations, on a phone-sized screen.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  enterpriseNumber,
  eventually,
  ITSME_NATIONAL_NUMBER,
  loginWithEidas,
  loginWithItsme,
  nationalNumber,
  type PortalSandbox,
  startPortalSandbox,
  uniqueName,
} from './portal-harness.ts';

/** An eIDAS natural-person attribute URI. */
const EIDAS_ATTRIBUTE = (name: string) => `http://eidas.europa.eu/attributes/naturalperson/${name}`;

let sandbox: PortalSandbox;
let axeSource: string;

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  sandbox = await startPortalSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the current page. The script is evaluated over the
 * DevTools protocol, which the portal's Content-Security-Policy (no inline scripts) does not cover.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    })) as { violations: AxeViolation[] };
    return result.violations;
  });
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** The access token of the browser tab's session (the portal keeps it in sessionStorage). */
const accessTokenOf = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const raw = sessionStorage.getItem('eid-access.tokens');
    return raw ? String((JSON.parse(raw) as { accessToken: string }).accessToken) : '';
  });

interface MeBody {
  personId: string;
  insz: string | null;
  identities: { provider: string; evidence?: string | null }[];
}

describe('portal connect another login', () => {
  it('joins an eIDAS login into the itsme person after a refused number, a fresh itsme login and a confirmation', async () => {
    // The person: in the person register, an itsme user with a membership (legal representative).
    const birthDate = '1987-03-14';
    const insz = nationalNumber(birthDate);
    const givenName = 'Sofie';
    const familyName = uniqueName('Claes');
    const email = `${familyName.toLowerCase()}@example.be`;
    const register = await sandbox.call('POST', '/local/register/persons', {
      insz,
      givenNames: givenName,
      familyName,
      birthDate,
    });
    expect(register.status, JSON.stringify(register.body)).toBeLessThan(300);
    const itsmeAttributes = {
      given_name: givenName,
      family_name: familyName,
      birthdate: birthDate,
      email,
      [ITSME_NATIONAL_NUMBER]: insz,
    };
    const itsmeLogin = await sandbox.call('POST', '/local/login', {
      provider: 'itsme',
      attributes: itsmeAttributes,
    });
    expect(itsmeLogin.status, JSON.stringify(itsmeLogin.body)).toBe(200);
    const itsmeToken = String((itsmeLogin.body as { accessToken: string }).accessToken);
    const itsmePersonId = String(payloadOf(itsmeToken).person_id);
    const company = enterpriseNumber();
    expect(
      (
        await sandbox.call('POST', '/local/register/companies', {
          enterpriseNumber: company,
          name: `${familyName} BV`,
          legalRepresentatives: [insz],
        })
      ).status,
    ).toBeLessThan(300);
    const claim = await sandbox.call(
      'POST',
      '/organisations/claims',
      { enterpriseNumber: company },
      itsmeToken,
    );
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);

    // The same human logs in with a European eID on a phone and states the number: in use.
    const { page } = await sandbox.newPerson({ phone: true });
    await page.goto(sandbox.portalUrl);
    await loginWithEidas(page, {
      countryName: 'Germany',
      givenNames: givenName,
      familyName,
      birthDate,
      nationality: 'DE',
    });
    const eidasPersonId = String(payloadOf(await accessTokenOf(page)).person_id);
    expect(eidasPersonId).not.toBe(itsmePersonId);
    await activate(page.getByRole('link', { name: 'My Belgian number' }).first());
    await page.getByRole('heading', { name: 'I know my Belgian number', level: 1 }).waitFor();
    await expect.poll(() => page.getByLabel('Family name').inputValue()).toBe(familyName);
    await page.getByLabel('National register or BIS number').fill(insz);
    await activate(page.getByRole('button', { name: 'Check and link' }));
    await page.getByRole('alert').getByText('This number is already linked to another account').waitFor();
    await page.getByTestId('connect-hint').waitFor();
    await sandbox.screenshot(page, 'connect-1-number-in-use-phone');

    // The hint starts "connect another login"; the id goes to this tab's sessionStorage only.
    await activate(page.getByRole('link', { name: 'Connect my other login' }));
    await page.getByRole('heading', { name: 'Connect another login', level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-2-start-phone');
    await activate(page.getByRole('button', { name: 'Connect my itsme login' }));

    // A fresh itsme login (the local itsme finds the itsme account by its national number).
    await page.getByRole('heading', { name: 'itsme (local test)' }).waitFor();
    expect(new URL(page.url()).searchParams.get('connectionId')).toBeNull();
    const field = (label: string) => page.getByLabel(label, { exact: true });
    await field('National number (11 digits)').fill(insz);
    await field('Given names').fill(givenName);
    await field('Family name').fill(familyName);
    await field('Birth date (YYYY-MM-DD)').fill(birthDate);
    await field('Language (nl, fr, de, en)').fill('en');
    await field('E-mail').fill(email);
    await activate(page.getByRole('button', { name: 'Approve', exact: true }));

    // Back in the portal: what will be connected, in words, with explicit buttons.
    await page.getByRole('heading', { name: 'Connect these two logins?', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile/connect/confirm');
    expect(new URL(page.url()).search).toBe('');
    await expect
      .poll(() => page.getByTestId('connection-initiator').textContent())
      .toBe(`European eID (eIDAS) — ${givenName} ${familyName}`);
    await expect
      .poll(() => page.getByTestId('connection-current').textContent())
      .toBe(`itsme — ${givenName} ${familyName}`);
    await page.getByRole('button', { name: 'No, connect nothing' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-3-confirm-phone');
    await activate(page.getByRole('button', { name: 'Yes, connect these logins' }));

    // One person: the itsme person, with both logins and their evidence.
    await page
      .getByRole('heading', { name: 'Your logins are connected', level: 1 })
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await page.locator('main').textContent()}`);
      });
    const eidasRow = page.getByTestId('identities').locator('tr[data-provider="eidas"]');
    await expect.poll(() => eidasRow.locator('td').first().textContent()).toBe('connected by you');
    await page.getByTestId('identities').locator('tr[data-provider="itsme"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-4-connected-phone');
    expect(await page.evaluate(() => sessionStorage.getItem('eid-access.connection'))).toBeNull();

    const me = await sandbox.call('GET', '/me', undefined, await accessTokenOf(page));
    expect(me.status).toBe(200);
    const person = me.body as MeBody;
    expect(person.personId).toBe(itsmePersonId);
    expect(person.insz).toBe(insz);
    expect(person.identities.map((identity) => identity.provider).sort()).toEqual(['eidas', 'itsme']);
    expect(person.identities.find((identity) => identity.provider === 'eidas')?.evidence).toBe('connected');

    // The profile shows each login with its evidence; the activity log names the join.
    await activate(page.getByRole('link', { name: 'Go to my profile' }));
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    await expect
      .poll(() =>
        page.getByTestId('identities').locator('tr[data-provider="itsme"] td').first().textContent(),
      )
      .toMatch(/verified by itsme|first login/);
    await page.getByTestId('insz-evidence').getByText('verified by itsme').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-5-profile-phone');
    await activate(page.getByRole('link', { name: 'My activity' }));
    await page.getByRole('heading', { name: 'My activity', level: 1 }).waitFor();
    await page.getByText('Two logins were connected into one account').first().waitFor();
    const activityText = (await page.getByTestId('activity').textContent()) ?? '';
    expect(activityText).not.toContain(insz);
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-6-activity-phone');
    // In the person's language: the same log in French.
    await activate(page.getByRole('button', { name: 'Français' }));
    await page.getByRole('heading', { name: 'Mon activité', level: 1 }).waitFor();
    await page.getByText('Deux connexions ont été associées en un seul compte').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // The notice reaches the itsme person's address, without the number.
    expect((await sandbox.call('POST', '/local/jobs/identity-notices')).status).toBe(200);
    let mails: { to: string | string[]; subject: string; text: string }[] = [];
    await eventually(async () => {
      const outbox = (await sandbox.call('GET', '/local/outbox')).body as typeof mails;
      mails = outbox.filter((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to]).includes(email));
      return mails.some((mail) => /logins were connected/i.test(mail.subject));
    });
    for (const mail of mails) expect(`${mail.subject}\n${mail.text}`).not.toContain(insz);
  }, 240_000);

  it('completes nothing in a browser that is handed a connection id in a URL', async () => {
    // Mallory starts a connection from her own eIDAS login and sends the id around.
    const mallory = await sandbox.call('POST', '/local/login', {
      provider: 'eidas',
      attributes: {
        [EIDAS_ATTRIBUTE('PersonIdentifier')]: `NL/BE/${uniqueName('mallory')}`,
        [EIDAS_ATTRIBUTE('CurrentGivenName')]: 'Mallory',
        [EIDAS_ATTRIBUTE('CurrentFamilyName')]: uniqueName('Evil'),
        [EIDAS_ATTRIBUTE('DateOfBirth')]: '1990-01-01',
        [EIDAS_ATTRIBUTE('Nationality')]: 'NL',
      },
    });
    expect(mallory.status, JSON.stringify(mallory.body)).toBe(200);
    const malloryToken = String((mallory.body as { accessToken: string }).accessToken);
    const started = await sandbox.call('POST', '/me/connections', undefined, malloryToken);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const connectionId = String((started.body as { connectionId: string }).connectionId);

    // The victim, logged in with itsme in their own browser, opens the links.
    const { page } = await sandbox.newPerson();
    await page.goto(sandbox.portalUrl);
    const birthdate = '1979-05-23';
    await loginWithItsme(page, {
      nationalNumber: nationalNumber(birthdate),
      givenName: 'Victor',
      familyName: uniqueName('Wouters'),
      birthdate,
    });
    const victimToken = await accessTokenOf(page);
    for (const query of ['connectionId', 'connection', 'id']) {
      await page.goto(`${sandbox.portalUrl}/profile/connect/confirm?${query}=${connectionId}`);
      await page.getByTestId('no-connection').waitFor();
      expect(await page.getByRole('button', { name: 'Yes, connect these logins' }).count()).toBe(0);
    }
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'connect-7-link-refused');
    await page.goto(`${sandbox.portalUrl}/profile/connect/confirm/${connectionId}`);
    await page.getByRole('heading', { name: 'This page does not exist.' }).waitFor();
    await page.goto(`${sandbox.portalUrl}/profile/connect/confirm#${connectionId}`);
    await page.getByTestId('no-connection').waitFor();

    // Nothing happened: the victim is still alone, Mallory's connection is still unused.
    const victim = (await sandbox.call('GET', '/me', undefined, victimToken)).body as MeBody;
    expect(victim.identities.map((identity) => identity.provider)).toEqual(['itsme']);
    const still = await sandbox.call('GET', `/me/connections/${connectionId}`, undefined, malloryToken);
    expect(still.status).toBe(200);
  }, 180_000);
});
