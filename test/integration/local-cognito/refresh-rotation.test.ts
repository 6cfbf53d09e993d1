import {
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  RefreshTokenReuseException,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppClientConfig } from '#local/cognito/index';
import { PORTAL, type RunningPool, startPool } from './native-harness.ts';

const GRACE_SECONDS = 10;
const ROTATING: AppClientConfig = {
  ...PORTAL,
  clientId: 'rotating-portal-client',
  explicitAuthFlows: ['ALLOW_CUSTOM_AUTH'],
  refreshTokenValiditySeconds: 8 * 3600,
  refreshTokenRotation: { retryGracePeriodSeconds: GRACE_SECONDS },
};
const STEADY: AppClientConfig = {
  ...PORTAL,
  clientId: 'steady-client',
  refreshTokenValiditySeconds: 8 * 3600,
};

let running: RunningPool;
let base: string;

beforeAll(async () => {
  running = await startPool({ clients: [ROTATING, STEADY] });
  base = running.endpoint.replace(/\/local\/aws\/cognito-idp$/, '');
});

afterAll(async () => {
  await running.close();
});

let subjects = 0;
async function signIn(clientId: string) {
  subjects++;
  return running.pool.federatedSignIn({
    providerName: 'itsme',
    userName: `itsme_rotation-${Date.now()}-${subjects}`,
    attributes: {},
    clientId,
  });
}

/** `POST /oauth2/token` `grant_type=refresh_token`, answered as is. */
async function tokenEndpointRefresh(clientId: string, refreshToken: string) {
  const response = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('local Cognito refresh-token rotation', () => {
  it('answers a new refresh token at the token endpoint and refuses the used one after the grace period', async () => {
    const first = await signIn(ROTATING.clientId);
    const used = first.refreshToken as string;

    const refreshed = await tokenEndpointRefresh(ROTATING.clientId, used);
    running.clock.now += (GRACE_SECONDS - 1) * 1000;
    const retried = await tokenEndpointRefresh(ROTATING.clientId, used);
    running.clock.now += 2000;
    const reused = await tokenEndpointRefresh(ROTATING.clientId, used);
    const next = await tokenEndpointRefresh(ROTATING.clientId, refreshed.body.refresh_token as string);

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.body.refresh_token).not.toBe(used);
    expect(decodeJwt(refreshed.body.access_token as string).origin_jti).toBe(
      first.accessTokenClaims.origin_jti,
    );
    // Inside the grace period a lost answer can be retried.
    expect(retried.status).toBe(200);
    expect(retried.body.refresh_token).not.toBe(refreshed.body.refresh_token);
    expect(reused).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid Refresh Token' },
    });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(refreshed.body.refresh_token);
  });

  it('ends the whole authentication when one of its refresh tokens is revoked, as Cognito does', async () => {
    const first = await signIn(ROTATING.clientId);
    const rotated = await tokenEndpointRefresh(ROTATING.clientId, first.refreshToken as string);
    const userInfo = (accessToken: string) =>
      fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    const before = await userInfo(rotated.body.access_token as string);

    const revoked = await fetch(`${base}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: first.refreshToken as string, client_id: ROTATING.clientId }),
    });

    expect(before.status).toBe(200);
    expect(revoked.status).toBe(200);
    // The rotation made of it, the retired one inside its grace period, and the access tokens of both.
    expect((await tokenEndpointRefresh(ROTATING.clientId, rotated.body.refresh_token as string)).status).toBe(
      400,
    );
    expect((await tokenEndpointRefresh(ROTATING.clientId, first.refreshToken as string)).status).toBe(400);
    expect((await userInfo(rotated.body.access_token as string)).status).toBe(401);
    expect((await userInfo(first.accessToken)).status).toBe(401);
    // Another sign-in of the same client is not touched.
    const other = await signIn(ROTATING.clientId);
    expect((await tokenEndpointRefresh(ROTATING.clientId, other.refreshToken as string)).status).toBe(200);
  });

  it('rotates with GetTokensFromRefreshToken and answers a reuse with RefreshTokenReuseException', async () => {
    const first = await signIn(ROTATING.clientId);
    const command = (refreshToken: string) =>
      new GetTokensFromRefreshTokenCommand({ ClientId: ROTATING.clientId, RefreshToken: refreshToken });

    const answer = await running.admin.send(command(first.refreshToken as string));
    running.clock.now += (GRACE_SECONDS + 1) * 1000;
    const reuse = running.admin.send(command(first.refreshToken as string));

    expect(answer.AuthenticationResult).toMatchObject({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.any(String),
      TokenType: 'Bearer',
    });
    expect(answer.AuthenticationResult?.RefreshToken).not.toBe(first.refreshToken);
    await expect(reuse).rejects.toBeInstanceOf(RefreshTokenReuseException);
    const again = await running.admin.send(command(answer.AuthenticationResult?.RefreshToken as string));
    expect(again.AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
  });

  it('refuses REFRESH_TOKEN_AUTH on a rotating client, as Cognito does', async () => {
    const first = await signIn(ROTATING.clientId);

    const refresh = running.admin.send(
      new InitiateAuthCommand({
        ClientId: ROTATING.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.refreshToken as string },
      }),
    );

    await expect(refresh).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(refresh).rejects.toThrow(/GetTokensFromRefreshToken/);
  });

  it('lets a rotated refresh token expire when the first one of the sign-in would have', async () => {
    const signedInAt = running.clock.now;
    const first = await signIn(ROTATING.clientId);
    running.clock.now += 3600 * 1000;
    const rotated = await tokenEndpointRefresh(ROTATING.clientId, first.refreshToken as string);

    running.clock.now = signedInAt + (ROTATING.refreshTokenValiditySeconds as number) * 1000 + 1000;
    const late = await tokenEndpointRefresh(ROTATING.clientId, rotated.body.refresh_token as string);

    expect(rotated.status).toBe(200);
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('keeps the refresh token of a client without rotation and answers no new one', async () => {
    const first = await signIn(STEADY.clientId);

    const refreshed = await tokenEndpointRefresh(STEADY.clientId, first.refreshToken as string);
    running.clock.now += 60 * 1000;
    const again = await tokenEndpointRefresh(STEADY.clientId, first.refreshToken as string);

    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect(again.status).toBe(200);
  });
});
