/**
 * Approvers in O(administrators) (issue 20, item 3) on DynamoDB Local: an organisation's local
 * administrators are found by one Query on their own GSI1 prefix that reads only them — with 400
 * members it reads the 2 administrators, not the 400 — and every write that changes the role
 * (claim, appointment, removal, a pending appointment claimed at first login) moves the membership
 * in or out of that prefix in the same write. The approval workflow's repository and the
 * organisations repository both ask the one shared query.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { timeScaleForDay } from '#local/step-functions';
import { newId } from '#shared/ids';
import { listAdministratorIds } from '#shared/organisation-access';
import { harnessSuite } from '#test/helpers/context-harness';
import { seedMembership } from '#test/helpers/organisations';
import { createDynamoRightsRepository } from '../../../lambdas/rights/rights-repository.ts';
import {
  appointAdministrator,
  claimedCompany,
  createOrganisationsHarness,
  organisationsDefinition,
} from './harness.ts';

const suite = harnessSuite(organisationsDefinition, createOrganisationsHarness);
const harness = () => suite.harness({ timeScale: timeScaleForDay(2_000) });

/** A document client that counts the items DynamoDB read (`ScannedCount`) for every Query. */
function counting(): { client: DynamoDBDocumentClient; scanned: () => number; queries: () => number } {
  let scanned = 0;
  let queries = 0;
  const client = {
    async send(command: { constructor: { name: string } }) {
      const out = (await suite.table.documentClient.send(command as never)) as { ScannedCount?: number };
      if (command.constructor.name === 'QueryCommand') {
        queries += 1;
        scanned += out.ScannedCount ?? 0;
      }
      return out;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, scanned: () => scanned, queries: () => queries };
}

describe('approvers in O(administrators)', () => {
  it('reads only the administrators of an organisation with 400 members, and follows appointments and removals', async () => {
    // Prepare
    const h = await harness();
    const { lr, orgCode } = await claimedCompany(h, 'Groot Bedrijf NV');
    const colleague = await h.seed();
    const appointed = await appointAdministrator(h, lr.personId, orgCode, colleague.insz);
    expect(appointed.status).toBe(201);
    const members = Array.from({ length: 400 }, () => newId());
    for (let i = 0; i < members.length; i += 25) {
      await Promise.all(
        members.slice(i, i + 25).map((personId) => seedMembership(suite.table, personId, orgCode)),
      );
    }
    const spy = counting();
    const rights = createDynamoRightsRepository({
      tableName: suite.table.tableName,
      documentClient: spy.client,
    });

    // Act
    const approvers = await rights.listAdministrators(orgCode);
    const fromOrganisations = await h.apiDeps.repository.listAdministratorIds(orgCode);
    const removed = await h.as(lr.personId, {
      method: 'DELETE',
      resource: '/organisations/{orgCode}/administrators/{personId}',
      pathParameters: { orgCode, personId: colleague.personId },
    });
    const afterRemoval = await listAdministratorIds(
      suite.table.documentClient,
      suite.table.tableName,
      orgCode,
    );
    const page = await h.as(lr.personId, {
      resource: '/organisations/{orgCode}/members',
      pathParameters: { orgCode },
      query: { limit: '100' },
    });

    // Assert
    expect(approvers.sort()).toEqual([lr.personId, colleague.personId].sort());
    expect(fromOrganisations.sort()).toEqual(approvers);
    expect(spy.queries()).toBe(1);
    expect(spy.scanned()).toBe(2);
    expect(removed.status).toBe(204);
    expect(afterRemoval).toEqual([lr.personId]);
    // The members list still holds everyone: administrators and the others share the MEMBER# prefix.
    expect(page.status).toBe(200);
    expect((page.body.items as unknown[]).length).toBe(100);
    expect(page.body.nextCursor).toEqual(expect.any(String));
  });
});
