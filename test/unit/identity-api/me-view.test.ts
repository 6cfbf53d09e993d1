import { describe, expect, it } from 'vitest';
import type { IdentityLinkState } from '#identity/api/identity-store';
import { meViewOf } from '#identity/api/me';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const PERSON = '01JZ0000000000000000000001';

const profile = (extra: Record<string, unknown> = {}) => ({
  PK: `PERSON#${PERSON}`,
  SK: 'PROFILE',
  personId: PERSON,
  givenNames: 'Jan',
  familyName: 'Peeters',
  birthDate: '1979-11-02',
  providers: new Set(['itsme', 'eidas']),
  ...extra,
});

const link = (overrides: Partial<IdentityLinkState>): IdentityLinkState => ({
  ref: 'itsme#sub-1',
  provider: 'itsme',
  subject: 'sub-1',
  personId: PERSON,
  ...overrides,
});

describe('meViewOf', () => {
  it('passes on the sex, nationality, place of birth and address the provider asserted, so forms start filled in', () => {
    const view = meViewOf(
      [
        profile({
          sex: 'F',
          nationality: 'DE',
          placeOfBirth: 'Köln',
          address: {
            street: 'Domstraße',
            houseNumber: '1',
            postalCode: '50667',
            city: 'Köln',
            country: 'DE',
            poBox: '7',
          },
        }),
      ],
      NOW,
    );

    expect(view).toMatchObject({
      sex: 'F',
      nationality: 'DE',
      placeOfBirth: 'Köln',
      address: { street: 'Domstraße', houseNumber: '1', postalCode: '50667', city: 'Köln', country: 'DE' },
    });
    expect(view?.address).not.toHaveProperty('poBox');
  });

  it('leaves out asserted details that are missing or not of the contract shape', () => {
    const view = meViewOf([profile({ sex: 'X', nationality: 'Deutsch', address: { street: '' } })], NOW);

    expect(view).not.toHaveProperty('sex');
    expect(view).not.toHaveProperty('nationality');
    expect(view).not.toHaveProperty('placeOfBirth');
    expect(view).not.toHaveProperty('address');
  });

  it('shows each identity with its evidence, oldest first, and the number evidence and suspension', () => {
    const view = meViewOf([profile({ insz: '79110222494', inszEvidence: 'itsme-eid' })], NOW, [
      link({
        ref: 'eidas#NL/BE/1',
        provider: 'eidas',
        evidence: 'connected',
        linkedAt: '2026-02-01T00:00:00.000Z',
        loa: 'substantial',
      }),
      link({ evidence: 'first-login', linkedAt: '2026-01-01T00:00:00.000Z', loa: 'high' }),
    ]);

    expect(view).toMatchObject({
      insz: '79110222494',
      inszEvidence: 'itsme-eid',
      suspended: false,
      identities: [
        { provider: 'itsme', evidence: 'first-login', linkedAt: '2026-01-01T00:00:00.000Z', loa: 'high' },
        {
          provider: 'eidas',
          evidence: 'connected',
          linkedAt: '2026-02-01T00:00:00.000Z',
          loa: 'substantial',
        },
      ],
    });
  });

  it('leaves out links of another person and shows providers without a readable link with null provenance', () => {
    const view = meViewOf([profile({ suspension: { caseId: 'C1' } })], NOW, [
      link({ personId: 'someone-else' }),
    ]);

    expect(view?.suspended).toBe(true);
    expect(view?.identities).toEqual([
      { provider: 'eidas', evidence: null, linkedAt: null, loa: null },
      { provider: 'itsme', evidence: null, linkedAt: null, loa: null },
    ]);
  });

  it('shows memberships by organisation code and only the grants valid now', () => {
    const grant = (grantId: string, orgCode: string, role: string, extra: Record<string, unknown> = {}) => ({
      PK: `PERSON#${PERSON}`,
      SK: `GRANT#${orgCode}#KLIP#${role}`,
      grantId,
      orgCode,
      application: 'KLIP',
      role,
      ...extra,
    });
    const view = meViewOf(
      [
        profile(),
        {
          PK: `PERSON#${PERSON}`,
          SK: 'MEMBERSHIP#OVO000123',
          orgCode: 'OVO000123',
          name: 'Agentschap',
          localAdministrator: true,
        },
        { PK: `PERSON#${PERSON}`, SK: 'MEMBERSHIP#0403019261', name: 'Acme NV', legalRepresentative: true },
        grant('G1', 'OVO000123', 'planaanvrager', { validUntil: '2026-12-31T23:59:59.000Z' }),
        grant('G2', 'OVO000123', 'raadpleger', { validUntil: '2026-02-28T00:00:00.000Z' }),
        grant('G3', '0403019261', 'beheerder'),
        grant('G4', '0403019261', 'operator', { validUntil: '' }),
        grant('G5', '0403019261', 'later', { validFrom: '2026-04-01T00:00:00.000Z' }),
      ],
      NOW,
    );

    expect(view?.memberships).toEqual([
      { orgCode: '0403019261', name: 'Acme NV', localAdministrator: false, legalRepresentative: true },
      { orgCode: 'OVO000123', name: 'Agentschap', localAdministrator: true, legalRepresentative: false },
    ]);
    expect(view?.grants.map((g) => [g.grantId, g.validUntil])).toEqual([
      ['G1', '2026-12-31T23:59:59.000Z'],
      ['G3', null],
    ]);
  });

  it('answers nothing for a partition without a profile', () => {
    expect(meViewOf([], NOW)).toBeUndefined();
  });
});
