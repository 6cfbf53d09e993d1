import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'code-card-unit-table');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import {
  CARD_LOCKED_MESSAGE,
  CODE_CARD_METADATA_PREFIX,
  createCreateAuthChallengeHandler,
  NO_CARD_MESSAGE,
} from '#identity/create-auth-challenge';
import { createVerifyAuthChallengeHandler } from '#identity/verify-auth-challenge';
import { LoginRefusedError } from '#shared/errors';
import { issueTestCard, MemoryCodeCardStore } from '#test/helpers/code-cards';
import {
  createAuthChallengeEvent,
  NATIVE_USERNAME,
  verifyAuthChallengeEvent,
} from '#test/helpers/cognito-events';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let store: MemoryCodeCardStore;
let clock: Date;
let create: ReturnType<typeof createCreateAuthChallengeHandler>;
let verify: ReturnType<typeof createVerifyAuthChallengeHandler>;

beforeEach(() => {
  store = new MemoryCodeCardStore();
  clock = NOW;
  create = createCreateAuthChallengeHandler({ cards: store, logger: silent, now: () => clock });
  verify = createVerifyAuthChallengeHandler({ cards: store, logger: silent, now: () => clock });
});

/** Runs create, then verify with the answer `answerFor(position)`. */
async function attempt(
  answerFor: (position: number) => string,
): Promise<{ position: number; correct: boolean }> {
  const created = await create(createAuthChallengeEvent());
  const position = Number(created.response.publicChallengeParameters.position);
  const verified = await verify(
    verifyAuthChallengeEvent({
      privateChallengeParameters: created.response.privateChallengeParameters,
      challengeAnswer: answerFor(position),
    }),
  );
  return { position, correct: verified.response.answerCorrect };
}

describe('create-auth-challenge', () => {
  it('shows only the position and keeps the card version private', async () => {
    await issueTestCard(store, NATIVE_USERNAME);

    const event = await create(createAuthChallengeEvent());

    const position = Number(event.response.publicChallengeParameters.position);
    expect(position).toBeGreaterThanOrEqual(1);
    expect(position).toBeLessThanOrEqual(24);
    expect(Object.keys(event.response.publicChallengeParameters)).toEqual(['position']);
    expect(event.response.privateChallengeParameters).toEqual({
      cardVersion: '1',
      position: String(position),
    });
    expect(event.response.challengeMetadata).toBe(`${CODE_CARD_METADATA_PREFIX}${position}`);
  });

  it('never asks the position it asked last', async () => {
    await issueTestCard(store, NATIVE_USERNAME);
    const seen: number[] = [];

    for (let i = 0; i < 40; i++) {
      const event = await create(createAuthChallengeEvent());
      seen.push(Number(event.response.publicChallengeParameters.position));
    }

    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    expect(store.cards.get(NATIVE_USERNAME)?.lastPosition).toBe(seen.at(-1));
  });

  it('refuses with an actionable message when the person has no card', async () => {
    await expect(create(createAuthChallengeEvent())).rejects.toThrow(NO_CARD_MESSAGE);
    await expect(create(createAuthChallengeEvent())).rejects.toBeInstanceOf(LoginRefusedError);
    await expect(create(createAuthChallengeEvent())).rejects.toMatchObject({ reason: 'no-second-factor' });
  });

  it('refuses while the card is locked', async () => {
    await issueTestCard(store, NATIVE_USERNAME);
    const card = store.cards.get(NATIVE_USERNAME);
    if (card) card.lockedUntil = new Date(NOW.getTime() + 60_000).toISOString();

    await expect(create(createAuthChallengeEvent())).rejects.toThrow(CARD_LOCKED_MESSAGE);
    await expect(create(createAuthChallengeEvent())).rejects.toMatchObject({
      reason: 'second-factor-locked',
    });
  });

  it('answers an unknown user with a challenge of the same shape', async () => {
    const event = await create(createAuthChallengeEvent({ userName: 'nobody', userNotFound: true }));

    expect(Object.keys(event.response.publicChallengeParameters)).toEqual(['position']);
    expect(event.response.privateChallengeParameters.cardVersion).toBe('0');
  });
});

