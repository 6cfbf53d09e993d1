import type { App, Environment } from 'aws-cdk-lib';
import { Aspects, Tags } from 'aws-cdk-lib';
import { CfnLintDecisions } from './aspects/cfn-lint.ts';
import {
  addComplianceChecks,
  LimitKeyGrantsToAwsServices,
  PlatformComplianceDecisions,
} from './compliance.ts';
import type { StageConfig } from './config.ts';
import { AccessStack } from './stacks/access-stack.ts';
import { DataStack } from './stacks/data-stack.ts';

/** The application name, the first part of every stack id. */
export const APP_NAME = 'eid-access';

/** Apps that already run the checks, so that adding several stages registers them once. */
const checkedApps = new WeakSet<App>();

/** Options of {@link addEidAccess}. */
export interface EidAccessOptions {
  /**
   * Account and region to deploy to.
   * @default - environment-agnostic stacks
   */
  readonly env?: Environment;
  /**
   * Register the compliance checks on the app (cdk-nag AwsSolutions, HIPAA Security and NIST 800-53
   * rev 5, and the Control Tower proactive controls; they run at synthesis): see lib/compliance.ts.
   * @default true
   */
  readonly complianceChecks?: boolean;
  /**
   * With {@link complianceChecks}: also run the Control Tower controls (cfn-guard over the templates).
   * @default true
   */
  readonly controlTowerChecks?: boolean;
}

/** The stacks of one stage. */
export interface EidAccessStacks {
  readonly data: DataStack;
  readonly access: AccessStack;
}

/**
 * Adds the platform's stacks for one validated stage config to `app`: `eid-access-<stage>-data`
 * (table and key, stateful) and `eid-access-<stage>-access` (Cognito, triggers, later API and
 * workflows). Used by `bin/app.ts` and by the infra tests.
 */
export function addEidAccess(app: App, config: StageConfig, options: EidAccessOptions = {}): EidAccessStacks {
  const prefix = `${APP_NAME}-${config.stage}`;
  const env = options.env;
  const data = new DataStack(app, `${prefix}-data`, {
    config,
    env,
    description: `${APP_NAME} ${config.stage}: table and encryption key (stateful, retained)`,
    terminationProtection: config.deletionProtection,
  });
  const access = new AccessStack(app, `${prefix}-access`, {
    config,
    env,
    table: data.table,
    tableKey: data.key,
    uploadBucket: data.uploadBucket,
    description: `${APP_NAME} ${config.stage}: Cognito federation to eIDAS and itsme, API, workflows`,
  });
  for (const stack of [data, access]) {
    // Dashboards stay untagged: CloudFormation took Tags on AWS::CloudWatch::Dashboard in 2026, but
    // cfn-lint 1.51 (the template validator operators run) does not know them yet and refuses the
    // template (E3002); a dashboard has no cost to attribute.
    const tagOptions = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
    Tags.of(stack).add('app', APP_NAME, tagOptions);
    Tags.of(stack).add('stage', config.stage, tagOptions);
    Aspects.of(stack).add(new CfnLintDecisions());
    Aspects.of(stack).add(new LimitKeyGrantsToAwsServices());
    Aspects.of(stack).add(new PlatformComplianceDecisions({ logRetentionDays: config.logRetentionDays }));
  }
  if ((options.complianceChecks ?? true) && !checkedApps.has(app)) {
    checkedApps.add(app);
    addComplianceChecks(app, { controlTower: options.controlTowerChecks ?? true });
  }
  return { data, access };
}
