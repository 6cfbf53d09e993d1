import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { deployEnvironment, resolveStageConfig, StageConfigError } from '#lib/config';
import { addEidAccess } from '#lib/eid-access-app';

// The only module that reads CDK context and the environment: everything below receives typed props.
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = new App();
const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
const stages: unknown = app.node.tryGetContext('stages');

try {
  if (typeof stage !== 'string')
    throw new StageConfigError(String(stage), [{ path: 'stage', message: 'expected a string' }]);
  const input =
    typeof stages === 'object' && stages !== null ? (stages as Record<string, unknown>)[stage] : undefined;
  const config = resolveStageConfig(stage, input, (path) => readFileSync(resolve(projectRoot, path), 'utf8'));
  // No lookups anywhere: synth works without credentials or AWS configuration. The stage pins its
  // account and regions; the CLI sets CDK_DEFAULT_ACCOUNT from the credentials and CDK_DEFAULT_REGION
  // from the profile (us-east-1 when there is none). A wrong account or an AWS_REGION outside the
  // stage's regions stops here instead of deploying into the wrong place.
  const env = deployEnvironment(config, {
    account: process.env.CDK_DEFAULT_ACCOUNT || undefined,
    region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined,
    defaultRegion: process.env.CDK_DEFAULT_REGION || undefined,
  });
  // `-c controlTowerChecks=false` skips the cfn-guard run (the slow part) for a quick local synth;
  // pipelines and deploys keep the default.
  const controlTowerChecks = String(app.node.tryGetContext('controlTowerChecks') ?? true) !== 'false';
  addEidAccess(app, config, { env, controlTowerChecks });
} catch (error) {
  if (error instanceof StageConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
