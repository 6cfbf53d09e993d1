/**
 * The sandbox as a newcomer meets it: `npm start`'s entry started as a child process, driven over
 * HTTP only. The BIS journey of ARCHITECTURE.md section 6 end to end, the login refusals as
 * `/local/login` reports them, and a clean stop (no Java process left behind).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInsz } from '#shared/belgian-ids';
import {
  bisApplication,
  childrenOf,
  EIDAS,
  EIDAS_LOA,
  eidasPerson,
  ITSME_NATIONAL_NUMBER,
  isAlive,
  poll,
  type SandboxProcess,
  startSandboxProcess,
} from '#test/helpers/sandbox';

const LOGIN_REFUSED = 'urn:eid-access:problem:login-refused:';

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(() => {
  sandbox?.kill();
});

const call: SandboxProcess['call'] = (...args) => sandbox.call(...args);
const idTokenOf: SandboxProcess['idTokenOf'] = (...args) => sandbox.idTokenOf(...args);
const accessTokenOf: SandboxProcess['accessTokenOf'] = (...args) => sandbox.accessTokenOf(...args);

/** The seeded register person Jan Peeters, logging in with itsme. */
const agentAttributes = {
  given_name: 'Jan',
  family_name: 'Peeters',
  birthdate: '1979-11-02',
  [ITSME_NATIONAL_NUMBER]: '79110222494',
};

describe('npm start (local/sandbox.ts)', () => {
  it('runs the BIS journey over HTTP when an eIDAS user applies and an agent approves', async () => {
    // An eIDAS login.
    const applicant = eidasPerson();
    const applicantToken = await accessTokenOf('eidas', applicant);
    const applicantId = String(decodeJwt(applicantToken).person_id);

    // Submit.
    const submitted = await call('POST', '/bis-registrations', {
      token: applicantToken,
      body: bisApplication({ email: 'erika.mustermann@example.de' }),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const registrationId = String(submitted.body.registrationId);

    // An agent: logs in, is made a BIS agent, logs in again.
    const firstAgentToken = await accessTokenOf('itsme', agentAttributes);
    const agentId = String(decodeJwt(firstAgentToken).person_id);
    const forbidden = await call('GET', '/agent/bis-registrations', { token: firstAgentToken });
    expect(forbidden.status).toBe(403);
    const grouped = await call('POST', '/local/groups', { body: { personId: agentId, group: 'bis-agents' } });
    expect(grouped.status).toBe(200);
    const agentToken = await accessTokenOf('itsme', agentAttributes);
    expect(decodeJwt(agentToken)['cognito:groups']).toEqual(['bis-agents']);

    // The review queue shows the request (the workflow stores its task token first).
    const queue = await poll(
      () => call('GET', '/agent/bis-registrations?status=PENDING_REVIEW', { token: agentToken }),
      (page) => page.body.items?.some((item) => item.registrationId === registrationId) === true,
    );
    expect(queue.status).toBe(200);
    expect(queue.body.items?.find((item) => item.registrationId === registrationId)).toMatchObject({
      familyName: 'Mustermann',
    });

    // Approve, then wait for the workflow to issue the number.
    // The decision waits for the workflow to reach the review step (409 until then).
    const decided = await poll(
      () =>
        call('POST', `/agent/bis-registrations/${registrationId}/decision`, {
          token: agentToken,
          body: { decision: 'approve' },
        }),
      (answer) => answer.status !== 409,
      { attempts: 25 },
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const view = await poll(
      () => call('GET', `/bis-registrations/${registrationId}`, { token: applicantToken }),
      (answer) => answer.body.status === 'APPROVED',
      { attempts: 100, intervalMs: 100 },
    );
    expect(view.body.status).toBe('APPROVED');
    const bisNumber = String(view.body.bisNumber);
    expect(bisNumber).toMatch(/^\d{11}$/);

    // The BIS e-mail is in the outbox.
    const outbox = await sandbox.outbox();
    const approvalMail = outbox.find(
      (mail) => mail.to === 'erika.mustermann@example.de' && mail.template === 'bis-approved',
    );
    expect(approvalMail?.text).toContain(formatInsz(bisNumber));
    expect(Object.keys(approvalMail ?? {})).toEqual(
      expect.arrayContaining(['to', 'subject', 'text', 'sentAt']),
    );

    // GET /me shows the INSZ; a new login carries it in the ID token.
    const me = await call('GET', '/me', { token: applicantToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ personId: applicantId, insz: bisNumber });
    const nextToken = await idTokenOf('eidas', applicant);
    expect(decodeJwt(nextToken)).toMatchObject({ person_id: applicantId, insz: bisNumber });
  });

  it.each([
    {
      refusal: 'an FR national',
      provider: 'eidas' as const,
      attributes: eidasPerson({
        [`${EIDAS}PersonIdentifier`]: `FR/BE/${randomUUID().replaceAll('-', '')}`,
        [`${EIDAS}Nationality`]: 'FR',
      }),
      reason: 'refused-nationality',
      detail: /registration office/i,
    },
    {
      refusal: 'a missing PersonIdentifier',
      provider: 'eidas' as const,
      attributes: eidasPerson({ [`${EIDAS}PersonIdentifier`]: undefined }),
      reason: 'missing-attribute',
      detail: /did not share/i,
    },
    {
      refusal: 'an invalid BENationalNumber',
      provider: 'itsme' as const,
      attributes: {
        ...agentAttributes,
        sub: `itsme-${randomUUID()}`,
        [ITSME_NATIONAL_NUMBER]: '79110222495',
      },
      reason: 'invalid-national-number',
      detail: /not valid/i,
    },
    {
      refusal: 'LoA low',
      provider: 'eidas' as const,
      attributes: eidasPerson({ [EIDAS_LOA]: 'http://eidas.europa.eu/LoA/low' }),
      reason: 'insufficient-loa',
      detail: /level of assurance/i,
    },
  ])('answers the hosted login error as problem+json when the login has $refusal', async (refusal) => {
    const response = await fetch(`${sandbox.url}/local/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: refusal.provider, attributes: refusal.attributes }),
    });
    const problem = (await response.json()) as Record<string, string>;

    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(problem).toMatchObject({
      type: `${LOGIN_REFUSED}${refusal.reason}`,
      title: 'Login refused',
      status: 403,
    });
    expect(problem.detail).toMatch(refusal.detail);
    // What the hosted login redirects the application to, word for word.
    expect(problem.error).toBe('invalid_request');
    expect(problem.error_description).toBe(`PreSignUp failed with error ${problem.detail}. `);
  });

  it('stops everything, DynamoDB Local included, and exits 0 on SIGINT', async () => {
    const javaPids = childrenOf(sandbox.dynamoDbPid);
    expect(javaPids.length).toBeGreaterThan(0);

    const { code } = await sandbox.stop('SIGINT');

    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect([sandbox.dynamoDbPid, ...javaPids].filter(isAlive)).toEqual([]);
  });
});
