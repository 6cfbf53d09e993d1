import { describe, expect, it, vi } from 'vitest';
import { loadIdentityConfig, loadTableName } from '#identity/config';

describe('loadIdentityConfig', () => {
  it('refuses FR and GB and requires substantial when nothing is configured', () => {
    expect(loadIdentityConfig({})).toEqual({
      refusedNationalities: ['FR', 'GB'],
      minimumEidasLoa: 'substantial',
    });
  });

  it('normalizes a configured list when it has spaces, case and duplicates', () => {
    const config = loadIdentityConfig({ REFUSED_NATIONALITIES: ' fr, GB ,fr,', MINIMUM_EIDAS_LOA: 'High' });

    expect(config).toEqual({ refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'high' });
  });

  it('refuses nobody when the list is empty', () => {
    expect(loadIdentityConfig({ REFUSED_NATIONALITIES: '' }).refusedNationalities).toEqual([]);
  });

  it('fails at cold start when a nationality is not an alpha-2 code', () => {
    expect(() => loadIdentityConfig({ REFUSED_NATIONALITIES: 'FRA' })).toThrow(/alpha-2/);
  });

  it('fails at cold start when the minimum LoA is unknown', () => {
    expect(() => loadIdentityConfig({ MINIMUM_EIDAS_LOA: 'medium' })).toThrow(/MINIMUM_EIDAS_LOA/);
  });
});

describe('loadTableName', () => {
  it('reads TABLE_NAME when it is set', () => {
    vi.stubEnv('TABLE_NAME', 'eid-access-table');

    expect(loadTableName()).toBe('eid-access-table');
  });

  it('fails loudly when TABLE_NAME is missing', () => {
    vi.stubEnv('TABLE_NAME', '');

    expect(() => loadTableName()).toThrow(/TABLE_NAME/);
  });
});
