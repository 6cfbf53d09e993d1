import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Runs cdk-nag's AwsSolutions pack over the whole app at synthesis: any unacknowledged finding,
 * error or warning, fails `cdk synth`. Acknowledgements live next to the construct they concern
 * (`Validations.of(construct).acknowledge({ id, reason })`), one granular finding id at a time.
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
