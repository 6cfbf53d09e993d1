/**
 * Rights journey in a real browser: an employee opens a self-registration link, logs in with itsme
 * and sends the pre-filled request; a local administrator approves it in the inbox with a validity;
 * the role shows on the employee's profile. The link itself grants nothing. Keyboard only.
 */
import { describe, expect, it } from 'vitest';
import {
  activate,
  enterpriseNumber,
  eventually,
  expectAccessible,
  itsmePerson,
  loginWithItsme,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';
import { seedCompany, signInOverHttp } from './portal-setup.ts';

const sandbox = portalSandboxPerFile();

describe('portal rights journey', () => {
  it('shows the role on the profile when an employee follows a self-registration link and a local administrator approves', async () => {
    const administrator = itsmePerson('Els', 'Maes', '1970-01-25');
    const employee = itsmePerson('Tom', 'Wouters', '1992-06-08');
    const orgCode = enterpriseNumber();
    const companyName = `${uniqueName('Nuts')} BV`;
    // Set-up over HTTP: the company in the register, claimed by its legal representative.
    await seedCompany(sandbox, { enterpriseNumber: orgCode, name: companyName }, administrator);
    const { accessToken } = await signInOverHttp(sandbox, administrator);
    const claim = await sandbox.call(
      'POST',
      '/organisations/claims',
      { enterpriseNumber: orgCode },
      accessToken,
    );
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);

    // The employee follows the link the organisation shared.
    const employeePage = (await sandbox.newPerson()).page;
    await employeePage.goto(`${sandbox.portalUrl}/request?org=${orgCode}&app=KLIP&role=klb-beheerder`);
    await employeePage.getByRole('heading', { name: 'Log in to continue.' }).waitFor();
    await expectAccessible(employeePage, 'request page before login');
    await loginWithItsme(employeePage, employee);
    await employeePage.getByRole('heading', { name: 'Request access' }).waitFor();
    await expect.poll(() => employeePage.getByLabel('Organisation code').inputValue()).toBe(orgCode);
    await expect
      .poll(() => employeePage.getByLabel('Application', { exact: true }).inputValue())
      .toBe('KLIP');
    await expect
      .poll(() => employeePage.getByLabel('Role', { exact: true }).inputValue())
      .toBe('klb-beheerder');
    await employeePage.getByText('A local administrator must approve this role.').waitFor();
    await employeePage.getByLabel('Why do you need this role?').fill('I manage our cable network.');
    await sandbox.screenshot(employeePage, 'rights-01-request');
    await expectAccessible(employeePage, 'rights-01-request');
    await activate(employeePage.getByRole('button', { name: 'Send the request' }));
    await employeePage
      .getByRole('status')
      .filter({ hasText: 'Your request was sent. Status: Waiting for a decision.' })
      .waitFor();
    await sandbox.screenshot(employeePage, 'rights-02-sent');
    await expectAccessible(employeePage, 'rights-02-sent');
    // Nothing is granted before the decision.
    await activate(employeePage.getByRole('link', { name: 'My profile' }).first());
    await employeePage.getByText('You have no rights yet.').waitFor();

    // The local administrator decides in the inbox.
    const adminPage = (await sandbox.newPerson()).page;
    await adminPage.goto(`${sandbox.portalUrl}/org/${orgCode}/inbox`);
    await loginWithItsme(adminPage, administrator);
    const decision = adminPage.getByRole('form', {
      name: `Decide on the request of ${employee.givenName} ${employee.familyName}`,
    });
    await decision.waitFor();
    await decision.getByLabel('Approve').focus();
    await adminPage.keyboard.press('Space');
    const validUntil = `${new Date().getUTCFullYear() + 1}-12-31`;
    await decision.getByLabel('Valid until').fill(validUntil);
    await decision.getByLabel('Reason (the requester reads it)').fill('Approved for the cable team.');
    await sandbox.screenshot(adminPage, 'rights-03-inbox');
    await expectAccessible(adminPage, 'rights-03-inbox');
    await activate(decision.getByRole('button', { name: 'Record the decision' }));
    await adminPage.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    await adminPage.getByText('No requests are waiting.').waitFor();
    await sandbox.screenshot(adminPage, 'rights-04-decided');
    await expectAccessible(adminPage, 'rights-04-decided');

    // The role shows on the employee's profile once the workflow granted it.
    const grantRow = employeePage.getByRole('row', {
      name: /Cable and Pipe Information Portal Utility manager – administrator/,
    });
    await eventually(async () => {
      await employeePage.reload();
      await employeePage.getByRole('heading', { name: 'My profile' }).waitFor();
      return (await grantRow.count()) > 0;
    });
    expect(await grantRow.textContent()).toContain(companyName);
    // Valid through the chosen day (the API keeps the exclusive end, midnight after it).
    expect(await grantRow.textContent()).toContain(`December 31, ${new Date().getUTCFullYear() + 1}`);
    await sandbox.screenshot(employeePage, 'rights-05-profile');
    await expectAccessible(employeePage, 'rights-05-profile');
  });
});
