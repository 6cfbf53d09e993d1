/**
 * Every Lambda function of the synthesized app with the exact esbuild invocation `NodejsFunction`
 * would run for it. Nothing is listed by hand: the app is built for a committed stage while
 * `Bundling.bundle` (what `NodejsFunction` calls for its code) is observed, so a function added to
 * any construct is benchmarked without editing the bench, and a bundling option added to
 * `ServiceFunction` is reproduced — or refused loudly when the bench cannot reproduce it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { BuildOptions } from 'esbuild';
import { resolveStageConfig } from '#lib/config';
import { addEidAccess } from '#lib/eid-access-app';
import { readRestApi } from '#local/server/api-gateway';
import { resolveEnvironments, templateFunctions } from '#local/server/functions';
import { schedulesOf } from '#local/server/schedules';
import {
  type CfnTemplate,
  constructPathOf,
  referencedLogicalIds,
  resourcesOfType,
} from '#local/server/template';

/** The project root. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the function is invoked by, read from the template. */
export type FunctionRole =
  /** `trigger` is the user pool's LambdaConfig key with a lower-case first letter (`preSignUp`…). */
  | { kind: 'trigger'; trigger: string }
  | { kind: 'api'; routes: { httpMethod: string; resource: string; requiredQuery: string[] }[] }
  | { kind: 'schedule' }
  | { kind: 'other' };

/** One Lambda function of the app. */
export interface BenchFunction {
  /** Construct path below the stack without the trailing `Function`, e.g. `Bis/Api`. */
  name: string;
  logicalId: string;
  /** Absolute path of the entry module. */
  entry: string;
  handlerExport: string;
  role: FunctionRole;
  /** esbuild JS options equivalent to NodejsFunction's command line (no outfile, no metafile). */
  esbuild: BuildOptions;
  /** The command line NodejsFunction would run, for the report. */
  esbuildArgs: string[];
  /** The function's environment with references resolved to local stand-ins (as in the sandbox). */
  environment: Record<string, string>;
}

interface CapturedBundling {
  /** The asset code: once bound, its asset is the function's `Code` child, which names the function. */
  code: { asset?: { node: { path: string } } };
  entry: string;
  args: string[];
}

interface BundlingInstance {
  relativeEntryPath: string;
  props: Record<string, unknown>;
  buildEsbuildArgs(
    scope: unknown,
    inputDir: string,
    outputDir: string,
    join: typeof import('node:path').join,
  ): string[];
}

interface BundlingClass {
  bundle(
    scope: { node: { path: string } },
    options: Record<string, unknown>,
  ): { options?: { bundling?: BundlingInstance }; asset?: { node: { path: string } } };
}

/** Options the bench cannot reproduce with esbuild alone: refused rather than ignored. */
const UNSUPPORTED_PROPS = ['preCompilation', 'commandHooks', 'nodeModules', 'dockerImage'];

/**
 * `esbuildArgs` as NodejsFunction appends them to its command line (aws-cdk-lib's `toCliArgsArray`):
 * `--key=value`, a bare `--key` for `true`, and `--key:value` for the flags esbuild spells that way.
 */
function cliArgsOf(esbuildArgs: Readonly<Record<string, string | boolean>> | undefined): string[] {
  const colonKeys = ['--alias', '--drop', '--pure', '--log-override', '--out-extension'];
  return Object.entries(esbuildArgs ?? {}).flatMap(([key, value]) => {
    if (value === true || value === '') return [key];
    if (value === false) return [];
    return [colonKeys.includes(key) ? `${key}:${value}` : `${key}=${value}`];
  });
}

/**
 * `aws-cdk-lib` is CommonJS and loads its modules lazily through `require`, so the class this
 * require returns is the one `NodejsFunction` calls.
 */
function bundlingClass(): BundlingClass {
  const require = createRequire(import.meta.url);
  const cdkRoot = dirname(require.resolve('aws-cdk-lib'));
  const module = require(join(cdkRoot, 'aws-lambda-nodejs', 'lib', 'bundling.js')) as {
    Bundling: BundlingClass;
  };
  return module.Bundling;
}

