import type { PreSignUpTriggerEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type LocalCognito,
  type LocalCognitoTriggers,
  LoginRefusedByTrigger,
  OAuthError,
  TokenVerificationError,
} from '#local/cognito/index';
import { eidasAttributes, itsmeAttributes } from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import { uniqueNationalNumber } from '#test/helpers/unique-ids';
import { createPool, eidasPersonIdentifier, itsmeSubject, POOL_ID, PORTAL, realTriggers } from './harness.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table.dispose();
});

/** A pool running the real triggers, recording a copy of every event as Cognito sent it. */
async function poolWithRealTriggers(options: { now?: () => number } = {}) {
  const real = await realTriggers(table);
  const realPreSignUp = real.preSignUp as NonNullable<LocalCognitoTriggers['preSignUp']>;
  const realPreTokenGeneration = real.preTokenGeneration as NonNullable<
    LocalCognitoTriggers['preTokenGeneration']
  >;
  const preSignUp = vi.fn((event: PreSignUpTriggerEvent) => realPreSignUp(event));
  const preTokenGeneration = vi.fn((event: PreTokenGenerationV2TriggerEvent) =>
    realPreTokenGeneration(event),
  );
  const sent = {
    preSignUp: [] as PreSignUpTriggerEvent[],
    preTokenGeneration: [] as PreTokenGenerationV2TriggerEvent[],
  };
  const pool = await createPool({
    triggers: {
      preSignUp: (event) => {
        sent.preSignUp.push(structuredClone(event));
        return preSignUp(event);
      },
      preTokenGeneration: (event) => {
        sent.preTokenGeneration.push(structuredClone(event));
        return preTokenGeneration(event);
      },
    },
    ...options,
  });
  return { pool, preSignUp, preTokenGeneration, sent };
}

function itsmeLogin(pool: LocalCognito, subject: string, attributes: Record<string, string>) {
  return pool.federatedSignIn({
    providerName: 'itsme',
    userName: `itsme_${subject}`,
    attributes,
    clientId: PORTAL.clientId,
  });
}

function eidasLogin(pool: LocalCognito, nameId: string, attributes: Record<string, string>) {
  return pool.federatedSignIn({
    providerName: 'eIDAS',
    userName: `eIDAS_${nameId}`,
    attributes,
    clientId: PORTAL.clientId,
  });
}

function uniqueItsmePerson() {
  const { insz, birthDate } = uniqueNationalNumber();
  return {
    subject: itsmeSubject(),
    attributes: itsmeAttributes({ 'custom:national_number': insz, 'custom:birth_date': birthDate }),
    insz,
  };
}

