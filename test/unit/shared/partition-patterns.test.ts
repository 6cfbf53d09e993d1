import { describe, expect, it } from 'vitest';
import { stringLike } from '#local/aws/dynamodb-authorization';
import * as keyModule from '#shared/keys';
import { IDEMPOTENCY_KEY_PREFIX, PARTITION_PATTERNS } from '#shared/keys';

type Place = keyof typeof PARTITION_PATTERNS;

/** The key-builder objects of keys.ts: every exported object of functions. */
const builderObjects = Object.entries(keyModule).filter(
  ([, value]) =>
    typeof value === 'object' &&
    value !== null &&
    value !== PARTITION_PATTERNS &&
    Object.values(value).every((member) => typeof member === 'function'),
) as [string, Record<string, (...args: string[]) => unknown>][];

/** Builders that answer a bare partition value, and where that partition lives. */
const PARTITION_BUILDERS: Record<string, Place> = {
  'keys.personPartition': 'table',
  'identityKeys.activityPartition': 'table',
  'identityKeys.pendingNoticesPartition': 'gsi1',
  'identityKeys.supportCaseQueuePartition': 'gsi1',
  'identityKeys.officePendingQueuePartition': 'gsi1',
  'identityKeys.bornOnPartition': 'gsi2',
  'bisKeys.registrationPartition': 'table',
  'bisKeys.queuePartition': 'gsi1',
  'organisationKeys.membersPartition': 'gsi1',
  'organisationKeys.auditPartition': 'table',
  'foreignRegistrationKeys.queuePartition': 'gsi1',
  'rightsKeys.inboxPartition': 'gsi1',
  'rightsKeys.organisationGrantsPartition': 'gsi1',
  'rightsKeys.grantExpiryPartition': 'gsi2',
  'rightsKeys.grantExpiryShardPartition': 'gsi2',
  'rightsKeys.pendingGrantNoticesPartition': 'gsi1',
  'organisationKeys.registerRepresentativesPartition': 'gsi2',
  'organisationKeys.organisationCaseQueue': 'gsi1',
};

/** Functions of the key objects that answer no key: a sort-key prefix, a case reference and its parser. */
const NOT_PARTITION_BUILDERS = new Set([
  'keys.grantsOf',
  'organisationKeys.organisationCaseId',
  'organisationKeys.parseOrganisationCaseId',
]);

const ATTRIBUTE_PLACES: Record<string, Place> = { PK: 'table', GSI1PK: 'gsi1', GSI2PK: 'gsi2' };

/** Every partition value every builder makes, with its place. */
function builtPartitions(): { builder: string; place: Place; value: string }[] {
  const built: { builder: string; place: Place; value: string }[] = [];
  for (const [objectName, builders] of builderObjects) {
    for (const [name, build] of Object.entries(builders)) {
      const builder = `${objectName}.${name}`;
      const args = Array.from({ length: build.length }, (_, i) =>
        builder === 'idempotencyKeys.record' ? `${IDEMPOTENCY_KEY_PREFIX}#scope` : `v${i}`,
      );
      if (NOT_PARTITION_BUILDERS.has(builder)) continue;
      const result = build(...args);
      if (typeof result === 'string') {
        const place = PARTITION_BUILDERS[builder];
        if (!place) throw new Error(`${builder} answers a partition: add it to PARTITION_BUILDERS`);
        built.push({ builder, place, value: result });
        continue;
      }
      for (const [attribute, place] of Object.entries(ATTRIBUTE_PLACES)) {
        const value = (result as Record<string, unknown>)[attribute];
        if (typeof value === 'string') built.push({ builder, place, value });
      }
    }
  }
  return built;
}

describe('PARTITION_PATTERNS', () => {
  const built = builtPartitions();

  it('finds the key builders of keys.ts', () => {
    expect(builderObjects.map(([name]) => name)).toEqual(
      expect.arrayContaining(['keys', 'identityKeys', 'bisKeys', 'rightsKeys', 'walletBridgeKeys']),
    );
    expect(built.length).toBeGreaterThan(40);
  });

  it('covers every partition every key builder makes, in its own place', () => {
    const uncovered = built.filter(
      ({ place, value }) =>
        !Object.values(PARTITION_PATTERNS[place]).some((pattern) => stringLike(pattern, value)),
    );

    expect(uncovered).toEqual([]);
  });

  it('holds no pattern that no builder makes', () => {
    const unused = (Object.keys(PARTITION_PATTERNS) as Place[]).flatMap((place) =>
      Object.entries(PARTITION_PATTERNS[place])
        .filter(([, pattern]) => !built.some((b) => b.place === place && stringLike(pattern, b.value)))
        .map(([name]) => `${place}.${name}`),
    );

    expect(unused).toEqual([]);
  });

  it('never grants everything, and gives each base-table pattern a prefix of its own', () => {
    const table = Object.values(PARTITION_PATTERNS.table);
    const all = (Object.keys(PARTITION_PATTERNS) as Place[]).flatMap((place) =>
      Object.values(PARTITION_PATTERNS[place]),
    );

    expect(all.filter((pattern) => pattern.startsWith('*'))).toEqual([]);
    // One item's partition never falls under two base-table patterns: each names one kind of item.
    const overlaps = built
      .filter(({ place }) => place === 'table')
      .filter(({ value }) => table.filter((pattern) => stringLike(pattern, value)).length !== 1);
    expect(overlaps).toEqual([]);
  });
});