/** Builds the app for `stage` (bundling skipped) while recording every NodejsFunction's bundling. */
function synthesizeObserved(stage: string): {
  captured: CapturedBundling[];
  access: CfnTemplate;
  data: CfnTemplate;
} {
  const Bundling = bundlingClass();
  const original = Bundling.bundle;
  const captured: CapturedBundling[] = [];
  Bundling.bundle = (scope, options) => {
    const code = original.call(Bundling, scope, options);
    const bundling = code.options?.bundling;
    if (!bundling)
      throw new Error(`${scope.node.path}: no bundling on the asset code (aws-cdk-lib changed?)`);
    const unsupported = UNSUPPORTED_PROPS.filter((prop) => bundling.props[prop] !== undefined);
    if (unsupported.length > 0) {
      throw new Error(`${scope.node.path}: the bench does not reproduce ${unsupported.join(', ')}`);
    }
    captured.push({
      code,
      entry: resolve(PROJECT_ROOT, bundling.relativeEntryPath),
      args: [
        ...bundling.buildEsbuildArgs(scope, PROJECT_ROOT, '/bench-out', join),
        ...cliArgsOf(bundling.props.esbuildArgs as Record<string, string | boolean> | undefined),
      ],
    });
    return code;
  };
  const outdir = mkdtempSync(join(tmpdir(), 'eid-access-bench-synth-'));
  try {
    const read = (path: string) => readFileSync(resolve(PROJECT_ROOT, path), 'utf8');
    const cdkJson = JSON.parse(read('cdk.json')) as {
      context: Record<string, unknown> & { stages: Record<string, unknown> };
    };
    const config = resolveStageConfig(stage, cdkJson.context.stages[stage], read);
    const app = new App({
      outdir,
      context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
    });
    const stacks = addEidAccess(app, config, { complianceChecks: false });
    const assembly = app.synth();
    return {
      captured,
      access: assembly.getStackByName(stacks.access.stackName).template as CfnTemplate,
      data: assembly.getStackByName(stacks.data.stackName).template as CfnTemplate,
    };
  } finally {
    Bundling.bundle = original;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Translates NodejsFunction's esbuild command line into JS API options.
 * @throws Error for a flag it does not know, so a new bundling option cannot be silently dropped.
 */
export function esbuildOptionsFromArgs(args: readonly string[]): BuildOptions {
  const options: BuildOptions = { bundle: true, absWorkingDir: PROJECT_ROOT };
  const external: string[] = [];
  const inject: string[] = [];
  const loader: Record<string, NonNullable<BuildOptions['loader']>[string]> = {};
  const define: Record<string, string> = {};
  const alias: Record<string, string> = {};
  for (const arg of args) {
    const colon = /^--(external|loader|define|inject|alias|banner|footer):(.*)$/.exec(arg);
    if (colon) {
      const [, flag, rest] = colon as unknown as [string, string, string];
      const eq = rest.indexOf('=');
      const key = eq < 0 ? rest : rest.slice(0, eq);
      const value = eq < 0 ? '' : rest.slice(eq + 1);
      if (flag === 'external') external.push(rest);
      else if (flag === 'inject') inject.push(rest);
      else if (flag === 'loader') loader[key] = value as NonNullable<BuildOptions['loader']>[string];
      else if (flag === 'define') define[key] = value;
      else if (flag === 'alias') alias[key] = value;
      else if (key !== 'js') throw new Error(`Unsupported esbuild flag ${arg}`);
      else if (flag === 'banner') options.banner = { js: value };
      else options.footer = { js: value };
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new Error(`Unsupported esbuild argument ${arg}`);
    const [, flag, value] = match as unknown as [string, string, string | undefined];
    switch (flag) {
      case 'target':
        options.target = value;
        break;
      case 'platform':
        options.platform = value as BuildOptions['platform'];
        break;
      case 'format':
        options.format = value as BuildOptions['format'];
        break;
      case 'outfile':
      case 'metafile':
      case 'log-level':
        break;
      case 'minify':
        options.minify = true;
        break;
      case 'sourcemap':
        options.sourcemap = value === undefined ? true : (value as BuildOptions['sourcemap']);
        break;
      case 'sources-content':
        options.sourcesContent = value !== 'false';
        break;
      case 'keep-names':
        options.keepNames = true;
        break;
      case 'tsconfig':
        options.tsconfig = value;
        break;
      case 'main-fields':
        options.mainFields = (value ?? '').split(',');
        break;
      default:
        throw new Error(`Unsupported esbuild flag ${arg}`);
    }
  }
  if (external.length > 0) options.external = external;
  if (inject.length > 0) options.inject = inject;
  if (Object.keys(loader).length > 0) options.loader = loader;
  if (Object.keys(define).length > 0) options.define = define;
  if (Object.keys(alias).length > 0) options.alias = alias;
  return options;
}

/** Every function the user pools' LambdaConfig references, by trigger (`preSignUp`, `defineAuthChallenge`…). */
function userPoolTriggers(template: CfnTemplate): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  for (const [, pool] of resourcesOfType(template, 'AWS::Cognito::UserPool')) {
    const config = (pool.Properties?.LambdaConfig ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(config)) {
      const name = key.replace(/Config$/, '').replace(/^./, (first) => first.toLowerCase());
      triggers.set(name, [...(triggers.get(name) ?? []), ...referencedLogicalIds(value)]);
    }
  }
  return triggers;
}

/**
 * The functions of `stage`, each with its entry, bundling and role.
 * @throws Error when a Lambda function of the template was not built by NodejsFunction.
 */
export function discoverFunctions(stage = 'dev', tableName = 'eid-access-bench'): BenchFunction[] {
  const { captured, access, data } = synthesizeObserved(stage);
  const triggers = userPoolTriggers(access);
  const methods = readRestApi(access).methods;
  const functions = templateFunctions(access);
  const scheduled = new Set(
    schedulesOf(access).flatMap((schedule) => (schedule.targetFunction ? [schedule.targetFunction] : [])),
  );
  const environments = resolveEnvironments(functions, access, { tableName, dataTemplate: data });
  const lambdaPaths = new Map(
    resourcesOfType(access, 'AWS::Lambda::Function').map(([logicalId, resource]) => [
      constructPathOf(resource),
      logicalId,
    ]),
  );
  const found = captured.map((capture): BenchFunction => {
    const assetPath = capture.code.asset?.node.path;
    if (!assetPath) throw new Error(`A bundled code asset of ${capture.entry} was never bound to a function`);
    const path = assetPath.replace(/\/Code$/, '');
    const logicalId = lambdaPaths.get(`${path}/Resource`);
    if (!logicalId) throw new Error(`${path} is not in the access stack's template`);
    const fn = functions.find((candidate) => candidate.logicalId === logicalId);
    const trigger = [...triggers.entries()].find(([, ids]) => ids.includes(logicalId))?.[0];
    const routes = methods
      .filter((method) => method.functionLogicalId === logicalId)
      .map(({ httpMethod, resource, requiredQuery }) => ({ httpMethod, resource, requiredQuery }));
    let role: FunctionRole = { kind: 'other' };
    if (trigger) role = { kind: 'trigger', trigger };
    else if (routes.length > 0) role = { kind: 'api', routes };
    else if (scheduled.has(logicalId)) role = { kind: 'schedule' };
    return {
      name: path
        .split('/')
        .slice(1)
        .join('/')
        .replace(/\/Function$/, ''),
      logicalId,
      entry: capture.entry,
      handlerExport: fn?.handlerExport ?? 'handler',
      role,
      esbuild: esbuildOptionsFromArgs(capture.args),
      esbuildArgs: capture.args,
      environment: environments.find((environment) => environment.logicalId === logicalId)?.variables ?? {},
    };
  });
  const unbundled = [...lambdaPaths.entries()].filter(
    ([path]) => !found.some((fn) => fn.logicalId === lambdaPaths.get(path)),
  );
  // CDK's own singleton functions (custom resources) carry inline or asset code of aws-cdk-lib.
  const ours = unbundled.filter(
    ([path]) => !/\/(AWS|Custom::|LogRetention|CustomResource)/.test(String(path)),
  );
  if (ours.length > 0) {
    throw new Error(`Functions not built by NodejsFunction: ${ours.map(([path]) => path).join(', ')}`);
  }
  return found;
}
