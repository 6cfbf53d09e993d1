/**
 * The sandbox runs what CDK would deploy: it synthesizes the real app for a committed stage (with
 * cdk.json's context, bundling skipped, as the infra tests build it) and reads the access stack's
 * template. Functions, their environment, the triggers, the API's methods and the state machines
 * are all taken from that template, so the sandbox cannot drift from the infrastructure code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, NestedStack } from 'aws-cdk-lib';
import { resolveStageConfig, type StageConfig } from '#lib/config';
import { addEidAccess } from '#lib/eid-access-app';

/** The project root (cdk.json and the files it names are relative to it). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One resource of a CloudFormation template. */
export interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/** A synthesized CloudFormation template (the parts the sandbox reads). */
export interface CfnTemplate {
  Resources?: Record<string, TemplateResource>;
}

/** What {@link synthesizeStage} returns. */
export interface SynthesizedStage {
  config: StageConfig;
  /** The access stack (Cognito, functions, API, workflows). */
  accessTemplate: CfnTemplate;
  /** The data stack (table, key). */
  dataTemplate: CfnTemplate;
}

/**
 * Synthesizes the app for `stage` in-process, exactly as `cdk synth` would except that no bundle is
 * built (the sandbox runs the TypeScript entries) and cdk-nag is not run (the infra tests do that).
 * Construct paths are kept as `aws:cdk:path` metadata: they name each function's construct.
 */
export function synthesizeStage(stage = 'dev'): SynthesizedStage {
  const read = (path: string) => readFileSync(resolve(PROJECT_ROOT, path), 'utf8');
  const cdkJson = JSON.parse(read('cdk.json')) as {
    context: Record<string, unknown> & { stages: Record<string, unknown> };
  };
  const config = resolveStageConfig(stage, cdkJson.context.stages[stage], read);
  const outdir = mkdtempSync(join(tmpdir(), 'eid-access-sandbox-synth-'));
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJson.context,
        'aws:cdk:bundling-stacks': [],
        'aws:cdk:enable-path-metadata': true,
      },
    });
    const stacks = addEidAccess(app, config, { complianceChecks: false });
    const assembly = app.synth();
    const accessTemplate = assembly.getStackByName(stacks.access.stackName).template as CfnTemplate;
    // Nested stacks (the SES templates) are resources of the access stack as far as the sandbox cares:
    // their resources join the access template, under their own logical ids.
    for (const nested of stacks.access.node.findAll().filter(NestedStack.isNestedStack)) {
      const nestedTemplate = JSON.parse(
        readFileSync(join(outdir, nested.templateFile), 'utf8'),
      ) as CfnTemplate;
      accessTemplate.Resources = { ...nestedTemplate.Resources, ...accessTemplate.Resources };
    }
    return {
      config,
      accessTemplate,
      dataTemplate: assembly.getStackByName(stacks.data.stackName).template as CfnTemplate,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The resources of `type`, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, TemplateResource][] {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The construct path CDK recorded for a resource (`aws:cdk:path`), or `undefined`. */
export function constructPathOf(resource: TemplateResource): string | undefined {
  const path = resource.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path : undefined;
}

/** The logical id a `Ref` or `Fn::GetAtt [id, Arn]` points at, or `undefined` for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id referenced anywhere inside `value` (Ref / Fn::GetAtt, recursively). */
export function referencedLogicalIds(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const id = referencedLogicalId(node);
    if (id !== undefined && !id.startsWith('AWS::')) found.add(id);
    for (const child of Object.values(node)) walk(child);
  };
  walk(value);
  return [...found];
}
