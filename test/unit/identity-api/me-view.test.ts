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
});
