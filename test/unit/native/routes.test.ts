import { randomUUID } from 'node:crypto';
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
import type { BisRepository } from '../../../lambdas/bis/bis-repository.ts';
import { createInPersonBisIssuer } from '../../../lambdas/bis/issue-in-person.ts';
import type { NewCognitoUser } from '../../../lambdas/native/cognito-users.ts';
import type {
  AccountPerson,
  ActivityRecord,
  Confirmation,
  InszHolder,
  NativeAccount,
  NativeRepository,
  PendingAccount,
  PendingStatus,
} from '../../../lambdas/native/native-repository.ts';
import type { NativeDeps } from '../../../lambdas/native/ports.ts';
import { createNativeRoutes } from '../../../lambdas/native/routes.ts';

const INSZ = '85073003328';
const OFFICER_CLAIMS = { 'cognito:groups': 'registration-officers' };
const context = {} as Context;

class MemoryAccounts implements NativeRepository {
  readonly accounts = new Map<string, NativeAccount>();
  readonly inszLinks = new Map<string, InszHolder>();
  readonly pending = new Map<string, PendingAccount>();
  readonly activity: ActivityRecord[] = [];
  readonly created: { account: NativeAccount; person: AccountPerson; confirmation?: Confirmation }[] = [];
  /** Appointments waiting per national number (organisation codes); claimed by the officer's link. */
  readonly waiting = new Map<string, string[]>();
  readonly claims: { personId: string; insz: string; existingPerson: boolean }[] = [];
  async claimPendingMemberships(personId: string, insz: string, _at: string, existingPerson: boolean) {
    const organisations = this.waiting.get(insz) ?? [];
    this.waiting.delete(insz);
    this.claims.push({ personId, insz, existingPerson });
    return organisations.length;
  }
  async findPersonByInsz(insz: string) {
    return this.inszLinks.get(insz);
  }
  async getAccount(personId: string) {
    return this.accounts.get(personId);
  }
  async createAccount(
    account: NativeAccount,
    person: AccountPerson,
    activity: ActivityRecord,
    confirmation?: Confirmation,
  ) {
    if (this.accounts.has(account.personId)) throw new ConflictError('This person already has an account.');
    if (confirmation) {
      const pending = this.pending.get(confirmation.pendingId);
      if (pending?.status !== 'PENDING' || pending.requestedBy === confirmation.confirmedBy) {
        throw new ConflictError('This account request was confirmed or cancelled already.');
      }
      pending.status = 'CONFIRMED';
      pending.confirmedBy = confirmation.confirmedBy;
    }
    this.accounts.set(account.personId, account);
    if (person.kind === 'new' && person.profile.insz)
      this.inszLinks.set(person.profile.insz, {
        personId: account.personId,
        evidence: 'registration-office',
      });
    this.activity.push(activity);
    this.created.push({ account, person, ...(confirmation ? { confirmation } : {}) });
  }
  async removeAccount(account: NativeAccount) {
    this.accounts.delete(account.personId);
  }
  async requestAccount(pending: PendingAccount, activity: ActivityRecord) {
    this.pending.set(pending.pendingId, { ...pending });
    this.activity.push(activity);
  }
  async getPending(pendingId: string) {
    const pending = this.pending.get(pendingId);
    return pending ? { ...pending } : undefined;
  }
  async listPending(status: PendingStatus) {
    return { items: [...this.pending.values()].filter((pending) => pending.status === status) };
  }
}

