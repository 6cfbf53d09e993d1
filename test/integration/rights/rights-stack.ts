import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Rights, type RightsProps } from '#lib/constructs/rights';
import {
  fixtureApp,
  fixtureNotifications,
  fixtureStack,
  fixtureTable,
} from '#test/helpers/construct-fixture';
import { logicalIdOf } from '#test/helpers/infra';

/** A synthesized stack holding one {@link Rights}, with what it needs around it. */
export interface RightsFixture {
  app: App;
  stack: Stack;
  rights: Rights;
  template: Template;
  json: Record<string, unknown>;
  /** Logical id of the workflow-task function: the local runner routes Lambda tasks by it. */
  workflowTaskLogicalId: string;
  apiLogicalId: string;
  grantExpiryLogicalId: string;
}

/**
 * Builds (without bundling) a stack with a table like the data stack's (CMK, PITR, both GSIs), the
 * notifications construct and the Rights construct, and synthesizes it.
 */
export function synthRightsFixture(props: Partial<RightsProps> = {}): RightsFixture {
  const app = fixtureApp();
  const stack = fixtureStack(app, 'RightsFixture');
  const { table, tableKey } = fixtureTable(stack);
  const notifications = fixtureNotifications(stack);
  const rights = new Rights(stack, 'Rights', {
    table,
    tableKey,
    notifications,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    rights,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(rights.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(rights.apiFunction.function),
    grantExpiryLogicalId: logicalIdOf(rights.grantExpiryFunction.function),
  };
}
