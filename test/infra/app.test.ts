import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cdkJsonContext, PROD_FIXTURE_PATH, PROJECT_ROOT } from '#test/helpers/infra';

const run = promisify(execFile);
const outdirs: string[] = [];

/**
 * Runs bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. The
 * Control Tower run is left out (`controlTowerChecks=false`): these tests are about configs, accounts
 * and regions, and test/infra/nag.test.ts synthesizes both stages with every check.
 */
async function runApp(context: Record<string, unknown>, extraEnv: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'eid-access-app-'));
  outdirs.push(outdir);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({
      ...cdkJsonContext(),
      'aws:cdk:bundling-stacks': [],
      controlTowerChecks: false,
      ...context,
    }),
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: PROJECT_ROOT,
      env,
    });
    return { code: 0, stdout, stderr, outdir };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, outdir };
  }
}

/** The environment the cloud assembly manifest gives a stack. */
function environmentOf(outdir: string, stackId: string): string {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { environment?: string }>;
  };
  return manifest.artifacts[stackId]?.environment ?? '';
}

afterEach(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bin/app.ts', () => {
  it('synthesizes both dev stacks in the first dev region when no stage, account or region is given', async () => {
    const result = await runApp({});

    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(result.outdir, 'eid-access-dev-data.template.json'))).toBe(true);
    expect(existsSync(join(result.outdir, 'eid-access-dev-access.template.json'))).toBe(true);
    expect(environmentOf(result.outdir, 'eid-access-dev-data')).toBe('aws://unknown-account/eu-west-1');
  });

  it('exits 1 naming every placeholder field when the committed prod config is not filled in', async () => {
    const result = await runApp({ stage: 'prod' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration for stage "prod"');
    expect(result.stderr).toContain('- aws.account:');
    expect(result.stderr).toContain('- itsme.clientId: placeholder value');
    expect(existsSync(join(result.outdir, 'eid-access-prod-access.template.json'))).toBe(false);
  });

  it('synthesizes a complete prod config into its pinned account when the credentials match', async () => {
    const stages = cdkJsonContext().stages as Record<string, unknown>;
    const prod = JSON.parse(readFileSync(join(PROJECT_ROOT, PROD_FIXTURE_PATH), 'utf8')) as unknown;

    const result = await runApp(
      { stage: 'prod', stages: { ...stages, prod } },
      { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' },
    );

    expect(result.code, result.stderr).toBe(0);
    expect(environmentOf(result.outdir, 'eid-access-prod-access')).toBe('aws://210987654321/eu-west-1');
  });

  it('exits 1 when the credentials point at another account than the stage pins', async () => {
    const stages = cdkJsonContext().stages as Record<string, unknown>;
    const prod = JSON.parse(readFileSync(join(PROJECT_ROOT, PROD_FIXTURE_PATH), 'utf8')) as unknown;

    const result = await runApp(
      { stage: 'prod', stages: { ...stages, prod } },
      { CDK_DEFAULT_ACCOUNT: '999999999999', AWS_REGION: 'eu-west-1' },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('- aws.account: stage prod deploys to account 210987654321');
  });

  it('targets CDK_DEFAULT_ACCOUNT and AWS_REGION in dev when they are set', async () => {
    const result = await runApp({}, { CDK_DEFAULT_ACCOUNT: '111122223333', AWS_REGION: 'eu-central-1' });

    expect(environmentOf(result.outdir, 'eid-access-dev-access')).toBe('aws://111122223333/eu-central-1');
  });

  it("synthesizes in the stage's first region when the CLI defaults to us-east-1 (no AWS configuration)", async () => {
    const result = await runApp({}, { CDK_DEFAULT_REGION: 'us-east-1' });

    expect(result.code, result.stderr).toBe(0);
    expect(environmentOf(result.outdir, 'eid-access-dev-access')).toBe('aws://unknown-account/eu-west-1');
  });

  it('exits 1 when AWS_REGION is outside the stage regions', async () => {
    const result = await runApp({}, { AWS_REGION: 'us-east-1' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('- aws.regions: region us-east-1');
  });

  it('exits 1 listing every invalid field when the stage config is invalid', async () => {
    const stages = cdkJsonContext().stages as Record<string, Record<string, unknown>>;
    const broken = { ...stages.dev, logRetentionDays: 31, ses: { sender: 'nobody' } };

    const result = await runApp({ stages: { ...stages, dev: broken } });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration for stage "dev"');
    expect(result.stderr).toContain('- logRetentionDays:');
    expect(result.stderr).toContain('- ses.sender:');
  });

  it('exits 1 naming the missing stage when the stage is not configured', async () => {
    const result = await runApp({ stage: 'qa' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stages.qa: no configuration for this stage');
  });
});
