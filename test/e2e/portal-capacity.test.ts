import { describe, expect, it } from 'vitest';
import {
  accessTokenOf,
  activate,
  enterpriseNumber,
  expectAccessible,
  itsmePerson,
  loginWithItsme,
  portalSandboxPerFile,
  tokenClaims,
  uniqueName,
} from './portal-harness.ts';

/** The dev stage's sample relying application (cdk.json `relyingApplications`). */
const SAMPLE_APP_CALLBACK = 'http://localhost:4000/auth/callback';

const sandbox = portalSandboxPerFile(600_000);

describe('portal capacity', () => {
  it('switches the organisation a person acts for in the header without a new login, and returns only to registered callbacks', async () => {
    const person = itsmePerson('Lotte', 'Peeters', '1979-06-02');
    const first = { enterpriseNumber: enterpriseNumber(), name: `${uniqueName('Alfa')} NV` };
    const second = { enterpriseNumber: enterpriseNumber(), name: `${uniqueName('Beta')} BV` };
    for (const company of [first, second]) {
      const seeded = await sandbox.call('POST', '/local/register/companies', {
        ...company,
        legalRepresentatives: [person.nationalNumber],
      });
      expect(seeded.status, JSON.stringify(seeded.body)).toBe(201);
    }

    const { page } = await sandbox.newPerson();
    const authorizeRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/oauth2/authorize')) authorizeRequests.push(request.url());
    });
    await page.route('http://localhost:4000/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<title>Sample app</title><h1>Sample app</h1>',
      }),
    );
    await page.goto(sandbox.portalUrl);
    await loginWithItsme(page, person);
    // No organisation yet: nothing to choose, the header shows no capacity.
    expect(await page.locator('.capacity').count()).toBe(0);

    const token = await accessTokenOf(page);
    for (const company of [first, second]) {
      const claimed = await sandbox.call(
        'POST',
        '/organisations/claims',
        { enterpriseNumber: company.enterpriseNumber },
        token,
      );
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    }
    await page.reload();
    const header = page.locator('.site-header');
    const capacity = header.locator('.capacity');
    // Two organisations and no choice yet: private by default, with the switch.
    await expect.poll(() => capacity.getAttribute('data-capacity')).toBe('private');
    await expect.poll(() => capacity.locator('summary').textContent()).toContain('Acting for: yourself');
    const loginsBefore = authorizeRequests.length;

    const switchTo = async (name: string) => {
      await activate(capacity.locator('summary'));
      await activate(capacity.getByRole('button', { name: `Act for ${name}` }));
      await page
        .getByRole('status')
        .filter({ hasText: `You now act for ${name}.` })
        .waitFor();
    };
    const nav = page.getByRole('navigation', { name: 'Main menu' });

    await switchTo(first.name);
    await expect.poll(() => capacity.getAttribute('data-capacity')).toBe(first.enterpriseNumber);
    await nav.getByRole('link', { name: first.name }).waitFor();
    expect(await nav.getByRole('link', { name: second.name }).count()).toBe(0);
    expect(await tokenClaims(page)).toMatchObject({
      org: first.enterpriseNumber,
      org_name: first.name,
      admin_of: [first.enterpriseNumber],
    });
    await sandbox.screenshot(page, 'capacity-01-first');
    await expectAccessible(page, 'capacity-01-first');

    await switchTo(second.name);
    await expect.poll(() => capacity.getAttribute('data-capacity')).toBe(second.enterpriseNumber);
    await nav.getByRole('link', { name: second.name }).waitFor();
    expect(await nav.getByRole('link', { name: first.name }).count()).toBe(0);
    await activate(nav.getByRole('link', { name: second.name }));
    await page.getByRole('heading', { name: `Organisation ${second.name}` }).waitFor();
    expect(await tokenClaims(page)).toMatchObject({
      org: second.enterpriseNumber,
      org_name: second.name,
      admin_of: [second.enterpriseNumber],
    });
    // Refreshes, never a new login.
    expect(authorizeRequests.length).toBe(loginsBefore);
    await sandbox.screenshot(page, 'capacity-02-second');
    await expectAccessible(page, 'capacity-02-second');

    // A relying application's registered callback: choose, then back to it with its own query.
    const returnTo = `${SAMPLE_APP_CALLBACK}?state=s1`;
    await page.goto(`${sandbox.portalUrl}/capacity?return_to=${encodeURIComponent(returnTo)}`);
    await page.getByRole('heading', { name: 'Choose for whom you act' }).waitFor();
    await page.getByRole('button', { name: `Act for ${first.name}` }).waitFor();
    await expectAccessible(page, 'capacity choice with a registered return address');
    await activate(page.getByRole('button', { name: `Act for ${first.name}` }));
    await page.waitForURL(returnTo);
    await page.getByRole('heading', { name: 'Sample app' }).waitFor();

    // Anything else: refused on the page, the choice still works, nobody leaves the portal.
    for (const foreign of [
      '//evil.example/auth/callback',
      'javascript:alert(document.domain)',
      'https://evil.example/auth/callback',
      'http://localhost:4000.evil.example/auth/callback',
    ]) {
      const url = `${sandbox.portalUrl}/capacity?return_to=${encodeURIComponent(foreign)}`;
      await page.goto(url);
      await page.getByTestId('return-refused').waitFor();
      expect(await page.getByTestId('return-refused').textContent()).toContain('will not be sent there');
    }
    await activate(page.getByRole('button', { name: `Act for ${second.name}` }));
    await page
      .getByRole('status')
      .filter({ hasText: `You now act for ${second.name}.` })
      .waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(sandbox.portalUrl).origin);
    expect(await tokenClaims(page)).toMatchObject({ org: second.enterpriseNumber });
    await sandbox.screenshot(page, 'capacity-03-refused');
    await expectAccessible(page, 'capacity-03-refused');
  }, 300_000);
});
