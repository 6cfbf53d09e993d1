import { App, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  CONTROL_TOWER_RULES,
  type ControlTowerControl,
  controlTowerAckId,
  controlTowerValidator,
  LimitKeyGrantsToAwsServices,
} from '#lib/compliance';
import { buildInfra, COMMITTED_STAGES } from '#test/helpers/infra';
import { testAppOutdir } from '#test/helpers/test-outdir';

/** The Control Tower acknowledgements recorded in a (synthesized) construct tree: control → paths. */
function controlAcknowledgements(root: IConstruct): { control: string; path: string; reason: string }[] {
  const byRule = new Map<string, string>(
    Object.entries(CONTROL_TOWER_RULES).map(([control, rule]) => [rule, control]),
  );
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => id.startsWith('cdk-validator-cfnguard::'))
      .map(([id, reason]) => ({
        control: byRule.get(id.replace('cdk-validator-cfnguard::', '')) ?? id,
        path: construct.node.path,
        reason,
      })),
  );
}

/** A one-stack app with only the Control Tower validator registered. */
function smallApp(): { app: App; stack: Stack } {
  const app = new App({ outdir: testAppOutdir() });
  Validations.of(app).addPlugins(controlTowerValidator());
  return { app, stack: new Stack(app, 'Canary') };
}

describe('Control Tower proactive controls (cfn-guard)', () => {
  it('fail synthesis on a resource that breaks a control nobody acknowledged', () => {
    const { app, stack } = smallApp();
    Aspects.of(stack).add(new LimitKeyGrantsToAwsServices());
    new Key(stack, 'NoRotation'); // CT.KMS.PR.1: rotation required

    expect(() => app.synth()).toThrow(/CT\.KMS\.PR\.1\b/);
  });

  it('pass the same resource once it is compliant, and an acknowledged finding with its reason', () => {
    const { app, stack } = smallApp();
    Aspects.of(stack).add(new LimitKeyGrantsToAwsServices());
    new Key(stack, 'Rotated', { enableKeyRotation: true });
    const unrotated = new Key(stack, 'Acknowledged');
    Validations.of(unrotated).acknowledge({
      id: 'cdk-validator-cfnguard::kms_key_rotation_enabled_check',
      reason: 'canary: an acknowledged control finding does not fail synthesis',
    });

    expect(() => app.synth()).not.toThrow();
  });

  it('refuse a key without the grant restriction (CT.KMS.PR.3), which the aspect adds to every key', () => {
    const { app, stack } = smallApp();
    new Key(stack, 'Rotated', { enableKeyRotation: true });

    expect(() => app.synth()).toThrow(/CT\.KMS\.PR\.3\b/);
  });

  it('name each acknowledged control by the rule the plugin reports', () => {
    expect(controlTowerAckId('CT.LAMBDA.PR.3')).toBe('cdk-validator-cfnguard::lambda_inside_vpc_check');
    const ids = Object.keys(CONTROL_TOWER_RULES) as ControlTowerControl[];
    expect(new Set(ids.map(controlTowerAckId)).size).toBe(ids.length);
  });
});

describe.each(COMMITTED_STAGES)('Control Tower controls on the platform (%s)', (stage) => {
  it('limit KMS grants to AWS services on every key of both stacks', () => {
    const infra = buildInfra(stage);
    for (const template of [infra.dataTemplate, infra.accessTemplate]) {
      const keys = Object.values(template.findResources('AWS::KMS::Key'));
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const statements = key.Properties.KeyPolicy.Statement as Record<string, unknown>[];
        const denyGrants = statements.filter(
          (statement) => statement.Effect === 'Deny' && statement.Action === 'kms:CreateGrant',
        );
        expect(denyGrants).toHaveLength(1);
        expect([{ AWS: '*' }, '*']).toContainEqual(denyGrants[0]?.Principal);
        expect(denyGrants[0]).toMatchObject({
          Resource: '*',
          Condition: {
            BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
          },
        });
      }
    }
  });

  it('acknowledge each accepted control on the resource it concerns, with its reason', () => {
    const { app, config } = buildInfra(stage);
    app.synth();

    const acks = controlAcknowledgements(app);
    const controls = new Set(acks.map((ack) => ack.control));

    for (const ack of acks) {
      expect(ack.control in CONTROL_TOWER_RULES, ack.control).toBe(true);
      expect(ack.reason.startsWith(`${ack.control}: `), `${ack.control} at ${ack.path}`).toBe(true);
      expect(ack.reason.length, `${ack.control} at ${ack.path}`).toBeGreaterThanOrEqual(80);
      expect(ack.path.split('/').length, `${ack.control} at ${ack.path}`).toBeGreaterThan(1);
    }
    // Short log retention and the default CloudFront certificate are accepted only where configured.
    expect(controls.has('CT.CLOUDWATCH.PR.2')).toBe(config.logRetentionDays < 365);
    expect(controls.has('CT.CLOUDFRONT.PR.6')).toBe(config.portal.domainNames.length === 0);
  });
});
