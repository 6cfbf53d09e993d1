import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BisRegistration, type BisRegistrationProps } from '#lib/constructs/bis-registration';
import { type ContextFixture, synthContextStack } from '../context-stack.ts';

/** The agents' mailbox of the fixture. */
export const AGENTS_EMAIL = 'bis-agents@eid-access.example.be';

/** A synthesized stack holding one {@link BisRegistration}, with what it needs around it. */
export interface BisFixture extends ContextFixture {
  bis: BisRegistration;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR), the
 * notifications construct and the BIS construct, and synthesizes it.
 */
export function synthBisFixture(props: Partial<BisRegistrationProps> = {}): BisFixture {
  const { construct: bis, ...fixture } = synthContextStack(
    'BisFixture',
    (stack, resources) =>
      new BisRegistration(stack, 'Bis', {
        ...resources,
        agentsEmail: AGENTS_EMAIL,
        logRetention: RetentionDays.ONE_YEAR,
        ...props,
      }),
  );
  return { ...fixture, bis };
}
