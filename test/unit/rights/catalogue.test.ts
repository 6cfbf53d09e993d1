import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCatalogue,
  CATALOGUE,
  defaultValidUntil,
  displayNameIn,
  findRole,
  lastValidDay,
  maxValidUntil,
} from '../../../lambdas/rights/catalogue.ts';

describe('rights catalogue', () => {
  it('is consistent: slug identifiers, unique, default validity within the maximum', () => {
    expect(() => assertCatalogue()).not.toThrow();
  });

  it('refuses a catalogue whose default validity exceeds its maximum', () => {
    const broken = [
      {
        application: 'KLIP',
        displayName: { nl: 'K', fr: 'K', en: 'K' },
        roles: [
          {
            role: 'x-role',
            displayName: { nl: 'x', fr: 'x', en: 'x' },
            requiresApproval: true,
            defaultValidityDays: 10,
            maxValidityDays: 5,
          },
        ],
      },
    ];
    expect(() => assertCatalogue(broken)).toThrow(/validity/);
  });

  it('requires approval for every utility-manager and public-domain role of KLIP (seed 000)', () => {
    for (const role of [
      'klb-beheerder',
      'klb-operator',
      'klb-raadpleger',
      'klim-beheerder',
      'odb-beheerder',
    ]) {
      expect(findRole('KLIP', role)?.requiresApproval, role).toBe(true);
    }
    expect(findRole('KLIP', 'planaanvrager')?.requiresApproval).toBe(false);
  });

  it('offers GIPOD and Geopunt with at least one role each', () => {
    expect(CATALOGUE.map((app) => [app.application, app.roles.length > 0])).toEqual([
      ['KLIP', true],
      ['GIPOD', true],
      ['GEOPUNT', true],
    ]);
  });

  it('builds token roles that split back into application, role and organisation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...CATALOGUE.flatMap((app) => app.roles.map((r) => [app.application, r.role] as const)),
        ),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{1,30}$/),
        ([application, role], orgCode) => {
          expect(`${application}:${role}:${orgCode}`.split(':')).toEqual([application, role, orgCode]);
        },
      ),
    );
  });

  it('computes the default and maximum end of validity from the grant time', () => {
    const role = findRole('KLIP', 'klb-beheerder');
    if (!role) throw new Error('missing role');
    const now = new Date('2026-03-01T10:00:00.000Z');

    expect(defaultValidUntil(role, now)).toBe('2027-03-01T10:00:00.000Z');
    expect(maxValidUntil(role, now)).toBe('2029-02-28T10:00:00.000Z');
  });

  it('shows display names in nl and fr, and English for German and anything else', () => {
    const name = { nl: 'beheerder', fr: 'administrateur', en: 'administrator' };
    expect([displayNameIn(name, 'nl'), displayNameIn(name, 'fr'), displayNameIn(name, 'de')]).toEqual([
      'beheerder',
      'administrateur',
      'administrator',
    ]);
  });
});

describe('lastValidDay', () => {
  it('names the chosen day when the grant was approved "through" a date', () => {
    // "through 2026-12-04" is stored as the instant the grant stops: the next midnight.
    expect(lastValidDay('2026-12-05T00:00:00.000Z')).toBe('2026-12-04');
  });

  it('names the same day when the grant stops during that day', () => {
    expect(lastValidDay('2026-12-04T15:30:00.000Z')).toBe('2026-12-04');
  });
});
