/**
 * The Artillery helpers of deployed-stage.yml (test/bench/artillery/processor.cjs) that need no
 * login: the company of a line, the BIS application built from the eIDAS profile (checked against
 * the API's own schema), and the bounded decision loops. The steps run against the sandbox in
 * test/e2e/sandbox-native.test.ts (claims) and test/e2e/sandbox-bis.test.ts (BIS).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { personDataSchema } from '#shared/http/schemas';
import { loadCompanyOf } from '../../bench/artillery/load-companies.cjs';
import {
  type ArtilleryContext,
  bisApplicationFromProfile,
  bisApplicationOf,
  bisDecisionWanted,
  bisNotDecided,
  companyOfLine,
  decisionWanted,
  hasBisApplication,
  MAX_DECISION_ATTEMPTS,
  notDecided,
  withBisApplication,
} from '../../bench/artillery/processor.cjs';

const events = { emit: () => undefined };
const ANN = '85073003328';

/** An eIDAS profile as `GET /me` answers it for a German applicant. */
const PROFILE = {
  personId: 'p-1',
  insz: null,
  givenNames: 'Erika',
  familyName: 'Mustermann',
  birthDate: '1964-08-12',
  sex: 'F',
  nationality: 'DE',
  placeOfBirth: 'Berlin',
  address: { street: 'Heidestraße', houseNumber: '17', postalCode: '51147', city: 'Köln', country: 'DE' },
  memberships: [],
};

/** Runs a `(context, events, next)` function and resolves with the context once it called `next`. */
function step(run: (context: ArtilleryContext, done: (error?: unknown) => void) => void, vars = {}) {
  const context: ArtilleryContext = { vars: { ...vars } };
  return new Promise<ArtilleryContext>((resolve, reject) =>
    run(context, (error) => (error ? reject(error) : resolve(context))),
  );
}

/** What a `whileTrue` function answers. */
function again(run: (context: ArtilleryContext, next: (b: boolean) => void) => void, vars: object) {
  let answer: boolean | undefined;
  run({ vars: { ...vars } }, (value) => {
    answer = value;
  });
  return answer;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('companyOfLine', () => {
  it('sets the company of the line for LOAD_RUN, and nothing on a line without insz', async () => {
    vi.stubEnv('LOAD_RUN', 'r5');

    const withInsz = await step((context, done) => companyOfLine(context, events, done), { insz: ANN });
    const without = await step((context, done) => companyOfLine(context, events, done), { insz: ' ' });

    expect(withInsz.vars.enterpriseNumber).toBe(loadCompanyOf(ANN, 'r5').enterpriseNumber);
    expect(without.vars).not.toHaveProperty('enterpriseNumber');
  });
});

describe('the BIS application', () => {
  it('is the eIDAS identity’s, with the line’s e-mail, and the API’s schema takes it', () => {
    const application = bisApplicationOf(PROFILE, 'erika@example.de');

    expect(application).toMatchObject({
      givenNames: 'Erika',
      familyName: 'Mustermann',
      birthDate: '1964-08-12',
      sex: 'F',
      placeOfBirth: 'Berlin',
      address: PROFILE.address,
      email: 'erika@example.de',
    });
    expect(personDataSchema.safeParse(application).success).toBe(true);
  });

  it('fills what the eIDAS node left out with test values, and gives none without names', () => {
    const minimal = bisApplicationOf(
      { givenNames: 'Jean', familyName: 'Dupont', birthDate: '1970-01-31', address: { city: 'Lyon' } },
      'jean@example.fr',
    );

    expect(minimal).not.toHaveProperty('sex');
    expect(minimal).toMatchObject({ nationality: 'DE', address: { city: 'Brussels', country: 'BE' } });
    expect(personDataSchema.safeParse(minimal).success).toBe(true);
    expect(bisApplicationOf({ givenNames: 'Jean', familyName: 'Dupont' }, 'x@example.fr')).toBeUndefined();
    expect(bisApplicationOf(undefined, 'x@example.fr')).toBeUndefined();
  });

  it('comes from a 200 GET /me (body as text) and is sent as the JSON body; a failed GET leaves none', async () => {
    const request: Record<string, unknown> = {};
    const read = await step(
      (context, done) =>
        bisApplicationFromProfile(
          {},
          { statusCode: 200, body: JSON.stringify(PROFILE) },
          context,
          events,
          done,
        ),
      { email: 'erika@example.de' },
    );
    await new Promise<void>((resolve) => withBisApplication(request, read, events, () => resolve()));
    const refused = await step(
      (context, done) =>
        bisApplicationFromProfile({}, { statusCode: 401, body: '{"status":401}' }, context, events, done),
      { bisApplication: { stale: true } },
    );
    const garbled = await step((context, done) =>
      bisApplicationFromProfile({}, { statusCode: 200, body: '<html>' }, context, events, done),
    );

    expect(hasBisApplication(read.vars)).toBe(true);
    expect(request.json).toEqual(bisApplicationOf(PROFILE, 'erika@example.de'));
    expect(hasBisApplication(refused.vars)).toBe(false);
    expect(hasBisApplication(garbled.vars)).toBe(false);
  });
});

describe('the decision loops', () => {
  it('retry a right request decision until it is accepted, at most MAX_DECISION_ATTEMPTS rounds', () => {
    const pending = { requestId: '01JEXAMPLE0000000000000000', $loopCount: 1 };

    expect(decisionWanted(pending)).toBe(true);
    expect(decisionWanted({ requestId: undefined })).toBe(false);
    expect(again(notDecided, pending)).toBe(true);
    expect(again(notDecided, { $loopCount: 1 })).toBe(false);
    expect(again(notDecided, { ...pending, decided: 'approve' })).toBe(false);
    expect(again(notDecided, { ...pending, $loopCount: MAX_DECISION_ATTEMPTS })).toBe(false);
  });

  it('decide a BIS registration only with an agent token and a registration of this scenario', () => {
    const pending = { registrationId: '01JEXAMPLE0000000000000000', $loopCount: 1 };

    expect(bisDecisionWanted(pending)).toBe(false);
    vi.stubEnv('AGENT_TOKEN', 'agent');
    expect(bisDecisionWanted(pending)).toBe(true);
    expect(bisDecisionWanted({})).toBe(false);
    expect(again(bisNotDecided, pending)).toBe(true);
    expect(again(bisNotDecided, { ...pending, bisDecided: 'reject' })).toBe(false);
    expect(again(bisNotDecided, { ...pending, $loopCount: MAX_DECISION_ATTEMPTS })).toBe(false);
  });
});
