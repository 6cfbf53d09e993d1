/**
 * Persons as the login triggers leave them (profile, identity link with evidence, `asserted` and the
 * Cognito username, optional INSZ link and memberships), the identity routes on a DynamoDB Local
 * table, and calls with the claims a real session carries (`username`, `auth_time`).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoAttemptLimiter } from '#identity/api/attempt-limiter';
import { createDynamoIdentityStore } from '#identity/api/identity-store';
import { createIdentityRoutes } from '#identity/api/routes';
import { createRouter, type RouterHandler } from '#shared/http/router';
import { newId } from '#shared/ids';
import { keys } from '#shared/keys';
import { createDynamoPersonRegister } from '#shared/person-register';
import { type ApiEventOptions, apiEvent, lambdaContext } from '#test/helpers/api-events';
import type { TestTable } from '#test/helpers/dynamodb';

export const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** What an IdP asserted. */
export interface Asserted {
  givenNames: string;
  familyName: string;
  birthDate: string;
}

/** A seeded person and how its session looks. */
export interface SeededLogin {
  personId: string;
  provider: 'eidas' | 'itsme';
  subject: string;
  username: string;
  ref: string;
}

/** Options of {@link IdentityWorld.person}. */
export interface PersonOptions {
  provider?: 'eidas' | 'itsme';
  /** What the IdP asserted; `null` for a link without asserted data. @default the profile names */
  asserted?: Asserted | null;
  profile?: Partial<Asserted> & Record<string, unknown>;
  insz?: string;
  inszEvidence?: string;
  membershipOf?: string;
}

/** The routes on a table, and helpers to build persons and call as them. */
export interface IdentityWorld {
  router: RouterHandler;
  register: ReturnType<typeof createDynamoPersonRegister>;
  person(options?: PersonOptions): Promise<SeededLogin>;
  call(
    login: SeededLogin | undefined,
    options: ApiEventOptions & { authTime?: number; extraClaims?: Record<string, string | undefined> },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

export const ERIKA: Asserted = { givenNames: 'Erika', familyName: 'Mustermann', birthDate: '1964-08-12' };

/** Where this module's sequences start (random, so runs against a kept table differ). */
const SEQUENCE_OFFSET = Math.floor(Math.random() * 997);
let sequences = 0;

/**
 * A valid national number for a birth date `YYMMDD` (1900s), unique per call (997 calls per test
 * file: the sequence counts on from a random start, where random draws alone could repeat).
 */
export function inszBornOn(yymmdd: string): string {
  const sequence = String(((SEQUENCE_OFFSET + sequences++) % 997) + 1).padStart(3, '0');
  const firstNine = `${yymmdd}${sequence}`;
  return `${firstNine}${String(97 - (Number(firstNine) % 97)).padStart(2, '0')}`;
}

export function identityWorld(table: TestTable, now: () => Date = () => new Date()): IdentityWorld {
  const options = { tableName: table.tableName, documentClient: table.documentClient };
  const register = createDynamoPersonRegister(options);
  const router = createRouter(
    createIdentityRoutes({
      store: createDynamoIdentityStore(options),
      register,
      attempts: createDynamoAttemptLimiter(options),
      now,
      newId: () => newId(),
      logger: silent,
    }),
  );
  const put = (Item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));

  return {
    router,
    register,
    async person(personOptions = {}) {
      const provider = personOptions.provider ?? 'eidas';
      const personId = newId();
      const subject = provider === 'eidas' ? `DE/BE/${newId()}` : `sub-${newId()}`;
      const username = provider === 'eidas' ? `eIDAS_${newId().toLowerCase()}` : `itsme_${subject}`;
      const names = { ...ERIKA, ...personOptions.profile };
      const at = '2026-01-01T00:00:00.000Z';
      const ref = `${provider}#${subject}`;
      await put({
        ...keys.person(personId),
        type: 'person',
        personId,
        ...names,
        email: `${personId.toLowerCase()}@example.be`,
        locale: 'nl',
        providers: new Set([provider]),
        identityLinks: new Set([ref]),
        ...(personOptions.insz
          ? {
              insz: personOptions.insz,
              inszEvidence: personOptions.inszEvidence ?? 'itsme-eid',
              inszLinkedAt: at,
            }
          : {}),
        createdAt: at,
      });
      const asserted =
        personOptions.asserted === null
          ? undefined
          : (personOptions.asserted ?? {
              givenNames: names.givenNames,
              familyName: names.familyName,
              birthDate: names.birthDate,
            });
      await put({
        ...keys.identityLink(provider, subject),
        type: 'identityLink',
        personId,
        provider,
        evidence: 'first-login',
        linkedAt: at,
        loa: 'substantial',
        cognitoUsername: username,
        ...(asserted ? { asserted } : {}),
        createdAt: at,
      });
      if (personOptions.insz) {
        await put({
          ...keys.inszLink(personOptions.insz),
          type: 'inszLink',
          personId,
          evidence: personOptions.inszEvidence ?? 'itsme-eid',
          linkedAt: at,
          loa: 'high',
          createdAt: at,
        });
      }
      if (personOptions.membershipOf) {
        await put({
          ...keys.membership(personId, personOptions.membershipOf),
          orgCode: personOptions.membershipOf,
        });
      }
      return { personId, provider, subject, username, ref };
    },
    async call(login, callOptions) {
      const { authTime, extraClaims, ...eventOptions } = callOptions;
      const claims: Record<string, string | undefined> = login
        ? {
            person_id: login.personId,
            idp: login.provider,
            username: login.username,
            auth_time: String(authTime ?? Math.floor(Date.now() / 1000)),
            ...extraClaims,
          }
        : {};
      const result = await router(
        apiEvent({ ...eventOptions, ...(login ? { claims } : { persona: 'anonymous' }) }),
        lambdaContext(),
      );
      return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : {} };
    },
  };
}
