import { describe, expect, it } from 'vitest';
import { isInternalPath, matchRoute, pathFor, ROUTES } from '../../../portal/src/router.ts';

/** Paths the sandbox serves from the API on the same origin (ARCHITECTURE.md section 3 and 6). */
const API_PREFIXES = [
  '/me',
  '/bis-registrations',
  '/agent/bis-registrations',
  '/organisations',
  '/uploads',
  '/security/foreign-registrations',
  '/applications',
  '/local',
  '/oauth2',
  '/saml2',
  '/logout',
];

describe('portal router', () => {
  it.each([
    ['/', 'home', {}],
    ['/auth/callback?code=x&state=y', 'callback', {}],
    ['/profile/', 'profile', {}],
    ['/bis/01JAAAAAAAAAAAAAAAAAAAAAAA', 'bisStatus', { registrationId: '01JAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['/org/0403019261/inbox', 'inbox', { orgCode: '0403019261' }],
    ['/org/FOREIGN-DE-HRB12345', 'organisation', { orgCode: 'FOREIGN-DE-HRB12345' }],
    ['/agent/review/01J', 'agentReview', { registrationId: '01J' }],
    ['/request?org=0403019261&app=KLIP&role=planaanvrager', 'request', {}],
  ])('matches %s to %s', (url, name, params) => {
    const match = matchRoute(url);

    expect(match.name).toBe(name);
    expect(match.params).toEqual(params);
  });

  it('keeps the query when a self-registration link is opened', () => {
    const { query } = matchRoute('/request?org=0403019261&app=KLIP&role=planaanvrager');

    expect(Object.fromEntries(query)).toEqual({ org: '0403019261', app: 'KLIP', role: 'planaanvrager' });
  });

  it('answers notFound for unknown paths and malformed encodings', () => {
    expect(matchRoute('/nope').name).toBe('notFound');
    expect(matchRoute('/org/%E0%A4%A/inbox').name).toBe('notFound');
    expect(matchRoute('/org/0403019261/inbox/extra').name).toBe('notFound');
  });

  it('builds paths with encoded parameters and a query when asked', () => {
    expect(pathFor('members', { orgCode: 'A/B' })).toBe('/org/A%2FB/members');
    expect(pathFor('request', {}, { org: '0403019261', app: 'KLIP', role: undefined })).toBe(
      '/request?org=0403019261&app=KLIP',
    );
    expect(() => pathFor('inbox')).toThrow(/orgCode/);
  });

  it('round-trips every route through pathFor and matchRoute', () => {
    for (const name of Object.keys(ROUTES) as (keyof typeof ROUTES)[]) {
      const params = { orgCode: '0403019261', registrationId: '01JAAAAAAAAAAAAAAAAAAAAAAA' };
      expect(matchRoute(pathFor(name, params)).name).toBe(name);
    }
  });

  it('never claims a path the API serves on the same origin', () => {
    for (const pattern of Object.values(ROUTES)) {
      const literal = pattern.replace(/:\w+/g, 'x');
      for (const prefix of API_PREFIXES) {
        expect(literal === prefix || literal.startsWith(`${prefix}/`), `${pattern} vs ${prefix}`).toBe(false);
      }
    }
  });

  it('treats only same-origin absolute paths as internal', () => {
    expect(isInternalPath('/profile')).toBe(true);
    expect(isInternalPath('//evil.example/x')).toBe(false);
    expect(isInternalPath('/\\evil.example')).toBe(false);
    expect(isInternalPath('https://evil.example/')).toBe(false);
  });
});
