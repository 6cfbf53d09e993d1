import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../portal/src/config.ts';

const valid = () => ({
  apiBaseUrl: 'https://api.example/prod/',
  authBaseUrl: 'https://eid.auth.eu-west-1.amazoncognito.com',
  clientId: 'client-1',
  redirectUri: 'https://portal.example/auth/callback',
  languages: ['fr', 'nl', 'xx'],
});

describe('portal runtime configuration', () => {
  it('trims trailing slashes and keeps only known languages when config.json is valid', () => {
    expect(parseConfig(valid())).toEqual({
      apiBaseUrl: 'https://api.example/prod',
      authBaseUrl: 'https://eid.auth.eu-west-1.amazoncognito.com',
      clientId: 'client-1',
      redirectUri: 'https://portal.example/auth/callback',
      languages: ['fr', 'nl'],
      authority: { name: 'eID Access', email: 'helpdesk@example.invalid' },
      returnUrls: [],
      identityProviders: ['eIDAS', 'itsme'],
    });
  });

  it('offers only the identity providers the stage lists', () => {
    expect(parseConfig({ ...valid(), identityProviders: ['itsme', 7] }).identityProviders).toEqual(['itsme']);
  });

  it('keeps the registered callback URLs of the relying applications and drops anything else', () => {
    const config = parseConfig({
      ...valid(),
      returnUrls: ['https://klip.example.be/auth/callback', 'javascript:alert(1)', 'not a url', 42],
    });

    expect(config.returnUrls).toEqual(['https://klip.example.be/auth/callback']);
  });

  it('keeps the operating authority a stage configures and refuses a logo from another origin', () => {
    const authority = {
      name: 'Digitaal Vlaanderen',
      email: 'help@vlaanderen.example',
      phone: '+32 2 553 00 00',
    };

    expect(parseConfig({ ...valid(), authority: { ...authority, logoUrl: '/logo.svg' } }).authority).toEqual({
      ...authority,
      logoUrl: '/logo.svg',
    });
    expect(
      parseConfig({ ...valid(), authority: { ...authority, logoUrl: 'https://evil.example/x.svg' } })
        .authority,
    ).toEqual(authority);
  });

  it('offers nl, fr, en and de when no language is configured', () => {
    expect(parseConfig({ ...valid(), languages: undefined }).languages).toEqual(['nl', 'fr', 'en', 'de']);
  });

  it.each([
    ['a non-object', null],
    ['a missing client id', { ...valid(), clientId: '' }],
    ['a relative API URL', { ...valid(), apiBaseUrl: '/api' }],
    ['a missing redirect URI', { ...valid(), redirectUri: undefined }],
  ])('refuses %s', (_case, input) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
  });
});
