import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import { ConflictError } from '#shared/errors';
import { createRouter } from '#shared/http/router';
import type { MailMessage } from '#shared/mailer';
import { type ApiEventOptions, apiEvent, type Persona } from '#test/helpers/api-events';
import { MemoryCodeCardStore, TEST_KDF } from '#test/helpers/code-cards';
import type { NewCognitoUser } from '../../../lambdas/native/cognito-users.ts';
import type {
  AccountPerson,
  NativeAccount,
  NativeRepository,
} from '../../../lambdas/native/native-repository.ts';
import type { NativeDeps } from '../../../lambdas/native/ports.ts';
import { createNativeRoutes } from '../../../lambdas/native/routes.ts';

const INSZ = '85073003328';
const OFFICER_CLAIMS = { 'cognito:groups': 'registration-officers' };
const context = {} as Context;

class MemoryAccounts implements NativeRepository {
  readonly accounts = new Map<string, NativeAccount>();
  readonly inszLinks = new Map<string, string>();
  readonly created: { account: NativeAccount; person: AccountPerson }[] = [];
  async findPersonByInsz(insz: string) {
    return this.inszLinks.get(insz);
  }
  async getAccount(personId: string) {
    return this.accounts.get(personId);
  }
  async createAccount(account: NativeAccount, person: AccountPerson) {
    if (this.accounts.has(account.personId)) throw new ConflictError('This person already has an account.');
    this.accounts.set(account.personId, account);
    if (person.kind === 'new' && person.profile.insz)
      this.inszLinks.set(person.profile.insz, account.personId);
    this.created.push({ account, person });
  }
  async removeAccount(personId: string) {
    this.accounts.delete(personId);
  }
}

let accounts: MemoryAccounts;
let cards: MemoryCodeCardStore;
let users: NewCognitoUser[];
let mails: MailMessage[];
let cardMails: MailMessage[];
let router: ReturnType<typeof createRouter>;
let ids: number;

beforeEach(() => {
  accounts = new MemoryAccounts();
  cards = new MemoryCodeCardStore();
  users = [];
  mails = [];
  cardMails = [];
  ids = 0;
  const deps: NativeDeps = {
    accounts,
    cards,
    register: {
      findPerson: async (insz) =>
        insz === INSZ
          ? { insz, givenNames: 'Marie', familyName: 'Dupont', birthDate: '1985-07-30' }
          : undefined,
    },
    bis: {} as NativeDeps['bis'],
    cognito: {
      createUser: async (user) => {
        users.push(user);
      },
      deleteUser: async () => {},
    },
    mailer: { send: async (message) => void mails.push(message) },
    cardMailer: { send: async (message) => void cardMails.push(message) },
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    newId: () => `01JZ${String(++ids).padStart(22, '0')}`,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    temporaryPasswordValidityDays: 7,
    newUsername: () => 'ea-k7m2p9qx4t',
    newTemporaryPassword: () => 'Temp-Passw0rd#2026',
    kdf: TEST_KDF,
  };
  router = createRouter(createNativeRoutes(deps));
});

