import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInfra, COMMITTED_STAGES, PROJECT_ROOT } from '#test/helpers/infra';

/**
 * What a deployment can never change in place: Cognito refuses changes to existing custom attributes,
 * and a new logical id of a stateful resource replaces it (a new table, key, pool or client id). The
 * committed expectation changes only on purpose, with a migration plan in the same commit.
 */
const expected = JSON.parse(
  readFileSync(resolve(PROJECT_ROOT, 'test/infra/fixtures/immutables.json'), 'utf8'),
) as {
  customAttributes: unknown;
  data: Record<string, string[]>;
  access: Record<string, string[]>;
  /** Stateful resources only one stage has (a relying application of that stage's config). */
  stageAccess: Record<string, Record<string, string[]>>;
};

/** The access stack's expected stateful ids of `stage`: the common ones plus the stage's own. */
const expectedAccess = (stage: string): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(expected.access).map(([type, ids]) => [
      type,
      [...ids, ...(expected.stageAccess[stage]?.[type] ?? [])].sort(),
    ]),
  );

const STATEFUL_DATA = ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::S3::Bucket'];
const STATEFUL_ACCESS = [
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
];

const idsByType = (resources: Record<string, { Type: string }>, types: readonly string[]) =>
  Object.fromEntries(
    types.map((type) => [
      type,
      Object.entries(resources)
        .filter(([, resource]) => resource.Type === type)
        .map(([id]) => id)
        .sort(),
    ]),
  );

describe.each(COMMITTED_STAGES)('immutables of %s', (stage) => {
  const infra = buildInfra(stage);

  it('keeps the custom-attribute schema Cognito cannot change', () => {
    const [pool] = Object.values(infra.accessTemplate.findResources('AWS::Cognito::UserPool'));

    expect(pool?.Properties.Schema).toEqual(expected.customAttributes);
  });

  it('keeps the logical ids of the stateful resources, so a deployment never replaces them', () => {
    const data = infra.dataTemplate.toJSON() as { Resources: Record<string, { Type: string }> };
    const access = infra.accessTemplate.toJSON() as { Resources: Record<string, { Type: string }> };

    expect(idsByType(data.Resources, STATEFUL_DATA)).toEqual(expected.data);
    expect(idsByType(access.Resources, STATEFUL_ACCESS)).toEqual(expectedAccess(stage));
  });
});