/** Everyone born on a date, as GSI2 would list them. */
let bornOn: { kind: 'REGISTER' | 'PERSON'; givenNames: string; familyName: string }[];

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
  bornOn = [];
  const deps: NativeDeps = {
    accounts,
    cards,
    register: {
      findPerson: async (insz) =>
        insz === INSZ
          ? { insz, givenNames: 'Marie', familyName: 'Dupont', birthDate: '1985-07-30' }
          : undefined,
    },
    birthDates: { findBornOn: async () => bornOn },
    bisNumbers: {} as NativeDeps['bisNumbers'],
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
  it('claims the appointments that waited on the number once the account exists, and keeps the account when that fails', async () => {
    accounts.waiting.set(INSZ, ['0403019261']);

    const created = await createAccount('user', OFFICER_CLAIMS);

    expect(created.status).toBe(201);
    expect(accounts.claims).toEqual([{ personId: created.body.personId, insz: INSZ, existingPerson: false }]);
    expect(accounts.accounts.has(created.body.personId)).toBe(true);

    accounts.accounts.clear();
    accounts.inszLinks.clear();
    accounts.claimPendingMemberships = async () => {
      throw new Error('throttled');
    };
    const despite = await createAccount('user', OFFICER_CLAIMS);
    expect(despite.status).toBe(201);
    expect(users).toHaveLength(2);
  });

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

const OTHER_OFFICER_CLAIMS = {
  'cognito:groups': 'registration-officers',
  person_id: '01JZ0000000000000000000088',
};
const EXISTING = '01JZ0000000000000000000050';

function holdByExistingPerson(evidence = 'itsme-eid') {
  accounts.inszLinks.set(INSZ, { personId: EXISTING, evidence });
}

const confirm = (
  pendingId: string,
  claims: Record<string, string> = OTHER_OFFICER_CLAIMS,
  persona: Persona = 'user',
) =>
  call({
    persona,
    claims,
    method: 'POST',
    resource: '/registration-office/pending-accounts/{pendingId}/confirmation',
    pathParameters: { pendingId },
  });

describe('native routes: four eyes for an account on an existing person', () => {
  it('answers 202 pending, writes the request with an activity entry and notice on the person, and creates nothing', async () => {
    holdByExistingPerson();

    const response = await createAccount('user', OFFICER_CLAIMS);

    expect(response.status).toBe(202);
    expect(response.body).toEqual({ pendingId: expect.any(String), status: 'PENDING_CONFIRMATION' });
    expect(accounts.pending.get(response.body.pendingId)).toMatchObject({
      status: 'PENDING',
      personId: EXISTING,
      requestedBy: '01JZ0000000000000000000001',
      email: 'marie@example.fr',
    });
    expect(accounts.activity).toEqual([
      {
        entry: expect.objectContaining({
          personId: EXISTING,
          event: 'office-account-requested',
          actor: 'registration-officer',
          reference: response.body.pendingId,
        }),
        notice: expect.objectContaining({ personId: EXISTING, event: 'office-account-requested' }),
      },
    ]);
    expect(JSON.stringify(accounts.activity)).not.toContain(INSZ);
    expect(accounts.created).toHaveLength(0);
    expect(users).toHaveLength(0);
    expect(mails).toHaveLength(0);
  });

  it('lists the pending request to officers only', async () => {
    holdByExistingPerson();
    const requested = await createAccount('user', OFFICER_CLAIMS);

    const listed = await call({
      persona: 'user',
      claims: OTHER_OFFICER_CLAIMS,
      resource: '/registration-office/pending-accounts',
    });
    const refused = await call({
      persona: 'securityOfficer',
      resource: '/registration-office/pending-accounts',
    });

    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        pendingId: requested.body.pendingId,
        holder: 'Marie Dupont',
        status: 'PENDING',
      }),
    ]);
    expect(refused.status).toBe(403);
  });

  it('refuses the confirmation by the officer who asked (403) and creates the account when another officer confirms; a second confirmation is 409', async () => {
    holdByExistingPerson('register-match');
    const { body } = await createAccount('user', OFFICER_CLAIMS);

    const same = await confirm(body.pendingId, OFFICER_CLAIMS);
    const confirmed = await confirm(body.pendingId);
    const again = await confirm(body.pendingId, {
      ...OTHER_OFFICER_CLAIMS,
      person_id: '01JZ0000000000000000000089',
    });

    expect(same.status).toBe(403);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toEqual({ personId: EXISTING, username: 'ea-k7m2p9qx4t', insz: INSZ });
    expect(accounts.created).toEqual([
      expect.objectContaining({
        person: { kind: 'existing', personId: EXISTING, insz: INSZ, inszEvidence: 'register-match' },
        confirmation: expect.objectContaining({
          pendingId: body.pendingId,
          confirmedBy: OTHER_OFFICER_CLAIMS.person_id,
        }),
      }),
    ]);
    expect(accounts.activity.at(-1)).toEqual({
      entry: expect.objectContaining({
        event: 'office-account-created',
        actorId: OTHER_OFFICER_CLAIMS.person_id,
        evidence: 'registration-office',
      }),
      notice: expect.objectContaining({ personId: EXISTING, event: 'office-account-created' }),
    });
    expect(users).toHaveLength(1);
    expect(again.status).toBe(409);
  });

  it.each([
    ['anonymous', {}, 401],
    ['bisAgent', {}, 403],
    ['user', {}, 403],
  ] as const)('answers %s (%o) with %i when confirming', async (persona, claims, status) => {
    holdByExistingPerson();
    const { body } = await createAccount('user', OFFICER_CLAIMS);

    const response = await confirm(body.pendingId, claims, persona);

    expect(response.status).toBe(status);
    expect(accounts.created).toHaveLength(0);
  });

  it('answers 404 for an unknown request and 400 for a malformed id', async () => {
    expect((await confirm('01JZ0000000000000000000077')).status).toBe(404);
    expect((await confirm('not-an-id')).status).toBe(400);
  });

  it('answers 409 when the number changed hands before the confirmation', async () => {
    holdByExistingPerson();
    const { body } = await createAccount('user', OFFICER_CLAIMS);
    accounts.inszLinks.set(INSZ, { personId: '01JZ0000000000000000000051', evidence: 'itsme-eid' });

    const response = await confirm(body.pendingId);

    expect(response.status).toBe(409);
    expect(accounts.created).toHaveLength(0);
  });

  it('creates a person for a number nobody holds at once, with an activity entry and no notice', async () => {
    const response = await createAccount('user', OFFICER_CLAIMS);

    expect(response.status).toBe(201);
    expect(accounts.activity).toEqual([
      {
        entry: expect.objectContaining({ event: 'office-account-created', evidence: 'registration-office' }),
      },
    ]);
  });
});

