import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '#lib/api-routes';
import { resolveStageConfig } from '#lib/config';
import { buildInfra, COMMITTED_STAGES, readProjectFile, stageInput } from '#test/helpers/infra';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** `METHOD /full/path` of every API Gateway method, rebuilt from the resource tree of the template. */
function apiMethods(template: Template): Map<string, Record<string, unknown>> {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const pathOf = (ref: unknown): string => {
    const logicalId = (ref as { Ref?: string }).Ref;
    const resource = logicalId ? resources[logicalId] : undefined;
    if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart as string}`;
  };
  const methods = new Map<string, Record<string, unknown>>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method' || resource.Properties.HttpMethod === 'OPTIONS') continue;
    methods.set(
      `${resource.Properties.HttpMethod as string} ${pathOf(resource.Properties.ResourceId)}`,
      resource.Properties,
    );
  }
  return methods;
}

describe.each(COMMITTED_STAGES)('access stack (%s)', (stage) => {
  const { access } = buildInfra(stage);
  const template = Template.fromStack(access);

  it('serves every route of the route table behind the Cognito authorizer with the API scope, and nothing else', () => {
    const expected = API_ROUTES.flatMap(({ routes }) =>
      routes.map((route) => `${route.definition.method} ${route.definition.resource}`),
    ).sort();
    const methods = apiMethods(template);

    expect([...methods.keys()].sort()).toEqual(expected);
    for (const properties of methods.values()) {
      expect(properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
      // Access tokens carrying eid-access/api only: API Gateway answers ID tokens with 401.
      expect(properties.AuthorizationScopes).toEqual(['eid-access/api']);
    }
  });

  it("writes the relying applications' callback URLs, not the portal's own, into the portal's config.json", () => {
    const config = resolveStageConfig(stage, stageInput(stage), readProjectFile);
    const expected = config.relyingApplications
      .filter((app) => app.name !== 'portal')
      .flatMap((app) => app.callbackUrls);

    expect(access.portal.runtimeConfig.returnUrls).toEqual(expected);
  });

  it('outputs the API URL and the mail events topic for operators', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('MailEventsTopicArn', {});
  });

  it("outputs the portal distribution's domain name, the target of the portal's DNS record", () => {
    const distributions = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    expect(distributions).toHaveLength(1);
    template.hasOutput('PortalDistributionDomainName', {
      Value: { 'Fn::GetAtt': [distributions[0], 'DomainName'] },
    });
  });

  it('gives the BIS workflow the configured review and correction timeouts', () => {
    const days = resolveStageConfig(stage, stageInput(stage), readProjectFile).bis.reviewTimeoutDays;
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const definitions = Object.values(machines).map((machine) => JSON.stringify(machine.Properties));

    expect(definitions.some((text) => text.includes(`\\"TimeoutSeconds\\":${days * 86_400}`))).toBe(true);
  });
});

describe('stage config: api and bis', () => {
  it('refuses a portal origin with a path and an invalid agents mailbox', () => {
    const input = stageInput('dev') as Record<string, Record<string, unknown>>;
    const broken = {
      ...input,
      api: { ...input.api, allowedOrigins: ['https://portal.example.be/app'] },
      bis: { agentsEmail: 'not-an-address' },
    };

    expect(() => resolveStageConfig('dev', broken, readProjectFile)).toThrow(
      /api\.allowedOrigins\.0: expected an origin without a path[\s\S]*bis\.agentsEmail/,
    );
  });

  it('refuses a portal domain without certificate or API origin, and a stage without a portal client', () => {
    const input = stageInput('dev') as Record<string, unknown> & { relyingApplications: { name: string }[] };
    const broken = {
      ...input,
      portal: { domainNames: ['portal.example.be'] },
      // The portal's client renamed; the stage's other applications keep their (unique) names.
      relyingApplications: input.relyingApplications.map((app) =>
        app.name === 'portal' ? { ...app, name: 'klip' } : app,
      ),
    };

    expect(() => resolveStageConfig('dev', broken, readProjectFile)).toThrow(
      /relyingApplications: expected an application named "portal"[\s\S]*portal\.certificateArn: required[\s\S]*portal\.domainNames\.0: https:\/\/portal\.example\.be must also be in api\.allowedOrigins/,
    );
  });

  it('defaults both BIS timeouts to 30 days', () => {
    const config = resolveStageConfig('dev', stageInput('dev'), readProjectFile);

    expect(config.bis).toMatchObject({ reviewTimeoutDays: 30, correctionTimeoutDays: 30 });
  });
});
