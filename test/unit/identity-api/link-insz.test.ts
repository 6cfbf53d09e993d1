import { describe, expect, it } from 'vitest';
import { type LinkOutcome, linkInsz } from '#identity/api/link-insz';
import { matchesRegister, normaliseName } from '#identity/person-register';
import { ConflictError, NotFoundError, RuleViolationError } from '#shared/errors';
import { fakeWorld, grantItem, membershipItem, REGISTERED } from './fakes.ts';

const PERSON = '01JZ0000000000000000000009';
const stated = {
  insz: REGISTERED.insz,
  givenNames: 'Jan Emile',
  familyName: 'Van den Broeck',
  birthDate: '1985-07-30',
};

/** A world whose link transaction answers `outcomes` in turn, applying `effect` before the first. */
function racingWorld(outcomes: LinkOutcome[], effect: (world: ReturnType<typeof fakeWorld>) => void) {
  const world = fakeWorld();
  world.addPerson(PERSON);
  const realLink = world.deps.inszLinks.link;
  let calls = 0;
  world.deps.inszLinks.link = async (personId, insz, now) => {
    calls++;
    if (calls === 1) effect(world);
    const next = outcomes.shift();
    return next ?? realLink(personId, insz, now);
  };
  return { world, calls: () => calls };
}

const useCaseDeps = (world: ReturnType<typeof fakeWorld>) => ({
  store: world.deps.inszLinks,
  register: world.deps.register,
  attempts: world.deps.attempts,
  now: world.deps.now,
  logger: world.deps.logger,
});

describe('linkInsz', () => {
  it('answers the link of a concurrent request of the same person when its own transaction loses', async () => {
    const { world } = racingWorld(['insz-taken'], (w) => {
      const profile = w.partitions.get(PERSON)?.[0];
      if (profile) profile.insz = REGISTERED.insz;
    });

    const linked = await linkInsz(useCaseDeps(world), PERSON, stated);

    expect(linked).toEqual({ personId: PERSON, insz: REGISTERED.insz, created: false });
  });

  it('retries the transaction when it meets contention', async () => {
    const { world, calls } = racingWorld(['contention'], () => {});

    const linked = await linkInsz(useCaseDeps(world), PERSON, stated);

    expect(linked.created).toBe(true);
    expect(calls()).toBe(2);
  });

  it('throws ConflictError when a different number was linked concurrently', async () => {
    const { world } = racingWorld(['profile-conflict'], (w) => {
      const profile = w.partitions.get(PERSON)?.[0];
      if (profile) profile.insz = '06070500252';
    });

    await expect(linkInsz(useCaseDeps(world), PERSON, stated)).rejects.toBeInstanceOf(ConflictError);
  });

  it('throws NotFoundError (404, as GET /me) when the person has no profile', async () => {
    const world = fakeWorld();

    await expect(linkInsz(useCaseDeps(world), PERSON, stated)).rejects.toBeInstanceOf(NotFoundError);
    expect(world.registerReads).toEqual([]);
  });
});

const HOLDER = '01JZ0000000000000000000002';
const EIDAS_LINK = 'eidas#DE/BE/1234567890ABCDEF';

/** P2 holds the registered INSZ (a native or itsme person); P1 is a fresh eIDAS person without INSZ. */
function joinWorld(callerExtra: Record<string, unknown>[] = []) {
  const world = fakeWorld();
  world.addPerson(HOLDER, {
    insz: REGISTERED.insz,
    providers: new Set(['native']),
    familyName: 'Holder-only data',
  });
  world.inszLinks.set(REGISTERED.insz, HOLDER);
  world.addPerson(PERSON, { identityLinks: new Set([EIDAS_LINK]) });
  world.identityLinks.set(EIDAS_LINK, PERSON);
  world.partitions.get(PERSON)?.push(...callerExtra);
  return world;
}

const profile = (world: ReturnType<typeof fakeWorld>, personId: string) =>
  world.partitions.get(personId)?.find((item) => item.SK === 'PROFILE');

