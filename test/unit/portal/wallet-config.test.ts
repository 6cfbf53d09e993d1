import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../portal/src/config.ts';

const BASE = {
  apiBaseUrl: 'https://api.example/prod',
  authBaseUrl: 'https://login.example',
  clientId: 'portal-client',
  redirectUri: 'https://portal.example/auth/callback',
};

describe('portal config: the wallet button', () => {
  it('offers the EU Digital Identity Wallet when the stage names EUDIWallet', () => {
    const config = parseConfig({ ...BASE, identityProviders: ['eIDAS', 'itsme', 'EUDIWallet'] });
    expect(config.identityProviders).toContain('EUDIWallet');
  });

  it('offers no wallet when the stage names none or config.json predates the list', () => {
    expect(parseConfig({ ...BASE, identityProviders: ['eIDAS', 'itsme'] }).identityProviders).not.toContain(
      'EUDIWallet',
    );
    expect(parseConfig(BASE).identityProviders).toEqual(['eIDAS', 'itsme']);
  });

  it('drops entries that are not provider names', () => {
    expect(parseConfig({ ...BASE, identityProviders: ['EUDIWallet', 42, null] }).identityProviders).toEqual([
      'EUDIWallet',
    ]);
  });
});
