import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApprovalWorkflow, type ApprovalWorkflowProps } from '#lib/constructs/approval-workflow';
import { testAppOutdir } from '#test/helpers/test-outdir';

/** Construct ids of the fixture: the handler's logical id starts with this (CDK appends a hash). */
export const WORKFLOW_HANDLER_ID = 'WorkflowHandler';
export const API_FUNCTION_ID = 'ApiFunction';
export const WORKFLOW_ID = 'TestWorkflow';

/** A synthesized fixture stack holding one {@link ApprovalWorkflow}. */
export interface WorkflowFixture {
  template: Template;
  /** The template as JSON, for `loadStateMachineDefinition`. */
  json: Record<string, unknown>;
  workflow: ApprovalWorkflow;
}

const FIXTURE_ACKNOWLEDGEMENTS = [
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
];

/**
 * Synthesizes a stack with an inline-code handler, an API function bound to the workflow and the
 * {@link ApprovalWorkflow} under test, with cdk-nag AwsSolutions checks on (synth throws on any
 * unacknowledged finding of the construct). The fixture functions' own findings are acknowledged:
 * they stand in for `ServiceFunction`s.
 */
export function synthWorkflowFixture(
  props: Partial<ApprovalWorkflowProps> | ((stack: Stack) => Partial<ApprovalWorkflowProps>) = {},
): WorkflowFixture {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: testAppOutdir() });
  const stack = new Stack(app, 'WorkflowFixture', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fixtureFunction = (id: string) => {
    const fn = new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
    });
    for (const id of FIXTURE_ACKNOWLEDGEMENTS) {
      Validations.of(fn).acknowledge({ id, reason: 'Test fixture standing in for a ServiceFunction.' });
    }
    return fn;
  };
  const handler = fixtureFunction(WORKFLOW_HANDLER_ID);
  const api = fixtureFunction(API_FUNCTION_ID);
  const workflow = new ApprovalWorkflow(stack, WORKFLOW_ID, {
    handler,
    decisionTimeout: Duration.days(30),
    logRetention: RetentionDays.ONE_YEAR,
    ...(typeof props === 'function' ? props(stack) : props),
  });
  workflow.bindApi(api);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const template = Template.fromStack(stack);
  return { template, json: template.toJSON(), workflow };
}
