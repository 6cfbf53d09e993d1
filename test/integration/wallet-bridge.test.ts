/**
 * The wallet bridge end to end over HTTP, on DynamoDB Local: Cognito's side is openid-client
 * (LocalEudiClient), the holder is the local test wallet (written against the specifications with
 * @sd-jwt/core, @animo-id/mdoc's holder side and jose, none of the bridge's code), the PIDs — SD-JWT
 * VC and ISO mdoc — come from the local PID provider.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEudi, WalletLoginRefusedError } from '#local/eudi/index';
import { type HeldCredential, newHolderKey, type OpenedRequest } from '#local/eudi/test-wallet';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';

const BELGIAN_PID = {
  family_name: 'Peeters',
  given_name: 'An',
  birthdate: '1985-07-30',
  issuing_country: 'BE',
  personal_administrative_number: '85073003328',
  nationalities: ['BE'],
  email: 'an.peeters@example.be',
};

let table: TestTable;
let server: Server;
let eudi: LocalEudi;
let redirectUri: string;

beforeAll(async () => {
  table = await createTestTable();
  server = createServer((req, res) => {
    eudi.handler(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUri = `${origin}/oauth2/idpresponse`;
  eudi = new LocalEudi({
    baseUrl: origin,
    redirectUri,
    tableName: table.tableName,
    documentClient: table.documentClient,
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await table?.dispose();
});

async function holdPid(claims: Record<string, unknown> = BELGIAN_PID): Promise<HeldCredential> {
  const holder = newHolderKey();
  const { credential } = await eudi.provider.issue({ claims, holderPublicJwk: holder.publicJwk });
  return { credential, holderKey: holder.privateKey };
}

async function holdMdocPid(claims: Record<string, unknown> = BELGIAN_PID): Promise<HeldCredential> {
  const holder = newHolderKey();
  const { credential } = await eudi.provider.issueMdoc({ claims, holderPublicJwk: holder.publicJwk });
  return { credential, holderKey: holder.privateKey, format: 'mso_mdoc' };
}

/** The refusal Cognito's callback carries after the wallet's answer. */
async function refusalAfter(answer: { body: unknown }): Promise<string | null> {
  const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
  return new URL(completion.headers.get('location') as string).searchParams.get('refusal');
}

/** Cognito starts a login; the browser lands on the authorization page and reads the wallet link. */
async function startLogin() {
  const checks = {
    state: randomBytes(12).toString('base64url'),
    nonce: randomBytes(12).toString('base64url'),
  };
  const start = await fetch(await eudi.client().authorizationUrl(checks), { redirect: 'manual' });
  expect(start.status).toBe(303);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await fetch(start.headers.get('location') as string, { headers: { cookie } });
  const html = await page.text();
  const link = (/id="same-device" href="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
  const request = await eudi.wallet.open(link);
  return { checks, cookie, html, request };
}

async function follow(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });
}

