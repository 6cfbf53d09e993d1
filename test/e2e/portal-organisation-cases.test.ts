/**
 * The security officers' organisation cases in a real browser: a company's only local administrator
 * is dropped from the company register, the daily representative check (run now through the
 * sandbox's `POST /local/jobs/representative-check`) opens a case, and an officer reads it (names,
 * formatted enterprise number, what was found) and resolves it — first refused with the platform's
 * reasons in the officer's language, then with an outcome and a note. Keyboard only, axe-core on
 * every state.
 */
import { describe, expect, it } from 'vitest';
import { formatEnterpriseNumber } from '../../portal/src/format.ts';
import {
  activate,
  axeViolations,
  enterpriseNumber,
  type ItsmePerson,
  itsmePerson,
  loginWithItsme,
  nationalNumber,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';
import { signInOverHttp } from './portal-setup.ts';

const sandbox = portalSandboxPerFile(600_000);

/** Logs `person` in without a browser; answers the access token and the person id. */
async function apiLogin(person: ItsmePerson) {
  const { accessToken, idToken } = await signInOverHttp(sandbox, person);
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    person_id: string;
  };
  return { accessToken, personId: claims.person_id };
}

describe('portal organisation cases', () => {
  it('lets a security officer read and resolve the case the daily register check opened (French)', async () => {
    // Prepare: the only administrator of a company, then a register that no longer lists them.
    const administrator: ItsmePerson = itsmePerson('Hilde', 'Wouters', '1969-04-30');
    const officer: ItsmePerson = itsmePerson('Marc', 'Dubois', '1984-10-11');
    const company = { enterpriseNumber: enterpriseNumber(), name: `${uniqueName('Transport')} SRL` };
    const register = (legalRepresentatives: string[]) =>
      sandbox.call('POST', '/local/register/companies', { ...company, legalRepresentatives });
    expect((await register([administrator.nationalNumber])).status).toBe(201);
    const { accessToken } = await apiLogin(administrator);
    const claimed = await sandbox.call(
      'POST',
      '/organisations/claims',
      { enterpriseNumber: company.enterpriseNumber },
      accessToken,
    );
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    // Replaced: the register now lists someone else (200, the entry existed).
    expect((await register([nationalNumber('1960-01-01')])).status).toBe(200);
    const check = await sandbox.call('POST', '/local/jobs/representative-check');
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect((check.body as { result: { flagged: number } }).result.flagged).toBeGreaterThanOrEqual(1);
    // The officers' group is an operator action; it counts from the next login.
    const { personId: officerId } = await apiLogin(officer);
    const grouped = await sandbox.call('POST', '/local/groups', {
      personId: officerId,
      group: 'security-officers',
    });
    expect(grouped.status, JSON.stringify(grouped.body)).toBeLessThan(300);

    const { page } = await sandbox.newPerson();
    await page.goto(sandbox.portalUrl);
    await loginWithItsme(page, officer);
    await activate(page.getByRole('button', { name: 'Français' }));
    await activate(
      page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'File sécurité' }),
    );
    await page.getByRole('heading', { name: "Enregistrements d'entreprises étrangères" }).waitFor();

    // Act: the officer opens the cases.
    await activate(
      page
        .getByRole('navigation', { name: 'Files du service de sécurité' })
        .getByRole('link', { name: 'Organisations sans administrateur dans le registre' }),
    );
    await page.getByRole('heading', { name: 'Organisations sans administrateur dans le registre' }).waitFor();
    const card = page
      .getByTestId('organisation-cases')
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: company.name }) });
    await card.waitFor();

    // Assess: named, the number printed, what was found in French.
    const facts = await card.locator('dd').allTextContents();
    expect(facts).toEqual([
      formatEnterpriseNumber(company.enterpriseNumber),
      `${administrator.givenName} ${administrator.familyName}`,
      expect.stringMatching(/\d{4}/),
      "N'est plus représentant légal dans le registre des entreprises",
    ]);
    expect(facts[0]).toMatch(/^0\d{3}\.\d{3}\.\d{3}$/);
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'organisation-cases-01-open-fr');

    // Act: "another administrator was appointed" while there is none.
    const note = card.getByLabel('Note : ce qui a été fait et pourquoi');
    await card.getByLabel('Un autre administrateur local a été désigné').check();
    await note.fill("L'entreprise a confirmé le changement de conseil d'administration.");
    await activate(card.getByRole('button', { name: 'Clôturer le dossier' }));

    // Assess: refused, in French.
    const alert = card.getByRole('alert');
    await alert
      .filter({ hasText: "Cette organisation n'a pas encore d'autre administrateur local." })
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Act: dismissed, with a note too short.
    await card.getByLabel('Classé sans suite : rien ne doit changer').check();
    await note.fill('Vu.');
    await activate(card.getByRole('button', { name: 'Clôturer le dossier' }));

    // Assess
    await alert.filter({ hasText: 'Utilisez au moins 10 caractères.' }).waitFor();
    expect(await note.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'organisation-cases-02-refused-fr');

    // Act: dismissed with a note.
    await note.fill("Le registre sera corrigé : l'entreprise a envoyé les statuts.");
    await activate(card.getByRole('button', { name: 'Clôturer le dossier' }));

    // Assess: closed, off the open queue, audited by the API.
    await page
      .getByRole('status')
      .filter({
        hasText: `Le dossier de ${company.name} est clôturé : Classé sans suite : rien ne doit changer.`,
      })
      .waitFor();
    await expect.poll(() => card.count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await sandbox.screenshot(page, 'organisation-cases-03-resolved-fr');
    const officerToken = await page.evaluate(
      () =>
        (JSON.parse(sessionStorage.getItem('eid-access.tokens') ?? '{}') as { accessToken: string })
          .accessToken,
    );
    const queue = await sandbox.call(
      'GET',
      '/security/organisation-cases?limit=100',
      undefined,
      officerToken,
    );
    expect(queue.status).toBe(200);
    expect((queue.body as { items: { orgCode: string }[] }).items.map((item) => item.orgCode)).not.toContain(
      company.enterpriseNumber,
    );
  }, 300_000);
});
