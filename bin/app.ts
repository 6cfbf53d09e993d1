import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { resolveStageConfig, StageConfigError } from '#lib/config';
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
  // No lookups anywhere: synth works without credentials and stays environment-agnostic when the
  // account is unknown. The CLI overwrites CDK_DEFAULT_REGION, so AWS_REGION picks the region.
  const account = process.env.CDK_DEFAULT_ACCOUNT || undefined;
  const region = process.env.AWS_REGION || undefined;
  addEidAccess(app, config, { env: account || region ? { account, region } : undefined });
} catch (error) {
  if (error instanceof StageConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