describe('verify-auth-challenge', () => {
  it('accepts the right code for the asked position', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);

    const result = await attempt((position) => codes[position - 1] as string);

    expect(result.correct).toBe(true);
  });

  it('accepts the right code typed in lower case with spaces', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);

    const result = await attempt((position) => {
      const code = (codes[position - 1] as string).toLowerCase();
      return ` ${code.slice(0, 3)} ${code.slice(3)} `;
    });

    expect(result.correct).toBe(true);
  });

  it('refuses the code of another position and counts the failure', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);

    const result = await attempt((position) => codes[position % 24] as string);

    expect(result.correct).toBe(false);
    expect(store.cards.get(NATIVE_USERNAME)?.failures).toBe(1);
  });

  it('locks the card after five wrong codes in a row, then refuses even the right code', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);
    for (let i = 0; i < 5; i++) await attempt(() => '222222');

    expect(store.cards.get(NATIVE_USERNAME)?.lockedUntil).toBe(
      new Date(NOW.getTime() + 30 * 60_000).toISOString(),
    );
    await expect(create(createAuthChallengeEvent())).rejects.toThrow(CARD_LOCKED_MESSAGE);
    const lastAsked = store.cards.get(NATIVE_USERNAME)?.lastPosition ?? 1;
    const verified = await verify(
      verifyAuthChallengeEvent({
        privateChallengeParameters: { cardVersion: '1', position: String(lastAsked) },
        challengeAnswer: codes[lastAsked - 1] as string,
      }),
    );
    expect(verified.response.answerCorrect).toBe(false);
  });

  it('lets the person in again after the cool-down, and a right code resets the count', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);
    for (let i = 0; i < 5; i++) await attempt(() => '222222');
    clock = new Date(NOW.getTime() + 31 * 60_000);

    const result = await attempt((position) => codes[position - 1] as string);

    expect(result.correct).toBe(true);
    expect(store.cards.get(NATIVE_USERNAME)?.failures).toBe(0);
    expect(store.cards.get(NATIVE_USERNAME)?.lockedUntil).toBeUndefined();
  });

  it('resets the failure count after a right code, so failures must be consecutive to lock', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);
    for (let i = 0; i < 4; i++) await attempt(() => '222222');
    await attempt((position) => codes[position - 1] as string);
    for (let i = 0; i < 4; i++) await attempt(() => '222222');

    expect(store.cards.get(NATIVE_USERNAME)?.lockedUntil).toBeUndefined();
    expect(store.cards.get(NATIVE_USERNAME)?.failures).toBe(4);
  });

  it('refuses the codes of a replaced card at once, even for a challenge created before', async () => {
    const old = await issueTestCard(store, NATIVE_USERNAME);
    const created = await create(createAuthChallengeEvent());
    const position = Number(created.response.publicChallengeParameters.position);
    await issueTestCard(store, NATIVE_USERNAME);

    const verified = await verify(
      verifyAuthChallengeEvent({
        privateChallengeParameters: created.response.privateChallengeParameters,
        challengeAnswer: old.codes[position - 1] as string,
      }),
    );

    expect(verified.response.answerCorrect).toBe(false);
  });

  it('refuses the old card codes on a fresh challenge of the new card', async () => {
    const old = await issueTestCard(store, NATIVE_USERNAME);
    const fresh = await issueTestCard(store, NATIVE_USERNAME);

    const withOld = await attempt((position) => old.codes[position - 1] as string);
    const withNew = await attempt((position) => fresh.codes[position - 1] as string);

    expect(withOld.correct).toBe(false);
    expect(withNew.correct).toBe(true);
  });

  it('lifts the lock when a new card is issued', async () => {
    await issueTestCard(store, NATIVE_USERNAME);
    for (let i = 0; i < 5; i++) await attempt(() => '222222');
    const fresh = await issueTestCard(store, NATIVE_USERNAME);

    const result = await attempt((position) => fresh.codes[position - 1] as string);

    expect(result.correct).toBe(true);
  });

  it('refuses a replayed position: the answer to the previous challenge does not fit the next one', async () => {
    const { codes } = await issueTestCard(store, NATIVE_USERNAME);
    const first = await attempt((position) => codes[position - 1] as string);

    const second = await attempt(() => codes[first.position - 1] as string);

    expect(second.position).not.toBe(first.position);
    expect(second.correct).toBe(false);
  });

  it('answers false for an unknown user without touching any card', async () => {
    const verified = await verify(
      verifyAuthChallengeEvent({
        userName: 'nobody',
        userNotFound: true,
        privateChallengeParameters: { cardVersion: '0', position: '1' },
        challengeAnswer: '222222',
      }),
    );

    expect(verified.response.answerCorrect).toBe(false);
  });
});
