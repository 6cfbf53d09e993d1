/**
 * Cognito pre sign-up trigger: the gatekeeper of a federated user's first login. It maps and checks
 * the provider's attributes and refuses the login with an actionable message; it never touches the
 * table (person resolution happens in pre token generation, which runs at every login).
 *
 * Only `PreSignUp_ExternalProvider` is checked. `PreSignUp_SignUp` (self sign-up is disabled in the
 * pool) and `PreSignUp_AdminCreateUser` (an operator action, for native accounts that come later) pass
 * through unchanged: such users get no token anyway, because pre token generation refuses users of no
 * known provider.
 */

import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { createLogger } from '#shared/logger';
import type { Metrics } from '#shared/metrics';
import { createMetrics } from '#shared/telemetry';
import { type IdentityConfig, identityConfig } from './config.ts';
import { mapCognitoUser } from './identity-mapping.ts';
import { recordRefusal } from './login-metrics.ts';
import type { LoggerPort } from './resolve-person.ts';
import { toTriggerError } from './trigger-errors.ts';

/** Builds the handler; tests pass their own policy and logger. */
export function createPreSignUpHandler(deps: {
  config: IdentityConfig;
  logger: LoggerPort;
  metrics?: Metrics;
}) {
  return async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
    if (event.triggerSource !== 'PreSignUp_ExternalProvider') return event;
    try {
      const identity = mapCognitoUser(
        { userName: event.userName, userAttributes: event.request.userAttributes },
        deps.config,
      );
      deps.logger.info('federated sign-up accepted', { provider: identity.provider, loa: identity.loa });
      return event;
    } catch (error) {
      if (deps.metrics) recordRefusal(deps.metrics, error);
      throw toTriggerError(error, deps.logger, { triggerSource: event.triggerSource });
    }
  };
}

/** The Lambda entry point. */
export const handler = createPreSignUpHandler({
  config: identityConfig,
  logger: createLogger(),
  metrics: createMetrics(),
});
