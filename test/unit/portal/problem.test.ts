import { describe, expect, it } from 'vitest';
import {
  ApiError,
  describeProblem,
  fieldId,
  loginErrorMessage,
  parseProblem,
  problemsFor,
} from '../../../portal/src/api/problem.ts';
import { translator } from '../../../portal/src/i18n/i18n.ts';

const en = translator('en');
const nl = translator('nl');

const validationProblem = () => ({
  type: 'urn:eid-access:problem:validation',
  title: 'Invalid input',
  status: 400,
  detail: 'The request body is invalid.',
  errors: [
    { path: 'address.postalCode', message: 'Must be 4 digits for BE' },
    { path: 'email', message: 'Must be an e-mail address' },
  ],
});

describe('portal problem details', () => {
  it('parses type, title, status, detail and field errors when the body is problem+json', () => {
    expect(parseProblem(validationProblem(), 400)).toEqual(validationProblem());
  });

  it('drops malformed field errors and keeps the HTTP status when the body omits it', () => {
    const problem = parseProblem(
      { title: 'Conflict', errors: [{ message: 'ok' }, 'bad', { path: 'x' }] },
      409,
    );

    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      errors: [{ path: '', message: 'ok' }],
    });
  });

  it('returns undefined when the body is not a problem', () => {
    expect(parseProblem('<html>Bad gateway</html>', 502)).toBeUndefined();
    expect(parseProblem({ message: 'Internal server error' }, 502)).toBeUndefined();
  });

  it('renders a localized headline and every field error when the API refuses input (400)', () => {
    const message = describeProblem(new ApiError(400, parseProblem(validationProblem(), 400)), nl);

    expect(message.headline).toBe(nl('problem.400'));
    // "The request body is invalid." only repeats the headline: it is not shown.
    expect(message.detail).toBeUndefined();
    expect(message.fields.map((field) => field.path)).toEqual(['address.postalCode', 'email']);
  });

  it('shows the service detail when a business rule refuses (422)', () => {
    const error = new ApiError(422, {
      type: 'urn:eid-access:problem:rule-violation',
      title: 'Rule violation',
      status: 422,
      detail: 'The data does not match the person register.',
    });

    const message = describeProblem(error, en);

    expect(message.headline).toBe(en('problem.422'));
    expect(message.detail).toBe('The service says: The data does not match the person register.');
  });

  it.each([
    [401, 'problem.401'],
    [403, 'problem.403'],
    [404, 'problem.404'],
    [409, 'problem.409'],
    [429, 'problem.429'],
    [500, 'problem.500'],
    [503, 'problem.500'],
  ] as const)('uses the %i headline when the API answers that status', (status, key) => {
    expect(describeProblem(new ApiError(status, undefined), en).headline).toBe(en(key));
  });

  it('never shows the detail of a server error (it could leak internals)', () => {
    const error = new ApiError(500, {
      type: 'x',
      title: 'Internal',
      status: 500,
      detail: 'DynamoDB timeout at ...',
    });

    expect(describeProblem(error, en).detail).toBeUndefined();
  });

  it('says the service cannot be reached when the call failed without an answer', () => {
    expect(describeProblem(new ApiError(0, undefined), en).headline).toBe(en('problem.network'));
    expect(describeProblem(new TypeError('Failed to fetch'), en).headline).toBe(en('problem.network'));
  });

  it('names an unlisted status when it has no headline of its own', () => {
    expect(describeProblem(new ApiError(418, undefined), en).headline).toBe(
      'The request failed (status 418).',
    );
  });

  it('finds the problems of a field and of the fields below it', () => {
    const message = describeProblem(new ApiError(400, parseProblem(validationProblem(), 400)), en);

    expect(problemsFor(message, 'address.postalCode')).toHaveLength(1);
    expect(problemsFor(message, 'address')).toHaveLength(1);
    expect(problemsFor(message, 'phone')).toEqual([]);
    expect(problemsFor(undefined, 'email')).toEqual([]);
  });

  it('turns an API path into a valid element id', () => {
    expect(fieldId('address.postalCode')).toBe('field-address-postalCode');
    expect(fieldId('decision-01J.reason')).toBe('field-decision-01J-reason');
  });

  it("keeps only the trigger's message when Cognito wraps a refused login", () => {
    expect(
      loginErrorMessage(
        'PreSignUp failed with error Logins with a French eID are not accepted: register at a local office. ',
      ),
    ).toBe('Logins with a French eID are not accepted: register at a local office');
    expect(loginErrorMessage('identity_provider is not enabled for this client.')).toBe(
      'identity_provider is not enabled for this client.',
    );
    expect(loginErrorMessage(null)).toBe('');
  });
});
