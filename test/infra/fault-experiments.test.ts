import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig } from '#lib/config';
import { FIS_EXTENSION_PARAMETER } from '#lib/constructs/fault-experiments';
import {
  actionsOf,
  buildInfra,
  readProjectFile,
  stageConfig,
  stageInput,
  statementsOfRole,
} from '#test/helpers/infra';

/** The dev stage with the fault experiments switched on, as a non-production stage would set it. */
function devWithExperiments() {
  const config = stageConfig('dev');
  return buildInfra('dev', {
    config: { ...config, faultExperiments: { enabled: true, invocationPercentage: 20, durationMinutes: 5 } },
  });
}

const TARGETS = [
  'IdentityApi',
  'Bis/Api',
  'Bis/WorkflowTask',
  'Organisations/Api',
  'Organisations/Registrations',
  'Organisations/WorkflowTask',
  'Rights/Api',
  'Rights/WorkflowTask',
  'Rights/GrantExpiry',
];

describe('FaultExperiments', () => {
  it.each(['dev', 'prod'])(
    'creates no experiment, layer or bucket when %s leaves them off (the default)',
    (stage) => {
      const { accessTemplate, config } = buildInfra(stage);

      expect(config.faultExperiments.enabled).toBe(false);
      accessTemplate.resourceCountIs('AWS::FIS::ExperimentTemplate', 0);
      const functions = accessTemplate.findResources('AWS::Lambda::Function');
      for (const fn of Object.values(functions)) {
        expect(fn.Properties.Environment?.Variables?.AWS_LAMBDA_EXEC_WRAPPER).toBeUndefined();
        expect(fn.Properties.Environment?.Variables?.AWS_FIS_CONFIGURATION_LOCATION).toBeUndefined();
      }
    },
  );

  it('refuses fault experiments in prod when the config enables them', () => {
    const input = { ...stageInput('prod'), faultExperiments: { enabled: true } };

    expect(() => resolveStageConfig('prod', input, readProjectFile)).toThrow(/non-production stages only/);
  });

  it('defines error, error-after-work and delay experiments on the API and workflow functions when enabled', () => {
    const { accessTemplate } = devWithExperiments();

    const templates = Object.values(accessTemplate.findResources('AWS::FIS::ExperimentTemplate')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    const actions = templates.map(
      (template) =>
        (template.Actions as Record<string, { ActionId: string; Parameters: Record<string, string> }>).Inject,
    );
    expect(actions).toEqual([
      {
        ActionId: 'aws:lambda:invocation-error',
        Parameters: { duration: 'PT300S', invocationPercentage: '20', preventExecution: 'true' },
        Targets: { Functions: 'Functions' },
      },
      {
        ActionId: 'aws:lambda:invocation-error',
        Parameters: { duration: 'PT300S', invocationPercentage: '20', preventExecution: 'false' },
        Targets: { Functions: 'Functions' },
      },
      {
        ActionId: 'aws:lambda:invocation-add-delay',
        Parameters: { duration: 'PT300S', invocationPercentage: '40', startupDelayMilliseconds: '2000' },
        Targets: { Functions: 'Functions' },
      },
    ]);
    for (const template of templates) {
      const targets = template.Targets as Record<string, { ResourceType: string; ResourceArns: unknown[] }>;
      expect(targets.Functions?.ResourceType).toBe('aws:lambda:function');
      expect(targets.Functions?.ResourceArns).toHaveLength(TARGETS.length);
      expect(template.StopConditions).toEqual([
        {
          Source: 'aws:cloudwatch:alarm',
          Value: { 'Fn::GetAtt': [expect.stringMatching(/StopCondition/), 'Arn'] },
        },
      ]);
    }
  });

  it('stops on failed or timed-out executions and API latency, not on the function errors it causes', () => {
    const { accessTemplate } = devWithExperiments();

    const composite = Object.values(accessTemplate.findResources('AWS::CloudWatch::CompositeAlarm'))[0];
    const rule = JSON.stringify(composite?.Properties.AlarmRule);
    expect(rule).toMatch(/ExecutionsFailed/);
    expect(rule).toMatch(/ExecutionsTimedOut/);
    expect(rule).toMatch(/LatencyP99/);
    expect(rule).not.toMatch(/Errors[A-F0-9]{8}/);
    expect(rule).not.toMatch(/ServerErrors/);
  });

  it('wires the ARM64 FIS extension, its wrapper and config location into exactly the target functions', () => {
    const { accessTemplate } = devWithExperiments();

    const parameters = accessTemplate.findParameters('*', { Default: FIS_EXTENSION_PARAMETER });
    expect(Object.keys(parameters)).toHaveLength(1);
    const functions = Object.values(accessTemplate.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.AWS_LAMBDA_EXEC_WRAPPER === '/opt/aws-fis/bootstrap',
    );
    expect(functions).toHaveLength(TARGETS.length);
    for (const fn of functions) {
      expect(fn.Properties.Layers).toEqual([{ Ref: Object.keys(parameters)[0] }]);
      expect(JSON.stringify(fn.Properties.Environment.Variables.AWS_FIS_CONFIGURATION_LOCATION)).toContain(
        '/FisConfigs/',
      );
    }
  });

  it('lets FIS write only the config prefix and read only the target functions', () => {
    const built = devWithExperiments();
    const { accessTemplate } = built;

    const roles = accessTemplate.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'fis.amazonaws.com' } })]),
        },
      },
    });
    const [roleId] = Object.keys(roles);
    const statements = statementsOfRole(accessTemplate, String(roleId));
    expect(actionsOf(statements).sort()).toEqual(['lambda:GetFunction', 's3:DeleteObject', 's3:PutObject']);
    const write = statements.find((statement) => actionsOf([statement]).includes('s3:PutObject'));
    expect(JSON.stringify(write?.Resource)).toContain('/FisConfigs/*');
    const read = statements.find((statement) => actionsOf([statement]).includes('lambda:GetFunction'));
    expect(read?.Resource).toHaveLength(TARGETS.length);
  });

  it('reports no unacknowledged cdk-nag finding when enabled', () => {
    const { app } = devWithExperiments();

    const report = new AwsSolutionsChecks().validateScope(app);

    expect(
      report.violations.map(
        (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
  });
});
