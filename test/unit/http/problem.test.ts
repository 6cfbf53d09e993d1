import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LoginRefusedError,
  NotFoundError,
  RuleViolationError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '#shared/errors';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '#shared/http/http-errors';
import {
  formatIssuePath,
  httpLogger,
  PROBLEM_TYPES,
  type Problem,
  problemResponse,
  toProblem,
} from '#shared/http/problem';
import type { Logger } from '#shared/logger';

function silentLogger(): { logger: Logger; error: ReturnType<typeof vi.fn>; info: ReturnType<typeof vi.fn> } {
  const error = vi.fn();
  const info = vi.fn();
  return { logger: { error, info } as unknown as Logger, error, info };
}

function bodyOf(result: { body: string }): Problem {
  return JSON.parse(result.body) as Problem;
}

class TeapotError extends DomainError {
  readonly status = 418;
  readonly title = 'Teapot';
}

class MisconfiguredError extends DomainError {
  readonly status = 302;
  readonly title = 'Not an error status';
}

describe('toProblem', () => {
  it.each([
    [
      new UnauthorizedError('Sign in.'),
      401,
      PROBLEM_TYPES.unauthenticated,
      'Not authenticated',
      'unauthenticated',
    ],
    [new ForbiddenError('Not yours.'), 403, PROBLEM_TYPES.forbidden, 'Not allowed', 'forbidden'],
    [new NotFoundError('No such request.'), 404, PROBLEM_TYPES.notFound, 'Not found', 'not-found'],
    [new ConflictError('Already decided.'), 409, PROBLEM_TYPES.conflict, 'Conflict', 'conflict'],
    [
      new PayloadTooLargeError('Too big.'),
      413,
      PROBLEM_TYPES.payloadTooLarge,
      'Payload too large',
      'payload-too-large',
    ],
    [
      new UnsupportedMediaTypeError('Send JSON.'),
      415,
      PROBLEM_TYPES.unsupportedMediaType,
      'Unsupported media type',
      'unsupported-media-type',
    ],
    [
      new RuleViolationError('Does not match.'),
      422,
      PROBLEM_TYPES.ruleViolation,
      'Refused by a rule',
      'rule-violation',
    ],
    [
      new TooManyRequestsError('Slow down.'),
      429,
      PROBLEM_TYPES.tooManyRequests,
      'Too many requests',
      'too-many-requests',
    ],
  ])(
    'renders %s with its status, type, title, class code and message when it is a domain error',
    (error, status, type, title, code) => {
      expect(toProblem(error)).toEqual({ type, title, status, code, detail: error.message });
    },
  );

  it('renders the code of the throw site when it gives one', () => {
    const error = new ForbiddenError('Not a legal representative.', { code: 'not-legal-representative' });

    expect(toProblem(error)).toMatchObject({ status: 403, code: 'not-legal-representative' });
  });

  it('writes the detail in the caller language when one of the catalogue is asked for', () => {
    const error = new NotFoundError('There is no such grant.');

    expect(toProblem(error, 'nl').detail).toBe('Dit bestaat niet of u hebt er geen toegang toe.');
    expect(toProblem(error, 'fr').detail).toBe("Ceci n'existe pas ou ne vous est pas accessible.");
    expect(toProblem(error, 'en').detail).toBe('There is no such grant.');
  });

  it('gives every zod issue a code, its parameters and our own sentence when a body is invalid', () => {
    const schema = z.strictObject({
      givenNames: z.string().trim().min(1, 'Required').max(3, 'At most 3 characters'),
      placeOfBirth: z.string(),
      sex: z.enum(['M', 'F']),
      address: z.strictObject({ city: z.string() }),
    });
    const result = schema.safeParse({ givenNames: 'Annabel', sex: 'X', extra: 1 });

    const problem = toProblem(result.error, 'nl');

    expect(problem.errors).toEqual([
      {
        path: 'givenNames',
        code: 'too-long',
        params: { field: 'givenNames', limit: 3 },
        message: 'Hoogstens 3 tekens',
      },
      { path: 'placeOfBirth', code: 'required', params: { field: 'placeOfBirth' }, message: 'Verplicht' },
      {
        path: 'sex',
        code: 'not-allowed',
        params: { field: 'sex', allowed: ['M', 'F'] },
        message: 'Geen van de toegelaten waarden',
      },
      { path: 'address', code: 'required', params: { field: 'address' }, message: 'Verplicht' },
      { path: 'extra', code: 'unknown-field', params: { field: 'extra' }, message: 'Onbekend veld' },
    ]);
    expect(JSON.stringify(toProblem(result.error, 'en'))).not.toMatch(/Invalid input|received undefined/);
  });

  it('lists field problems with their codes when the error is a ValidationError', () => {
    const error = new ValidationError('Two fields are invalid.', [
      { path: 'address.postalCode', message: 'Required', code: 'required' },
      { path: 'email', message: 'Must be an e-mail address' },
    ]);

    expect(toProblem(error)).toEqual({
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: 400,
      code: 'invalid-request',
      detail: 'Two fields are invalid.',
      errors: [
        { path: 'address.postalCode', message: 'Required', code: 'required' },
        { path: 'email', message: 'Must be an e-mail address', code: 'invalid' },
      ],
    });
  });

  it('gives each refusal reason its own type when a login is refused', () => {
    const problem = toProblem(new LoginRefusedError('refused-nationality', 'Register at a local office.'));

    expect(problem).toMatchObject({
      type: 'urn:eid-access:problem:login-refused:refused-nationality',
      status: 403,
      code: 'refused-nationality',
      detail: 'Register at a local office.',
    });
  });

  it('renders a 400 with dotted paths and array indices when a ZodError escapes', () => {
    const schema = z.strictObject({
      address: z.strictObject({ postalCode: z.string() }),
      phones: z.array(z.strictObject({ number: z.string() })),
    });
    const result = schema.safeParse({
      address: { postalCode: 1 },
      phones: [{ number: '1' }, { number: 2, x: 1 }],
    });

    const problem = toProblem(result.error);

    expect(problem.status).toBe(400);
    expect(problem.type).toBe(PROBLEM_TYPES.validation);
    expect(problem.errors?.map((e) => e.path)).toEqual([
      'address.postalCode',
      'phones.1.number',
      'phones.1.x',
    ]);
  });

  it('falls back to about:blank when a domain error has a status without a problem type', () => {
    expect(toProblem(new TeapotError('Short and stout.'))).toMatchObject({
      type: 'about:blank',
      status: 418,
    });
  });

  it('renders a 500 when a domain error carries a status that is not a client error', () => {
    expect(toProblem(new MisconfiguredError('x')).status).toBe(500);
  });

  it('hides the message when the error is not a domain error', () => {
    const problem = toProblem(new Error('ConditionalCheckFailed on PERSON#01JZ and table eid-access-prod'));

    expect(problem).toEqual({
      type: PROBLEM_TYPES.internal,
      title: 'Internal error',
      status: 500,
      code: 'internal',
      detail: expect.any(String),
    });
    expect(JSON.stringify(problem)).not.toMatch(/PERSON|eid-access-prod|Conditional/);
  });

  it('renders a 500 when something other than an Error is thrown', () => {
    expect(toProblem('boom').status).toBe(500);
    expect(toProblem(undefined).status).toBe(500);
  });

  it('redacts a national number when a domain error message contains one by mistake', () => {
    expect(toProblem(new ConflictError('INSZ 85073003328 is taken')).detail).not.toContain('85073003328');
  });
});

