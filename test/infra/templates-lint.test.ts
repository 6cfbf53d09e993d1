import { describe, expect, it } from 'vitest';
import { buildInfra, COMMITTED_STAGES } from '#test/helpers/infra';

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: unknown;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/** The logical ids a value references through `Ref` or `Fn::GetAtt`. */
function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string')
        into.add(inner[0]);
      else referencedIds(inner, into);
    }
  }
  return into;
}

const ignoredChecks = (resource: TemplateResource): unknown =>
  (resource.Metadata?.['cfn-lint'] as { config?: { ignore_checks?: unknown } } | undefined)?.config
    ?.ignore_checks;

/**
 * What cfn-lint (the template validator operators run on cdk.out) would report, checked without it:
 * `npm run lint:templates` runs cfn-lint itself where it is installed.
 */
describe.each(COMMITTED_STAGES)('templates as cfn-lint reads them (%s)', (stage) => {
  const built = buildInfra(stage);
  const templates = () =>
    [built.dataTemplate, built.accessTemplate].map(
      (template) => (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources,
    );

  it('writes no DependsOn that a Ref or GetAtt already enforces, except the role half of CDK’s own (W3005)', () => {
    const redundant: string[] = [];
    const acknowledged: string[] = [];
    for (const resources of templates()) {
      for (const [id, resource] of Object.entries(resources)) {
        const references = referencedIds(resource.Properties);
        const dependsOn = [resource.DependsOn ?? []].flat();
        for (const target of dependsOn.filter((dependency) => references.has(dependency))) {
          const entry = `${id} (${resource.Type}) -> ${target} (${resources[target]?.Type})`;
          (ignoredChecks(resource) === undefined ? redundant : acknowledged).push(entry);
        }
      }
    }

    expect(redundant).toEqual([]);
    // The acknowledged repeats are the function or state machine's dependency on its own role.
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const entry of acknowledged) {
      expect(entry).toMatch(
        /\((AWS::Lambda::Function|AWS::StepFunctions::StateMachine)\) -> \S+ \(AWS::IAM::Role\)$/,
      );
    }
  });

  it('acknowledges only W3005, and only on functions and state machines', () => {
    for (const resources of templates()) {
      for (const resource of Object.values(resources)) {
        const ignored = ignoredChecks(resource);
        if (ignored === undefined) continue;
        expect(ignored).toEqual(['W3005']);
        expect(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine']).toContain(resource.Type);
      }
    }
  });

  it('puts no Tags on dashboards, which cfn-lint 1.51 refuses (E3002)', () => {
    const dashboards = templates().flatMap((resources) =>
      Object.values(resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Dashboard'),
    );

    expect(dashboards.length).toBeGreaterThan(0);
    for (const dashboard of dashboards) expect(dashboard.Properties).not.toHaveProperty('Tags');
  });
});
