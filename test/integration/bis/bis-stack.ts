import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BisRegistration, type BisRegistrationProps } from '#lib/constructs/bis-registration';
import {
  fixtureApp,
  fixtureNotifications,
  fixtureStack,
  fixtureTable,
} from '#test/helpers/construct-fixture';
import { logicalIdOf } from '#test/helpers/infra';

/** The agents' mailbox of the fixture. */
export const AGENTS_EMAIL = 'bis-agents@eid-access.example.be';

/** A synthesized stack holding one {@link BisRegistration}, with what it needs around it. */
export interface BisFixture {
  app: App;
  stack: Stack;
  bis: BisRegistration;
  template: Template;
  json: Record<string, unknown>;
  /** Logical id of the workflow-task function: the local runner routes Lambda tasks by it. */
  workflowTaskLogicalId: string;
  apiLogicalId: string;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR), the
 * notifications construct and the BIS construct, and synthesizes it.
 */
export function synthBisFixture(props: Partial<BisRegistrationProps> = {}): BisFixture {
  const app = fixtureApp();
  const stack = fixtureStack(app, 'BisFixture');
  const { table, tableKey } = fixtureTable(stack);
  const notifications = fixtureNotifications(stack);
  const bis = new BisRegistration(stack, 'Bis', {
    table,
    tableKey,
    notifications,
    agentsEmail: AGENTS_EMAIL,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    bis,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(bis.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(bis.apiFunction.function),
  };
}
