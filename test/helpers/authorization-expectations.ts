/**
 * The authorization matrix of the HTTP API: for every route (`METHOD resource` of `API_ROUTES`) the
 * status each persona must get for a minimal VALID request, so that input validation never masks the
 * authorization decision. `test/integration/authorization-matrix.test.ts` fails when a route has no
 * row here, or a row names no route: a new route cannot ship without saying who may call it.
 *
 * The personas are people in the table as the real flows leave them (profiles, INSZ links, company
 * register entries, memberships through the real claim and appointment routes), plus objects owned
 * by someone who is none of them: a BIS registration, a foreign registration, a right request and a
 * grant, each waiting or live, built by {@link buildMatrixWorld}.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { newId } from '#shared/ids';
import { identityKeys, keys, organisationKeys } from '#shared/keys';
import { createDynamoPersonRegister } from '#shared/person-register';
import { createDynamoCompanyRegister } from '../../lambdas/organisations/company-register.ts';
import { type ApiEventOptions, apiEvent } from './api-events.ts';
import type { ApiEnvironment } from './fuzz-api-environment.ts';
import { person, type SeededPerson, seedMembership, seedPerson } from './organisations.ts';
import { uniqueEnterpriseNumber, uniqueInsz } from './unique-ids.ts';

/** Every caller the matrix knows, in column order. */
export const MATRIX_PERSONAS = [
  'anonymous',
  'userWithoutInsz',
  'userWithInsz',
  'member',
  'administratorElsewhere',
  'administrator',
  'legalRepresentative',
  'bisAgent',
  'securityOfficer',
  'registrationOfficer',
  'nativeUser',
] as const;

/** One of {@link MATRIX_PERSONAS}. */
export type MatrixPersona = (typeof MATRIX_PERSONAS)[number];

/** A persona that signs in. */
export type SignedInPersona = Exclude<MatrixPersona, 'anonymous'>;

/** How each persona signs in and what the table knows about them. */
const PERSONA_SETUP: Record<SignedInPersona, { idp: WorldIdp; insz: boolean; group?: string }> = {
  // An eIDAS user without a Belgian number: the BIS applicant profile.
  userWithoutInsz: { idp: 'eidas', insz: false },
  userWithInsz: { idp: 'itsme', insz: true },
  member: { idp: 'itsme', insz: true },
  administratorElsewhere: { idp: 'itsme', insz: true },
  administrator: { idp: 'itsme', insz: true },
  legalRepresentative: { idp: 'itsme', insz: true },
  bisAgent: { idp: 'itsme', insz: true, group: 'bis-agents' },
  securityOfficer: { idp: 'itsme', insz: true, group: 'security-officers' },
  registrationOfficer: { idp: 'itsme', insz: true, group: 'registration-officers' },
  // A username-and-password account the registration officer created for a registered person.
  nativeUser: { idp: 'native', insz: true },
};

/** How a world person signs in. */
export type WorldIdp = 'eidas' | 'itsme' | 'native';

/** A person of the world and how they sign in. */
export interface WorldPerson extends SeededPerson {
  idp: WorldIdp;
  group?: string;
  /** The Cognito username of the person's login (the `username` claim): names the current login. */
  username?: string;
}

/** The table state the matrix runs against. */
export interface MatrixWorld {
  /** Belgian company claimed by `legalRepresentative`; `administrator` appointed, `member` a former one. */
  orgCode: string;
  /** Another company, claimed by `administratorElsewhere`. */
  otherOrgCode: string;
  people: Record<SignedInPersona, WorldPerson>;
  /** An administrator of `orgCode` who is no persona: target of appointments and removals. */
  secondAdministrator: WorldPerson;
  /** Pending BIS registration (waiting for an agent) of an eIDAS applicant who is no persona. */
  bisRegistrationId: string;
  /** Pending foreign registration (waiting for a security officer) of someone who is no persona. */
  foreignRegistrationId: string;
  /** Pending right request (waiting for a local administrator of `orgCode`) of someone who is no persona. */
  rightRequestId: string;
  /** Live grant in `orgCode` of someone who is no persona. */
  grantId: string;
  /** Open identity case (a verified login displaced a weak holder) about people who are no persona. */
  identityCaseId: string;
  /** Open organisation case of `otherOrgCode` about its administrator, as the representative check opens it. */
  organisationCaseId: string;
}

