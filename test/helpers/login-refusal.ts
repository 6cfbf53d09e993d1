import { LoginRefusedError } from '#shared/errors';

/**
 * The {@link LoginRefusedError} `action` throws; any other error is rethrown, and returning
 * normally fails with "expected a LoginRefusedError".
 */
export function refusal(action: () => unknown): LoginRefusedError {
  try {
    action();
  } catch (error) {
    if (error instanceof LoginRefusedError) return error;
    throw error;
  }
  throw new Error('expected a LoginRefusedError');
}
