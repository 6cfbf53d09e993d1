import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchesEidasIdentity,
  normalizeName,
  toRegistrationView,
} from '../../../lambdas/bis/registration.ts';
import { agent, caller, registration } from './fakes.ts';

describe('normalizeName', () => {
  it.each([
    ['  José   MARÍA ', 'jose maria'],
    ['Dupré', 'dupre'],
    ['ÆSÇHŸLUS', 'æschylus'],
    ['Zoë\tvan\u00a0Dijk', 'zoe van dijk'],
    ['Ｍüller', 'muller'],
  ])('gives %j as %j when case, spacing or diacritics differ', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('keeps hyphens and letters apart when they differ', () => {
    expect(normalizeName('Jean-Luc')).not.toBe(normalizeName('Jean Luc'));
    expect(normalizeName('Anna')).not.toBe(normalizeName('Anne'));
  });
});

describe('matchesEidasIdentity', () => {
  const eidas = { givenNames: 'Jean-Luc', familyName: 'Dupré', birthDate: '1985-09-30' };

  it('matches when only case and white space differ (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), fc.nat(3), (upper, spaces) => {
        const vary = (name: string) =>
          ' '.repeat(spaces) +
          [...name].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join('') +
          ' '.repeat(spaces);
        return matchesEidasIdentity(
          { ...eidas, givenNames: vary(eidas.givenNames), familyName: vary('Dupre') },
          eidas,
        );
      }),
    );
  });

  it('does not match when the birth date differs', () => {
    expect(matchesEidasIdentity({ ...eidas, birthDate: '1985-09-29' }, eidas)).toBe(false);
  });

  it('does not match when a name differs', () => {
    expect(matchesEidasIdentity({ ...eidas, familyName: 'Dupont' }, eidas)).toBe(false);
  });
});

describe('toRegistrationView', () => {
  const history = [
    {
      entryId: 'e1',
      at: '2026-01-01T00:00:00.000Z',
      event: 'submitted' as const,
      status: 'PENDING_REVIEW' as const,
      actor: 'applicant' as const,
      actorId: 'p1',
    },
  ];

  it('hides the BIS number when the registration is not approved', () => {
    const view = toRegistrationView(
      registration({ status: 'REJECTED', bisNumber: '85493001153', reason: 'no' }),
      history,
      caller(),
    );

    expect(view).not.toHaveProperty('bisNumber');
    expect(view.reason).toBe('no');
  });

  it('shows the BIS number when the registration is approved', () => {
    expect(
      toRegistrationView(registration({ status: 'APPROVED', bisNumber: '85493001153' }), [], caller())
        .bisNumber,
    ).toBe('85493001153');
  });

  it('never shows the pending decision or who acted to the applicant', () => {
    const view = toRegistrationView(
      registration({ decision: { decisionId: 'd', decision: 'approve', decidedBy: 'a', decidedAt: 'now' } }),
      history,
      caller(),
    );

    expect(JSON.stringify(view)).not.toContain('decisionId');
    expect(view.history[0]).not.toHaveProperty('actorId');
    expect(view).not.toHaveProperty('personId');
  });

  it('shows the applicant and the actors to BIS agents', () => {
    const view = toRegistrationView(registration(), history, agent());

    expect(view.personId).toBeDefined();
    expect(view.history[0]?.actorId).toBe('p1');
  });
});
