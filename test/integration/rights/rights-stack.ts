import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Rights, type RightsProps } from '#lib/constructs/rights';
import { logicalIdOf } from '#test/helpers/infra';
import { type ContextFixture, synthContextStack } from '../context-stack.ts';

/** A synthesized stack holding one {@link Rights}, with what it needs around it. */
export interface RightsFixture extends ContextFixture {
  rights: Rights;
  grantExpiryLogicalId: string;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR, both GSIs), the
 * notifications construct and the Rights construct, and synthesizes it.
 */
export function synthRightsFixture(props: Partial<RightsProps> = {}): RightsFixture {
  const { construct: rights, ...fixture } = synthContextStack(
    'RightsFixture',
    (stack, resources) =>
      new Rights(stack, 'Rights', { ...resources, logRetention: RetentionDays.ONE_YEAR, ...props }),
  );
  return { ...fixture, rights, grantExpiryLogicalId: logicalIdOf(rights.grantExpiryFunction.function) };
}