describe('LocalCognito federated sign-in with the real triggers', () => {
  it('creates the user and issues tokens with the platform claims when an itsme person logs in the first time', async () => {
    const { pool } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();

    const tokens = await itsmeLogin(pool, person.subject, person.attributes);

    const user = pool.getUser(`itsme_${person.subject}`);
    const id = decodeJwt(tokens.idToken);
    const access = decodeJwt(tokens.accessToken);
    expect(user).toMatchObject({
      status: 'EXTERNAL_PROVIDER',
      identities: [
        {
          userId: person.subject,
          providerName: 'itsme',
          providerType: 'OIDC',
          issuer: null,
          primary: 'true',
        },
      ],
    });
    expect(user?.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).toMatchObject({
      sub: user?.sub,
      aud: PORTAL.clientId,
      iss: `http://127.0.0.1:3000/${POOL_ID}`,
      token_use: 'id',
      'cognito:username': `itsme_${person.subject}`,
      identities: [{ userId: person.subject, providerName: 'itsme', providerType: 'OIDC' }],
      loa: 'high',
      idp: 'itsme',
      roles: [],
      admin_of: [],
      insz: person.insz,
    });
    expect(access).toMatchObject({
      sub: user?.sub,
      client_id: PORTAL.clientId,
      username: `itsme_${person.subject}`,
      token_use: 'access',
      scope: 'openid profile email phone',
      person_id: id.person_id,
      loa: 'high',
      idp: 'itsme',
      roles: [],
      admin_of: [],
    });
    expect(typeof id.person_id).toBe('string');
    expect(access).not.toHaveProperty('insz');
    expect(Number(id.exp) - Number(id.iat)).toBe(3600);
    expect(decodeProtectedHeader(tokens.idToken)).toMatchObject({
      alg: 'RS256',
      kid: pool.jwks().keys[0]?.kid,
    });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('keeps every custom:* attribute out of the ID token when the trigger suppresses them', async () => {
    const { pool } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();

    const tokens = await itsmeLogin(pool, person.subject, person.attributes);

    const claimNames = Object.keys(decodeJwt(tokens.idToken));
    expect(claimNames.filter((name) => name.startsWith('custom:'))).toEqual([]);
    expect(pool.getUser(`itsme_${person.subject}`)?.attributes).toMatchObject({
      'custom:national_number': person.insz,
    });
  });

  it('leaves insz out of the ID token when itsme sends no national number', async () => {
    const { pool } = await poolWithRealTriggers();

    const tokens = await itsmeLogin(
      pool,
      itsmeSubject(),
      itsmeAttributes({ 'custom:national_number': undefined }),
    );

    expect(decodeJwt(tokens.idToken)).not.toHaveProperty('insz');
  });

  it('sends pre sign-up only at the first login and re-applies the mapped attributes at the next one', async () => {
    const { pool, preSignUp, preTokenGeneration } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();
    const first = await itsmeLogin(pool, person.subject, person.attributes);

    const second = await itsmeLogin(pool, person.subject, {
      ...person.attributes,
      'custom:given_name': 'Janneke',
    });

    expect(preSignUp).toHaveBeenCalledTimes(1);
    expect(preTokenGeneration).toHaveBeenCalledTimes(2);
    expect(decodeJwt(second.idToken).sub).toBe(decodeJwt(first.idToken).sub);
    expect(decodeJwt(second.idToken).person_id).toBe(decodeJwt(first.idToken).person_id);
    expect(pool.getUser(`itsme_${person.subject}`)?.attributes['custom:given_name']).toBe('Janneke');
  });

  it('sends the events in the shape Cognito sends them when a user logs in the first time', async () => {
    const { pool, sent } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();

    await itsmeLogin(pool, person.subject, person.attributes);

    const [signUp] = sent.preSignUp;
    const [token] = sent.preTokenGeneration;
    expect(signUp).toEqual({
      version: '1',
      region: 'eu-west-1',
      userPoolId: POOL_ID,
      userName: `itsme_${person.subject}`,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: PORTAL.clientId },
      triggerSource: 'PreSignUp_ExternalProvider',
      request: { userAttributes: person.attributes, validationData: {} },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(token).toMatchObject({
      version: '2',
      triggerSource: 'TokenGeneration_HostedAuth',
      request: {
        userAttributes: { ...person.attributes, 'cognito:user_status': 'EXTERNAL_PROVIDER' },
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        scopes: ['openid', 'profile', 'email', 'phone'],
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(JSON.parse(token?.request.userAttributes.identities ?? '')).toEqual([
      expect.objectContaining({ userId: person.subject, providerName: 'itsme', providerType: 'OIDC' }),
    ]);
  });

  it('refuses a French eIDAS login with the trigger message and creates no user', async () => {
    const { pool, preTokenGeneration } = await poolWithRealTriggers();
    const nameId = `_${itsmeSubject()}`;
    const subject = eidasPersonIdentifier('FR');

    const refusal = await eidasLogin(
      pool,
      nameId,
      eidasAttributes({ 'custom:eidas_person_id': subject, 'custom:nationality': 'FR' }),
    ).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(LoginRefusedByTrigger);
    const refused = refusal as LoginRefusedByTrigger;
    expect(refused).toMatchObject({ trigger: 'PreSignUp', reason: 'refused-nationality', status: 403 });
    expect(refused.triggerMessage).toMatch(/local office|registration/i);
    expect(refused.message).toBe(`PreSignUp failed with error ${refused.triggerMessage}.`);
    expect(pool.getUser(`eIDAS_${nameId}`)).toBeUndefined();
    expect(preTokenGeneration).not.toHaveBeenCalled();
    const items = await table.snapshot();
    expect(items.filter((item) => JSON.stringify(item).includes(subject))).toEqual([]);
  });

  it('logs in a German eIDAS user at LoA substantial with idp eidas and no insz', async () => {
    const { pool } = await poolWithRealTriggers();
    const nameId = `_${itsmeSubject()}`;

    const tokens = await eidasLogin(
      pool,
      nameId,
      eidasAttributes({ 'custom:eidas_person_id': eidasPersonIdentifier('DE') }),
    );

    const id = decodeJwt(tokens.idToken);
    expect(id).toMatchObject({ idp: 'eidas', loa: 'substantial', roles: [], admin_of: [] });
    expect(id).not.toHaveProperty('insz');
    expect(pool.getUser(`eIDAS_${nameId}`)?.identities[0]).toMatchObject({
      providerType: 'SAML',
      userId: nameId,
    });
  });
});

describe('LocalCognito.verifyToken', () => {
  it('accepts its own ID and access tokens when they are current', async () => {
    const { pool } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();
    const tokens = await itsmeLogin(pool, person.subject, person.attributes);

    const id = await pool.verifyToken(tokens.idToken, { tokenUse: 'id' });
    const access = await pool.verifyToken(tokens.accessToken);

    expect(id.token_use).toBe('id');
    expect(access.token_use).toBe('access');
    expect(access.person_id).toBe(id.person_id);
  });

  it.each([
    ['tampered', 'signature'],
    ['signed by another key', 'signature'],
    ['expired', 'expired'],
    ['an access token where an ID token is required', 'token-use'],
    ['not a JWT', 'malformed'],
  ] as const)('rejects a token that is %s', async (kind, reason) => {
    let clock = Date.now();
    const { pool } = await poolWithRealTriggers({ now: () => clock });
    const person = uniqueItsmePerson();
    const tokens = await itsmeLogin(pool, person.subject, person.attributes);
    let token = tokens.idToken;
    let options: { tokenUse?: 'id' | 'access' } = {};
    if (kind === 'tampered') {
      const [header, , signature] = token.split('.');
      const claims = { ...decodeJwt(token), roles: ['APP:admin:0123456789'] };
      token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    } else if (kind === 'signed by another key') {
      const impostor = await createPool({ triggers: await realTriggers(table) });
      token = (await itsmeLogin(impostor, person.subject, person.attributes)).idToken;
    } else if (kind === 'expired') {
      clock += 3601 * 1000;
    } else if (kind === 'an access token where an ID token is required') {
      token = tokens.accessToken;
      options = { tokenUse: 'id' };
    } else {
      token = 'not.a.jwt';
    }

    const error = await pool.verifyToken(token, options).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TokenVerificationError);
    expect(error).toMatchObject({ reason, status: 401 });
  });
});

describe('LocalCognito groups and refresh', () => {
  it('puts cognito:groups in both tokens at the next refresh when the person was added to a group', async () => {
    const { pool, sent } = await poolWithRealTriggers();
    const person = uniqueItsmePerson();
    const tokens = await itsmeLogin(pool, person.subject, person.attributes);
    const personId = String(decodeJwt(tokens.idToken).person_id);
    expect(decodeJwt(tokens.idToken)).not.toHaveProperty('cognito:groups');

    const usernames = pool.addPersonToGroup(personId, 'bis-agents');
    const refreshed = await pool.refresh(tokens.refreshToken as string, PORTAL.clientId);

    expect(usernames).toEqual([`itsme_${person.subject}`]);
    expect(decodeJwt(refreshed.idToken)['cognito:groups']).toEqual(['bis-agents']);
    expect(decodeJwt(refreshed.accessToken)['cognito:groups']).toEqual(['bis-agents']);
    expect(decodeJwt(refreshed.idToken)).toMatchObject({
      person_id: personId,
      auth_time: decodeJwt(tokens.idToken).auth_time,
      origin_jti: decodeJwt(tokens.idToken).origin_jti,
    });
    expect(refreshed.refreshToken).toBeUndefined();
    expect(sent.preTokenGeneration.at(-1)).toMatchObject({
      triggerSource: 'TokenGeneration_RefreshTokens',
      request: { groupConfiguration: { groupsToOverride: ['bis-agents'] } },
    });
  });

  it('refuses a group the user pool does not have and a person nobody logged in as', async () => {
    const pool = await createPool();

    expect(() => pool.addPersonToGroup('01HZZZZZZZZZZZZZZZZZZZZZZZ', 'bis-agents')).toThrow(/log in first/);
    expect(() => pool.addToGroup('itsme_nobody', 'admins')).toThrow(/Unknown group/);
  });

  it.each([
    ['unknown', (_token: string) => ({ token: 'not-issued', clientId: PORTAL.clientId })],
    ['of another client', (token: string) => ({ token, clientId: 'other-client' })],
  ] as const)('answers invalid_grant to a refresh token that is %s', async (_kind, make) => {
    const pool = await createPool({
      clients: [PORTAL, { ...PORTAL, clientId: 'other-client', name: 'other' }],
    });
    const tokens = await itsmeLogin(pool, itsmeSubject(), itsmeAttributes());
    const { token, clientId } = make(tokens.refreshToken as string);

    const error = await pool.refresh(token, clientId).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'invalid_grant' });
  });

  it('answers invalid_grant to a refresh token that was revoked', async () => {
    const pool = await createPool();
    const tokens = await itsmeLogin(pool, itsmeSubject(), itsmeAttributes());

    pool.revoke(tokens.refreshToken as string, PORTAL.clientId);

    await expect(pool.refresh(tokens.refreshToken as string, PORTAL.clientId)).rejects.toMatchObject({
      code: 'invalid_grant',
    });
  });
});

describe('LocalCognito pre token generation responses', () => {
  const withResponse =
    (details: unknown) =>
    async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
      event.response.claimsAndScopeOverrideDetails =
        details as PreTokenGenerationV2TriggerEvent['response']['claimsAndScopeOverrideDetails'];
      return event;
    };

  it('ignores protected claims, lets suppression win and applies group and scope changes', async () => {
    const pool = await createPool({
      triggers: {
        preTokenGeneration: withResponse({
          idTokenGeneration: {
            claimsToAddOrOverride: {
              sub: 'forged',
              iss: 'https://evil',
              'cognito:username': 'x',
              extra: 'kept',
              both: 'x',
            },
            claimsToSuppress: ['both', 'aud', 'custom:given_name'],
          },
          accessTokenGeneration: {
            claimsToAddOrOverride: { token_use: 'id', client_id: 'other', tier: 2, tags: ['a', 'b'] },
            scopesToAdd: ['portal/read', 'has space'],
            scopesToSuppress: ['phone'],
          },
          groupOverrideDetails: { groupsToOverride: ['security-officers'], iamRolesToOverride: [] },
        }),
      },
    });

    const tokens = await itsmeLogin(pool, itsmeSubject(), itsmeAttributes());

    const id = decodeJwt(tokens.idToken);
    const access = decodeJwt(tokens.accessToken);
    expect(id).toMatchObject({
      iss: pool.issuer,
      aud: PORTAL.clientId,
      extra: 'kept',
      'cognito:groups': ['security-officers'],
    });
    expect(id.sub).not.toBe('forged');
    expect(id).not.toHaveProperty('both');
    expect(id).not.toHaveProperty('custom:given_name');
    expect(id['custom:family_name']).toBe('Peeters');
    expect(access).toMatchObject({
      token_use: 'access',
      client_id: PORTAL.clientId,
      tier: 2,
      tags: ['a', 'b'],
      scope: 'openid profile email portal/read',
      'cognito:groups': ['security-officers'],
    });
  });

  it('removes the groups when the trigger answers a null groupOverrideDetails', async () => {
    const pool = await createPool({
      triggers: { preTokenGeneration: withResponse({ groupOverrideDetails: null }) },
    });
    const subject = itsmeSubject();
    await itsmeLogin(pool, subject, itsmeAttributes());
    pool.addToGroup(`itsme_${subject}`, 'bis-agents');

    const tokens = await itsmeLogin(pool, subject, itsmeAttributes());

    expect(decodeJwt(tokens.idToken)).not.toHaveProperty('cognito:groups');
    expect(pool.getUser(`itsme_${subject}`)?.groups).toEqual(['bis-agents']);
  });

  it("refuses the login with Cognito's wording when pre token generation throws, keeping the user", async () => {
    const pool = await createPool({
      triggers: {
        preTokenGeneration: async () => {
          throw new Error('We could not complete your login.');
        },
      },
    });
    const subject = itsmeSubject();

    const error = await itsmeLogin(pool, subject, itsmeAttributes()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(LoginRefusedByTrigger);
    expect(error).toMatchObject({
      trigger: 'PreTokenGeneration',
      message: 'PreTokenGeneration failed with error We could not complete your login..',
    });
    expect(pool.getUser(`itsme_${subject}`)).toBeDefined();
  });

  it('refuses the login when a trigger returns nothing, as Lambda would return null', async () => {
    const pool = await createPool({ triggers: { preSignUp: async () => undefined } });
    const subject = itsmeSubject();

    const error = await itsmeLogin(pool, subject, itsmeAttributes()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ trigger: 'PreSignUp', message: 'Unrecognizable lambda output' });
    expect(pool.getUser(`itsme_${subject}`)).toBeUndefined();
  });
});
