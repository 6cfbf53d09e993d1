import { describe, expect, it } from 'vitest';
import { claimsOf, decodeJwtPayload, listClaim, parseRoleClaim } from '../../../portal/src/auth/claims.ts';
import {
  authorizeUrl,
  codeGrantBody,
  logoutUrl,
  parseTokenResponse,
  refreshGrantBody,
  TokenResponseError,
} from '../../../portal/src/auth/oauth.ts';
import {
  base64Url,
  codeChallengeS256,
  createCodeVerifier,
  randomToken,
} from '../../../portal/src/auth/pkce.ts';

/** An unsigned JWT with this payload (the portal never verifies signatures: the API does). */
const jwt = (payload: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('portal PKCE', () => {
  it('computes the RFC 7636 appendix B challenge when given its verifier', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates verifiers of the unreserved alphabet and the requested length', () => {
    for (const length of [43, 64, 128]) {
      const verifier = createCodeVerifier(length);
      expect(verifier).toMatch(/^[A-Za-z0-9._~-]+$/);
      expect(verifier).toHaveLength(length);
    }
    expect(createCodeVerifier()).not.toBe(createCodeVerifier());
  });

  it.each([42, 129, 50.5])('refuses a verifier length of %s', (length) => {
    expect(() => createCodeVerifier(length)).toThrow(RangeError);
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64Url(new Uint8Array([1]))).toBe('AQ');
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('portal OAuth requests', () => {
  it('asks for the code flow with PKCE S256 and the portal scopes when building the authorize URL', () => {
    const url = new URL(
      authorizeUrl({
        authBaseUrl: 'https://eid.auth.eu-west-1.amazoncognito.com',
        clientId: 'client-1',
        redirectUri: 'https://portal.example/auth/callback',
        state: 'state-1',
        nonce: 'nonce-1',
        codeChallenge: 'challenge-1',
        identityProvider: 'eIDAS',
        lang: 'fr',
      }),
    );

    expect(url.origin + url.pathname).toBe('https://eid.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://portal.example/auth/callback',
      scope: 'openid profile email phone eid-access/api',
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: 'challenge-1',
      code_challenge_method: 'S256',
      identity_provider: 'eIDAS',
      lang: 'fr',
    });
  });

  it('sends the verifier and no secret when redeeming a code', () => {
    const body = codeGrantBody({
      clientId: 'c',
      redirectUri: 'https://p/auth/callback',
      code: 'k',
      codeVerifier: 'v',
    });

    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'c',
      redirect_uri: 'https://p/auth/callback',
      code: 'k',
      code_verifier: 'v',
    });
    expect(Object.fromEntries(refreshGrantBody({ clientId: 'c', refreshToken: 'r' }))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'c',
      refresh_token: 'r',
    });
  });

  it('keeps the previous refresh token when a refresh answer has none', () => {
    const tokens = parseTokenResponse(
      { id_token: 'id', access_token: 'at', expires_in: 900 },
      1_000,
      'old-refresh',
    );

    expect(tokens).toEqual({
      idToken: 'id',
      accessToken: 'at',
      refreshToken: 'old-refresh',
      expiresAt: 901_000,
    });
  });

  it('throws the OAuth error description when the token endpoint refuses', () => {
    expect(() =>
      parseTokenResponse({ error: 'invalid_grant', error_description: 'Invalid code.' }, 0),
    ).toThrow(new TokenResponseError('Invalid code.'));
    expect(() => parseTokenResponse({ access_token: 'only' }, 0)).toThrow(TokenResponseError);
  });

  it('names a registered logout URI when building the logout URL', () => {
    const url = new URL(
      logoutUrl({ authBaseUrl: 'http://127.0.0.1:3000', clientId: 'c', logoutUri: 'http://127.0.0.1:3000/' }),
    );

    expect(url.pathname).toBe('/logout');
    expect(url.searchParams.get('logout_uri')).toBe('http://127.0.0.1:3000/');
  });
});

describe('portal claims', () => {
  it('reads person, groups, admin_of, roles and insz when the ID token carries them', () => {
    const claims = claimsOf(
      jwt({
        sub: 'sub-1',
        person_id: 'P1',
        given_name: 'Anna',
        family_name: 'Peeters',
        insz: '85073003328',
        'cognito:groups': ['bis-agents'],
        admin_of: ['0403019261'],
        roles: ['KLIP:planaanvrager:0403019261'],
        exp: 1_900_000_000,
      }),
    );

    expect(claims).toEqual({
      personId: 'P1',
      givenName: 'Anna',
      familyName: 'Peeters',
      insz: '85073003328',
      groups: ['bis-agents'],
      adminOf: ['0403019261'],
      roles: ['KLIP:planaanvrager:0403019261'],
      exp: 1_900_000_000,
    });
  });

  it('reads the capacity (org and org_name) when the token acts for an organisation', () => {
    const claims = claimsOf(
      jwt({ person_id: 'P1', org: '0403019261', org_name: 'Peeters BV', admin_of: ['0403019261'] }),
    );

    expect(claims).toMatchObject({ org: '0403019261', orgName: 'Peeters BV', adminOf: ['0403019261'] });
  });

  it('reads no capacity for a private person, and no name without an organisation', () => {
    expect(claimsOf(jwt({ person_id: 'P1', org_name: 'Stray BV' }))).not.toHaveProperty('orgName');
    expect(claimsOf(jwt({ person_id: 'P1' }))).not.toHaveProperty('org');
  });

  it('falls back to sub and empty lists when platform claims are absent', () => {
    expect(claimsOf(jwt({ sub: 'sub-2' }))).toEqual({
      personId: 'sub-2',
      groups: [],
      adminOf: [],
      roles: [],
    });
  });

  it('decodes UTF-8 names in the payload', () => {
    expect(decodeJwtPayload(jwt({ given_name: 'Zoë Ἀθηνᾶ' })).given_name).toBe('Zoë Ἀθηνᾶ');
  });

  it('accepts list claims as arrays, JSON text or space-separated text', () => {
    expect(listClaim(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(listClaim('["a","b"]')).toEqual(['a', 'b']);
    expect(listClaim('a b,c')).toEqual(['a', 'b', 'c']);
    expect(listClaim('[broken')).toEqual([]);
    expect(listClaim(undefined)).toEqual([]);
  });

  it('splits a role claim into application, role and organisation', () => {
    expect(parseRoleClaim('KLIP:klb-beheerder:0403019261')).toEqual({
      application: 'KLIP',
      role: 'klb-beheerder',
      orgCode: '0403019261',
    });
    expect(parseRoleClaim('KLIP:planaanvrager')).toBeUndefined();
    expect(parseRoleClaim('a:b:c:d')).toBeUndefined();
  });
});
