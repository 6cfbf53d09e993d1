/** What the wallet bridge's unit tests share: a Belgian PID's claims and the refusal a promise ends in. */
import { expect } from 'vitest';
import { PresentationRefusedError } from '../../lambdas/wallet-bridge/errors.ts';

/** A Belgian PID with SD-JWT VC claim names, and one claim the bridge never asks for (`email`). */
export const BELGIAN_PID = {
  family_name: 'Peeters',
  given_name: 'An',
  birthdate: '1985-07-31',
  issuing_country: 'BE',
  personal_administrative_number: '85073100145',
  nationalities: ['BE'],
  email: 'an@example.be',
};

/** The claims the bridge keeps of {@link BELGIAN_PID}. */
export const { email: _notRequested, ...REQUESTED_BELGIAN_CLAIMS } = BELGIAN_PID;

/** The PresentationRefusedError `promise` rejects with (fails the test when it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<PresentationRefusedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PresentationRefusedError);
  return error as PresentationRefusedError;
}
