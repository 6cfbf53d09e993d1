/**
 * Named failures of the foreign-registration workflow tasks. Step Functions matches on `name`: none of
 * these is retried (only `TransientError` is); the workflow's Catch records them and fails the execution.
 */

/** The registration is not in the state the workflow step expects (or does not exist). */
export class ForeignRegistrationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForeignRegistrationStateError';
  }
}