async function call(options: ApiEventOptions) {
  const response = await router(apiEvent(options), context);
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

const createAccount = (
  persona: Persona,
  claims: Record<string, string> = {},
  body: unknown = { insz: INSZ, email: 'marie@example.fr' },
) => call({ persona, claims, method: 'POST', resource: '/registration-office/accounts', body });

describe('native routes: who may create accounts', () => {
  it.each([
    ['anonymous', {}, 401],
    ['user', {}, 403],
    ['userWithInsz', {}, 403],
    ['bisAgent', {}, 403],
    ['securityOfficer', {}, 403],
    ['user', OFFICER_CLAIMS, 201],
  ] as const)('answers %s (%o) with %i when creating an account', async (persona, claims, status) => {
    const response = await createAccount(persona, claims);

    expect(response.status).toBe(status);
    if (status !== 201) {
      expect(accounts.created).toHaveLength(0);
      expect(users).toHaveLength(0);
    }
  });

  it.each([
    ['anonymous', {}, 401],
    ['bisAgent', {}, 403],
    ['user', OFFICER_CLAIMS, 404],
  ] as const)(
    'answers %s (%o) with %i when issuing a card at the office',
    async (persona, claims, status) => {
      const response = await call({
        persona,
        claims,
        method: 'POST',
        resource: '/registration-office/accounts/{personId}/code-card',
        pathParameters: { personId: '01JZ0000000000000000000077' },
      });

      expect(response.status).toBe(status);
    },
  );
});

describe('native routes: account creation', () => {
  it('creates the person, the Cognito user and mails activation and card when the INSZ is registered', async () => {
    const response = await createAccount('user', OFFICER_CLAIMS);

    expect(response.body).toEqual({ personId: expect.any(String), username: 'ea-k7m2p9qx4t', insz: INSZ });
    expect(users).toEqual([
      { username: 'ea-k7m2p9qx4t', email: 'marie@example.fr', temporaryPassword: 'Temp-Passw0rd#2026' },
    ]);
    expect(mails).toEqual([
      expect.objectContaining({
        to: 'marie@example.fr',
        template: 'native-account-activation',
        data: { username: 'ea-k7m2p9qx4t', temporaryPassword: 'Temp-Passw0rd#2026', validityDays: '7' },
      }),
    ]);
    expect(cardMails).toHaveLength(1);
    expect(cardMails[0]?.attachments?.[0]?.contentType).toBe('application/pdf');
    expect(cards.cards.get('ea-k7m2p9qx4t')?.version).toBe(1);
    expect(JSON.stringify(response.body)).not.toContain('Temp-Passw0rd');
  });

  it('answers 409 when the same INSZ gets a second account', async () => {
    await createAccount('user', OFFICER_CLAIMS);

    const second = await createAccount('user', OFFICER_CLAIMS);

    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/already has an account/);
    expect(users).toHaveLength(1);
  });

  it('answers 422 when the INSZ is not in the person register', async () => {
    const response = await createAccount('user', OFFICER_CLAIMS, {
      insz: '06070500252',
      email: 'x@example.fr',
    });

    expect(response.status).toBe(422);
    expect(accounts.created).toHaveLength(0);
  });

  it('answers 400 when both or neither of insz and person are given', async () => {
    const neither = await createAccount('user', OFFICER_CLAIMS, { email: 'x@example.fr' });

    expect(neither.status).toBe(400);
  });

  it('removes the account again when Cognito refuses the user', async () => {
    router = createRouter(
      createNativeRoutes({
        ...(await depsWith({ createUser: async () => Promise.reject(new Error('Cognito down')) })),
      }),
    );

    const response = await createAccount('user', OFFICER_CLAIMS);

    expect(response.status).toBe(500);
    expect(accounts.accounts.size).toBe(0);
  });
});

describe('native routes: own code card', () => {
  it('forbids a new card for an itsme session', async () => {
    const response = await call({ persona: 'userWithInsz', method: 'POST', resource: '/me/code-card' });

    expect(response.status).toBe(403);
  });

  it('replaces the card of a native session and never answers the codes', async () => {
    const created = await createAccount('user', OFFICER_CLAIMS);

    const response = await call({
      persona: 'user',
      claims: { person_id: created.body.personId, idp: 'native' },
      method: 'POST',
      resource: '/me/code-card',
    });

    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['cardId', 'createdAt']);
    expect(cards.cards.get('ea-k7m2p9qx4t')?.version).toBe(2);
    expect(cardMails).toHaveLength(2);
  });

  it('shows the card state of a native user and nothing for others', async () => {
    const created = await createAccount('user', OFFICER_CLAIMS);

    const own = await call({
      persona: 'user',
      claims: { person_id: created.body.personId },
      resource: '/me/second-factors',
    });
    const other = await call({ persona: 'userWithInsz', resource: '/me/second-factors' });

    expect(own.body).toEqual({
      nativeAccount: true,
      codeCard: {
        cardId: expect.any(String),
        version: 1,
        createdAt: '2026-03-01T12:00:00.000Z',
        locked: false,
      },
    });
    expect(other.body).toEqual({ nativeAccount: false, codeCard: null });
  });
});

async function depsWith(cognito: Partial<NativeDeps['cognito']>): Promise<NativeDeps> {
  return {
    accounts,
    cards,
    register: {
      findPerson: async (insz) =>
        insz === INSZ
          ? { insz, givenNames: 'Marie', familyName: 'Dupont', birthDate: '1985-07-30' }
          : undefined,
    },
    bis: {} as NativeDeps['bis'],
    cognito: { createUser: async () => {}, deleteUser: async () => {}, ...cognito },
    mailer: { send: async () => {} },
    cardMailer: { send: async () => {} },
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    newId: () => `01JZ${String(++ids).padStart(22, '0')}`,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    temporaryPasswordValidityDays: 7,
    kdf: TEST_KDF,
  };
}
