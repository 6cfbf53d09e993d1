import { describe, expect, it } from 'vitest';
import { toQueueItemView } from '../../lambdas/bis/registration.ts';
import {
  type ForeignRegistration,
  toForeignQueueItemView,
} from '../../lambdas/organisations/organisation.ts';
import { mixedScripts, scriptMixFlags } from '../../lambdas/shared/lookalikes.ts';

describe('mixed scripts inside one word (UTS #39 restriction levels)', () => {
  it.each([
    ['Ѕiemens AG', ['Latin', 'Cyrillic']],
    ['PayPаl', ['Latin', 'Cyrillic']],
    ['Ωmega Holding', ['Latin', 'Greek']],
    ['Anna Иvanova', ['Latin', 'Cyrillic']],
  ])('flags %s as %j', (text, scripts) => {
    expect(mixedScripts(text)).toEqual(scripts);
  });

  it.each([
    'Siemens AG',
    'Анна Иванова',
    'Ελένη Παπαδοπούλου',
    'Nguyễn Thị Minh Khai',
    'Straße',
    'ＳＯＮＹ株式会社',
    '東京タワー Tokyo',
    'Anna Иванова',
  ])('does not flag %s: one script per word, or an allowed combination', (text) => {
    expect(mixedScripts(text)).toBeUndefined();
  });

  it('names the flagged fields only', () => {
    expect(scriptMixFlags({ name: 'Ѕiemens', city: 'Berlin', street: undefined })).toEqual([
      { field: 'name', scripts: ['Latin', 'Cyrillic'] },
    ]);
  });
});

describe('review queues show the look-alike flag', () => {
  it('flags a foreign registration whose name mixes Latin and Cyrillic in the officer queue', () => {
    const registration = {
      registrationId: '01JZ0000000000000000000001',
      status: 'PENDING_REVIEW',
      name: 'Ѕiemens GmbH',
      country: 'DE',
      registrationNumber: 'HRB 1',
      address: {
        street: 'Hauptstraße',
        houseNumber: '1',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as ForeignRegistration;
    expect(toForeignQueueItemView(registration).scriptMixing).toEqual([
      { field: 'name', scripts: ['Latin', 'Cyrillic'] },
    ]);
    expect(toForeignQueueItemView({ ...registration, name: 'Siemens GmbH' }).scriptMixing).toEqual([]);
  });

  it('flags a BIS request whose family name mixes Latin and Greek in the agent queue', () => {
    const view = toQueueItemView({
      registrationId: '01JZ0000000000000000000002',
      status: 'PENDING_REVIEW',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      round: 1,
      data: {
        givenNames: 'Anna',
        familyName: 'Pοpescu',
        birthDate: '1990-01-01',
        nationality: 'RO',
        placeOfBirth: 'Cluj',
      },
    } as unknown as Parameters<typeof toQueueItemView>[0]);
    expect(view.scriptMixing).toEqual([{ field: 'familyName', scripts: ['Latin', 'Greek'] }]);
  });
});
