import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FederationResult,
  hostedLoginUrls,
  LocalCognito,
  type OidcIdentityProvider,
} from '#local/cognito/index';
import { LocalEidasFederation } from '#local/identity-providers/eidas/index';
import { itsmeAttributes } from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { itsmeSubject, POOL_ID, PORTAL, realTriggers } from './harness.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const REDIRECT_URI = PORTAL.callbackUrls[0] as string;

/** itsme stand-in: the OIDC plumbing of the managed login, with the login result chosen per code. */
class FakeItsme implements OidcIdentityProvider {
  readonly results = new Map<string, FederationResult>();

  async authorizationUrl(request: { state: string; nonce: string }): Promise<URL> {
    const url = new URL('https://itsme.test/authorize');
    url.searchParams.set('state', request.state);
    url.searchParams.set('nonce', request.nonce);
    return url;
  }

  async completeLogin(callback: URL, checks: { state: string; nonce: string }): Promise<FederationResult> {
    if (callback.searchParams.get('state') !== checks.state) throw new Error('state mismatch');
    const result = this.results.get(callback.searchParams.get('code') ?? '');
    if (!result) throw new Error('unknown code');
    return result;
  }
}

let table: TestTable;
let server: Server;
let base: string;
let pool: LocalCognito;
const itsme = new FakeItsme();

beforeAll(async () => {
  table = await createTestTable();
  let handlers: NodeHandler[] = [];
  server = createServer((req, res) => {
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = hostedLoginUrls(base);
  const eidas = await LocalEidasFederation.create({
    idpBaseUrl: `${base}/local/eidas`,
    userPoolId: POOL_ID,
    acsUrl: urls.samlAcsUrl,
  });
  pool = await LocalCognito.create({
    issuerBaseUrl: base,
    poolId: POOL_ID,
    clients: [PORTAL],
    triggers: await realTriggers(table),
    identityProviders: { eIDAS: eidas.sp, itsme },
  });
  handlers = [pool.handler, eidas.idp.handler];
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await table.dispose();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL('/oauth2/authorize', base);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: PORTAL.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    ...params,
  }).toString();
  return url.href;
}

const get = (url: string) => fetch(url, { redirect: 'manual' });
const postForm = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = (match[2] as string).replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  }
  return fields;
}

/**
 * A browser through the local eIDAS node: authorize → AuthnRequest → country picker → identity form
 * → auto-submitted SAMLResponse to the ACS. Returns the ACS's response (a redirect to the portal).
 */
async function eidasBrowserLogin(options: { state: string; challenge: string; nationality: string }) {
  const toIdp = await get(
    authorizeUrl({
      identity_provider: 'eIDAS',
      state: options.state,
      code_challenge: options.challenge,
      code_challenge_method: 'S256',
      nonce: 'n-0S6_WzA2Mj',
    }),
  );
  expect(toIdp.status).toBe(302);
  const picker = await get(toIdp.headers.get('location') as string);
  expect(picker.status).toBe(200);
  const context = hiddenInputs(await picker.text());
  const authenticated = await postForm(`${base}/local/eidas/sso/authenticate`, {
    ...context,
    country: 'DE',
    identifier: randomUUID().replaceAll('-', ''),
    givenNames: 'Erika',
    familyName: 'Mustermann',
    birthDate: '1964-08-12',
    nationality: options.nationality,
    loa: 'substantial',
  });
  expect(authenticated.status).toBe(200);
  const assertion = hiddenInputs(await authenticated.text());
  return postForm(`${base}/saml2/idpresponse`, assertion);
}

function redeem(form: Record<string, string>) {
  return postForm(`${base}/oauth2/token`, {
    client_id: PORTAL.clientId,
    redirect_uri: REDIRECT_URI,
    ...form,
  });
}

