import { describe, expect, it } from 'vitest';
import { buildTokenClaims, readPersonPartition } from '#identity/claims';
import { isGrantInForce, readGrantItem } from '#shared/grant-item';
import { keys } from '#shared/keys';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const PERSON = '01JNXQ5Z6W8K3M4N5P6Q7R8S9T';

function grantItem(orgCode: string, application: string, role: string, extra: Record<string, unknown> = {}) {
  return { ...keys.grant(PERSON, orgCode, application, role), orgCode, application, role, ...extra };
}

describe('readPersonPartition', () => {
  it('keeps the profile, the membership of the capacity and grants, and skips items it cannot use', () => {
    const items = [
      {
        ...keys.person(PERSON),
        personId: PERSON,
        insz: '85073003328',
        givenNames: 'Jan',
        capacity: { orgCode: 'OVO000001', chosenAt: '2026-02-01T00:00:00.000Z' },
      },
      {
        ...keys.membership(PERSON, 'OVO000001'),
        orgCode: 'OVO000001',
        name: 'Agentschap',
        localAdministrator: true,
      },
      { ...keys.membership(PERSON, 'OVO000002'), localAdministrator: 'yes' },
      grantItem('OVO000001', 'KLIP', 'planaanvrager', { validUntil: '2027-01-01T00:00:00.000Z' }),
      { ...keys.grant(PERSON, 'OVO000001', 'GIPOD', 'viewer'), orgCode: 'OVO000001' },
    ];

    expect(readPersonPartition(items, 'OVO000001')).toEqual({
      profile: { personId: PERSON, insz: '85073003328', capacityChoice: 'OVO000001' },
      capacity: { orgCode: 'OVO000001', name: 'Agentschap', localAdministrator: true },
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

  it('has no capacity for a private person and reads a stored private choice as null', () => {
    const items = [
      { ...keys.person(PERSON), personId: PERSON, capacity: { orgCode: null } },
      { ...keys.membership(PERSON, 'OVO000001'), orgCode: 'OVO000001', localAdministrator: true },
    ];

    const partition = readPersonPartition(items);

    expect(partition.capacity).toBeUndefined();
    expect(partition.profile).toEqual({ personId: PERSON, capacityChoice: null });
  });
});

describe('isGrantInForce', () => {
  const grant = { orgCode: 'O', application: 'A', role: 'r' };

  it.each([
    ['valid when it has no bounds', {}, true],
    ['valid until a later instant', { validUntil: '2026-03-01T12:00:00.001Z' }, true],
    ['invalid when validUntil equals now', { validUntil: '2026-03-01T12:00:00.000Z' }, false],
    ['invalid when validUntil has passed', { validUntil: '2026-02-28T00:00:00.000Z' }, false],
    ['invalid when validUntil is unreadable', { validUntil: 'someday' }, false],
    ['invalid before validFrom', { validFrom: '2026-03-02T00:00:00.000Z' }, false],
    ['valid from validFrom on', { validFrom: '2026-03-01T12:00:00.000Z' }, true],
    ['invalid when validUntil is empty', { validUntil: '' }, false],
  ])('is %s', (_label, bounds, expected) => {
    expect(isGrantInForce({ ...grant, ...bounds }, NOW)).toBe(expected);
  });

  it('reads the bounds of a stored item as the login and GET /me do: an empty one keeps the grant out', () => {
    const stored = readGrantItem(grantItem('O', 'A', 'r', { validUntil: '', validFrom: 7 }));

    expect(stored).toEqual({ orgCode: 'O', application: 'A', role: 'r', validUntil: '' });
    expect(isGrantInForce(stored ?? grant, NOW)).toBe(false);
    expect(readGrantItem({ ...grantItem('O', 'A', 'r'), role: '' })).toBeUndefined();
  });
});

describe('buildTokenClaims', () => {
  const items = [
    { ...keys.person(PERSON), personId: PERSON, insz: '85073003328' },
    { ...keys.membership(PERSON, 'OVO000002'), orgCode: 'OVO000002', name: 'Twee', localAdministrator: true },
    { ...keys.membership(PERSON, 'OVO000001'), orgCode: 'OVO000001', name: 'Een', localAdministrator: true },
    {
      ...keys.membership(PERSON, 'OVO000003'),
      orgCode: 'OVO000003',
      name: 'Drie',
      localAdministrator: false,
    },
    grantItem('OVO000001', 'KLIP', 'planaanvrager', { validUntil: '2027-01-01T00:00:00.000Z' }),
    grantItem('OVO000001', 'KLIP', 'raadpleger', { validUntil: '2026-01-01T00:00:00.000Z' }),
    grantItem('OVO000002', 'GIPOD', 'beheerder'),
    grantItem('OVO000003', 'GIPOD', 'raadpleger'),
  ];

  it('puts the capacity, its valid roles and admin_of in both tokens and insz in the ID token only', () => {
    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'itsme',
      loa: 'high',
      partition: readPersonPartition(items, 'OVO000001'),
      now: NOW,
    });

    const common = {
      person_id: PERSON,
      loa: 'high',
      idp: 'itsme',
      org: 'OVO000001',
      org_name: 'Een',
      roles: ['KLIP:planaanvrager:OVO000001'],
      admin_of: ['OVO000001'],
    };
    expect(claims.idToken).toEqual({ ...common, insz: '85073003328' });
    expect(claims.accessToken).toEqual(common);
  });

  it('gives admin_of [] in a capacity the person does not administer, and only its roles', () => {
    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'itsme',
      loa: 'high',
      partition: readPersonPartition(items, 'OVO000003'),
      now: NOW,
    });

    expect(claims.accessToken).toMatchObject({
      org: 'OVO000003',
      org_name: 'Drie',
      roles: ['GIPOD:raadpleger:OVO000003'],
      admin_of: [],
    });
  });

  it('carries no org, no roles and no admin_of for a private person, whatever the partition holds', () => {
    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'eidas',
      loa: 'substantial',
      partition: readPersonPartition(items, null),
      now: NOW,
    });

    expect(claims.accessToken).toEqual({
      person_id: PERSON,
      loa: 'substantial',
      idp: 'eidas',
      roles: [],
      admin_of: [],
    });
  });

  it('drops the capacity of a suspended person', () => {
    const partition = readPersonPartition(
      [{ ...items[0], suspension: { caseId: 'C1' } }, ...items.slice(1)],
      'OVO000001',
    );

    const claims = buildTokenClaims({
      personId: PERSON,
      provider: 'itsme',
      loa: 'high',
      partition,
      now: NOW,
    });

    expect(claims.accessToken).toEqual({
      person_id: PERSON,
      loa: 'high',
      idp: 'itsme',
      roles: [],
      admin_of: [],
    });
  });
});
