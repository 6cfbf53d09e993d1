import { codedRefusalMessage, LoginRefusedError } from '#shared/errors';
import type { LoggerPort } from './resolve-person.ts';

/** Shown by the hosted login when a trigger fails for a reason the person cannot act on. */
export const TEMPORARY_FAILURE_MESSAGE =
  'We could not complete your login because of a temporary problem. Please try again in a few minutes.';

/**
 * The error a trigger throws: Cognito shows its message on the hosted login, so a refusal keeps its
 * actionable message and anything else becomes a generic one. The real error is logged (redacted).
 */
export function toTriggerError(error: unknown, logger: LoggerPort, context: Record<string, unknown>): Error {
  if (error instanceof LoginRefusedError) {
    logger.info('login refused', { ...context, reason: error.reason });
    return new LoginRefusedError(error.reason, codedRefusalMessage(error.reason, error.message), {
      cause: error,
    });
  }
  logger.error('login failed', { ...context, error });
  return new Error(codedRefusalMessage('temporary-failure', TEMPORARY_FAILURE_MESSAGE));
}
