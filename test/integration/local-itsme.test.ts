import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRemoteJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BE_NATIONAL_NUMBER_CLAIM,
  ItsmeLoginError,
  LocalItsme,
  LocalItsmeClient,
  type ProviderFetch,
} from '#local/identity-providers/itsme';
import { ValidationError } from '#shared/errors';

const CLIENT_ID = 'cognito-itsme-client';
const CLIENT_SECRET = 'local-itsme-secret-0123456789';
const SERVICE_CODE = 'EIDACCESS_LOGIN';

let server: Server;
let itsme: LocalItsme;
let origin: string;
let issuer: string;
let redirectUri: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    itsme.handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not the provider');
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}/local/itsme`;
  redirectUri = `${origin}/oauth2/idpresponse`;
  itsme = await LocalItsme.create({
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [redirectUri],
    serviceCode: SERVICE_CODE,
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

/** A fresh test identity; unique national numbers keep the tests independent. */
let serial = 100;
function identity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 2;
  const sequence = String(serial).padStart(3, '0');
  const base = `850730${sequence}`;
  const check = String(97 - (Number(base) % 97)).padStart(2, '0');
  return {
    given_name: 'Jan Pieter',
    family_name: 'Peeters',
    birthdate: '1985-07-30',
    gender: 'male',
    locale: 'nl',
    email: 'jan.peeters@example.be',
    phone_number: '+32470123456',
    address: { street_address: 'Wetstraat 16', postal_code: '1000', locality: 'Brussel', country: 'BE' },
    [BE_NATIONAL_NUMBER_CLAIM]: `${base}${check}`,
    ...overrides,
  };
}

/** A relying party whose token responses are rewritten by `rewrite` (the JWKS by `jwks`). */
function interceptingClient(rewrite: {
  idToken?: (idToken: string) => Promise<string>;
  jwks?: () => Promise<unknown>;
}): LocalItsmeClient {
  const intercept: ProviderFetch = async (url, options) => {
    if (rewrite.jwks && url === `${issuer}/jwks`) return Response.json(await rewrite.jwks());
    const response = await fetch(url, options as RequestInit);
    if (!rewrite.idToken || url !== `${issuer}/token` || !response.ok) return response;
    const body = (await response.json()) as { id_token: string };
    return Response.json({ ...body, id_token: await rewrite.idToken(body.id_token) });
  };
  return itsme.client({ fetch: intercept });
}

/** Follows redirects by hand with the cookies a browser would keep; returns the last response. */
async function browse(
  start: URL | string,
  jar: Map<string, string>,
): Promise<{ url: URL; response: Response }> {
  let url = new URL(start);
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', value = ''] = pair.split('=', 2);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    const location = response.headers.get('location');
    if (!location || new URL(location, url).pathname === '/oauth2/idpresponse') {
      return { url: location ? new URL(location, url) : url, response };
    }
    await response.arrayBuffer();
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}

describe('LocalItsme discovery', () => {
  it('publishes itsme-like metadata under the issuer path when asked for the discovery document', async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      acr_values_supported: [
        'http://itsme.services/v2/claim/acr_basic',
        'http://itsme.services/v2/claim/acr_advanced',
      ],
    });
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining([
        'openid',
        `service:${SERVICE_CODE}`,
        'profile',
        'email',
        'phone',
        'address',
        'eid',
      ]),
    );
    expect(metadata.claims_supported).toContain(BE_NATIONAL_NUMBER_CLAIM);
  });

  it('publishes only the public half of the signing key when asked for the JWKS', async () => {
    const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: itsme.publicJwk.kid });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('leaves requests alone when they are outside the issuer path', async () => {
    const outside = await fetch(`${origin}/local/itsmeish/.well-known/openid-configuration`);
    const root = await fetch(`${origin}/.well-known/openid-configuration`);

    expect(outside.status).toBe(404);
    expect(await outside.text()).toBe('not the provider');
    expect(root.status).toBe(404);
  });
});

describe('LocalItsme.federate', () => {
  it('returns the Cognito username and mapped custom attributes when the login succeeds', async () => {
    const claims = identity();

    const login = await itsme.federate(claims);

    expect(login.userName).toBe(`itsme_${login.subject}`);
    expect(login.attributes).toEqual({
      'custom:given_name': 'Jan Pieter',
      'custom:family_name': 'Peeters',
      'custom:birth_date': '1985-07-30',
      'custom:gender': 'male',
      'custom:locale': 'nl',
      'custom:email': 'jan.peeters@example.be',
      'custom:phone': '+32470123456',
      'custom:address': JSON.stringify(claims.address),
      'custom:national_number': claims[BE_NATIONAL_NUMBER_CLAIM],
    });
  });

  it('issues an ID token signed with the published key and carrying the claims when the login succeeds', async () => {
    const claims = identity();

    const login = await itsme.federate(claims);
    const { payload, protectedHeader } = await jwtVerify(
      login.idToken,
      createRemoteJWKSet(new URL(`${issuer}/jwks`)),
      {
        issuer,
        audience: CLIENT_ID,
      },
    );

    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: itsme.publicJwk.kid });
    expect(payload).toMatchObject({
      sub: login.subject,
      acr: 'http://itsme.services/v2/claim/acr_basic',
      given_name: 'Jan Pieter',
      [BE_NATIONAL_NUMBER_CLAIM]: claims[BE_NATIONAL_NUMBER_CLAIM],
    });
  });

  it('keeps the subject when the same person logs in again', async () => {
    const claims = identity();

    const first = await itsme.federate(claims);
    const second = await itsme.federate({ ...claims, family_name: 'Peeters-Janssens' });

    expect(second.subject).toBe(first.subject);
    expect(second.userName).toBe(first.userName);
    expect(second.attributes['custom:family_name']).toBe('Peeters-Janssens');
  });

  it('gives another username when the caller pins a different sub (re-created itsme account)', async () => {
    const claims = identity();
    const first = await itsme.federate(claims);

    const recreated = await itsme.federate({ ...claims, sub: 'recreated-account-0001' });

    expect(recreated.subject).toBe('recreated-account-0001');
    expect(recreated.userName).toBe('itsme_recreated-account-0001');
    expect(recreated.userName).not.toBe(first.userName);
    expect(recreated.attributes['custom:national_number']).toBe(first.attributes['custom:national_number']);
  });

  it('reports the acr the person confirmed with when advanced is requested', async () => {
    const login = await itsme.federate(identity(), { acr: 'advanced' });

    expect(login.claims.acr).toBe('http://itsme.services/v2/claim/acr_advanced');
  });

  it('maps only the claims that are present when the identity has no national number or address', async () => {
    const { sub } = itsme.registerAccount({
      given_name: 'Anna',
      family_name: 'Müller',
      birthdate: '1990-02-01',
    });

    const login = await itsme.federate({
      sub,
      given_name: 'Anna',
      family_name: 'Müller',
      birthdate: '1990-02-01',
    });

    expect(login.attributes).toEqual({
      'custom:given_name': 'Anna',
      'custom:family_name': 'Müller',
      'custom:birth_date': '1990-02-01',
    });
  });

  it('refuses the login like Cognito when a mapped value is longer than 2048 characters', async () => {
    const claims = identity({ address: { street_address: 'x'.repeat(2100), country: 'BE' } });

    const login = itsme.federate(claims);

    await expect(login).rejects.toBeInstanceOf(ItsmeLoginError);
    await expect(login).rejects.toMatchObject({ reason: 'attribute-too-long', status: 401 });
  });

  it('refuses claims that are not itsme claims when an eIDAS attribute is passed', async () => {
    const login = itsme.federate({
      'http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName': 'Jan',
    });

    await expect(login).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('LocalItsmeClient', () => {
  it('is refused at the token endpoint when the client secret is wrong', async () => {
    const client = new LocalItsmeClient({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: 'not-the-secret',
      redirectUri,
      serviceCode: SERVICE_CODE,
    });

    await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
      reason: 'token-request',
      oauthError: 'invalid_client',
    });
  });

  it('is refused at the token endpoint when the authorization code is redeemed twice', async () => {
    const { sub } = itsme.registerAccount(identity());
    const client = itsme.client();
    const start = await client.authorizationUrl({
      state: 'state-replay',
      nonce: 'nonce-replay',
      loginHint: sub,
    });
    const { url: callback } = await browse(start, new Map());
    await client.completeLogin(callback, { state: 'state-replay', nonce: 'nonce-replay' });

    const replay = client.completeLogin(callback, { state: 'state-replay', nonce: 'nonce-replay' });

    await expect(replay).rejects.toMatchObject({ reason: 'token-request', oauthError: 'invalid_grant' });
  });

  it('is refused when the request lacks the service scope of the client', async () => {
    const client = new LocalItsmeClient({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri,
      serviceCode: 'ANOTHER_SERVICE',
    });

    await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
      reason: 'authorization-error',
      oauthError: 'invalid_scope',
    });
  });

  it('refuses the ID token when its payload was tampered with', async () => {
    const client = interceptingClient({
      idToken: async (idToken) => {
        const [header, payload, signature] = idToken.split('.');
        const claims = { ...decodeJwt(idToken), [BE_NATIONAL_NUMBER_CLAIM]: '85073003328' };
        const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
        expect(forged).not.toBe(payload);
        return [header, forged, signature].join('.');
      },
    });

    await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
      reason: 'invalid-response',
      cause: { cause: { message: expect.stringMatching(/signature verification failed/) } },
    });
  });

  describe('with an ID token re-signed by a key the JWKS publishes', () => {
    let privateKey: CryptoKey;
    let jwk: Record<string, unknown>;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    });

    function resigningClient(change: (claims: JWTPayload, now: number) => JWTPayload): LocalItsmeClient {
      return interceptingClient({
        jwks: async () => ({ keys: [jwk] }),
        idToken: async (idToken) =>
          new SignJWT(change(decodeJwt(idToken), Math.floor(Date.now() / 1000)))
            .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
            .sign(privateKey),
      });
    }

    it('accepts it when the token is current (the interception itself is sound)', async () => {
      const client = resigningClient((claims) => claims);

      const login = await itsme.federate(identity(), { client });

      expect(login.userName).toMatch(/^itsme_/);
    });

    it('refuses it when the token has expired', async () => {
      const client = resigningClient((claims, now) => ({ ...claims, iat: now - 7200, exp: now - 3600 }));

      await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
        reason: 'invalid-response',
        cause: { cause: { message: expect.stringMatching(/"exp"/) } },
      });
    });

    it('refuses it when the audience is another client', async () => {
      const client = resigningClient((claims) => ({ ...claims, aud: 'another-client' }));

      await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
        reason: 'invalid-response',
        cause: { cause: { message: expect.stringMatching(/"aud"/) } },
      });
    });

    it('refuses it when the nonce is not the one sent', async () => {
      const client = resigningClient((claims) => ({ ...claims, nonce: 'replayed-nonce' }));

      await expect(itsme.federate(identity(), { client })).rejects.toMatchObject({
        reason: 'invalid-response',
        cause: { cause: { message: expect.stringMatching(/"nonce"/) } },
      });
    });
  });
});

describe('LocalItsme interaction page', () => {
  it('shows the account picker and the new-identity form when no login_hint is sent', async () => {
    itsme.registerAccount(identity({ given_name: 'Picker', family_name: 'Visible' }));
    const client = itsme.client();
    const start = await client.authorizationUrl({ state: 'state-page', nonce: 'nonce-page' });

    const { url, response } = await browse(start, new Map());
    const html = await response.text();

    expect(url.pathname).toMatch(/^\/local\/itsme\/interaction\/[\w-]+$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<title>itsme (local test)</title>');
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<form method="post" action="\/local\/itsme\/interaction\/[\w-]+\/login">/);
    expect(html).toContain('<label for="f-national_number">');
    expect(html).toContain('Approve as Picker Visible');
  });

  it('escapes claim values when it lists the registered accounts', async () => {
    itsme.registerAccount(identity({ given_name: '<script>alert(1)</script>', family_name: 'Escaped' }));
    const start = await itsme.client().authorizationUrl({ state: 'state-escape', nonce: 'nonce-escape' });

    const html = await (await browse(start, new Map())).response.text();

    expect(html).toContain('Approve as &lt;script&gt;alert(1)&lt;/script&gt; Escaped');
    expect(html).not.toContain('<script>');
  });

  it('completes the login with the identity filled in when the form is approved', async () => {
    const client = itsme.client();
    const start = await client.authorizationUrl({ state: 'state-form', nonce: 'nonce-form' });
    const jar = new Map<string, string>();
    const { url: pageUrl } = await browse(start, jar);

    const response = await fetch(`${pageUrl.href}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      },
      body: new URLSearchParams({
        action: 'new',
        national_number: '06070500252',
        given_name: 'Lies',
        family_name: 'Claes',
        birthdate: '2006-07-05',
        locality: 'Gent',
        acr: 'basic',
      }),
    });
    const { url: callback } = await browse(new URL(response.headers.get('location') ?? '', pageUrl), jar);
    const login = await client.completeLogin(callback, { state: 'state-form', nonce: 'nonce-form' });

    expect(response.status).toBe(303);
    expect(login.attributes).toEqual({
      'custom:given_name': 'Lies',
      'custom:family_name': 'Claes',
      'custom:birth_date': '2006-07-05',
      'custom:address': '{"locality":"Gent"}',
      'custom:national_number': '06070500252',
    });
  });

  it('sends the person back with access_denied when they cancel', async () => {
    const client = itsme.client();
    const start = await client.authorizationUrl({ state: 'state-cancel', nonce: 'nonce-cancel' });
    const jar = new Map<string, string>();
    const { url: pageUrl } = await browse(start, jar);

    const response = await fetch(`${pageUrl.href}/abort`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    const { url: callback } = await browse(new URL(response.headers.get('location') ?? '', pageUrl), jar);

    expect(callback.searchParams.get('error')).toBe('access_denied');
    await expect(
      client.completeLogin(callback, { state: 'state-cancel', nonce: 'nonce-cancel' }),
    ).rejects.toMatchObject({ reason: 'authorization-error', oauthError: 'access_denied' });
  });

  it('answers with a problem page when the interaction cookie is missing', async () => {
    const response = await fetch(`${issuer}/interaction/unknown-uid`);

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expired');
  });

  it('refuses a login_hint that names no registered account', async () => {
    const client = itsme.client();
    const start = await client.authorizationUrl({ state: 's', nonce: 'n', loginHint: 'nobody-here' });

    const { url } = await browse(start, new Map());

    expect(url.searchParams.get('error')).toBe('login_required');
  });
});
