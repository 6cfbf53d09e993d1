import { describe, expect, it, vi } from 'vitest';
import { createIdentityRoutes } from '#identity/api/routes';
import { PROBLEM_TYPES } from '#shared/http/problem';
import { createRouter } from '#shared/http/router';
import {
  type ApiEventOptions,
  apiEvent,
  lambdaContext,
  PERSON_IDS,
  PERSONA_INSZ,
} from '#test/helpers/api-events';
import { type FakeWorld, fakeWorld, grantItem, membershipItem, REGISTERED } from './fakes.ts';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const USER = PERSON_IDS.user;

async function call(world: FakeWorld, options: ApiEventOptions) {
  const router = createRouter(createIdentityRoutes(world.deps));
  const result = await router(apiEvent(options), lambdaContext());
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}

const getMe = (world: FakeWorld, options: ApiEventOptions = {}) =>
  call(world, { method: 'GET', resource: '/me', ...options });

const postInsz = (world: FakeWorld, body: unknown, options: ApiEventOptions = {}) =>
  call(world, { method: 'POST', resource: '/me/insz', body, ...options });

const statedData = (overrides: Record<string, unknown> = {}) => ({
  insz: REGISTERED.insz,
  givenNames: REGISTERED.givenNames,
  familyName: REGISTERED.familyName,
  birthDate: REGISTERED.birthDate,
  ...overrides,
});

describe('GET /me', () => {
  it('answers the person with identities, memberships and only the grants valid now when the partition has them', async () => {
    const world = fakeWorld();
    world.addPerson(USER, { providers: new Set(['itsme', 'eidas']), insz: PERSONA_INSZ });
    world.partitions.get(USER)?.push(
      membershipItem(USER, 'OVO000123', { name: 'Agentschap Digitaal Vlaanderen', localAdministrator: true }),
      membershipItem(USER, '0403019261', {
        name: 'Acme NV',
        legalRepresentative: true,
        localAdministrator: true,
      }),
      grantItem(USER, {
        grantId: '01JZGRANT0000000000000001',
        orgCode: 'OVO000123',
        application: 'KLIP',
        role: 'planaanvrager',
        validUntil: '2026-12-31T23:59:59.000Z',
      }),
      grantItem(USER, {
        grantId: '01JZGRANT0000000000000002',
        orgCode: 'OVO000123',
        application: 'GIPOD',
        role: 'raadpleger',
        validUntil: '2026-02-28T00:00:00.000Z',
      }),
      grantItem(USER, {
        grantId: '01JZGRANT0000000000000003',
        orgCode: '0403019261',
        application: 'KLIP',
        role: 'KLB-beheerder',
      }),
      grantItem(USER, {
        grantId: '01JZGRANT0000000000000004',
        orgCode: '0403019261',
        application: 'KLIP',
        role: 'KLB-operator',
        revokedAt: '2026-02-01T00:00:00.000Z',
      }),
    );

    const response = await getMe(world);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      personId: USER,
      insz: PERSONA_INSZ,
      givenNames: 'Jan Emile',
      familyName: 'Van den Broeck',
      birthDate: '1985-07-30',
      identities: [{ provider: 'eidas' }, { provider: 'itsme' }],
      memberships: [
        { orgCode: '0403019261', name: 'Acme NV', localAdministrator: true, legalRepresentative: true },
        {
          orgCode: 'OVO000123',
          name: 'Agentschap Digitaal Vlaanderen',
          localAdministrator: true,
          legalRepresentative: false,
        },
      ],
      grants: [
        {
          grantId: '01JZGRANT0000000000000001',
          orgCode: 'OVO000123',
          application: 'KLIP',
          role: 'planaanvrager',
          validUntil: '2026-12-31T23:59:59.000Z',
        },
        {
          grantId: '01JZGRANT0000000000000003',
          orgCode: '0403019261',
          application: 'KLIP',
          role: 'KLB-beheerder',
          validUntil: null,
        },
      ],
    });
  });

  it('answers insz null from the profile even when the token carries an insz claim', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await getMe(world, { claims: { insz: PERSONA_INSZ } });

    expect(response.status).toBe(200);
    expect(response.body.insz).toBeNull();
    expect(response.body.memberships).toEqual([]);
    expect(response.body.grants).toEqual([]);
  });

  it('answers 404 problem when the person has no profile', async () => {
    const response = await getMe(fakeWorld());

    expect(response.status).toBe(404);
    expect(response.headers['Content-Type']).toBe('application/problem+json');
  });

  it('answers 401 problem when the caller is anonymous', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await getMe(world, { persona: 'anonymous' });

    expect(response.status).toBe(401);
    expect(response.body.type).toBe(PROBLEM_TYPES.unauthenticated);
  });
});

