import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from '../../../portal/src/auth/session.ts';
import type { PortalConfig } from '../../../portal/src/config.ts';

const config: PortalConfig = {
  apiBaseUrl: 'https://api.example',
  authBaseUrl: 'https://auth.example',
  clientId: 'portal-client',
  nativeClientId: 'portal-native-client',
  cognitoIdpEndpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
  userPoolId: 'eu-west-1_AbC123',
  redirectUri: 'https://portal.example/auth/callback',
  languages: ['en'],
  authority: { name: 'eID Access', email: 'helpdesk@example.invalid' },
  returnUrls: [],
};

function idToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ sub: 'u1', person_id: 'p1', ...claims })}.sig`;
}

describe('portal session of a native login', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    const store = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    });
    vi.stubGlobal('window', { location: { assign: vi.fn(), origin: 'https://portal.example' } });
    fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            AuthenticationResult: {
              IdToken: idToken({ idp: 'native', n: 2 }),
              AccessToken: 'at2',
              RefreshToken: 'rt2',
              ExpiresIn: 900,
            },
          }),
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('refreshes native tokens with the native client at Cognito, never the federated client', async () => {
    const session = new Session(config);
    session.completeNativeLogin({
      idToken: idToken({ idp: 'native', n: 1 }),
      accessToken: 'at1',
      refreshToken: 'rt',
      expiresAt: Date.now() - 1,
      source: 'native',
    });

    const refreshed = await session.idToken();

    expect(refreshed).toBe(idToken({ idp: 'native', n: 2 }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(config.cognitoIdpEndpoint);
    // The native client rotates refresh tokens: REFRESH_TOKEN_AUTH is refused there.
    expect(new Headers(init.headers).get('x-amz-target')).toBe(
      'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
    );
    expect(JSON.parse(String(init.body))).toEqual({ ClientId: 'portal-native-client', RefreshToken: 'rt' });
  });

  it('keeps the rotated refresh token of a refresh and sends it at the next refresh', async () => {
    const session = new Session(config);
    session.completeNativeLogin({
      idToken: idToken({ idp: 'native', n: 1 }),
      accessToken: 'at1',
      refreshToken: 'rt',
      expiresAt: Date.now() - 1,
      source: 'native',
    });

    await session.idToken();
    await session.idToken({ forceRefresh: true });

    const bodies = fetchMock.mock.calls.map(([, init]) => JSON.parse(String((init as RequestInit).body)));
    expect(bodies.map((body) => body.RefreshToken)).toEqual(['rt', 'rt2']);
    expect(JSON.parse(String(sessionStorage.getItem('eid-access.tokens')))).toMatchObject({
      refreshToken: 'rt2',
    });
  });

  it('hands out the access token, not the ID token, for the API, refreshed when expired', async () => {
    const session = new Session(config);
    session.completeNativeLogin({
      idToken: idToken({ idp: 'native', n: 1 }),
      accessToken: 'at1',
      refreshToken: 'rt',
      expiresAt: Date.now() - 1,
      source: 'native',
    });

    await expect(session.accessToken()).resolves.toBe('at2');
  });

  it('ends a native session it cannot refresh when the config names no native client', async () => {
    const { nativeClientId: _none, ...withoutNative } = config;
    const session = new Session(withoutNative);
    session.completeNativeLogin({
      idToken: idToken({ idp: 'native' }),
      accessToken: 'at1',
      refreshToken: 'rt',
      expiresAt: Date.now() - 1,
      source: 'native',
    });

    await expect(session.idToken()).resolves.toBeUndefined();
    expect(session.signedIn).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
