/**
 * What a portal journey sets up over HTTP before the browser comes in: the operator's seeding of the
 * company register, and people who have signed in once (the platform knows them, an operator can
 * put them in a group, an administrator can appoint them).
 */
import { expect } from 'vitest';
import { ITSME_NATIONAL_NUMBER, type ItsmePerson, type PortalSandbox } from './portal-harness.ts';

/** The operator's seeding of the company register (KBO in real life): `company`, represented by `representative`. */
export async function seedCompany(
  sandbox: PortalSandbox,
  company: { enterpriseNumber: string; name: string },
  representative: ItsmePerson,
): Promise<void> {
  const seeded = await sandbox.call('POST', '/local/register/companies', {
    enterpriseNumber: company.enterpriseNumber,
    name: company.name,
    legalRepresentatives: [representative.nationalNumber],
  });
  expect(seeded.status, JSON.stringify(seeded.body)).toBe(201);
}

/** `person` logs in with itsme without a browser (the sandbox's `POST /local/login`); their tokens. */
export async function signInOverHttp(
  sandbox: PortalSandbox,
  person: ItsmePerson,
): Promise<{ accessToken: string; idToken: string }> {
  const login = await sandbox.call('POST', '/local/login', {
    provider: 'itsme',
    attributes: {
      given_name: person.givenName,
      family_name: person.familyName,
      birthdate: person.birthdate,
      [ITSME_NATIONAL_NUMBER]: person.nationalNumber,
    },
  });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const tokens = login.body as { accessToken: string; idToken: string };
  return { accessToken: String(tokens.accessToken), idToken: String(tokens.idToken) };
}
