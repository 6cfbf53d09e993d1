/**
 * The actions of the approval workflow, without dependencies: `workflow.ts` (task events, zod and
 * the Step Functions client) and `telemetry.ts` (metric dimensions, in bundles that only want
 * metrics) both read this one list.
 */

/** What the workflow asks its task handler to do (the `action` of a `WorkflowTaskEvent`). */
export const WORKFLOW_ACTIONS = [
  'notify-approvers',
  'await-decision',
  'await-correction',
  'apply-outcome',
  'expire',
  'notify-requester',
  'record-failure',
] as const;

/** One of {@link WORKFLOW_ACTIONS}. */
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
