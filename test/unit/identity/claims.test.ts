import { describe, expect, it } from 'vitest';
import { buildTokenClaims, isGrantValid, readPersonPartition } from '#identity/claims';
import { keys } from '#shared/keys';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const PERSON = '01JNXQ5Z6W8K3M4N5P6Q7R8S9T';

function grantItem(orgCode: string, application: string, role: string, extra: Record<string, unknown> = {}) {
  return { ...keys.grant(PERSON, orgCode, application, role), orgCode, application, role, ...extra };
}

describe('readPersonPartition', () => {
  it('sorts profile, memberships and grants and skips items it cannot use', () => {
    const items = [
      { ...keys.person(PERSON), personId: PERSON, insz: '85073003328', givenNames: 'Jan' },
      { ...keys.membership(PERSON, 'OVO000001'), orgCode: 'OVO000001', localAdministrator: true },
      { ...keys.membership(PERSON, 'OVO000002'), localAdministrator: 'yes' },
      grantItem('OVO000001', 'KLIP', 'planaanvrager', { validUntil: '2027-01-01T00:00:00.000Z' }),
      { ...keys.grant(PERSON, 'OVO000001', 'GIPOD', 'viewer'), orgCode: 'OVO000001' },
    ];

    expect(readPersonPartition(items)).toEqual({
      profile: { personId: PERSON, insz: '85073003328' },
      memberships: [
        { orgCode: 'OVO000001', localAdministrator: true },
        { orgCode: 'OVO000002', localAdministrator: false },
      ],
      grants: [
        {
          orgCode: 'OVO000001',
          application: 'KLIP',
          role: 'planaanvrager',
          validUntil: '2027-01-01T00:00:00.000Z',
        },
      ],
    });
  });
});

describe('isGrantValid', () => {
  const grant = { orgCode: 'O', application: 'A', role: 'r' };

  it.each([
    ['valid when it has no bounds', {}, true],
    ['valid until a later instant', { validUntil: '2026-03-01T12:00:00.001Z' }, true],
    ['invalid when validUntil equals now', { validUntil: '2026-03-01T12:00:00.000Z' }, false],
    ['invalid when validUntil has passed', { validUntil: '2026-02-28T00:00:00.000Z' }, false],
    ['invalid when validUntil is unreadable', { validUntil: 'someday' }, false],
    ['invalid before validFrom', { validFrom: '2026-03-02T00:00:00.000Z' }, false],
    ['valid from validFrom on', { validFrom: '2026-03-01T12:00:00.000Z' }, true],
    ['invalid when revoked', { revokedAt: '2026-02-01T00:00:00.000Z' }, false],
  ])('is %s', (_label, bounds, expected) => {
    expect(isGrantValid({ ...grant, ...bounds }, NOW)).toBe(expected);
  });
});

describe('buildTokenClaims', () => {
  it('puts the contract claims in both tokens and insz in the ID token only when the person has one', () => {
    const partition = readPersonPartition([
      { ...keys.person(PERSON), personId: PERSON, insz: '85073003328' },
      { ...keys.membership(PERSON, 'OVO000002'), orgCode: 'OVO000002', localAdministrator: true },
      { ...keys.membership(PERSON, 'OVO000001'), orgCode: 'OVO000001', localAdministrator: true },
      { ...keys.membership(PERSON, 'OVO000003'), orgCode: 'OVO000003', localAdministrator: false },
      grantItem('OVO000001', 'KLIP', 'planaanvrager', { validUntil: '2027-01-01T00:00:00.000Z' }),
      grantItem('OVO000001', 'KLIP', 'raadpleger', { validUntil: '2026-01-01T00:00:00.000Z' }),
      grantItem('OVO000002', 'GIPOD', 'beheerder'),
    ]);

    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'itsme',
      loa: 'high',
      partition,
      now: NOW,
    });

    const common = {
      person_id: PERSON,
      loa: 'high',
      idp: 'itsme',
      roles: ['GIPOD:beheerder:OVO000002', 'KLIP:planaanvrager:OVO000001'],
      admin_of: ['OVO000001', 'OVO000002'],
    };
    expect(claims.idToken).toEqual({ ...common, insz: '85073003328' });
    expect(claims.accessToken).toEqual(common);
  });

  it('gives empty role and admin lists when the person has neither', () => {
    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'eidas',
      loa: 'substantial',
      partition: { profile: { personId: PERSON }, memberships: [], grants: [] },
      now: NOW,
    });

    expect(claims.idToken).toEqual({
      person_id: PERSON,
      loa: 'substantial',
      idp: 'eidas',
      roles: [],
      admin_of: [],
    });
  });
});
