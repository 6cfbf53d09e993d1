import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCognito } from '#local/cognito/index';
import { type ProxyHandler, RestApiEmulator, readRestApi } from '#local/server/api-gateway';
import { appClients } from '#local/server/plan';
import { synthesizeStage } from '#local/server/template';

/**
 * The sandbox's API gateway with the local pool's real, signed tokens and the dev stage's app clients
 * and methods, as local/server/runtime.ts wires them: which tokens the API takes.
 */
describe('sandbox API: which tokens the authorizer takes', () => {
  const template = synthesizeStage('dev').accessTemplate;
  const clients = appClients(template);
  const portal = clients.find((client) => client.name === 'portal');
  const seen: APIGatewayProxyEvent[] = [];
  const handler: ProxyHandler = async (event) => {
    seen.push(event);
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' };
  };
  const claims = async (event: PreTokenGenerationV2TriggerEvent) => {
    event.response.claimsAndScopeOverrideDetails = {
      accessTokenGeneration: { claimsToAddOrOverride: { person_id: 'P1', idp: 'itsme' } },
      idTokenGeneration: { claimsToAddOrOverride: { person_id: 'P1', idp: 'itsme' } },
    };
    return event;
  };
  let pool: LocalCognito;
  let server: Server;
  let base: string;
  let subjects = 0;

  beforeAll(async () => {
    pool = await LocalCognito.create({
      issuerBaseUrl: 'http://127.0.0.1:1',
      poolId: 'eu-west-1_sandbox',
      clients,
      triggers: { preTokenGeneration: claims },
    });
    const emulator = new RestApiEmulator({
      api: readRestApi(template),
      verifyToken: (token) => pool.verifyToken(token),
      handlerOf: () => handler,
      log: () => {},
    });
    server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const signIn = (scopes?: string[]) => {
    subjects++;
    return pool.federatedSignIn({
      providerName: 'itsme',
      userName: `itsme_api-tokens-${subjects}`,
      attributes: {},
      clientId: portal?.clientId as string,
      ...(scopes ? { scopes } : {}),
    });
  };
  const me = async (token: string) => {
    seen.length = 0;
    const response = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('allows the portal client the API scope, read from the template', () => {
    expect(portal?.allowedScopes).toContain('eid-access/api');
  });

  it('passes an access token carrying eid-access/api to the function with its claims', async () => {
    const tokens = await signIn(['openid', 'profile', 'eid-access/api']);

    const answer = await me(tokens.accessToken);

    expect(answer.status).toBe(200);
    expect(seen[0]?.requestContext.authorizer?.claims).toMatchObject({
      token_use: 'access',
      scope: 'openid profile eid-access/api',
      person_id: 'P1',
      client_id: portal?.clientId,
    });
  });

  it('answers an ID token of the same sign-in with the 401 problem and never calls the function', async () => {
    const tokens = await signIn(['openid', 'eid-access/api']);

    const answer = await me(tokens.idToken);

    expect(answer).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(seen).toHaveLength(0);
  });

  it('answers an access token without the API scope with the 401 problem', async () => {
    const tokens = await signIn(['openid', 'profile']);

    const answer = await me(tokens.accessToken);

    expect(tokens.accessTokenClaims.scope).toBe('openid profile');
    expect(answer).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(seen).toHaveLength(0);
  });

  it('answers an access token of another issuer with the 401 problem', async () => {
    const other = await LocalCognito.create({
      issuerBaseUrl: 'http://127.0.0.1:2',
      poolId: 'eu-west-1_other',
      clients,
    });
    const tokens = await other.federatedSignIn({
      providerName: 'itsme',
      userName: 'itsme_elsewhere',
      attributes: {},
      clientId: portal?.clientId as string,
    });

    const answer = await me(tokens.accessToken);

    expect(tokens.accessTokenClaims.scope).toContain('eid-access/api');
    expect(answer.status).toBe(401);
    expect(seen).toHaveLength(0);
  });
});