describe('linkInsz joining persons', () => {
  it('moves the eIDAS identity to the person holding the number when the register matches', async () => {
    const world = joinWorld();

    const linked = await linkInsz(useCaseDeps(world), PERSON, stated);

    expect(linked).toEqual({ personId: HOLDER, insz: REGISTERED.insz, created: true, merged: true });
    expect(world.identityLinks.get(EIDAS_LINK)).toBe(HOLDER);
    expect(profile(world, HOLDER)).toMatchObject({
      providers: new Set(['native', 'eidas']),
      identityLinks: new Set([EIDAS_LINK]),
      insz: REGISTERED.insz,
    });
    expect(profile(world, PERSON)).toMatchObject({ mergedInto: HOLDER });
    expect(profile(world, PERSON)?.insz).toBeUndefined();
    expect(world.attempts.get(PERSON)).toBe(1);
  });

  it('never joins when the register does not match', async () => {
    const world = joinWorld();

    await expect(
      linkInsz(useCaseDeps(world), PERSON, { ...stated, familyName: 'Peeters' }),
    ).rejects.toBeInstanceOf(RuleViolationError);
    expect(world.identityLinks.get(EIDAS_LINK)).toBe(PERSON);
    expect(profile(world, PERSON)?.mergedInto).toBeUndefined();
  });

  it.each([
    ['a membership', membershipItem(PERSON, 'ORG1')],
    ['a grant', grantItem(PERSON, { orgCode: 'ORG1', application: 'app', role: 'reader', grantId: 'g1' })],
  ])('refuses with 409 and a helpdesk message when the caller holds %s', async (_, item) => {
    const world = joinWorld([item]);

    const error = await linkInsz(useCaseDeps(world), PERSON, stated).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(String((error as Error).message)).toMatch(/helpdesk/);
    expect(String((error as Error).message)).not.toContain(HOLDER);
    expect(world.identityLinks.get(EIDAS_LINK)).toBe(PERSON);
    expect(profile(world, PERSON)?.mergedInto).toBeUndefined();
  });

  it('refuses with 409 when the caller profile records no identity links (created before joining)', async () => {
    const world = joinWorld();
    delete profile(world, PERSON)?.identityLinks;

    await expect(linkInsz(useCaseDeps(world), PERSON, stated)).rejects.toBeInstanceOf(ConflictError);
    expect(profile(world, HOLDER)?.providers).toEqual(new Set(['native']));
  });

  it('answers 409 when a concurrent change makes the joining transaction fail its conditions', async () => {
    const world = joinWorld();
    const realMerge = world.deps.inszLinks.merge;
    world.deps.inszLinks.merge = async (request, now) => {
      // Another request moved the eIDAS identity meanwhile.
      world.identityLinks.set(EIDAS_LINK, 'someone-else');
      return realMerge(request, now);
    };

    await expect(linkInsz(useCaseDeps(world), PERSON, stated)).rejects.toBeInstanceOf(ConflictError);
    expect(profile(world, PERSON)?.mergedInto).toBeUndefined();
  });

  it('retries the joining transaction when it meets contention', async () => {
    const world = joinWorld();
    const realMerge = world.deps.inszLinks.merge;
    let calls = 0;
    world.deps.inszLinks.merge = async (request, now) => {
      calls++;
      return calls === 1 ? 'contention' : realMerge(request, now);
    };

    const linked = await linkInsz(useCaseDeps(world), PERSON, stated);

    expect(linked.merged).toBe(true);
    expect(calls).toBe(2);
  });

  it('throws NotFoundError without spending an attempt when the caller was joined already', async () => {
    const world = joinWorld();
    await linkInsz(useCaseDeps(world), PERSON, stated);

    await expect(linkInsz(useCaseDeps(world), PERSON, stated)).rejects.toBeInstanceOf(NotFoundError);
    expect(world.attempts.get(PERSON)).toBe(1);
  });
});

describe('normaliseName', () => {
  it.each([
    ['Émile', 'emile'],
    ['  Jan   Pieter ', 'jan pieter'],
    ['ÇAĞLAR', 'caglar'],
    ['Zoë\tDe Wilde', 'zoe de wilde'],
    ['Ａｎｎａ', 'anna'],
  ])('maps %j to %j when comparing', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });

  it('keeps hyphens and letters that differ when comparing', () => {
    expect(normaliseName('Anne-Marie')).not.toBe(normaliseName('Anne Marie'));
    expect(matchesRegister(REGISTERED, { ...stated, givenNames: 'Jan Emiel' })).toBe(false);
  });
});
