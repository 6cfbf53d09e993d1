/**
 * Wallet login in the sandbox (ARCHITECTURE.md sections 2a and 6), over HTTP only: `POST /local/login
 * { provider: "eudi" }` runs the whole OpenID4VP flow through the bridge and the local user pool with
 * the real triggers; `GET /local/eudi/trust-anchors` and `POST /local/eudi/credentials` let a test's
 * own holder present a PID through the link on the bridge's authorization page, reached from the
 * hosted login's "EU Digital Identity Wallet" button.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHolderKey, TestWallet } from '#local/eudi/test-wallet';
import { type SandboxProcess, startSandboxProcess } from '#test/helpers/sandbox';

/** A valid INSZ nobody else in the seed uses. */
const INSZ = '85073003328';
const PID = {
  family_name: 'Claes',
  given_name: 'Lotte',
  birthdate: '1985-07-30',
  issuing_country: 'BE',
  personal_administrative_number: INSZ,
  nationalities: ['BE'],
};

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(async () => {
  await sandbox?.stop('SIGINT');
});

describe('wallet login in the sandbox', () => {
  it('logs a Belgian PID holder in with idp eudi, loa high and the same person at the next login', async () => {
    const first = await sandbox.login('eudi', PID);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const claims = decodeJwt(String(first.body.idToken));
    expect(claims).toMatchObject({ idp: 'eudi', loa: 'high', 'cognito:username': `EUDIWallet_BE/${INSZ}` });

    const second = decodeJwt(await sandbox.accessTokenOf('eudi', PID));

    expect(second.person_id).toBe(claims.person_id);
    const me = await sandbox.call('GET', '/me', { token: String(first.body.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ givenNames: 'Lotte', familyName: 'Claes', birthDate: '1985-07-30' });
  });

  it('logs in with an mdoc PID when POST /local/login asks for format mso_mdoc, and refuses an unknown format', async () => {
    const mdocPid = { ...PID, given_name: 'Mira', personal_administrative_number: '90022412323' };

    const answer = await sandbox.call('POST', '/local/login', {
      body: { provider: 'eudi', attributes: mdocPid, format: 'mso_mdoc' },
    });

    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(decodeJwt(String(answer.body.idToken))).toMatchObject({
      idp: 'eudi',
      loa: 'high',
      'cognito:username': 'EUDIWallet_BE/90022412323',
    });
    const refused = await sandbox.call('POST', '/local/login', {
      body: { provider: 'eudi', attributes: mdocPid, format: 'jwt_vc_json' },
    });
    expect(refused.status).toBe(400);
  });

  it('refuses a PID without a personal administrative number with a message the person can act on', async () => {
    const { personal_administrative_number: _omitted, ...withoutNumber } = PID;

    const answer = await sandbox.login('eudi', withoutNumber);

    expect(answer.status).toBe(403);
    expect(answer.body.type).toBe('urn:eid-access:problem:login-refused:wallet-no-administrative-number');
    expect(answer.body.code).toBe('wallet-no-administrative-number');
    expect(String(answer.body.detail)).toMatch(/itsme or eIDAS/);
    expect(String(answer.body.error_description)).toMatch(/^\[wallet-no-administrative-number\] /);
  });

  it.each(['dc+sd-jwt', 'mso_mdoc'] as const)(
    'lets a test’s own holder present a %s PID of the local provider through the hosted login',
    async (format) => {
      const anchors = await fetch(`${sandbox.url}/local/eudi/trust-anchors`);
      expect(new X509Certificate(await anchors.text()).ca).toBe(true);
      const holder = newHolderKey();
      const issued = await sandbox.call('POST', '/local/eudi/credentials', {
        body: {
          format,
          claims: { ...PID, given_name: 'Lotte Marie' },
          holderPublicJwk: holder.publicJwk,
        },
      });
      expect(issued.status).toBe(201);

      const config = (await (await fetch(`${sandbox.url}/config.json`)).json()) as { clientId: string };
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${sandbox.url}/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: `${sandbox.url}/auth/callback`,
        scope: 'openid profile',
        identity_provider: 'EUDIWallet',
        state: 'app-state',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      const toBridge = await fetch(authorize, { redirect: 'manual' });
      const bridgeAuthorize = toBridge.headers.get('location') as string;
      expect(bridgeAuthorize).toContain('/local/eudi/bridge/authorize');
      const start = await fetch(bridgeAuthorize, { redirect: 'manual' });
      const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await (
        await fetch(start.headers.get('location') as string, { headers: { cookie } })
      ).text();
      expect(page).toContain('EU Digital Identity Wallet');
      const link = (/id="same-device" href="([^"]+)"/.exec(page)?.[1] ?? '').replace(/&amp;/g, '&');

      const wallet = new TestWallet();
      const request = await wallet.open(link);
      const answer = await wallet.respond(request, {
        credential: String(issued.body.credential),
        holderKey: holder.privateKey,
        format,
      });
      const completion = await fetch((answer.body as { redirect_uri: string }).redirect_uri, {
        redirect: 'manual',
      });
      const idpResponse = await fetch(completion.headers.get('location') as string, { redirect: 'manual' });
      const appCallback = new URL(idpResponse.headers.get('location') as string);
      expect(appCallback.searchParams.get('state')).toBe('app-state');
      const tokens = await fetch(`${sandbox.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: config.clientId,
          code: appCallback.searchParams.get('code') as string,
          redirect_uri: `${sandbox.url}/auth/callback`,
          code_verifier: verifier,
        }),
      });
      expect(tokens.status).toBe(200);
      const idToken = decodeJwt(((await tokens.json()) as { id_token: string }).id_token);
      expect(idToken).toMatchObject({ idp: 'eudi', loa: 'high' });
    },
  );
});
