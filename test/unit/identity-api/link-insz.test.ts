import { describe, expect, it } from 'vitest';
import { type LinkOutcome, linkInsz } from '#identity/api/link-insz';
import { matchesRegister, normaliseName } from '#identity/person-register';
import { ConflictError, NotFoundError } from '#shared/errors';
import { fakeWorld, REGISTERED } from './fakes.ts';

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
