import { describe, expect, it } from 'vitest';
import {
  noticeData,
  noticeMailKey,
  noticeTemplate,
  type PendingNotice,
  recipientsOf,
} from '#identity/notices/send-notices';
import { mailTemplates, renderTemplate } from '#shared/mail/render';
import { MAILED_ACTIVITY_EVENTS } from '#shared/person-activity';

const notice = (overrides: Partial<PendingNotice> = {}): PendingNotice => ({
  noticeId: '01JZNOTICE0000000000000001',
  personId: '01JZ0000000000000000000001',
  event: 'join-refused',
  createdAt: '2026-03-01T10:00:00.000Z',
  data: { provider: 'eidas', date: '2026-03-01' },
  attempts: 0,
  ...overrides,
});

describe('identity notices', () => {
  it.each(MAILED_ACTIVITY_EVENTS)('renders %s in every locale from the data a notice carries', (event) => {
    const template = noticeTemplate(event);
    for (const locale of ['nl', 'fr', 'de', 'en'] as const) {
      const data = noticeData(
        template,
        notice({ event, data: { reference: 'REF', date: '2026-03-01' } }),
        locale,
      );

      expect(Object.keys(data).sort()).toEqual([...mailTemplates[template].variables].sort());
      expect(renderTemplate(template, locale, data as never).text).toContain('2026-03-01');
    }
  });

  it('carries the role and its last day the grant wrote into the role-granted mail', () => {
    const granted = notice({
      event: 'role-granted',
      data: {
        reference: '0712459852',
        organisationName: 'Bouwbedrijf Peeters',
        roleName: 'KLIP-beheerder',
        validUntil: '2027-06-30',
        date: '2026-12-07',
      },
    });

    const data = noticeData('identity-role-granted', granted, 'nl');
    const text = renderTemplate('identity-role-granted', 'nl', data as never).text;

    expect(data).toMatchObject({ roleName: 'KLIP-beheerder', validUntil: '2027-06-30' });
    expect(text).toContain('„KLIP-beheerder”');
    expect(text).toContain('geldig tot 2027-06-30');
  });

  it('names the provider in the reader’s language and falls back when the notice has none', () => {
    expect(noticeData('identity-join-refused', notice(), 'fr').provider).toBe('eIDAS');
    expect(noticeData('identity-join-refused', notice({ data: { provider: 'native' } }), 'nl').provider).toBe(
      'een gebruikersnaam en wachtwoord',
    );
    expect(noticeData('identity-join-refused', notice({ data: {} }), 'de')).toEqual({
      date: '2026-03-01',
      provider: 'eine andere Anmeldung',
    });
  });

  it('mails each valid address once, case-insensitively, and skips invalid ones', () => {
    expect(
      recipientsOf([
        { email: 'Jan.Peeters@example.be', locale: 'nl' },
        { email: 'jan.peeters@example.be', locale: 'fr' },
        { email: 'not an address', locale: 'de' },
        { email: ' lotte@example.be ', locale: undefined },
      ]),
    ).toEqual([
      { email: 'Jan.Peeters@example.be', locale: 'nl' },
      { email: 'lotte@example.be', locale: undefined },
    ]);
  });

  it('keys each mail by notice and a hash of the address, never the address itself', () => {
    const key = noticeMailKey('01JZNOTICE0000000000000001', 'Jan.Peeters@example.be');

    expect(key).toMatch(/^notice:01JZNOTICE0000000000000001:[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain('example');
    expect(noticeMailKey('01JZNOTICE0000000000000001', 'jan.peeters@example.be')).toBe(key);
  });
});
