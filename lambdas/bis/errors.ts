/**
 * Named failures of the BIS workflow tasks. Step Functions matches on `name`: none of these is
 * retried (only `TransientError` is); the workflow's Catch records them and fails the execution.
 */

/** Every BIS number for this birth date and sex has been issued (a clear, permanent failure). */
export class BisSequenceExhaustedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('No BIS number is left for this birth date and sex', options);
    this.name = 'BisSequenceExhaustedError';
  }
}

/** Every attempt to issue a free BIS number collided with an existing one. */
export class BisNumberCollisionError extends Error {
  constructor(attempts: number) {
    super(`No free BIS number found after ${attempts} attempts`);
    this.name = 'BisNumberCollisionError';
  }
}

/** The applicant obtained a national or BIS number while the request was open. */
export class PersonAlreadyHasInszError extends Error {
  constructor() {
    super('The applicant already has a national or BIS number');
    this.name = 'PersonAlreadyHasInszError';
  }
}

/** The registration is not in the state the workflow step expects (or does not exist). */
export class RegistrationStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationStateError';
  }
}