/** The parts of a request a row chooses; method and resource come from the route key. */
export type MatrixRequest = Pick<ApiEventOptions, 'pathParameters' | 'query' | 'body'>;

/** A parsed answer. */
export interface MatrixAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

/** What rows work with. */
export interface MatrixContext {
  env: ApiEnvironment;
  world: MatrixWorld;
  /** Calls `routeKey` as `caller` (a persona or any world person). */
  call(caller: MatrixPersona | WorldPerson, routeKey: string, request?: MatrixRequest): Promise<MatrixAnswer>;
}

/** One row: a valid request for the route and the status of every persona. */
export interface AuthorizationRow {
  /** Per-cell preparation (e.g. an upload of the caller); its result is passed to `request`. */
  prepare?: (context: MatrixContext, persona: MatrixPersona) => Promise<Record<string, string>>;
  request: (world: MatrixWorld, prepared: Record<string, string>, persona: MatrixPersona) => MatrixRequest;
  expected: Record<MatrixPersona, number>;
  /**
   * A 2xx changes the world for later cells (a decision, a removal): the world is rebuilt after it.
   * A list names the only personas for which it does.
   */
  mutates?: boolean | readonly MatrixPersona[];
}

/** Statuses of a row where only some personas differ from `others`. */
function statuses(
  others: number,
  overrides: Partial<Record<MatrixPersona, number>> = {},
): Record<MatrixPersona, number> {
  const row = Object.fromEntries(MATRIX_PERSONAS.map((persona) => [persona, others])) as Record<
    MatrixPersona,
    number
  >;
  return { ...row, anonymous: 401, ...overrides };
}

/** A local administrator's view of `orgCode`: members see some, others see nothing (404). */
function orgAdministratorsOnly(success: number): Record<MatrixPersona, number> {
  return statuses(404, { member: 403, administrator: success, legalRepresentative: success });
}

/** A minimal PDF for uploads. */
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

const PERSON_DATA = (p: SeededPerson) => ({
  givenNames: p.givenNames,
  familyName: p.familyName,
  birthDate: p.birthDate,
  sex: 'F',
  nationality: 'DE',
  placeOfBirth: 'Köln',
  address: {
    street: 'Rue de la Loi',
    houseNumber: '16',
    postalCode: '1000',
    city: 'Brussels',
    country: 'BE',
  },
  email: `${p.personId.toLowerCase()}@example.de`,
  phone: '+32 470 12 34 56',
});

/**
 * Every route's row, keyed by `METHOD resource` exactly as in `API_ROUTES`. 404 means "unknown or
 * not visible to the caller" (never reveal another organisation's objects); 403 that the caller may
 * see the object but not do this.
 */
