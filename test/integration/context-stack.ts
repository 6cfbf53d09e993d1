import type { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Notifications } from '#lib/constructs/notifications';
import type { ServiceFunction } from '#lib/constructs/service-function';
import {
  type FixtureTable,
  fixtureApp,
  fixtureNotifications,
  fixtureStack,
  fixtureTable,
} from '#test/helpers/construct-fixture';
import { logicalIdOf } from '#test/helpers/infra';

/**
 * A synthesized stack holding the construct of a context with an approval workflow (BIS,
 * organisations, rights), with what it needs around it.
 */
export interface ContextFixture {
  app: App;
  stack: Stack;
  template: Template;
  json: Record<string, unknown>;
  /** Logical id of the workflow-task function: the local runner routes Lambda tasks by it. */
  workflowTaskLogicalId: string;
  apiLogicalId: string;
}

/** The functions of a context with an approval workflow that the fixtures name by logical id. */
interface WorkflowContext {
  readonly apiFunction: ServiceFunction;
  readonly workflowTaskFunction: ServiceFunction;
}

/** What the construct of a context fixture is given: the table, its key and the notifications. */
export interface ContextResources extends FixtureTable {
  notifications: Notifications;
}

/**
 * Builds (without bundling) the stack `id` with the notifications construct and the context's
 * construct, which `create` makes in it, and synthesizes the stack.
 *
 * @param data the app and the table when they live in a stack of their own (as in the real app, so
 *   grants cross a stack boundary); by default a new fixture app, with the table (like the data
 *   stack's: CMK, PITR, both GSIs) in the construct's stack
 */
export function synthContextStack<C extends WorkflowContext>(
  id: string,
  create: (stack: Stack, resources: ContextResources) => C,
  data?: FixtureTable & { app: App },
): ContextFixture & { construct: C } {
  const app = data?.app ?? fixtureApp();
  const stack = fixtureStack(app, id);
  const { table, tableKey } = data ?? fixtureTable(stack);
  const construct = create(stack, { table, tableKey, notifications: fixtureNotifications(stack) });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    construct,
    template,
    json: template.toJSON(),
    workflowTaskLogicalId: logicalIdOf(construct.workflowTaskFunction.function),
    apiLogicalId: logicalIdOf(construct.apiFunction.function),
  };
}
