import { describe, expect, it } from 'vitest';
import { allowedReturnTo } from '../../../portal/src/return-to.ts';

const REGISTERED = ['https://klip.example.be/auth/callback', 'http://localhost:4000/cb/'];

describe('allowedReturnTo', () => {
  it.each([
    ['https://klip.example.be/auth/callback', 'https://klip.example.be/auth/callback'],
    ['https://klip.example.be/auth/callback?state=x#y', 'https://klip.example.be/auth/callback?state=x#y'],
    ['https://klip.example.be/auth/callback/org', 'https://klip.example.be/auth/callback/org'],
    ['HTTPS://KLIP.example.be:443/auth/callback', 'https://klip.example.be/auth/callback'],
    ['http://localhost:4000/cb/', 'http://localhost:4000/cb/'],
  ])('sends the person back to %s when it is a registered callback', (returnTo, expected) => {
    expect(allowedReturnTo(returnTo, REGISTERED)).toBe(expected);
  });

  it.each([
    ['a protocol-relative URL', '//evil.example/auth/callback'],
    ['a backslash URL', '/\\evil.example'],
    ['a relative path', '/auth/callback'],
    ['javascript:', 'javascript:alert(document.domain)'],
    ['JavaScript: with spaces', ' javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['another origin', 'https://evil.example/auth/callback'],
    ['a lookalike host (suffix)', 'https://klip.example.be.evil.example/auth/callback'],
    ['a lookalike host (prefix)', 'https://evilklip.example.be/auth/callback'],
    ['a lookalike host (IDN)', 'https://klip.exаmple.be/auth/callback'],
    ['another scheme', 'http://klip.example.be/auth/callback'],
    ['another port', 'https://klip.example.be:8443/auth/callback'],
    ['credentials before the host', 'https://klip.example.be@evil.example/auth/callback'],
    ['credentials of the registered host', 'https://user:pw@klip.example.be/auth/callback'],
    ['a path that only starts like the callback', 'https://klip.example.be/auth/callbackevil'],
    ['a path that climbs out of the callback', 'https://klip.example.be/auth/callback/../../evil'],
    ['an encoded climb', 'https://klip.example.be/auth/callback/%2e%2e/%2e%2e/evil'],
    ['another path', 'https://klip.example.be/'],
    ['an empty value', ''],
  ])('refuses %s', (_case, returnTo) => {
    expect(allowedReturnTo(returnTo, REGISTERED)).toBeUndefined();
  });

  it('refuses everything when no application registered a callback', () => {
    expect(allowedReturnTo('https://klip.example.be/auth/callback', [])).toBeUndefined();
  });
});