export const AUTHORIZATION_MATRIX: Readonly<Record<string, AuthorizationRow>> = {
  'GET /me': { request: () => ({}), expected: statuses(200) },
  'GET /me/activity': { request: () => ({}), expected: statuses(200) },
  // Everyone may act as a private person; choosing an organisation one is not a member of is 404
  // (test/integration/identity-api/capacity.test.ts).
  'PUT /me/capacity': { request: () => ({ body: { orgCode: null } }), expected: statuses(200) },
  // Each persona states their own register data: already linked is 200 (idempotent); the person
  // without a number gets it linked (the register equals what their eIDAS login asserted).
  'POST /me/insz': {
    request: (w, _prepared, persona) => {
      const p = persona === 'anonymous' ? w.people.userWithInsz : w.people[persona];
      return {
        body: {
          insz: registerNumbers.get(p.personId),
          givenNames: p.givenNames,
          familyName: p.familyName,
          birthDate: p.birthDate,
        },
      };
    },
    expected: statuses(200),
    mutates: ['userWithoutInsz'],
  },
  // Anyone may start connecting another login from the login they are signed in with.
  'POST /me/connections': { request: () => ({}), expected: statuses(201) },
  // The connection id is the bearer: the other login of the same person reads what it will connect.
  'GET /me/connections/{connectionId}': {
    prepare: async (context) => ({ connectionId: await startConnection(context, 'userWithInsz') }),
    request: (_w, prepared) => ({ pathParameters: { connectionId: String(prepared.connectionId) } }),
    expected: statuses(200),
  },
  // Each persona confirms its own intent: the same account (409), valid request, nothing written.
  'POST /me/connections/{connectionId}': {
    prepare: async (context, persona) =>
      persona === 'anonymous'
        ? { connectionId: newId() }
        : { connectionId: await startConnection(context, persona) },
    request: (_w, prepared) => ({ pathParameters: { connectionId: String(prepared.connectionId) } }),
    expected: statuses(409),
  },
  'GET /security/identity-cases': {
    request: () => ({ query: { status: 'OPEN' } }),
    expected: statuses(403, { securityOfficer: 200 }),
  },
  'POST /security/identity-cases/{caseId}/resolution': {
    request: (w) => ({
      pathParameters: { caseId: w.identityCaseId },
      body: { resolution: 'keep-suspended', reason: 'Matrix: no proof brought' },
    }),
    expected: statuses(403, { securityOfficer: 200 }),
    mutates: true,
  },
  'GET /security/organisation-cases': {
    request: () => ({ query: {} }),
    expected: statuses(403, { securityOfficer: 200 }),
  },
  'POST /security/organisation-cases/{caseId}/resolution': {
    request: (w) => ({
      pathParameters: { caseId: w.organisationCaseId },
      body: { resolution: 'dismissed', note: 'Matrix: the register entry is being corrected' },
    }),
    expected: statuses(403, { securityOfficer: 200 }),
    mutates: true,
  },
  // Only an eIDAS session of a person without a number may apply.
  'POST /bis-registrations': {
    request: (w, _prepared, persona) => ({
      body: PERSON_DATA(persona === 'anonymous' ? w.people.userWithoutInsz : w.people[persona]),
    }),
    expected: statuses(403, { userWithoutInsz: 202 }),
  },
  'GET /bis-registrations/{id}': {
    request: (w) => ({ pathParameters: { id: w.bisRegistrationId } }),
    expected: statuses(404, { bisAgent: 200 }),
  },
  // Someone else's request: not visible, except to agents, who review but do not correct.
  'POST /bis-registrations/{id}/corrections': {
    request: (w) => ({
      pathParameters: { id: w.bisRegistrationId },
      body: PERSON_DATA(person({ givenNames: 'Erika', familyName: 'Mustermann', birthDate: '1964-08-12' })),
    }),
    expected: statuses(404, { bisAgent: 403 }),
  },
  'GET /agent/bis-registrations': {
    request: () => ({ query: { status: 'PENDING_REVIEW' } }),
    expected: statuses(403, { bisAgent: 200 }),
  },
  'POST /agent/bis-registrations/{id}/decision': {
    request: (w) => ({ pathParameters: { id: w.bisRegistrationId }, body: { decision: 'approve' } }),
    expected: statuses(403, { bisAgent: 200 }),
    mutates: true,
  },
  // Only a legal representative the company register lists (already claimed: 200, idempotent).
  'POST /organisations/claims': {
    request: (w) => ({ body: { enterpriseNumber: w.orgCode } }),
    expected: statuses(403, { legalRepresentative: 200 }),
  },
  'POST /uploads': {
    request: () => ({ body: { contentType: 'application/pdf', size: PDF.length } }),
    expected: statuses(201),
  },
  'POST /organisations/foreign-registrations': {
    prepare: async (context, persona) =>
      persona === 'anonymous' ? { uploadId: newId() } : { uploadId: await upload(context, persona) },
    request: (_w, prepared) => ({ body: foreignRegistrationBody(String(prepared.uploadId)) }),
    expected: statuses(202),
  },
  'GET /organisations/foreign-registrations/{id}': {
    request: (w) => ({ pathParameters: { id: w.foreignRegistrationId } }),
    expected: statuses(404, { securityOfficer: 200 }),
  },
  'GET /security/foreign-registrations': {
    request: () => ({ query: { status: 'PENDING_REVIEW' } }),
    expected: statuses(403, { securityOfficer: 200 }),
  },
  'POST /security/foreign-registrations/{id}/decision': {
    request: (w) => ({ pathParameters: { id: w.foreignRegistrationId }, body: { decision: 'approve' } }),
    expected: statuses(403, { securityOfficer: 200 }),
    mutates: true,
  },
  'GET /organisations/{orgCode}': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode } }),
    expected: statuses(404, { member: 200, administrator: 200, legalRepresentative: 200 }),
  },
  'GET /organisations/{orgCode}/members': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode } }),
    expected: orgAdministratorsOnly(200),
  },
  // Appointing someone who is an administrator already: 200 and nothing changes.
  'POST /organisations/{orgCode}/administrators': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode }, body: { insz: w.secondAdministrator.insz } }),
    expected: orgAdministratorsOnly(200),
  },
  'DELETE /organisations/{orgCode}/administrators/{personId}': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode, personId: w.secondAdministrator.personId } }),
    expected: orgAdministratorsOnly(204),
    mutates: true,
  },
  'GET /applications': { request: () => ({}), expected: statuses(200) },
  // A person checked in person at the office: each officer cell gets a fresh register entry.
  'POST /registration-office/accounts': {
    prepare: async (context) => ({ insz: await registeredPerson(context.env) }),
    request: (_w, prepared) => ({
      body: { insz: prepared.insz, email: 'new-native-user@example.be', locale: 'nl' },
    }),
    expected: statuses(403, { registrationOfficer: 201 }),
  },
  'GET /registration-office/pending-accounts': {
    request: () => ({}),
    expected: statuses(403, { registrationOfficer: 200 }),
  },
  // An unknown request: officers get 404, everyone else 403 before any read (four eyes: see
  // test/integration/native for 202 → 403 same officer → 201 another → 409 again).
  'POST /registration-office/pending-accounts/{pendingId}/confirmation': {
    request: () => ({ pathParameters: { pendingId: '01JZ0000000000000000000000' } }),
    expected: statuses(403, { registrationOfficer: 404 }),
  },
  // The native user's account: a new card for it (a person without an account is 404, see the test).
  'POST /registration-office/accounts/{personId}/code-card': {
    request: (w) => ({ pathParameters: { personId: w.people.nativeUser.personId } }),
    expected: statuses(403, { registrationOfficer: 201 }),
  },
  'POST /me/code-card': {
    request: () => ({}),
    expected: statuses(403, { nativeUser: 201 }),
  },
  'GET /me/second-factors': { request: () => ({}), expected: statuses(200) },
  // Self-registration: anyone with a number may ask any organisation for a role.
  'POST /organisations/{orgCode}/right-requests': {
    request: (w) => ({
      pathParameters: { orgCode: w.orgCode },
      body: { application: 'KLIP', role: 'klb-beheerder', justification: 'Matrix' },
    }),
    expected: statuses(202, { userWithoutInsz: 403 }),
  },
  'GET /organisations/{orgCode}/right-requests': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode }, query: { status: 'PENDING' } }),
    expected: orgAdministratorsOnly(200),
  },
  'POST /organisations/{orgCode}/right-requests/{requestId}/decision': {
    request: (w) => ({
      pathParameters: { orgCode: w.orgCode, requestId: w.rightRequestId },
      body: { decision: 'approve' },
    }),
    expected: orgAdministratorsOnly(200),
    mutates: true,
  },
  'GET /organisations/{orgCode}/grants': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode } }),
    expected: orgAdministratorsOnly(200),
  },
  'POST /organisations/{orgCode}/grants': {
    request: (w) => ({
      pathParameters: { orgCode: w.orgCode },
      body: { insz: w.secondAdministrator.insz, application: 'KLIP', role: 'planaanvrager' },
    }),
    expected: orgAdministratorsOnly(201),
    mutates: true,
  },
  'DELETE /organisations/{orgCode}/grants/{grantId}': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode, grantId: w.grantId } }),
    expected: orgAdministratorsOnly(204),
    mutates: true,
  },
  'GET /organisations/{orgCode}/audit': {
    request: (w) => ({ pathParameters: { orgCode: w.orgCode } }),
    expected: orgAdministratorsOnly(200),
  },
};

