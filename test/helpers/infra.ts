import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { resolveStageConfig, type StageConfig } from '#lib/config';
import { addEidAccess, type EidAccessStacks } from '#lib/eid-access-app';
import { loadStateMachineDefinition } from '#local/step-functions';
import type { RouteHandler } from '#shared/http/handler';
import { testAppOutdir } from '#test/helpers/test-outdir';

/** The project root, where cdk.json and the files it names live. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads a file named in cdk.json (paths are relative to the project root). */
export const readProjectFile = (path: string): string => readFileSync(resolve(PROJECT_ROOT, path), 'utf8');

/**
 * The stages committed in cdk.json; infra tests run for each of them. cdk.json's prod entry holds the
 * operator's placeholders (synthesis refuses it until they are filled in), so tests build prod from
 * the complete fixture `test/infra/fixtures/prod-stage.json` instead: see {@link stageInput}.
 */
export const COMMITTED_STAGES = ['dev', 'prod'] as const;

/** The complete prod config the infra tests build (cdk.json's prod with every placeholder filled in). */
export const PROD_FIXTURE_PATH = 'test/infra/fixtures/prod-stage.json';

/** The `context` of the committed cdk.json: feature flags and stage configs (a fresh copy each call). */
export function cdkJsonContext(): Record<string, unknown> & { stages: Record<string, unknown> } {
  return (JSON.parse(readProjectFile('cdk.json')) as { context: ReturnType<typeof cdkJsonContext> }).context;
}

/**
 * The raw stage config the infra tests build (a fresh copy each call): cdk.json's
 * `context.stages.<stage>`, except prod, which comes from {@link PROD_FIXTURE_PATH}.
 */
export function stageInput(stage: string): Record<string, unknown> {
  if (stage === 'prod') return JSON.parse(readProjectFile(PROD_FIXTURE_PATH)) as Record<string, unknown>;
  return committedStageInput(stage);
}

/** The raw `context.stages.<stage>` entry of the committed cdk.json, as an operator finds it. */
export function committedStageInput(stage: string): Record<string, unknown> {
  const input = cdkJsonContext().stages[stage];
  if (typeof input !== 'object' || input === null) throw new Error(`cdk.json has no stage ${stage}`);
  return input as Record<string, unknown>;
}

/** The validated config of a committed stage, exactly as `bin/app.ts` builds it. */
export function stageConfig(stage: string): StageConfig {
  return resolveStageConfig(stage, stageInput(stage), readProjectFile);
}

/** Options of {@link buildInfra}. */
export interface BuildInfraOptions {
  /**
   * The config to build; pass one to test a variant of a committed stage.
   * @default - the committed config of the stage
   */
  readonly config?: StageConfig;
  /**
   * Register the cdk-nag checks, so that synthesis fails on any unacknowledged finding.
   * @default false - tests assert on nag explicitly (test/infra/nag.test.ts)
   */
  readonly complianceChecks?: boolean;
  /**
   * With `complianceChecks`: also run the Control Tower controls (cfn-guard, the slow part).
   * @default true
   */
  readonly controlTowerChecks?: boolean;
}

/** A built stage: the app, its stacks and their templates (synthesized on first access). */
export interface BuiltInfra extends EidAccessStacks {
  readonly app: App;
  readonly config: StageConfig;
  readonly dataTemplate: Template;
  readonly accessTemplate: Template;
}

/**
 * Builds the app for a stage with cdk.json's feature flags and without bundling (no esbuild run;
 * assets are placeholders), the way infra tests of every context should: `buildInfra('dev')`.
 */
