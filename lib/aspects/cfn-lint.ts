import { CfnResource, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The resource types whose `DependsOn` CDK writes with a repeat of their role's `GetAtt`. */
const ROLE_DEPENDENT_TYPES = new Set(['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine']);

/**
 * The template findings of cfn-lint, the validator operators run on `cdk.out`, that CDK itself causes,
 * acknowledged on exactly the resources they concern (cfn-lint reads `Metadata.cfn-lint`).
 *
 * W3005 ("dependency already enforced by a GetAtt"): CDK makes every function and state machine
 * depend on its role and on the role's default policy. The policy half is what matters — nothing may
 * run before its grants exist, and no property references the policy — while the role half repeats
 * the `Role`/`RoleArn` GetAtt. CDK offers no way to drop one half, and the repeat is harmless.
 * Dependencies of our own are never written twice (test/infra/templates-lint.test.ts).
 */
export class CfnLintDecisions implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof CfnResource && ROLE_DEPENDENT_TYPES.has(node.cfnResourceType)) {
      node.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    }
  }
}