describe('wallet bridge', () => {
  it.each([
    ['an SD-JWT VC', holdPid],
    ['an ISO mdoc', holdMdocPid],
  ])(
    'logs %s PID holder in through Cognito with the PID claims mapped onto the user',
    async (_format, hold) => {
      const { checks, request, html } = await startLogin();
      expect(html).toContain('<svg');
      expect(request.clientId).toMatch(/^x509_hash:/);
      expect(request.responseMode).toBe('direct_post.jwt');

      const answer = await eudi.wallet.respond(request, await hold());
      expect(answer.status).toBe(200);
      const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
      expect(completion.status).toBe(302);
      const login = await eudi
        .client()
        .completeLogin(new URL(completion.headers.get('location') as string), checks);

      expect(login.userName).toBe('EUDIWallet_BE/85073003328');
      expect(login.attributes).toEqual({
        'custom:given_name': 'An',
        'custom:family_name': 'Peeters',
        'custom:birth_date': '1985-07-30',
        'custom:nationality': 'BE',
        'custom:pid_country': 'BE',
        'custom:pid_admin_number': '85073003328',
      });
    },
  );

  it('answers the Digital Credentials API with a dc_api.jwt request for its own origin and takes the page’s post of the answer', async () => {
    const { checks, html, request: linked } = await startLogin();
    const transactionId = linked.state as string;
    expect(html).toContain('id="browser-wallet"');
    const jar = await (
      await fetch(`${eudi.issuer}/request/${transactionId}?response_mode=dc_api.jwt`)
    ).text();
    const origin = new URL(eudi.issuer).origin;
    await expect(eudi.wallet.openDigital(jar, 'https://elsewhere.example')).rejects.toThrow(
      /expected origin/,
    );
    const request = await eudi.wallet.openDigital(jar, origin);
    expect(request).toMatchObject({
      clientId: linked.clientId,
      responseMode: 'dc_api.jwt',
      expectedOrigins: [origin],
    });
    expect(request.responseUri).toBeUndefined();
    expect(request.state).toBeUndefined();
    const { response } = await eudi.wallet.answerDigital(request, await holdPid());
    const post = (body: Record<string, string>) =>
      fetch(`${eudi.issuer}/response/${transactionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });

    // Without state, only as the page's post of a Digital Credentials API answer.
    const asWallet = await post({ response });
    expect(asWallet.status).toBe(400);
    const asPage = await post({ response, dc_api: '1' });
    expect(asPage.status).toBe(200);
    const completion = await follow(((await asPage.json()) as { redirect_uri: string }).redirect_uri);
    const login = await eudi
      .client()
      .completeLogin(new URL(completion.headers.get('location') as string), checks);

    expect(login.userName).toBe('EUDIWallet_BE/85073003328');
  });

  it('refuses a replayed response and keeps the first outcome', async () => {
    const { request } = await startLogin();
    const first = await eudi.wallet.respond(request, await holdPid());
    expect(first.status).toBe(200);

    const replay = await eudi.wallet.post(request, first.response);

    expect(replay.status).toBe(400);
    const status = await fetch(`${eudi.issuer}/status/${request.state}`);
    expect(await status.json()).toEqual({ status: 'verified' });
  });

  it.each([
    ['an SD-JWT VC', holdPid],
    ['an ISO mdoc', holdMdocPid],
  ])(
    'turns away %s presented for another request (foreign nonce), and the login goes on with its own wallet',
    async (_format, hold) => {
      // Prepare: someone who saw this login's request (its QR code) answers it with another request's
      // presentation, or with none bound to a key.
      const other = await startLogin();
      const { checks, request } = await startLogin();
      const held = await hold();

      // Act
      const foreign = await eudi.wallet.respond(request, held, { nonce: other.request.nonce });
      const unbound = await eudi.wallet.respond(request, held, { omitKeyBinding: true });
      const own = await eudi.wallet.respond(request, held);
      const completion = await follow((own.body as { redirect_uri: string }).redirect_uri);
      const callback = new URL(completion.headers.get('location') as string);

      // Assess: the strangers are told why and change nothing; the holder's answer logs in.
      expect(foreign.status).toBe(400);
      expect(foreign.body).toMatchObject({ error: 'invalid_request' });
      expect(unbound.status).toBe(400);
      expect(own.status).toBe(200);
      expect(callback.searchParams.get('code')).toBeTruthy();
      const tokens = await eudi.client().completeLogin(callback, checks);
      expect(tokens).toBeDefined();
    },
  );

  it('refuses a PID without a personal administrative number with the actionable message', async () => {
    const { personal_administrative_number: _omitted, ...withoutNumber } = BELGIAN_PID;
    const error = await eudi.federate(withoutNumber).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WalletLoginRefusedError);
    expect((error as WalletLoginRefusedError).refusal).toBe('no-administrative-number');
    expect((error as Error).message).toMatch(/itsme or eIDAS/);
  });

  it.each([
    ['SD-JWT VC', 'dc+sd-jwt'],
    ['ISO mdoc', 'mso_mdoc'],
  ] as const)('refuses a revoked PID (%s)', async (_name, format) => {
    const holder = newHolderKey();
    const issueRequest = { claims: BELGIAN_PID, holderPublicJwk: holder.publicJwk };
    const issued =
      format === 'mso_mdoc'
        ? await eudi.provider.issueMdoc(issueRequest)
        : await eudi.provider.issue(issueRequest);
    eudi.provider.revoke(issued.statusIndex);
    const { request } = await startLogin();
    const answer = await eudi.wallet.respond(request, {
      credential: issued.credential,
      holderKey: holder.privateKey,
      format,
    });
    const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
    expect(new URL(completion.headers.get('location') as string).searchParams.get('refusal')).toBe('revoked');
  });

  it('shows the refusal on its page in the requested language, with the way back to the application', async () => {
    const { request } = await startLogin();
    await eudi.wallet.respond(request, undefined, { error: 'access_denied' });
    const page = (locale: string) =>
      fetch(`${eudi.issuer}/authorize/${request.state}?ui_locales=${locale}`).then((answer) => answer.text());

    const dutch = await page('nl');
    const german = await page('de');

    expect(dutch).toContain('<html lang="nl">');
    expect(dutch).toContain('Uw wallet heeft de aanvraag niet beantwoord.');
    expect(dutch).toMatch(/id="continue" href="[^"]*complete\?tx=/);
    expect(german).toContain('Ihre Wallet hat die Anfrage nicht beantwortet.');
  });

  it('reports a declined request as a wallet error', async () => {
    const { request } = await startLogin();
    const answer = await eudi.wallet.respond(request, undefined, { error: 'access_denied' });
    const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
    expect(new URL(completion.headers.get('location') as string).searchParams.get('refusal')).toBe(
      'wallet-error',
    );
  });

  it('completes a cross-device login only in the browser that started it', async () => {
    const { cookie, request } = await startLogin();
    await eudi.wallet.respond(request, await holdPid());
    const completeUrl = `${eudi.issuer}/complete?tx=${request.state}`;

    const stranger = await follow(completeUrl);
    const owner = await follow(completeUrl, cookie);

    expect(stranger.status).toBe(403);
    expect(owner.status).toBe(302);
    expect(new URL(owner.headers.get('location') as string).searchParams.get('code')).toBeTruthy();
  });

  it('redeems an authorization code once', async () => {
    const { checks, request } = await startLogin();
    const answer = await eudi.wallet.respond(request, await holdPid());
    const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
    const callback = new URL(completion.headers.get('location') as string);

    await eudi.client().completeLogin(callback, checks);
    const second = await eudi
      .client()
      .completeLogin(callback, checks)
      .catch((caught: unknown) => caught);

    expect(second).toBeInstanceOf(Error);
    expect((second as Error).name).toBe('EudiLoginError');
  });

  it('refuses the token request of a client with a wrong secret', async () => {
    const { request } = await startLogin();
    const answer = await eudi.wallet.respond(request, await holdPid());
    const completion = await follow((answer.body as { redirect_uri: string }).redirect_uri);
    const code = new URL(completion.headers.get('location') as string).searchParams.get('code') as string;
    const redeem = () =>
      fetch(`${eudi.issuer}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: eudi.clientId,
          client_secret: 'wrong-secret',
        }),
      });
    expect((await redeem()).status).toBe(401);
  });

  it('never redirects to an unregistered redirect URI', async () => {
    const url = new URL(`${eudi.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: eudi.clientId,
      redirect_uri: 'https://attacker.example/cb',
      response_type: 'code',
      scope: 'openid',
      state: 's',
    }).toString();
    const answer = await follow(url.toString());
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
  });

  it('refuses a response that is not encrypted to the transaction key', async () => {
    const { request } = await startLogin();
    const foreign = {
      ...request,
      encryptionJwk: (await startLogin()).request.encryptionJwk,
    } as OpenedRequest;
    const response = await eudi.wallet.encrypt(foreign, { vp_token: { pid: ['x'] }, state: request.state });
    const answer = await eudi.wallet.post(request, response);
    expect(answer.status).toBe(400);
    expect(await (await fetch(`${eudi.issuer}/status/${request.state}`)).json()).toEqual({
      status: 'pending',
    });
  });
});

describe('wallet bridge with an ISO mdoc PID', () => {
  it('asks for either format in one DCQL credential set', async () => {
    const { request } = await startLogin();
    expect(request.dcqlQuery.credentials.map(({ id, format }) => ({ id, format }))).toEqual([
      { id: 'pid', format: 'dc+sd-jwt' },
      { id: 'pid_mdoc', format: 'mso_mdoc' },
    ]);
  });

  it('takes an mdoc through the Digital Credentials API (origin handover)', async () => {
    const { checks, request: linked } = await startLogin();
    const transactionId = linked.state as string;
    const jar = await (
      await fetch(`${eudi.issuer}/request/${transactionId}?response_mode=dc_api.jwt`)
    ).text();
    const request = await eudi.wallet.openDigital(jar, new URL(eudi.issuer).origin);
    const { response } = await eudi.wallet.answerDigital(request, await holdMdocPid());
    const posted = await fetch(`${eudi.issuer}/response/${transactionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ response, dc_api: '1' }).toString(),
    });
    const completion = await follow(((await posted.json()) as { redirect_uri: string }).redirect_uri);
    const login = await eudi
      .client()
      .completeLogin(new URL(completion.headers.get('location') as string), checks);

    expect(login.subject).toBe('BE/85073003328');
  });

  it('refuses an mdoc whose element was altered', async () => {
    const { request } = await startLogin();
    const answer = await eudi.wallet.respond(request, await holdMdocPid(), {
      alterDisclosure: { claim: 'family_name', value: 'Janssens' },
    });
    expect(await refusalAfter(answer)).toBe('tampered-disclosure');
  });

  it('refuses an mdoc PID without a personal administrative number with the actionable message', async () => {
    const { personal_administrative_number: _omitted, ...withoutNumber } = BELGIAN_PID;
    const error = await eudi
      .federate(withoutNumber, { format: 'mso_mdoc' })
      .catch((caught: unknown) => caught);
    expect((error as WalletLoginRefusedError).refusal).toBe('no-administrative-number');
  });

  it('refuses a response that carries both formats', async () => {
    const { request } = await startLogin();
    const sdJwt = await eudi.wallet.present(request, await holdPid());
    const mdoc = await eudi.wallet.present(request, await holdMdocPid());
    const response = await eudi.wallet.encrypt(request, {
      vp_token: { pid: [sdJwt], pid_mdoc: [mdoc] },
      state: request.state,
    });
    expect((await eudi.wallet.post(request, response)).status).toBe(400);
  });
});
