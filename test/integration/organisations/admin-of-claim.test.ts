/**
 * The `admin_of` claim is computed from membership items at every token issue. This drives the real
 * pre-token-generation trigger (DynamoDB repository) before and after organisation changes made
 * through the organisations API, on the same table.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadIdentityConfig } from '#identity/config';
import { createDynamoPersonRepository } from '#identity/person-repository';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { timeScaleForDay } from '#local/step-functions';
import { newId } from '#shared/ids';
import { preTokenGenerationEvent } from '#test/helpers/cognito-events';
import { createTestTable, type TestTable } from '#test/helpers/dynamodb';
import {
  createOrganisationsHarness,
  type OrganisationsHarness,
  organisationsDefinition,
  uniqueEnterpriseNumber,
  uniqueInsz,
} from './harness.ts';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'unused-by-these-tests');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

const silent = { info: () => {}, warn: () => {}, error: () => {} };

let table: TestTable;
let h: OrganisationsHarness;
let login: (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent>;

beforeAll(async () => {
  organisationsDefinition();
  table = await createTestTable();
  h = await createOrganisationsHarness(table, { timeScale: timeScaleForDay(2_000) });
  login = createPreTokenGenerationHandler({
    config: loadIdentityConfig({}),
    repository: createDynamoPersonRepository({
      tableName: table.tableName,
      documentClient: table.documentClient,
    }),
    logger: silent,
  });
});

afterAll(async () => {
  await h?.close();
  await table?.dispose();
});

/** An itsme login with a national number: creates the person (with INSZ and link) or resolves them. */
async function itsmeLogin(subject: string, insz: string) {
  const event = await login(
    preTokenGenerationEvent({ provider: 'itsme', subject, attributes: { 'custom:national_number': insz } }),
  );
  const details = event.response.claimsAndScopeOverrideDetails;
  return {
    id: details.idTokenGeneration?.claimsToAddOrOverride as unknown as Record<string, unknown>,
    access: details.accessTokenGeneration?.claimsToAddOrOverride as unknown as Record<string, unknown>,
  };
}

describe('admin_of from memberships (pre token generation)', () => {
  it('lists the organisation after a claim and an appointment, and drops it after a removal, at the next token', async () => {
    const lrSubject = `sub-${newId()}`;
    const lrInsz = uniqueInsz();
    const colleagueSubject = `sub-${newId()}`;
    const colleagueInsz = uniqueInsz();
    const kbo = uniqueEnterpriseNumber();
    await h.registerCompany(kbo, 'Token NV', [lrInsz]);

    const lrFirst = await itsmeLogin(lrSubject, lrInsz);
    const colleagueFirst = await itsmeLogin(colleagueSubject, colleagueInsz);
    const lrId = String(lrFirst.id.person_id);
    const colleagueId = String(colleagueFirst.id.person_id);
    const claimed = await h.as(lrId, {
      method: 'POST',
      resource: '/organisations/claims',
      body: { enterpriseNumber: kbo },
    });
    const lrAfterClaim = await itsmeLogin(lrSubject, lrInsz);
    const appointed = await h.as(lrId, {
      method: 'POST',
      resource: '/organisations/{orgCode}/administrators',
      pathParameters: { orgCode: kbo },
      body: { insz: colleagueInsz },
    });
    const colleagueAfterAppointment = await itsmeLogin(colleagueSubject, colleagueInsz);
    const removed = await h.as(lrId, {
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode: kbo, personId: colleagueId },
    });
    const colleagueAfterRemoval = await itsmeLogin(colleagueSubject, colleagueInsz);

    expect(lrFirst.id.admin_of).toEqual([]);
    expect(claimed.status).toBe(201);
    expect(lrAfterClaim.id.admin_of).toEqual([kbo]);
    expect(lrAfterClaim.access.admin_of).toEqual([kbo]);
    expect(appointed.status).toBe(201);
    expect(colleagueAfterAppointment.id.admin_of).toEqual([kbo]);
    expect(removed.status).toBe(204);
    expect(colleagueAfterRemoval.id.admin_of).toEqual([]);
    expect(colleagueAfterRemoval.access.admin_of).toEqual([]);
  });
});