export function buildInfra(stage: string, options: BuildInfraOptions = {}): BuiltInfra {
  // The CLI passes cdk.json's context (feature flags) to the app; tests must build with the same.
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    outdir: testAppOutdir(),
  });
  const config = options.config ?? stageConfig(stage);
  const stacks = addEidAccess(app, config, {
    complianceChecks: options.complianceChecks ?? false,
    controlTowerChecks: options.controlTowerChecks ?? true,
  });
  // Templates synthesize on first use, so a test can still add constructs before synthesis.
  let dataTemplate: Template | undefined;
  let accessTemplate: Template | undefined;
  return {
    app,
    config,
    ...stacks,
    get dataTemplate() {
      dataTemplate ??= Template.fromStack(stacks.data);
      return dataTemplate;
    },
    get accessTemplate() {
      accessTemplate ??= Template.fromStack(stacks.access);
      return accessTemplate;
    },
  };
}

/**
 * The logical id of a construct's CloudFormation resource, resolved from the construct itself so
 * tests never spell a hashed id.
 */
export function logicalIdOf(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  const stack = resource.stack as Stack;
  return stack.resolve(resource.logicalId) as string;
}

/** An IAM statement as it appears in a template. */
export interface TemplateStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of every policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): TemplateStatement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as TemplateStatement[]);
}

/** The actions of a list of statements, flattened. */
export const actionsOf = (statements: readonly TemplateStatement[]): string[] =>
  statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );

/** The index a DynamoDB statement's resource names (`…/index/<name>`), or `undefined` for the base table. */
export function indexOfStatement(statement: TemplateStatement): string | undefined {
  return /\/index\/([A-Za-z0-9_.-]+)/.exec(JSON.stringify(statement.Resource))?.[1];
}

/** The `dynamodb:LeadingKeys` patterns of a statement's `ForAllValues:StringLike` condition. */
export function leadingKeysOf(statement: TemplateStatement): string[] | undefined {
  const condition = statement.Condition as Record<string, Record<string, string | string[]>> | undefined;
  const patterns = condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  return patterns === undefined ? undefined : [patterns].flat();
}

/** The DynamoDB statements of a role: the base table's and one per index, by index name. */
export function tableStatementsOf(statements: readonly TemplateStatement[]): {
  table: TemplateStatement[];
  indexes: Record<string, TemplateStatement[]>;
} {
  const dynamo = statements.filter((statement) =>
    [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
  );
  const indexes: Record<string, TemplateStatement[]> = {};
  for (const statement of dynamo) {
    const index = indexOfStatement(statement);
    if (index) indexes[index] = [...(indexes[index] ?? []), statement];
  }
  return { table: dynamo.filter((statement) => !indexOfStatement(statement)), indexes };
}

/** The statements of a role that name DynamoDB actions. */
export const dynamoDbStatements = (statements: readonly TemplateStatement[]): TemplateStatement[] =>
  statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith('dynamodb:')));

/** The `Environment.Variables` of the function with this logical id in a template's JSON. */
export function functionEnvironment(
  json: { Resources?: unknown },
  logicalId: string,
): Record<string, unknown> {
  const resources = (json.Resources ?? {}) as Record<
    string,
    { Properties?: { Environment?: { Variables?: Record<string, unknown> } } }
  >;
  return resources[logicalId]?.Properties?.Environment?.Variables ?? {};
}

/** The cdk-nag AwsSolutions findings in `scope`, each as `<rule> at <construct paths>`. */
export function awsSolutionsFindings(scope: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`);
}

/** Each route as `<METHOD> <resource> <access kind>`. */
export const routeSummaries = (routes: readonly RouteHandler[]): string[] =>
  routes.map(({ definition }) => `${definition.method} ${definition.resource} ${definition.access.kind}`);

/** A state of a synthesized state machine, as the tests read it. */
export interface WorkflowState {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
}

/** The states of the state machine whose logical id starts with `prefix`, in a template's JSON. */
export const workflowStates = (json: object, prefix: string): Record<string, WorkflowState> =>
  loadStateMachineDefinition(json, prefix).States as unknown as Record<string, WorkflowState>;

/** The timeout of each state that waits for a task token, by state name. */
export const taskTokenTimeouts = (
  states: Record<string, WorkflowState>,
): Record<string, number | undefined> =>
  Object.fromEntries(
    Object.entries(states)
      .filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'))
      .map(([name, state]) => [name, state.TimeoutSeconds]),
  );
