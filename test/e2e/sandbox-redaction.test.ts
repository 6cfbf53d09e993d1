/**
 * Log redaction (ARCHITECTURE.md section 7: logs never contain national numbers, tokens or task
 * tokens), checked on everything the platform prints: the sandbox (`npm start`'s entry) runs as a
 * child process with every function at `POWERTOOLS_LOG_LEVEL=DEBUG`, the journeys run over HTTP —
 * BIS request and approval, INSZ link, company claim and appointment, right request and approval,
 * revocation — and the child's whole stdout and stderr are searched for the INSZs the journeys used
 * (raw and formatted), for JWTs, for the tokens the logins returned and for local task tokens.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bisApplication,
  EIDAS,
  eidasPerson,
  itsmePerson,
  type LoginTokens,
  poll,
  type SandboxProcess,
  startSandboxProcess,
} from '#test/helpers/sandbox';

/** Seeded (local/seed): Jan Peeters, legal representative of Peeters & Van den Broeck BV. */
const JAN_INSZ = '79110222494';
const JAN = itsmePerson({ insz: JAN_INSZ, givenName: 'Jan', familyName: 'Peeters', birthDate: '1979-11-02' });
const ORG = '0712459852';
/** Seeded person without a company: links her INSZ after an eIDAS login, then asks for a right. */
const INES = { insz: '01090900928', givenNames: 'Inès', familyName: 'El Amrani', birthDate: '2001-09-09' };
/** Seeded; the BIS agent. */
const ZOE_INSZ = '92063004163';
const ZOE = itsmePerson({
  insz: ZOE_INSZ,
  givenName: 'Zoë',
  familyName: 'Van den Broeck',
  birthDate: '1992-06-30',
});

/** `AQLocal` + 64 base64url characters (local/step-functions.ts); a shorter run is enough to leak. */
const LOCAL_TASK_TOKEN = /AQLocal[A-Za-z0-9_-]{16,}/;
/** A JWS/JWE compact serialization: a base64url JSON header (`{"…` is `eyJ…`) and a dot. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

let sandbox: SandboxProcess;
/** Every INSZ (national or BIS number) the journeys sent or received. */
const inszs = new Set<string>([JAN_INSZ, INES.insz, ZOE_INSZ]);
/** Every token the logins returned. */
const tokens = new Set<string>();

beforeAll(async () => {
  // Also log every incoming event (the logger's switch): the events carry the bearer token and the
  // authorizer's claims, the hardest case for the redaction.
  sandbox = await startSandboxProcess({
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
  });
});

afterAll(async () => {
  await sandbox?.stop('SIGINT');
});

async function login(provider: 'eidas' | 'itsme', attributes: Record<string, unknown>): Promise<LoginTokens> {
  const answer = await sandbox.tokensOf(provider, attributes);
  for (const token of Object.values(answer)) tokens.add(token);
  return answer;
}

function expectStatus(answer: { status: number; body: unknown }, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
}

async function bisJourney(): Promise<void> {
  const applicantLogin = eidasPerson();
  const applicant = await login('eidas', applicantLogin);
  const submitted = await sandbox.call('POST', '/bis-registrations', {
    token: applicant.accessToken,
    body: bisApplication({ email: 'erika.mustermann@example.de' }),
  });
  expectStatus(submitted, 202);
  const registrationId = String(submitted.body.registrationId);

  const first = await login('itsme', ZOE);
  expectStatus(
    await sandbox.call('POST', '/local/groups', {
      body: { personId: decodeJwt(first.idToken).person_id, group: 'bis-agents' },
    }),
    200,
  );
  const agent = await login('itsme', ZOE);
  const decided = await poll(
    () =>
      sandbox.call('POST', `/agent/bis-registrations/${registrationId}/decision`, {
        token: agent.accessToken,
        body: { decision: 'approve' },
      }),
    (answer) => answer.status !== 409,
    { attempts: 25 },
  );
  expectStatus(decided, 200);
  const approved = await poll(
    () => sandbox.call('GET', `/bis-registrations/${registrationId}`, { token: applicant.accessToken }),
    (answer) => answer.body.status === 'APPROVED',
    { attempts: 100, intervalMs: 100 },
  );
  expect(approved.body.bisNumber).toMatch(/^\d{11}$/);
  inszs.add(String(approved.body.bisNumber));
  const me = await sandbox.call('GET', '/me', { token: applicant.accessToken });
  expectStatus(me, 200);
  await login('eidas', applicantLogin);
}