/** A code for a fresh itsme user, through the OIDC callback. */
async function itsmeCode(challenge: string, state = randomUUID()): Promise<string> {
  await realTriggers(table);
  const toIdp = await get(
    authorizeUrl({
      identity_provider: 'itsme',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  const idpState = new URL(toIdp.headers.get('location') as string).searchParams.get('state') as string;
  const idpCode = randomUUID();
  const subject = itsmeSubject();
  itsme.results.set(idpCode, {
    userName: `itsme_${subject}`,
    attributes: itsmeAttributes({ 'custom:national_number': undefined }),
  });
  const back = await get(`${base}/oauth2/idpresponse?code=${idpCode}&state=${encodeURIComponent(idpState)}`);
  const location = new URL(back.headers.get('location') as string);
  expect(location.searchParams.get('state')).toBe(state);
  return location.searchParams.get('code') as string;
}

describe('local managed login (node:http)', () => {
  it('shows a page with an itsme and an eIDAS button when no identity_provider is given', async () => {
    const response = await get(
      authorizeUrl({ state: 'abc', code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
    );

    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<button type="submit" name="identity_provider" value="itsme">itsme/);
    expect(html).toMatch(/<button type="submit" name="identity_provider" value="eIDAS">eIDAS/);
    expect(hiddenInputs(html)).toMatchObject({
      client_id: PORTAL.clientId,
      state: 'abc',
      redirect_uri: REDIRECT_URI,
    });
  });

  it('logs in through the local eIDAS node and exchanges the code with its PKCE verifier', async () => {
    await realTriggers(table);
    const { verifier, challenge } = pkce();

    const back = await eidasBrowserLogin({ state: 'st-1', challenge, nationality: 'DE' });
    const location = new URL(back.headers.get('location') as string);
    const tokenResponse = await redeem({
      grant_type: 'authorization_code',
      code: location.searchParams.get('code') as string,
      code_verifier: verifier,
    });
    const body = (await tokenResponse.json()) as Record<string, unknown>;

    expect(back.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const id = await pool.verifyToken(String(body.id_token), { tokenUse: 'id' });
    const access = await pool.verifyToken(String(body.access_token), { tokenUse: 'access' });
    expect(id).toMatchObject({
      idp: 'eidas',
      loa: 'substantial',
      nonce: 'n-0S6_WzA2Mj',
      aud: PORTAL.clientId,
    });
    expect(String(id['cognito:username'])).toMatch(/^eIDAS_/);
    expect(access.scope).toBe('openid profile');
    expect(typeof body.refresh_token).toBe('string');
  });

  it('issues new tokens without a new refresh token for the refresh_token grant', async () => {
    const { verifier, challenge } = pkce();
    const code = await itsmeCode(challenge);
    const first = (await (
      await redeem({ grant_type: 'authorization_code', code, code_verifier: verifier })
    ).json()) as Record<string, string>;

    await realTriggers(table);
    const response = await redeem({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
    });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).not.toHaveProperty('refresh_token');
    expect(decodeJwt(String(body.id_token)).person_id).toBe(decodeJwt(first.id_token as string).person_id);
  });

  it('answers invalid_grant when the code_verifier does not match the challenge', async () => {
    const code = await itsmeCode(pkce().challenge);

    const response = await redeem({ grant_type: 'authorization_code', code, code_verifier: pkce().verifier });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_grant when a code is redeemed a second time', async () => {
    const { verifier, challenge } = pkce();
    const code = await itsmeCode(challenge);
    const first = await redeem({ grant_type: 'authorization_code', code, code_verifier: verifier });

    const second = await redeem({ grant_type: 'authorization_code', code, code_verifier: verifier });

    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_grant when the redirect_uri differs from the authorization request', async () => {
    const { verifier, challenge } = pkce();
    const code = await itsmeCode(challenge);

    const response = await redeem({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: 'http://127.0.0.1:5173/other',
    });

    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('shows an error page and does not redirect when the redirect_uri is not registered', async () => {
    const response = await get(
      authorizeUrl({
        redirect_uri: 'https://evil.example/steal',
        identity_provider: 'itsme',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('redirect_mismatch');
  });

  it("redirects with Cognito's pre sign-up error when the eIDAS node vouches for a French national", async () => {
    await realTriggers(table);

    const back = await eidasBrowserLogin({ state: 'st-fr', challenge: pkce().challenge, nationality: 'FR' });

    const location = new URL(back.headers.get('location') as string);
    expect(back.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st-fr');
    expect(location.searchParams.get('error_description')).toMatch(/^PreSignUp failed with error .+\. $/);
    expect(location.searchParams.has('code')).toBe(false);
    expect([...location.searchParams.keys()]).toEqual(['error_description', 'state', 'error']);
  });

  it('redirects with invalid_request when the authorization request has no PKCE challenge', async () => {
    const response = await get(authorizeUrl({ identity_provider: 'itsme', state: 'st-2' }));

    const location = new URL(response.headers.get('location') as string);
    expect(response.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st-2');
  });

  it('redirects with invalid_scope when the client asks for a scope it is not allowed', async () => {
    const response = await get(
      authorizeUrl({
        scope: 'openid aws.cognito.signin.user.admin',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
    );

    expect(new URL(response.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_scope',
    );
  });

  it('shows an error page when an IdP answers a login that was not started here', async () => {
    const response = await get(`${base}/oauth2/idpresponse?code=x&state=never-issued`);

    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('serves the same key set at both JWKS paths', async () => {
    const root = await (await get(`${base}/.well-known/jwks.json`)).json();
    const pooled = await (await get(`${base}/${POOL_ID}/.well-known/jwks.json`)).json();

    expect(root).toEqual(pool.jwks());
    expect(pooled).toEqual(root);
  });

  it('redirects to a registered logout_uri and shows an error page for another', async () => {
    const registered = await get(
      `${base}/logout?client_id=${PORTAL.clientId}&logout_uri=${encodeURIComponent(PORTAL.logoutUrls[0] as string)}`,
    );
    const other = await get(
      `${base}/logout?client_id=${PORTAL.clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    );

    expect(registered.status).toBe(302);
    expect(registered.headers.get('location')).toBe(PORTAL.logoutUrls[0]);
    expect(other.status).toBe(400);
    expect(other.headers.get('location')).toBeNull();
  });

  it('answers unsupported_grant_type and invalid_client as OAuth JSON', async () => {
    const grant = await redeem({ grant_type: 'password' });
    const client = await postForm(`${base}/oauth2/token`, {
      grant_type: 'refresh_token',
      client_id: 'nope',
      refresh_token: 'x',
    });

    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect(client.status).toBe(400);
    expect(await client.json()).toMatchObject({ error: 'invalid_client' });
  });
});
