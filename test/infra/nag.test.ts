import { Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildInfra, COMMITTED_STAGES } from '#test/helpers/infra';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  readonly onStackOrApp: boolean;
}

/** Every `Validations.of(x).acknowledge(...)` recorded in a construct tree. */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          path: construct.node.path,
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
          onStackOrApp: Stack.isStack(construct) || construct.node.scope === undefined,
        })),
      ),
  );
}

describe.each(COMMITTED_STAGES)('cdk-nag AwsSolutions (%s)', (stage) => {
  it('reports no unacknowledged finding, error or warning, when the whole app is checked', () => {
    const { app } = buildInfra(stage);

    const report = new AwsSolutionsChecks().validateScope(app);

    expect(
      report.violations.map(
        (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
  });

  it('reports no unacknowledged HIPAA Security or NIST 800-53 rev 5 finding once the aspects ran', () => {
    const { app } = buildInfra(stage);
    app.synth(); // aspects (log encryption, key grants, platform decisions) apply at synthesis

    for (const pack of [new HIPAASecurityChecks(), new NIST80053R5Checks()]) {
      const report = pack.validateScope(app);
      expect(
        report.violations.map(
          (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`,
        ),
      ).toEqual([]);
    }
  });

  it('synthesizes with every check registered, the Control Tower controls included, like bin/app.ts', () => {
    const { app } = buildInfra(stage, { complianceChecks: true });

    expect(() => app.synth()).not.toThrow();
  }, 600_000); // cfn-guard over both templates: ~40 s alone, several minutes on a loaded machine

  it('fails synthesis when a non-compliant resource is added', () => {
    const { app, data } = buildInfra(stage, { complianceChecks: true, controlTowerChecks: false });
    new Bucket(data, 'NonCompliantCanary');

    expect(() => app.synth()).toThrow(/AwsSolutions-S1\b/);
  });

  it('acknowledges findings one granular id at a time, below stack level, each with a specific reason', () => {
    const { app } = buildInfra(stage);
    app.synth(); // the acknowledgements the aspects add count too

    const acks = acknowledgements(app);

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(
        /^(AwsSolutions-[A-Z]+\d+(\[[^\]]+\])?|(HIPAA\.Security|NIST\.800\.53\.R5)-[A-Za-z0-9]+|cdk-validator-cfnguard::[a-z0-9_]+_check)$/,
      );
      if (/^AwsSolutions-IAM[45]/.test(ack.id)) expect(ack.id, ack.path).toMatch(/\[.+\]$/);
      expect(ack.onStackOrApp, `${ack.id} at ${ack.path}`).toBe(false);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
    }
  });
});

describe('cdk-nag AwsSolutions acknowledgements', () => {
  it('acknowledges the Plus-tier finding only when the pool runs on Essentials', () => {
    const dev = buildInfra('dev');
    const plus = buildInfra('dev', {
      config: { ...dev.config, cognito: { ...dev.config.cognito, featurePlan: 'plus' } },
    });

    const ids = (infra: typeof dev) => acknowledgements(infra.app).map((ack) => ack.id);

    expect(dev.config.cognito.featurePlan).toBe('essentials');
    expect(ids(dev)).toContain('AwsSolutions-COG8');
    expect(ids(plus)).not.toContain('AwsSolutions-COG8');
    expect(new AwsSolutionsChecks().validateScope(plus.app).violations).toEqual([]);
  });

  it('acknowledges the X-Ray wildcard on each function policy only', () => {
    const { app } = buildInfra('dev');

    const xray = acknowledgements(app).filter((ack) => ack.id === 'AwsSolutions-IAM5[Resource::*]');

    // A new function or state machine joins this list consciously: nothing else may hide a wildcard.
    expect(xray.map((ack) => ack.path).sort()).toEqual([
      'eid-access-dev-access/Bis/Api/Role/DefaultPolicy',
      'eid-access-dev-access/Bis/Workflow/StateMachine/Role/DefaultPolicy',
      'eid-access-dev-access/Bis/WorkflowTask/Role/DefaultPolicy',
      // CDK's own function behind the portal's BucketDeployment (one per stack).
      'eid-access-dev-access/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB/ServiceRole/DefaultPolicy',
      'eid-access-dev-access/Identity/CreateAuthChallenge/Role/DefaultPolicy',
      'eid-access-dev-access/Identity/DefineAuthChallenge/Role/DefaultPolicy',
      'eid-access-dev-access/Identity/PreSignUp/Role/DefaultPolicy',
      'eid-access-dev-access/Identity/PreTokenGeneration/Role/DefaultPolicy',
      'eid-access-dev-access/Identity/VerifyAuthChallenge/Role/DefaultPolicy',
      'eid-access-dev-access/IdentityApi/Function/Role/DefaultPolicy',
      'eid-access-dev-access/IdentityApi/Notices/Role/DefaultPolicy',
      'eid-access-dev-access/NativeAccounts/Function/Role/DefaultPolicy',
      'eid-access-dev-access/Organisations/Api/Role/DefaultPolicy',
      'eid-access-dev-access/Organisations/Registrations/Role/DefaultPolicy',
      'eid-access-dev-access/Organisations/RepresentativeCheck/Role/DefaultPolicy',
      'eid-access-dev-access/Organisations/Workflow/StateMachine/Role/DefaultPolicy',
      'eid-access-dev-access/Organisations/WorkflowTask/Role/DefaultPolicy',
      'eid-access-dev-access/Rights/Api/Role/DefaultPolicy',
      'eid-access-dev-access/Rights/GrantExpiry/Role/DefaultPolicy',
      'eid-access-dev-access/Rights/GrantExpiryRun/StateMachine/Role/DefaultPolicy',
      'eid-access-dev-access/Rights/Workflow/StateMachine/Role/DefaultPolicy',
      'eid-access-dev-access/Rights/WorkflowTask/Role/DefaultPolicy',
      'eid-access-dev-access/WalletBridge/Function/Role/DefaultPolicy',
      'eid-access-dev-access/WalletBridge/Verifier/Role/DefaultPolicy',
    ]);
  });
});
