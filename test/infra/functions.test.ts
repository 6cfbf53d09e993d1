import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CfnElement, type Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { declaredFunctions, FUNCTIONS, type FunctionDeclaration } from '#lib/functions';
import { readRestApi } from '#local/server/api-gateway';
import { FUNCTION_ENTRIES } from '#local/server/functions';
import { userPoolTriggers } from '#local/server/plan';
import { schedulesOf } from '#local/server/schedules';
import { type CfnTemplate, referencedLogicalIds, resourcesOfType } from '#local/server/template';
import { buildInfra, COMMITTED_STAGES, PROJECT_ROOT } from '#test/helpers/infra';

/** CDK's own provider functions (custom resources) sit at the stack root under these ids. */
const CDK_PROVIDER = /^(AWS|Custom::|LogRetention|CustomResource)/;

/**
 * The catalogue path of every function of the stack's template (`Bis/Api` for the function at
 * `Bis/Api/Function/Resource`), by logical id; CDK's provider functions left out.
 */
function templateFunctionPaths(stack: Stack, template: CfnTemplate): Map<string, string> {
  const paths = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    if (CfnElement.isCfnElement(construct)) {
      paths.set(stack.getLogicalId(construct), construct.node.path.slice(stack.node.path.length + 1));
    }
  }
  return new Map(
    resourcesOfType(template, 'AWS::Lambda::Function')
      .map(([logicalId]): [string, string] => [logicalId, paths.get(logicalId) ?? logicalId])
      .filter(([, path]) => !CDK_PROVIDER.test(path))
      .map(([logicalId, path]) => [logicalId, path.replace(/\/Resource$/, '').replace(/\/Function$/, '')]),
  );
}

/** What invokes each function of the template, written like the catalogue's roles. */
function templateRoles(template: CfnTemplate): (logicalId: string) => string[] {
  const triggers = Object.entries(userPoolTriggers(template));
  const methods = readRestApi(template).methods;
  const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(([, machine]) =>
    referencedLogicalIds(machine.Properties?.DefinitionString),
  );
  const scheduled = schedulesOf(template).map((schedule) => schedule.targetFunction);
  const httpIntegrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map(
    ([, integration]) => referencedLogicalIds(integration.Properties?.IntegrationUri),
  );
  return (logicalId) => {
    const routes = methods
      .filter((method) => method.functionLogicalId === logicalId)
      .map((method) => `${method.httpMethod} ${method.resource}`);
    return [
      ...triggers.filter(([, id]) => id === logicalId).map(([trigger]) => `trigger ${trigger}`),
      ...(routes.length > 0 ? [`api ${routes.sort().join(', ')}`] : []),
      ...(machines.some((ids) => ids.includes(logicalId)) ? ['workflow-task'] : []),
      ...(scheduled.includes(logicalId) ? ['schedule'] : []),
      ...(httpIntegrations.some((ids) => ids.includes(logicalId)) ? ['http-api'] : []),
    ];
  };
}

/** The catalogue's role of a function in the form of {@link templateRoles}. */
function declaredRole({ role }: FunctionDeclaration): string {
  switch (role.kind) {
    case 'trigger':
      return `trigger ${role.trigger}`;
    case 'api':
      return `api ${role.routes
        .map(({ definition }) => `${definition.method} ${definition.resource}`)
        .sort()
        .join(', ')}`;
    default:
      return role.kind;
  }
}

describe.each(COMMITTED_STAGES)('function catalogue (%s)', (stage) => {
  const { access, accessTemplate } = buildInfra(stage);
  const template = accessTemplate.toJSON() as CfnTemplate;
  const paths = templateFunctionPaths(access, template);

  it('declares every function of the template, and the template has every function it declares', () => {
    expect([...paths.values()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  it('names the invoker of each function, and for an API function exactly its routes on the API', () => {
    const rolesOf = templateRoles(template);
    const declared = new Map(declaredFunctions());
    for (const [logicalId, path] of paths) {
      const declaration = declared.get(path as keyof typeof FUNCTIONS);
      if (declaration) expect(rolesOf(logicalId), path).toEqual([declaredRole(declaration)]);
    }
  });

  it('gives each function the service name, description and timeout the catalogue declares', () => {
    const declared = new Map(declaredFunctions());
    for (const [logicalId, path] of paths) {
      const declaration = declared.get(path as keyof typeof FUNCTIONS);
      const properties = template.Resources?.[logicalId]?.Properties ?? {};
      expect(properties, path).toMatchObject({
        Description: declaration?.description,
        Timeout: declaration?.timeoutSeconds ?? 10,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: declaration?.serviceName } },
      });
    }
  });
});

describe('function catalogue', () => {
  it('names entry modules that exist, and gives the sandbox each one under its function', () => {
    for (const [path, { entry }] of declaredFunctions()) {
      expect(existsSync(resolve(PROJECT_ROOT, entry)), entry).toBe(true);
      expect(FUNCTION_ENTRIES[`${path}/Function`]).toBe(entry);
    }
  });

  it('imports no CDK, so the sandbox and the generators read it without building constructs', () => {
    const source = readFileSync(resolve(PROJECT_ROOT, 'lib/functions.ts'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);

    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => /aws-cdk-lib|constructs|\/lib\//.test(String(specifier)))).toEqual(
      [],
    );
  });
});
