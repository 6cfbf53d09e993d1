/**
 * The order of `POST /me/insz`'s steps, which is what resists guessing: no attempt is spent on the
 * caller's own state, the attempt is taken before the register is read, the register is never read
 * once the attempts are spent, and nothing but the login's asserted data can make a match.
 */
import { describe, expect, it } from 'vitest';
import type { IdentityLinkState, PersonState } from '#identity/api/identity-store';
import { type LinkInszDeps, linkInsz, NO_MATCH_MESSAGE } from '#identity/api/link-insz';

const PERSON = '01JZ0000000000000000000001';
const INSZ = '85073003328';
const REGISTER = {
  insz: INSZ,
  givenNames: 'Jan Émile',
  familyName: 'Van den Broeck',
  birthDate: '1985-07-30',
};
const TYPED = { insz: INSZ, givenNames: 'Jan', familyName: 'Van den Broeck', birthDate: '1985-07-30' };

function world(
  options: {
    person?: Partial<PersonState>;
    link?: Partial<IdentityLinkState> | null;
    attemptsLeft?: number;
  } = {},
) {
  const calls: string[] = [];
  let attemptsLeft = options.attemptsLeft ?? 5;
  const person: PersonState = {
    personId: PERSON,
    insz: null,
    inszEvidence: null,
    givenNames: 'Jan',
    familyName: 'Van den Broeck',
    birthDate: '1985-07-30',
    identityLinks: ['eidas#BE/BE/1'],
    providers: ['eidas'],
    holdsRights: false,
    ...options.person,
  };
  const link: IdentityLinkState | undefined =
    options.link === null
      ? undefined
      : {
          ref: 'eidas#BE/BE/1',
          provider: 'eidas',
          subject: 'BE/BE/1',
          personId: PERSON,
          cognitoUsername: 'eIDAS_abc',
          asserted: { givenNames: 'JAN', familyName: 'VAN DEN BROECK', birthDate: '1985-07-30' },
          ...options.link,
        };
  const record = <T>(call: string, value: T): T => {
    calls.push(call);
    return value;
  };
  const deps: LinkInszDeps = {
    store: {
      loadProfile: async () => record('profile', person),
      getIdentityLinks: async () => record('identity-links', link ? [link] : []),
      getInszLink: async () => record('insz-link', undefined),
      linkInsz: async () => record('link', 'linked' as const),
      recordJoinRefused: async () => {
        calls.push('join-refused');
      },
    },
    register: { findPerson: async () => record('register', REGISTER) },
    attempts: {
      take: async (_personId, now) => {
        calls.push('attempt');
        if (attemptsLeft <= 0) return { allowed: false, retryAt: new Date(now.getTime() + 1000) };
        attemptsLeft -= 1;
        return { allowed: true };
      },
    },
    now: () => new Date('2026-03-01T10:00:00.000Z'),
    newId: () => '01JZ0000000000000000000099',
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  };
  return { deps, calls };
}

const caller = { personId: PERSON, username: 'eIDAS_abc', loa: 'substantial' };

describe('linkInsz', () => {
  it('checks the login, then takes the attempt, then reads the register, then links', async () => {
    const { deps, calls } = world();

    await expect(linkInsz(deps, caller, TYPED)).resolves.toEqual({
      personId: PERSON,
      insz: INSZ,
      created: true,
    });
    expect(calls).toEqual(['profile', 'identity-links', 'attempt', 'register', 'link']);
  });

  it('answers an idempotent 200 without an attempt when the number is linked already', async () => {
    const { deps, calls } = world({ person: { insz: INSZ } });

    await expect(linkInsz(deps, caller, TYPED)).resolves.toMatchObject({ created: false });
    expect(calls).toEqual(['profile']);
  });

  it('never reads the register once the attempts are spent', async () => {
    const { deps, calls } = world({ attemptsLeft: 0 });

    await expect(linkInsz(deps, caller, TYPED)).rejects.toMatchObject({ name: 'TooManyRequestsError' });
    expect(calls).not.toContain('register');
  });

  it.each([
    [
      'the login asserted other names',
      { asserted: { givenNames: 'Mallory', familyName: 'Evil', birthDate: '1990-01-01' } },
    ],
    ['the login asserted nothing', { asserted: undefined }],
  ])('answers the same 422 when %s, whatever was typed', async (_what, link) => {
    const { deps, calls } = world({ link });

    await expect(linkInsz(deps, caller, TYPED)).rejects.toMatchObject({
      name: 'RuleViolationError',
      message: NO_MATCH_MESSAGE,
    });
    expect(calls).not.toContain('link');
  });

  it('refuses with 403 before any attempt when the session names no login of the person', async () => {
    const { deps, calls } = world({ link: { personId: 'someone-else' } });

    await expect(linkInsz(deps, caller, TYPED)).rejects.toMatchObject({ name: 'ForbiddenError' });
    expect(calls).not.toContain('attempt');
  });

  it('refuses with 409 before any attempt while the person is suspended', async () => {
    const { deps, calls } = world({ person: { suspensionCaseId: 'CASE' } });

    await expect(linkInsz(deps, caller, TYPED)).rejects.toMatchObject({ name: 'ConflictError' });
    expect(calls).not.toContain('attempt');
  });
});