async function companyJourney(): Promise<string> {
  const first = await login('itsme', JAN);
  expectStatus(
    await sandbox.call('POST', '/organisations/claims', {
      token: first.accessToken,
      body: { enterpriseNumber: ORG },
    }),
    201,
  );
  const administrator = await login('itsme', JAN);

  const ines = await login(
    'eidas',
    eidasPerson({
      [`${EIDAS}CurrentGivenName`]: INES.givenNames,
      [`${EIDAS}CurrentFamilyName`]: INES.familyName,
      [`${EIDAS}DateOfBirth`]: INES.birthDate,
      [`${EIDAS}Nationality`]: 'NL',
    }),
  );
  // A valid number the register does not give her first (refused, 422), then hers.
  const wrong = await sandbox.call('POST', '/me/insz', {
    token: ines.accessToken,
    body: { ...INES, insz: '01090900235' },
  });
  expectStatus(wrong, 422);
  inszs.add('01090900235');
  expectStatus(await sandbox.call('POST', '/me/insz', { token: ines.accessToken, body: INES }), 200);
  // Her number rests on names and birth date only: the appointment waits for verified evidence.
  expectStatus(
    await sandbox.call('POST', `/organisations/${ORG}/administrators`, {
      token: administrator.accessToken,
      body: { insz: INES.insz },
    }),
    202,
  );
  expectStatus(
    await sandbox.call('GET', `/organisations/${ORG}/members`, { token: administrator.accessToken }),
    200,
  );
  return administrator.accessToken;
}

async function rightsJourney(administrator: string): Promise<void> {
  const employee = await login('itsme', { ...itsmePerson({ ...INES, givenName: INES.givenNames }) });
  const requested = await sandbox.call('POST', `/organisations/${ORG}/right-requests`, {
    token: employee.accessToken,
    body: { application: 'KLIP', role: 'klb-beheerder', justification: 'I run our KLB deliveries.' },
  });
  expectStatus(requested, 202);
  const requestId = String(requested.body.requestId);
  const decided = await poll(
    () =>
      sandbox.call('POST', `/organisations/${ORG}/right-requests/${requestId}/decision`, {
        token: administrator,
        body: { decision: 'approve' },
      }),
    (answer) => answer.status !== 409,
    { attempts: 25 },
  );
  expectStatus(decided, 200);
  const grants = await poll(
    () => sandbox.call('GET', `/organisations/${ORG}/grants`, { token: administrator }),
    (page) => page.body.items?.some((grant) => grant.requestId === requestId) === true,
    { attempts: 100, intervalMs: 100 },
  );
  const grant = grants.body.items?.find((item) => item.requestId === requestId);
  const refreshed = await sandbox.refresh(employee);
  for (const token of Object.values(refreshed)) tokens.add(token);
  expectStatus(
    await sandbox.call('DELETE', `/organisations/${ORG}/grants/${String(grant?.grantId)}`, {
      token: administrator,
    }),
    204,
  );
  expectStatus(await sandbox.call('GET', `/organisations/${ORG}/audit`, { token: administrator }), 200);
}

/** `YY.MM.DD-XXX.CC`, the way people write a national number (no check: refused numbers too). */
function formatted(insz: string): string {
  return `${insz.slice(0, 2)}.${insz.slice(2, 4)}.${insz.slice(4, 6)}-${insz.slice(6, 9)}.${insz.slice(9)}`;
}

/** The lines of `output` that contain `needle`, for a readable failure. */
function linesWith(output: string, needle: string | RegExp): string[] {
  return output
    .split('\n')
    .filter((line) => (typeof needle === 'string' ? line.includes(needle) : needle.test(line)))
    .map((line) => line.slice(0, 400));
}

describe('log redaction on the sandbox at DEBUG', () => {
  it('prints no INSZ, JWT or task token when the BIS, company and rights journeys run', async () => {
    // What startup printed is the operator's banner, whose curl examples name seeded (fictitious)
    // people on purpose; everything after it is what handling the journeys logged.
    const startupLength = sandbox.output().length;
    await bisJourney();
    const administrator = await companyJourney();
    await rightsJourney(administrator);
    // Let the workflows' last tasks (mails, notices) log before reading.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const output = sandbox.output().slice(startupLength);
    // The capture works: the functions' structured logs, incoming events included, are in it.
    expect(output).toMatch(/"level":"INFO".*"service":"rights"/);
    expect(output).toMatch(/"Lambda invocation event".*"resource":"\/organisations\/claims"/);

    for (const insz of inszs) {
      expect(linesWith(output, insz), `raw INSZ ${insz}`).toEqual([]);
      expect(linesWith(output, formatted(insz)), `formatted INSZ ${insz}`).toEqual([]);
    }
    for (const token of tokens) {
      // The signature part is enough to identify a token; it is what a partial leak keeps.
      expect(linesWith(output, token.split('.').at(-1) || token), 'a login token').toEqual([]);
    }
    expect(linesWith(output, JWT), 'a JWT').toEqual([]);
    expect(linesWith(output, LOCAL_TASK_TOKEN), 'a task token').toEqual([]);
  });
});
