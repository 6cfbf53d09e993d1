/**
 * The sandbox as a newcomer meets it: `npm start`'s entry started as a child process, driven over
 * HTTP only. The BIS journey of ARCHITECTURE.md section 6 end to end, the deployed-stage load test's
 * BIS steps (artillery/processor.cjs, load:check), the login refusals as `/local/login` reports them,
 * and a clean stop (no Java process left behind).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
import {
  bisApplicationFromProfile,
  bisDecisionWanted,
  bisNotDecided,
  hasBisApplication,
  withBisApplication,
} from '../bench/artillery/processor.cjs';
import { checkStageInvariants } from '../bench/stage-invariants.ts';

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

  it('runs the deployed-stage load test’s BIS steps: the application from the eIDAS profile, the agent’s rejection, a new request after it', async () => {
    const since = new Date().toISOString();
    // The agent (AGENT_TOKEN) and the test organisation's administrator (ADMIN_TOKEN): Jan, a BIS
    // agent and legal representative of the seeded company he claims.
    const janId = String(decodeJwt(await accessTokenOf('itsme', agentAttributes)).person_id);
    expect(
      (await call('POST', '/local/groups', { body: { personId: janId, group: 'bis-agents' } })).status,
    ).toBe(200);
    const agentToken = await accessTokenOf('itsme', agentAttributes);
    const claim = await call('POST', '/organisations/claims', {
      token: agentToken,
      body: { enterpriseNumber: '0712459852' },
    });
    expect([200, 201], JSON.stringify(claim.body)).toContain(claim.status);
    vi.stubEnv('AGENT_TOKEN', agentToken);

    // The line's eidasAccessToken; GET /me, then the application processor.cjs builds from it.
    const applicantToken = await accessTokenOf('eidas', eidasPerson());
    const vars: Record<string, unknown> = { email: 'load.applicant@example.de' };
    const submit = async () => {
      const me = await call('GET', '/me', { token: applicantToken });
      await new Promise((resolve) =>
        bisApplicationFromProfile(
          {},
          { statusCode: me.status, body: JSON.stringify(me.body) },
          { vars },
          { emit: () => undefined },
          resolve,
        ),
      );
      expect(hasBisApplication(vars)).toBe(true);
      const request: Record<string, unknown> = {};
      withBisApplication(request, { vars }, { emit: () => undefined }, () => undefined);
      return call('POST', '/bis-registrations', { token: applicantToken, body: request.json });
    };
    const submitted = await submit();
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    expect((await submit()).status).toBe(409);

    // The agent's decision loop as Artillery runs it: a round always, then while bisNotDecided.
    Object.assign(vars, { registrationId: submitted.body.registrationId, $loopCount: 0 });
    let rounds = true;
    while (rounds) {
      if (bisDecisionWanted(vars)) {
        const answer = await call(
          'POST',
          `/agent/bis-registrations/${String(vars.registrationId)}/decision`,
          {
            token: agentToken,
            body: { decision: 'reject', reason: 'Load test of the stage, not a real request.' },
          },
        );
        vars.bisDecided = answer.body.decision;
      }
      vars.$loopCount = Number(vars.$loopCount) + 1;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      bisNotDecided({ vars }, (again) => {
        rounds = again;
      });
    }
    expect(vars.bisDecided).toBe('reject');
    const rejected = await poll(
      () => call('GET', `/bis-registrations/${String(vars.registrationId)}`, { token: applicantToken }),
      (answer) => answer.body.status === 'REJECTED',
    );
    expect(rejected.body.status).toBe('REJECTED');

    // The identity's next iteration asks anew, and load:check finds every registration in one queue.
    expect((await submit()).status).toBe(202);
    const checked = await checkStageInvariants({
      api: sandbox.url,
      orgCode: '0712459852',
      adminToken: agentToken,
      agentToken,
      since,
    });
    expect(checked.problems).toEqual([]);
    expect(checked.counts).toMatchObject({
      'BIS registrations REJECTED': 1,
      'BIS registrations PENDING_REVIEW': 1,
    });
    vi.unstubAllEnvs();
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