describe('formatIssuePath', () => {
  it('joins segments with dots and prefixes the source when given', () => {
    expect(formatIssuePath(['items', 0, 'name'])).toBe('items.0.name');
    expect(formatIssuePath(['limit'], 'query')).toBe('query.limit');
    expect(formatIssuePath([])).toBe('');
  });
});

describe('problemResponse', () => {
  it('answers problem+json with the security headers when rendering any error', () => {
    const { logger } = silentLogger();

    const result = problemResponse(new NotFoundError('No such organisation.'), logger);

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(bodyOf(result)).toMatchObject({ status: 404, type: PROBLEM_TYPES.notFound });
  });

  it('logs the error itself at error level when rendering a 500', () => {
    const { logger, error, info } = silentLogger();
    const failure = new Error('socket hang up');

    const result = problemResponse(failure, logger);

    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).detail).not.toContain('socket');
    expect(error).toHaveBeenCalledWith('unexpected error', failure);
    expect(info).not.toHaveBeenCalled();
  });

  it('logs only status and type when rendering a client error', () => {
    const { logger, error, info } = silentLogger();

    problemResponse(new ForbiddenError('Not yours.'), logger);

    expect(info).toHaveBeenCalledWith('request refused', {
      status: 403,
      type: PROBLEM_TYPES.forbidden,
      code: 'forbidden',
    });
    expect(error).not.toHaveBeenCalled();
  });

  it('uses the shared HTTP logger when no logger is given', () => {
    const error = vi.spyOn(httpLogger, 'error').mockImplementation(() => undefined);

    problemResponse(new Error('x'));

    expect(error).toHaveBeenCalledOnce();
  });
});
