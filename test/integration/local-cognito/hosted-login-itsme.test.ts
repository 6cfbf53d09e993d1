import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostedLoginUrls, LocalCognito } from '#local/cognito/index';
import { BE_NATIONAL_NUMBER_CLAIM, LocalItsme } from '#local/identity-providers/itsme';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { uniqueNationalNumber } from '#test/helpers/unique-ids';
import { POOL_ID, PORTAL, realTriggers } from './harness.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const REDIRECT_URI = PORTAL.callbackUrls[0] as string;

let table: TestTable;
let server: Server;
let base: string;
let pool: LocalCognito;
let itsme: LocalItsme;

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
  itsme = await LocalItsme.create({
    issuer: `${base}/local/itsme`,
    clientId: 'cognito-itsme-client',
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUris: [hostedLoginUrls(base).oidcRedirectUri],
    serviceCode: 'EIDACCESS_LOGIN',
  });
  pool = await LocalCognito.create({
    issuerBaseUrl: base,
    poolId: POOL_ID,
    clients: [PORTAL],
    triggers: await realTriggers(table),
    identityProviders: { itsme: itsme.client() },
  });
  handlers = [pool.handler, itsme.handler];
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await table.dispose();
});

/** A browser with a cookie jar: follows redirects until `stop(url)` or a non-redirect response. */
async function browse(
  start: string,
  jar: Map<string, string>,
  init: RequestInit = {},
): Promise<{ url: URL; response: Response }> {
  let url = new URL(start);
  let request = init;
  for (let hop = 0; hop < 12; hop += 1) {
    const response = await fetch(url, {
      ...request,
      redirect: 'manual',
      headers: {
        ...(request.headers as Record<string, string> | undefined),
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', value = ''] = pair.split('=', 2);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    const location = response.headers.get('location');
    if (!location || new URL(location, url).href.startsWith(REDIRECT_URI)) {
      return { url: location ? new URL(location, url) : url, response };
    }
    await response.arrayBuffer();
    url = new URL(location, url);
    request = {};
  }
  throw new Error('too many redirects');
}

describe('local managed login with the local itsme', () => {
  it('logs an itsme person in through the itsme page and puts the national number in the ID token only', async () => {
    await realTriggers(table);
    const { insz, birthDate } = uniqueNationalNumber();
    const { sub } = itsme.registerAccount({
      given_name: 'Lotte',
      family_name: 'Claes',
      birthdate: birthDate,
      [BE_NATIONAL_NUMBER_CLAIM]: insz,
    });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL('/oauth2/authorize', base);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: PORTAL.clientId,
      redirect_uri: REDIRECT_URI,
      state: 'st-itsme',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      identity_provider: 'itsme',
    }).toString();
    const jar = new Map<string, string>();

    const page = await browse(authorize.href, jar);
    const html = await page.response.text();
    const action = /<form method="post" action="([^"]+\/login)">\s*<input type="hidden" name="account"/.exec(
      html,
    )?.[1];
    const back = await browse(new URL(action as string, base).href, jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ account: sub }),
    });
    const tokenResponse = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: PORTAL.clientId,
        redirect_uri: REDIRECT_URI,
        code: back.url.searchParams.get('code') ?? '',
        code_verifier: verifier,
      }),
    });
    const body = (await tokenResponse.json()) as Record<string, string>;

    expect(page.response.status).toBe(200);
    expect(back.url.searchParams.get('state')).toBe('st-itsme');
    expect(tokenResponse.status).toBe(200);
    const id = await pool.verifyToken(body.id_token as string, { tokenUse: 'id' });
    const access = await pool.verifyToken(body.access_token as string, { tokenUse: 'access' });
    expect(id).toMatchObject({ 'cognito:username': `itsme_${sub}`, idp: 'itsme', loa: 'high', insz });
    expect(access).not.toHaveProperty('insz');
    expect(access.person_id).toBe(id.person_id);
    expect(pool.getUser(`itsme_${sub}`)?.attributes['custom:national_number']).toBe(insz);
  });
});