describe('POST /me/insz', () => {
  it('links the national number when the register matches exactly', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await postInsz(world, statedData());

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ personId: USER, insz: REGISTERED.insz });
    expect(world.inszLinks.get(REGISTERED.insz)).toBe(USER);
    expect(await world.deps.inszLinks.currentInsz(USER)).toBe(REGISTERED.insz);
  });

  it.each([
    ['accents left out', { givenNames: 'Jan Emile' }],
    ['other case', { givenNames: 'JAN ÉMILE', familyName: 'van DEN broeck' }],
    ['double and outer spaces', { givenNames: '  Jan   Émile ', familyName: 'Van  den Broeck' }],
    ['separators in the number', { insz: '85.07.30-033.28' }],
  ])('links the national number when the details differ only by %s', async (_, overrides) => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await postInsz(world, statedData(overrides));

    expect(response.status).toBe(200);
    expect(world.inszLinks.get(REGISTERED.insz)).toBe(USER);
  });

  it('answers the same 422 problem when the details mismatch as when the number is unknown', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const mismatch = await postInsz(world, statedData({ familyName: 'Peeters' }));
    const wrongDate = await postInsz(world, statedData({ birthDate: '1985-07-31' }));
    const unknown = await postInsz(world, statedData({ insz: '06070500252' }));

    expect(mismatch.status).toBe(422);
    expect(mismatch.body.type).toBe(PROBLEM_TYPES.ruleViolation);
    expect(wrongDate.body).toEqual(mismatch.body);
    expect(unknown.body).toEqual(mismatch.body);
    expect(unknown.status).toBe(422);
    expect(world.inszLinks.size).toBe(0);
  });

  it('answers 429 without reading the register when the sixth failure comes within the window', async () => {
    const world = fakeWorld();
    world.addPerson(USER);
    for (let i = 0; i < 5; i++) {
      expect((await postInsz(world, statedData({ familyName: `Wrong${i}` }))).status).toBe(422);
    }
    const readsBefore = world.registerReads.length;

    const sixth = await postInsz(world, statedData());

    expect(sixth.status).toBe(429);
    expect(sixth.body.type).toBe(PROBLEM_TYPES.tooManyRequests);
    expect(sixth.body.detail).toMatch(/try again after \d{4}-\d{2}-\d{2}T/);
    expect(world.registerReads).toHaveLength(readsBefore);
    expect(world.inszLinks.size).toBe(0);
  });

  it('answers 409 without saying who when the number is linked to another person', async () => {
    const world = fakeWorld();
    world.addPerson(USER);
    world.inszLinks.set(REGISTERED.insz, PERSON_IDS.userWithInsz);

    const response = await postInsz(world, statedData());

    expect(response.status).toBe(409);
    expect(JSON.stringify(response.body)).not.toContain(PERSON_IDS.userWithInsz);
    expect(await world.deps.inszLinks.currentInsz(USER)).toBeNull();
  });

  it('answers 200 merged with the holder and then 404 on GET /me when the caller is joined', async () => {
    const world = fakeWorld();
    world.addPerson(USER, { identityLinks: new Set(['eidas#DE/BE/ABC']) });
    world.identityLinks.set('eidas#DE/BE/ABC', USER);
    world.addPerson(PERSON_IDS.userWithInsz, { insz: REGISTERED.insz });
    world.inszLinks.set(REGISTERED.insz, PERSON_IDS.userWithInsz);

    const response = await postInsz(world, statedData());
    const me = await getMe(world);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ personId: PERSON_IDS.userWithInsz, insz: REGISTERED.insz, merged: true });
    expect(me.status).toBe(404);
    expect(me.body.detail).toMatch(/joined .* sign in again/);
  });

  it('answers 200 without spending an attempt when the same number is linked again', async () => {
    const world = fakeWorld();
    world.addPerson(USER);
    await postInsz(world, statedData());
    const writes = world.writes();

    const repeat = await postInsz(world, statedData());

    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ personId: USER, insz: REGISTERED.insz });
    expect(world.writes()).toBe(writes);
  });

  it('answers 409 when the caller already has a different number', async () => {
    const world = fakeWorld();
    world.addPerson(USER, { insz: '06070500252' });

    const response = await postInsz(world, statedData());

    expect(response.status).toBe(409);
    expect(world.registerReads).toEqual([]);
    expect(world.writes()).toBe(0);
  });

  it('answers 401 and writes nothing when the caller is anonymous', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await postInsz(world, statedData(), { persona: 'anonymous' });

    expect(response.status).toBe(401);
    expect(world.writes()).toBe(0);
  });

  const { insz: _insz, ...withoutInsz } = statedData();
  const { birthDate: _birthDate, ...withoutBirthDate } = statedData();
  it.each([
    ['the number is missing', withoutInsz, 'insz'],
    ['the birth date is missing', withoutBirthDate, 'birthDate'],
    ['the number is not a string', statedData({ insz: 85073003328 }), 'insz'],
    ['the names are not strings', statedData({ givenNames: ['Jan'] }), 'givenNames'],
    ['the check digits are wrong', statedData({ insz: '85073003329' }), 'insz'],
    ['the number is too short', statedData({ insz: '8507300332' }), 'insz'],
    ['the birth date is in the future', statedData({ birthDate: '2999-01-01' }), 'birthDate'],
    ['the birth date is not a real date', statedData({ birthDate: '1985-02-30' }), 'birthDate'],
    ['a name is blank', statedData({ familyName: '   ' }), 'familyName'],
    ['an unknown field is sent', statedData({ nationality: 'BE' }), 'nationality'],
    [
      'the contract field is misspelt',
      { ...withoutInsz, insz: REGISTERED.insz, givenName: 'Jan' },
      'givenName',
    ],
  ])('answers 400 and writes nothing when %s', async (_, body, path) => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await postInsz(world, body);

    expect(response.status).toBe(400);
    expect(response.body.type).toBe(PROBLEM_TYPES.validation);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(JSON.stringify(response.body)).not.toContain('85073003329');
    expect(world.writes()).toBe(0);
    expect(world.registerReads).toEqual([]);
  });

  it('answers 400 and writes nothing when the body is not JSON', async () => {
    const world = fakeWorld();
    world.addPerson(USER);

    const response = await postInsz(world, '{"insz":', { headers: { 'Content-Type': 'application/json' } });

    expect(response.status).toBe(400);
    expect(world.writes()).toBe(0);
  });
});

describe('identity routes', () => {
  it('serves GET /me and POST /me/insz to any authenticated caller', () => {
    const routes = createIdentityRoutes(fakeWorld().deps);

    expect(
      routes.map((route) => [route.definition.method, route.definition.resource, route.definition.access]),
    ).toEqual([
      ['GET', '/me', { kind: 'authenticated' }],
      ['POST', '/me/insz', { kind: 'authenticated' }],
    ]);
  });
});
