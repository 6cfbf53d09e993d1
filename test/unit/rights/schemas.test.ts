import { describe, expect, it, vi } from 'vitest';
import { auditEntries } from '../../../lambdas/rights/audit-entries.ts';
import { rightDecisionBody, rightRequestBody, validUntilSchema } from '../../../lambdas/rights/routes.ts';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

describe('rights request schemas', () => {
  it('reads a date as "through that day" (UTC) and normalises timestamps with offsets', () => {
    expect(validUntilSchema.parse('2027-01-31')).toBe('2027-02-01T00:00:00.000Z');
    expect(validUntilSchema.parse('2027-01-31T12:00:00+02:00')).toBe('2027-01-31T10:00:00.000Z');
    expect(validUntilSchema.safeParse('2027-02-30').success).toBe(false);
  });

  it('accepts a catalogue role and refuses a role of another application at path role', () => {
    expect(rightRequestBody.safeParse({ application: 'KLIP', role: 'klb-beheerder' }).success).toBe(true);
    const wrong = rightRequestBody.safeParse({ application: 'GIPOD', role: 'klb-beheerder' });

    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['role']);
  });

  it('requires a reason to deny and refuses validUntil on a denial', () => {
    const issues = (body: unknown) =>
      rightDecisionBody.safeParse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

    expect(issues({ decision: 'deny' })).toEqual(['reason']);
    expect(issues({ decision: 'deny', reason: 'no', validUntil: '2030-01-01' })).toEqual(['validUntil']);
    expect(issues({ decision: 'approve' })).toEqual([]);
  });
});

describe('auditEntries', () => {
  it('hands out ascending ids in the order the entries are listed, so newest-first reads them reversed', () => {
    let n = 0;
    const ids = ['01B', '01C', '01A'];
    const entries = auditEntries(
      '0403019261',
      '2026-03-01T10:00:00.000Z',
      [
        { action: 'right-requested', actor: 'p1' },
        { action: 'member-added', actor: 'system' },
        { action: 'right-granted', actor: 'system', details: { grantId: 'g' } },
      ],
      () => ids[n++] ?? 'x',
    );

    expect(entries.map((e) => [e.entryId, e.action])).toEqual([
      ['01A', 'right-requested'],
      ['01B', 'member-added'],
      ['01C', 'right-granted'],
    ]);
    expect(entries[2]).toMatchObject({ orgCode: '0403019261', details: { grantId: 'g' } });
  });
});
