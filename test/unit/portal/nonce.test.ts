import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginError, Session } from '../../../portal/src/auth/session.ts';
import type { PortalConfig } from '../../../portal/src/config.ts';

const config: PortalConfig = {
  apiBaseUrl: 'https://api.example',
  authBaseUrl: 'https://auth.example',
  clientId: 'portal-client',
  redirectUri: 'https://portal.example/auth/callback',
  languages: ['en'],
  authority: { name: 'eID Access', email: 'helpdesk@example.invalid' },
  returnUrls: [],
};

/** An unsigned JWT with these claims (the portal does not verify signatures; the API does). */
function idToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ sub: 'u1', person_id: 'p1', ...claims })}.sig`;
}

/** Starts a login in a fake browser and returns the nonce and state it sent to the managed login. */
async function startLogin(session: Session): Promise<{ nonce: string; state: string }> {
  await session.login({ returnTo: '/profile' });
  const url = new URL(vi.mocked(window.location.assign).mock.calls.at(-1)?.[0] as string);
  return { nonce: url.searchParams.get('nonce') ?? '', state: url.searchParams.get('state') ?? '' };
}

function tokenEndpointAnswers(token: string): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify({ id_token: token, access_token: 'at', expires_in: 3600 })),
    ),
  );
}

describe('portal login callback nonce (OIDC Core 3.1.3.7)', () => {
  beforeEach(() => {
    const store = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    });
    vi.stubGlobal('window', { location: { assign: vi.fn(), origin: 'https://portal.example' } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('signs in when the ID token carries the nonce this login sent', async () => {
    const session = new Session(config);
    const { nonce, state } = await startLogin(session);
    tokenEndpointAnswers(idToken({ nonce }));

    await expect(session.completeLogin(new URLSearchParams({ code: 'c', state }))).resolves.toBe('/profile');
    expect(session.signedIn).toBe(true);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['another nonce', { nonce: 'someone-elses-nonce' }],
    ['no nonce', {}],
    ['a nonce that is not a string', { nonce: 42 }],
  ])('refuses the callback and keeps no tokens when the ID token carries %s', async (_label, claims) => {
    const session = new Session(config);
    const { state } = await startLogin(session);
    tokenEndpointAnswers(idToken(claims));

    const failure = session.completeLogin(new URLSearchParams({ code: 'c', state }));
    await expect(failure).rejects.toBeInstanceOf(LoginError);
    await expect(failure).rejects.toMatchObject({ reason: 'nonce' });
    expect(session.signedIn).toBe(false);
    expect(sessionStorage.getItem('eid-access.tokens')).toBeNull();
  });

  it('sends a fresh nonce with every login', async () => {
    const session = new Session(config);
    const first = await startLogin(session);
    const second = await startLogin(session);
    expect(first.nonce).not.toBe(second.nonce);
  });
});