const BIS_PERSON = {
  givenNames: 'John Peter',
  familyName: 'Smith',
  birthDate: '1979-11-23',
  sex: 'M',
  nationality: 'GB',
  placeOfBirth: 'Leeds',
  address: { street: 'Rue Haute', houseNumber: '12', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
  phone: '+32470000000',
};

describe('native routes: BIS number on the spot, duplicate search', () => {
  let histories: { reason?: string }[];
  beforeEach(() => {
    histories = [];
    router = createRouter(
      createNativeRoutes({
        ...baseDeps(),
        bisNumbers: createInPersonBisIssuer({
          repository: {
            createRegistration: async (_registration: unknown, entry: { reason?: string }) => {
              histories.push(entry);
            },
            nextSequence: async () => 1,
            approve: async () => 'done',
          } as unknown as BisRepository,
          now: () => new Date(),
          newId: () => randomUUID(),
          logger: { info: () => {}, warn: () => {}, error: () => {} },
        }),
      }),
    );
  });

  it.each([
    ['the register', 'REGISTER', 'John', 'SMITH'],
    ['an existing person', 'PERSON', 'Jöhn-Paul', 'smith'],
  ] as const)(
    'answers 409 naming nobody when %s has the same first given name and family name',
    async (_, kind, givenNames, familyName) => {
      bornOn = [{ kind, givenNames, familyName }];

      const response = await createAccount('user', OFFICER_CLAIMS, {
        person: BIS_PERSON,
        email: 'john@example.co.uk',
      });

      expect(response.status).toBe(409);
      expect(response.body.detail).toMatch(/same name and birth date exists/);
      expect(JSON.stringify(response.body)).not.toMatch(/Jöhn|SMITH/);
      expect(accounts.created).toHaveLength(0);
      expect(histories).toHaveLength(0);
    },
  );

  it('issues the number when only another person shares the birth date', async () => {
    bornOn = [{ kind: 'REGISTER', givenNames: 'Peter', familyName: 'Smith' }];

    const response = await createAccount('user', OFFICER_CLAIMS, {
      person: BIS_PERSON,
      email: 'john@example.co.uk',
    });

    expect(response.status).toBe(201);
    expect(histories[0]?.reason).not.toMatch(/overridden/);
  });

  it('issues the number despite a likely duplicate with an override, audited in the BIS history and the activity entry', async () => {
    bornOn = [{ kind: 'PERSON', givenNames: 'John', familyName: 'Smith' }];

    const response = await createAccount('user', OFFICER_CLAIMS, {
      person: BIS_PERSON,
      email: 'john@example.co.uk',
      duplicateOverride: { reason: 'Namesake: other father, checked passport' },
    });

    expect(response.status).toBe(201);
    expect(histories[0]?.reason).toMatch(/overridden: Namesake: other father, checked passport/);
    expect(accounts.activity[0]?.entry.reason).toMatch(/Namesake: other father/);
  });

  it.each([
    ['a reason under 10 characters', { person: BIS_PERSON, duplicateOverride: { reason: 'short' } }],
    ['an override with an INSZ', { insz: INSZ, duplicateOverride: { reason: 'a long enough reason' } }],
    [
      'an unknown field in the override',
      { person: BIS_PERSON, duplicateOverride: { reason: 'a long enough reason', by: 'x' } },
    ],
  ])('answers 400 and writes nothing for %s', async (_, body) => {
    bornOn = [{ kind: 'PERSON', givenNames: 'John', familyName: 'Smith' }];

    const response = await createAccount('user', OFFICER_CLAIMS, { ...body, email: 'john@example.co.uk' });

    expect(response.status).toBe(400);
    expect(accounts.created).toHaveLength(0);
    expect(histories).toHaveLength(0);
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

function baseDeps(): NativeDeps {
  return {
    accounts,
    cards,
    register: {
      findPerson: async (insz) =>
        insz === INSZ
          ? { insz, givenNames: 'Marie', familyName: 'Dupont', birthDate: '1985-07-30' }
          : undefined,
    },
    birthDates: { findBornOn: async () => bornOn },
    bisNumbers: {} as NativeDeps['bisNumbers'],
    cognito: { createUser: async (user) => void users.push(user), deleteUser: async () => {} },
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
}

/** {@link baseDeps} with these Cognito calls, silent mailers and the default username and password. */
async function depsWith(cognito: Partial<NativeDeps['cognito']>): Promise<NativeDeps> {
  const { newUsername: _username, newTemporaryPassword: _password, ...deps } = baseDeps();
  return {
    ...deps,
    cognito: { createUser: async () => {}, deleteUser: async () => {}, ...cognito },
    mailer: { send: async () => {} },
    cardMailer: { send: async () => {} },
  };
}
