import { describe, expect, it } from 'vitest';
import { identifierCharacters, readableTextProblem } from '#shared/text-policy';
import {
  ApiError,
  describeProblem,
  fieldId,
  loginErrorMessage,
  loginRefusalCode,
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
    // Without codes (an older API) the API's wording is still not shown: a generic sentence is.
    expect(message.detail).toBeUndefined();
    expect(message.fields.map((field) => field.path)).toEqual(['address.postalCode', 'email']);
    expect(message.fields.map((field) => field.message)).toEqual([
      nl('fieldCode.invalid'),
      nl('fieldCode.invalid'),
    ]);
  });

  it('shows the portal sentence of a known code and never the API wording', () => {
    const error = new ApiError(
      403,
      parseProblem(
        {
          type: 'urn:eid-access:problem:forbidden',
          title: 'Not allowed',
          status: 403,
          code: 'not-legal-representative',
          detail: 'The company register does not list you as a legal representative of this company.',
        },
        403,
      ),
    );

    const message = describeProblem(error, nl);

    expect(message.headline).toBe(nl('code.not-legal-representative'));
    expect(message.detail).toBeUndefined();
  });

  it("shows the API's fallback detail when the code is one this portal does not know yet", () => {
    const error = new ApiError(422, {
      type: 'urn:eid-access:problem:rule-violation',
      title: 'Rule violation',
      status: 422,
      code: 'some-future-rule',
      detail: 'Dit werd geweigerd door een regel van de dienst.',
    });

    const message = describeProblem(error, nl);

    expect(message.headline).toBe(nl('problem.422'));
    expect(message.detail).toBe('Dit werd geweigerd door een regel van de dienst.');
  });

  it('translates every field problem by its code with its parameters', () => {
    const problem = parseProblem(
      {
        type: 'urn:eid-access:problem:validation',
        title: 'Invalid request',
        status: 400,
        code: 'invalid-request',
        detail: '2 fields are invalid.',
        errors: [
          { path: 'givenNames', code: 'too-long', params: { field: 'givenNames', limit: 100 }, message: 'x' },
          { path: 'placeOfBirth', code: 'required', message: 'Invalid input: expected string' },
          { path: 'insz', code: 'check-digits', message: 'wrong check digits' },
        ],
      },
      400,
    );

    const message = describeProblem(new ApiError(400, problem), nl);

    expect(message.fields.map((field) => field.message)).toEqual([
      'Gebruik hoogstens 100 tekens.',
      'Vul dit in.',
      'Dit nummer is niet geldig. Kijk het na op een tikfout.',
    ]);
    expect(JSON.stringify(message)).not.toMatch(/Invalid input|wrong check digits/);
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

describe('login refusal codes', () => {
  it('reads the code Cognito passes on in front of the trigger message', () => {
    const description =
      'PreSignUp failed with error [refused-nationality] People with French nationality cannot log in here. ';

    expect(loginRefusalCode(description)).toBe('refused-nationality');
    expect(loginErrorMessage(description)).toBe('People with French nationality cannot log in here');
  });

  it('finds no code when the description carries none', () => {
    expect(loginRefusalCode('PreSignUp failed with error Something.')).toBeUndefined();
    expect(loginRefusalCode(null)).toBeUndefined();
  });
});

describe("the portal's sentences for the text policy's codes", () => {
  // Each problem as the API produces it for a field (lambdas/shared/text-policy.ts), then rendered.
  const problems = [
    readableTextProblem('Jan\ud800'),
    readableTextProblem('Jan\ufffd'),
    readableTextProblem('Jan\u0007'),
    readableTextProblem('Sie\u200bmens'),
    readableTextProblem(`e${'\u0301'.repeat(40)}`),
    identifierCharacters('HRB 12\u0417', {
      separators: /[\s.-]/g,
      separatorsText: 'spaces',
      label: 'The number',
    }),
    identifierCharacters('HRB 12_3', {
      separators: /[\s.-]/g,
      separatorsText: 'spaces',
      label: 'The number',
    }),
  ];

  it.each(['en', 'nl', 'fr'] as const)(
    "names what is wrong in %s, with the character, never in the API's English",
    (language) => {
      const t = translator(language);
      const codes = new Set<string>();
      for (const problem of problems) {
        expect(typeof problem).toBe('object');
        if (typeof problem !== 'object' || problem === undefined) continue;
        codes.add(problem.code);
        const error = new ApiError(400, {
          type: 'urn:eid-access:problem:validation',
          title: 'Invalid input',
          status: 400,
          errors: [
            { path: 'name', message: problem.message, code: problem.code, params: problem.params ?? {} },
          ],
        });
        const [field] = describeProblem(error, t).fields;
        expect(field?.message, problem.code).not.toBe(problem.message);
        expect(field?.message, problem.code).not.toMatch(/\{\w+\}/);
        if (problem.params && 'codePoint' in problem.params && problem.code !== 'text.replacement-character')
          expect(field?.message).toContain(String(problem.params.codePoint));
      }
      expect(codes.size).toBe(7);
    },
  );
});
