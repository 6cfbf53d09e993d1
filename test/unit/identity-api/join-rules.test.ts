import { describe, expect, it } from 'vitest';
import { decideJoin, type JoinCandidate } from '#identity/api/join-rules';

const person = (personId: string, overrides: Partial<JoinCandidate> = {}): JoinCandidate => ({
  personId,
  insz: null,
  birthDate: '1964-08-12',
  suspended: false,
  holdsRights: false,
  hasNativeAccount: false,
  hasOpenBisRequest: false,
  ...overrides,
});

describe('decideJoin', () => {
  it('joins the initiator into the confirmer when the initiator loses nothing', () => {
    const decision = decideJoin(person('A'), person('B', { insz: '64081200123', holdsRights: true }));

    expect(decision).toMatchObject({ ok: true, source: { personId: 'A' }, target: { personId: 'B' } });
  });

  it('moves the initiator and its national number when only the confirmer holds rights', () => {
    const decision = decideJoin(person('A', { insz: '64081200123' }), person('B', { holdsRights: true }));

    expect(decision).toMatchObject({ ok: true, source: { personId: 'A' }, target: { personId: 'B' } });
  });

  it.each([
    ['memberships or grants', { holdsRights: true }],
    ['a native account', { hasNativeAccount: true }],
    ['an open BIS request', { hasOpenBisRequest: true }],
  ])('joins the confirmer into the initiator when the initiator has %s', (_what, initiator) => {
    const decision = decideJoin(person('A', initiator), person('B'));

    expect(decision).toMatchObject({ ok: true, source: { personId: 'B' }, target: { personId: 'A' } });
  });

  it.each([
    ['the same person', person('A'), person('A'), 'same-person'],
    ['two national numbers', person('A', { insz: '1' }), person('B', { insz: '2' }), 'different-numbers'],
    ['other birth dates', person('A'), person('B', { birthDate: '1964-08-13' }), 'different-birth-dates'],
    [
      'an unknown birth date',
      person('A', { birthDate: '' }),
      person('B', { birthDate: '' }),
      'different-birth-dates',
    ],
    ['a suspended initiator', person('A', { suspended: true }), person('B'), 'suspended'],
    ['a suspended confirmer', person('A'), person('B', { suspended: true }), 'suspended'],
    [
      'rights on both',
      person('A', { holdsRights: true }),
      person('B', { hasNativeAccount: true }),
      'no-source',
    ],
  ])('refuses %s', (_what, initiator, confirmer, refusal) => {
    expect(decideJoin(initiator, confirmer)).toEqual({ ok: false, refusal });
  });
});