/** A foreign registration body with a unique registration number. */
export function foreignRegistrationBody(uploadId: string): Record<string, unknown> {
  return {
    name: 'Muster Bau GmbH',
    country: 'DE',
    registrationNumber: `HRB ${Math.floor(Math.random() * 1e9)}`,
    address: { street: 'Hauptstraße', houseNumber: '1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    uploadId,
  };
}

/** The authorizer claims of a world person (a session authenticated just now). */
export function claimsOf(p: WorldPerson): Record<string, string> {
  return {
    sub: `sub-${p.personId.toLowerCase()}`,
    token_use: 'id',
    person_id: p.personId,
    idp: p.idp,
    loa: 'substantial',
    roles: '',
    admin_of: '',
    auth_time: String(Math.floor(Date.now() / 1000)),
    ...(p.username ? { username: p.username } : {}),
    ...(p.insz ? { insz: p.insz } : {}),
    ...(p.group ? { 'cognito:groups': p.group } : {}),
  };
}

/** Calls a route through the real Lambda entries. */
export async function callRoute(
  env: ApiEnvironment,
  caller: WorldPerson | undefined,
  routeKey: string,
  request: MatrixRequest = {},
): Promise<MatrixAnswer> {
  const [method, resource] = routeKey.split(' ') as [string, string];
  const event = apiEvent({ method, resource, ...request, persona: caller ? 'user' : 'anonymous' });
  if (caller && event.requestContext.authorizer) event.requestContext.authorizer.claims = claimsOf(caller);
  const raw = await env.invoke(event);
  return {
    status: raw.statusCode,
    headers: raw.headers ?? {},
    body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {},
  };
}

/** True when a 2xx of `row` for `persona` changes the world. */
export function mutatesWorld(row: AuthorizationRow, persona: MatrixPersona): boolean {
  return Array.isArray(row.mutates) ? row.mutates.includes(persona) : row.mutates === true;
}

/** The matrix context over `env` and `world`. */
export function matrixContext(env: ApiEnvironment, world: MatrixWorld): MatrixContext {
  return {
    env,
    world,
    call: (caller, routeKey, request) =>
      callRoute(
        env,
        typeof caller === 'string' ? (caller === 'anonymous' ? undefined : world.people[caller]) : caller,
        routeKey,
        request,
      ),
  };
}

function ok(answer: MatrixAnswer, status: number, what: string): MatrixAnswer {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(status);
  return answer;
}

/** `POST /me/connections` as the persona; the connection id. */
async function startConnection(context: MatrixContext, persona: SignedInPersona): Promise<string> {
  const answer = ok(await context.call(persona, 'POST /me/connections'), 201, 'connection');
  return String(answer.body.connectionId);
}

/** `POST /uploads` as the persona, then the PUT to the presigned URL; the upload id. */
async function upload(context: MatrixContext, persona: SignedInPersona): Promise<string> {
  const answer = ok(
    await context.call(persona, 'POST /uploads', {
      body: { contentType: 'application/pdf', size: PDF.length },
    }),
    201,
    'upload',
  );
  const put = await fetch(String(answer.body.url), {
    method: 'PUT',
    headers: answer.body.headers as Record<string, string>,
    body: new Uint8Array(PDF),
  });
  expect(put.status).toBe(200);
  return String(answer.body.uploadId);
}

/**
 * Builds a world in the environment's table: people (profile, INSZ link, person register entry),
 * two claimed companies, appointments, and the objects owned by people who are no persona. Every
 * world is independent (its own people and companies), so many can share one table.
 */
export async function buildMatrixWorld(env: ApiEnvironment): Promise<MatrixWorld> {
  const tableOptions = { tableName: env.table.tableName, documentClient: env.table.documentClient };
  const personRegister = createDynamoPersonRegister(tableOptions);
  const companyRegister = createDynamoCompanyRegister(tableOptions);

  const seed = async (idp: WorldIdp, withInsz: boolean, group?: string): Promise<WorldPerson> => {
    const insz = uniqueInsz();
    const seeded = person(withInsz ? { insz } : { insz: undefined });
    await seedPerson(env.table, seeded);
    if (idp === 'eidas') {
      await env.table.documentClient.send(
        new PutCommand({
          TableName: env.table.tableName,
          Item: { ...seeded, ...keys.person(seeded.personId), type: 'person', providers: new Set(['eidas']) },
        }),
      );
    }
    // Everyone is in the person register, so "I know my number" can succeed for the one without.
    await personRegister.putPerson({
      insz,
      givenNames: seeded.givenNames,
      familyName: seeded.familyName,
      birthDate: seeded.birthDate,
    });
    if (withInsz) {
      await env.table.documentClient.send(
        new PutCommand({
          TableName: env.table.tableName,
          // The link's evidence mirrors the profile's (`inszEvidence`), as the identity context writes both.
          Item: {
            ...keys.inszLink(insz),
            type: 'inszLink',
            personId: seeded.personId,
            evidence: seeded.inszEvidence ?? 'itsme-eid',
            linkedAt: new Date().toISOString(),
          },
        }),
      );
    }
    let username: string | undefined;
    if (idp !== 'native') {
      // The identity link the login trigger writes: evidence, what the IdP asserted, the Cognito username.
      const subject = idp === 'eidas' ? `DE/BE/${seeded.personId}` : `sub-${seeded.personId.toLowerCase()}`;
      username = idp === 'eidas' ? `eIDAS_${seeded.personId.toLowerCase()}` : `itsme_${subject}`;
      await env.table.documentClient.send(
        new PutCommand({
          TableName: env.table.tableName,
          Item: {
            ...keys.identityLink(idp, subject),
            type: 'identityLink',
            personId: seeded.personId,
            provider: idp,
            evidence: 'first-login',
            linkedAt: new Date().toISOString(),
            loa: 'substantial',
            cognitoUsername: username,
            asserted: {
              givenNames: seeded.givenNames,
              familyName: seeded.familyName,
              birthDate: seeded.birthDate,
            },
          },
        }),
      );
      await env.table.documentClient.send(
        new UpdateCommand({
          TableName: env.table.tableName,
          Key: keys.person(seeded.personId),
          UpdateExpression: 'ADD identityLinks :link',
          ExpressionAttributeValues: { ':link': new Set([`${idp}#${subject}`]) },
        }),
      );
    }
    const result: WorldPerson = {
      ...seeded,
      idp,
      ...(group ? { group } : {}),
      ...(username ? { username } : {}),
    };
    // The one without a number keeps the register's number aside for POST /me/insz.
    if (!withInsz) result.insz = undefined;
    registerNumbers.set(seeded.personId, insz);
    return result;
  };

  const people = {} as Record<SignedInPersona, WorldPerson>;
  for (const [persona, setup] of Object.entries(PERSONA_SETUP) as [
    SignedInPersona,
    (typeof PERSONA_SETUP)[SignedInPersona],
  ][]) {
    people[persona] = await seed(setup.idp, setup.insz, setup.group);
  }
  const secondAdministrator = await seed('itsme', true);
  const stranger = await seed('itsme', true);
  const grantee = await seed('itsme', true);
  const applicant = await seed('eidas', false);

  const orgCode = uniqueEnterpriseNumber();
  const otherOrgCode = uniqueEnterpriseNumber();
  await companyRegister.putCompany({
    enterpriseNumber: orgCode,
    name: 'Matrix NV',
    legalRepresentatives: [String(people.legalRepresentative.insz)],
  });
  await companyRegister.putCompany({
    enterpriseNumber: otherOrgCode,
    name: 'Elders BV',
    legalRepresentatives: [String(people.administratorElsewhere.insz)],
  });
  const call = (caller: WorldPerson, routeKey: string, request?: MatrixRequest) =>
    callRoute(env, caller, routeKey, request);
  // The number belongs to an existing person: four eyes, a second officer confirms.
  const requested = ok(
    await call(people.registrationOfficer, 'POST /registration-office/accounts', {
      body: { insz: people.nativeUser.insz, email: `${people.nativeUser.personId.toLowerCase()}@example.be` },
    }),
    202,
    'native account request',
  );
  const secondOfficer: WorldPerson = { ...people.registrationOfficer, personId: newId() };
  const nativeAccount = ok(
    await call(secondOfficer, 'POST /registration-office/pending-accounts/{pendingId}/confirmation', {
      pathParameters: { pendingId: String(requested.body.pendingId) },
    }),
    201,
    'native account',
  );
  expect(nativeAccount.body.personId, 'the account joins the registered person').toBe(
    people.nativeUser.personId,
  );
  people.nativeUser.username = String(nativeAccount.body.username);
  ok(
    await call(people.legalRepresentative, 'POST /organisations/claims', {
      body: { enterpriseNumber: orgCode },
    }),
    201,
    'claim',
  );
  ok(
    await call(people.administratorElsewhere, 'POST /organisations/claims', {
      body: { enterpriseNumber: otherOrgCode },
    }),
    201,
    'claim elsewhere',
  );
  for (const appointee of [people.administrator, secondAdministrator, people.member]) {
    ok(
      await call(people.legalRepresentative, 'POST /organisations/{orgCode}/administrators', {
        pathParameters: { orgCode },
        body: { insz: appointee.insz },
      }),
      201,
      'appointment',
    );
  }
  ok(
    await call(people.legalRepresentative, 'DELETE /organisations/{orgCode}/administrators/{personId}', {
      pathParameters: { orgCode, personId: people.member.personId },
    }),
    204,
    'member stays after removal',
  );

  const bis = ok(
    await call(applicant, 'POST /bis-registrations', { body: PERSON_DATA(applicant) }),
    202,
    'BIS registration',
  );

  const uploadAnswer = ok(
    await call(stranger, 'POST /uploads', { body: { contentType: 'application/pdf', size: PDF.length } }),
    201,
    'upload',
  );
  const put = await fetch(String(uploadAnswer.body.url), {
    method: 'PUT',
    headers: uploadAnswer.body.headers as Record<string, string>,
    body: new Uint8Array(PDF),
  });
  expect(put.status).toBe(200);
  const foreign = ok(
    await call(stranger, 'POST /organisations/foreign-registrations', {
      body: foreignRegistrationBody(String(uploadAnswer.body.uploadId)),
    }),
    202,
    'foreign registration',
  );

  const request = ok(
    await call(stranger, 'POST /organisations/{orgCode}/right-requests', {
      pathParameters: { orgCode },
      body: { application: 'KLIP', role: 'klb-beheerder' },
    }),
    202,
    'right request',
  );
  // A role without approval is granted at once — to a member only (a link grants nothing by itself).
  await seedMembership(env.table, grantee.personId, orgCode);
  ok(
    await call(grantee, 'POST /organisations/{orgCode}/right-requests', {
      pathParameters: { orgCode },
      body: { application: 'KLIP', role: 'raadpleger' },
    }),
    202,
    'auto-granted request',
  );
  const grants = ok(
    await call(people.legalRepresentative, 'GET /organisations/{orgCode}/grants', {
      pathParameters: { orgCode },
    }),
    200,
    'grants',
  );
  const grant = (grants.body.items as Record<string, unknown>[]).find(
    (item) => item.personId === grantee.personId,
  );
  if (!grant) throw new Error(`No grant of the grantee: ${JSON.stringify(grants.body)}`);

  // An open identity case between two people who are no persona, as the login trigger opens it.
  const suspended = await seed('eidas', false);
  const verified = await seed('itsme', true);
  const identityCaseId = newId();
  const caseCreatedAt = new Date().toISOString();
  await env.table.documentClient.send(
    new PutCommand({
      TableName: env.table.tableName,
      Item: {
        ...identityKeys.supportCase(identityCaseId),
        ...identityKeys.supportCaseQueue('OPEN', caseCreatedAt, identityCaseId),
        type: 'identityCase',
        caseId: identityCaseId,
        kind: 'verified-identity-conflict',
        status: 'OPEN',
        suspendedPersonId: suspended.personId,
        verifiedPersonId: verified.personId,
        provider: 'itsme',
        createdAt: caseCreatedAt,
      },
    }),
  );

  // An open organisation case, as the representative check opens it for a last administrator.
  const caseOpenedAt = new Date().toISOString();
  await env.table.documentClient.send(
    new PutCommand({
      TableName: env.table.tableName,
      Item: {
        ...organisationKeys.organisationCase(otherOrgCode, people.administratorElsewhere.personId),
        type: 'organisationCase',
        kind: 'representative-lapsed',
        orgCode: otherOrgCode,
        personId: people.administratorElsewhere.personId,
        status: 'OPEN',
        openedAt: caseOpenedAt,
      },
    }),
  );

  return {
    identityCaseId,
    organisationCaseId: organisationKeys.organisationCaseId(
      otherOrgCode,
      people.administratorElsewhere.personId,
    ),
    orgCode,
    otherOrgCode,
    people,
    secondAdministrator,
    bisRegistrationId: String(bis.body.registrationId),
    foreignRegistrationId: String(foreign.body.registrationId),
    rightRequestId: String(request.body.requestId),
    grantId: String(grant.grantId),
  };
}

/** A new person in the person register (no profile, no account); their INSZ. */
export async function registeredPerson(env: ApiEnvironment): Promise<string> {
  const insz = uniqueInsz();
  await createDynamoPersonRegister({
    tableName: env.table.tableName,
    documentClient: env.table.documentClient,
  }).putPerson({ insz, givenNames: 'Noor', familyName: 'Peeters', birthDate: '1990-02-03' });
  return insz;
}

/** The person register number of each seeded person (also of the one whose profile has none). */
export const registerNumbers = new Map<string, string>();
