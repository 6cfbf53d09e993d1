/**
 * `npm run lint:templates`: synthesizes the stages with the CDK CLI, as an operator does before a
 * deploy, and runs cfn-lint (the CloudFormation template validator) over every template. Any
 * finding, warning or error, fails the run; the findings CDK itself causes are acknowledged on their
 * resources (lib/aspects/cfn-lint.ts).
 *
 * The dev stage is the committed config of cdk.json; prod is the complete example config of the
 * infra tests (test/infra/fixtures/prod-stage.json), since the committed prod config holds
 * placeholders until an operator fills it in. The Control Tower controls are left out here: every
 * synthesis of `npm run synth` and test/infra/nag.test.ts run them.
 *
 * Needs cfn-lint on the PATH (`pip install cfn-lint`); the CI runs this step where it is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const work = join(root, '.cache', 'templates');

function cfnLintVersion(): string | undefined {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * Synthesizes one stage with the CDK CLI into `.cache/templates/<stage>/cdk.out`. The CLI runs in a
 * folder of its own whose cdk.json is the project's, with the stage's config replaced when given.
 */
function synthesize(stage: string, stageConfig?: unknown): string {
  const folder = join(work, stage);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    app: string;
    context: { stages: Record<string, unknown> };
  };
  cdkJson.app = `npx tsx ${join(root, 'bin', 'app.ts')}`;
  if (stageConfig !== undefined) cdkJson.context.stages[stage] = stageConfig;
  writeFileSync(join(folder, 'cdk.json'), `${JSON.stringify(cdkJson, null, 2)}\n`);
  const outdir = join(folder, 'cdk.out');
  console.log(`synthesizing ${stage} with the CDK CLI`);
  execFileSync(
    join(root, 'node_modules', '.bin', 'cdk'),
    ['synth', '--quiet', '--output', outdir, '-c', `stage=${stage}`, '-c', 'controlTowerChecks=false'],
    { cwd: folder, stdio: 'inherit' },
  );
  return outdir;
}

const version = cfnLintVersion();
if (!version) {
  console.error('cfn-lint is not on the PATH: install it with `pip install cfn-lint`, then run this again.');
  process.exit(2);
}

const prodExample = JSON.parse(
  readFileSync(join(root, 'test', 'infra', 'fixtures', 'prod-stage.json'), 'utf8'),
);
const outdirs = [synthesize('dev'), synthesize('prod', prodExample)];
const templates = outdirs.flatMap((outdir) =>
  readdirSync(outdir)
    .filter((name) => name.endsWith('.template.json'))
    .map((name) => join(outdir, name)),
);

console.log(`${version} over ${templates.length} templates`);
const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
const findings = lint.stdout.split('\n').filter((line) => line.trim() !== '');
for (const finding of findings) console.log(finding.replace(`${root}/`, ''));
if (lint.status !== 0 || findings.length > 0) {
  console.error(`cfn-lint: ${findings.length} finding(s), exit code ${lint.status}`);
  if (lint.stderr) console.error(lint.stderr);
  process.exit(1);
}
console.log(`cfn-lint: no finding in ${templates.map((path) => path.replace(`${work}/`, '')).join(', ')}`);
